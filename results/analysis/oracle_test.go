package analysis_test

import (
	"bytes"
	"io"
	"math"
	"slices"
	"strings"
	"testing"

	"albench/results/analysis"
	"albench/results/internal/fixture"
	"albench/results/records"
	"albench/results/report"
)

// TestOracleNotRanked: an oracle changes nothing in ranks.csv and pairwise.csv,
// nor the strategies' Holm p-values: they are those of the run without it.
func TestOracleNotRanked(t *testing.T) {
	a, plain := fixture.OracleAnalysis(t), fixture.Analysis(t)
	if !slices.Equal(a.Strategies, plain.Strategies) || !slices.Equal(a.Oracles, []string{"oracle_greedy"}) {
		t.Fatalf("strategies %v, oracles %v; want %v and [oracle_greedy]", a.Strategies, a.Oracles, plain.Strategies)
	}
	for _, w := range []struct {
		name string
		f    func(a *analysis.Analysis) func(io.Writer) error
	}{
		{"ranks.csv", func(a *analysis.Analysis) func(io.Writer) error {
			return func(w io.Writer) error { return analysis.WriteRanks(w, a.Ranks) }
		}},
		{"pairwise.csv", func(a *analysis.Analysis) func(io.Writer) error {
			return func(w io.Writer) error { return analysis.WritePairwise(w, a.Pairwise) }
		}},
	} {
		got, want := fixture.CSVRows(t, w.f(a)), fixture.CSVRows(t, w.f(plain))
		if !slices.EqualFunc(got, want, slices.Equal) {
			t.Errorf("%s with an oracle:\n%v\nwant the run without it:\n%v", w.name, got, want)
		}
	}
	// The strategies' summary rows, Holm included, are those without the oracle.
	var strategies []analysis.SummaryRow
	for _, r := range a.Summary {
		if !r.Oracle {
			strategies = append(strategies, r)
		}
	}
	got := fixture.CSVRows(t, func(w io.Writer) error { return analysis.WriteSummary(w, strategies, "") })
	want := fixture.CSVRows(t, func(w io.Writer) error { return analysis.WriteSummary(w, plain.Summary, "") })
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("the strategies' summary rows change with an oracle:\n%v\nwant\n%v", got, want)
	}
	var out bytes.Buffer
	if err := report.WriteReport(&out, a, fixture.OracleMeta()); err != nil {
		t.Fatal(err)
	}
	rep := out.String()
	for _, section := range []string{"## Ranks", "## Pairwise wins"} {
		i := strings.Index(rep, section)
		if i < 0 {
			t.Fatalf("report has no %q section", section)
		}
		body := rep[i:]
		body = body[:strings.Index(body[3:], "\n## ")+3]
		if strings.Count(body, "oracle_greedy") != 0 {
			t.Errorf("%s lists the oracle:\n%s", section, body)
		}
		if !strings.Contains(body, "Oracles are") {
			t.Errorf("%s does not say the oracles are left out:\n%s", section, body)
		}
	}
}

// TestOracleMarkedInCSV: the oracle's rows of summary.csv and curves.csv say
// oracle = true in a last column, every other row false.
func TestOracleMarkedInCSV(t *testing.T) {
	a := fixture.OracleAnalysis(t)
	for _, c := range []struct {
		name  string
		write func(io.Writer) error
		head  []string
	}{
		{"summary.csv", func(w io.Writer) error { return analysis.WriteSummary(w, a.Summary, a.Metric) }, analysis.SummaryHeader},
		{"curves.csv", func(w io.Writer) error { return analysis.WriteCurves(w, a.Curves) }, analysis.CurvesHeader},
	} {
		rows := fixture.CSVRows(t, c.write)
		if want := append(slices.Clone(c.head), analysis.OracleColumn); !slices.Equal(rows[0], want) {
			t.Fatalf("%s header %v, want %v", c.name, rows[0], want)
		}
		oracles := 0
		for _, row := range rows[1:] {
			last := row[len(row)-1]
			if want := row[1] == "oracle_greedy"; last != map[bool]string{true: "true", false: "false"}[want] {
				t.Errorf("%s: row %v: oracle column %q", c.name, row, last)
			}
			if last == "true" {
				oracles++
			}
		}
		if oracles == 0 {
			t.Errorf("%s has no oracle rows", c.name)
		}
	}
	// Summary: the oracle follows the strategies of its dataset, compared with the
	// baseline but outside the Holm family.
	for i, r := range a.Summary {
		if !r.Oracle {
			continue
		}
		if i+1 < len(a.Summary) && a.Summary[i+1].Dataset == r.Dataset && !a.Summary[i+1].Oracle {
			t.Errorf("oracle row %d precedes a strategy of %s", i, r.Dataset)
		}
		if !r.VsBaseline || math.IsNaN(r.PWilcoxon) || !math.IsNaN(r.PWilcoxonHolm) || !math.IsNaN(r.PTTestHolm) {
			t.Errorf("oracle row %+v: want a comparison with the baseline and no Holm p-values", r)
		}
		if r.DeltaAULC.Mean <= 0 {
			t.Errorf("oracle ΔAULC %v, want above 0 (entropy + 0.05 vs random)", r.DeltaAULC.Mean)
		}
	}
	// records.Skyline stays last in curves.csv, after the oracle.
	last := a.Curves[len(a.Curves)-1]
	if last.Strategy != records.Skyline || last.Oracle {
		t.Errorf("last curve point %s (oracle %v), want the skyline", last.Strategy, last.Oracle)
	}
}

func TestOracleBaselineRefused(t *testing.T) {
	m := fixture.OracleMeta()
	m.Baseline = "oracle_greedy"
	if _, err := analysis.Analyze(fixture.OracleRecords(t), m); err == nil || !strings.Contains(err.Error(), "is an oracle") {
		t.Errorf("an oracle as the baseline: error %v", err)
	}
	// Without analysis.Meta.Oracles an oracle's records are a strategy like any other.
	m = fixture.Meta
	a, err := analysis.Analyze(fixture.OracleRecords(t), m)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(a.Strategies, "oracle_greedy") || len(a.Oracles) != 0 {
		t.Errorf("no analysis.Meta.Oracles: strategies %v, oracles %v", a.Strategies, a.Oracles)
	}
}
