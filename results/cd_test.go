package results

import (
	"bytes"
	"math"
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

func TestCrossDatasetUndefined(t *testing.T) {
	// One dataset: ranks but no test, an explicit sentence, no diagram.
	a := fixture.Table(t, []string{"A", "B", "C"}, [][]float64{{0.8, 0.7, 0.6}})
	c := a.CrossDataset()
	if c.Defined() || !math.IsNaN(c.CD) || slices.ContainsFunc(figureSet(a, analysis.Meta{}), func(f namedFigure) bool { return strings.HasPrefix(f.name, "cd") }) {
		t.Errorf("one dataset: defined %v, CD %v, a CD diagram drawn", c.Defined(), c.CD)
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
	for _, f := range figureSet(fixture.OracleAnalysis(t), fixture.OracleMeta()) {
		if !strings.HasPrefix(f.name, "cd") {
			continue
		}
		b, err := figures.Render(f.fig, "svg")
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte("oracle")) || !bytes.Contains(b, []byte(">margin<")) {
			t.Errorf("%s names the oracle, or not margin", f.name)
		}
	}
}

// TestWriteAllCrossDataset: WriteAll writes friedman.csv, the same bytes as
// its golden, and both diagrams, and the report links the diagrams.
func TestWriteAllCrossDataset(t *testing.T) {
	dir := t.TempDir()
	if err := WriteAll(dir, fixture.Records(t), fixture.Meta); err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct{ file, golden string }{
		{"friedman.csv", "analysis/testdata/friedman.csv.golden"},
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
	for _, f := range []string{"figures/cd.png", "figures/cd-wilcoxon.png", "figures/cd.pdf", "figures/cd-wilcoxon.svg"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	rep, err := os.ReadFile(filepath.Join(dir, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"## Across datasets", "(figures/cd.png)", "(figures/cd-wilcoxon.png)", "CD = 2.343"} {
		if !bytes.Contains(rep, []byte(s)) {
			t.Errorf("report.md lacks %q", s)
		}
	}
}
