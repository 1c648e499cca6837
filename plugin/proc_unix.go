//go:build unix

package plugin

import (
	"os/exec"
	"syscall"
)

// setGroup starts cmd in a process group of its own, whose id is its pid, so
// that killGroup reaches whatever it spawns.
func setGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// killGroup sends SIGKILL to cmd's process group.
func killGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}
