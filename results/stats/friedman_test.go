package stats

import (
	"encoding/json"
	"math"
	"os"
	"testing"
)

// TestFriedmanScipy compares Friedman with scipy.stats.friedmanchisquare and
// scipy.stats.f on the tables of testdata/friedman_scipy.json, written once by
// testdata/friedman_scipy.py.
func TestFriedmanScipy(t *testing.T) {
	b, err := os.ReadFile("testdata/friedman_scipy.json")
	if err != nil {
		t.Fatal(err)
	}
	var fx struct {
		Cases []struct {
			Name            string
			Data            [][]float64
			Chi2, P, FF, PF float64
		}
	}
	if err := json.Unmarshal(b, &fx); err != nil {
		t.Fatal(err)
	}
	if len(fx.Cases) != 4 {
		t.Fatalf("%d cases in the fixture, want 4", len(fx.Cases))
	}
	for _, c := range fx.Cases {
		ranks := make([][]float64, len(c.Data))
		for i, row := range c.Data {
			ranks[i], _ = Rank(row)
		}
		r := Friedman(ranks)
		if r.N != len(c.Data) || r.K != len(c.Data[0]) {
			t.Errorf("%s: N=%d K=%d", c.Name, r.N, r.K)
		}
		for _, v := range []struct {
			what      string
			got, want float64
		}{{"chi2", r.Chi2, c.Chi2}, {"p", r.PChi2, c.P}, {"F_F", r.FF, c.FF}, {"p_F", r.PF, c.PF}} {
			if !near(v.got, v.want, 1e-10) {
				t.Errorf("%s: %s = %.17g, scipy %.17g", c.Name, v.what, v.got, v.want)
			}
		}
	}
}

// TestFriedmanHand checks the statistic on tables small enough to do by hand.
func TestFriedmanHand(t *testing.T) {
	// Two blocks that agree completely on three treatments: mean ranks 1, 2, 3,
	// Σ(R−2)² = 2, χ² = 12·2/(3·4)·2 = 4 = N(k−1), so F_F is infinite.
	r := Friedman([][]float64{{1, 2, 3}, {1, 2, 3}})
	if r.Chi2 != 4 || !near(r.PChi2, math.Exp(-2), 1e-12) || !math.IsInf(r.FF, 1) || r.PF != 0 {
		t.Errorf("agreement: %+v", r)
	}
	if r.DF1 != 2 || r.DF2 != 2 {
		t.Errorf("agreement: df %v, %v; want 2, 2", r.DF1, r.DF2)
	}
	// Ties: {1.5, 1.5, 3} and {1, 2, 3}: mean ranks 1.25, 1.75, 3,
	// Σ(R−2)² = 0.5625 + 0.0625 + 1 = 1.625, uncorrected χ² = 2·1.625 = 3.25;
	// one pair tied: C = 1 − 6/(2·3·8) = 0.875, χ² = 3.25/0.875 = 26/7.
	r = Friedman([][]float64{{1.5, 1.5, 3}, {1, 2, 3}})
	if !near(r.Chi2, 26.0/7, 1e-14) {
		t.Errorf("ties: χ² = %v, want 26/7", r.Chi2)
	}
	if want := []float64{1.25, 1.75, 3}; !equalFloats(r.MeanRanks, want) {
		t.Errorf("ties: mean ranks %v, want %v", r.MeanRanks, want)
	}
	// F_F = (N−1)χ²/(N(k−1) − χ²) = (26/7)/(4 − 26/7) = 13.
	if !near(r.FF, 13, 1e-12) {
		t.Errorf("ties: F_F = %v, want 13", r.FF)
	}
	// Every block ties everything: no evidence.
	r = Friedman([][]float64{{2, 2, 2}, {2, 2, 2}})
	if r.Chi2 != 0 || r.PChi2 != 1 || r.FF != 0 || r.PF != 1 {
		t.Errorf("all tied: %+v", r)
	}
	// One block, or one treatment: undefined, but the mean ranks are there.
	r = Friedman([][]float64{{1, 2, 3}})
	if !math.IsNaN(r.Chi2) || !math.IsNaN(r.PChi2) || !math.IsNaN(r.FF) || !equalFloats(r.MeanRanks, []float64{1, 2, 3}) {
		t.Errorf("one block: %+v", r)
	}
	r = Friedman([][]float64{{1}, {1}})
	if !math.IsNaN(r.Chi2) || r.K != 1 {
		t.Errorf("one treatment: %+v", r)
	}
	if r := Friedman(nil); r.N != 0 || !math.IsNaN(r.Chi2) || r.MeanRanks != nil {
		t.Errorf("no blocks: %+v", r)
	}
}

func equalFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestFriedmanDemsar checks Demšar's (2006) worked example, §3.2.4: four
// variants of C4.5 on fourteen data sets with mean ranks 3.143, 2.000, 2.893
// and 1.964 give χ²_F = 9.28 (his eq. 2, without the tie correction),
// F_F = 3.69 and, with q_0.05 = 2.569, CD = 1.25.
func TestFriedmanDemsar(t *testing.T) {
	// Fourteen blocks whose columns sum to 44, 28, 40.5 and 27.5: the published
	// means are these over 14, rounded. One block has a tie.
	var ranks [][]float64
	for range 4 {
		ranks = append(ranks, []float64{1, 2, 3, 4})
	}
	ranks = append(ranks, []float64{4, 1, 2.5, 2.5}, []float64{4, 3, 2, 1})
	for range 8 {
		ranks = append(ranks, []float64{4, 2, 3, 1})
	}
	r := Friedman(ranks)
	want := []float64{44.0 / 14, 28.0 / 14, 40.5 / 14, 27.5 / 14}
	for j := range want {
		if math.Abs(r.MeanRanks[j]-want[j]) > 1e-12 {
			t.Fatalf("mean ranks %v, want %v", r.MeanRanks, want)
		}
	}
	// One pair tied: C = 1 − 6/(14·4·15) = 1 − 1/140.
	if !near(r.TieCorrection, 139.0/140, 1e-15) {
		t.Errorf("tie correction %v, want 139/140", r.TieCorrection)
	}
	// 12·14/20 · Σ(R − 2.5)² = 8.4 · 433/392 (by hand, in 14ths).
	if raw := r.Chi2 * r.TieCorrection; !near(raw, 8.4*433/392, 1e-13) || math.Abs(raw-9.28) > 0.005 {
		t.Errorf("uncorrected χ²_F = %.5f, want 8.4·433/392 ≈ 9.2786; Demšar reports 9.28", raw)
	}
	if ff, _ := ImanDavenport(9.28, 14, 4); math.Abs(ff-3.69) > 0.005 {
		t.Errorf("F_F(9.28) = %.4f, Demšar reports 3.69", ff)
	}
	if cd := NemenyiCD(4, 14, 0.05); math.Abs(cd-1.25) > 0.005 {
		t.Errorf("CD = %v, Demšar reports 1.25", cd)
	}
}

// TestNemenyiQ checks q_α: Demšar's Table 5 where it applies, and the
// studentized-range computation against it (k ≤ 10) and against published
// values beyond it (q_0.95(k, ∞)/√2 for k = 11, 12, 15, 20: 4.552, 4.622,
// 4.796, 5.012 in Harter's (1960) table, over √2).
func TestNemenyiQ(t *testing.T) {
	if q := NemenyiQ(4, 0.05); q != 2.569 {
		t.Errorf("q_0.05(4) = %v, want Demšar's 2.569", q)
	}
	if q := NemenyiQ(10, 0.10); q != 2.920 {
		t.Errorf("q_0.10(10) = %v, want Demšar's 2.920", q)
	}
	for alpha, tab := range nemenyiTable {
		for i, want := range tab {
			k := i + 2
			// The table is not rounded consistently (k=3: 2.3437 printed as
			// 2.343, k=7: 2.9483 as 2.949), hence 0.001.
			if got := StudentizedRangeQuantile(1-alpha, k) / math.Sqrt2; math.Abs(got-want) > 0.001 {
				t.Errorf("α=%v k=%d: computed %.5f, table %.3f", alpha, k, got, want)
			}
		}
	}
	for _, c := range []struct {
		k int
		q float64
	}{{11, 4.552}, {12, 4.622}, {15, 4.796}, {20, 5.012}} {
		if got := NemenyiQ(c.k, 0.05); math.Abs(got-c.q/math.Sqrt2) > 0.0006 {
			t.Errorf("k=%d: q = %.5f, want %.3f/√2 = %.4f", c.k, got, c.q, c.q/math.Sqrt2)
		}
	}
	// k = 2: the range of two normals is |Z₁ − Z₂| = √2|Z|, so q/√2 is z_0.975.
	if got := StudentizedRangeQuantile(0.95, 2) / math.Sqrt2; math.Abs(got-1.959963985) > 1e-7 {
		t.Errorf("k=2: %.9f, want 1.959963985", got)
	}
	for _, bad := range []float64{NemenyiQ(1, 0.05), NemenyiQ(3, 0), NemenyiQ(3, 1), NemenyiCD(3, 0, 0.05)} {
		if !math.IsNaN(bad) {
			t.Errorf("undefined q or CD = %v, want NaN", bad)
		}
	}
}

// TestFriedmanInvariance: reversing every block's ranks (k+1−r, best becomes
// worst) or reordering the treatments or the blocks leaves χ²_F unchanged.
func TestFriedmanInvariance(t *testing.T) {
	ranks := [][]float64{{1, 2, 3, 4}, {2, 1, 4, 3}, {1.5, 1.5, 3, 4}, {4, 3, 2, 1}, {1, 3, 2, 4}}
	base := Friedman(ranks)
	rev := make([][]float64, len(ranks))
	perm := make([][]float64, len(ranks))
	for i, row := range ranks {
		rev[len(ranks)-1-i] = make([]float64, len(row))
		perm[i] = []float64{row[2], row[0], row[3], row[1]}
		for j, v := range row {
			rev[len(ranks)-1-i][j] = 5 - v
		}
	}
	for name, r := range map[string]FriedmanResult{"reversed": Friedman(rev), "permuted": Friedman(perm)} {
		if !near(r.Chi2, base.Chi2, 1e-14) || !near(r.FF, base.FF, 1e-13) || r.TieCorrection != base.TieCorrection {
			t.Errorf("%s: χ² %v F %v C %v; want %v %v %v", name, r.Chi2, r.FF, r.TieCorrection, base.Chi2, base.FF, base.TieCorrection)
		}
	}
	if p := Friedman(perm).MeanRanks; p[0] != base.MeanRanks[2] || p[1] != base.MeanRanks[0] {
		t.Errorf("permuted mean ranks %v from %v", p, base.MeanRanks)
	}
}
