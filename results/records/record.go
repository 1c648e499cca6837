// Package results reads and writes albench's result files and turns trial records
// into curves, statistics, figures and a report. It knows nothing of models or
// strategies: its input is rows of trials.csv.
package results

import (
	"cmp"
	"encoding/json"
	"math"
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

// recordJSON is Record as trial files store it: JSON has no NaN, so a metric the
// model cannot give (the log-loss of a model without probabilities) is null.
type recordJSON struct {
	Dataset  string
	Strategy string
	Seed     int
	Round    int
	NLabeled int
	Accuracy float64
	MacroF1  float64
	LogLoss  *float64
}

// MarshalJSON writes a NaN log-loss as null.
func (r Record) MarshalJSON() ([]byte, error) {
	j := recordJSON{r.Dataset, r.Strategy, r.Seed, r.Round, r.NLabeled, r.Accuracy, r.MacroF1, nil}
	if !math.IsNaN(r.LogLoss) {
		j.LogLoss = &r.LogLoss
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads a null log-loss as NaN.
func (r *Record) UnmarshalJSON(b []byte) error {
	var j recordJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*r = Record{j.Dataset, j.Strategy, j.Seed, j.Round, j.NLabeled, j.Accuracy, j.MacroF1, math.NaN()}
	if j.LogLoss != nil {
		r.LogLoss = *j.LogLoss
	}
	return nil
}
