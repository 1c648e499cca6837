package stats

import (
	"math"
	"slices"
	"strconv"

	"albench/internal/fmath"
)

// ExactMaxN is the largest number of non-zero differences for which
// SignedRank uses the exact null distribution.
const ExactMaxN = 25

// SignedRankResult is the outcome of a Wilcoxon signed-rank test.
type SignedRankResult struct {
	// W is min(R+, R−), the smaller of the rank sums of the positive and
	// negative differences, as scipy.stats.wilcoxon reports it.
	W float64
	// P is the two-sided p-value.
	P float64
	// N is the number of non-zero differences the test used.
	N int
	// Exact reports whether P comes from the exact null distribution rather
	// than the normal approximation.
	Exact bool
}

// SignedRank is the Wilcoxon signed-rank test of the paired differences d
// against the two-sided alternative that they are not symmetric about zero
// (Wilcoxon 1945).
//
// Zero differences are dropped before ranking (Wilcoxon's "wilcox" method, the
// default zero_method of scipy.stats.wilcoxon). The n remaining |d| are ranked
// 1..n, ties sharing their average rank, and R+ is the sum of the ranks of the
// positive differences.
//
// With n ≤ ExactMaxN, no ties and no zeros, p is exact: under the null each
// of the 2ⁿ sign patterns is equally likely, and
//
//	p = min(1, 2 · min(P(R+ ≤ r), P(R+ ≥ r)))
//
// with the distribution of R+ counted by dynamic programming over the ranks.
// Otherwise p comes from the normal approximation with the tie correction
//
//	μ = n(n+1)/4,  σ² = n(n+1)(2n+1)/24 − Σ_j (t_j³ − t_j)/48
//	z = (W − μ)/σ,  p = 2 · Φ(−|z|)
//
// where t_j are the sizes of the groups of tied |d|, and without continuity
// correction (scipy's default, correction=False). These match
// scipy.stats.wilcoxon(d, method="exact") and (d, method="approx"). Ties are
// exact float equality, as in scipy.
//
// An empty d gives W = P = NaN. When every difference is zero there is no
// evidence against the null: W = 0 and P = 1 (scipy raises an error instead).
func SignedRank(d []float64) SignedRankResult {
	if len(d) == 0 {
		return SignedRankResult{W: math.NaN(), P: math.NaN()}
	}
	nz := make([]float64, 0, len(d))
	for _, v := range d {
		if v != 0 {
			nz = append(nz, v)
		}
	}
	zeros := len(d) - len(nz)
	n := len(nz)
	if n == 0 {
		return SignedRankResult{W: 0, P: 1}
	}

	abs := make([]float64, n)
	for i, v := range nz {
		abs[i] = math.Abs(v)
	}
	ranks, ties := Rank(abs)
	var rplus, rminus float64
	for i, v := range nz {
		if v > 0 {
			rplus += ranks[i]
		} else {
			rminus += ranks[i]
		}
	}
	w := math.Min(rplus, rminus)

	if n <= ExactMaxN && zeros == 0 && len(ties) == 0 {
		return SignedRankResult{W: w, P: exactSignedRankP(n, int(rplus)), N: n, Exact: true}
	}

	nf := float64(n)
	mu := nf * (nf + 1) / 4
	v := nf * (nf + 1) * (float64(2*nf) + 1) / 24
	for _, t := range ties {
		tf := float64(t)
		v -= (float64(tf*tf*tf) - tf) / 48
	}
	z := (w - mu) / math.Sqrt(v)
	// 2·Φ(−|z|) = erfc(|z|/√2), which keeps its precision in the far tail.
	p := fmath.Erfc(math.Abs(z) / math.Sqrt2)
	return SignedRankResult{W: w, P: math.Min(p, 1), N: n}
}

// Wilcoxon returns the two-sided p-value of the Wilcoxon signed-rank test of
// the pairs x[i], y[i] (see SignedRank). It panics if the lengths differ.
func Wilcoxon(x, y []float64) float64 {
	return SignedRank(Diff(x, y)).P
}

// exactSignedRankP is the exact two-sided p-value of R+ = r among n untied
// ranks 1..n.
func exactSignedRankP(n, r int) float64 {
	// count[s] is the number of subsets of {1..k} with sum s; the counts reach
	// at most C(25, 12) < 2⁵³, so float64 holds them exactly.
	max := n * (n + 1) / 2
	count := make([]float64, max+1)
	count[0] = 1
	for k := 1; k <= n; k++ {
		for s := k * (k + 1) / 2; s >= k; s-- {
			count[s] += count[s-k]
		}
	}
	var le, ge float64
	for s, c := range count {
		if s <= r {
			le += c
		}
		if s >= r {
			ge += c
		}
	}
	total := math.Ldexp(1, n)
	return math.Min(1, 2*math.Min(le, ge)/total)
}

// Rank returns the ascending ranks 1..n of x, tied values sharing the mean of
// the ranks they span (scipy.stats.rankdata's "average" method), and the sizes
// of the groups of ties (groups of one are left out). NaNs are not allowed.
func Rank(x []float64) (ranks []float64, ties []int) {
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case x[a] < x[b]:
			return -1
		case x[a] > x[b]:
			return 1
		}
		return 0
	})
	ranks = make([]float64, len(x))
	for i := 0; i < len(idx); {
		j := i + 1
		for j < len(idx) && x[idx[j]] == x[idx[i]] {
			j++
		}
		// Positions i..j−1 hold ranks i+1..j; their mean is (i+1+j)/2.
		r := float64(i+1+j) / 2
		for k := i; k < j; k++ {
			ranks[idx[k]] = r
		}
		if j-i > 1 {
			ties = append(ties, j-i)
		}
		i = j
	}
	return ranks, ties
}

// MinSignedRankP is the smallest two-sided p-value the exact signed-rank test
// can give with n non-zero differences: every difference of one sign, 2/2ⁿ.
// With 5 seeds no comparison can go below 0.0625, so none is significant at
// α = 0.05 however large its effect.
func MinSignedRankP(n int) float64 {
	if n < 1 {
		return 1
	}
	return math.Min(1, math.Ldexp(2, -n))
}

// RoundTo rounds each value to the given number of decimals as
// strconv.FormatFloat(v, 'f', decimals, 64) prints it, in place, and returns
// d. Signed-rank ties and zeros are exact equalities; differences of metrics
// stored with 6 decimals that agree to that precision but not to the last bit
// (0.1 + 0.2 − 0.3) are ties, so they are rounded to the stored precision
// before ranking.
func RoundTo(d []float64, decimals int) []float64 {
	for i, v := range d {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'f', decimals, 64), 64)
		if r == 0 {
			r = 0 // no −0, which would still rank as zero but print as "-0"
		}
		d[i] = r
	}
	return d
}
