package report

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

func TestSeedRanges(t *testing.T) {
	if got := seedRanges([]int{7, 0, 1, 2, 3, 9, 10, 12}); got != "0–3, 7, 9, 10, 12" {
		t.Errorf("seedRanges = %q", got)
	}
}

// write returns the report of a with meta.
func write(t *testing.T, a *analysis.Analysis, meta analysis.Meta) string {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteReport(&buf, a, meta); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// line returns the first line of rep that starts with prefix.
func line(t *testing.T, rep, prefix string) string {
	t.Helper()
	for _, l := range strings.Split(rep, "\n") {
		if strings.HasPrefix(l, prefix) {
			return l
		}
	}
	t.Fatalf("no line starts with %q in\n%s", prefix, rep)
	return ""
}

// TestBoldTies: bold goes to the best value as printed, so two strategies
// shown as 0.961 are both bold though their means differ, and 0.960 is not.
func TestBoldTies(t *testing.T) {
	a := fixture.Table(t, []string{"random", "a", "b", "c"}, [][]float64{{0.9, 0.9612, 0.9608, 0.9604}})
	rep := write(t, a, analysis.Meta{})
	if got, want := line(t, rep, "| d01 | 0.900"), "| d01 | 0.900 | **0.961** | **0.961** | 0.960 |"; got != want {
		t.Errorf("AULC row\n%s\nwant\n%s", got, want)
	}
}

func TestBest(t *testing.T) {
	all := []bool{true, true, true, true}
	for _, c := range []struct {
		vals     []float64
		eligible []bool
		higher   bool
		want     []bool
	}{
		{[]float64{0.9612, 0.9608, 0.9604, math.NaN()}, all, true, []bool{true, true, false, false}},
		{[]float64{0.9612, 0.9608, 0.9604, math.NaN()}, all, false, []bool{false, false, true, false}},
		// An oracle (not eligible) above everything is never bold and
		// takes bold from nobody.
		{[]float64{0.5, 0.99, 0.7, 0.7001}, []bool{true, false, true, true}, true, []bool{false, false, true, true}},
		{[]float64{math.NaN(), math.NaN(), math.NaN(), math.NaN()}, all, true, []bool{false, false, false, false}},
	} {
		if got := best(c.vals, c.eligible, c.higher, fixed3); !slices.Equal(got, c.want) {
			t.Errorf("best(%v, higher %v) = %v, want %v", c.vals, c.higher, got, c.want)
		}
	}
}

// seedsRun is one dataset on which each of strategies has one trial per seed,
// its accuracy at both rounds acc[i] + (0.01 + 0.001·i)·seed for the i-th
// strategy (so each seed's AULC is that, and the differences from the first
// strategy are distinct), and a skyline of 0.95.
func seedsRun(t *testing.T, seeds int, strategies []string, acc []float64, meta analysis.Meta) *analysis.Analysis {
	t.Helper()
	return run(t, seeds, strategies, acc, func(i int) float64 { return 0.01 + float64(0.001*float64(i)) }, meta)
}

// run is seedsRun with the i-th strategy's slope over seeds slope(i).
func run(t *testing.T, seeds int, strategies []string, acc []float64, slope func(int) float64, meta analysis.Meta) *analysis.Analysis {
	t.Helper()
	var recs []records.Record
	for s := range seeds {
		for i, st := range strategies {
			v := acc[i] + float64(slope(i)*float64(s))
			recs = append(recs, fixture.CurveRecs("d", st, s, v, v)...)
		}
		recs = append(recs, fixture.SkyRec("d", s, 0.95))
	}
	meta.Strategies = strategies
	a, err := analysis.Analyze(recs, meta)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestFewSeedsWarning: with 5 seeds the exact Wilcoxon test's p cannot go
// below 2/2^5 = 0.0625, which the report says next to the p-values; with 6
// seeds and two strategies it is Holm's factor that forbids significance; the
// fixture's 8 seeds and two strategies need no warning (2 × 2/2^8 < 0.05).
func TestFewSeedsWarning(t *testing.T) {
	a := seedsRun(t, 5, []string{"random", "a", "b"}, []float64{0.7, 0.8, 0.75}, analysis.Meta{})
	rep := write(t, a, analysis.Meta{})
	want := "> **Too few seeds for the Wilcoxon test:** with 5 seeds the exact Wilcoxon signed-rank test cannot go below p = 2/2^5 = 0.0625 (every seed on the same side), not below α = 0.05, so no comparison can be significant, corrected or not; no † can appear."
	if !strings.Contains(rep, want) {
		t.Errorf("5 seeds: report lacks\n%s\nin\n%s", want, rep)
	}
	if i, j := strings.Index(rep, "## ΔAULC"), strings.Index(rep, want); !(i >= 0 && i < j && j < strings.Index(rep, "| dataset | strategy | ΔAULC")) {
		t.Errorf("the warning is not between the ΔAULC heading and its table")
	}
	if !strings.Contains(rep, "(too few seeds for any: see the ΔAULC section)") {
		t.Errorf("5 seeds: the AULC legend does not say why there is no †")
	}

	a = seedsRun(t, 6, []string{"random", "a", "b"}, []float64{0.7, 0.8, 0.75}, analysis.Meta{})
	want = "with 6 seeds the exact Wilcoxon signed-rank test cannot go below p = 2/2^6 = 0.0312 (every seed on the same side), and after Holm over 2 strategies no comparison can be significant (the smallest adjusted p is 2 × 0.0312 = 0.0625 ≥ α = 0.05)"
	if rep := write(t, a, analysis.Meta{}); !strings.Contains(rep, want) {
		t.Errorf("6 seeds: report lacks\n%s", want)
	}

	// Every seed 0.1 better: the differences tie, the test falls back on the
	// normal approximation, whose p (0.0253) is below the exact floor and
	// gives a †; the warning says so instead of promising no †.
	a = run(t, 5, []string{"random", "a"}, []float64{0.7, 0.8}, func(int) float64 { return 0.01 }, analysis.Meta{})
	rep = write(t, a, analysis.Meta{})
	if want := "Smaller p-values below come from the normal approximation, which the test uses when differences tie or are zero; it is not to be trusted with so few seeds. The t-test"; !strings.Contains(rep, want) {
		t.Errorf("tied differences: report lacks %q", want)
	}
	if strings.Contains(rep, "no † can appear") || strings.Contains(rep, "too few seeds for any") || !strings.Contains(rep, "| d | 0.720 ± 0.016 | **0.820 ± 0.016** † |") {
		t.Errorf("tied differences: a † is shown but the report says none can be")
	}

	if rep := write(t, fixture.Analysis(t), fixture.Meta); strings.Contains(rep, "Too few seeds") || strings.Contains(rep, "too few seeds") {
		t.Errorf("8 seeds, 2 strategies: a warning")
	}
}

// TestLogLoss: with report.metric log_loss the metric is named in the
// headings and legends, lower is better, and bold goes to the lowest.
func TestLogLoss(t *testing.T) {
	// fixture.CurveRecs stores log-loss 1 − accuracy: a, the most accurate,
	// has the lowest log-loss.
	meta := analysis.Meta{Metric: "log_loss"}
	a := seedsRun(t, 8, []string{"random", "a", "b"}, []float64{0.7, 0.8, 0.75}, meta)
	rep := write(t, a, meta)
	for _, want := range []string{
		"| metric | log-loss (lower is better) |",
		"## Area under the learning curve (log-loss)",
		"AULC of log-loss is the area under test log-loss against the number of labels (trapezoid rule) divided by the budget's range: the mean log-loss over the budget; lower is better.",
		"**Bold**: best (lowest: lower log-loss is better) on the dataset",
		"## ΔAULC of log-loss vs random",
		"; negative is better.",
		"| dataset | strategy | ΔAULC of log-loss |",
		"## Final log-loss",
		"Rank of each strategy's mean AULC of log-loss on each dataset (1 = best, the lowest;",
		"(accuracy whatever the report's metric)",
	} {
		if !strings.Contains(rep, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	// AULC, mean over seeds 0–7 (mean seed 3.5, std 2.449): random
	// 1 − (0.7 + 0.010·3.5) = 0.265 ± 0.024, a 1 − (0.8 + 0.011·3.5) = 0.1615
	// ± 0.027, b 1 − (0.75 + 0.012·3.5) = 0.208 ± 0.029.
	if got, want := line(t, rep, "| d | 0.265"), "| d | 0.265 ± 0.024 | **0.161 ± 0.027** † | 0.208 ± 0.029 † |"; got != want {
		t.Errorf("AULC row\n%s\nwant\n%s", got, want)
	}
}

func TestLabelsCell(t *testing.T) {
	row := func(mean float64, reached, missed int) *analysis.SummaryRow {
		return &analysis.SummaryRow{LabelsToTarget: analysis.LabelsToTarget{Mean: mean, Reached: reached, Missed: missed}}
	}
	base := row(16.1, 20, 0)
	for _, c := range []struct {
		sr, base *analysis.SummaryRow
		isBase   bool
		want     string
	}{
		{base, base, true, "16.1 (20/20)"},
		{row(13.2, 20, 0), base, false, "13.2 (20/20) -18%"}, // 13.2/16.1 − 1 = −18.0%
		{row(93.0, 10, 10), row(95.0, 2, 18), false, "93.0 (10/20) -2%"},
		{row(16.0, 20, 0), row(16.0, 20, 0), false, "16.0 (20/20) ±0%"},
		{row(200, 1, 19), row(150, 8, 12), false, "200.0 (1/20) +33%"},
		{row(math.NaN(), 0, 8), base, false, "never (0/8)"},
		{row(37.5, 8, 0), row(math.NaN(), 0, 8), false, "37.5 (8/8)"},
		{row(math.NaN(), 0, 0), base, false, "—"}, // no skyline
		{nil, base, false, "—"},
	} {
		if got := labelsCell(c.sr, c.base, c.isBase); got != c.want {
			t.Errorf("labelsCell = %q, want %q", got, c.want)
		}
	}
}

func TestFormats(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{meanRank(14.0 / 3), "4.67"},
		{meanRank(3), "3.00"},
		{meanRank(math.NaN()), "—"},
		{rankStr(2.5), "2.5"},
		{ms(1234.56), "1235"},
		{ms(12.345), "12.3"},
		{ms(0.1234), "0.12"},
		{effect(math.Inf(1)), "+∞"},
		{effect(-0.456), "-0.46"},
		{seedsNeeded(&analysis.SummaryRow{SeedsNeeded: 7, EffectSize: 1.2}), "7"},
		{seedsNeeded(&analysis.SummaryRow{EffectSize: math.NaN()}), "—"},
		{seedsNeeded(&analysis.SummaryRow{EffectSize: 0.001}), "> 10000"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	if got := halfAndEnd([]int{10, 20, 30, 40, 50, 60, 70, 80, 90, 100}); !slices.Equal(got, []int{50, 100}) {
		t.Errorf("halfAndEnd = %v", got)
	}
	if got := halfAndEnd([]int{6, 9, 12, 15, 18, 21, 24, 27, 30}); !slices.Equal(got, []int{15, 30}) {
		t.Errorf("halfAndEnd = %v", got)
	}
	if got := halfAndEnd([]int{40}); !slices.Equal(got, []int{40}) {
		t.Errorf("halfAndEnd = %v", got)
	}
}

// TestFigureLinks: a dataset name that figures.FileName escapes is linked
// with its '%' escaped for the Markdown renderer, and Figures lists the
// files themselves.
func TestFigureLinks(t *testing.T) {
	var recs []records.Record
	for s := range 3 {
		for _, ds := range []string{"a+b", "a_b"} {
			for _, st := range []string{"random", "margin"} {
				recs = append(recs, fixture.CurveRecs(ds, st, s, 0.5+float64(0.1*float64(s)), 0.7)...)
			}
		}
	}
	meta := analysis.Meta{Strategies: []string{"random", "margin"}}
	a, err := analysis.Analyze(recs, meta)
	if err != nil {
		t.Fatal(err)
	}
	rep := write(t, a, meta)
	if !strings.Contains(rep, "![learning curves on a+b](figures/curves_a%252Bb.png)") || !strings.Contains(rep, "![learning curves on a_b](figures/curves_a_b.png)") {
		t.Errorf("curve links wrong:\n%s", rep)
	}
	got := Figures(a, meta)
	want := []string{"curves_a%2Bb", "curves_a_b", "grid", "delta-aulc", "pairwise", "penalty", "cd", "cd-wilcoxon"}
	if !slices.Equal(got, want) {
		t.Errorf("Figures = %q, want %q", got, want)
	}
}
