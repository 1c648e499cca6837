package analysis

import (
	"cmp"
	"io"
	"math"
	"slices"
	"strconv"

	"albench/results/records"
	"albench/results/stats"
)

// CrossDataset is the comparison of the strategies across datasets (Demšar
// 2006, "Statistical comparisons of classifiers over multiple data sets",
// JMLR 7:1–30): the Friedman test on their per-dataset ranks (those of
// ranks.csv: by mean AULC, 1 = best, ties sharing their average rank), its
// Iman–Davenport form, the Nemenyi critical difference, and two groupings of
// the strategies that are not told apart: by Nemenyi (|R_i − R_j| < CD) and by
// pairwise Wilcoxon signed-rank tests over the datasets on mean AULC,
// Holm-corrected over all pairs (Benavoli, Corani & Mangili 2016, "Should we
// really use post-hoc tests based on mean-ranks?", JMLR 17:1–10).
//
// Only datasets on which every strategy ran take part, so that each is a
// complete block. Oracles never do (see Meta.Oracles).
type CrossDataset struct {
	// Datasets are the complete blocks, in display order; Skipped the
	// datasets left out because some strategy did not run on them.
	Datasets, Skipped []string
	// Strategies are in display order; Order lists their indices best mean
	// rank first (equal means in display order).
	Strategies []string
	Order      []int
	// MeanRanks are over Datasets, in Strategies order. With no dataset
	// skipped they are ranks.csv's mean_rank.
	MeanRanks []float64
	Friedman  stats.FriedmanResult
	Alpha     float64
	// Q and CD are the Nemenyi q_α and critical difference; NaN with fewer
	// than two strategies or datasets.
	Q, CD float64
	// Nemenyi and WilcoxonHolm are the groups of strategies not significantly
	// different at Alpha, as ranges [lo, hi] of positions in Order (see
	// cliques); both empty when the test is undefined (see Defined).
	Nemenyi, WilcoxonHolm [][2]int
	// PHolm[i][j] is the Holm-adjusted p-value of the Wilcoxon test of
	// Strategies i and j over Datasets (NaN on the diagonal).
	PHolm [][]float64
}

// Defined reports whether the Friedman test applies: two or more datasets
// and two or more strategies.
func (c CrossDataset) Defined() bool { return len(c.Datasets) >= 2 && len(c.Strategies) >= 2 }

// FriedmanHeader is the header row of friedman.csv.
var FriedmanHeader = []string{"n_datasets", "n_strategies", "friedman_stat", "friedman_df", "friedman_p",
	"iman_davenport_stat", "iman_davenport_df1", "iman_davenport_df2", "iman_davenport_p",
	"tie_correction", "q_alpha", "critical_difference", "alpha"}

// CrossDataset computes the comparison across datasets from a's ranks and
// summary at level Alpha.
func (a *Analysis) CrossDataset() CrossDataset {
	c := CrossDataset{Strategies: slices.Clone(a.Strategies), Alpha: Alpha, Q: math.NaN(), CD: math.NaN()}
	k := len(c.Strategies)
	var blocks [][]float64
	for j, ds := range a.Datasets {
		row := make([]float64, k)
		complete := k > 0
		for i := range a.Ranks {
			row[i] = a.Ranks[i].ByDataset[j]
			complete = complete && !math.IsNaN(row[i])
		}
		if complete {
			c.Datasets = append(c.Datasets, ds)
			blocks = append(blocks, row)
		} else {
			c.Skipped = append(c.Skipped, ds)
		}
	}
	c.Friedman = stats.Friedman(blocks)
	c.MeanRanks = c.Friedman.MeanRanks
	if c.MeanRanks == nil {
		c.MeanRanks = make([]float64, k)
		for i := range c.MeanRanks {
			c.MeanRanks[i] = math.NaN()
		}
	}
	c.Order = make([]int, k)
	for i := range c.Order {
		c.Order[i] = i
	}
	slices.SortStableFunc(c.Order, func(x, y int) int { return cmp.Compare(nanLast(c.MeanRanks[x]), nanLast(c.MeanRanks[y])) })
	if !c.Defined() {
		return c
	}
	n := len(c.Datasets)
	c.Q, c.CD = stats.NemenyiQ(k, Alpha), stats.NemenyiCD(k, n, Alpha)
	c.Nemenyi = cliques(k, func(p, q int) bool {
		return math.Abs(c.MeanRanks[c.Order[p]]-c.MeanRanks[c.Order[q]]) < c.CD
	})

	// Per-dataset mean AULC of each strategy, for the Wilcoxon tests.
	mean := make([][]float64, k)
	for i, st := range c.Strategies {
		mean[i] = make([]float64, n)
		for j, ds := range c.Datasets {
			mean[i][j] = a.Row(ds, st).AULC.Mean
		}
	}
	var ps []float64
	for i := range k {
		for j := i + 1; j < k; j++ {
			d := stats.RoundTo(stats.Diff(mean[i], mean[j]), StoredDecimals)
			ps = append(ps, stats.SignedRank(d).P)
		}
	}
	adj := stats.Holm(ps)
	c.PHolm = make([][]float64, k)
	for i := range c.PHolm {
		c.PHolm[i] = make([]float64, k)
		c.PHolm[i][i] = math.NaN()
	}
	m := 0
	for i := range k {
		for j := i + 1; j < k; j++ {
			c.PHolm[i][j], c.PHolm[j][i] = adj[m], adj[m]
			m++
		}
	}
	c.WilcoxonHolm = cliques(k, func(p, q int) bool { return !(c.PHolm[c.Order[p]][c.Order[q]] < Alpha) })
	return c
}

// cliques returns the groups drawn as bars on a critical-difference diagram,
// for k strategies in rank order, where same(p, q) reports that the
// strategies at positions p and q are not significantly different: every
// maximal run [lo, hi] of consecutive positions, hi > lo, in which every pair
// is the same, in order of lo. A run inside another is left out, so each bar
// is a maximal clique of consecutive strategies, as in Demšar's figures and
// aeon's and Orange's diagrams. For Nemenyi, where same is |R_p − R_q| < CD,
// the run from lo reaches the last q within CD of lo.
func cliques(k int, same func(p, q int) bool) [][2]int {
	var out [][2]int
	lastHi := -1
	for lo := range k {
		hi := lo
	extend:
		for hi+1 < k {
			for p := lo; p <= hi; p++ {
				if !same(p, hi+1) {
					break extend
				}
			}
			hi++
		}
		// A run ending where an earlier (longer) one ends lies inside it.
		if hi > lo && hi > lastHi {
			out = append(out, [2]int{lo, hi})
		}
		lastHi = max(lastHi, hi)
	}
	return out
}

// WriteFriedman writes c as friedman.csv: one row, the statistics empty where
// undefined (fewer than two datasets or strategies).
func WriteFriedman(w io.Writer, c CrossDataset) error {
	f := c.Friedman
	// Degrees of freedom are whole numbers.
	df := func(v float64) string {
		if math.IsNaN(v) {
			return ""
		}
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	row := []string{itoa(len(c.Datasets)), itoa(len(c.Strategies)),
		formatOpt(f.Chi2), df(f.DF1), formatOpt(f.PChi2),
		formatOpt(f.FF), df(f.DF1), df(f.DF2), formatOpt(f.PF),
		formatOpt(tieCorrection(c)), formatOpt(c.Q), formatOpt(c.CD), records.FormatFloat(c.Alpha)}
	return writeCSV(w, FriedmanHeader, [][]string{row})
}

// tieCorrection is the Friedman tie correction where the test is defined.
func tieCorrection(c CrossDataset) float64 {
	if !c.Defined() {
		return math.NaN()
	}
	return c.Friedman.TieCorrection
}

// nanLast maps NaN to +Inf, so that sorting puts undefined values last.
func nanLast(v float64) float64 {
	if math.IsNaN(v) {
		return math.Inf(1)
	}
	return v
}
