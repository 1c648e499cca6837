package analysis

import (
	"fmt"
	"slices"

	"albench/results/records"
	"albench/results/stats"
)

// Metrics are the values of Meta.Metric, the first the default.
var Metrics = []string{"accuracy", "macro_f1", "log_loss"}

// metricOf returns m with its default filled in, or an error naming the
// choices.
func metricOf(m string) (string, error) {
	if m == "" {
		return Metrics[0], nil
	}
	if !slices.Contains(Metrics, m) {
		return "", fmt.Errorf("results: unknown metric %q (want accuracy, macro_f1 or log_loss)", m)
	}
	return m, nil
}

// HigherIsBetter reports whether a larger value of a's metric is better:
// true but for log-loss.
func (a *Analysis) HigherIsBetter() bool { return a.Metric != "log_loss" }

// better is +1 when higher values of a's metric are better, −1 when lower
// are: multiplied into a difference, positive means better.
func (a *Analysis) better() float64 {
	if a.HigherIsBetter() {
		return 1
	}
	return -1
}

// metric returns the trial's curve of the named metric.
func (t *trial) metric(m string) []float64 {
	switch m {
	case "macro_f1":
		return t.macroF1
	case "log_loss":
		return t.loss
	}
	return t.acc
}

// Of returns the summary of p's metric m.
func (p CurvePoint) Of(m string) stats.Summary {
	switch m {
	case "macro_f1":
		return p.MacroF1
	case "log_loss":
		return p.LogLoss
	}
	return p.Accuracy
}

// metricValue is record r's value of metric m.
func metricValue(r records.Record, m string) float64 {
	switch m {
	case "macro_f1":
		return r.MacroF1
	case "log_loss":
		return r.LogLoss
	}
	return r.Accuracy
}
