package stats

import (
	"math"

	"albench/internal/fmath"

	"gonum.org/v1/gonum/stat/distuv"
)

// FriedmanResult is the outcome of the Friedman test over N blocks (datasets)
// of k treatments (strategies), with Iman and Davenport's F form.
type FriedmanResult struct {
	N, K int
	// MeanRanks holds each treatment's rank averaged over the blocks, in the
	// column order of the input.
	MeanRanks []float64
	// Chi2 is Friedman's χ²_F (tie-corrected, see Friedman), with K−1 degrees
	// of freedom, and PChi2 its upper-tail p-value.
	Chi2, PChi2 float64
	// FF is Iman and Davenport's F_F, with DF1 = K−1 and DF2 = (K−1)(N−1)
	// degrees of freedom, and PF its upper-tail p-value.
	FF, PF   float64
	DF1, DF2 float64
	// TieCorrection is C (see Friedman); Chi2·C is Demšar's uncorrected
	// statistic.
	TieCorrection float64
}

// Friedman is the Friedman test (Friedman 1937; Demšar 2006, "Statistical
// comparisons of classifiers over multiple data sets", JMLR 7:1–30, §3.2.2)
// of the hypothesis that k treatments are equivalent, from ranks[i][j], the
// rank of treatment j within block i (1..k, tied treatments sharing their
// average rank). With R_j the mean rank of treatment j over the N blocks,
//
//	χ²_F = 12N / (k(k+1)) · Σ_j (R_j − (k+1)/2)²
//	     = 12N / (k(k+1)) · [Σ_j R_j² − k(k+1)²/4]            (Demšar, eq. 2)
//
// divided by the tie correction C = 1 − Σ (t³ − t) / (N k (k² − 1)), the sum
// over every group of t tied ranks within a block (Hollander & Wolfe,
// Nonparametric Statistical Methods, §7.1); without ties C = 1 and χ²_F is
// Demšar's. This is what scipy.stats.friedmanchisquare and R's friedman.test
// report. Iman and Davenport's (1980) less conservative statistic is
//
//	F_F = (N−1) χ²_F / (N(k−1) − χ²_F)                       (Demšar, eq. 3)
//
// referred to the F distribution with k−1 and (k−1)(N−1) degrees of freedom;
// χ²_F to χ² with k−1.
//
// With N < 2 or k < 2 the statistics and p-values are NaN (one block says
// nothing about the variation between blocks; one treatment nothing at all);
// MeanRanks is still filled when N ≥ 1. When every block ties every treatment
// (C = 0) there is no evidence against the null: χ²_F = F_F = 0, p = 1. When
// every block ranks the treatments alike, χ²_F = N(k−1): F_F = +Inf, PF = 0.
// It panics if the rows differ in length.
func Friedman(ranks [][]float64) FriedmanResult {
	n := len(ranks)
	r := FriedmanResult{N: n, Chi2: math.NaN(), PChi2: math.NaN(), FF: math.NaN(), PF: math.NaN(),
		DF1: math.NaN(), DF2: math.NaN()}
	if n == 0 {
		return r
	}
	k := len(ranks[0])
	r.K = k
	r.MeanRanks = make([]float64, k)
	var ties float64 // Σ (t³ − t) over the tie groups of every block
	for _, row := range ranks {
		if len(row) != k {
			panic("stats: Friedman blocks of different lengths")
		}
		for j, v := range row {
			r.MeanRanks[j] += v
		}
		ties += tieSum(row)
	}
	for j := range r.MeanRanks {
		r.MeanRanks[j] /= float64(n)
	}
	if n < 2 || k < 2 {
		return r
	}
	nf, kf := float64(n), float64(k)
	r.DF1, r.DF2 = kf-1, float64((kf-1)*(nf-1))
	c := 1 - ties/float64(float64(nf*kf)*(float64(kf*kf)-1))
	r.TieCorrection = c
	if c <= 0 {
		r.Chi2, r.PChi2, r.FF, r.PF = 0, 1, 0, 1
		return r
	}
	centre := (kf + 1) / 2
	var ss float64
	for _, m := range r.MeanRanks {
		d := m - centre
		ss += float64(d * d)
	}
	r.Chi2 = float64(12*nf) / float64(kf*(kf+1)) * ss / c
	r.PChi2 = distuv.ChiSquared{K: r.DF1}.Survival(r.Chi2)
	r.FF, r.PF = ImanDavenport(r.Chi2, n, k)
	return r
}

// ImanDavenport is Iman and Davenport's (1980) F_F = (N−1)χ²_F / (N(k−1) − χ²_F)
// for Friedman's χ²_F over n blocks of k treatments, and its upper-tail p-value
// on k−1 and (k−1)(N−1) degrees of freedom (Demšar 2006, eq. 3). At complete
// agreement, χ²_F = N(k−1), F_F is +Inf and p is 0. NaN for n < 2 or k < 2.
func ImanDavenport(chi2 float64, n, k int) (f, p float64) {
	if n < 2 || k < 2 || math.IsNaN(chi2) {
		return math.NaN(), math.NaN()
	}
	nf, kf := float64(n), float64(k)
	full := float64(nf * (kf - 1))
	den := full - chi2
	// Complete agreement makes den 0 up to rounding.
	if den <= float64(1e-12*full) {
		return math.Inf(1), 0
	}
	f = float64((nf-1)*chi2) / den
	return f, distuv.F{D1: kf - 1, D2: float64((kf - 1) * (nf - 1))}.Survival(f)
}

// tieSum is Σ (t³ − t) over the groups of t equal values of row.
func tieSum(row []float64) float64 {
	var s float64
	seen := make([]bool, len(row))
	for i, v := range row {
		if seen[i] {
			continue
		}
		t := 1
		for j := i + 1; j < len(row); j++ {
			if !seen[j] && row[j] == v {
				seen[j] = true
				t++
			}
		}
		if t > 1 {
			tf := float64(t)
			s += float64(tf*tf*tf) - tf
		}
	}
	return s
}

// nemenyiTable holds q_α for k = 2..10 treatments, the two-tailed Nemenyi
// critical values of Demšar (2006), Table 5(a): the studentized range
// statistic's quantile for infinite degrees of freedom divided by √2.
var nemenyiTable = map[float64][9]float64{
	0.05: {1.960, 2.343, 2.569, 2.728, 2.850, 2.949, 3.031, 3.102, 3.164},
	0.10: {1.645, 2.052, 2.291, 2.459, 2.589, 2.693, 2.780, 2.855, 2.920},
}

// NemenyiQ is q_α of the Nemenyi test for k treatments: Demšar's Table 5(a)
// for k ≤ 10 and α = 0.05 or 0.10 (so that critical differences match the
// published ones to the digit), otherwise q_{1−α}(k, ∞)/√2 from
// StudentizedRangeQuantile. It is NaN for k < 2 or α outside (0, 1).
func NemenyiQ(k int, alpha float64) float64 {
	if k < 2 || !(alpha > 0 && alpha < 1) {
		return math.NaN()
	}
	if t, ok := nemenyiTable[alpha]; ok && k <= 10 {
		return t[k-2]
	}
	return StudentizedRangeQuantile(1-alpha, k) / math.Sqrt2
}

// NemenyiCD is the Nemenyi test's critical difference of mean ranks for k
// treatments over n blocks (Demšar 2006, §3.2.2):
//
//	CD = q_α √(k(k+1) / (6N))
//
// Two treatments whose mean ranks differ by at least CD differ significantly
// at level α. It is NaN for k < 2 or n < 1.
func NemenyiCD(k, n int, alpha float64) float64 {
	if n < 1 {
		return math.NaN()
	}
	kf := float64(k)
	return NemenyiQ(k, alpha) * math.Sqrt(float64(kf*(kf+1))/float64(6*n))
}

// StudentizedRangeCDF is P(W ≤ q) for the range W of k independent standard
// normal variables (the studentized range with infinite degrees of freedom):
//
//	P(W ≤ q) = k ∫ φ(z) [Φ(z) − Φ(z − q)]^{k−1} dz
//
// (Hartley 1942), integrated by Simpson's rule with step 1/128 over
// z ∈ [−9, 9], outside which φ is below 1e−17. Accurate to about 1e−9.
func StudentizedRangeCDF(q float64, k int) float64 {
	if k < 2 || math.IsNaN(q) {
		return math.NaN()
	}
	if q <= 0 {
		return 0
	}
	const lo, hi, steps = -9.0, 9.0, 18 * 128
	h := (hi - lo) / steps
	f := func(z float64) float64 {
		// Φ(z) − Φ(z−q) = (erfc(−z/√2) − erfc((q−z)/√2)) / 2.
		d := (fmath.Erfc(-z/math.Sqrt2) - fmath.Erfc((q-z)/math.Sqrt2)) / 2
		p := 1.0
		for range k - 1 {
			p *= d
		}
		return fmath.Exp(-float64(z*z)/2) / math.Sqrt(2*math.Pi) * p
	}
	sum := f(lo) + f(hi)
	for i := 1; i < steps; i++ {
		w := 2.0
		if i%2 == 1 {
			w = 4
		}
		sum += float64(w * f(lo+float64(float64(i)*h)))
	}
	return math.Min(1, float64(float64(k)*h)/3*sum)
}

// StudentizedRangeQuantile is the q with StudentizedRangeCDF(q, k) = p, found
// by the Illinois variant of regula falsi (Dowell & Jarratt 1971) to 1e−9 in
// q. It is NaN for k < 2 or p outside (0, 1).
func StudentizedRangeQuantile(p float64, k int) float64 {
	if k < 2 || !(p > 0 && p < 1) {
		return math.NaN()
	}
	g := func(q float64) float64 { return StudentizedRangeCDF(q, k) - p }
	a, b := 0.0, 1.0
	fa, fb := -p, g(b)
	for fb < 0 {
		a, fa = b, fb
		b *= 2
		fb = g(b)
	}
	side := 0
	for range 100 {
		c := (float64(a*fb) - float64(b*fa)) / (fb - fa)
		fc := g(c)
		if fc == 0 || b-a < 1e-9 {
			return c
		}
		if (fc < 0) == (fa < 0) {
			a, fa = c, fc
			if side == -1 {
				fb /= 2
			}
			side = -1
		} else {
			b, fb = c, fc
			if side == 1 {
				fa /= 2
			}
			side = 1
		}
	}
	return (a + b) / 2
}
