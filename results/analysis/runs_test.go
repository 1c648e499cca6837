package analysis_test

import (
	"math"
	"strings"
	"testing"

	"albench/results/analysis"
	"albench/results/internal/fixture"
	"albench/results/records"
)

// TestCompareRuns: B repeats A's two seeds of s, one of them with a better last
// round, and adds a seed: the comparison is over the two common seeds, one of
// them identical, with ΔAULC the mean of the per-seed differences; runs with
// nothing in common are an error.
func TestCompareRuns(t *testing.T) {
	var a, b []records.Record
	a = append(a, fixture.CurveRecs("d", "s", 0, 0.5, 0.6, 0.7)...)
	a = append(a, fixture.CurveRecs("d", "s", 1, 0.5, 0.6, 0.7)...)
	a = append(a, fixture.CurveRecs("d", "only_a", 0, 0.5, 0.6)...)
	b = append(b, fixture.CurveRecs("d", "s", 0, 0.5, 0.6, 0.7)...)
	b = append(b, fixture.CurveRecs("d", "s", 1, 0.5, 0.6, 0.9)...) // AULC +0.05
	b = append(b, fixture.CurveRecs("d", "s", 2, 0.5, 0.6, 0.7)...)
	diffs, err := analysis.CompareRuns(a, b, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(diffs) != 2 || diffs[0].Strategy != "only_a" || diffs[0].Common != 0 || diffs[0].SeedsA != 1 || diffs[0].SeedsB != 0 {
		t.Fatalf("diffs %+v", diffs)
	}
	d := diffs[1]
	if d.Common != 2 || d.SeedsB != 3 || d.Identical != 1 || math.Abs(d.Delta.Mean-0.025) > 1e-12 || math.Abs(d.B.Mean-d.A.Mean-0.025) > 1e-12 {
		t.Errorf("s: %+v", d)
	}
	if _, err := analysis.CompareRuns(a, fixture.CurveRecs("e", "s", 0, 0.5, 0.6), ""); err == nil || !strings.Contains(err.Error(), "no (dataset, strategy, seed) in common") {
		t.Errorf("disjoint runs: %v", err)
	}
}
