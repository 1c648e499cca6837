package fmath

import "math"

// expN is the number of table entries per octave in Exp: 2^(j/expN).
const expN = 64

// Thresholds of Exp: e^x overflows above expOverflow and rounds to zero below
// expUnderflow (the same limits as the math package's).
const (
	expOverflow  = 7.09782712893383973096e+02
	expUnderflow = -7.45133219101941108420e+02
	expInvL      = expN / math.Ln2 // 64/ln 2 rounded, used only to choose m
)

// Exp returns e^x, within 1 ulp of the exact result (about 0.51 ulp in the
// worst case by the error budget below), and the same bits on every machine.
//
// Special cases are those of math.Exp:
//
//	Exp(+Inf) = +Inf,  Exp(−Inf) = 0,  Exp(NaN) = NaN,
//	Exp(x) = +Inf for x > 709.78…,  Exp(x) = 0 for x < −745.13….
//
// The method is the table-driven one of Tang (ACM TOMS 15(2), 1989):
//
//	m = round(x·64/ln 2),  k = ⌊m/64⌋,  j = m − 64k,
//	r = x − m·ln2/64,  |r| ≤ ln2/128 ≈ 0.0054,
//	e^x = 2^k · 2^(j/64) · e^r.
//
// ln2/64 is split as L1 + L2 with L1 a multiple of 2^-42, so m·L1 is exact
// (|m| < 2^17) and x − m·L1 is exact (Sterbenz); r = (x − m·L1) − m·L2. The
// 64 values 2^(j/64) are stored as hi + lo pairs (106 bits), and
//
//	e^r − 1 = r + r²·(1/2! + r/3! + r²/4! + r³/5! + r⁴/6!),
//
// the Taylor polynomial, whose truncation error r⁷/7! < 2^-65 is far below
// the final rounding. The result 2^k·(hi + (lo + hi·(e^r − 1))) rounds once
// in the last addition (half an ulp) after errors of order 2^-60; the scaling
// by 2^k is exact except into the subnormal range, where it rounds once.
func Exp(x float64) float64 { return expDD(x, 0) }

// expDD returns e^(x+xl) for a tiny correction xl (|xl| ≤ 2^-40·max(|x|, 1)),
// the reduction taking xl into r's low part: Exp is expDD(x, 0), and Pow and
// Erfc pass the rounding error of the exponent they computed.
func expDD(x, xl float64) float64 {
	switch {
	case x != x:
		return x
	case x > expOverflow:
		return math.Inf(1)
	case x < expUnderflow:
		return 0
	case math.Abs(x) < 0x1p-54:
		return 1 + x
	}
	m := math.Round(float64(x * expInvL))
	rHi := x - float64(m*expL1) // exact
	rLo := xl - float64(m*expL2)
	r := rHi + rLo
	q := 1.0/120 + float64(r*(1.0/720))
	q = 1.0/24 + float64(r*q)
	q = 1.0/6 + float64(r*q)
	q = 0.5 + float64(r*q)
	p := rHi + (rLo + float64(float64(r*r)*q)) // e^r − 1
	mi := int(m)
	k, j := mi>>6, mi&(expN-1)
	hi, lo := expTab[2*j], expTab[2*j+1]
	return scale(hi+(lo+float64(hi*p)), k)
}

// scale returns y·2^k for y in [0.5, 2] and −1100 < k < 1100, rounding at
// most once (when the result is subnormal) and overflowing to ±Inf.
func scale(y float64, k int) float64 {
	switch {
	case k > 1023:
		return y * 0x1p1023 * pow2(k-1023)
	case k < -1022:
		return y * pow2(k+64) * 0x1p-64 // exact, then one rounding into the subnormals
	}
	return y * pow2(k)
}

// pow2 returns 2^k for −1022 ≤ k ≤ 1023, built from its bits.
func pow2(k int) float64 { return math.Float64frombits(uint64(k+1023) << 52) }
