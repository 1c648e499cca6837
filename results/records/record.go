// Package records holds the rows of albench's result files and reads and
// writes them: trials.csv (Record), timings.csv (Timing) and queries.csv
// (Query), all identified by one Key and kept in its order. It knows nothing
// of models or strategies.
package records

import (
	"cmp"
	"encoding/json"
	"math"
	"slices"
)

// Skyline is the strategy label of the rows that hold, per dataset and seed, the
// model trained on the whole labeled pool (design §3).
const Skyline = "skyline"

// Key identifies one round of one trial: the first four columns of
// trials.csv, timings.csv and queries.csv, and their order.
type Key struct {
	Dataset  string
	Strategy string // the strategy's label, or Skyline
	Seed     int
	Round    int
}

// Compare orders keys by dataset, strategy, seed and round, the order of
// trials.csv; it returns −1, 0 or +1 like cmp.Compare.
func (k Key) Compare(o Key) int {
	return cmp.Or(
		cmp.Compare(k.Dataset, o.Dataset),
		cmp.Compare(k.Strategy, o.Strategy),
		cmp.Compare(k.Seed, o.Seed),
		cmp.Compare(k.Round, o.Round),
	)
}

// RowKey returns k itself, so that every type embedding a Key is Keyed.
func (k Key) RowKey() Key { return k }

// Keyed is a row with a Key: Record, Timing and Query.
type Keyed interface{ RowKey() Key }

// Compare orders rows by their keys (see Key.Compare).
func Compare[T Keyed](a, b T) int { return a.RowKey().Compare(b.RowKey()) }

// Sort sorts rows in trials.csv order, stably.
func Sort[T Keyed](xs []T) { slices.SortStableFunc(xs, Compare[T]) }

// IsSorted reports whether rows are in trials.csv order.
func IsSorted[T Keyed](xs []T) bool { return slices.IsSortedFunc(xs, Compare[T]) }

// Record is one evaluation: one row of trials.csv.
type Record struct {
	Key
	NLabeled int
	Accuracy float64
	MacroF1  float64
	LogLoss  float64
}

// Timing is one round's wall-clock cost: one row of timings.csv. Clocks are not
// reproducible, so timings are kept apart from the records.
type Timing struct {
	Key
	TrainMS float64
	QueryMS float64
}

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
	*r = Record{Key{j.Dataset, j.Strategy, j.Seed, j.Round}, j.NLabeled, j.Accuracy, j.MacroF1, math.NaN()}
	if j.LogLoss != nil {
		r.LogLoss = *j.LogLoss
	}
	return nil
}
