package report

import (
	"math"

	"albench/results/analysis"
	"albench/results/records"
)

// boldRow returns the cells of one dataset's row: each strategy's mean ±
// std, the best mean as shown in bold (ties all bold; oracles never), then
// extra applied to each cell (markers). A missing strategy is "—".
func (r reporter) boldRow(ds string, value func(*analysis.SummaryRow) (mean, std float64), extra func(*analysis.SummaryRow) string) []string {
	a := r.a
	all := a.AllStrategies()
	means, eligible := make([]float64, len(all)), make([]bool, len(all))
	for i, st := range all {
		means[i] = math.NaN()
		if sr := a.Row(ds, st); sr != nil {
			means[i], _ = value(sr)
			eligible[i] = !sr.Oracle
		}
	}
	top := best(means, eligible, r.m.higher, fixed3)
	var cells []string
	for i, st := range all {
		sr := a.Row(ds, st)
		if sr == nil {
			cells = append(cells, "—")
			continue
		}
		cell := meanStd(value(sr))
		if top[i] {
			cell = bold(cell)
		}
		if extra != nil {
			cell += extra(sr)
		}
		cells = append(cells, cell)
	}
	return cells
}

func (r reporter) aulc() {
	a, m := r.a, r.m
	title := "Area under the learning curve"
	if !m.accuracy() {
		title += " (" + m.name + ")"
	}
	r.p("## %s\n\n", title)
	r.p("%s is the area under test %s against the number of labels (trapezoid rule) divided by the budget's range: the mean %s over the budget", m.aulc(), m.name, m.name)
	if !m.higher {
		r.p("; lower is better")
	}
	r.p(". Mean ± std over seeds. **Bold**: %s on the dataset, by the value shown (equal values all bold). †: differs from %s, Wilcoxon signed-rank test paired by seed, Holm-corrected across the dataset's strategies, p < %g", m.bestWord(), md(a.Baseline), analysis.Alpha)
	if r.fewSeeds() {
		r.p(" (too few seeds for any: see the ΔAULC section)")
	}
	r.p(".\n\n")
	if len(a.Oracles) > 0 {
		r.p("Oracles last, never bold.\n\n")
	}
	var rows [][]string
	for _, ds := range a.Datasets {
		cells := r.boldRow(ds, func(sr *analysis.SummaryRow) (float64, float64) { return sr.AULC.Mean, sr.AULC.Std },
			func(sr *analysis.SummaryRow) string {
				if sr.VsBaseline && sr.PWilcoxonHolm < analysis.Alpha {
					return " †"
				}
				return ""
			})
		rows = append(rows, append([]string{md(ds)}, cells...))
	}
	r.table(append([]string{"dataset"}, shownAll(a)...), rows, 1)
}

func (r reporter) final() {
	a, m := r.a, r.m
	r.p("## Final %s\n\n", m.name)
	r.p("Test %s after the last round, mean ± std over seeds; the skyline is the model trained on the whole pool. **Bold**: %s strategy on the dataset, by the value shown.\n\n", m.name, m.bestWord())
	head := append(append([]string{"dataset"}, shownAll(a)...), records.Skyline)
	var rows [][]string
	for _, ds := range a.Datasets {
		row := append([]string{md(ds)}, r.boldRow(ds, func(sr *analysis.SummaryRow) (float64, float64) { return sr.Final.Mean, sr.Final.Std }, nil)...)
		sky := "—"
		if c := a.Curve(ds, records.Skyline); len(c) > 0 {
			sky = meanStd(m.of(c[len(c)-1]), m.ofStd(c[len(c)-1]))
		}
		rows = append(rows, append(row, sky))
	}
	r.table(head, rows, 1)
}
