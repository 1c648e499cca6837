// Package analysis turns the records of a run into its learning curves,
// per-strategy summaries with tests against a baseline, ranks, pairwise wins
// and the comparison across datasets (Friedman, Nemenyi, Wilcoxon–Holm), and
// writes them as curves.csv, summary.csv, ranks.csv, pairwise.csv and
// friedman.csv.
package analysis

import (
	"fmt"
	"iter"
	"math"
	"slices"
	"time"

	"albench/results/records"
	"albench/results/stats"
)

// DefaultTarget is the fraction of the skyline accuracy that labels-to-target
// asks for when Meta.Target is zero.
const DefaultTarget = 0.95

// DefaultBaseline is the strategy everything is compared against when
// Meta.Baseline is empty.
const DefaultBaseline = "random"

// TieTolerance is how close two AULCs must be to count as a tie. Paired
// differences within it are treated as exact zeros by the tests too.
const TieTolerance = 1e-12

// Alpha is the significance level of the report's markers and of the
// pairwise win matrix.
const Alpha = 0.05

// Meta describes a run for the report. Its zero value is valid: every empty
// field falls back to a default or to what the records hold.
type Meta struct {
	Name, Description string
	ConfigText        string // the YAML config, shown fenced in the report
	AlbenchVersion    string
	GoVersion         string
	Kernel            string // the OS/kernel line, shown as is
	// Seeds lists the configured seeds; empty means the seeds in the records.
	Seeds []int
	// Strategies is the display order of strategies, from the config. Empty
	// means sorted names. Strategies in the records but not listed follow in
	// sorted order; listed strategies without records are dropped.
	Strategies []string
	// Datasets is the display order of the report and figures, handled like
	// Strategies. The CSV files always sort datasets by name.
	Datasets []string
	// Target is labels-to-target's fraction of the skyline accuracy; 0 means
	// DefaultTarget.
	Target float64
	// Baseline is the strategy compared against; "" means DefaultBaseline.
	Baseline string
	// Oracles lists the labels of strategies that are upper bounds reading the
	// test labels (strategies.IsOracle of the label's strategy name). Their rows
	// are reported apart: never ranked, compared pairwise or counted in a Holm
	// family, marked in summary.csv and curves.csv (column oracle) and in every
	// table and legend, and drawn as ceiling lines. Labels without records are
	// ignored.
	Oracles []string
	Elapsed time.Duration // zero: not shown
	Started time.Time     // zero: not shown
	// Partial, when not empty, says the report covers part of the grid (such as
	// "36 of 72 trials; resume or merge first"); the report opens with it.
	Partial string

	// Metric is the test metric of AULC, the final-metric table, ranks,
	// pairwise wins, the penalty matrix and labeling efficiency: "accuracy"
	// (""), "macro_f1" or "log_loss" (lower is better). Labels-to-target is
	// always on accuracy, a fraction of the skyline's.
	Metric string
	// DatasetInfo describes the datasets for the report's table (empty: no
	// table), in any order.
	DatasetInfo []DatasetInfo
	// Costs are the mean wall-clock costs per round from timings.csv, for the
	// report's cost table (empty: no table).
	Costs []Cost
	// Figure settings (the config's report section): Band is "ci95" (""),
	// "sem" or "std"; WidthIn the figure width in inches (0: 7);
	// FigureStrategies the labels drawn (empty: all); Delta adds the paired
	// Δ-vs-baseline curves (Analysis.DeltaCurves).
	Band             string
	WidthIn          float64
	FigureStrategies []string
	Delta            bool
}

// DatasetInfo is one row of the report's dataset table: the sizes of a
// dataset as its first seed's trial prepares it.
type DatasetInfo struct {
	Name string `json:"name"`
	// Seed is the seed whose preparation is described: the smallest the run
	// prepared (pool and test sizes are the same for every seed; a
	// generator's class shares vary a little).
	Seed     int `json:"seed"`
	Rows     int `json:"rows"`
	Features int `json:"features"`
	Classes  int `json:"classes"`
	Pool     int `json:"pool"`
	Test     int `json:"test"`
	// Majority is the share of the largest class in pool and test together:
	// the accuracy of always predicting it.
	Majority float64 `json:"majority"`
}

// Cost is one row of the report's cost table: the mean wall-clock
// milliseconds per round of a (dataset, strategy), training and query apart,
// over Rounds rounds of all its seeds.
type Cost struct {
	Dataset, Strategy string
	Rounds            int
	TrainMS, QueryMS  float64
}

func (m Meta) target() float64 {
	if m.Target == 0 {
		return DefaultTarget
	}
	return m.Target
}

func (m Meta) baseline() string {
	if m.Baseline == "" {
		return DefaultBaseline
	}
	return m.Baseline
}

// Analysis is everything derived from a run's records: the aggregated
// curves, the per-strategy summary with tests against the baseline, and the
// ranks and pairwise wins across datasets. Build it with Analyze.
type Analysis struct {
	Datasets   []string // display order
	Strategies []string // display order, without Skyline and the oracles
	Oracles    []string // display order (that of Meta.Strategies), the oracles of Meta.Oracles with records
	Seeds      []int    // sorted seeds present in the records
	Baseline   string
	Target     float64

	// Metric is Meta.Metric with its default filled in.
	Metric string
	// NoSkyline reports a run without skyline rows (report.skyline: false):
	// labels-to-target is then a fraction of the best strategy's final
	// accuracy on each seed rather than of the skyline's.
	NoSkyline bool

	Curves   []CurvePoint // curves.csv order
	Summary  []SummaryRow // summary.csv order
	Ranks    []RankRow    // in Strategies order
	Pairwise []PairRow    // every ordered pair, in Strategies order
	// Penalty is Ash et al.'s pairwise penalty matrix over Strategies (see
	// Penalty); Efficiency the labeling efficiency of every strategy at every
	// budget point (see EfficiencyRow), efficiency.csv order.
	Penalty    Penalty
	Efficiency []EfficiencyRow
	// DeltaCurves are the paired metric − baseline curves, computed when
	// Meta.Delta is set (see DeltaPoint).
	DeltaCurves []DeltaPoint

	trials map[trialKey]*trial
	aulc   map[dsKey]map[int]float64 // per (dataset, strategy): seed → AULC
}

type trialKey struct {
	dataset, strategy string
	seed              int
}

type dsKey struct{ dataset, strategy string }

// trial is one (dataset, strategy, seed) curve in round order. Skyline trials
// hold a single point.
type trial struct {
	nLabeled           []int
	acc, macroF1, loss []float64
}

// Analyze checks and aggregates records. It does not modify recs. Data
// problems (a repeated round, n_labeled not increasing over rounds, two
// skyline rows for one seed) are errors.
func Analyze(recs []records.Record, meta Meta) (*Analysis, error) {
	sorted := recs
	if !records.IsSorted(recs) {
		// Sort a copy: the caller's order is theirs.
		sorted = slices.Clone(recs)
		records.Sort(sorted)
	}
	return AnalyzeSorted(slices.Values(sorted), meta)
}

// AnalyzeSorted is Analyze for records that come in trials.csv order
// (records.Key order), one at a time: it never holds them all, only each trial's
// curve, so a large grid can be analysed while it is read. Records out of order
// are an error.
func AnalyzeSorted(recs iter.Seq[records.Record], meta Meta) (*Analysis, error) {
	if !(meta.Target >= 0 && meta.Target <= 1) {
		return nil, fmt.Errorf("results: target %v outside [0, 1]", meta.Target)
	}
	if slices.Contains(meta.Oracles, meta.baseline()) {
		return nil, fmt.Errorf("results: the baseline %s is an oracle; compare with a strategy", meta.baseline())
	}
	metric, err := metricOf(meta.Metric)
	if err != nil {
		return nil, err
	}
	a := &Analysis{
		Metric:   metric,
		Baseline: meta.baseline(),
		Target:   meta.target(),
		trials:   make(map[trialKey]*trial),
		aulc:     make(map[dsKey]map[int]float64),
	}
	var datasets, strategies []string
	var seeds []int
	var prev records.Record
	var cur []records.Record // the rows of the trial being read
	// flush stores the current trial in two exactly sized allocations.
	flush := func() {
		if len(cur) == 0 {
			return
		}
		n := len(cur)
		ints, fs := make([]int, n), make([]float64, 3*n)
		for i, r := range cur {
			ints[i], fs[i], fs[n+i], fs[2*n+i] = r.NLabeled, r.Accuracy, r.MacroF1, r.LogLoss
		}
		a.trials[trialKey{cur[0].Dataset, cur[0].Strategy, cur[0].Seed}] = &trial{
			nLabeled: ints, acc: fs[:n:n], macroF1: fs[n : 2*n : 2*n], loss: fs[2*n:],
		}
		cur = cur[:0]
	}
	first := true
	for r := range recs {
		if !first {
			if c := prev.Compare(r.Key); c > 0 {
				err = fmt.Errorf("results: records out of order: %s/%s seed %d round %d after %s/%s seed %d round %d",
					r.Dataset, r.Strategy, r.Seed, r.Round, prev.Dataset, prev.Strategy, prev.Seed, prev.Round)
				break
			}
		}
		sameTrial := !first && r.Dataset == prev.Dataset && r.Strategy == prev.Strategy && r.Seed == prev.Seed
		if sameTrial {
			if r.Round == prev.Round {
				if r.Strategy == records.Skyline {
					err = fmt.Errorf("results: %s: two skyline rows for seed %d", r.Dataset, r.Seed)
				} else {
					err = fmt.Errorf("results: %s/%s seed %d: two rows for round %d", r.Dataset, r.Strategy, r.Seed, r.Round)
				}
				break
			}
			if r.NLabeled <= prev.NLabeled {
				err = fmt.Errorf("results: %s/%s seed %d: n_labeled %d at round %d does not grow from %d",
					r.Dataset, r.Strategy, r.Seed, r.NLabeled, r.Round, prev.NLabeled)
				break
			}
		} else {
			flush()
		}
		cur = append(cur, r)
		if first || r.Dataset != prev.Dataset {
			datasets = append(datasets, r.Dataset)
		}
		if r.Strategy != records.Skyline && !slices.Contains(strategies, r.Strategy) {
			strategies = append(strategies, r.Strategy)
		}
		if !slices.Contains(seeds, r.Seed) {
			seeds = append(seeds, r.Seed)
		}
		prev, first = r, false
	}
	if err != nil {
		return nil, err
	}
	flush()
	slices.Sort(strategies)
	slices.Sort(seeds)
	a.Datasets = displayOrder(meta.Datasets, datasets)
	a.Strategies = displayOrder(meta.Strategies, strategies)
	if len(meta.Oracles) > 0 {
		all := a.Strategies
		a.Strategies, a.Oracles = nil, nil
		for _, st := range all {
			if slices.Contains(meta.Oracles, st) {
				a.Oracles = append(a.Oracles, st)
			} else {
				a.Strategies = append(a.Strategies, st)
			}
		}
	}
	a.Seeds = seeds
	a.NoSkyline = true
	for k := range a.trials {
		if k.strategy == records.Skyline {
			a.NoSkyline = false
			break
		}
	}

	for k, t := range a.trials {
		if k.strategy == records.Skyline {
			continue
		}
		x := make([]float64, len(t.nLabeled))
		for i, n := range t.nLabeled {
			x[i] = float64(n)
		}
		y := t.metric(a.Metric)
		if i := slices.IndexFunc(y, math.IsNaN); i >= 0 {
			return nil, fmt.Errorf("results: %s/%s seed %d has no %s at n_labeled %d (its model gives no probabilities); choose another report.metric",
				k.dataset, k.strategy, k.seed, a.Metric, t.nLabeled[i])
		}
		dk := dsKey{k.dataset, k.strategy}
		if a.aulc[dk] == nil {
			a.aulc[dk] = make(map[int]float64)
		}
		a.aulc[dk][k.seed] = AULC(x, y)
	}

	sortedDatasets := slices.Sorted(slices.Values(datasets))
	a.Curves = a.curves(sortedDatasets)
	a.Summary = a.summary(sortedDatasets)
	a.Ranks = a.ranks()
	a.Pairwise = a.pairwise()
	a.Penalty = a.penalty()
	a.Efficiency = a.efficiency(sortedDatasets)
	if meta.Delta {
		a.DeltaCurves = a.deltaCurves(sortedDatasets)
	}
	// The per-trial curves are summarised now; drop them so the figures, rendered
	// next, do not add their memory to that of a large grid.
	a.trials, a.aulc = nil, nil
	return a, nil
}

// IsOracle reports whether the label st is one of the run's oracles.
func (a *Analysis) IsOracle(st string) bool { return slices.Contains(a.Oracles, st) }

// AllStrategies returns the strategies then the oracles, in display order.
func (a *Analysis) AllStrategies() []string {
	return append(slices.Clone(a.Strategies), a.Oracles...)
}

// OracleSuffix marks an oracle's label in tables and legends.
const OracleSuffix = " (oracle)"

// Shown returns a label as tables and legends show it: an oracle's with
// OracleSuffix.
func (a *Analysis) Shown(st string) string {
	if a.IsOracle(st) {
		return st + OracleSuffix
	}
	return st
}

// Curve returns the points of a's curves of strategy st (or records.Skyline)
// on dataset ds, in n_labeled order; none if it did not run there.
func (a *Analysis) Curve(ds, st string) []CurvePoint {
	var out []CurvePoint
	for _, c := range a.Curves {
		if c.Dataset == ds && c.Strategy == st {
			out = append(out, c)
		}
	}
	return out
}

// Row returns the summary row of strategy st on dataset ds, nil if it did not
// run there.
func (a *Analysis) Row(ds, st string) *SummaryRow {
	for i := range a.Summary {
		if a.Summary[i].Dataset == ds && a.Summary[i].Strategy == st {
			return &a.Summary[i]
		}
	}
	return nil
}

// ComparesBaseline reports whether any summary row holds a test against the
// baseline (SummaryRow.VsBaseline), counting the oracles' rows only when
// oracles is true.
func (a *Analysis) ComparesBaseline(oracles bool) bool {
	return slices.ContainsFunc(a.Summary, func(r SummaryRow) bool { return r.VsBaseline && (oracles || !r.Oracle) })
}

// displayOrder lists the names of want that occur in have, then the rest of
// have (sorted) in order.
func displayOrder(want, have []string) []string {
	var out []string
	for _, w := range want {
		if slices.Contains(have, w) && !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	for _, h := range have {
		if !slices.Contains(out, h) {
			out = append(out, h)
		}
	}
	return out
}

// seedsOf returns the sorted seeds of a (dataset, strategy) trial set.
func (a *Analysis) seedsOf(dataset, strategy string) []int {
	var s []int
	for _, seed := range a.Seeds {
		if a.trials[trialKey{dataset, strategy, seed}] != nil {
			s = append(s, seed)
		}
	}
	return s
}

// paired returns the AULCs of strategies x and y on the seeds both ran, and
// their differences x − y with |d| ≤ TieTolerance set to zero. Rank tests
// and tie counts use the differences rounded as stored (see rounded).
func (a *Analysis) paired(dataset, x, y string) (ax, ay, d []float64) {
	mx, my := a.aulc[dsKey{dataset, x}], a.aulc[dsKey{dataset, y}]
	for _, seed := range a.Seeds {
		vx, okx := mx[seed]
		vy, oky := my[seed]
		if !okx || !oky {
			continue
		}
		ax, ay = append(ax, vx), append(ay, vy)
		diff := vx - vy
		if math.Abs(diff) <= TieTolerance {
			diff = 0
		}
		d = append(d, diff)
	}
	return ax, ay, d
}

// StoredDecimals is the precision of every metric and statistic in the CSV
// files. Signed-rank tests and win/tie/loss counts compare paired
// differences rounded to it, so that differences equal as stored (and as
// printed) tie even when their last bits differ.
const StoredDecimals = 6

// rounded returns d rounded to StoredDecimals, in a new slice.
func rounded(d []float64) []float64 { return stats.RoundTo(slices.Clone(d), StoredDecimals) }
