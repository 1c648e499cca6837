package svm

import (
	"albench/internal/fmath"
	"albench/nets"
)

// kernelKind enumerates the kernels of Params.Kernel.
type kernelKind int

const (
	kernRBF kernelKind = iota
	kernLinear
	kernPoly
)

// kernel evaluates K(a, b) the way libsvm does:
//
//	linear: a·b
//	poly:   (γ a·b + coef0)^degree   (integer power by repeated squaring)
//	rbf:    exp(−γ (‖a‖² + ‖b‖² − 2 a·b))
//
// with ‖a‖² precomputed by the same dot product, so K(a, a) is exactly 1 for rbf
// and K(a, b) and K(b, a) are the same bits.
type kernel struct {
	kind   kernelKind
	gamma  float64
	coef0  float64
	degree int
}

// dot is a·b with four independent accumulators over k ≡ 0, 1, 2, 3 (mod 4)
// for k < 4⌊n/4⌋, summed as (s0+s1)+(s2+s3), then the remaining terms in order.
// Every product is converted explicitly so that no FMA fusion can change the bits.
func dot(a, b []float64) float64 {
	n := len(a)
	b = b[:n]
	var s0, s1, s2, s3 float64
	k := 0
	for ; k+4 <= n; k += 4 {
		s0 += float64(a[k] * b[k])
		s1 += float64(a[k+1] * b[k+1])
		s2 += float64(a[k+2] * b[k+2])
		s3 += float64(a[k+3] * b[k+3])
	}
	s := (s0 + s1) + (s2 + s3)
	for ; k < n; k++ {
		s += float64(a[k] * b[k])
	}
	return s
}

// powi is base^times by repeated squaring, as libsvm's powi.
func powi(base float64, times int) float64 {
	tmp, ret := base, 1.0
	for t := times; t > 0; t /= 2 {
		if t%2 == 1 {
			ret *= tmp
		}
		tmp *= tmp
	}
	return ret
}

// eval is K(a, b) given sa = ‖a‖² and sb = ‖b‖² (used by rbf only).
func (k *kernel) eval(a, b []float64, sa, sb float64) float64 {
	d := dot(a, b)
	switch k.kind {
	case kernLinear:
		return d
	case kernPoly:
		return powi(float64(k.gamma*d)+k.coef0, k.degree)
	default:
		return exp(-k.gamma * ((sa + sb) - float64(2*d)))
	}
}

// sqNorms sets out[i] = ‖row i of x‖² (by dot) and returns out.
func sqNorms(x *nets.Matrix, out []float64) []float64 {
	out = grow(out, x.Rows)
	for i := range x.Rows {
		r := x.Row(i)
		out[i] = dot(r, r)
	}
	return out
}

// grow returns s with length n, reusing its capacity when it suffices.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// exp is the exponential of the kernel and Platt scaling: fmath.Exp, the same
// bits on every machine (math.Exp takes an FMA path on some amd64 CPUs).
func exp(x float64) float64 { return fmath.Exp(x) }

// log is the logarithm of Platt scaling: fmath.Log, for the same reason.
func log(x float64) float64 { return fmath.Log(x) }
