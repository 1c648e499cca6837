package harness

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// MaxConfigSize bounds a config file: no config needs more, and a path such as
// /dev/zero must not be read until memory runs out.
const MaxConfigSize = 16 << 20

// ConfigFileError is a config file that cannot be read: missing, not a regular
// file, too large or unreadable. The CLI exits 2 for it, as for any config
// problem.
type ConfigFileError struct {
	Path string
	Err  error
}

func (e *ConfigFileError) Error() string { return e.Path + ": " + e.Err.Error() }
func (e *ConfigFileError) Unwrap() error { return e.Err }

// readConfig reads a regular file of at most MaxConfigSize bytes.
func readConfig(path string) ([]byte, error) {
	f, err := openRegular(path)
	if err != nil {
		return nil, unwrapPath(err)
	}
	defer f.Close()
	text, err := io.ReadAll(io.LimitReader(f, MaxConfigSize+1))
	if err != nil {
		return nil, unwrapPath(err)
	}
	if len(text) > MaxConfigSize {
		return nil, fmt.Errorf("larger than %d MiB: not a config", MaxConfigSize>>20)
	}
	return text, nil
}

// unwrapPath drops the path of a *fs.PathError, which the caller names itself.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// openRegular opens a file for reading if it is a regular file. It opens without
// blocking, so a FIFO (which would wait for a writer) or a device is refused at
// once rather than hanging or being read forever.
func openRegular(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !st.Mode().IsRegular() {
		f.Close()
		what := "not a regular file"
		switch {
		case st.IsDir():
			what = "a directory, not a file"
		case st.Mode()&fs.ModeNamedPipe != 0:
			what = "a named pipe, not a regular file"
		case st.Mode()&fs.ModeDevice != 0:
			what = "a device, not a regular file"
		}
		return nil, &fs.PathError{Op: "open", Path: path, Err: errors.New(what)}
	}
	return f, nil
}
