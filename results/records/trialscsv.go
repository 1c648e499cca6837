package records

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// TrialsHeader is the header row of trials.csv.
var TrialsHeader = []string{"dataset", "strategy", "seed", "round", "n_labeled", "accuracy", "macro_f1", "log_loss"}

// TimingsHeader is the header row of timings.csv.
var TimingsHeader = []string{"dataset", "strategy", "seed", "round", "train_ms", "query_ms"}

// FormatFloat prints a metric the one way trials.csv does: fixed-point with 6
// decimals, so the same value always gives the same bytes.
//
// NaN, a metric the model cannot give (the log-loss of a model without
// probabilities), is an empty cell.
func FormatFloat(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	return strconv.FormatFloat(v, 'f', 6, 64)
}

// AsStored returns r with its metrics rounded as trials.csv stores them, so that
// an analysis of records in memory equals one of the file read back (what
// `albench report` does) to the bit.
func AsStored(r Record) Record {
	round := func(v float64) float64 {
		if math.IsNaN(v) {
			return v
		}
		x, _ := strconv.ParseFloat(FormatFloat(v), 64)
		return x
	}
	r.Accuracy, r.MacroF1, r.LogLoss = round(r.Accuracy), round(r.MacroF1), round(r.LogLoss)
	return r
}

// WriteTrials writes records as trials.csv, sorted by Key. recs is sorted in
// place.
func WriteTrials(w io.Writer, recs []Record) error {
	Sort(recs)
	tw := NewTrialsWriter(w)
	tw.Write(recs)
	return tw.Flush()
}

// TrialsWriter streams trials.csv, so a large grid need not be held in memory.
// The caller gives the rows in Key order.
type TrialsWriter struct{ cw *csv.Writer }

// NewTrialsWriter writes the header of trials.csv to w.
func NewTrialsWriter(w io.Writer) *TrialsWriter {
	cw := csv.NewWriter(w)
	cw.Write(TrialsHeader)
	return &TrialsWriter{cw}
}

// Write writes rows.
func (tw *TrialsWriter) Write(recs []Record) {
	for _, r := range recs {
		tw.cw.Write([]string{r.Dataset, r.Strategy, strconv.Itoa(r.Seed), strconv.Itoa(r.Round), strconv.Itoa(r.NLabeled),
			FormatFloat(r.Accuracy), FormatFloat(r.MacroF1), FormatFloat(r.LogLoss)})
	}
}

// Flush writes what is buffered and reports the first error.
func (tw *TrialsWriter) Flush() error {
	tw.cw.Flush()
	return tw.cw.Error()
}

// ReadTrials parses trials.csv. Errors name the line.
func ReadTrials(r io.Reader) ([]Record, error) {
	cr := csv.NewReader(bufio.NewReader(r))
	cr.FieldsPerRecord = len(TrialsHeader)
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("trials.csv: empty file")
	}
	if err != nil {
		return nil, fmt.Errorf("trials.csv: %w", err)
	}
	if strings.Join(head, ",") != strings.Join(TrialsHeader, ",") {
		return nil, fmt.Errorf("trials.csv:1: header is %q, want %q", strings.Join(head, ","), strings.Join(TrialsHeader, ","))
	}
	var recs []Record
	for {
		row, err := cr.Read()
		if err == io.EOF {
			return recs, nil
		}
		if err != nil {
			return nil, fmt.Errorf("trials.csv: %w", err)
		}
		line, _ := cr.FieldPos(0)
		var rec Record
		var perr error
		ints := func(s, key string) int {
			v, err := strconv.Atoi(s)
			if err != nil && perr == nil {
				perr = fmt.Errorf("trials.csv:%d: %s: not an integer (got %q)", line, key, s)
			}
			return v
		}
		floats := func(s, key string) float64 {
			v, err := strconv.ParseFloat(s, 64)
			if (err != nil || math.IsNaN(v) || math.IsInf(v, 0)) && perr == nil {
				perr = fmt.Errorf("trials.csv:%d: %s: not a finite number (got %q)", line, key, s)
			}
			return v
		}
		rec.Dataset, rec.Strategy = row[0], row[1]
		rec.Seed = ints(row[2], "seed")
		rec.Round = ints(row[3], "round")
		rec.NLabeled = ints(row[4], "n_labeled")
		rec.Accuracy = floats(row[5], "accuracy")
		rec.MacroF1 = floats(row[6], "macro_f1")
		if rec.LogLoss = math.NaN(); row[7] != "" { // empty: the model has no probabilities
			rec.LogLoss = floats(row[7], "log_loss")
		}
		if perr != nil {
			return nil, perr
		}
		if rec.Dataset == "" || rec.Strategy == "" {
			return nil, fmt.Errorf("trials.csv:%d: empty dataset or strategy", line)
		}
		recs = append(recs, rec)
	}
}

// TimingsWriter streams timings.csv, so a large grid's timings need not be held in
// memory. The caller gives the rows in Key order.
type TimingsWriter struct{ cw *csv.Writer }

// NewTimingsWriter writes the header of timings.csv to w.
func NewTimingsWriter(w io.Writer) *TimingsWriter {
	cw := csv.NewWriter(w)
	cw.Write(TimingsHeader)
	return &TimingsWriter{cw}
}

// Write writes rows.
func (tw *TimingsWriter) Write(ts []Timing) {
	for _, t := range ts {
		tw.cw.Write([]string{t.Dataset, t.Strategy, strconv.Itoa(t.Seed), strconv.Itoa(t.Round),
			strconv.FormatFloat(t.TrainMS, 'f', 3, 64), strconv.FormatFloat(t.QueryMS, 'f', 3, 64)})
	}
}

// Flush writes what is buffered and reports the first error.
func (tw *TimingsWriter) Flush() error {
	tw.cw.Flush()
	return tw.cw.Error()
}
