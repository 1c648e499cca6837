package nets

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestLaneTotalsIsItsFormula: laneTotals, four weights at a time where the CPU
// has AVX2, gives g[q] = (s[4q] + s[4q+1]) + (s[4q+2] + s[4q+3]) bit for bit
// (NaN as NaN) for every length, its tail included, on values with signed
// zeros, subnormals, huge magnitudes whose sums overflow, infinities and NaN.
func TestLaneTotalsIsItsFormula(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	special := []float64{0, math.Copysign(0, -1), 5e-324, -5e-324, math.MaxFloat64, -math.MaxFloat64, math.Inf(1), math.Inf(-1), math.NaN(), 1, -1, 0x1p-1022}
	for n := range 14 {
		for trial := range 50 {
			s := make([]float64, n*lanes)
			for i := range s {
				switch {
				case trial%3 == 0 && rng.IntN(4) == 0:
					s[i] = special[rng.IntN(len(special))]
				default:
					s[i] = rng.NormFloat64() * math.Ldexp(1, rng.IntN(40)-20)
				}
			}
			g := make([]float64, n)
			laneTotals(g, s)
			for q := range g {
				want := (s[4*q] + s[4*q+1]) + (s[4*q+2] + s[4*q+3])
				if math.Float64bits(g[q]) != math.Float64bits(want) && !(math.IsNaN(g[q]) && math.IsNaN(want)) {
					t.Fatalf("n %d, weight %d: lanes %v give %v, want %v", n, q, s[4*q:4*q+4], g[q], want)
				}
			}
		}
	}
}

// TestColSumsIsItsFormula: colSums adds Σ_{i ≡ k mod 4} a[j·ld + i] to
// acc[4j + k] in order of i, bit for bit (NaN as NaN), for several rows and
// widths, onto nonzero sums. (Its four independent scalar sums beat one
// vector of them, whose single chain of additions waits on each one's
// latency; more vectors would change the order of the sums.)
func TestColSumsIsItsFormula(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	special := []float64{math.Copysign(0, -1), 5e-324, math.MaxFloat64, math.Inf(-1), math.NaN(), 1e300}
	for _, n := range []int{1, 2, 3, 7} {
		for _, ld := range []int{4, 8, 12, 64, 68} {
			a := make([]float64, n*ld)
			for i := range a {
				a[i] = rng.NormFloat64() * math.Ldexp(1, rng.IntN(60)-30)
				if rng.IntN(50) == 0 {
					a[i] = special[rng.IntN(len(special))]
				}
			}
			acc := make([]float64, n*lanes)
			for i := range acc {
				acc[i] = rng.NormFloat64()
			}
			want := append([]float64(nil), acc...)
			for j := range n {
				for i := range ld {
					want[j*lanes+i%lanes] += a[j*ld+i]
				}
			}
			colSums(acc, a, n, ld)
			for q := range acc {
				if math.Float64bits(acc[q]) != math.Float64bits(want[q]) && !(math.IsNaN(acc[q]) && math.IsNaN(want[q])) {
					t.Fatalf("n %d, ld %d, sum %d: %v, want %v", n, ld, q, acc[q], want[q])
				}
			}
		}
	}
}
