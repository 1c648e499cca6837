package analysis

import (
	"io"
	"math"
	"strconv"

	"albench/results/records"
)

// EfficiencyRow is one row of efficiency.csv: the labeling efficiency of
// Beck, Sivasubramanian, Dani, Ramakrishnan & Iyer (2021, "Effective
// Evaluation of Deep Active Learning on Image Classification Tasks", §3): the
// number of labels the baseline (random sampling) needs to reach what the
// strategy reaches with NLabeled labels, over NLabeled,
//
//	LE(n) = n_random(m_s(n)) / n,
//
// where m_s(n) is the strategy's mean metric over seeds with n labels and
// n_random(m) the first number of labels at which the baseline's mean curve
// reaches m (≥, or ≤ for log-loss), interpolated linearly between its budget
// points. LE > 1: the strategy saves labels. When the baseline never reaches
// m within its budget, RandomLabels and Efficiency are NaN: the saving is
// more than the budget shows.
type EfficiencyRow struct {
	Dataset, Strategy string
	NLabeled          int
	Mean              float64 // m_s(n)
	RandomLabels      float64 // n_random(m_s(n))
	Efficiency        float64 // RandomLabels / NLabeled
}

// EfficiencyHeader is the header row of efficiency.csv.
var EfficiencyHeader = []string{"dataset", "strategy", "n_labeled", "mean", "random_labels", "efficiency"}

// efficiency computes every strategy's labeling efficiency on datasets
// (sorted) at each of its budget points after the first, from a.Curves.
func (a *Analysis) efficiency(datasets []string) []EfficiencyRow {
	var rows []EfficiencyRow
	for _, ds := range datasets {
		base := a.Curve(ds, a.Baseline)
		if len(base) < 2 {
			continue
		}
		bx, by := make([]float64, len(base)), make([]float64, len(base))
		for i, p := range base {
			bx[i], by[i] = float64(p.NLabeled), float64(p.Of(a.Metric).Mean*a.better())
		}
		for _, st := range a.Strategies {
			if st == a.Baseline || st == records.Skyline {
				continue
			}
			c := a.Curve(ds, st)
			for _, p := range c[min(1, len(c)):] {
				m := p.Of(a.Metric).Mean
				n := reachAt(bx, by, float64(m*a.better()))
				rows = append(rows, EfficiencyRow{Dataset: ds, Strategy: st, NLabeled: p.NLabeled,
					Mean: m, RandomLabels: n, Efficiency: n / float64(p.NLabeled)})
			}
		}
	}
	return rows
}

// reachAt is the first x at which the piecewise-linear curve (x, y) reaches
// v (y ≥ v), NaN if it never does.
func reachAt(x, y []float64, v float64) float64 {
	for j := range y {
		if y[j] >= v {
			if j == 0 {
				return x[0]
			}
			// Between points j−1 (below v) and j (at or above it).
			f := (v - y[j-1]) / (y[j] - y[j-1])
			return x[j-1] + float64(f*(x[j]-x[j-1]))
		}
	}
	return math.NaN()
}

// WriteEfficiency writes rows as efficiency.csv; random_labels and
// efficiency are empty where the baseline never reaches the strategy.
func WriteEfficiency(w io.Writer, rows []EfficiencyRow) error {
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = []string{r.Dataset, r.Strategy, strconv.Itoa(r.NLabeled), formatOpt(r.Mean),
			formatOpt(r.RandomLabels), formatOpt(r.Efficiency)}
	}
	return writeCSV(w, EfficiencyHeader, out)
}
