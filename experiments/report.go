package experiments

import (
	"fmt"
	"slices"

	"gopkg.in/yaml.v3"
)

// Report holds how a run's results are analysed and drawn: the `report:`
// section of a config. None of it changes a trial, so none of it is part of a
// trial's identity: editing it and rerunning redraws the report from the
// stored trials.
type Report struct {
	// Metric is the test metric of the AULC, final-metric, rank and pairwise
	// tables and of the learning curves: accuracy (default), macro_f1 or
	// log_loss (lower is better; labels-to-target stays on accuracy).
	Metric string `json:"metric"`
	// Band is the band drawn around each mean curve: ci95 (default; the 95%
	// Student-t interval of the mean over seeds), sem (±1 standard error) or std
	// (±1 standard deviation).
	Band string `json:"band"`
	// WidthIn is the figures' width in inches: 3.5 fits one column of a
	// two-column paper, 7 (the default) the text width. In [2, 20].
	WidthIn float64 `json:"width_in"`
	// Strategies, when not empty, are the labels drawn in the figures (the
	// baseline, skyline and oracles are drawn whenever present); the tables
	// always show every strategy.
	Strategies []string `json:"strategies,omitempty"`
	// Delta adds figures of each strategy's paired accuracy minus the
	// baseline's per round, mean and band over seeds (default false).
	Delta bool `json:"delta"`
	// Skyline trains, per dataset and seed, the model on the whole pool: the
	// ceiling of the learning curves and the reference of labels-to-target
	// (default true). false skips those fits, which dominate large pools;
	// labels-to-target is then relative to the best strategy's final accuracy
	// on the seed. Unlike the other keys it changes the grid (no skyline jobs).
	Skyline bool `json:"skyline"`
}

// Report defaults and choices.
var (
	DefaultReport = Report{Metric: "accuracy", Band: "ci95", WidthIn: 7, Skyline: true}
	reportKeys    = []string{"metric", "band", "width_in", "strategies", "delta", "skyline"}
	metrics       = []string{"accuracy", "macro_f1", "log_loss"}
	bands         = []string{"ci95", "sem", "std"}
)

// report decodes the `report:` mapping; labels are the strategy labels of the
// config, which report.strategies must name.
func (p *parser) report(n *yaml.Node, labels []string) Report {
	r := DefaultReport
	m := p.object(n, "report", reportKeys)
	if f, ok := m["metric"]; ok {
		if s, ok := p.enum(f.v, "report.metric", metrics); ok {
			r.Metric = s
		}
	}
	if f, ok := m["band"]; ok {
		if s, ok := p.enum(f.v, "report.band", bands); ok {
			r.Band = s
		}
	}
	if f, ok := m["width_in"]; ok {
		if x, ok := p.float(f.v, "report.width_in"); ok {
			if x >= 2 && x <= 20 {
				r.WidthIn = x
			} else {
				p.add(f.v, "report.width_in", "must be between 2 and 20 (inches)", gotNode(f.v))
			}
		}
	}
	if f, ok := m["delta"]; ok {
		if b, ok := p.bool(f.v, "report.delta"); ok {
			r.Delta = b
		}
	}
	if f, ok := m["skyline"]; ok {
		if b, ok := p.bool(f.v, "report.skyline"); ok {
			r.Skyline = b
		}
	}
	if f, ok := m["strategies"]; ok {
		v := deref(f.v)
		if v.Kind != yaml.SequenceNode || len(v.Content) == 0 {
			p.add(f.v, "report.strategies", "must be a non-empty list of strategy labels", gotNode(f.v))
			return r
		}
		for i, e := range v.Content {
			path := fmt.Sprintf("report.strategies[%d]", i)
			s, ok := p.str(e, path)
			switch {
			case !ok:
			case !slices.Contains(labels, s):
				p.add(e, path, "is not a strategy label of this config (labels: "+orList(labels)+")", gotNode(e))
			case slices.Contains(r.Strategies, s):
				p.add(e, path, "is listed twice", gotNode(e))
			default:
				r.Strategies = append(r.Strategies, s)
			}
		}
	}
	return r
}
