package datasets

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// maxFileBytes bounds the size of a data file that the csv and libsvm sources read
// (1 GiB), so that a path pointing at a disk image or a log is a problem, not an
// out-of-memory crash. A variable so that tests can lower it.
var maxFileBytes int64 = 1 << 30

// pathParam reads the required path parameter of a file source; "" when it is
// missing or wrong (a problem has then been recorded).
func pathParam(p *params) string {
	v, ok := p.lookup("path")
	switch {
	case !ok:
		p.add("path", "is required", nil)
	case v == nil:
		p.addNull("path", "must be a file path")
	default:
		s, isStr := v.(string)
		if !isStr || s == "" {
			p.add("path", "must be a file path", v)
			return ""
		}
		return s
	}
	return ""
}

// readDataFile reads the file that path names, relative to dir unless absolute. It
// must be a regular file (a directory or a named pipe is refused before it is
// opened, so a FIFO cannot block Check) of at most maxFileBytes bytes. On failure
// it records a problem under the key path and returns ok false. file is the joined
// name that problems inside the file should carry.
func readDataFile(p *params, dir, path string) (data []byte, file string, ok bool) {
	file = path
	if !filepath.IsAbs(path) {
		file = filepath.Join(dir, path)
	}
	fail := func(msg string) ([]byte, string, bool) {
		p.probs = append(p.probs, Problem{Key: "path", Msg: msg, Got: path})
		return nil, file, false
	}
	cause := func(err error) string {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return err.Error()
	}
	info, err := os.Stat(file)
	if err != nil {
		return fail("cannot read " + file + ": " + cause(err))
	}
	if !info.Mode().IsRegular() {
		what := "not a regular file"
		if info.IsDir() {
			what = "is a directory"
		}
		return fail("cannot read " + file + ": " + what)
	}
	tooBig := func(size int64) ([]byte, string, bool) {
		return fail(fmt.Sprintf("cannot read %s: %d bytes is more than the %s a data file may have", file, size, byteSize(maxFileBytes)))
	}
	if info.Size() > maxFileBytes {
		return tooBig(info.Size())
	}
	f, err := os.Open(file)
	if err != nil {
		return fail("cannot read " + file + ": " + cause(err))
	}
	defer f.Close()
	// The file may have grown or been replaced since Stat: read at most one byte
	// more than the limit, which tells a file over it.
	data, err = io.ReadAll(io.LimitReader(f, maxFileBytes+1))
	if err != nil {
		return fail("cannot read " + file + ": " + cause(err))
	}
	if int64(len(data)) > maxFileBytes {
		return tooBig(int64(len(data)))
	}
	return data, file, true
}

// byteSize formats n bytes in the largest binary unit that divides it ("1 GiB",
// "512 KiB", "100 bytes").
func byteSize(n int64) string {
	for _, u := range []struct {
		name string
		size int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if n >= u.size && n%u.size == 0 {
			return fmt.Sprintf("%d %s", n/u.size, u.name)
		}
	}
	return fmt.Sprintf("%d bytes", n)
}
