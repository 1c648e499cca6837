package stats

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Summary describes a sample: its size, mean, sample standard deviation,
// standard error of the mean and a two-sided Student-t confidence interval
// for the mean.
//
// Std, SEM, CILow and CIHigh are NaN when N < 2, and every field but N is NaN
// when N == 0.
type Summary struct {
	N      int
	Mean   float64
	Std    float64 // sample standard deviation, divisor n−1
	SEM    float64 // Std / √n
	CILow  float64
	CIHigh float64
}

// Describe summarises x with a 95% confidence interval for the mean.
func Describe(x []float64) Summary {
	return DescribeLevel(x, 0.95)
}

// DescribeLevel summarises x with a confidence interval at the given level,
// which must lie in (0, 1).
//
// The interval is Student's t-interval
//
//	mean ± t_{(1+level)/2, n−1} · s/√n
//
// where s is the sample standard deviation (Student 1908; see e.g. Wasserman,
// All of Statistics, §7.4). With s == 0 the interval collapses to the mean.
func DescribeLevel(x []float64, level float64) Summary {
	if !(level > 0 && level < 1) {
		panic("stats: confidence level outside (0, 1)")
	}
	n := len(x)
	s := Summary{N: n, Mean: math.NaN(), Std: math.NaN(), SEM: math.NaN(), CILow: math.NaN(), CIHigh: math.NaN()}
	if n == 0 {
		return s
	}
	if n == 1 {
		s.Mean = x[0]
		return s
	}
	s.Mean, s.Std = meanStdDev(x)
	s.SEM = s.Std / math.Sqrt(float64(n))
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 1)}.Quantile((1 + level) / 2)
	s.CILow = s.Mean - float64(t*s.SEM)
	s.CIHigh = s.Mean + float64(t*s.SEM)
	return s
}

// Diff returns the paired differences x[i] − y[i]. It panics if the lengths
// differ.
func Diff(x, y []float64) []float64 {
	if len(x) != len(y) {
		panic("stats: paired samples of different lengths")
	}
	d := make([]float64, len(x))
	for i := range x {
		d[i] = x[i] - y[i]
	}
	return d
}

// meanStdDev returns the mean and the sample standard deviation (divisor n − 1)
// of x, len(x) ≥ 2, by the corrected two-pass algorithm (Chan, Golub and
// LeVeque 1983, eq. 1.7), as gonum's stat.MeanStdDev computes them:
//
//	m = Σ x_i / n,  d_i = x_i − m,  s² = (Σ d_i² − (Σ d_i)²/n) / (n − 1),
//
// but with every sum taken in index order and every product rounded before it
// is added, so that the bits are the same on every machine (gonum's sum is
// SSE2 assembly on amd64, in an order that depends on the slice's alignment,
// and plain Go elsewhere, which the compiler may fuse).
func meanStdDev(x []float64) (mean, std float64) {
	n := float64(len(x))
	for _, v := range x {
		mean += v
	}
	mean /= n
	var ss, comp float64
	for _, v := range x {
		d := v - mean
		ss += float64(d * d)
		comp += d
	}
	return mean, math.Sqrt((ss - float64(comp*comp)/n) / (n - 1))
}
