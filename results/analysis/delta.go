package analysis

import (
	"io"
	"slices"
	"strconv"

	"albench/results/stats"
)

// DeltaPoint is one row of delta_curves.csv: at one budget point of one
// (dataset, strategy), the strategy's metric minus the baseline's, paired by
// seed (same data, split, initial labels and initial weights), summarised
// over the seeds both ran that reached the point with the same number of
// labels.
type DeltaPoint struct {
	Dataset, Strategy string
	NLabeled          int
	Delta             stats.Summary
}

// DeltaHeader is the header row of delta_curves.csv.
var DeltaHeader = []string{"dataset", "strategy", "n_labeled", "n", "delta_mean", "delta_std", "delta_sem",
	"delta_ci_low", "delta_ci_high"}

func (a *Analysis) deltaCurves(datasets []string) []DeltaPoint {
	var pts []DeltaPoint
	for _, ds := range datasets {
		for _, st := range a.Strategies {
			if st == a.Baseline {
				continue
			}
			byN := map[int][]float64{}
			var ns []int
			for _, seed := range intersect(a.seedsOf(ds, st), a.seedsOf(ds, a.Baseline)) {
				t, b := a.trials[trialKey{ds, st, seed}], a.trials[trialKey{ds, a.Baseline, seed}]
				tm, bm := t.metric(a.Metric), b.metric(a.Metric)
				for q := range min(len(t.nLabeled), len(b.nLabeled)) {
					if n := t.nLabeled[q]; n == b.nLabeled[q] {
						if byN[n] == nil {
							ns = append(ns, n)
						}
						byN[n] = append(byN[n], tm[q]-bm[q])
					}
				}
			}
			slices.Sort(ns)
			for _, n := range ns {
				pts = append(pts, DeltaPoint{Dataset: ds, Strategy: st, NLabeled: n, Delta: stats.Describe(byN[n])})
			}
		}
	}
	return pts
}

// WriteDeltaCurves writes points as delta_curves.csv.
func WriteDeltaCurves(w io.Writer, pts []DeltaPoint) error {
	out := make([][]string, len(pts))
	for i, p := range pts {
		d := p.Delta
		out[i] = []string{p.Dataset, p.Strategy, strconv.Itoa(p.NLabeled), strconv.Itoa(d.N),
			formatOpt(d.Mean), formatOpt(d.Std), formatOpt(d.SEM), formatOpt(d.CILow), formatOpt(d.CIHigh)}
	}
	return writeCSV(w, DeltaHeader, out)
}
