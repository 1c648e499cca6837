//go:build !unix

package plugin

import "os/exec"

// setGroup does nothing without process groups.
func setGroup(*exec.Cmd) {}

// killGroup kills the plugin process alone: this system has no process groups
// to reach its children by.
func killGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		cmd.Process.Kill()
	}
}
