package svm

import (
	"math"
	"math/rand/v2"
	"testing"
)

// scanLowScalar is selectWorkingSet's j scan as one ascending loop, the
// definition scanLow must reproduce.
func scanLowScalar(g, yf, lowMask, qd []float64, qi []float32, gmax, qdi, yi2 float64) (float64, int) {
	gmax2, gminIdx, objMin := math.Inf(-1), -1, math.Inf(1)
	for j, gj := range g {
		w := float64(yf[j]*gj) + lowMask[j]
		if w >= gmax2 {
			gmax2 = w
		}
		gd := gmax + w
		if gd > 0 {
			quad := qdi + qd[j] - float64(float64(yi2*yf[j])*float64(qi[j]))
			var od float64
			if quad > 0 {
				od = -(gd * gd) / quad
			} else {
				od = -(gd * gd) / tau
			}
			if od <= objMin {
				gminIdx = j
				objMin = od
			}
		}
	}
	return gmax2, gminIdx
}

// TestScanLowMatchesScalar: on random problems with repeated values (ties in
// od), masked and unmasked t, non-positive curvatures and every length parity,
// scanLow returns the scalar scan's index and gmax2, and the assembly lanes
// equal the Go lanes bit for bit.
func TestScanLowMatchesScalar(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	same := func(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) }
	for trial := range 3000 {
		n := rng.IntN(40)
		if trial%100 == 0 {
			n = 1000 + rng.IntN(3)
		}
		g, yf, low, qd := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
		qi := make([]float32, n)
		levels := 1 + rng.IntN(6) // few distinct values: many ties
		for k := range n {
			g[k] = float64(rng.IntN(2*levels+1)-levels) / 4
			if rng.IntN(8) == 0 {
				g[k] = rng.NormFloat64()
			}
			yf[k] = float64(2*rng.IntN(2) - 1)
			if rng.IntN(3) == 0 {
				low[k] = math.Inf(-1)
			}
			qd[k] = 1
			if rng.IntN(6) == 0 {
				qd[k] = 0.5
			}
			qi[k] = float32(rng.IntN(5)) / 4
			if rng.IntN(10) == 0 {
				qi[k] = 2 // a ≤ 0 for some t: τ
			}
		}
		gmax := float64(rng.IntN(9)-2) / 4
		qdi := 1.0
		yi2 := float64(2 * (2*rng.IntN(2) - 1))
		wg, wj := scanLowScalar(g, yf, low, qd, qi, gmax, qdi, yi2)
		gg, gj := scanLow(g, yf, low, qd, qi, gmax, qdi, yi2)
		if gj != wj || gg != wg {
			t.Fatalf("trial %d (n %d): scanLow (%v, %d), scalar (%v, %d)", trial, n, gg, gj, wg, wj)
		}
		a0, a1, a2, a3, a4, a5 := scanLowPairs(g, yf, low, qd, qi, gmax, qdi, yi2)
		b0, b1, b2, b3, b4, b5 := scanLowPairsGo(g, yf, low, qd, qi, gmax, qdi, yi2)
		if a0 != b0 || a1 != b1 || !same(a2, b2) || a3 != b3 || !same(a4, b4) || a5 != b5 {
			t.Fatalf("trial %d (n %d): lanes %v %v %v %d %v %d, Go %v %v %v %d %v %d", trial, n, a0, a1, a2, a3, a4, a5, b0, b1, b2, b3, b4, b5)
		}
	}
}

// BenchmarkScanLow times the j scan over 5,000 variables, half of them in I_low
// (scalar: the ascending loop it replaces).
func BenchmarkScanLow(b *testing.B) {
	const n = 5000
	rng := rand.New(rand.NewPCG(1, 1))
	g, yf, low, qd := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	qi := make([]float32, n)
	for k := range n {
		g[k], yf[k], qd[k], qi[k] = rng.NormFloat64(), float64(2*rng.IntN(2)-1), 1, float32(rng.Float64())
		if rng.IntN(2) == 0 {
			low[k] = math.Inf(-1)
		}
	}
	for _, c := range []struct {
		name string
		f    func(g, yf, lowMask, qd []float64, qi []float32, gmax, qdi, yi2 float64) (float64, int)
	}{{"pairs", scanLow}, {"scalar", scanLowScalar}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				c.f(g, yf, low, qd, qi, 0.1, 1, 2)
			}
		})
	}
}
