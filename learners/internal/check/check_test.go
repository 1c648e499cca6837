package check

import (
	"math"
	"testing"

	"albench/nets"
)

// TestDataFrom: rows before from are not looked at, later ones are, with the
// indices Data reports; the shape is always checked.
func TestDataFrom(t *testing.T) {
	x := &nets.Matrix{Rows: 3, Cols: 2, Data: []float64{math.NaN(), 0, 1, 1, 2, math.Inf(-1)}}
	y := []int{5, 0, 1}
	if err := Data("p", x, y, 2); err == nil || err.Error() != "p: label 5 of row 0 outside [0, 2)" {
		t.Errorf("Data: %v", err)
	}
	if err := DataFrom("p", x, y, 2, 1); err == nil || err.Error() != "p: x[2][1] = -Inf" {
		t.Errorf("DataFrom 1: %v", err)
	}
	if err := DataFrom("p", x, y, 2, 3); err != nil {
		t.Errorf("DataFrom 3: %v", err)
	}
	x.Data[5] = math.Inf(1)
	if err := DataFrom("p", x, y, 2, 2); err == nil || err.Error() != "p: x[2][1] = +Inf" {
		t.Errorf("+Inf: %v", err)
	}
	x.Data[5] = 7
	if err := DataFrom("p", x, []int{0, 0}, 2, 3); err == nil || err.Error() != "p: 2 labels for 3 rows" {
		t.Errorf("short labels: %v", err)
	}
	if err := DataFrom("p", x, y, 2, 1); err != nil {
		t.Errorf("finite from row 1: %v", err)
	}
	if err := Data("p", x, y, 2); err == nil || err.Error() != "p: label 5 of row 0 outside [0, 2)" {
		t.Errorf("Data after the fix: %v", err)
	}
	x.Data[0] = math.NaN()
	y[0] = 0
	if err := Data("p", x, y, 2); err == nil || err.Error() != "p: x[0][0] = NaN" {
		t.Errorf("NaN: %v", err)
	}
}
