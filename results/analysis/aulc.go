package analysis

import "math"

// AULC is the area under the learning curve y(x), by the trapezoid rule,
// divided by the range of x:
//
//	AULC = 1/(x_n − x_1) · Σ_{i=1}^{n−1} (x_{i+1} − x_i)·(y_i + y_{i+1})/2
//
// For accuracy against the number of labels it is the mean accuracy over the
// budget, in the units of y, so curves over different budgets compare. The
// x need not be evenly spaced but must be strictly increasing. A single point
// gives its y; no points give NaN. It panics if the lengths differ or x is not
// increasing.
func AULC(x, y []float64) float64 {
	if len(x) != len(y) {
		panic("results: AULC of x and y of different lengths")
	}
	switch len(x) {
	case 0:
		return math.NaN()
	case 1:
		return y[0]
	}
	var area float64
	for i := 1; i < len(x); i++ {
		dx := x[i] - x[i-1]
		if !(dx > 0) {
			panic("results: AULC with x not strictly increasing")
		}
		area += dx * (y[i] + y[i-1]) / 2
	}
	return area / (x[len(x)-1] - x[0])
}

// FirstReaching returns the first nLabeled[i] at which acc[i] ≥ goal, and
// false if no point reaches it. It panics if the lengths differ.
//
// With goal = target × the seed's skyline accuracy this is one seed's
// labels-to-target (design §5).
func FirstReaching(nLabeled []int, acc []float64, goal float64) (int, bool) {
	if len(nLabeled) != len(acc) {
		panic("results: FirstReaching of slices of different lengths")
	}
	for i, a := range acc {
		if a >= goal {
			return nLabeled[i], true
		}
	}
	return 0, false
}

// LabelsToTarget summarises labels-to-target over seeds.
type LabelsToTarget struct {
	// Mean is the mean labels-to-target over the seeds that reach the target,
	// NaN if none does.
	Mean float64
	// Reached and Missed count the seeds that reach the target and those that
	// never do. Seeds without a skyline count in neither.
	Reached, Missed int
}
