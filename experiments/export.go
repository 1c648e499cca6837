package experiments

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
)

// WriteSetupCSV writes a trial's data exactly as the trial sees it: one row per
// point, pool rows first in pool order and then test rows, with the features after
// standardization (when the protocol asks for it), the class name in column
// "label" and "pool" or "test" in column "split". Floats are printed in their
// shortest exact form, so reading the file back gives the same numbers bit for bit.
func WriteSetupCSV(w io.Writer, s *Setup) error {
	cw := csv.NewWriter(w)
	head := make([]string, 0, s.Features+2)
	for j := range s.Features {
		head = append(head, fmt.Sprintf("x%d", j))
	}
	cw.Write(append(head, "label", "split"))
	row := make([]string, s.Features+2)
	write := func(x []float64, y []int, split string) {
		for i, c := range y {
			for j := range s.Features {
				row[j] = strconv.FormatFloat(x[i*s.Features+j], 'g', -1, 64)
			}
			row[s.Features] = s.ClassNames[c]
			row[s.Features+1] = split
			cw.Write(row)
		}
	}
	write(s.PoolX, s.PoolY, "pool")
	write(s.TestX, s.TestY, "test")
	cw.Flush()
	return cw.Error()
}
