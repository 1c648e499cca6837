package figures

import (
	"net/url"
	"strings"
	"testing"
)

func TestFileName(t *testing.T) {
	for _, c := range []struct{ kind, ds, want string }{
		{"curves", "breast_cancer", "curves_breast_cancer"},
		{"curves", "a+b", "curves_a%2Bb"},
		{"curves", "a_b", "curves_a_b"},
		{"curves", "a%2Bb", "curves_a%252Bb"},
		{"curves", "../x y", "curves_..%2Fx%20y"},
		{"curves", "café", "curves_caf%C3%A9"},
		{"grid", "", "grid"},
		{"delta-curves", "iris", "delta-curves_iris"},
	} {
		if got := FileName(c.kind, c.ds); got != c.want {
			t.Errorf("FileName(%q, %q) = %q, want %q", c.kind, c.ds, got, c.want)
		}
	}
	for _, bad := range []string{"", "cd_wilcoxon", "Curves", "a/b"} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("FileName(%q, …) did not panic", bad)
				}
			}()
			FileName(bad, "x")
		}()
	}
}

// FuzzFileName: the name is safe, and decoding it gives back the kind and
// dataset, so no two (kind, dataset) pairs share a file name.
func FuzzFileName(f *testing.F) {
	for _, s := range [][2]string{{"curves", "a+b"}, {"curves", "a_b"}, {"cd", "%"}, {"curves", ""}, {"a-b", "_c"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, kind, ds string) {
		if kind == "" || strings.ContainsFunc(kind, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-')
		}) {
			t.Skip()
		}
		name := FileName(kind, ds)
		if strings.ContainsFunc(name, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._-%", r))
		}) {
			t.Fatalf("FileName(%q, %q) = %q has an unsafe byte", kind, ds, name)
		}
		k, rest, found := strings.Cut(name, "_")
		if k != kind || found == (ds == "") {
			t.Fatalf("FileName(%q, %q) = %q: kind does not end at the first '_'", kind, ds, name)
		}
		back, err := url.PathUnescape(rest)
		if err != nil || back != ds {
			t.Fatalf("FileName(%q, %q) = %q decodes to %q (%v)", kind, ds, name, back, err)
		}
	})
}
