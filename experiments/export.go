package experiments

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
)

// WriteSetupCSV writes a trial's data exactly as the trial sees it: one row per
// point, pool rows first in pool order and then test rows. Column "row" holds the
// point's row in the dataset as built (Setup.PoolRows, Setup.TestRows); then come
// the features after standardization (when the protocol asks for it), named as
// in the data (Setup.FeatureNames) or x0, x1, … for generated data (and when the names are not distinct or
// clash with row, label or split); the class
// name in column "label" and "pool" or "test" in column "split". Floats are
// printed in their shortest exact form, so reading the file back gives the same
// numbers bit for bit.
func WriteSetupCSV(w io.Writer, s *Setup) error {
	cw := csv.NewWriter(w)
	head := make([]string, 0, s.Features+3)
	head = append(head, "row")
	names := usableNames(s.FeatureNames, s.Features)
	for j := range s.Features {
		if names {
			head = append(head, s.FeatureNames[j])
		} else {
			head = append(head, fmt.Sprintf("x%d", j))
		}
	}
	cw.Write(append(head, "label", "split"))
	row := make([]string, s.Features+3)
	write := func(x []float64, y, rows []int, split string) {
		for i, c := range y {
			row[0] = ""
			if i < len(rows) {
				row[0] = strconv.Itoa(rows[i])
			}
			for j := range s.Features {
				row[1+j] = strconv.FormatFloat(x[i*s.Features+j], 'g', -1, 64)
			}
			row[s.Features+1] = s.ClassNames[c]
			row[s.Features+2] = split
			cw.Write(row)
		}
	}
	write(s.PoolX, s.PoolY, s.PoolRows, "pool")
	write(s.TestX, s.TestY, s.TestRows, "test")
	cw.Flush()
	return cw.Error()
}

// usableNames reports whether names can head the d feature columns: d distinct,
// non-empty names, none of them row, label or split.
func usableNames(names []string, d int) bool {
	if len(names) != d {
		return false
	}
	seen := map[string]bool{"row": true, "label": true, "split": true, "": true}
	for _, n := range names {
		if seen[n] {
			return false
		}
		seen[n] = true
	}
	return true
}
