package results

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

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
			mean[i][j] = a.row(ds, st).AULC.Mean
		}
	}
	var ps []float64
	for i := range k {
		for j := i + 1; j < k; j++ {
			d := stats.Diff(mean[i], mean[j])
			for t := range d {
				if math.Abs(d[t]) <= TieTolerance {
					d[t] = 0
				}
			}
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
		formatOpt(tieCorrection(c)), formatOpt(c.Q), formatOpt(c.CD), FormatFloat(c.Alpha)}
	return writeCSV(w, FriedmanHeader, [][]string{row})
}

// tieCorrection is the Friedman tie correction where the test is defined.
func tieCorrection(c CrossDataset) float64 {
	if !c.Defined() {
		return math.NaN()
	}
	return c.Friedman.TieCorrection
}

// groupNames prints cliques as "{a, b}, {c, d}".
func (c CrossDataset) groupNames(cl [][2]int) string {
	var parts []string
	for _, g := range cl {
		var names []string
		for p := g[0]; p <= g[1]; p++ {
			names = append(names, md(c.Strategies[c.Order[p]]))
		}
		parts = append(parts, "{"+strings.Join(names, ", ")+"}")
	}
	if len(parts) == 0 {
		return "none (every pair differs)"
	}
	return strings.Join(parts, ", ")
}

// acrossDatasets writes the report's "Across datasets" section.
func (r reporter) acrossDatasets() {
	a := r.a
	if len(a.Strategies) == 0 {
		return
	}
	c := a.CrossDataset()
	r.p("## Across datasets\n\n")
	if len(c.Skipped) > 0 {
		r.p("Only the %d datasets on which every strategy ran count here (left out: %s).\n\n", len(c.Datasets), md(strings.Join(c.Skipped, ", ")))
	}
	if !c.Defined() {
		switch {
		case len(c.Strategies) < 2:
			r.p("With one strategy there is nothing to compare across datasets: no Friedman test.\n\n")
		default:
			r.p("The Friedman test needs two or more datasets; with %d it is undefined, and `friedman.csv` leaves its statistics empty.\n\n", len(c.Datasets))
		}
		return
	}
	f := c.Friedman
	verdict := "does not reject"
	if f.PF < c.Alpha {
		verdict = "rejects"
	}
	tail := ""
	if !(f.PF < c.Alpha) {
		// Demšar runs the post-hoc test only after a rejection.
		tail = " (so the groups below only describe the ranks)"
	}
	r.p("Friedman test (Demšar 2006) on the ranks above, over %d datasets and %d strategies", len(c.Datasets), len(c.Strategies))
	if len(a.Oracles) > 0 {
		r.p(" (oracles left out)")
	}
	r.p(": χ²_F = %s (%g df, p = %s); Iman–Davenport F_F = %s (%g and %g df, p = %s), which %s at α = %g that the strategies are equivalent%s. ",
		stat(f.Chi2), f.DF1, pval(f.PChi2), stat(f.FF), f.DF1, f.DF2, pval(f.PF), verdict, c.Alpha, tail)
	r.p("Nemenyi critical difference CD = %.3f (q_α = %.3f). Numbers in `friedman.csv`.\n\n", c.CD, c.Q)
	r.p("Critical-difference diagram: mean rank on the axis (1 = best); a thick bar joins strategies whose mean ranks differ by less than CD (Nemenyi, the default): ![critical difference diagram](figures/cd.png)\n\n")
	r.p("The same ranks with bars from pairwise Wilcoxon signed-rank tests over datasets on mean AULC, Holm-corrected over the %d pairs (Benavoli, Corani & Mangili 2016): ![critical difference diagram, Wilcoxon–Holm](figures/cd_wilcoxon.png)\n\n", len(c.Strategies)*(len(c.Strategies)-1)/2)
	if math.Ldexp(2, -len(c.Datasets)) >= c.Alpha {
		r.p("With %d datasets the Wilcoxon tests have little power: the exact test's smallest two-sided p is 2/2^%d = %.4f, not below α.\n\n", len(c.Datasets), len(c.Datasets), math.Ldexp(2, -len(c.Datasets)))
	}
	r.p("Groups not told apart, best first: Nemenyi %s; Wilcoxon–Holm %s.\n\n", c.groupNames(c.Nemenyi), c.groupNames(c.WilcoxonHolm))
}

// stat prints a test statistic, "∞" at complete agreement.
func stat(v float64) string {
	switch {
	case math.IsNaN(v):
		return "—"
	case math.IsInf(v, 1):
		return "∞"
	}
	return fmt.Sprintf("%.3f", v)
}
