package fusecheck

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRepository runs Check on every package of the module and fails on any
// finding: the rule every engineer follows (see internal/fmath's doc).
func TestRepository(t *testing.T) {
	if testing.Short() {
		t.Skip("type-checks the whole module")
	}
	findings, skipped, err := Check("../..", "./...")
	if err != nil {
		t.Fatal(err)
	}
	for p, why := range skipped {
		t.Logf("not checked: %s: %s", p, why)
	}
	for _, f := range findings {
		t.Error(f)
	}
}

// TestCheck runs Check on a module written for the test, with one case of each
// kind it reports and the forms it must accept.
func TestCheck(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module m\n\ngo 1.26\n")
	write("m.go", `package m

const c = 2.0 * 3.0

type pair struct{ a, b float64 }

func f(x, y, z float64, s []float64, p pair) (float64, int) {
	r := x*y + z                // 1: direct
	r = z - x*y                 // 2: subtrahend
	r += x * y                  // 3: accumulation
	r -= -(x * y)               // 4: through unary minus and parens
	t := x * y                  // held in a variable
	r = t + z                   // 5: via t
	var u = s[0] * s[1]         // held in a variable
	r += u                      // 6: via u
	r += p.a * p.b              // 7: fields
	r = float64(x*y) + z        // converted: fine
	r += float64(x * y)         // converted: fine
	r = x*y + z //fmath:fused-ok
	r = (x + y) * z             // a sum times: fine
	r = x*y*z                   // no add: fine
	r += c + 1                  // constants: fine
	i, j := 2, 3
	k := i*j + 1                // integers: fine
	w := float64(x * y)
	r += w                      // converted variable: fine
	return r, k
}
`)
	findings, skipped, err := Check(dir, "./...")
	if err != nil {
		t.Fatal(err)
	}
	if len(skipped) != 0 {
		t.Fatalf("skipped %v", skipped)
	}
	wantLines := []int{8, 9, 10, 11, 13, 15, 16}
	if len(findings) != len(wantLines) {
		for _, f := range findings {
			t.Log(f)
		}
		t.Fatalf("%d findings, want %d", len(findings), len(wantLines))
	}
	for i, f := range findings {
		if f.Pos.Line != wantLines[i] || !strings.Contains(f.Message, "FMA") {
			t.Errorf("finding %d: %v, want line %d", i, f, wantLines[i])
		}
	}
}
