package fmath

import "math"

// logN is the number of table points in [1, 2) used by Log: 1 + j/logN.
const logN = 128

// Log returns the natural logarithm of x, within 1 ulp of the exact result
// (about 0.51 ulp by the error budget below), and the same bits on every
// machine.
//
// Special cases are those of math.Log:
//
//	Log(+Inf) = +Inf,  Log(0) = −Inf,  Log(x < 0) = NaN,  Log(NaN) = NaN.
//
// The method is the table-driven one of Tang (ACM TOMS 16(4), 1990). With x =
// 2^k·m, m in [1, 2) (subnormals scaled by 2^52 first), F = 1 + j/128 the
// table point nearest to m (j = 128 is taken as F = 1 with k + 1 and m/2, so
// that x near 1 never subtracts log 2 from log 2), f = m − F (exact), and
//
//	log x = k·ln 2 + log F + log(1 + f/F),
//	log(1 + r) = r + r²·(−1/2 + r/3 − r²/4 + r³/5 − r⁴/6 + r⁵/7 − r⁶/8),
//
// for |r| = |f/F| ≤ 2^-8, where the truncation error |r|⁹/9 < 2^-75. r = f/F
// is rounded; its residual f − r·F is exact as an FMA and adds (f − r·F)/F.
// ln 2 and log F are hi + lo pairs whose hi parts are multiples of 2^-42, so
// k·ln2Hi + logHi[j] is exact; it is added to r with an error-free two-sum,
// and everything else, of order r² and 2^-43, is added to the low part before
// the one final rounding.
func Log(x float64) float64 {
	switch {
	case x != x || x > math.MaxFloat64:
		return x // NaN, +Inf
	case x < 0:
		return math.NaN()
	case x == 0:
		return math.Inf(-1)
	}
	hi, _ := logDD(x)
	return hi
}

// logDD returns log x for finite x > 0 as hi + lo, hi the rounded result that
// Log returns and lo ≈ log x − hi (|lo| ≤ ulp(hi)/2 + a little), the pair
// within about 2^-62 relative of the exact value. The error of hi = s + t is
// recovered exactly as t − (hi − s) (Dekker's Fast2Sum, |s| ≥ |t|).
func logDD(x float64) (hi, lo float64) {
	k := 0
	if x < 0x1p-1022 {
		x *= 0x1p52
		k = -52
	}
	b := math.Float64bits(x)
	k += int(b>>52) - 1023
	frac := b & (1<<52 - 1)
	m := math.Float64frombits(frac | 1023<<52) // in [1, 2)
	j := int((frac + 1<<44) >> 45)             // nearest j/128 to m − 1
	if j == logN {
		k++
		m *= 0.5
		j = 0
	}
	F := 1 + float64(float64(j)*(1.0/logN)) // exact
	f := m - F                              // exact
	r := f / F
	rLo := math.FMA(-r, F, f) / F // the exact residual of the division, over F
	q := 1.0/7 - float64(r*(1.0/8))
	q = -1.0/6 + float64(r*q)
	q = 1.0/5 + float64(r*q)
	q = -1.0/4 + float64(r*q)
	q = 1.0/3 + float64(r*q)
	q = -0.5 + float64(r*q)
	kf := float64(k)
	h := float64(kf*ln2Hi) + logTab[2*j] // exact
	s, e := twoSum(h, r)
	l := (float64(kf*ln2Lo) + logTab[2*j+1]) + rLo
	t := e + (l + float64(float64(r*r)*q))
	hi = s + t // what Log returns
	return hi, t - (hi - s)
}

// twoSum returns s = a + b rounded and the exact error e = a + b − s (Knuth,
// TAOCP vol. 2, 4.2.2, Theorem B), with no condition on the magnitudes.
func twoSum(a, b float64) (s, e float64) {
	s = a + b
	bb := s - a
	e = (a - (s - bb)) + (b - bb)
	return s, e
}
