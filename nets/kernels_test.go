package nets

import (
	"math"
	"math/rand/v2"
	"testing"
)

func randSlice(rng *rand.Rand, n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = rng.NormFloat64()
	}
	return s
}

func closeSlices(t *testing.T, name string, got, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d elements, want %d", name, len(got), len(want))
	}
	for i := range got {
		if math.Abs(got[i]-want[i]) > tol*(1+math.Abs(want[i])) {
			t.Fatalf("%s[%d] = %v, want %v", name, i, got[i], want[i])
		}
	}
}

// TestKernels checks the blocked kernels against the textbook triple loop on
// shapes that exercise every remainder path (odd rows, odd columns, short k).
func TestKernels(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, m := range []int{1, 2, 3, 5, 8} {
		for _, n := range []int{1, 2, 3, 7} {
			for _, k := range []int{1, 2, 3, 4, 5, 9} {
				a := randSlice(rng, m*k)
				bias := randSlice(rng, n)

				bt := randSlice(rng, n*k) // n×k
				want := make([]float64, m*n)
				for i := 0; i < m; i++ {
					for j := 0; j < n; j++ {
						s := bias[j]
						for p := 0; p < k; p++ {
							s += a[i*k+p] * bt[j*k+p]
						}
						want[i*n+j] = s
					}
				}
				got := randSlice(rng, m*n) // garbage to be overwritten
				gemmNT(got, a, bt, bias, m, n, k)
				closeSlices(t, "gemmNT", got, want, 1e-12)
				gemmNT(got, a, bt, nil, m, n, k)
				for i := range want {
					want[i] -= bias[i%n]
				}
				closeSlices(t, "gemmNT without bias", got, want, 1e-12)

				b := randSlice(rng, k*n) // k×n
				for i := 0; i < m; i++ {
					for j := 0; j < n; j++ {
						s := 0.0
						for p := 0; p < k; p++ {
							s += a[i*k+p] * b[p*n+j]
						}
						want[i*n+j] = s
					}
				}
				gemmNN(got, a, b, m, n, k)
				closeSlices(t, "gemmNN", got, want, 1e-12)

				at := randSlice(rng, k*m) // k×m
				for i := 0; i < m; i++ {
					for j := 0; j < n; j++ {
						s := 0.0
						for p := 0; p < k; p++ {
							s += at[p*m+i] * b[p*n+j]
						}
						want[i*n+j] = s
					}
				}
				gemmTN(got, at, b, m, n, k)
				closeSlices(t, "gemmTN", got, want, 1e-12)
			}
		}
	}
}
