// Package report writes report.md, the Markdown report of a run, from its
// analysis (albench/results/analysis).
package report

import (
	"albench/results/analysis"
	"albench/results/records"
	"bufio"
	"cmp"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// WriteReport writes report.md: the run's description and versions, the
// AULC, ΔAULC, final-accuracy, labels-to-target, rank and pairwise tables, the
// figures (relative links into figures/) and the config. Everything it shows
// comes from a and meta, so the same inputs give the same bytes.
func WriteReport(w io.Writer, a *analysis.Analysis, meta analysis.Meta) error {
	bw := bufio.NewWriter(w)
	r := reporter{w: bw, a: a}
	r.header(meta)
	r.aulc()
	r.delta()
	r.figures()
	r.final()
	r.labelsToTarget()
	r.ranks()
	r.pairwise()
	r.acrossDatasets()
	r.config(meta)
	return bw.Flush()
}

type reporter struct {
	w *bufio.Writer
	a *analysis.Analysis
}

func (r reporter) p(format string, args ...any) { fmt.Fprintf(r.w, format, args...) }

// md escapes the characters of a name that would break a table cell.
func md(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

// table writes a Markdown table; the first left columns are left-aligned,
// the others (numbers) right-aligned.
func (r reporter) table(head []string, rows [][]string, left int) {
	r.p("| %s |\n|", strings.Join(head, " | "))
	for i := range head {
		if i < left {
			r.p(" --- |")
		} else {
			r.p(" ---: |")
		}
	}
	r.p("\n")
	for _, row := range rows {
		r.p("| %s |\n", strings.Join(row, " | "))
	}
	r.p("\n")
}

func (r reporter) header(m analysis.Meta) {
	name := m.Name
	if name == "" {
		name = "albench run"
	}
	r.p("# %s\n\n", name)
	if m.Partial != "" {
		r.p("> **Partial report:** %s\n\n", md(m.Partial))
	}
	if m.Description != "" {
		r.p("%s\n\n", strings.TrimSpace(m.Description))
	}
	seeds := m.Seeds
	if len(seeds) == 0 {
		seeds = r.a.Seeds
	}
	var rows [][]string
	add := func(k, v string) {
		if v != "" {
			rows = append(rows, []string{k, md(v)})
		}
	}
	add("albench", m.AlbenchVersion)
	add("Go", m.GoVersion)
	add("kernel", m.Kernel)
	if !m.Started.IsZero() {
		add("started", m.Started.UTC().Format(time.RFC3339))
	}
	if m.Elapsed > 0 {
		add("elapsed", m.Elapsed.Round(time.Second).String())
	}
	add("seeds", fmt.Sprintf("%s (%d)", seedRanges(seeds), len(seeds)))
	add("datasets", strings.Join(r.a.Datasets, ", "))
	add("strategies", strings.Join(r.a.Strategies, ", "))
	add("oracles", strings.Join(r.a.Oracles, ", "))
	add("baseline", r.a.Baseline)
	add("target", fmt.Sprintf("%s of the skyline accuracy", pct(r.a.Target)))
	r.table([]string{"", ""}, rows, 2)
	r.p("Data: `trials.csv` (every evaluation), `curves.csv`, `summary.csv`, `ranks.csv`, `pairwise.csv`, `friedman.csv`.\n\n")
	if len(r.a.Oracles) > 0 {
		r.p("Oracles (%s) are upper bounds, not strategies: they read the test labels they are scored on. Tables and legends mark them %q; their rows in `curves.csv` and `summary.csv` have `%s` = true. They are compared with %s but never ranked, never in the pairwise wins, outside the Holm corrections and the ΔAULC figure, and the curves draw them dark grey and dash-dotted without a band, a ceiling like the skyline.\n\n",
			md(strings.Join(r.a.Oracles, ", ")), strings.TrimSpace(analysis.OracleSuffix), analysis.OracleColumn, md(r.a.Baseline))
	}
}

// shownAll is the strategies then the oracles as tables show them, escaped.
func shownAll(a *analysis.Analysis) []string {
	out := mdAll(a.Strategies)
	for _, st := range a.Oracles {
		out = append(out, md(a.Shown(st)))
	}
	return out
}

// seedRanges prints sorted seeds with consecutive runs joined: "0–7, 11".
func seedRanges(seeds []int) string {
	s := slices.Sorted(slices.Values(seeds))
	var parts []string
	for i := 0; i < len(s); {
		j := i
		for j+1 < len(s) && s[j+1] == s[j]+1 {
			j++
		}
		switch {
		case j == i:
			parts = append(parts, strconv.Itoa(s[i]))
		case j == i+1:
			parts = append(parts, strconv.Itoa(s[i]), strconv.Itoa(s[j]))
		default:
			parts = append(parts, fmt.Sprintf("%d–%d", s[i], s[j]))
		}
		i = j + 1
	}
	return strings.Join(parts, ", ")
}

func pct(f float64) string { return strconv.FormatFloat(100*f, 'f', -1, 64) + "%" }

// meanStd prints "0.848 ± 0.010", or the mean alone for a single seed.
func meanStd(mean, std float64) string {
	if math.IsNaN(mean) {
		return "—"
	}
	if math.IsNaN(std) {
		return fmt.Sprintf("%.3f", mean)
	}
	return fmt.Sprintf("%.3f ± %.3f", mean, std)
}

func pval(p float64) string {
	switch {
	case math.IsNaN(p):
		return "—"
	case p < 1e-4:
		return "<0.0001"
	}
	return fmt.Sprintf("%.4f", p)
}

func signed(v float64) string {
	if math.IsNaN(v) {
		return "—"
	}
	return fmt.Sprintf("%+.4f", v)
}

func (r reporter) aulc() {
	a := r.a
	r.p("## Area under the learning curve\n\n")
	r.p("AULC is the area under test accuracy against the number of labels (trapezoid rule) divided by the budget's range: the mean accuracy over the budget. Mean ± std over seeds. **Bold**: best on the dataset. †: differs from %s, Wilcoxon signed-rank test paired by seed, Holm-corrected across the dataset's strategies, p < %g.\n\n", md(a.Baseline), analysis.Alpha)
	if len(a.Oracles) > 0 {
		r.p("Oracles last, never bold.\n\n")
	}
	head := append([]string{"dataset"}, shownAll(a)...)
	var rows [][]string
	for _, ds := range a.Datasets {
		best := math.Inf(-1)
		for _, st := range a.Strategies {
			if sr := a.Row(ds, st); sr != nil && !math.IsNaN(sr.AULC.Mean) {
				best = math.Max(best, sr.AULC.Mean)
			}
		}
		row := []string{md(ds)}
		for _, st := range a.AllStrategies() {
			sr := a.Row(ds, st)
			if sr == nil {
				row = append(row, "—")
				continue
			}
			cell := meanStd(sr.AULC.Mean, sr.AULC.Std)
			if !sr.Oracle && best-sr.AULC.Mean <= analysis.TieTolerance {
				cell = "**" + cell + "**"
			}
			if sr.VsBaseline && sr.PWilcoxonHolm < analysis.Alpha {
				cell += " †"
			}
			row = append(row, cell)
		}
		rows = append(rows, row)
	}
	r.table(head, rows, 1)
}

func mdAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = md(s)
	}
	return out
}

func (r reporter) delta() {
	a := r.a
	if !a.ComparesBaseline(true) {
		return
	}
	r.p("## ΔAULC vs %s\n\n", md(a.Baseline))
	r.p("Per-seed AULC minus %s's on the same seed (same data, split, initial labels and weights). 95%% CI: Student t over seeds. p: two-sided; Holm-corrected across the dataset's strategies. W/T/L: seeds won, tied (within %g) and lost.\n\n", md(a.Baseline), analysis.TieTolerance)
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
				fmt.Sprintf("%d/%d/%d", sr.Wins, sr.Ties, sr.Losses)})
		}
	}
	r.table([]string{"dataset", "strategy", "ΔAULC", "95% CI", "p Wilcoxon", "Holm", "p t-test", "Holm", "W/T/L"}, rows, 2)
}

func (r reporter) figures() {
	a := r.a
	r.p("## Learning curves\n\n")
	r.p("Mean test accuracy over seeds with a ±1 std band; %s dashed grey; the skyline (the model trained on the whole pool) dotted", md(a.Baseline))
	if len(a.Oracles) > 0 {
		r.p("; oracles dark grey, dash-dotted, without a band")
	}
	r.p(".\n\n")
	for _, ds := range a.Datasets {
		r.p("![learning curves on %s](figures/%s.png)\n\n", md(ds), FigureFile("curves", ds))
	}
	if len(a.Datasets) > 1 {
		r.p("All datasets, one y-range per row: ![all datasets](figures/grid.png)\n\n")
	}
	if a.ComparesBaseline(false) {
		r.p("![ΔAULC vs %s](figures/delta_aulc.png)\n\n", md(a.Baseline))
	}
}

func (r reporter) final() {
	a := r.a
	r.p("## Final accuracy\n\n")
	r.p("Test accuracy after the last round, mean ± std over seeds; the skyline is the model trained on the whole pool.\n\n")
	head := append(append([]string{"dataset"}, shownAll(a)...), records.Skyline)
	var rows [][]string
	for _, ds := range a.Datasets {
		row := []string{md(ds)}
		for _, st := range a.AllStrategies() {
			if sr := a.Row(ds, st); sr != nil {
				row = append(row, meanStd(sr.Final.Mean, sr.Final.Std))
			} else {
				row = append(row, "—")
			}
		}
		sky := "—"
		if c := a.Curve(ds, records.Skyline); len(c) > 0 {
			s := c[len(c)-1].Accuracy
			sky = meanStd(s.Mean, s.Std)
		}
		rows = append(rows, append(row, sky))
	}
	r.table(head, rows, 1)
}

func (r reporter) labelsToTarget() {
	a := r.a
	goal := pct(a.Target) + " of the skyline"
	r.p("## Labels to %s\n\n", goal)
	r.p("Labels-to-target of a seed: the first number of labels at which its accuracy reaches %s times that seed's skyline accuracy. Means are over the seeds that reach it, so a strategy that reaches it on fewer seeds can look cheaper than it is: the seed counts are given.\n\n", strconv.FormatFloat(a.Target, 'f', -1, 64))
	for _, ds := range a.Datasets {
		base := a.Row(ds, a.Baseline)
		for _, st := range a.AllStrategies() {
			sr := a.Row(ds, st)
			if sr == nil {
				continue
			}
			name := md(a.Shown(st))
			l := sr.LabelsToTarget
			seeds := l.Reached + l.Missed
			if seeds == 0 {
				r.p("- %s on %s: no skyline to compare with.\n", name, md(ds))
				continue
			}
			var bl analysis.LabelsToTarget
			hasBase := base != nil && st != a.Baseline && base.LabelsToTarget.Reached+base.LabelsToTarget.Missed > 0
			if hasBase {
				bl = base.LabelsToTarget
			}
			switch {
			case l.Reached == 0:
				r.p("- %s never reaches %s on %s (0/%d seeds)", name, goal, md(ds), seeds)
				if hasBase && bl.Reached > 0 {
					r.p("; %s does after %.1f labels on average (%d/%d seeds)", md(a.Baseline), bl.Mean, bl.Reached, bl.Reached+bl.Missed)
				}
				r.p(".\n")
			case hasBase && bl.Reached > 0:
				change := 1 - l.Mean/bl.Mean
				how := "as many labels as"
				switch {
				case math.Round(100*change) > 0:
					how = fmt.Sprintf("%.0f%% fewer labels than", 100*change)
				case math.Round(100*change) < 0:
					how = fmt.Sprintf("%.0f%% more labels than", -100*change)
				}
				r.p("- %s reaches %s with %s %s on %s (%.1f vs %.1f labels; %d/%d vs %d/%d seeds reach it).\n",
					name, goal, how, md(a.Baseline), md(ds), l.Mean, bl.Mean, l.Reached, seeds, bl.Reached, bl.Reached+bl.Missed)
			case hasBase:
				r.p("- %s reaches %s on %s after %.1f labels on average (%d/%d seeds); %s never does.\n",
					name, goal, md(ds), l.Mean, l.Reached, seeds, md(a.Baseline))
			default:
				r.p("- %s reaches %s on %s after %.1f labels on average (%d/%d seeds).\n",
					name, goal, md(ds), l.Mean, l.Reached, seeds)
			}
		}
	}
	r.p("\n")
}

func (r reporter) ranks() {
	a := r.a
	if len(a.Ranks) == 0 {
		return
	}
	r.p("## Ranks\n\n")
	r.p("Rank of each strategy's mean AULC on each dataset (1 = best; ties share their average rank), and the mean over datasets; best mean rank first.")
	if len(a.Oracles) > 0 {
		r.p(" Oracles are not ranked.")
	}
	r.p("\n\n")
	order := slices.Clone(a.Ranks)
	slices.SortStableFunc(order, func(x, y analysis.RankRow) int {
		// NaN (ran nowhere) last.
		return cmp.Compare(nanLast(x.MeanRank), nanLast(y.MeanRank))
	})
	head := append([]string{"strategy", "mean rank"}, mdAll(a.Datasets)...)
	var rows [][]string
	for _, rr := range order {
		row := []string{md(rr.Strategy), rankStr(rr.MeanRank)}
		for _, v := range rr.ByDataset {
			row = append(row, rankStr(v))
		}
		rows = append(rows, row)
	}
	r.table(head, rows, 1)
}

func nanLast(v float64) float64 {
	if math.IsNaN(v) {
		return math.Inf(1)
	}
	return v
}

func rankStr(v float64) string {
	if math.IsNaN(v) {
		return "—"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

func (r reporter) pairwise() {
	a := r.a
	if len(a.Strategies) < 2 {
		return
	}
	r.p("## Pairwise wins\n\n")
	r.p("Datasets on which the row's AULC beats the column's: higher mean and a paired Wilcoxon signed-rank test over seeds with p < %g (uncorrected), out of the datasets both ran on.", analysis.Alpha)
	if len(a.Oracles) > 0 {
		r.p(" Oracles are left out.")
	}
	r.p("\n\n")
	head := append([]string{"row beats column"}, mdAll(a.Strategies)...)
	var rows [][]string
	for _, x := range a.Strategies {
		row := []string{md(x)}
		for _, y := range a.Strategies {
			i := slices.IndexFunc(a.Pairwise, func(p analysis.PairRow) bool { return p.A == x && p.B == y })
			if i < 0 {
				row = append(row, "—")
				continue
			}
			row = append(row, fmt.Sprintf("%d/%d", a.Pairwise[i].Wins, a.Pairwise[i].Datasets))
		}
		rows = append(rows, row)
	}
	r.table(head, rows, 1)
	r.p("![pairwise wins](figures/pairwise.png)\n\n")
}

func (r reporter) config(m analysis.Meta) {
	if m.ConfigText == "" {
		return
	}
	// A fence longer than any run of backticks in the config cannot close early.
	longest, run := 0, 0
	for _, c := range m.ConfigText {
		if c == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", max(3, longest+1))
	r.p("## Config\n\n%syaml\n%s\n%s\n", fence, strings.TrimRight(m.ConfigText, "\n"), fence)
}
