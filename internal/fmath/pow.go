package fmath

import "math"

// Pow returns x**y, within 1 ulp of the exact result except near overflow and
// underflow, and the same bits on every machine.
//
// The special cases are those of math.Pow, in its order:
//
//	Pow(x, ±0) = 1 for any x
//	Pow(1, y) = 1 for any y
//	Pow(x, 1) = x for any x
//	Pow(NaN, y) = NaN,  Pow(x, NaN) = NaN
//	Pow(±0, y) = ±Inf for y an odd integer < 0
//	Pow(±0, −Inf) = +Inf,  Pow(±0, +Inf) = +0
//	Pow(±0, y) = +Inf for finite y < 0 and not an odd integer
//	Pow(±0, y) = ±0 for y an odd integer > 0
//	Pow(±0, y) = +0 for finite y > 0 and not an odd integer
//	Pow(−1, ±Inf) = 1
//	Pow(x, +Inf) = +Inf for |x| > 1,  Pow(x, −Inf) = +0 for |x| > 1
//	Pow(x, +Inf) = +0 for |x| < 1,  Pow(x, −Inf) = +Inf for |x| < 1
//	Pow(+Inf, y) = +Inf for y > 0,  Pow(+Inf, y) = +0 for y < 0
//	Pow(−Inf, y) = Pow(−0, −y)
//	Pow(x, y) = NaN for finite x < 0 and finite non-integer y
//
// Otherwise, with s = −1 for x < 0 and y an odd integer and s = 1 else,
//
//	x**y = s · e^(y·log|x|),
//
// where log|x| = hi + lo comes from Log's double-length result, the product
// y·hi = p + pl is split exactly with an FMA (correctly rounded, so the same
// with or without the instruction), and e^(p + pl + y·lo) is Exp's reduction
// with the low part added to its argument. The exponent is thus known to
// about 2^-62 relative, where the one-line e^(y·log x) of textbooks loses
// |y·log x| ulps.
func Pow(x, y float64) float64 {
	switch {
	case y == 0 || x == 1:
		return 1
	case y == 1:
		return x
	case x != x || y != y:
		return math.NaN()
	case x == 0:
		switch {
		case y < 0:
			if math.Signbit(x) && isOddInt(y) {
				return math.Inf(-1)
			}
			return math.Inf(1)
		case isOddInt(y):
			return x
		}
		return 0
	case math.IsInf(y, 0):
		switch {
		case x == -1:
			return 1
		case (math.Abs(x) < 1) == (y > 0):
			return 0
		}
		return math.Inf(1)
	case math.IsInf(x, 0):
		if x < 0 {
			return Pow(1/x, -y) // Pow(−0, −y)
		}
		if y < 0 {
			return 0
		}
		return math.Inf(1)
	}
	sign := 1.0
	if x < 0 {
		if y != math.Trunc(y) {
			return math.NaN()
		}
		if isOddInt(y) {
			sign = -1
		}
		x = -x
	}
	hi, lo := logDD(x)
	p := y * hi
	if math.Abs(p) > 800 || p == 0 { // overflows, underflows, or |x| = 1 exactly
		return sign * Exp(p)
	}
	pl := math.FMA(y, hi, -p) + float64(y*lo)
	return sign * expDD(p, pl)
}

// isOddInt reports whether y is an odd integer.
func isOddInt(y float64) bool {
	if math.Abs(y) >= 1<<53 { // every such float64 is an even integer
		return false
	}
	i, f := math.Modf(y)
	return f == 0 && int64(i)&1 == 1
}
