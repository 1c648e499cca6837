package experiments

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestPartitionMatchesCopying: the in-place split equals copying the rows out
// in order, for random test masks of every density, all-pool and all-test.
func TestPartitionMatchesCopying(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 200 {
		n, d := rng.IntN(40), 1+rng.IntN(4)
		frac := float64(trial%5) / 4
		x, y, inTest := make([]float64, n*d), make([]int, n), make([]bool, n)
		for i := range x {
			x[i] = float64(i)
		}
		for i := range y {
			y[i] = 100 + i
			inTest[i] = rng.Float64() < frac
		}
		var wpx, wtx []float64
		var wpy, wty, wpr, wtr []int
		for i := range n {
			if inTest[i] {
				wtx, wty, wtr = append(wtx, x[i*d:(i+1)*d]...), append(wty, y[i]), append(wtr, i)
			} else {
				wpx, wpy, wpr = append(wpx, x[i*d:(i+1)*d]...), append(wpy, y[i]), append(wpr, i)
			}
		}
		px, py, pr, tx, ty, tr := partition(x, y, d, inTest)
		if !slices.Equal(px, wpx) || !slices.Equal(py, wpy) || !slices.Equal(pr, wpr) ||
			!slices.Equal(tx, wtx) || !slices.Equal(ty, wty) || !slices.Equal(tr, wtr) {
			t.Fatalf("n=%d d=%d mask %v: pool %v %v %v test %v %v %v", n, d, inTest, px, py, pr, tx, ty, tr)
		}
		if cap(px) != len(px) || cap(py) != len(py) {
			t.Fatal("the pool's slices can grow into the test set")
		}
	}
}
