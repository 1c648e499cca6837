package report

import "albench/results/analysis"

// metric is how the report names the analysis's metric (analysis.Meta.Metric).
type metric struct {
	key    string // "accuracy", "macro_f1" or "log_loss"
	name   string // as prose names it: "accuracy", "macro-F1", "log-loss"
	higher bool   // larger is better
}

func metricOf(a *analysis.Analysis) metric {
	m := metric{key: a.Metric, name: a.Metric, higher: a.HigherIsBetter()}
	switch a.Metric {
	case "", "accuracy":
		m.key, m.name = "accuracy", "accuracy"
	case "macro_f1":
		m.name = "macro-F1"
	case "log_loss":
		m.name = "log-loss"
	}
	return m
}

// accuracy reports whether the metric is accuracy, whose wording is the
// plain one ("AULC", "Final accuracy").
func (m metric) accuracy() bool { return m.key == "accuracy" }

// aulc names the AULC of the metric: "AULC", "AULC of macro-F1".
func (m metric) aulc() string {
	if m.accuracy() {
		return "AULC"
	}
	return "AULC of " + m.name
}

// bestWord says which end is best, for the bold markers.
func (m metric) bestWord() string {
	if m.higher {
		return "best"
	}
	return "best (lowest: lower " + m.name + " is better)"
}

// of returns the metric's summary at a curve point.
func (m metric) of(p analysis.CurvePoint) float64 { return p.Of(m.key).Mean }

// ofStd returns the metric's spread at a curve point.
func (m metric) ofStd(p analysis.CurvePoint) float64 { return p.Of(m.key).Std }
