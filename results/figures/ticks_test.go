package figures

import (
	"math"
	"slices"
	"testing"
)

func TestNiceAxis(t *testing.T) {
	for _, c := range []struct {
		name     string
		a        Axis
		min, max float64
		ticks    []float64
		labels   []string
	}{
		// 0.02 gives 6 ticks; 0.025 gives 5 but costs a decimal (score 1.5 > 1).
		{"accuracy", NiceAxis(0.87, 0.99, 0), 0.87, 0.99,
			[]float64{0.88, 0.90, 0.92, 0.94, 0.96, 0.98}, []string{"0.88", "0.90", "0.92", "0.94", "0.96", "0.98"}},
		// 20 gives 5 ticks exactly.
		{"labels 10–110", NiceAxis(10, 110, 0), 10, 110,
			[]float64{20, 40, 60, 80, 100}, []string{"20", "40", "60", "80", "100"}},
		// digits' budget: 50 gives 4; 20 gives 11, 25 9, 100 2.
		{"labels 20–220", NiceAxis(20, 220, 0), 20, 220,
			[]float64{50, 100, 150, 200}, []string{"50", "100", "150", "200"}},
		// Padding: 4% of 0.3 on each side, [0.588, 0.912]; 0.1 gives 4 (0.6–0.9), 0.05 7.
		{"padded", NiceAxis(0.6, 0.9, 0.04), 0.588, 0.912,
			[]float64{0.6, 0.7, 0.8, 0.9}, []string{"0.6", "0.7", "0.8", "0.9"}},
		// Zero-width: ±1% of 0.5, [0.495, 0.505]; 0.002 gives 5.
		{"flat", NiceAxis(0.5, 0.5, 0), 0.495, 0.505,
			[]float64{0.496, 0.498, 0.5, 0.502, 0.504}, []string{"0.496", "0.498", "0.500", "0.502", "0.504"}},
		// A Δ range across zero, narrow: 0.02 gives 4 (−0.04 … 0.02).
		{"delta", niceAxis(-0.0552, 0.0368, 0, 3, 3, 4, narrowMantissas), -0.0552, 0.0368,
			[]float64{-0.04, -0.02, 0, 0.02}, []string{"-0.04", "-0.02", "0.00", "0.02"}},
		// Counts 6–18 (the golden config's budget): NiceAxis would take 2.5
		// (7.5, 10, …); whole steps: 2 gives 7 ticks, 5 only 2.
		{"counts 6–18", countAxis(6, 18), 6, 18,
			[]float64{6, 8, 10, 12, 14, 16, 18}, []string{"6", "8", "10", "12", "14", "16", "18"}},
		// Counts where NiceAxis already takes a whole step: the same axis.
		{"counts 10–110", countAxis(10, 110), 10, 110,
			[]float64{20, 40, 60, 80, 100}, []string{"20", "40", "60", "80", "100"}},
		// Counts 6–20: 2 gives 8, 5 gives 3 (10, 15, 20): widened to 5.
		{"counts 6–20", countAxis(6, 20), 5, 20,
			[]float64{5, 10, 15, 20}, []string{"5", "10", "15", "20"}},
		// No step gives 3–4 in [0.01, 0.11] (0.02: 5, 0.05: 2): the range
		// grows to the nearer multiple of 0.05, 0 (0.01 away, not 0.04).
		{"widened", niceAxis(0.01, 0.11, 0, 3, 3, 4, narrowMantissas), 0, 0.11,
			[]float64{0, 0.05, 0.1}, []string{"0.00", "0.05", "0.10"}},
	} {
		a := c.a
		if math.Abs(a.Min-c.min) > 1e-12 || math.Abs(a.Max-c.max) > 1e-12 {
			t.Errorf("%s: range [%v, %v], want [%v, %v]", c.name, a.Min, a.Max, c.min, c.max)
		}
		if len(a.Ticks) != len(c.ticks) {
			t.Errorf("%s: ticks %v, want %v", c.name, a.Ticks, c.ticks)
			continue
		}
		for i := range a.Ticks {
			if math.Abs(a.Ticks[i]-c.ticks[i]) > 1e-12 {
				t.Errorf("%s: ticks %v, want %v", c.name, a.Ticks, c.ticks)
				break
			}
		}
		if !slices.Equal(a.Labels, c.labels) {
			t.Errorf("%s: labels %q, want %q", c.name, a.Labels, c.labels)
		}
	}
}

func TestTickLabels(t *testing.T) {
	for _, c := range []struct {
		ticks []float64
		step  float64
		want  []string
	}{
		{[]float64{0.025, 0.05, 0.075}, 0.025, []string{"0.025", "0.050", "0.075"}},
		{[]float64{-1e-17, 0.5, 1}, 0.5, []string{"0.0", "0.5", "1.0"}}, // never "-0.0"
		{[]float64{0, 250, 500}, 250, []string{"0", "250", "500"}},
	} {
		if got := TickLabels(c.ticks, c.step); !slices.Equal(got, c.want) {
			t.Errorf("TickLabels(%v): %q, want %q", c.ticks, got, c.want)
		}
	}
}

// isRoundStep reports whether s is m × 10^k for m in 1, 2, 2.5, 5.
func isRoundStep(s float64) bool {
	for k := -6; k <= 6; k++ {
		for _, m := range tickMantissas {
			if math.Abs(s-float64(m*pow10(k))) < 1e-9*s {
				return true
			}
		}
	}
	return false
}

// Every panel of the bench grid has a y-range holding all its data, bands
// included, and 4–6 round ticks on both axes inside the range.
func TestPanelRanges(t *testing.T) {
	ps := benchPanels(t)
	looks, _ := looksOf(ps)
	for _, p := range ps {
		pl := panelPlot(p, looks)
		_, _, ylo, yhi := dataRange(p)
		if pl.Y.Min > ylo || pl.Y.Max < yhi {
			t.Errorf("%s: y-range [%v, %v] misses data in [%v, %v]", p.Title, pl.Y.Min, pl.Y.Max, ylo, yhi)
		}
		for _, ax := range []struct {
			name     string
			min, max float64
			ticks    []float64
		}{
			{"x", pl.X.Min, pl.X.Max, pl.X.Tick.Marker.(ticker).a.Ticks},
			{"y", pl.Y.Min, pl.Y.Max, pl.Y.Tick.Marker.(ticker).a.Ticks},
		} {
			if n := len(ax.ticks); n < 4 || n > 6 {
				t.Errorf("%s %s: %d ticks %v", p.Title, ax.name, n, ax.ticks)
			}
			if len(ax.ticks) > 1 && !isRoundStep(ax.ticks[1]-ax.ticks[0]) {
				t.Errorf("%s %s: ticks %v not round", p.Title, ax.name, ax.ticks)
			}
			for _, v := range ax.ticks {
				if v < ax.min-1e-12 || v > ax.max+1e-12 {
					t.Errorf("%s %s: tick %v outside [%v, %v]", p.Title, ax.name, v, ax.min, ax.max)
				}
			}
		}
	}
}
