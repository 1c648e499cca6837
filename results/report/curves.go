package report

import "strings"

// bandText says what the curves' bands show (Meta.Band).
func (r reporter) bandText() string {
	switch r.meta.Band {
	case "sem":
		return "a ±1 standard-error band"
	case "std":
		return "a ±1 std band"
	}
	return "a 95% confidence band (Student t over seeds)"
}

func (r reporter) figures() {
	a, m := r.a, r.m
	r.p("## Learning curves\n\n")
	r.p("Mean test %s over seeds with %s; %s dashed grey; the skyline (the model trained on the whole pool) dotted", m.name, r.bandText(), md(a.Baseline))
	if len(a.Oracles) > 0 {
		r.p("; oracles dark grey, dash-dotted, without a band")
	}
	r.p(".")
	if len(r.meta.FigureStrategies) > 0 {
		r.p(" The figures draw %s only.", md(strings.Join(r.meta.FigureStrategies, ", ")))
	}
	if r.meta.Delta {
		r.p(" Below each, the paired difference from %s: per seed, the strategy's %s minus %s's at each number of labels, with the same band.", md(a.Baseline), m.name, md(a.Baseline))
	}
	r.p("\n\n")
	for _, ds := range a.Datasets {
		r.fig(FigureFile(figCurves, ds), "learning curves on "+md(ds), "", "\n\n")
		if r.meta.Delta {
			r.fig(FigureFile(figDeltaCurves, ds), "Δ"+m.name+" vs "+md(a.Baseline)+" on "+md(ds), "", "\n\n")
		}
	}
	if len(a.Datasets) > 1 {
		r.fig(figGrid, "all datasets", "All datasets, one y-range per panel: ", "\n\n")
	}
	if a.ComparesBaseline(false) {
		r.fig(figDeltaAULC, "Δ"+m.aulc()+" vs "+md(a.Baseline), "", "\n\n")
	}
}
