package stats

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// TTest is the one-sample t-test of mean(d) = 0 against the two-sided
// alternative. Applied to paired differences d = x − y it is the paired t-test.
//
//	t = mean(d) / (s_d / √n),   p = 2 · P(T_{n−1} ≥ |t|)
//
// (Student 1908.) With fewer than two differences t and p are NaN. When every
// difference is equal, s_d = 0: t is ±Inf and p = 0 if they are non-zero, and
// t = 0, p = 1 if they are all zero, the limits of the test as s_d → 0.
func TTest(d []float64) (t, p float64) {
	n := len(d)
	if n < 2 {
		return math.NaN(), math.NaN()
	}
	mean, sd := meanStdDev(d)
	if sd == 0 {
		if mean == 0 {
			return 0, 1
		}
		return math.Copysign(math.Inf(1), mean), 0
	}
	t = mean / (sd / math.Sqrt(float64(n)))
	p = 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 1)}.Survival(math.Abs(t))
	return t, math.Min(p, 1)
}

// PairedTTest returns the two-sided p-value of the paired t-test of x against
// y. It panics if the lengths differ.
func PairedTTest(x, y []float64) float64 {
	_, p := TTest(Diff(x, y))
	return p
}
