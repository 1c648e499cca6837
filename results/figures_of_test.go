package results

import (
	"math"
	"slices"
	"testing"

	"albench/results/analysis"
	"albench/results/figures"
	"albench/results/internal/fixture"
	"albench/results/records"
)

// seriesOf is the series named name of p.
func seriesOf(t *testing.T, p figures.Panel, name string) figures.Series {
	t.Helper()
	for _, s := range p.Series {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("panel %q has no series %q", p.Title, name)
	return figures.Series{}
}

// TestCurvesPanel: the curves hold the metric's means with the band of
// Meta.Band (ci95 the t-interval, sem and std mean ± one of them), the
// baseline and skyline in their roles, and only the strategies of
// Meta.FigureStrategies besides the baseline and skyline.
func TestCurvesPanel(t *testing.T) {
	a := fixture.Analysis(t)
	pts := a.Curve("moons", "margin")
	for _, tc := range []struct {
		band   string
		lo, hi func(i int) float64
	}{
		{"", func(i int) float64 { return pts[i].Accuracy.CILow }, func(i int) float64 { return pts[i].Accuracy.CIHigh }},
		{"sem", func(i int) float64 { return pts[i].Accuracy.Mean - pts[i].Accuracy.SEM },
			func(i int) float64 { return pts[i].Accuracy.Mean + pts[i].Accuracy.SEM }},
		{"std", func(i int) float64 { return pts[i].Accuracy.Mean - pts[i].Accuracy.Std },
			func(i int) float64 { return pts[i].Accuracy.Mean + pts[i].Accuracy.Std }},
	} {
		meta := fixture.Meta
		meta.Band = tc.band
		p := figureView{a: a, meta: meta}.curvesPanel("moons")
		if p.YLabel != "test accuracy" || p.XLabel != "labeled examples" || p.Title != "moons" {
			t.Errorf("band %q: labels %q, %q, %q", tc.band, p.Title, p.XLabel, p.YLabel)
		}
		s := seriesOf(t, p, "margin")
		if s.Role != figures.Strategy || len(s.X) != len(pts) {
			t.Fatalf("band %q: margin %+v", tc.band, s)
		}
		// At the first round margin has random's labels: its band is random's
		// and left to random (shareBaselineBand).
		if r := a.Curve("moons", "random")[0]; r.Accuracy != pts[0].Accuracy || !math.IsNaN(s.Lo[0]) || !math.IsNaN(s.Hi[0]) {
			t.Errorf("band %q: first point %+v (random %+v) drawn with a band [%v, %v]", tc.band, pts[0].Accuracy, r.Accuracy, s.Lo[0], s.Hi[0])
		}
		for i := 1; i < len(pts); i++ {
			if s.X[i] != float64(pts[i].NLabeled) || s.Mean[i] != pts[i].Accuracy.Mean || s.Lo[i] != tc.lo(i) || s.Hi[i] != tc.hi(i) {
				t.Errorf("band %q, point %d: (%v, %v, [%v, %v]), want (%d, %v, [%v, %v])", tc.band, i,
					s.X[i], s.Mean[i], s.Lo[i], s.Hi[i], pts[i].NLabeled, pts[i].Accuracy.Mean, tc.lo(i), tc.hi(i))
			}
		}
		// With eight seeds the 95% t-interval is wider than ±1 SEM.
		if tc.band == "" && !(s.Hi[1]-s.Lo[1] > 2*pts[1].Accuracy.SEM) {
			t.Errorf("95%% CI %v not wider than ±SEM %v", s.Hi[1]-s.Lo[1], pts[1].Accuracy.SEM)
		}
		if r := seriesOf(t, p, "random"); r.Role != figures.Baseline || r.Lo == nil || math.IsNaN(r.Lo[0]) {
			t.Errorf("band %q: random %+v, want the baseline with a band", tc.band, r)
		}
		sky := seriesOf(t, p, records.Skyline)
		wantSky := a.Curve("moons", records.Skyline)
		if sky.Role != figures.Skyline || sky.Lo != nil || len(sky.Mean) != 1 || sky.Mean[0] != wantSky[len(wantSky)-1].Accuracy.Mean {
			t.Errorf("band %q: skyline %+v", tc.band, sky)
		}
	}

	meta := fixture.Meta
	meta.FigureStrategies = []string{"entropy"}
	var names []string
	for _, s := range (figureView{a: a, meta: meta}).curvesPanel("wine").Series {
		names = append(names, s.Name)
	}
	if want := []string{"random", "entropy", records.Skyline}; !slices.Equal(names, want) {
		t.Errorf("FigureStrategies [entropy]: series %v, want %v", names, want)
	}
	if d := (figureView{a: a, meta: meta}).deltaAULC(); !slices.Equal(d.Strategies, []string{"entropy"}) {
		t.Errorf("FigureStrategies [entropy]: ΔAULC rows %v", d.Strategies)
	}
}

// TestCurvesMetric: with Meta.Metric macro_f1 or log_loss the curves and the
// skyline are of that metric and the axes say so.
func TestCurvesMetric(t *testing.T) {
	for _, tc := range []struct{ metric, label, aulc string }{
		{"macro_f1", "macro-F1", "ΔAULC of macro-F1"},
		{"log_loss", "log-loss", "ΔAULC of log-loss"},
	} {
		meta := fixture.Meta
		meta.Metric = tc.metric
		meta.Delta = true
		a, err := analysis.Analyze(fixture.Records(t), meta)
		if err != nil {
			t.Fatal(err)
		}
		fv := figureView{a: a, meta: meta}
		p := fv.curvesPanel("wine")
		if p.YLabel != tc.label {
			t.Errorf("%s: y label %q, want %q", tc.metric, p.YLabel, tc.label)
		}
		pts := a.Curve("wine", "margin")
		if s := seriesOf(t, p, "margin"); s.Mean[1] != pts[1].Of(tc.metric).Mean {
			t.Errorf("%s: margin's second mean %v, want %v", tc.metric, s.Mean[1], pts[1].Of(tc.metric).Mean)
		}
		if got := fv.deltaAULC().XLabel; got != tc.aulc {
			t.Errorf("%s: ΔAULC label %q, want %q", tc.metric, got, tc.aulc)
		}
		d := fv.deltaPanel("wine")
		if !d.ZeroLine || d.YLabel != "Δ "+tc.label || d.Title != "wine, vs random" {
			t.Errorf("%s: Δ panel %q %q zero line %v", tc.metric, d.Title, d.YLabel, d.ZeroLine)
		}
		var want []analysis.DeltaPoint
		for _, q := range a.DeltaCurves {
			if q.Dataset == "wine" && q.Strategy == "entropy" {
				want = append(want, q)
			}
		}
		s := seriesOf(t, d, "entropy")
		if len(want) == 0 || len(s.Mean) != len(want) || s.Mean[0] != want[0].Delta.Mean || s.Lo[0] != want[0].Delta.CILow {
			t.Errorf("%s: Δ entropy %+v, want %+v", tc.metric, s, want)
		}
		if slices.ContainsFunc(d.Series, func(s figures.Series) bool { return s.Name == "random" }) {
			t.Errorf("%s: Δ panel draws the baseline", tc.metric)
		}
	}
}

// TestShareBaselineBand: a strategy's band is left out exactly where mean
// and edges equal the baseline's at the same x; all left out, it has none;
// oracles and the skyline are untouched.
func TestShareBaselineBand(t *testing.T) {
	nan := math.NaN()
	ss := []figures.Series{
		{Name: "a", X: []float64{1, 2, 3}, Mean: []float64{5, 6, 7}, Lo: []float64{4, 5, 6}, Hi: []float64{6, 7, 8}},
		{Name: "random", Role: figures.Baseline, X: []float64{1, 2, 3}, Mean: []float64{5, 6, 6}, Lo: []float64{4, 5, 5}, Hi: []float64{6, 7.5, 7}},
		{Name: "b", X: []float64{1, 3}, Mean: []float64{5, 6}, Lo: []float64{4, 5}, Hi: []float64{6, 7}},
	}
	shareBaselineBand(ss)
	eq := func(x, y []float64) bool {
		return slices.EqualFunc(x, y, func(u, v float64) bool { return u == v || math.IsNaN(u) && math.IsNaN(v) })
	}
	if !eq(ss[0].Lo, []float64{nan, 5, 6}) || !eq(ss[0].Hi, []float64{nan, 7, 8}) {
		t.Errorf("a: band %v..%v, want the first point left out only (the second's Hi differs)", ss[0].Lo, ss[0].Hi)
	}
	if ss[2].Lo != nil || ss[2].Hi != nil {
		t.Errorf("b equals the baseline everywhere but keeps a band %v..%v", ss[2].Lo, ss[2].Hi)
	}
	if !eq(ss[1].Lo, []float64{4, 5, 5}) {
		t.Errorf("the baseline's band changed: %v", ss[1].Lo)
	}
}

// TestSingleSeedNoBand: a curve of one seed has no band (its spread is
// undefined), whatever Meta.Band.
func TestSingleSeedNoBand(t *testing.T) {
	var recs []records.Record
	recs = append(recs, fixture.CurveRecs("d", "random", 0, 0.5, 0.6, 0.7)...)
	recs = append(recs, fixture.CurveRecs("d", "margin", 0, 0.5, 0.7, 0.8)...)
	for _, band := range []string{"", "sem", "std"} {
		meta := analysis.Meta{Band: band}
		a, err := analysis.Analyze(recs, meta)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range (figureView{a: a, meta: meta}).curvesPanel("d").Series {
			if s.Lo != nil || s.Hi != nil {
				t.Errorf("band %q: one seed of %s drawn with a band %v..%v", band, s.Name, s.Lo, s.Hi)
			}
		}
	}
}

// TestDeltaAULCPlot: a point per (dataset, strategy) but the baseline, its
// mean and 95% interval from summary.csv, significant exactly when the
// Holm-corrected Wilcoxon p is below analysis.Alpha.
func TestDeltaAULCPlot(t *testing.T) {
	a := fixture.Analysis(t)
	d := figureView{a: a, meta: fixture.Meta}.deltaAULC()
	if !slices.Equal(d.Strategies, []string{"margin", "entropy"}) || !slices.Equal(d.Datasets, a.Datasets) {
		t.Fatalf("rows %v, panels %v", d.Strategies, d.Datasets)
	}
	if len(d.Points) != 4 {
		t.Fatalf("%d points, want 4", len(d.Points))
	}
	sig := 0
	for _, p := range d.Points {
		r := a.Row(p.Dataset, p.Strategy)
		if p.Mean != r.DeltaAULC.Mean || p.Lo != r.DeltaAULC.CILow || p.Hi != r.DeltaAULC.CIHigh ||
			p.Significant != (r.PWilcoxonHolm < analysis.Alpha) {
			t.Errorf("%+v, summary row %+v", p, r)
		}
		if p.Significant {
			sig++
		}
	}
	// Eight seeds: the exact test reaches p = 2/256, so some differences are
	// significant and the wine tie (entropy, seed 3) is not all.
	if sig == 0 {
		t.Error("no ΔAULC marked significant on the fixture")
	}
}

// TestCDPlotHand: the hand case (mean ranks 1.2, 2, 3, 3.8 over five
// datasets): CD = q_0.05(4) · √(k(k+1)/(6N)) = 2.569 · √(20/30) = 2.0976;
// Nemenyi cliques {A, B, C} (3 − 1.2 = 1.8 < CD) and {B, C, D}; no
// Wilcoxon–Holm pair can differ with five datasets (smallest p 1/16), so one
// clique of all four.
func TestCDPlotHand(t *testing.T) {
	a := fixture.Table(t, []string{"A", "B", "C", "D"}, fixture.ByRank(fixture.HandRanks))
	c := a.CrossDataset()
	n := cdPlot(c, c.Nemenyi, true)
	if math.Abs(n.CD-2.0976) > 5e-4 || n.Note != "" {
		t.Errorf("CD %v, note %q", n.CD, n.Note)
	}
	for i, want := range []float64{1.2, 2, 3, 3.8} {
		if n.Names[i] != []string{"A", "B", "C", "D"}[i] || math.Abs(n.MeanRanks[i]-want) > 1e-12 {
			t.Errorf("%s: mean rank %v, want %v", n.Names[i], n.MeanRanks[i], want)
		}
	}
	if want := [][]string{{"A", "B", "C"}, {"B", "C", "D"}}; !slices.EqualFunc(n.Cliques, want, slices.Equal) {
		t.Errorf("Nemenyi cliques %v, want %v", n.Cliques, want)
	}
	w := cdPlot(c, c.WilcoxonHolm, false)
	if !math.IsNaN(w.CD) && w.CD != 0 || w.Note != "Wilcoxon–Holm, α = 0.05" {
		t.Errorf("Wilcoxon–Holm CD %v, note %q", w.CD, w.Note)
	}
	if want := [][]string{{"A", "B", "C", "D"}}; !slices.EqualFunc(w.Cliques, want, slices.Equal) {
		t.Errorf("Wilcoxon–Holm cliques %v, want %v", w.Cliques, want)
	}
}

// TestPenaltyMatrix: the cells are Analysis.Penalty's, the diagonal empty,
// shaded up to the number of datasets.
func TestPenaltyMatrix(t *testing.T) {
	a := fixture.Analysis(t)
	m := figureView{a: a}.penalty()
	if m.Max != float64(a.Penalty.Datasets) || m.Decimals != 2 || !slices.Equal(m.Rows, a.Penalty.Strategies) {
		t.Errorf("max %v, decimals %d, rows %v", m.Max, m.Decimals, m.Rows)
	}
	for i := range m.Values {
		for j, v := range m.Values[i] {
			if i == j && !math.IsNaN(v) || i != j && v != a.Penalty.P[i][j] {
				t.Errorf("cell (%d, %d) = %v, penalty %v", i, j, v, a.Penalty.P[i][j])
			}
		}
	}
}
