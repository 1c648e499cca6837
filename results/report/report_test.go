package report

import (
	"testing"
)

func TestSeedRanges(t *testing.T) {
	if got := seedRanges([]int{7, 0, 1, 2, 3, 9, 10, 12}); got != "0–3, 7, 9, 10, 12" {
		t.Errorf("seedRanges = %q", got)
	}
}
