package harness

import (
	"cmp"
	"slices"

	"albench/experiments"
	"albench/results/analysis"
	"albench/results/records"
)

// datasetInfo describes each dataset of cfg for the report's dataset table,
// as the trials of the config's first seed prepare it.
func datasetInfo(cfg *experiments.Config) ([]analysis.DatasetInfo, error) {
	seed := 0
	if len(cfg.Seeds) > 0 {
		seed = cfg.Seeds[0]
	}
	out := make([]analysis.DatasetInfo, len(cfg.Datasets))
	for d := range cfg.Datasets {
		s, err := experiments.Prepare(cfg, d, seed)
		if err != nil {
			return nil, err
		}
		count := make([]int, s.Classes)
		for _, y := range s.PoolY {
			count[y]++
		}
		for _, y := range s.TestY {
			count[y]++
		}
		rows := len(s.PoolY) + len(s.TestY)
		out[d] = analysis.DatasetInfo{
			Name: s.Dataset, Rows: rows, Features: s.Features, Classes: s.Classes,
			Pool: len(s.PoolY), Test: len(s.TestY),
			Majority: float64(slices.Max(count)) / float64(rows),
		}
	}
	return out, nil
}

// costSums accumulates timings.csv into the report's cost table: per
// (dataset, strategy), the rounds and their summed train and query
// milliseconds. The skyline's single fit is no round and is left out.
type costSums map[[2]string]*analysis.Cost

func (c costSums) add(ts []records.Timing) {
	for _, t := range ts {
		if t.Strategy == records.Skyline {
			continue
		}
		k := [2]string{t.Dataset, t.Strategy}
		s := c[k]
		if s == nil {
			s = &analysis.Cost{Dataset: t.Dataset, Strategy: t.Strategy}
			c[k] = s
		}
		s.Rounds++
		s.TrainMS += t.TrainMS
		s.QueryMS += t.QueryMS
	}
}

// costs returns the mean cost per round of each (dataset, strategy), sorted.
func (c costSums) costs() []analysis.Cost {
	out := make([]analysis.Cost, 0, len(c))
	for _, s := range c {
		m := *s
		m.TrainMS /= float64(m.Rounds)
		m.QueryMS /= float64(m.Rounds)
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b analysis.Cost) int {
		return cmp.Or(cmp.Compare(a.Dataset, b.Dataset), cmp.Compare(a.Strategy, b.Strategy))
	})
	return out
}
