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
)

// tableAnalysis analyses one seed per (dataset, strategy) whose accuracy is
// aulc[d][s] at both of two rounds, so that its AULC is exactly that value.
// NaN leaves the strategy out on that dataset.
func tableAnalysis(t *testing.T, strategies []string, aulc [][]float64) *Analysis {
	t.Helper()
	var recs []Record
	var datasets []string
	for d, row := range aulc {
		ds := fmt.Sprintf("d%02d", d+1)
		datasets = append(datasets, ds)
		for s, v := range row {
			if !math.IsNaN(v) {
				recs = append(recs, curveRecs(ds, strategies[s], 0, v, v)...)
			}
		}
	}
	a, err := Analyze(recs, Meta{Strategies: strategies, Datasets: datasets, Baseline: strategies[0]})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// byRank turns per-dataset ranks (1 = best) into AULCs that give them, with
// a dataset offset so that the datasets differ.
func byRank(ranks [][]float64) [][]float64 {
	out := make([][]float64, len(ranks))
	for d, row := range ranks {
		out[d] = make([]float64, len(row))
		for s, r := range row {
			out[d][s] = 0.9 - float64(0.05*r) - float64(0.01*float64(d))
		}
	}
	return out
}

func TestCliques(t *testing.T) {
	nemenyi := func(ranks []float64, cd float64) [][2]int {
		return cliques(len(ranks), func(p, q int) bool { return math.Abs(ranks[p]-ranks[q]) < cd })
	}
	for _, c := range []struct {
		ranks []float64
		cd    float64
		want  [][2]int
	}{
		// From 1.0 only 1.2 is within 1.0; 1.2 reaches nothing new; 2.5 and
		// 3.3 are 0.8 apart.
		{[]float64{1.0, 1.2, 2.5, 3.3}, 1.0, [][2]int{{0, 1}, {2, 3}}},
		// 1.0–1.9 (0.9), then 1.5 reaches no further (2.8 − 1.5 = 1.3) and
		// is inside; 1.9–2.8, 2.8–3.0 (3.0 − 1.9 = 1.1 breaks the first).
		{[]float64{1.0, 1.5, 1.9, 2.8, 3.0}, 1.0, [][2]int{{0, 2}, {2, 3}, {3, 4}}},
		// A difference of exactly CD is significant (Demšar: "at least").
		{[]float64{1, 2, 3}, 1, nil},
		// Ties: one group.
		{[]float64{2, 2, 2}, 0.5, [][2]int{{0, 2}}},
		{[]float64{1, 4}, 10, [][2]int{{0, 1}}},
		{[]float64{1}, 10, nil},
	} {
		if got := nemenyi(c.ranks, c.cd); !slices.Equal(got, c.want) {
			t.Errorf("ranks %v, CD %v: cliques %v, want %v", c.ranks, c.cd, got, c.want)
		}
	}
	// Not an interval relation (Wilcoxon–Holm): 0~1, 1~2, 2~3, 1~3 but not
	// 0~2: the run from 0 stops at 1, that from 1 reaches 3.
	sameSet := map[[2]int]bool{{0, 1}: true, {1, 2}: true, {2, 3}: true, {1, 3}: true}
	got := cliques(4, func(p, q int) bool { return sameSet[[2]int{p, q}] })
	if want := [][2]int{{0, 1}, {1, 3}}; !slices.Equal(got, want) {
		t.Errorf("non-interval cliques %v, want %v", got, want)
	}
}

// The hand case of TestCrossDatasetHand: four strategies ranked on five
// datasets, mean ranks 1.2, 2, 3, 3.8.
var handRanks = [][]float64{
	{1, 2, 3, 4},
	{1, 3, 2, 4},
	{2, 1, 3, 4},
	{1, 2, 3, 4},
	{1, 2, 4, 3},
}

func TestCrossDatasetHand(t *testing.T) {
	a := tableAnalysis(t, []string{"A", "B", "C", "D"}, byRank(handRanks))
	c := a.CrossDataset()
	if !c.Defined() || len(c.Datasets) != 5 || len(c.Skipped) != 0 {
		t.Fatalf("datasets %v, skipped %v", c.Datasets, c.Skipped)
	}
	if want := []float64{1.2, 2, 3, 3.8}; !slices.EqualFunc(c.MeanRanks, want, func(x, y float64) bool { return math.Abs(x-y) < 1e-15 }) {
		t.Errorf("mean ranks %v, want %v", c.MeanRanks, want)
	}
	// Σ(R − 2.5)² = 1.69 + 0.25 + 0.25 + 1.69 = 3.88; χ² = 12·5/20 · 3.88 =
	// 11.64; F_F = 4 · 11.64 / (15 − 11.64) = 97/7.
	if math.Abs(c.Friedman.Chi2-11.64) > 1e-12 || math.Abs(c.Friedman.FF-97.0/7) > 1e-12 {
		t.Errorf("χ² = %v, F_F = %v; want 11.64, 97/7", c.Friedman.Chi2, c.Friedman.FF)
	}
	// CD = 2.569 · √(20/30).
	if want := 2.569 * math.Sqrt(20.0/30); math.Abs(c.CD-want) > 1e-12 || c.Q != 2.569 {
		t.Errorf("CD = %v (q %v), want %v", c.CD, c.Q, want)
	}
	// CD ≈ 2.098: A (1.2) reaches C (3.0) not D (3.8); B (2) reaches D.
	if want := [][2]int{{0, 2}, {1, 3}}; !slices.Equal(c.Nemenyi, want) {
		t.Errorf("Nemenyi cliques %v, want %v", c.Nemenyi, want)
	}
	// Five datasets: no Wilcoxon p below 2/32 = 0.0625, one group.
	if want := [][2]int{{0, 3}}; !slices.Equal(c.WilcoxonHolm, want) {
		t.Errorf("Wilcoxon–Holm cliques %v, want %v", c.WilcoxonHolm, want)
	}
	// The mean ranks are ranks.csv's.
	for i, r := range a.Ranks {
		if r.MeanRank != c.MeanRanks[i] {
			t.Errorf("%s: mean rank %v, ranks.csv %v", r.Strategy, c.MeanRanks[i], r.MeanRank)
		}
	}
}

// TestCrossDatasetWilcoxon: three strategies in the same order on six
// datasets, by distinct margins. Every pair's exact Wilcoxon p is 2/64;
// Holm over the three pairs makes them all 3/32 > 0.05, so Wilcoxon–Holm
// joins all three, while Nemenyi (ranks 1, 2, 3; CD = 2.343·√(12/36) ≈ 1.353)
// separates the first from the last.
func TestCrossDatasetWilcoxon(t *testing.T) {
	var tab [][]float64
	for d := range 6 {
		m := float64(d+1) / 100
		tab = append(tab, []float64{0.8, 0.8 - m, 0.8 - float64(3*m)})
	}
	c := tableAnalysis(t, []string{"A", "B", "C"}, tab).CrossDataset()
	if want := [][2]int{{0, 1}, {1, 2}}; !slices.Equal(c.Nemenyi, want) {
		t.Errorf("Nemenyi cliques %v, want %v", c.Nemenyi, want)
	}
	if want := [][2]int{{0, 2}}; !slices.Equal(c.WilcoxonHolm, want) {
		t.Errorf("Wilcoxon–Holm cliques %v, want %v", c.WilcoxonHolm, want)
	}
	for i := range 3 {
		for j := range 3 {
			if i != j && math.Abs(c.PHolm[i][j]-3.0/32) > 1e-15 {
				t.Errorf("PHolm[%d][%d] = %v, want 3/32", i, j, c.PHolm[i][j])
			}
		}
	}
	// Two strategies on the same six datasets: p = 1/32 < 0.05 and the
	// ranks differ by 1 ≥ CD = 1.96·√(6/36) = 0.8: no group either way.
	c = tableAnalysis(t, []string{"A", "B"}, [][]float64{tab[0][:2], tab[1][:2], tab[2][:2], tab[3][:2], tab[4][:2], tab[5][:2]}).CrossDataset()
	if len(c.Nemenyi) != 0 || len(c.WilcoxonHolm) != 0 || c.PHolm[0][1] != 1.0/32 {
		t.Errorf("two strategies: Nemenyi %v, Wilcoxon %v, p %v", c.Nemenyi, c.WilcoxonHolm, c.PHolm[0][1])
	}
}

// TestCrossDatasetTies: equal AULCs share a rank, equal mean ranks keep the
// display order, and the tie correction applies.
func TestCrossDatasetTies(t *testing.T) {
	tab := [][]float64{
		{0.8, 0.8, 0.7}, // B ties A: 1.5, 1.5, 3
		{0.7, 0.8, 0.6}, // 2, 1, 3
		{0.8, 0.7, 0.6}, // 1, 2, 3
	}
	c := tableAnalysis(t, []string{"A", "B", "C"}, tab).CrossDataset()
	if want := []float64{1.5, 1.5, 3}; !slices.Equal(c.MeanRanks, want) {
		t.Errorf("mean ranks %v, want %v", c.MeanRanks, want)
	}
	if want := []int{0, 1, 2}; !slices.Equal(c.Order, want) {
		t.Errorf("order %v, want %v", c.Order, want)
	}
	// One pair tied in one of three blocks: C = 1 − 6/(3·3·8) = 11/12;
	// uncorrected χ² = 12·3/12 · (0.25 + 0.25 + 1) = 4.5, corrected 54/11.
	if math.Abs(c.Friedman.TieCorrection-11.0/12) > 1e-15 || math.Abs(c.Friedman.Chi2-54.0/11) > 1e-13 {
		t.Errorf("C = %v, χ² = %v; want 11/12, 54/11", c.Friedman.TieCorrection, c.Friedman.Chi2)
	}
}

func TestCrossDatasetUndefined(t *testing.T) {
	// One dataset: ranks but no test, an explicit sentence, no diagram.
	a := tableAnalysis(t, []string{"A", "B", "C"}, [][]float64{{0.8, 0.7, 0.6}})
	c := a.CrossDataset()
	if c.Defined() || !math.IsNaN(c.CD) || len(a.cdFigures()) != 0 {
		t.Errorf("one dataset: defined %v, CD %v, %d figures", c.Defined(), c.CD, len(a.cdFigures()))
	}
	var buf bytes.Buffer
	if err := WriteFriedman(&buf, c); err != nil {
		t.Fatal(err)
	}
	if want := strings.Join(FriedmanHeader, ",") + "\n1,3,,,,,,,,,,,0.050000\n"; buf.String() != want {
		t.Errorf("friedman.csv:\n%s\nwant\n%s", buf.String(), want)
	}
	buf.Reset()
	if err := WriteReport(&buf, a, Meta{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "The Friedman test needs two or more datasets; with 1 it is undefined") ||
		strings.Contains(buf.String(), "figures/cd") {
		t.Errorf("one-dataset report lacks the sentence or links a diagram:\n%s", buf.String())
	}
	// One strategy.
	a = tableAnalysis(t, []string{"A"}, [][]float64{{0.8}, {0.7}})
	buf.Reset()
	if err := WriteReport(&buf, a, Meta{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "With one strategy there is nothing to compare") {
		t.Errorf("one-strategy report lacks its sentence")
	}
	// A strategy missing on a dataset: that dataset is not a block.
	a = tableAnalysis(t, []string{"A", "B", "C"}, [][]float64{{0.8, 0.7, 0.6}, {0.8, math.NaN(), 0.6}, {0.6, 0.7, 0.8}})
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
	c, o := fixtureAnalysis(t).CrossDataset(), oracleAnalysis(t).CrossDataset()
	if !slices.Equal(o.Strategies, c.Strategies) || !slices.Equal(o.MeanRanks, c.MeanRanks) ||
		o.Friedman.Chi2 != c.Friedman.Chi2 || o.CD != c.CD || !slices.Equal(o.Nemenyi, c.Nemenyi) {
		t.Errorf("with an oracle %+v, without %+v", o, c)
	}
	for _, f := range oracleAnalysis(t).cdFigures() {
		b, err := render(f, "svg")
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte("oracle")) {
			t.Errorf("%s names the oracle", f.name)
		}
	}
}

// twelve is a 12-strategy, 10-dataset table with long names, for the
// diagram's layout at its widest.
func twelve() ([]string, [][]float64) {
	names := []string{"random", "margin", "entropy", "least-confident", "coreset", "badge",
		"bald", "kcenter-greedy", "density-weighted", "qbc-vote-entropy", "expected-error", "typiclust"}
	var tab [][]float64
	for d := range 10 {
		row := make([]float64, len(names))
		for s := range names {
			q := []float64{0, 5, 4, 4, 2, 6, 3, 2, 1, 5, 3, 6}[s]
			row[s] = 0.7 + float64(0.004*q) + float64(((7*d+3*s)%11))/1000
		}
		tab = append(tab, row)
	}
	return names, tab
}

// TestCDFigures checks the diagrams' SVGs byte for byte: the fixture's, the
// hand case's and the twelve-strategy one's; the fixture's PNGs by SHA-256
// (unfused builds, as in TestFigures).
func TestCDFigures(t *testing.T) {
	names, tab := twelve()
	cases := []struct {
		prefix string
		a      *Analysis
	}{
		{"", fixtureAnalysis(t)},
		{"hand_", tableAnalysis(t, []string{"A", "B", "C", "D"}, byRank(handRanks))},
		{"twelve_", tableAnalysis(t, names, tab)},
	}
	var sums strings.Builder
	for _, tc := range cases {
		figs := tc.a.cdFigures()
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
					checkGolden(t, filepath.Join("figures", tc.prefix+f.name+".svg.golden"), b1)
				case tc.prefix == "":
					fmt.Fprintf(&sums, "%x  %s.%s\n", sha256.Sum256(b1), f.name, format)
				}
			}
		}
	}
	if !compilerFuses {
		checkGolden(t, filepath.Join("figures", "cd_png.sha256.golden"), []byte(sums.String()))
	}
}

func TestFriedmanGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteFriedman(&buf, fixtureAnalysis(t).CrossDataset()); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "friedman.csv.golden", buf.Bytes())
	// The fixture by hand: ranks (1, 2, 3) and (2, 1, 3), mean ranks 1.5,
	// 1.5, 3; χ² = 12·2/12 · 1.5 = 3, p = e^−1.5; F_F = 3/(4 − 3) = 3.
	c := fixtureAnalysis(t).CrossDataset()
	if c.Friedman.Chi2 != 3 || math.Abs(c.Friedman.PChi2-0.22313016014842982) > 1e-15 || math.Abs(c.Friedman.FF-3) > 1e-14 {
		t.Errorf("fixture: %+v", c.Friedman)
	}
}

// TestWriteAllCrossDataset: WriteAll writes friedman.csv and both diagrams,
// the same bytes as their goldens, and the report links the diagrams.
func TestWriteAllCrossDataset(t *testing.T) {
	dir := t.TempDir()
	if err := WriteAll(dir, readFixture(t), fixtureMeta); err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct{ file, golden string }{
		{"friedman.csv", "friedman.csv.golden"},
		{"figures/cd.svg", "figures/cd.svg.golden"},
		{"figures/cd_wilcoxon.svg", "figures/cd_wilcoxon.svg.golden"},
	} {
		got, err := os.ReadFile(filepath.Join(dir, f.file))
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join("testdata", f.golden))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from testdata/%s", f.file, f.golden)
		}
	}
	for _, f := range []string{"figures/cd.png", "figures/cd_wilcoxon.png"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	report, err := os.ReadFile(filepath.Join(dir, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"## Across datasets", "(figures/cd.png)", "(figures/cd_wilcoxon.png)", "CD = 2.343"} {
		if !bytes.Contains(report, []byte(s)) {
			t.Errorf("report.md lacks %q", s)
		}
	}
}
