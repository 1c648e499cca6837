//go:build !unix

package harness

import (
	"os"
	"path/filepath"
	"strconv"
)

// lockFile is the lock file of an output folder (see lock.go). Without flock(2)
// the file is written but not locked: two processes on one folder are not
// detected on this system.
const lockFile = ".albench.lock"

// LockedError is an output folder another albench process is writing.
type LockedError struct {
	Dir string
	PID int
}

func (e *LockedError) Error() string {
	return e.Dir + " is being written by another albench process (pid " + strconv.Itoa(e.PID) + ")"
}

func lockDir(dir string) (func(), error) {
	err := os.WriteFile(filepath.Join(dir, lockFile), []byte(strconv.Itoa(os.Getpid())+"\n"), 0o666)
	return func() {}, err
}
