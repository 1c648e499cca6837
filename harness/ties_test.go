package harness

import (
	"slices"
	"testing"
)

// TestTieRanksArePerDatasetAndSeed: the tie order is a permutation of the pool
// rows, a function of (dataset, seed) only, so every strategy of a seed sees the
// same one and comparisons stay paired, and another seed or dataset draws another.
func TestTieRanksArePerDatasetAndSeed(t *testing.T) {
	a := tieRanks("iris", 3, 90)
	seen := make([]bool, 90)
	for _, r := range a {
		if r < 0 || r >= 90 || seen[r] {
			t.Fatalf("tie ranks %v are not a permutation of 0..89", a)
		}
		seen[r] = true
	}
	if !slices.Equal(a, tieRanks("iris", 3, 90)) {
		t.Error("the tie order of (iris, 3) changed between calls")
	}
	if slices.Equal(a, tieRanks("iris", 4, 90)) || slices.Equal(a, tieRanks("wine", 3, 90)) {
		t.Error("another seed or dataset drew the same tie order")
	}
	sorted := make([]int32, 90)
	for i := range sorted {
		sorted[i] = int32(i)
	}
	if slices.Equal(a, sorted) {
		t.Error("the tie order is the row order")
	}
}
