package analysis_test

import (
	"bytes"
	"math"
	"slices"
	"strings"
	"testing"

	"albench/results/analysis"
	"albench/results/internal/fixture"
	"albench/results/records"
)

func TestAnalyzeErrors(t *testing.T) {
	base := fixture.CurveRecs("d", "random", 0, 0.5, 0.6)
	for _, tc := range []struct {
		name string
		recs []records.Record
		want string
	}{
		{"repeated round", append(slices.Clone(base), base[1]), "two rows for round 1"},
		{"n_labeled not growing", append(fixture.CurveRecs("d", "random", 0, 0.5), records.Record{Key: records.Key{Dataset: "d", Strategy: "random", Round: 1}, NLabeled: 10}), "does not grow"},
		{"two skylines", []records.Record{fixture.SkyRec("d", 0, 0.9), fixture.SkyRec("d", 0, 0.8)}, "two skyline rows"},
	} {
		_, err := analysis.Analyze(tc.recs, analysis.Meta{})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want one containing %q", tc.name, err, tc.want)
		}
	}
	if _, err := analysis.Analyze(base, analysis.Meta{Target: 1.5}); err == nil {
		t.Error("target 1.5 accepted")
	}
}

func TestDisplayOrder(t *testing.T) {
	var recs []records.Record
	for _, st := range []string{"random", "margin", "bald", "entropy"} {
		recs = append(recs, fixture.CurveRecs("b", st, 0, 0.5, 0.6)...)
		recs = append(recs, fixture.CurveRecs("a", st, 0, 0.5, 0.6)...)
	}
	a, err := analysis.Analyze(recs, analysis.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(a.Strategies, ","); got != "bald,entropy,margin,random" {
		t.Errorf("default strategy order %s, want sorted", got)
	}
	// Listed names first (those without records dropped), the rest sorted.
	a, err = analysis.Analyze(recs, analysis.Meta{Strategies: []string{"random", "qbc", "margin"}, Datasets: []string{"b"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(a.Strategies, ","); got != "random,margin,bald,entropy" {
		t.Errorf("strategy order %s", got)
	}
	if got := strings.Join(a.Datasets, ","); got != "b,a" {
		t.Errorf("dataset order %s", got)
	}
	// The CSVs sort datasets by name and strategies in display order.
	var order []string
	for _, c := range a.Curves {
		if c.NLabeled == 10 {
			order = append(order, c.Dataset+"/"+c.Strategy)
		}
	}
	if got := strings.Join(order, " "); got != "a/random a/margin a/bald a/entropy b/random b/margin b/bald b/entropy" {
		t.Errorf("curves order %s", got)
	}
}

func TestSummaryAgainstBaseline(t *testing.T) {
	var recs []records.Record
	for seed := range 6 {
		s := float64(seed) / 100
		recs = append(recs, fixture.CurveRecs("d", "random", seed, 0.5+s, 0.6+s, 0.7+s)...)
		recs = append(recs, fixture.CurveRecs("d", "margin", seed, 0.5+s, 0.7+s, 0.8+s+s)...)
		recs = append(recs, fixture.SkyRec("d", seed, 0.8))
	}
	// One seed of a third strategy, equal to random: a tie.
	recs = append(recs, fixture.CurveRecs("d", "entropy", 0, 0.5, 0.6, 0.7)...)
	a, err := analysis.Analyze(recs, analysis.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	m, r, e := a.Row("d", "margin"), a.Row("d", "random"), a.Row("d", "entropy")
	if r.VsBaseline || !math.IsNaN(r.PWilcoxon) {
		t.Errorf("random's own row compared with itself: %+v", r)
	}
	if !m.VsBaseline || m.Wins != 6 || m.Losses != 0 || m.Ties != 0 {
		t.Errorf("margin W/T/L = %d/%d/%d, want 6/0/0", m.Wins, m.Ties, m.Losses)
	}
	// All six differences positive and distinct: exact p = 2/64.
	if m.PWilcoxon != 0.03125 {
		t.Errorf("margin p_wilcoxon = %v, want 0.03125", m.PWilcoxon)
	}
	// Holm over margin and entropy (entropy's single tie gives p = 1).
	if e.Ties != 1 || e.PWilcoxon != 1 || m.PWilcoxonHolm != 0.0625 {
		t.Errorf("entropy ties=%d p=%v; margin Holm p=%v, want 1, 1, 0.0625", e.Ties, e.PWilcoxon, m.PWilcoxonHolm)
	}
	// Paired on every seed, the mean ΔAULC is the difference of the means.
	if d := m.AULC.Mean - r.AULC.Mean; math.Abs(m.DeltaAULC.Mean-d) > 1e-12 {
		t.Errorf("ΔAULC mean %v, want %v", m.DeltaAULC.Mean, d)
	}
	// Labels-to-target: the goal is 0.95·0.8 = 0.76. margin first reaches it
	// at 30 labels on every seed; random peaks at 0.7+s ≤ 0.75 and never does.
	if m.LabelsToTarget.Mean != 30 || m.LabelsToTarget.Reached != 6 {
		t.Errorf("margin ltt %+v, want mean 30 on 6 seeds", m.LabelsToTarget)
	}
	if !math.IsNaN(r.LabelsToTarget.Mean) || r.LabelsToTarget.Missed != 6 {
		t.Errorf("random ltt %+v, want none reached, 6 missed", r.LabelsToTarget)
	}
	var buf bytes.Buffer
	if err := analysis.WriteSummary(&buf, a.Summary, a.Metric); err != nil {
		t.Fatal(err)
	}
	// random: ltt_mean empty, ltt_missed 6, every vs-random column empty.
	if !strings.Contains(buf.String(), "\nd,random,6,") || !strings.Contains(buf.String(), ",,6,,,,,,,,,,,,\n") {
		t.Errorf("random row of summary.csv:\n%s", buf.String())
	}
}

func TestLabelsToTargetMixedSeeds(t *testing.T) {
	recs := []records.Record{fixture.SkyRec("d", 0, 1.0), fixture.SkyRec("d", 1, 1.0), fixture.SkyRec("d", 2, 0.9)}
	recs = append(recs, fixture.CurveRecs("d", "s", 0, 0.5, 0.96, 0.97)...) // reaches at 20
	recs = append(recs, fixture.CurveRecs("d", "s", 1, 0.5, 0.6, 0.94)...)  // never reaches 0.95
	recs = append(recs, fixture.CurveRecs("d", "s", 2, 0.5, 0.6, 0.855)...) // 0.95·0.9 = 0.855 at 30
	recs = append(recs, fixture.CurveRecs("d", "s", 3, 0.9, 0.9, 0.9)...)   // no skyline: not counted
	a, err := analysis.Analyze(recs, analysis.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	l := a.Row("d", "s").LabelsToTarget
	if l.Mean != 25 || l.Reached != 2 || l.Missed != 1 {
		t.Errorf("labels-to-target %+v, want mean 25, 2 reached, 1 missed", l)
	}
	// Without a baseline on the dataset, the comparison columns are empty.
	if r := a.Row("d", "s"); r.VsBaseline {
		t.Error("compared with a baseline that has no rows")
	}
}

func TestRanksAndPairwise(t *testing.T) {
	var recs []records.Record
	for seed := range 6 {
		s := float64(seed) / 1000
		for _, ds := range []string{"x", "y"} {
			recs = append(recs, fixture.CurveRecs(ds, "random", seed, 0.5+s, 0.6)...)
			recs = append(recs, fixture.CurveRecs(ds, "good", seed, 0.5+s, 0.8)...)
		}
		// "same" ties with random on x and beats it on y.
		recs = append(recs, fixture.CurveRecs("x", "same", seed, 0.5+s, 0.6)...)
		recs = append(recs, fixture.CurveRecs("y", "same", seed, 0.5+s, 0.7+s)...)
	}
	a, err := analysis.Analyze(recs, analysis.Meta{Strategies: []string{"random", "good", "same"}})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]float64{"random": {2.5, 3}, "good": {1, 1}, "same": {2.5, 2}}
	for _, r := range a.Ranks {
		if !slices.Equal(r.ByDataset, want[r.Strategy]) {
			t.Errorf("%s ranks %v, want %v", r.Strategy, r.ByDataset, want[r.Strategy])
		}
	}
	if r := a.Ranks[0]; r.Strategy != "random" || r.MeanRank != 2.75 || r.Datasets != 2 {
		t.Errorf("random rank row %+v", r)
	}
	wins := map[string]int{}
	for _, p := range a.Pairwise {
		if p.Datasets != 2 {
			t.Errorf("%s vs %s over %d datasets, want 2", p.A, p.B, p.Datasets)
		}
		wins[p.A+">"+p.B] = p.Wins
	}
	// Six positive distinct differences: p = 0.03125 < 0.05.
	if wins["good>random"] != 2 || wins["good>same"] != 2 || wins["same>random"] != 1 || wins["random>good"] != 0 {
		t.Errorf("pairwise wins %v", wins)
	}
}
