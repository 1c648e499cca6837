package stats

import (
	"encoding/json"
	"math"
	"os"
	"testing"
)

type powerFixture struct {
	Power []struct {
		D     float64
		N     int
		Power float64
	}
	Seeds []struct {
		D float64
		N int
	}
	Wilcoxon []struct {
		X, Y            []float64
		RawDistinct     int `json:"raw_distinct"`
		RoundedDistinct int `json:"rounded_distinct"`
		P, W            float64
	}
}

func readPowerFixture(t *testing.T) powerFixture {
	t.Helper()
	b, err := os.ReadFile("testdata/power_scipy.json")
	if err != nil {
		t.Fatal(err)
	}
	var f powerFixture
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	return f
}

// TestPowerScipy: the paired t-test's power and the seeds it needs for 80%
// power equal scipy.stats.nct's (testdata/power_scipy.py).
func TestPowerScipy(t *testing.T) {
	f := readPowerFixture(t)
	for _, c := range f.Power {
		if got := PairedTPower(c.D, c.N, 0.05); math.Abs(got-c.Power) > 3e-9 {
			t.Errorf("PairedTPower(d=%v, n=%d) = %.12f, scipy %.12f", c.D, c.N, got, c.Power)
		}
	}
	for _, c := range f.Seeds {
		if got, ok := SeedsFor(c.D, 0.05, PowerTarget); !ok || got != c.N {
			t.Errorf("SeedsFor(%v) = %d, %v; scipy %d", c.D, got, ok, c.N)
		}
	}
}

// TestSeedsForEdges: no effect needs no finite number of seeds; a constant
// non-zero difference is detected with two; power grows with n.
func TestSeedsForEdges(t *testing.T) {
	if _, ok := SeedsFor(0, 0.05, PowerTarget); ok {
		t.Error("d = 0 has a finite seed count")
	}
	if _, ok := SeedsFor(1e-4, 0.05, PowerTarget); ok {
		t.Error("d = 1e-4 needs fewer than MaxSeeds seeds")
	}
	if n, ok := SeedsFor(math.Inf(1), 0.05, PowerTarget); !ok || n != 2 {
		t.Errorf("d = +Inf: %d, %v", n, ok)
	}
	prev := 0.0
	for n := 2; n <= 40; n++ {
		p := PairedTPower(0.5, n, 0.05)
		if p <= prev || p >= 1 {
			t.Fatalf("power at n=%d is %v after %v", n, p, prev)
		}
		prev = p
	}
	// With d = 0 the test rejects at its level.
	if p := PairedTPower(0, 10, 0.05); math.Abs(p-0.05) > 1e-9 {
		t.Errorf("power at d = 0 is %v, want alpha", p)
	}
	if d := EffectSize([]float64{1, 2, 3}); d != 2 {
		t.Errorf("EffectSize = %v, want mean 2 / sd 1", d)
	}
}

// TestSignedRankRoundedTiesScipy: differences of 6-decimal accuracies that
// are equal to that precision but not in their last bits tie once rounded, and
// the test then equals scipy's on the rounded differences.
func TestSignedRankRoundedTiesScipy(t *testing.T) {
	f := readPowerFixture(t)
	for i, c := range f.Wilcoxon {
		raw := Diff(c.X, c.Y)
		if n := distinctAbs(raw); n != c.RawDistinct || n <= c.RoundedDistinct {
			t.Fatalf("case %d: %d distinct raw |d| (scipy %d, rounded %d): the case does not test rounding", i, n, c.RawDistinct, c.RoundedDistinct)
		}
		d := RoundTo(Diff(c.X, c.Y), 6)
		if n := distinctAbs(d); n != c.RoundedDistinct {
			t.Errorf("case %d: %d distinct rounded |d|, scipy %d", i, n, c.RoundedDistinct)
		}
		r := SignedRank(d)
		if math.Abs(r.P-c.P) > 1e-12 || r.W != c.W {
			t.Errorf("case %d: W = %v, p = %v; scipy W = %v, p = %v", i, r.W, r.P, c.W, c.P)
		}
	}
}

func distinctAbs(d []float64) int {
	seen := map[float64]bool{}
	for _, v := range d {
		if v != 0 {
			seen[math.Abs(v)] = true
		}
	}
	return len(seen)
}

// TestMinSignedRankP: five differences of one sign give the exact test's
// smallest p, 2/32, and no five differences give less.
func TestMinSignedRankP(t *testing.T) {
	if got := SignedRank([]float64{0.01, 0.02, 0.03, 0.04, 0.05}).P; got != MinSignedRankP(5) || got != 0.0625 {
		t.Errorf("all-positive p = %v, MinSignedRankP(5) = %v, want 0.0625", got, MinSignedRankP(5))
	}
	for mask := 0; mask < 32; mask++ {
		d := []float64{0.01, 0.02, 0.03, 0.04, 0.05}
		for i := range d {
			if mask&(1<<i) != 0 {
				d[i] = -d[i]
			}
		}
		if p := SignedRank(d).P; p < MinSignedRankP(5) {
			t.Fatalf("signs %05b: p = %v below the minimum", mask, p)
		}
	}
	if MinSignedRankP(0) != 1 || MinSignedRankP(1) != 1 || MinSignedRankP(10) != 2.0/1024 {
		t.Error("MinSignedRankP at 0, 1, 10")
	}
}

// TestAddPenalties: three strategies on five seeds; a beats b by a varying
// margin (significant), b and c are indistinguishable, a beats c; the weight
// is added once per winning pair, never to the loser.
func TestAddPenalties(t *testing.T) {
	acc := [][]float64{
		{0.90, 0.92, 0.91, 0.93, 0.90}, // a
		{0.80, 0.83, 0.81, 0.82, 0.80}, // b
		{0.81, 0.82, 0.80, 0.83, 0.80}, // c
	}
	p := [][]float64{make([]float64, 3), make([]float64, 3), make([]float64, 3)}
	AddPenalties(p, acc, 0.25, 0.05, true)
	want := [][]float64{{0, 0.25, 0.25}, {0, 0, 0}, {0, 0, 0}}
	for i := range want {
		for j := range want[i] {
			if p[i][j] != want[i][j] {
				t.Errorf("p[%d][%d] = %v, want %v", i, j, p[i][j], want[i][j])
			}
		}
	}
	// Lower is better (log-loss): the roles swap.
	p = [][]float64{make([]float64, 3), make([]float64, 3), make([]float64, 3)}
	AddPenalties(p, acc, 1, 0.05, false)
	if p[1][0] != 1 || p[2][0] != 1 || p[0][1] != 0 || p[1][2] != 0 || p[2][1] != 0 {
		t.Errorf("lower-is-better penalties %v", p)
	}
	// t just above and below Ash et al.'s 2.776 for five seeds: differences with
	// mean m and sd 1 give t = m·√5.
	for _, c := range []struct {
		m    float64
		beat bool
	}{{2.78 / math.Sqrt(5), true}, {2.77 / math.Sqrt(5), false}} {
		base := []float64{-1.2649110640673518, -0.6324555320336759, 0, 0.6324555320336759, 1.2649110640673518} // mean 0, sd 1
		x, y := make([]float64, 5), make([]float64, 5)
		for s := range base {
			x[s], y[s] = base[s]+c.m, 0
		}
		q := [][]float64{make([]float64, 2), make([]float64, 2)}
		AddPenalties(q, [][]float64{x, y}, 1, 0.05, true)
		if (q[0][1] == 1) != c.beat {
			t.Errorf("t = %.3f: beats = %v, want %v", c.m*math.Sqrt(5), q[0][1] == 1, c.beat)
		}
	}
}
