package atomicfile

import (
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestWriteHonoursTheUmask: result files get 0666 less the umask, as
// os.Create gives, not the 0600 of a temporary file.
func TestWriteHonoursTheUmask(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ umask, want os.FileMode }{{0o022, 0o644}, {0o002, 0o664}, {0o077, 0o600}} {
		old := syscall.Umask(int(c.umask))
		path := filepath.Join(dir, "f.csv")
		err := Write(path, func(w io.Writer) error { _, err := io.WriteString(w, "x\n"); return err })
		syscall.Umask(old)
		if err != nil {
			t.Fatal(err)
		}
		st, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != c.want {
			t.Errorf("umask %03o: mode %03o, want %03o", c.umask, st.Mode().Perm(), c.want)
		}
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Errorf("temporary files left: %v", ents)
	}
}

func TestIsTemp(t *testing.T) {
	for name, want := range map[string]bool{
		".trials.csv.tmp123": true, ".ab.json.tmp4": true, ".x.tmp": false, "trials.csv.tmp1": false,
		"a.json": false, ".tmp1": false, ".report.md.tmpx": false,
	} {
		if IsTemp(name) != want {
			t.Errorf("IsTemp(%q) = %v", name, !want)
		}
	}
}
