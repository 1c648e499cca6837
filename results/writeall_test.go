package results

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"albench/results/analysis"
	"albench/results/figures"
	"albench/results/internal/fixture"
	"albench/results/report"
)

func TestWriteAll(t *testing.T) {
	dir := t.TempDir()
	if err := WriteAll(dir, fixture.Records(t), fixture.Meta); err != nil {
		t.Fatal(err)
	}
	rep, err := os.ReadFile(filepath.Join(dir, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("report/testdata/report.md.golden")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(rep, want) {
		t.Error("report.md from WriteAll differs from report/testdata/report.md.golden")
	}
	for _, name := range []string{"curves.csv", "summary.csv", "ranks.csv", "pairwise.csv", "friedman.csv",
		"penalty.csv", "efficiency.csv"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Error(err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, DeltaCurvesFile)); err == nil {
		t.Errorf("%s written without Meta.Delta", DeltaCurvesFile)
	}
	// Every figure the report links to exists, in every format.
	for _, line := range strings.Split(string(rep), "(figures/")[1:] {
		png := strings.ReplaceAll(line[:strings.Index(line, ")")], "%25", "%")
		for _, format := range figures.Formats {
			f := strings.TrimSuffix(png, ".png") + "." + format
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

// figureFiles lists dir/figures.
func figureFiles(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(filepath.Join(dir, "figures"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

// TestWriteAllFigures: WriteAll draws exactly the figures report.md links
// to (report.Figures), with the file names of figures.FileName, in PNG, SVG
// and PDF; a second run writes the same bytes (PNG included: the same build
// rasterises alike, only builds that fuse multiply-adds differ from others).
func TestWriteAllFigures(t *testing.T) {
	for _, tc := range []struct {
		name  string
		delta bool
		want  []string
	}{
		{"plain", false, []string{"curves_moons", "curves_wine", "grid", "delta-aulc", "pairwise", "penalty", "cd", "cd-wilcoxon"}},
		{"delta", true, []string{"curves_moons", "delta-curves_moons", "curves_wine", "delta-curves_wine", "grid",
			"delta-aulc", "pairwise", "penalty", "cd", "cd-wilcoxon"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			meta := fixture.Meta
			meta.Delta = tc.delta
			a, err := analysis.Analyze(fixture.Records(t), meta)
			if err != nil {
				t.Fatal(err)
			}
			var set []string
			for _, f := range figureSet(a, meta) {
				set = append(set, f.name)
			}
			if !slices.Equal(set, tc.want) {
				t.Errorf("figures %v, want %v", set, tc.want)
			}
			if links := report.Figures(a, meta); !slices.Equal(links, tc.want) {
				t.Errorf("report.md links %v, WriteFigures draws %v", links, tc.want)
			}
			var wantFiles []string
			for _, n := range tc.want {
				for _, format := range figures.Formats {
					wantFiles = append(wantFiles, n+"."+format)
				}
			}
			slices.Sort(wantFiles)
			d1, d2 := t.TempDir(), t.TempDir()
			for _, d := range []string{d1, d2} {
				if err := WriteAll(d, fixture.Records(t), meta); err != nil {
					t.Fatal(err)
				}
			}
			got := figureFiles(t, d1)
			if !slices.Equal(got, wantFiles) {
				t.Fatalf("figures/ holds %v, want %v", got, wantFiles)
			}
			for _, f := range got {
				b1, err1 := os.ReadFile(filepath.Join(d1, "figures", f))
				b2, err2 := os.ReadFile(filepath.Join(d2, "figures", f))
				if err1 != nil || err2 != nil {
					t.Fatal(err1, err2)
				}
				if !bytes.Equal(b1, b2) {
					t.Errorf("%s differs between two runs", f)
				}
				if len(b1) == 0 {
					t.Errorf("%s is empty", f)
				}
			}
			if _, err := os.Stat(filepath.Join(d1, DeltaCurvesFile)); (err == nil) != tc.delta {
				t.Errorf("%s written: %v, Meta.Delta %v", DeltaCurvesFile, err == nil, tc.delta)
			}
		})
	}
}
