package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"albench/results/analysis"
	"albench/results/stats"
)

func (r reporter) delta() {
	a, m := r.a, r.m
	if !a.ComparesBaseline(true) {
		return
	}
	r.p("## Δ%s vs %s\n\n", m.aulc(), md(a.Baseline))
	r.p("Per-seed %s minus %s's on the same seed (same data, split, initial labels and weights)", m.aulc(), md(a.Baseline))
	if !m.higher {
		r.p("; negative is better")
	}
	r.p(". 95%% CI: Student t over seeds. p: two-sided; Holm-corrected across the dataset's strategies. W/T/L: seeds won, tied and lost, comparing the differences rounded to %d decimals as `summary.csv` stores them. ", analysis.StoredDecimals)
	r.p("d_z: the effect size, mean ΔAULC over its standard deviation across seeds (Cohen's d_z). Seeds for 80%%: how many seeds a two-sided paired t-test at α = %g needs to detect an effect of that d_z with 80%% power (noncentral t), taking the observed effect as the true one; — when there is no effect to detect, > %d when it is too small to detect with %d seeds.\n\n", analysis.Alpha, stats.MaxSeeds, stats.MaxSeeds)
	r.seedWarning()
	var rows [][]string
	for _, ds := range a.Datasets {
		for _, st := range a.AllStrategies() {
			sr := a.Row(ds, st)
			if sr == nil || !sr.VsBaseline {
				continue
			}
			d := sr.DeltaAULC
			ci := "—"
			if !math.IsNaN(d.CILow) {
				ci = fmt.Sprintf("[%s, %s]", signed(d.CILow), signed(d.CIHigh))
			}
			rows = append(rows, []string{md(ds), md(a.Shown(st)), signed(d.Mean), ci,
				pval(sr.PWilcoxon), pval(sr.PWilcoxonHolm), pval(sr.PTTest), pval(sr.PTTestHolm),
				fmt.Sprintf("%d/%d/%d", sr.Wins, sr.Ties, sr.Losses), effect(sr.EffectSize), seedsNeeded(sr)})
		}
	}
	r.table([]string{"dataset", "strategy", "Δ" + m.aulc(), "95% CI", "p Wilcoxon", "Holm", "p t-test", "Holm", "W/T/L", "d_z", "seeds for 80%"}, rows, 2)
}

// effect prints Cohen's d_z with 2 decimals, ±∞ when every seed differs by
// the same amount.
func effect(d float64) string {
	switch {
	case math.IsNaN(d):
		return "—"
	case math.IsInf(d, 1):
		return "+∞"
	case math.IsInf(d, -1):
		return "-∞"
	case math.Abs(d) >= 100:
		// Near-constant differences: a large ratio of rounding noise.
		return strconv.FormatFloat(d, 'g', 3, 64)
	}
	return fmt.Sprintf("%+.2f", d)
}

// seedsNeeded prints SummaryRow.SeedsNeeded: "—" when the effect is zero or
// undefined, "> MaxSeeds" when no search up to it reached 80% power.
func seedsNeeded(sr *analysis.SummaryRow) string {
	switch {
	case sr.SeedsNeeded > 0:
		return strconv.Itoa(sr.SeedsNeeded)
	case math.IsNaN(sr.EffectSize) || sr.EffectSize == 0:
		return "—"
	}
	return "> " + strconv.Itoa(stats.MaxSeeds)
}

// family is one dataset's Holm family against the baseline: its size and
// the most seeds any of its comparisons pairs.
type family struct{ seeds, size int }

// families returns each dataset's family, in display order; datasets without
// comparisons are left out.
func (r reporter) families() (datasets []string, fams []family) {
	a := r.a
	for _, ds := range a.Datasets {
		var f family
		for _, st := range a.Strategies {
			if sr := a.Row(ds, st); sr != nil && sr.VsBaseline {
				f.size++
				f.seeds = max(f.seeds, sr.Wins+sr.Ties+sr.Losses)
			}
		}
		if f.size > 0 {
			datasets, fams = append(datasets, ds), append(fams, f)
		}
	}
	return datasets, fams
}

// blocked reports whether no comparison of the family can be significant
// after Holm: the smallest exact Wilcoxon p with f.seeds seeds, times the
// family size (Holm's first step), is not below Alpha.
func (f family) blocked() bool {
	return float64(f.size)*stats.MinSignedRankP(f.seeds) >= analysis.Alpha
}

// fewSeeds reports whether, on every dataset with comparisons, the seeds are
// too few for any Holm-corrected Wilcoxon test to be significant, and none
// is (see approximated).
func (r reporter) fewSeeds() bool {
	datasets, fams := r.families()
	for i, f := range fams {
		if !f.blocked() || r.approximated(datasets[i:i+1], 0, analysis.Alpha) {
			return false
		}
	}
	return len(fams) > 0
}

// approximated reports whether a comparison on one of datasets has a
// Wilcoxon p (Holm-corrected when holm) below floor: possible under the
// exact floor only where tied or zero differences made stats.SignedRank use
// the normal approximation.
func (r reporter) approximated(datasets []string, floor, alpha float64) bool {
	for _, ds := range datasets {
		for _, st := range r.a.Strategies {
			sr := r.a.Row(ds, st)
			if sr == nil || !sr.VsBaseline {
				continue
			}
			if floor > 0 && sr.PWilcoxon < floor || alpha > 0 && sr.PWilcoxonHolm < alpha {
				return true
			}
		}
	}
	return false
}

// seedWarning says, where the seeds are too few, that the Wilcoxon tests
// cannot reach significance: the exact test's smallest two-sided p with n
// seeds is 2/2ⁿ (every seed on one side), and Holm's correction multiplies the
// smallest p of a family of m by m.
func (r reporter) seedWarning() {
	datasets, fams := r.families()
	type group struct {
		f        family
		datasets []string
	}
	var groups []group
	for i, f := range fams {
		if !f.blocked() {
			continue
		}
		if n := len(groups); n > 0 && groups[n-1].f == f {
			groups[n-1].datasets = append(groups[n-1].datasets, datasets[i])
			continue
		}
		groups = append(groups, group{f, []string{datasets[i]}})
	}
	for _, g := range groups {
		where := ""
		if len(groups) > 1 || len(g.datasets) < len(datasets) {
			where = " on " + md(strings.Join(g.datasets, ", "))
		}
		pmin := stats.MinSignedRankP(g.f.seeds)
		r.p("> **Too few seeds for the Wilcoxon test%s:** with %d seeds the exact Wilcoxon signed-rank test cannot go below p = 2/2^%d = %s (every seed on the same side), ", where, g.f.seeds, g.f.seeds, minP(pmin))
		switch {
		case pmin >= analysis.Alpha:
			r.p("not below α = %g, so no comparison can be significant, corrected or not", analysis.Alpha)
		default:
			r.p("and after Holm over %d strategies no comparison can be significant (the smallest adjusted p is %d × %s = %s ≥ α = %g)", g.f.size, g.f.size, minP(pmin), minP(math.Min(1, float64(g.f.size)*pmin)), analysis.Alpha)
		}
		if r.approximated(g.datasets, pmin, 0) {
			r.p(". Smaller p-values below come from the normal approximation, which the test uses when differences tie or are zero; it is not to be trusted with so few seeds")
		}
		if !r.approximated(g.datasets, 0, analysis.Alpha) {
			r.p("; no † can appear")
		}
		r.p(". The t-test has no such floor. The seeds-for-80%% column says how many would be needed.\n\n")
	}
}

// minP prints a smallest attainable p exactly enough to recognise 2/2ⁿ.
func minP(p float64) string { return strconv.FormatFloat(p, 'f', 4, 64) }
