package analysis_test

import (
	"bytes"
	"math"
	"slices"
	"testing"

	"albench/results/analysis"
	"albench/results/internal/fixture"
)

func TestCrossDatasetHand(t *testing.T) {
	a := fixture.Table(t, []string{"A", "B", "C", "D"}, fixture.ByRank(fixture.HandRanks))
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
	c := fixture.Table(t, []string{"A", "B", "C"}, tab).CrossDataset()
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
	c = fixture.Table(t, []string{"A", "B"}, [][]float64{tab[0][:2], tab[1][:2], tab[2][:2], tab[3][:2], tab[4][:2], tab[5][:2]}).CrossDataset()
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
	c := fixture.Table(t, []string{"A", "B", "C"}, tab).CrossDataset()
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

func TestFriedmanGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := analysis.WriteFriedman(&buf, fixture.Analysis(t).CrossDataset()); err != nil {
		t.Fatal(err)
	}
	fixture.CheckGolden(t, "friedman.csv.golden", buf.Bytes())
	// The fixture by hand: ranks (1, 2, 3) and (2, 1, 3), mean ranks 1.5,
	// 1.5, 3; χ² = 12·2/12 · 1.5 = 3, p = e^−1.5; F_F = 3/(4 − 3) = 3.
	c := fixture.Analysis(t).CrossDataset()
	if c.Friedman.Chi2 != 3 || math.Abs(c.Friedman.PChi2-0.22313016014842982) > 1e-15 || math.Abs(c.Friedman.FF-3) > 1e-14 {
		t.Errorf("fixture: %+v", c.Friedman)
	}
}
