package harness

import (
	"cmp"
	"slices"
	"sync"

	"albench/experiments"
	"albench/results/analysis"
	"albench/results/records"
)

// infoOf describes a prepared dataset for the report's dataset table.
func infoOf(s *experiments.Setup, seed int) analysis.DatasetInfo {
	count := make([]int, s.Classes)
	for _, y := range s.PoolY {
		count[y]++
	}
	for _, y := range s.TestY {
		count[y]++
	}
	rows := len(s.PoolY) + len(s.TestY)
	return analysis.DatasetInfo{
		Name: s.Dataset, Seed: seed, Rows: rows, Features: s.Features, Classes: s.Classes,
		Pool: len(s.PoolY), Test: len(s.TestY),
		Majority: float64(slices.Max(count)) / float64(max(rows, 1)),
	}
}

// datasetInfos collects the dataset table from the setups a run prepares
// anyway (never preparing one for it): per dataset, the description of the
// smallest seed, whatever order the workers prepared them in, so the table
// does not depend on -j, shards or resume.
type datasetInfos struct {
	mu   sync.Mutex
	list []analysis.DatasetInfo
}

// add keeps in for its dataset if no smaller seed is there.
func (d *datasetInfos) add(in ...analysis.DatasetInfo) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.list = mergeInfo(d.list, in...)
}

// get returns the table sorted by dataset name.
func (d *datasetInfos) get() []analysis.DatasetInfo {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.list)
}

// mergeInfo adds each of in to list, keeping per dataset the smallest seed's,
// sorted by name.
func mergeInfo(list []analysis.DatasetInfo, in ...analysis.DatasetInfo) []analysis.DatasetInfo {
	for _, x := range in {
		i, found := slices.BinarySearchFunc(list, x.Name, func(e analysis.DatasetInfo, name string) int { return cmp.Compare(e.Name, name) })
		switch {
		case !found:
			list = slices.Insert(list, i, x)
		case x.Seed < list[i].Seed:
			list[i] = x
		}
	}
	return list
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
