package results

import (
	"bytes"
	"crypto/sha256"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// fixtureMeta describes testdata/trials.csv, a small synthetic run (see
// testdata/README.md).
var fixtureMeta = Meta{
	Name:           "fixture",
	Description:    "A synthetic run: two datasets, three strategies, eight seeds.",
	ConfigText:     "name: fixture\nseeds: 8\nstrategies: [random, margin, entropy]\n",
	AlbenchVersion: "v0.0.0-test",
	GoVersion:      "go1.26",
	Kernel:         "Linux 6.0 x86_64",
	Seeds:          []int{0, 1, 2, 3, 4, 5, 6, 7},
	Strategies:     []string{"random", "margin", "entropy"},
	Elapsed:        83*time.Second + 400*time.Millisecond,
	Started:        time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC),
}

func readFixture(t testing.TB) []Record {
	t.Helper()
	f, err := os.Open("testdata/trials.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := ReadTrials(f)
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func fixtureAnalysis(t testing.TB) *Analysis {
	t.Helper()
	a, err := Analyze(readFixture(t), fixtureMeta)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// checkGolden compares got with testdata/name, benchstat style: -update
// rewrites the file; a mismatch writes testdata/name.got and fails.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if bytes.Equal(got, want) {
		os.Remove(path + ".got")
		return
	}
	if err := os.WriteFile(path+".got", got, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Errorf("%s differs from the golden file; see diff %s %s.got (go test -update accepts it)", name, path, path)
}

func TestGoldenFiles(t *testing.T) {
	a := fixtureAnalysis(t)
	for _, tc := range []struct {
		golden string
		write  func(w io.Writer) error
	}{
		{"curves.csv.golden", func(w io.Writer) error { return WriteCurves(w, a.Curves) }},
		{"summary.csv.golden", func(w io.Writer) error { return WriteSummary(w, a.Summary) }},
		{"ranks.csv.golden", func(w io.Writer) error { return WriteRanks(w, a.Ranks) }},
		{"pairwise.csv.golden", func(w io.Writer) error { return WritePairwise(w, a.Pairwise) }},
		{"report.md.golden", func(w io.Writer) error { return WriteReport(w, a, fixtureMeta) }},
	} {
		var buf bytes.Buffer
		if err := tc.write(&buf); err != nil {
			t.Fatal(err)
		}
		checkGolden(t, tc.golden, buf.Bytes())
	}
}

// TestFigures checks that every figure renders to the same bytes twice and
// matches its golden file: the SVG byte for byte, the PNG by SHA-256.
func TestFigures(t *testing.T) {
	a := fixtureAnalysis(t)
	figs := a.figures()
	var names []string
	for _, f := range figs {
		names = append(names, f.name)
	}
	want := "curves_moons curves_wine grid delta_aulc pairwise"
	if got := strings.Join(names, " "); got != want {
		t.Fatalf("figures %q, want %q", got, want)
	}
	var sums strings.Builder
	for _, f := range figs {
		for _, format := range FigureFormats {
			b1, err := render(f, format)
			if err != nil {
				t.Fatal(err)
			}
			b2, err := render(f, format)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(b1, b2) {
				t.Errorf("%s.%s: two renders differ", f.name, format)
			}
			if format == "svg" {
				checkGolden(t, filepath.Join("figures", f.name+".svg.golden"), b1)
			} else {
				fmt.Fprintf(&sums, "%x  %s.%s\n", sha256.Sum256(b1), f.name, format)
			}
		}
	}
	if compilerFuses {
		// The SVGs, the drawing itself, matched byte for byte above. The PNG
		// rasterizer below gonum/plot (vgimg → gg → x/image/vector, freetype) is
		// plain Go that this build's compiler fuses into FMAs, so a few
		// antialiased pixels differ from the unfused build's (pairwise.png under
		// GOAMD64=v3); its hashes hold for unfused builds only.
		t.Log("PNG hashes not compared: this build fuses multiply-adds in the rasterizer")
		return
	}
	checkGolden(t, filepath.Join("figures", "png.sha256.golden"), []byte(sums.String()))
}

func TestWriteAll(t *testing.T) {
	dir := t.TempDir()
	if err := WriteAll(dir, readFixture(t), fixtureMeta); err != nil {
		t.Fatal(err)
	}
	report, err := os.ReadFile(filepath.Join(dir, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("testdata/report.md.golden")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(report, want) {
		t.Error("report.md from WriteAll differs from testdata/report.md.golden")
	}
	for _, name := range []string{"curves.csv", "summary.csv", "ranks.csv", "pairwise.csv"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Error(err)
		}
	}
	// Every figure the report links to exists, in both formats.
	for _, line := range strings.Split(string(report), "(figures/")[1:] {
		png := line[:strings.Index(line, ")")]
		for _, f := range []string{png, strings.TrimSuffix(png, ".png") + ".svg"} {
			if _, err := os.Stat(filepath.Join(dir, "figures", f)); err != nil {
				t.Errorf("report links to a missing figure: %v", err)
			}
		}
	}
	// No temporary files are left behind.
	for _, d := range []string{dir, filepath.Join(dir, "figures")} {
		ents, err := os.ReadDir(d)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ents {
			if strings.HasPrefix(e.Name(), ".") {
				t.Errorf("temporary file left in %s: %s", d, e.Name())
			}
		}
	}
}
