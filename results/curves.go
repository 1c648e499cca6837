package results

import (
	"io"
	"maps"
	"slices"

	"albench/results/stats"
)

// CurvePoint is one row of curves.csv: a metric's distribution over seeds at
// one n_labeled of one (dataset, strategy). Skyline rows have Strategy ==
// Skyline and NLabeled the pool size.
type CurvePoint struct {
	Dataset, Strategy string
	NLabeled          int
	Accuracy          stats.Summary
	MacroF1           stats.Summary
	LogLoss           stats.Summary
}

// CurvesHeader is the header row of curves.csv.
var CurvesHeader = func() []string {
	h := []string{"dataset", "strategy", "n_labeled", "n"}
	for _, m := range []string{"accuracy", "macro_f1", "log_loss"} {
		for _, s := range []string{"mean", "std", "sem", "ci_low", "ci_high"} {
			h = append(h, m+"_"+s)
		}
	}
	return h
}()

// curves aggregates every (dataset, strategy, n_labeled) over seeds, sorted
// by dataset, strategy (display order, Skyline last) and n_labeled.
func (a *Analysis) curves(datasets []string) []CurvePoint {
	var pts []CurvePoint
	for _, ds := range datasets {
		for _, st := range append(slices.Clone(a.Strategies), Skyline) {
			type metrics struct{ acc, f1, loss []float64 }
			byN := make(map[int]*metrics)
			for _, seed := range a.seedsOf(ds, st) {
				t := a.trials[trialKey{ds, st, seed}]
				for i, n := range t.nLabeled {
					m := byN[n]
					if m == nil {
						m = &metrics{}
						byN[n] = m
					}
					m.acc = append(m.acc, t.acc[i])
					m.f1 = append(m.f1, t.macroF1[i])
					m.loss = append(m.loss, t.loss[i])
				}
			}
			for _, n := range slices.Sorted(maps.Keys(byN)) {
				m := byN[n]
				pts = append(pts, CurvePoint{
					Dataset: ds, Strategy: st, NLabeled: n,
					Accuracy: stats.Describe(m.acc),
					MacroF1:  stats.Describe(m.f1),
					LogLoss:  stats.Describe(m.loss),
				})
			}
		}
	}
	return pts
}

// WriteCurves writes points as curves.csv. Floats use FormatFloat; a
// statistic that is undefined (the spread of a single seed) is left empty.
func WriteCurves(w io.Writer, pts []CurvePoint) error {
	rows := make([][]string, len(pts))
	for i, p := range pts {
		row := []string{p.Dataset, p.Strategy, itoa(p.NLabeled), itoa(p.Accuracy.N)}
		for _, s := range []stats.Summary{p.Accuracy, p.MacroF1, p.LogLoss} {
			row = append(row, formatOpt(s.Mean), formatOpt(s.Std), formatOpt(s.SEM), formatOpt(s.CILow), formatOpt(s.CIHigh))
		}
		rows[i] = row
	}
	return writeCSV(w, CurvesHeader, rows)
}
