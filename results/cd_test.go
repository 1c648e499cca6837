package results

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"albench/results/analysis"
	"albench/results/internal/fixture"
	"albench/results/report"
)

func TestCrossDatasetUndefined(t *testing.T) {
	// One dataset: ranks but no test, an explicit sentence, no diagram.
	a := fixture.Table(t, []string{"A", "B", "C"}, [][]float64{{0.8, 0.7, 0.6}})
	c := a.CrossDataset()
	if c.Defined() || !math.IsNaN(c.CD) || len((plotted{a}).cdFigures()) != 0 {
		t.Errorf("one dataset: defined %v, CD %v, %d figures", c.Defined(), c.CD, len((plotted{a}).cdFigures()))
	}
	var buf bytes.Buffer
	if err := analysis.WriteFriedman(&buf, c); err != nil {
		t.Fatal(err)
	}
	if want := strings.Join(analysis.FriedmanHeader, ",") + "\n1,3,,,,,,,,,,,0.050000\n"; buf.String() != want {
		t.Errorf("friedman.csv:\n%s\nwant\n%s", buf.String(), want)
	}
	buf.Reset()
	if err := report.WriteReport(&buf, a, analysis.Meta{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "The Friedman test needs two or more datasets; with 1 it is undefined") ||
		strings.Contains(buf.String(), "figures/cd") {
		t.Errorf("one-dataset report lacks the sentence or links a diagram:\n%s", buf.String())
	}
	// One strategy.
	a = fixture.Table(t, []string{"A"}, [][]float64{{0.8}, {0.7}})
	buf.Reset()
	if err := report.WriteReport(&buf, a, analysis.Meta{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "With one strategy there is nothing to compare") {
		t.Errorf("one-strategy report lacks its sentence")
	}
	// A strategy missing on a dataset: that dataset is not a block.
	a = fixture.Table(t, []string{"A", "B", "C"}, [][]float64{{0.8, 0.7, 0.6}, {0.8, math.NaN(), 0.6}, {0.6, 0.7, 0.8}})
	c = a.CrossDataset()
	if !slices.Equal(c.Datasets, []string{"d01", "d03"}) || !slices.Equal(c.Skipped, []string{"d02"}) {
		t.Errorf("blocks %v, skipped %v", c.Datasets, c.Skipped)
	}
	if want := []float64{2, 2, 2}; !slices.Equal(c.MeanRanks, want) {
		t.Errorf("mean ranks over the blocks %v, want %v", c.MeanRanks, want)
	}
}

// TestCrossDatasetOracle: an oracle changes nothing across datasets.
func TestCrossDatasetOracle(t *testing.T) {
	c, o := fixture.Analysis(t).CrossDataset(), fixture.OracleAnalysis(t).CrossDataset()
	if !slices.Equal(o.Strategies, c.Strategies) || !slices.Equal(o.MeanRanks, c.MeanRanks) ||
		o.Friedman.Chi2 != c.Friedman.Chi2 || o.CD != c.CD || !slices.Equal(o.Nemenyi, c.Nemenyi) {
		t.Errorf("with an oracle %+v, without %+v", o, c)
	}
	for _, f := range (plotted{fixture.OracleAnalysis(t)}).cdFigures() {
		b, err := render(f, "svg")
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte("oracle")) {
			t.Errorf("%s names the oracle", f.name)
		}
	}
}

// TestCDFigures checks the diagrams' SVGs byte for byte: the fixture's, the
// hand case's and the fixture.Twelve-strategy one's; the fixture's PNGs by SHA-256
// (unfused builds, as in TestFigures).
func TestCDFigures(t *testing.T) {
	names, tab := fixture.Twelve()
	cases := []struct {
		prefix string
		a      *analysis.Analysis
	}{
		{"", fixture.Analysis(t)},
		{"hand_", fixture.Table(t, []string{"A", "B", "C", "D"}, fixture.ByRank(fixture.HandRanks))},
		{"twelve_", fixture.Table(t, names, tab)},
	}
	var sums strings.Builder
	for _, tc := range cases {
		figs := (plotted{tc.a}).cdFigures()
		if len(figs) != 2 || figs[0].name != "cd" || figs[1].name != "cd_wilcoxon" {
			t.Fatalf("%sfigures %v", tc.prefix, figs)
		}
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
					t.Errorf("%s%s.%s: two renders differ", tc.prefix, f.name, format)
				}
				switch {
				case format == "svg":
					fixture.CheckGolden(t, filepath.Join("figures", tc.prefix+f.name+".svg.golden"), b1)
				case tc.prefix == "":
					fmt.Fprintf(&sums, "%x  %s.%s\n", sha256.Sum256(b1), f.name, format)
				}
			}
		}
	}
	if !compilerFuses {
		fixture.CheckGolden(t, filepath.Join("figures", "cd_png.sha256.golden"), []byte(sums.String()))
	}
}

// TestWriteAllCrossDataset: WriteAll writes friedman.csv and both diagrams,
// the same bytes as their goldens, and the report links the diagrams.
func TestWriteAllCrossDataset(t *testing.T) {
	dir := t.TempDir()
	if err := WriteAll(dir, fixture.Records(t), fixture.Meta); err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct{ file, golden string }{
		{"friedman.csv", "analysis/testdata/friedman.csv.golden"},
		{"figures/cd.svg", "testdata/figures/cd.svg.golden"},
		{"figures/cd_wilcoxon.svg", "testdata/figures/cd_wilcoxon.svg.golden"},
	} {
		got, err := os.ReadFile(filepath.Join(dir, f.file))
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(f.golden)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s", f.file, f.golden)
		}
	}
	for _, f := range []string{"figures/cd.png", "figures/cd_wilcoxon.png"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	rep, err := os.ReadFile(filepath.Join(dir, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"## Across datasets", "(figures/cd.png)", "(figures/cd_wilcoxon.png)", "CD = 2.343"} {
		if !bytes.Contains(rep, []byte(s)) {
			t.Errorf("report.md lacks %q", s)
		}
	}
}
