package report

import (
	"math"
	"slices"
	"strconv"

	"albench/results/analysis"
)

// efficiency writes Beck et al.'s labeling efficiency at half the budget and
// at its end, per dataset.
func (r reporter) efficiency() {
	a := r.a
	eff := a.Efficiency
	if len(eff) == 0 {
		return
	}
	r.p("## Labeling efficiency\n\n")
	r.p("Labeling efficiency (Beck et al. 2021, \"Effective Evaluation of Deep Active Learning on Image Classification Tasks\"): at a budget point, the number of labels %s needs to reach the strategy's mean test %s there (on %s's mean curve, interpolated between its points), divided by the strategy's labels; above 1 the strategy saves labels. \"> b\": %s does not reach it within the budget, so the efficiency is at least b. Shown at the budget point nearest half the final budget and at the final one.",
		md(a.Baseline), r.m.name, md(a.Baseline), md(a.Baseline))
	if len(a.Oracles) > 0 {
		r.p(" Oracles are left out.")
	}
	r.p("\n\n")
	// The strategies with rows: never the baseline, nor the oracles.
	var strategies []string
	for _, st := range a.AllStrategies() {
		if slices.ContainsFunc(eff, func(e analysis.EfficiencyRow) bool { return e.Strategy == st }) {
			strategies = append(strategies, st)
		}
	}
	var rows [][]string
	for _, ds := range a.Datasets {
		var points []int
		for _, e := range eff {
			if e.Dataset == ds && !slices.Contains(points, e.NLabeled) {
				points = append(points, e.NLabeled)
			}
		}
		if len(points) == 0 {
			continue
		}
		slices.Sort(points)
		last := points[len(points)-1]
		for _, n := range halfAndEnd(points) {
			row := []string{md(ds), strconv.Itoa(n)}
			for _, st := range strategies {
				i := slices.IndexFunc(eff, func(e analysis.EfficiencyRow) bool {
					return e.Dataset == ds && e.Strategy == st && e.NLabeled == n
				})
				switch {
				case i < 0:
					row = append(row, "—")
				case math.IsNaN(eff[i].Efficiency):
					row = append(row, "> "+fixed2(float64(last)/float64(n)))
				default:
					row = append(row, fixed2(eff[i].Efficiency))
				}
			}
			rows = append(rows, row)
		}
	}
	head := []string{"dataset", "labels"}
	for _, st := range strategies {
		head = append(head, md(a.Shown(st)))
	}
	r.table(head, rows, 1)
}

// halfAndEnd picks from sorted budget points the one nearest half the
// final budget (the lower on a tie) and the final one; one point when they
// coincide.
func halfAndEnd(points []int) []int {
	last := points[len(points)-1]
	mid := points[0]
	for _, n := range points {
		if abs(2*n-last) < abs(2*mid-last) {
			mid = n
		}
	}
	if mid == last {
		return []int{last}
	}
	return []int{mid, last}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
