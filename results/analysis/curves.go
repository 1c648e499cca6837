package analysis

import (
	"io"
	"maps"
	"slices"
	"strconv"

	"albench/results/records"
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
	// Oracle marks the points of an oracle (Meta.Oracles).
	Oracle bool
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
// by dataset, strategy (display order, the oracles after the strategies,
// Skyline last) and n_labeled.
func (a *Analysis) curves(datasets []string) []CurvePoint {
	var pts []CurvePoint
	for _, ds := range datasets {
		for _, st := range append(a.AllStrategies(), records.Skyline) {
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
					Oracle:   a.IsOracle(st),
				})
			}
		}
	}
	return pts
}

// WriteCurves writes points as curves.csv. Floats use FormatFloat; a
// statistic that is undefined (the spread of a single seed) is left empty.
// When any point is an oracle's, a last column oracle (OracleColumn) says
// true or false on every row; without oracles the file has no such column.
func WriteCurves(w io.Writer, pts []CurvePoint) error {
	marked := slices.ContainsFunc(pts, func(p CurvePoint) bool { return p.Oracle })
	rows := make([][]string, len(pts))
	for i, p := range pts {
		row := []string{p.Dataset, p.Strategy, itoa(p.NLabeled), itoa(p.Accuracy.N)}
		for _, s := range []stats.Summary{p.Accuracy, p.MacroF1, p.LogLoss} {
			row = append(row, formatOpt(s.Mean), formatOpt(s.Std), formatOpt(s.SEM), formatOpt(s.CILow), formatOpt(s.CIHigh))
		}
		if marked {
			row = append(row, strconv.FormatBool(p.Oracle))
		}
		rows[i] = row
	}
	return writeCSV(w, withOracle(CurvesHeader, marked), rows)
}

// OracleColumn is the last column of curves.csv and summary.csv in a run with
// oracles: true on an oracle's rows.
const OracleColumn = "oracle"

// withOracle returns header, with OracleColumn appended when marked.
func withOracle(header []string, marked bool) []string {
	if !marked {
		return header
	}
	return append(slices.Clone(header), OracleColumn)
}
