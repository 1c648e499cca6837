package records

import (
	"encoding/csv"
	"io"
	"strconv"
)

// QueriesHeader is the header row of queries.csv.
var QueriesHeader = []string{"dataset", "strategy", "seed", "round", "pool_row", "row", "label"}

// Query is one labeled point of a trial: one row of queries.csv. Round is the
// round whose training set the point first joins, so round 0 lists the initial
// labeled set (the same for every strategy of a seed) and the labeled set of
// round r is every query of the trial with Round ≤ r, in file order. Replaying a
// trial elsewhere needs nothing else.
type Query struct {
	Key
	// PoolRow indexes the trial's pool (the rows `albench data` marks "pool",
	// in order); Row is the point's row in the dataset as built (the data file's
	// data row counted from 0, or the generator's sample index).
	PoolRow, Row int
	// Label is the class revealed by the oracle, by name.
	Label string
}

// QueriesWriter streams queries.csv. The caller gives the rows in trials.csv
// order of (dataset, strategy, seed), each trial's queries in pick order.
type QueriesWriter struct{ cw *csv.Writer }

// NewQueriesWriter writes the header of queries.csv to w.
func NewQueriesWriter(w io.Writer) *QueriesWriter {
	cw := csv.NewWriter(w)
	cw.Write(QueriesHeader)
	return &QueriesWriter{cw}
}

// Write writes rows.
func (qw *QueriesWriter) Write(qs []Query) {
	for _, q := range qs {
		qw.cw.Write([]string{q.Dataset, q.Strategy, strconv.Itoa(q.Seed), strconv.Itoa(q.Round),
			strconv.Itoa(q.PoolRow), strconv.Itoa(q.Row), q.Label})
	}
}

// Flush writes what is buffered and reports the first error.
func (qw *QueriesWriter) Flush() error {
	qw.cw.Flush()
	return qw.cw.Error()
}
