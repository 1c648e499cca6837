package analysis

import (
	"math"
	"testing"
)

func TestAULC(t *testing.T) {
	// Uneven x: 10·(0.5+0.7)/2 + 20·(0.7+0.8)/2 = 6 + 15 = 21 over a range of 30.
	if got := AULC([]float64{10, 20, 40}, []float64{0.5, 0.7, 0.8}); math.Abs(got-0.7) > 1e-15 {
		t.Errorf("uneven AULC = %v, want 0.7", got)
	}
	// A flat curve's AULC is its level, whatever the spacing.
	if got := AULC([]float64{1, 2, 7, 100}, []float64{0.9, 0.9, 0.9, 0.9}); math.Abs(got-0.9) > 1e-15 {
		t.Errorf("flat AULC = %v, want 0.9", got)
	}
	if got := AULC([]float64{30}, []float64{0.42}); got != 0.42 {
		t.Errorf("single point AULC = %v, want 0.42", got)
	}
	if got := AULC(nil, nil); !math.IsNaN(got) {
		t.Errorf("empty AULC = %v, want NaN", got)
	}
	defer func() {
		if recover() == nil {
			t.Error("AULC with decreasing x did not panic")
		}
	}()
	AULC([]float64{2, 1}, []float64{0, 0})
}

func TestFirstReaching(t *testing.T) {
	n := []int{10, 20, 30, 40}
	acc := []float64{0.6, 0.85, 0.8, 0.9}
	if got, ok := FirstReaching(n, acc, 0.8); !ok || got != 20 {
		t.Errorf("FirstReaching(0.8) = %d, %v, want 20, true", got, ok)
	}
	// Equality counts as reaching.
	if got, ok := FirstReaching(n, acc, 0.9); !ok || got != 40 {
		t.Errorf("FirstReaching(0.9) = %d, %v, want 40, true", got, ok)
	}
	if _, ok := FirstReaching(n, acc, 0.95); ok {
		t.Error("FirstReaching(0.95) reached, want never")
	}
}
