package records

import (
	"encoding/csv"
	"io"
	"strconv"
)

// Row is a row type of one of the record files: Record (trials.csv), Timing
// (timings.csv) or Query (queries.csv).
type Row interface {
	Record | Timing | Query
	Keyed
}

// Writer streams one record file, so a large grid's rows need not be held in
// memory. The caller gives the rows in Key order (queries in pick order
// within a trial).
type Writer[T Row] struct {
	cw     *csv.Writer
	fields []string
}

// NewWriter writes the header of T's file (TrialsHeader, TimingsHeader or
// QueriesHeader) to w.
func NewWriter[T Row](w io.Writer) *Writer[T] {
	cw := csv.NewWriter(w)
	var zero T
	cw.Write(header(any(zero)))
	return &Writer[T]{cw: cw}
}

// Write writes rows.
func (w *Writer[T]) Write(rows []T) {
	for _, r := range rows {
		w.fields = appendFields(w.fields[:0], any(r))
		w.cw.Write(w.fields)
	}
}

// Flush writes what is buffered and reports the first error.
func (w *Writer[T]) Flush() error {
	w.cw.Flush()
	return w.cw.Error()
}

// header is the header row of r's file.
func header(r any) []string {
	switch r.(type) {
	case Record:
		return TrialsHeader
	case Timing:
		return TimingsHeader
	}
	return QueriesHeader
}

// appendFields appends the fields of r's line, in its file's fixed format:
// metrics with FormatFloat, milliseconds with 3 decimals.
func appendFields(dst []string, r any) []string {
	switch r := r.(type) {
	case Record:
		return append(dst, r.Dataset, r.Strategy, strconv.Itoa(r.Seed), strconv.Itoa(r.Round), strconv.Itoa(r.NLabeled),
			FormatFloat(r.Accuracy), FormatFloat(r.MacroF1), FormatFloat(r.LogLoss))
	case Timing:
		return append(dst, r.Dataset, r.Strategy, strconv.Itoa(r.Seed), strconv.Itoa(r.Round),
			strconv.FormatFloat(r.TrainMS, 'f', 3, 64), strconv.FormatFloat(r.QueryMS, 'f', 3, 64))
	case Query:
		return append(dst, r.Dataset, r.Strategy, strconv.Itoa(r.Seed), strconv.Itoa(r.Round),
			strconv.Itoa(r.PoolRow), strconv.Itoa(r.Row), r.Label)
	}
	panic("records: not a row type")
}
