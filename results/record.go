// Package results reads and writes albench's result files and turns trial records
// into curves, statistics, figures and a report. It knows nothing of models or
// strategies: its input is rows of trials.csv.
package results

import (
	"cmp"
	"slices"
)

// Skyline is the strategy label of the rows that hold, per dataset and seed, the
// model trained on the whole labeled pool (design §3).
const Skyline = "skyline"

// Record is one evaluation: one row of trials.csv.
type Record struct {
	Dataset  string
	Strategy string // the strategy's label, or Skyline
	Seed     int
	Round    int
	NLabeled int
	Accuracy float64
	MacroF1  float64
	LogLoss  float64
}

// Timing is one round's wall-clock cost: one row of timings.csv. Clocks are not
// reproducible, so timings are kept apart from the records.
type Timing struct {
	Dataset  string
	Strategy string
	Seed     int
	Round    int
	TrainMS  float64
	QueryMS  float64
}

// CompareRecords orders records by dataset, strategy, seed and round, the order of
// trials.csv.
func CompareRecords(a, b Record) int {
	return cmp.Or(
		cmp.Compare(a.Dataset, b.Dataset),
		cmp.Compare(a.Strategy, b.Strategy),
		cmp.Compare(a.Seed, b.Seed),
		cmp.Compare(a.Round, b.Round),
	)
}

// CompareTimings orders timings like CompareRecords.
func CompareTimings(a, b Timing) int {
	return cmp.Or(
		cmp.Compare(a.Dataset, b.Dataset),
		cmp.Compare(a.Strategy, b.Strategy),
		cmp.Compare(a.Seed, b.Seed),
		cmp.Compare(a.Round, b.Round),
	)
}

// SortRecords sorts records in trials.csv order.
func SortRecords(recs []Record) { slices.SortStableFunc(recs, CompareRecords) }

func sortTimings(ts []Timing) { slices.SortStableFunc(ts, CompareTimings) }
