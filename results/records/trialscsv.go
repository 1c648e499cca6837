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
	tw := NewWriter[Record](w)
	tw.Write(recs)
	return tw.Flush()
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
