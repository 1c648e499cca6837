package stats

import (
	"math"
	"testing"
)

// Reference values marked "scipy" were computed with scipy 1.10.1
// (/usr/bin/python3): scipy.stats.wilcoxon(d, method=...), ttest_rel,
// ttest_1samp and t.interval. Tests never run Python.

func near(a, b, tol float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= tol*math.Max(1, math.Abs(b))
}

func TestSignedRankExact(t *testing.T) {
	for _, tc := range []struct {
		name string
		d    []float64
		w, p float64
	}{
		// Hand: all five positive, R+ = 15 is the single most extreme of the
		// 2⁵ sign patterns on each side, p = 2/32.
		{"n=5 all positive", []float64{1, 2, 3, 4, 5}, 0, 0.0625},
		{"n=5 all negative", []float64{-5, -4, -3, -2, -1}, 0, 0.0625},
		// Hand: n=6 all positive, p = 2/64.
		{"n=6 all positive", []float64{0.1, 0.2, 0.3, 0.4, 0.5, 0.6}, 0, 0.03125},
		// Hand: n=8, R− = 2 reached by {2} or {1}, {} below it: P(R−≤2) =
		// 3/256 → p = 6/256. scipy agrees.
		{"n=8", []float64{1, -2, 3, 4, 5, 6, 7, 8}, 2, 0.0234375},
		// scipy: 0.064453125 = 66/1024; published tables give a two-sided 5%
		// critical value of 8 for n=10, so W=9 is just not significant.
		{"n=10", []float64{1, 2, -3, 4, 5, -6, 7, 8, 9, 10}, 9, 0.064453125},
		{"n=10 alternating", []float64{-1, 2, -3, 4, -5, 6, -7, 8, -9, 10}, 25, 0.845703125},
		// Centre of the distribution: p capped at 1.
		{"n=3 centre", []float64{1, 2, -3}, 3, 1},
	} {
		got := SignedRank(tc.d)
		if !got.Exact || got.N != len(tc.d) {
			t.Errorf("%s: Exact=%v N=%d, want exact with N=%d", tc.name, got.Exact, got.N, len(tc.d))
		}
		if got.W != tc.w || !near(got.P, tc.p, 1e-12) {
			t.Errorf("%s: W=%v p=%v, want W=%v p=%v", tc.name, got.W, got.P, tc.w, tc.p)
		}
	}
}

func TestSignedRankExactCriticalValue(t *testing.T) {
	// Published table (e.g. Wilcoxon, Katti & Wilcox 1963): for n=10 the
	// largest W with two-sided p ≤ 0.05 is 8.
	if p := exactSignedRankP(10, 8); p > 0.05 {
		t.Errorf("n=10, W=8: p=%v, want ≤ 0.05", p)
	}
	if p := exactSignedRankP(10, 9); p <= 0.05 {
		t.Errorf("n=10, W=9: p=%v, want > 0.05", p)
	}
	// n=25 is the largest exact case (scipy method="exact").
	d := make([]float64, 25)
	for i := range d {
		v := float64(i + 1)
		if (i+1)%3 == 0 {
			v = -v
		}
		d[i] = v
	}
	got := SignedRank(d)
	if !got.Exact || got.W != 108 || !near(got.P, 0.14847958087921143, 1e-12) {
		t.Errorf("n=25: %+v, want exact W=108 p=0.14847958087921143", got)
	}
}

func TestSignedRankNormal(t *testing.T) {
	seq := func(n int) []float64 {
		d := make([]float64, n)
		for i := range d {
			v := float64(i + 1)
			if (i+1)%3 == 0 {
				v = -v
			}
			d[i] = v
		}
		return d
	}
	mixed := make([]float64, 30)
	for i := range mixed {
		mixed[i] = float64((i+1)*37%41-13) * 0.1 // a zero and no ties
	}
	for _, tc := range []struct {
		name string
		d    []float64
		n    int
		w, p float64
	}{
		// scipy method="approx", correction=False, zero_method="wilcox".
		{"ties and a zero", []float64{0.5, 1.5, -2.5, 2.5, 3, 0, 4, -4, 5, 6, 7}, 10, 10, 0.07408529075716488},
		{"ties and two zeros", []float64{1, 1, 1, -2, 3, 3, 4, 5, -6, 7, 0, 0}, 10, 13, 0.13812782757447145},
		{"half ranks", []float64{0.01, -0.02, 0.03, 0.03, 0.05, -0.05, 0.07, 0.08}, 8, 7.5, 0.14050554128479997},
		{"n=30 one zero", mixed, 29, 90, 0.005825560579323362},
		{"n=26 no ties", seq(26), 26, 108, 0.08646199403769568},
		{"n=30 no ties", seq(30), 30, 165, 0.1650265656246961},
	} {
		got := SignedRank(tc.d)
		if got.Exact || got.N != tc.n {
			t.Errorf("%s: Exact=%v N=%d, want normal approximation with N=%d", tc.name, got.Exact, got.N, tc.n)
		}
		if got.W != tc.w || !near(got.P, tc.p, 1e-9) {
			t.Errorf("%s: W=%v p=%v, want W=%v p=%v", tc.name, got.W, got.P, tc.w, tc.p)
		}
	}
}

func TestSignedRankDegenerate(t *testing.T) {
	if got := SignedRank(nil); !math.IsNaN(got.P) {
		t.Errorf("empty: p=%v, want NaN", got.P)
	}
	if got := SignedRank([]float64{0, 0, 0}); got.P != 1 || got.N != 0 {
		t.Errorf("all zeros: %+v, want p=1 N=0", got)
	}
	if p := Wilcoxon([]float64{3, 4, 5, 6, 7}, []float64{2, 2, 2, 2, 2}); p != 0.0625 {
		t.Errorf("Wilcoxon(x, y) = %v, want 0.0625", p)
	}
}

func TestRank(t *testing.T) {
	r, ties := Rank([]float64{10, 20, 10, 30, 20, 20})
	want := []float64{1.5, 4, 1.5, 6, 4, 4}
	for i := range want {
		if r[i] != want[i] {
			t.Fatalf("Rank = %v, want %v", r, want)
		}
	}
	if len(ties) != 2 || ties[0] != 2 || ties[1] != 3 {
		t.Errorf("ties = %v, want [2 3]", ties)
	}
}

func TestTTest(t *testing.T) {
	x := []float64{0.81, 0.84, 0.79, 0.88, 0.83}
	y := []float64{0.78, 0.80, 0.80, 0.85, 0.79}
	// scipy.stats.ttest_rel(x, y): statistic 2.803652103289399, p 0.048630233857306214.
	tt, p := TTest(Diff(x, y))
	if !near(tt, 2.803652103289399, 1e-10) || !near(p, 0.048630233857306214, 1e-9) {
		t.Errorf("paired: t=%v p=%v", tt, p)
	}
	if p2 := PairedTTest(x, y); p2 != p {
		t.Errorf("PairedTTest = %v, want %v", p2, p)
	}
	// scipy.stats.ttest_1samp(d, 0): 1.2004900959975622, 0.28371696485863396.
	tt, p = TTest([]float64{0.1, -0.3, 0.25, 0.4, 0.05, 0.2})
	if !near(tt, 1.2004900959975622, 1e-10) || !near(p, 0.28371696485863396, 1e-9) {
		t.Errorf("one-sample: t=%v p=%v", tt, p)
	}
	if _, p := TTest([]float64{1}); !math.IsNaN(p) {
		t.Errorf("n=1: p=%v, want NaN", p)
	}
	if tt, p := TTest([]float64{0.5, 0.5, 0.5}); !math.IsInf(tt, 1) || p != 0 {
		t.Errorf("constant non-zero: t=%v p=%v, want +Inf, 0", tt, p)
	}
	if _, p := TTest([]float64{0, 0, 0}); p != 1 {
		t.Errorf("all zero: p=%v, want 1", p)
	}
}

func TestDescribe(t *testing.T) {
	// scipy: mean 0.83, std(ddof=1) 0.03391164991562632, sem 0.015165750888103091,
	// t.interval(0.95, 4, loc, scale=sem) = (0.7878931251800768, 0.8721068748199229).
	s := Describe([]float64{0.81, 0.84, 0.79, 0.88, 0.83})
	if s.N != 5 || !near(s.Mean, 0.83, 1e-12) || !near(s.Std, 0.03391164991562632, 1e-12) ||
		!near(s.SEM, 0.015165750888103091, 1e-12) ||
		!near(s.CILow, 0.7878931251800768, 1e-10) || !near(s.CIHigh, 0.8721068748199229, 1e-10) {
		t.Errorf("Describe = %+v", s)
	}
	one := Describe([]float64{0.7})
	if one.N != 1 || one.Mean != 0.7 || !math.IsNaN(one.Std) || !math.IsNaN(one.CILow) {
		t.Errorf("n=1: %+v, want mean 0.7 and NaN spread", one)
	}
	if z := Describe(nil); z.N != 0 || !math.IsNaN(z.Mean) {
		t.Errorf("empty: %+v", z)
	}
	c := Describe([]float64{0.5, 0.5, 0.5})
	if c.Std != 0 || c.CILow != 0.5 || c.CIHigh != 0.5 {
		t.Errorf("constant: %+v, want a zero-width interval at 0.5", c)
	}
}

func TestHolm(t *testing.T) {
	// Textbook example (e.g. Wikipedia, "Holm–Bonferroni method"): four
	// hypotheses with p = 0.01, 0.04, 0.03, 0.005. Sorted: 0.005·4 = 0.02,
	// 0.01·3 = 0.03, 0.03·2 = 0.06, 0.04·1 = 0.04 → raised to 0.06 to stay
	// monotone. At α = 0.05 only the first two are rejected.
	got := Holm([]float64{0.01, 0.04, 0.03, 0.005})
	want := []float64{0.03, 0.06, 0.06, 0.02}
	for i := range want {
		if !near(got[i], want[i], 1e-12) {
			t.Fatalf("Holm = %v, want %v", got, want)
		}
	}
	// Capped at 1; NaN stays NaN and is not counted in m.
	// m = 3: 0.01·3 = 0.03, 0.6·2 = 1.2 → 1, 0.7·1 raised to 1.2 → 1.
	got = Holm([]float64{0.6, math.NaN(), 0.7, 0.01})
	if got[0] != 1 || !math.IsNaN(got[1]) || got[2] != 1 || !near(got[3], 0.03, 1e-12) {
		t.Errorf("Holm with NaN = %v, want [1 NaN 1 0.03]", got)
	}
}
