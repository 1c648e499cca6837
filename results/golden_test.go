package results

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"albench/results/internal/fixture"
)

// TestFigures checks that every figure renders to the same bytes twice and
// matches its golden file: the SVG byte for byte, the PNG by SHA-256.
func TestFigures(t *testing.T) {
	a := fixture.Analysis(t)
	figs := (plotted{a}).figures()
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
				fixture.CheckGolden(t, filepath.Join("figures", f.name+".svg.golden"), b1)
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
	fixture.CheckGolden(t, filepath.Join("figures", "png.sha256.golden"), []byte(sums.String()))
}

func TestWriteAll(t *testing.T) {
	dir := t.TempDir()
	if err := WriteAll(dir, fixture.Records(t), fixture.Meta); err != nil {
		t.Fatal(err)
	}
	report, err := os.ReadFile(filepath.Join(dir, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("report/testdata/report.md.golden")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(report, want) {
		t.Error("report.md from WriteAll differs from report/testdata/report.md.golden")
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
