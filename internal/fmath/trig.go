package fmath

import (
	"math"
	"math/big"
	"sync"
)

// Sin returns the sine of x (radians), within about 1 ulp of the exact result,
// and the same bits on every machine. Special cases: Sin(±0) = ±0,
// Sin(±Inf) = NaN, Sin(NaN) = NaN.
//
// x is reduced to r = x − k·π/2, |r| ≤ π/4 (see reduce), and by the quadrant
// k mod 4 the result is ±sin r or ±cos r from
//
//	sin r = r − r³/3! + r⁵/5! − … − r¹⁷/17!,
//	cos r = 1 − r²/2! + r⁴/4! − … + r¹⁸/18!,
//
// the Taylor polynomials, whose truncation errors r¹⁹/19! and r²⁰/20! are below
// 2^-63 for |r| ≤ π/4. The low part of r enters as sin(r + l) ≈ sin r + l·cos r.
func Sin(x float64) float64 {
	switch {
	case x != x || math.IsInf(x, 0):
		return math.NaN()
	case math.Abs(x) < 0x1p-27:
		return x
	}
	q, hi, lo := reduce(x)
	switch q {
	case 0:
		return sinKernel(hi, lo)
	case 1:
		return cosKernel(hi, lo)
	case 2:
		return -sinKernel(hi, lo)
	}
	return -cosKernel(hi, lo)
}

// Cos returns the cosine of x (radians), within about 1 ulp of the exact
// result, and the same bits on every machine. Special cases: Cos(±Inf) = NaN,
// Cos(NaN) = NaN. See Sin for the method.
func Cos(x float64) float64 {
	switch {
	case x != x || math.IsInf(x, 0):
		return math.NaN()
	case math.Abs(x) < 0x1p-27:
		return 1
	}
	q, hi, lo := reduce(x)
	switch q {
	case 0:
		return cosKernel(hi, lo)
	case 1:
		return -sinKernel(hi, lo)
	case 2:
		return -cosKernel(hi, lo)
	}
	return sinKernel(hi, lo)
}

// The Taylor coefficients of sin and cos: sinC[i] of r^(2i+3), cosC[i] of
// r^(2i+4), exact rationals rounded once by the compiler.
var (
	sinC = [...]float64{-1.0 / 6, 1.0 / 120, -1.0 / 5040, 1.0 / 362880, -1.0 / 39916800,
		1.0 / 6227020800, -1.0 / 1307674368000, 1.0 / 355687428096000}
	cosC = [...]float64{1.0 / 24, -1.0 / 720, 1.0 / 40320, -1.0 / 3628800, 1.0 / 479001600,
		-1.0 / 87178291200, 1.0 / 20922789888000, -1.0 / 6402373705728000}
)

// sinKernel returns sin(hi + lo) for |hi| ≤ π/4, |lo| ≤ ulp(hi):
// hi + (lo·(1 − z/2) + hi·z·S(z)), z = hi², S the polynomial of sinC.
func sinKernel(hi, lo float64) float64 {
	z := hi * hi
	s := sinC[len(sinC)-1]
	for i := len(sinC) - 2; i >= 0; i-- {
		s = sinC[i] + float64(z*s)
	}
	return hi + (float64(lo*(1-float64(0.5*z))) + float64(hi*float64(z*s)))
}

// cosKernel returns cos(hi + lo) for |hi| ≤ π/4, |lo| ≤ ulp(hi): with h = z/2
// and w = 1 − h, whose rounding error (1 − w) − h is exact, w + (((1 − w) − h)
// + (z²·C(z) − hi·lo)), C the polynomial of cosC.
func cosKernel(hi, lo float64) float64 {
	z := hi * hi
	c := cosC[len(cosC)-1]
	for i := len(cosC) - 2; i >= 0; i-- {
		c = cosC[i] + float64(z*c)
	}
	h := float64(0.5 * z)
	w := 1 - h
	return w + (((1 - w) - h) + (float64(float64(z*z)*c) - float64(hi*lo)))
}

// reduceMedium is the bound below which reduce uses the three-part π/2.
const reduceMedium = 0x1p19

// reduce returns the quadrant q = k mod 4 and r = x − k·π/2 as hi + lo, with k
// the integer nearest x·2/π, so |r| ≤ π/4 (a hair more from rounding k).
//
// For |x| < 2^19 it is Cody and Waite's (Software Manual for the Elementary
// Functions, 1980): π/2 = p1 + p2 + p3 with p1 and p2 of 33 bits, so k·p1 and
// k·p2 are exact (k < 2^20), x − k·p1 is exact, and the rest is summed with
// an error-free two-sum; r is then good to about 2^-100 absolute. Larger x
// are reduced exactly with math/big against a 1400-bit π, which covers every
// float64 (Payne and Hanek's method does this with less work; these inputs
// are rare here).
func reduce(x float64) (q int, hi, lo float64) {
	if math.Abs(x) >= reduceMedium {
		return reduceBig(x)
	}
	k := math.Round(float64(x * (2 / math.Pi)))
	a := x - float64(k*pio2_1) // exact
	s, e := twoSum(a, -float64(k*pio2_2))
	t := e - float64(k*pio2_3)
	hi = s + t
	lo = t - (hi - s)
	return int(int64(k) & 3), hi, lo
}

// bigPiPrec is the precision of the π used by reduceBig: the 1024 bits of the
// largest float64's integer part, 53 of its fraction and a margin.
const bigPiPrec = 1400

var bigPio2 = sync.OnceValue(func() *big.Float {
	p := bigPi(bigPiPrec)
	return p.SetMantExp(p, -1)
})

// reduceBig is reduce for large |x|, in math/big.
func reduceBig(x float64) (q int, hi, lo float64) {
	pio2 := bigPio2()
	bx := new(big.Float).SetPrec(bigPiPrec).SetFloat64(x)
	kf := new(big.Float).SetPrec(bigPiPrec).Quo(bx, pio2)
	kf.Add(kf, new(big.Float).SetFloat64(math.Copysign(0.5, x)))
	k, _ := kf.Int(nil) // truncation of x·2/π ± 1/2: the nearest integer
	r := new(big.Float).SetPrec(bigPiPrec).SetInt(k)
	r.Mul(r, pio2)
	r.Sub(bx, r)
	hi, _ = r.Float64()
	lo, _ = r.Sub(r, new(big.Float).SetFloat64(hi)).Float64()
	m := new(big.Int).And(k, big.NewInt(3)) // two's complement: k mod 4 for negative k too
	return int(m.Int64()), hi, lo
}

// bigPi returns π to prec bits by Machin's formula π = 16·atan(1/5) −
// 4·atan(1/239), each atan(1/n) = Σ (−1)^j/((2j+1)·n^(2j+1)).
func bigPi(prec uint) *big.Float {
	atanInv := func(n int64) *big.Float {
		x := new(big.Float).SetPrec(prec).Quo(new(big.Float).SetPrec(prec).SetInt64(1), new(big.Float).SetPrec(prec).SetInt64(n))
		x2 := new(big.Float).SetPrec(prec).Mul(x, x)
		sum := new(big.Float).SetPrec(prec)
		pow := new(big.Float).SetPrec(prec).Set(x)
		eps := new(big.Float).SetPrec(prec).SetMantExp(new(big.Float).SetInt64(1), -int(prec)-8)
		for j := int64(0); ; j++ {
			t := new(big.Float).SetPrec(prec).Quo(pow, new(big.Float).SetPrec(prec).SetInt64(2*j+1))
			if j%2 == 0 {
				sum.Add(sum, t)
			} else {
				sum.Sub(sum, t)
			}
			if t.Cmp(eps) < 0 {
				return sum
			}
			pow.Mul(pow, x2)
		}
	}
	a := atanInv(5)
	a.Mul(a, new(big.Float).SetInt64(16))
	c := atanInv(239)
	c.Mul(c, new(big.Float).SetInt64(4))
	return a.Sub(a, c)
}
