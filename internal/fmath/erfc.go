package fmath

import "math"

// Erfc returns the complementary error function erfc x = 1 − erf x, within
// about 2^-47 relative of the exact result (a few ulps), and the same bits on every machine
// (math.Erfc is pure Go but calls math.Exp and evaluates rational functions the
// compiler may fuse). It decides the normal-approximation p-value of the
// Wilcoxon signed-rank test, 2·Φ(−|z|) = erfc(|z|/√2).
//
// Special cases are those of math.Erfc: Erfc(+Inf) = 0, Erfc(−Inf) = 2,
// Erfc(NaN) = NaN.
//
// For |x| < 1 it sums the series (Abramowitz and Stegun 7.1.6)
//
//	erf x = (2/√π)·e^(−x²)·Σ_(n≥0) 2^n·x^(2n+1)/(1·3·…·(2n+1)),
//
// all of whose terms are positive, until a term is below 2^-56 of the sum, and
// returns 1 − erf x (which cancels at most 3 bits). For x ≥ 1 it evaluates the continued fraction (A&S 7.1.14)
//
//	erfc x = (e^(−x²)/√π) · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …)))))
//
// from depth erfcDepth(x) backwards. In both, e^(−x²) takes x² as an exact
// double-length product (math.FMA) into Exp's reduction, so that large x lose
// nothing to the rounding of x². For x ≤ −1, erfc x = 2 − erfc(−x).
func Erfc(x float64) float64 {
	a := math.Abs(x)
	switch {
	case x != x:
		return x
	case x > 27.3:
		return 0 // below the smallest subnormal
	case x < -6:
		return 2 // 2 − erfc(6) rounds to 2
	case a < 1:
		return 1 - math.Copysign(erfSeries(a), x)
	case x < 0:
		return 2 - erfcFraction(a)
	}
	return erfcFraction(a)
}

// twoOverSqrtPi is 2/√π, invSqrtPi 1/√π.
const (
	twoOverSqrtPi = 1.12837916709551257389615890312154517
	invSqrtPi     = 0.56418958354775628694807945156077259
)

// expNegSq returns e^(−x²) with x² taken exactly as hi + lo.
func expNegSq(x float64) float64 {
	z := x * x
	return expDD(-z, -math.FMA(x, x, -z))
}

// erfSeries returns erf x for 0 ≤ x < 1 by A&S 7.1.6.
func erfSeries(x float64) float64 {
	z2 := 2 * x * x
	t, s := x, x
	for n := 1; n < 200; n++ {
		t = float64(t*z2) / float64(2*n+1)
		s += t
		if t < s*0x1p-56 {
			break
		}
	}
	return float64(twoOverSqrtPi*expNegSq(x)) * s
}

// erfcFraction returns erfc x for x ≥ 1 by A&S 7.1.14.
func erfcFraction(x float64) float64 {
	f := x
	for n := erfcDepth(x); n >= 1; n-- {
		f = x + float64(n)*0.5/f
	}
	return float64(invSqrtPi*expNegSq(x)) / f
}

// erfcDepth is the depth from which erfcFraction evaluates the continued
// fraction. Its truncation error falls with the depth n about like
// e^(−2x·√(2n)) (TestErfc checks the result against a depth of 4000), so
// the depth needed falls with x.
func erfcDepth(x float64) int {
	return 12 + int(600/(x*x))
}
