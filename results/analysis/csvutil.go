package analysis

import (
	"encoding/csv"
	"io"
	"math"
	"strconv"

	"albench/results/records"
)

// formatOpt prints a float with FormatFloat, or an empty field for NaN: an
// undefined statistic (the spread of one seed, a test without a baseline).
func formatOpt(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	return records.FormatFloat(v)
}

// writeCSV writes a header and rows, reporting the first write error.
func writeCSV(w io.Writer, header []string, rows [][]string) error {
	cw := csv.NewWriter(w)
	cw.Write(header)
	for _, r := range rows {
		cw.Write(r)
	}
	cw.Flush()
	return cw.Error()
}

func itoa(i int) string { return strconv.Itoa(i) }
