package analysis_test

import (
	"math"
	"slices"
	"strings"
	"testing"

	"albench/results/analysis"
	"albench/results/internal/fixture"
	"albench/results/records"
)

// TestEfficiencyHand: random's mean curve is 0.5, 0.6, 0.7, 0.8 at 10..40
// labels. A strategy at 0.65 with 20 labels is reached by random at 25 (linear
// between 20 and 30): efficiency 1.25; 0.8 at 30 is reached at 40: 4/3; 0.9 at
// 40 is never reached: NaN.
func TestEfficiencyHand(t *testing.T) {
	var recs []records.Record
	for seed := range 2 {
		recs = append(recs, fixture.CurveRecs("d", "random", seed, 0.5, 0.6, 0.7, 0.8)...)
		recs = append(recs, fixture.CurveRecs("d", "s", seed, 0.5, 0.65, 0.8, 0.9)...)
	}
	a, err := analysis.Analyze(recs, analysis.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		n    int
		rand float64
		eff  float64
	}{{20, 25, 1.25}, {30, 40, 4.0 / 3}, {40, math.NaN(), math.NaN()}}
	if len(a.Efficiency) != len(want) {
		t.Fatalf("%d efficiency rows, want %d: %+v", len(a.Efficiency), len(want), a.Efficiency)
	}
	for i, w := range want {
		r := a.Efficiency[i]
		if r.Strategy != "s" || r.NLabeled != w.n || !near(r.RandomLabels, w.rand) || !near(r.Efficiency, w.eff) {
			t.Errorf("row %d: %+v, want n=%d random=%v eff=%v", i, r, w.n, w.rand, w.eff)
		}
	}
}

func near(x, y float64) bool {
	if math.IsNaN(x) || math.IsNaN(y) {
		return math.IsNaN(x) && math.IsNaN(y)
	}
	return math.Abs(x-y) < 1e-12
}

// TestPenaltyHand: on each of two datasets, over five seeds and three budget
// points after the first, a beats b and c at every point by a margin that
// varies with the seed, and b and c do not differ: P[a][b] = P[a][c] = 2 (1
// per dataset), every other entry 0.
func TestPenaltyHand(t *testing.T) {
	var recs []records.Record
	for _, ds := range []string{"d1", "d2"} {
		for seed := range 5 {
			e := 0.01 * float64(seed)
			recs = append(recs, fixture.CurveRecs(ds, "a", seed, 0.5, 0.8+e, 0.85+e, 0.9+e)...)
			recs = append(recs, fixture.CurveRecs(ds, "b", seed, 0.5, 0.6+e, 0.65, 0.7+e)...)
			// c differs from b by ±0.01 in alternating seeds: no significant mean.
			s := 0.01
			if seed%2 == 1 {
				s = -0.01
			}
			recs = append(recs, fixture.CurveRecs(ds, "c", seed, 0.5, 0.6+e+s, 0.65-s, 0.7+e+s)...)
		}
	}
	a, err := analysis.Analyze(recs, analysis.Meta{Strategies: []string{"a", "b", "c"}})
	if err != nil {
		t.Fatal(err)
	}
	p := a.Penalty
	if !slices.Equal(p.Strategies, []string{"a", "b", "c"}) || p.Datasets != 2 {
		t.Fatalf("penalty over %v, %d datasets", p.Strategies, p.Datasets)
	}
	want := [][]float64{{0, 2, 2}, {0, 0, 0}, {0, 0, 0}}
	for i := range want {
		for j := range want[i] {
			if math.Abs(p.P[i][j]-want[i][j]) > 1e-12 {
				t.Errorf("P[%s][%s] = %v, want %v", p.Strategies[i], p.Strategies[j], p.P[i][j], want[i][j])
			}
		}
	}
}

// TestLogLossMetric: fixture.CurveRecs sets log-loss = 1 − accuracy, so on
// log-loss (lower is better) every AULC is 1 minus accuracy's, ranks and
// win/loss counts are the same, and Δ changes sign.
func TestLogLossMetric(t *testing.T) {
	recs := fixture.Records(t)
	for i := range recs {
		recs[i].LogLoss = 1 - recs[i].Accuracy
	}
	acc, err := analysis.Analyze(recs, analysis.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	ll, err := analysis.Analyze(recs, analysis.Meta{Metric: "log_loss"})
	if err != nil {
		t.Fatal(err)
	}
	if ll.HigherIsBetter() || !acc.HigherIsBetter() {
		t.Fatal("HigherIsBetter")
	}
	for i, r := range ll.Summary {
		q := acc.Summary[i]
		if math.Abs(r.AULC.Mean-(1-q.AULC.Mean)) > 1e-9 || r.Wins != q.Wins || r.Losses != q.Losses {
			t.Errorf("%s/%s: log-loss AULC %v W/L %d/%d; accuracy AULC %v W/L %d/%d",
				r.Dataset, r.Strategy, r.AULC.Mean, r.Wins, r.Losses, q.AULC.Mean, q.Wins, q.Losses)
		}
		if q.VsBaseline && math.Abs(r.DeltaAULC.Mean+q.DeltaAULC.Mean) > 1e-9 {
			t.Errorf("%s/%s: ΔAULC %v, accuracy's %v", r.Dataset, r.Strategy, r.DeltaAULC.Mean, q.DeltaAULC.Mean)
		}
	}
	for i := range ll.Ranks {
		if !slices.Equal(ll.Ranks[i].ByDataset, acc.Ranks[i].ByDataset) {
			t.Errorf("%s ranks %v, accuracy's %v", ll.Ranks[i].Strategy, ll.Ranks[i].ByDataset, acc.Ranks[i].ByDataset)
		}
	}
	if !slices.Equal(ll.Pairwise, acc.Pairwise) {
		t.Errorf("pairwise wins differ: %v vs %v", ll.Pairwise, acc.Pairwise)
	}
}

// TestMetricErrors: an unknown metric, and log-loss for a model without
// probabilities (NaN), are errors naming the problem.
func TestMetricErrors(t *testing.T) {
	recs := fixture.CurveRecs("d", "s", 0, 0.5, 0.6)
	if _, err := analysis.Analyze(recs, analysis.Meta{Metric: "auc"}); err == nil || !strings.Contains(err.Error(), `unknown metric "auc"`) {
		t.Errorf("unknown metric: %v", err)
	}
	recs[1].LogLoss = math.NaN()
	_, err := analysis.Analyze(recs, analysis.Meta{Metric: "log_loss"})
	if err == nil || !strings.Contains(err.Error(), "d/s seed 0 has no log_loss at n_labeled 20") {
		t.Errorf("NaN log-loss: %v", err)
	}
}

// TestDeltaCurves: the paired differences per budget point, on request only.
func TestDeltaCurves(t *testing.T) {
	var recs []records.Record
	for seed := range 3 {
		e := 0.01 * float64(seed)
		recs = append(recs, fixture.CurveRecs("d", "random", seed, 0.5, 0.6+e, 0.7)...)
		recs = append(recs, fixture.CurveRecs("d", "s", seed, 0.5, 0.7+2*e, 0.7)...)
	}
	a, err := analysis.Analyze(recs, analysis.Meta{})
	if err != nil || a.DeltaCurves != nil {
		t.Fatalf("delta curves without Meta.Delta: %v, %v", a.DeltaCurves, err)
	}
	a, err = analysis.Analyze(recs, analysis.Meta{Delta: true})
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{0, 0.11, 0} // mean over seeds of 0.1 + e
	if len(a.DeltaCurves) != 3 {
		t.Fatalf("%d points", len(a.DeltaCurves))
	}
	for i, p := range a.DeltaCurves {
		if p.Strategy != "s" || p.NLabeled != 10*(i+1) || p.Delta.N != 3 || math.Abs(p.Delta.Mean-want[i]) > 1e-12 {
			t.Errorf("point %d: %+v, want mean %v", i, p, want[i])
		}
	}
}
