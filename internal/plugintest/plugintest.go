// Package plugintest builds the Go plugin that the protocol's tests run
// (internal/plugintest/goplugin), so that they need no Python.
package plugintest

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// Build compiles goplugin into a temporary directory of t and returns the
// binary's path.
func Build(t testing.TB) string {
	t.Helper()
	return BuildInto(t, t.TempDir())
}

// BuildInto compiles goplugin into dir and returns the binary's path.
func BuildInto(t testing.TB, dir string) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	out := filepath.Join(dir, "goplugin")
	cmd := exec.Command("go", "build", "-o", out, "./goplugin")
	cmd.Dir = filepath.Dir(file)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building goplugin: %v\n%s", err, b)
	}
	return out
}
