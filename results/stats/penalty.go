package stats

import "math"

// AddPenalties adds one budget point's comparisons to Ash et al.'s pairwise
// penalty matrix (Ash, Zhang, Krishnamurthy, Langford & Agarwal 2020, "Deep
// Batch Active Learning by Diverse, Uncertain Gradient Lower Bounds", §5):
// acc[i][s] is strategy i's metric on seed s at this point (the same seeds for
// every strategy, in the same order), and for every ordered pair (i, j) whose
// paired t-test over the seeds,
//
//	t = √n · mean(acc_i − acc_j) / sd(acc_i − acc_j),
//
// is significant two-sided at level alpha in favour of i (t > 0, p < alpha:
// with 5 seeds, t > 2.776), p[i][j] gains weight. Summed over the L budget
// points of a dataset with weight 1/L and over datasets, p[i][j] counts in how
// many datasets' worth of budget i beats j; the column means say how often a
// strategy is beaten. higher says whether a larger metric is better (false for
// log-loss). Pairs with fewer than two seeds add nothing.
func AddPenalties(p [][]float64, acc [][]float64, weight, alpha float64, higher bool) {
	d := make([]float64, 0, 16)
	for i := range acc {
		for j := range acc {
			if i == j {
				continue
			}
			d = d[:0]
			for s := range acc[i] {
				diff := acc[i][s] - acc[j][s]
				if !higher {
					diff = -diff
				}
				d = append(d, diff)
			}
			t, pv := TTest(d)
			if !math.IsNaN(pv) && t > 0 && pv < alpha {
				p[i][j] += weight
			}
		}
	}
}
