package stats

import (
	"math"

	"albench/internal/fmath"

	"gonum.org/v1/gonum/stat/distuv"
)

// PowerTarget is the power at which SeedsFor sizes a comparison, the
// conventional 80% (Cohen 1988).
const PowerTarget = 0.8

// MaxSeeds bounds the search of SeedsFor: effects that need more seeds than
// this are reported as needing more (ok = false).
const MaxSeeds = 10000

// PairedTPower is the power of the two-sided paired t-test at level alpha with
// n pairs when the true standardised effect is d = μ_Δ / σ_Δ (Cohen's d_z):
//
//	power = P(|T′| > t_{1−α/2, n−1}),   T′ ~ t′(ν = n − 1, δ = d √n)
//
// with t′ the noncentral t distribution. Writing T′ = (Z + δ)/S, S = √(V/ν),
// V ~ χ²_ν, the power is the expectation over S of
//
//	Φ(−c S + δ) + Φ(−c S − δ),   c = t_{1−α/2, ν},
//
// which is integrated here over the density of S,
//
//	f(s) = 2 (ν/2)^{ν/2} / Γ(ν/2) · s^{ν−1} e^{−ν s²/2},
//
// by composite Simpson's rule. It matches scipy.stats.nct to 3e-9 (scipy's t
// quantile is the less accurate of the two: at ν = 49 it is 2.6e-9 low).
// n < 2 gives NaN.
func PairedTPower(d float64, n int, alpha float64) float64 {
	if n < 2 || math.IsNaN(d) {
		return math.NaN()
	}
	nu := float64(n - 1)
	c := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: nu}.Quantile(1 - alpha/2)
	delta := float64(math.Abs(d) * math.Sqrt(float64(n)))
	// S concentrates around 1 with spread about 1/√(2ν); integrate 12 spreads
	// either side (from 0 for small ν), where the density is below 1e-30.
	half := 12 / math.Sqrt(2*nu)
	lo, hi := math.Max(0, 1-half), 1+half
	if nu < 3 {
		hi = 12
	}
	logNorm := fmath.Log(2) + float64(nu/2*fmath.Log(nu/2)) - logGammaHalf(n-1)
	g := func(s float64) float64 {
		if s == 0 {
			if nu == 1 {
				return fmath.Exp(logNorm) * (normCDF(delta) + normCDF(-delta))
			}
			return 0
		}
		lf := logNorm + float64((nu-1)*fmath.Log(s)) - float64(float64(nu*s)*s)/2
		cs := float64(c * s)
		return fmath.Exp(lf) * (normCDF(delta-cs) + normCDF(-cs-delta))
	}
	const m = 4000 // Simpson intervals (even)
	h := (hi - lo) / m
	sum := g(lo) + g(hi)
	for i := 1; i < m; i++ {
		w := 2.0
		if i%2 == 1 {
			w = 4
		}
		sum += float64(w * g(lo+float64(float64(i)*h)))
	}
	return math.Min(1, float64(sum*h)/3)
}

// SeedsFor is the smallest number of seeds (pairs) n ≥ 2 at which the
// two-sided paired t-test at level alpha detects a standardised effect d =
// mean(Δ)/sd(Δ) with power ≥ power (see PairedTPower). ok is false when d is
// zero or undefined, or when more than MaxSeeds would be needed.
func SeedsFor(d, alpha, power float64) (n int, ok bool) {
	if math.IsNaN(d) || d == 0 {
		return 0, false
	}
	if math.IsInf(d, 0) {
		return 2, true
	}
	// The normal approximation n ≈ ((z_{1−α/2} + z_power)/d)² is a lower bound
	// up to a seed or two; search up from just below it.
	z := distuv.UnitNormal
	approx := math.Pow((z.Quantile(1-alpha/2)+z.Quantile(power))/math.Abs(d), 2)
	if approx > MaxSeeds {
		return 0, false
	}
	n = max(2, int(approx)-2)
	for ; n <= MaxSeeds; n++ {
		if PairedTPower(d, n, alpha) >= power {
			return n, true
		}
	}
	return 0, false
}

// EffectSize is Cohen's d_z of paired differences: mean(d)/sd(d), ±Inf when the
// differences are all equal and non-zero, NaN with fewer than two or all zero.
func EffectSize(d []float64) float64 {
	if len(d) < 2 {
		return math.NaN()
	}
	mean, sd := meanStdDev(d)
	if sd == 0 {
		if mean == 0 {
			return math.NaN()
		}
		return math.Copysign(math.Inf(1), mean)
	}
	return mean / sd
}

// normCDF is Φ(x) = erfc(−x/√2)/2.
func normCDF(x float64) float64 { return fmath.Erfc(-x/math.Sqrt2) / 2 }

// logGammaHalf is log Γ(k/2) for k ≥ 1, by the recurrence Γ(x+1) = xΓ(x) from
// Γ(1) = 1 or Γ(1/2) = √π, so it takes the same bits on every build.
func logGammaHalf(k int) float64 {
	var s, x float64
	if k%2 == 0 {
		x = 1
	} else {
		s, x = float64(fmath.Log(math.Pi))/2, 0.5
	}
	for ; x < float64(k)/2; x++ {
		s += fmath.Log(x)
	}
	return s
}
