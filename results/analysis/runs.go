package analysis

import (
	"fmt"
	"maps"
	"math"
	"slices"

	"albench/results/records"
	"albench/results/stats"
)

// RunDiff compares one (dataset, strategy) of two runs A and B of
// overlapping grids (two configs, two albench versions, two kernels), paired
// by seed: the same dataset and seed give both runs the same data, split and
// initial labels when their dataset and protocol agree.
type RunDiff struct {
	Dataset, Strategy string
	// SeedsA and SeedsB count the seeds each run has; Common those in both,
	// over which the rest is computed. A (dataset, strategy) in one run only
	// has Common = 0.
	SeedsA, SeedsB, Common int
	// A and B summarise the AULC of each run over the common seeds, Delta the
	// per-seed AULC of B minus A's, with PWilcoxon the two-sided signed-rank
	// p of Delta (on differences rounded to StoredDecimals).
	A, B, Delta stats.Summary
	PWilcoxon   float64
	// Identical counts the common seeds whose records (every round's
	// n_labeled and metrics) are equal in both runs.
	Identical int
}

// CompareRuns pairs the trials of runs a and b by (dataset, strategy, seed)
// and compares their AULCs on metric ("" is accuracy), in records.Key order
// of (dataset, strategy); skyline rows are left out. It is an error when the
// runs have no trial in common or a record set is not a valid run (see
// Analyze).
func CompareRuns(a, b []records.Record, metric string) ([]RunDiff, error) {
	metric, err := metricOf(metric)
	if err != nil {
		return nil, err
	}
	ta, err := trialsOf(a, "A")
	if err != nil {
		return nil, err
	}
	tb, err := trialsOf(b, "B")
	if err != nil {
		return nil, err
	}
	keys := slices.Collect(maps.Keys(ta))
	for k := range tb {
		if ta[k] == nil {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(x, y dsKey) int {
		return records.Key{Dataset: x.dataset, Strategy: x.strategy}.Compare(records.Key{Dataset: y.dataset, Strategy: y.strategy})
	})
	var out []RunDiff
	common := 0
	for _, k := range keys {
		sa, sb := slices.Sorted(maps.Keys(ta[k])), slices.Sorted(maps.Keys(tb[k]))
		both := intersect(sa, sb)
		d := RunDiff{Dataset: k.dataset, Strategy: k.strategy, SeedsA: len(sa), SeedsB: len(sb), Common: len(both)}
		var xa, xb, delta []float64
		for _, seed := range both {
			ra, rb := ta[k][seed], tb[k][seed]
			va, vb := runAULC(ra, metric), runAULC(rb, metric)
			if math.IsNaN(va) || math.IsNaN(vb) {
				return nil, fmt.Errorf("results: %s/%s seed %d has no %s in one of the runs (a model without probabilities); choose another metric", k.dataset, k.strategy, seed, metric)
			}
			xa, xb, delta = append(xa, va), append(xb, vb), append(delta, vb-va)
			if slices.EqualFunc(ra, rb, sameRecord) {
				d.Identical++
			}
		}
		d.A, d.B, d.Delta, d.PWilcoxon = stats.Describe(xa), stats.Describe(xb), stats.Describe(delta), math.NaN()
		if len(delta) > 0 {
			d.PWilcoxon = stats.SignedRank(rounded(delta)).P
		}
		common += len(both)
		out = append(out, d)
	}
	if common == 0 {
		return nil, fmt.Errorf("results: the two runs have no (dataset, strategy, seed) in common")
	}
	return out, nil
}

// trialsOf groups a run's non-skyline records by (dataset, strategy) and seed,
// checking them as Analyze does.
func trialsOf(recs []records.Record, run string) (map[dsKey]map[int][]records.Record, error) {
	recs = slices.Clone(recs)
	records.Sort(recs)
	m := map[dsKey]map[int][]records.Record{}
	for i, r := range recs {
		if r.Strategy == records.Skyline {
			continue
		}
		if i > 0 && recs[i-1].Dataset == r.Dataset && recs[i-1].Strategy == r.Strategy && recs[i-1].Seed == r.Seed {
			if p := recs[i-1]; r.Round == p.Round || r.NLabeled <= p.NLabeled {
				return nil, fmt.Errorf("results: run %s: %s/%s seed %d: rounds %d and %d repeat or do not grow", run, r.Dataset, r.Strategy, r.Seed, p.Round, r.Round)
			}
		}
		k := dsKey{r.Dataset, r.Strategy}
		if m[k] == nil {
			m[k] = map[int][]records.Record{}
		}
		m[k][r.Seed] = append(m[k][r.Seed], r)
	}
	return m, nil
}

// runAULC is the AULC of one trial's records on metric.
func runAULC(rs []records.Record, metric string) float64 {
	x, y := make([]float64, len(rs)), make([]float64, len(rs))
	for i, r := range rs {
		x[i], y[i] = float64(r.NLabeled), metricValue(r, metric)
	}
	return AULC(x, y)
}

// sameRecord reports whether two records agree in every field, NaN equal to
// NaN (a model without log-loss in both runs).
func sameRecord(a, b records.Record) bool {
	eq := func(x, y float64) bool { return x == y || (math.IsNaN(x) && math.IsNaN(y)) }
	return a.Key == b.Key && a.NLabeled == b.NLabeled && eq(a.Accuracy, b.Accuracy) && eq(a.MacroF1, b.MacroF1) && eq(a.LogLoss, b.LogLoss)
}
