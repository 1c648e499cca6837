// Package atomicfile writes files so that a reader, or a process killed at any
// instant, sees either the old file or the whole new one.
package atomicfile

import (
	"bufio"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
)

// tempSeq numbers the temporary files of this process.
var tempSeq atomic.Uint64

// TempInfix is in the name of every temporary file of Write:
// "." + the target's base name + TempInfix + digits. A run removes files so named
// that a killed process left behind (IsTemp).
const TempInfix = ".tmp"

// IsTemp reports whether name is the name of a temporary file of Write.
func IsTemp(name string) bool {
	i := strings.LastIndex(name, TempInfix)
	if !strings.HasPrefix(name, ".") || i < 1 || i+len(TempInfix) == len(name) {
		return false
	}
	for _, c := range name[i+len(TempInfix):] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// Write writes path through write into a temporary file in the same
// directory, syncs it, renames it into place and syncs the directory, so a reader
// — or a run killed at any instant, or a machine that loses power — sees either
// the old file or the whole new one. The file is created with mode 0666 less the
// process's umask, like os.Create.
func Write(path string, write func(io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	f, err := createTemp(dir, "."+filepath.Base(path)+TempInfix)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	bw := bufio.NewWriter(f)
	if err = write(bw); err != nil {
		return err
	}
	if err = bw.Flush(); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return err
	}
	return syncDir(dir)
}

// createTemp creates a new file prefix+digits in dir with mode 0666 (less the
// umask); os.CreateTemp would give 0600.
func createTemp(dir, prefix string) (*os.File, error) {
	for range 10000 {
		name := filepath.Join(dir, prefix+strconv.Itoa(os.Getpid())+strconv.FormatUint(tempSeq.Add(1), 10))
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return f, err
	}
	return nil, &fs.PathError{Op: "createtemp", Path: filepath.Join(dir, prefix+"*"), Err: fs.ErrExist}
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}
