package fmath

import "math"

// Tanh returns the hyperbolic tangent of x, within about 1 ulp of the exact
// result, and the same bits on every machine (math.Tanh is pure Go, but calls
// math.Exp and evaluates a rational function the compiler may fuse).
//
// Special cases are those of math.Tanh: Tanh(±0) = ±0, Tanh(±Inf) = ±1,
// Tanh(NaN) = NaN.
//
// For |x| < 0.625 it sums the Taylor series
//
//	tanh x = x + x·z·Σ_(n≥2) a_n z^(n−2),  z = x²,
//	a_n = 2^(2n)·(2^(2n) − 1)·B_(2n)/(2n)!   (B the Bernoulli numbers),
//
// to n = 25, whose terms shrink by about (2x/π)² ≤ 0.16 each, so the
// truncation is below 2^-62 relative; the correction x·z·Σ is at most 0.13 x, so
// its rounding errors hardly reach the final one. For 0.625 ≤ |x| < 22,
//
//	tanh |x| = 1 − 2/(e^(2|x|) + 1),
//
// where the subtraction cancels at most one bit; beyond 22 the result rounds
// to ±1.
func Tanh(x float64) float64 {
	a := math.Abs(x)
	switch {
	case x != x:
		return x
	case a >= 22:
		return math.Copysign(1, x)
	case a >= 0.625:
		return math.Copysign(1-2/(Exp(2*a)+1), x)
	case a < 0x1p-28:
		return x
	}
	z := x * x
	q := tanhQ[len(tanhQ)-1]
	for i := len(tanhQ) - 2; i >= 0; i-- {
		q = tanhQ[i] + float64(z*q)
	}
	return x + float64(x*float64(z*q))
}
