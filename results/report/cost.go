package report

import (
	"slices"

	"albench/results/analysis"
)

// costs writes the mean wall-clock cost per round of every (dataset,
// strategy), training and query apart (Meta.Costs); nothing without them.
func (r reporter) costs() {
	costs := r.meta.Costs
	if len(costs) == 0 {
		return
	}
	a := r.a
	r.p("## Cost\n\n")
	r.p("Mean wall-clock milliseconds per round, training + query, over every round of every seed (`timings.csv`). They depend on the machine, its load and the parallelism of the run, so they differ between runs; compare them within one report.\n\n")
	var rows [][]string
	for _, ds := range a.Datasets {
		row := []string{md(ds)}
		for _, st := range a.AllStrategies() {
			i := slices.IndexFunc(costs, func(c analysis.Cost) bool { return c.Dataset == ds && c.Strategy == st })
			if i < 0 {
				row = append(row, "—")
				continue
			}
			row = append(row, ms(costs[i].TrainMS)+" + "+ms(costs[i].QueryMS))
		}
		rows = append(rows, row)
	}
	r.table(append([]string{"dataset"}, shownAll(a)...), rows, 1)
}
