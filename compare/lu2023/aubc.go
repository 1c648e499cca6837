package main

import (
	"math"

	"albench/results/analysis"
)

// albenchAULC is albench's area under the learning curve of one trial: the
// trapezoid of the test accuracy a_i over the number of labels x_i from the
// initial set (i = 0) to the last query (i = q), divided by the x-range
// (analysis.AULC). With batch 1, x_i = x_0 + i and
//
//	AULC = [Σ_{i=0}^{q−1} (a_i + a_{i+1})/2] / q
func albenchAULC(x, a []float64) float64 {
	return analysis.AULC(x, a)
}

// paperAUBC is the AUBC of one trial as the code of Lu et al. (2023) computes
// it when their summary table was made (ariapoy/active-learning-benchmark,
// commit 42b01fd, AUBC_Zhan in src/algo/libact.py, later AUBC in src/utils.py,
// called from src/main.py with budget = range(quota) and the accuracies after each query,
// E_tst_score): the initial point a_0 is not on their curve, and the trapezoid
// over the q remaining points is divided by the number of queries q. For
// batch 1,
//
//	AUBC_paper = [Σ_{i=1}^{q−1} (a_i + a_{i+1})/2] / q
//
// and in general the trapezoid of (x_i, a_i) over i = 1..q divided by
// x_q − x_0. Their code rounds each trial's AUBC to 5 decimals; this does not
// (the rounding moves a mean by less than 5e−6). Their later code (2025,
// np.trapz over the same points divided by al_round[-1] − al_round[0] + 1 = q + 1)
// divides by q + 1 instead; the table was not made with it.
//
// A trial without queries (q = 0) gives NaN; with one query the paper's curve
// is a single point and its area is 0. It panics if the lengths differ or x is
// not strictly increasing.
func paperAUBC(x, a []float64) float64 {
	if len(x) != len(a) {
		panic("lu2023: paperAUBC of x and a of different lengths")
	}
	q := len(x) - 1
	if q < 1 {
		return math.NaN()
	}
	var area float64
	for i := 2; i <= q; i++ {
		dx := x[i] - x[i-1]
		if !(dx > 0) {
			panic("lu2023: paperAUBC with x not strictly increasing")
		}
		area += dx * (a[i] + a[i-1]) / 2
	}
	if !(x[1] > x[0]) {
		panic("lu2023: paperAUBC with x not strictly increasing")
	}
	return area / (x[q] - x[0])
}

// combinedSE is the standard error of the difference of two independent
// sample means with sample standard deviations sa, sp over na and np trials:
//
//	SE = √(sa²/na + sp²/np)
func combinedSE(sa float64, na int, sp float64, np int) float64 {
	return math.Sqrt(sa*sa/float64(na) + sp*sp/float64(np))
}

// agreeSlack is the allowance for the normalisation and split details on top
// of three combined standard errors (issue 12's acceptance rule).
const agreeSlack = 0.005

// agrees reports whether albench's mean ma and the paper's mean mp agree
// within the rule
//
//	|ma − mp| ≤ 3·SE + 0.005
func agrees(ma, mp, se float64) bool {
	return math.Abs(ma-mp) <= float64(3*se)+agreeSlack
}
