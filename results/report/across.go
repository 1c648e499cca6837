package report

import (
	"fmt"
	"math"
	"strings"

	"albench/results/analysis"
	"albench/results/stats"
)

// groupNames prints cliques as "{a, b}, {c, d}".
func groupNames(c analysis.CrossDataset, cl [][2]int) string {
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
	r.fig(figCD, "critical difference diagram", "Critical-difference diagram: mean rank on the axis (1 = best); a thick bar joins strategies whose mean ranks differ by less than CD (Nemenyi, the default): ", "\n\n")
	pairs := len(c.Strategies) * (len(c.Strategies) - 1) / 2
	r.fig(figCDWilcoxon, "critical difference diagram, Wilcoxon–Holm",
		fmt.Sprintf("The same ranks with bars from pairwise Wilcoxon signed-rank tests over datasets on mean %s, Holm-corrected over the %d pairs (Benavoli, Corani & Mangili 2016): ", r.m.aulc(), pairs), "\n\n")
	if pmin := stats.MinSignedRankP(len(c.Datasets)); pmin >= c.Alpha {
		r.p("With %d datasets the Wilcoxon tests have little power: the exact test's smallest two-sided p is 2/2^%d = %s, not below α.\n\n", len(c.Datasets), len(c.Datasets), minP(pmin))
	} else if float64(pairs)*pmin >= c.Alpha {
		r.p("With %d datasets the exact Wilcoxon test's smallest two-sided p is 2/2^%d = %s; after Holm over %d pairs (smallest adjusted p %s) no pair can be told apart.\n\n", len(c.Datasets), len(c.Datasets), minP(pmin), pairs, minP(math.Min(1, float64(pairs)*pmin)))
	}
	r.p("Groups not told apart, best first: Nemenyi %s; Wilcoxon–Holm %s.\n\n", groupNames(c, c.Nemenyi), groupNames(c, c.WilcoxonHolm))
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
