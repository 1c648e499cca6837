package results

import (
	"bytes"
	"encoding/csv"
	"io"
	"math"
	"slices"
	"strings"
	"testing"
)

// withOracleRecords is the fixture plus an oracle, "oracle_greedy", on every
// (dataset, seed): entropy's curves shifted up by 0.05 (at most 1).
func withOracleRecords(t *testing.T) []Record {
	t.Helper()
	recs := readFixture(t)
	out := slices.Clone(recs)
	for _, r := range recs {
		if r.Strategy == "entropy" {
			r.Strategy = "oracle_greedy"
			r.Accuracy = math.Min(1, r.Accuracy+0.05)
			out = append(out, r)
		}
	}
	return out
}

func oracleMeta() Meta {
	m := fixtureMeta
	m.Strategies = []string{"random", "oracle_greedy", "margin", "entropy"}
	m.Oracles = []string{"oracle_greedy"}
	return m
}

func oracleAnalysis(t *testing.T) *Analysis {
	t.Helper()
	a, err := Analyze(withOracleRecords(t), oracleMeta())
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func csvRows(t *testing.T, write func(io.Writer) error) [][]string {
	t.Helper()
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestOracleNotRanked: an oracle changes nothing in ranks.csv and pairwise.csv,
// nor the strategies' Holm p-values: they are those of the run without it.
func TestOracleNotRanked(t *testing.T) {
	a, plain := oracleAnalysis(t), fixtureAnalysis(t)
	if !slices.Equal(a.Strategies, plain.Strategies) || !slices.Equal(a.Oracles, []string{"oracle_greedy"}) {
		t.Fatalf("strategies %v, oracles %v; want %v and [oracle_greedy]", a.Strategies, a.Oracles, plain.Strategies)
	}
	for _, w := range []struct {
		name string
		f    func(a *Analysis) func(io.Writer) error
	}{
		{"ranks.csv", func(a *Analysis) func(io.Writer) error {
			return func(w io.Writer) error { return WriteRanks(w, a.Ranks) }
		}},
		{"pairwise.csv", func(a *Analysis) func(io.Writer) error {
			return func(w io.Writer) error { return WritePairwise(w, a.Pairwise) }
		}},
	} {
		got, want := csvRows(t, w.f(a)), csvRows(t, w.f(plain))
		if !slices.EqualFunc(got, want, slices.Equal) {
			t.Errorf("%s with an oracle:\n%v\nwant the run without it:\n%v", w.name, got, want)
		}
	}
	// The strategies' summary rows, Holm included, are those without the oracle.
	var strategies []SummaryRow
	for _, r := range a.Summary {
		if !r.Oracle {
			strategies = append(strategies, r)
		}
	}
	got := csvRows(t, func(w io.Writer) error { return WriteSummary(w, strategies) })
	want := csvRows(t, func(w io.Writer) error { return WriteSummary(w, plain.Summary) })
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("the strategies' summary rows change with an oracle:\n%v\nwant\n%v", got, want)
	}
	var report bytes.Buffer
	if err := WriteReport(&report, a, oracleMeta()); err != nil {
		t.Fatal(err)
	}
	rep := report.String()
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
	a := oracleAnalysis(t)
	for _, c := range []struct {
		name  string
		write func(io.Writer) error
		head  []string
	}{
		{"summary.csv", func(w io.Writer) error { return WriteSummary(w, a.Summary) }, SummaryHeader},
		{"curves.csv", func(w io.Writer) error { return WriteCurves(w, a.Curves) }, CurvesHeader},
	} {
		rows := csvRows(t, c.write)
		if want := append(slices.Clone(c.head), OracleColumn); !slices.Equal(rows[0], want) {
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
	// Skyline stays last in curves.csv, after the oracle.
	last := a.Curves[len(a.Curves)-1]
	if last.Strategy != Skyline || last.Oracle {
		t.Errorf("last curve point %s (oracle %v), want the skyline", last.Strategy, last.Oracle)
	}
}

// TestOracleInReport: tables name the oracle with its marker, never bold.
func TestOracleInReport(t *testing.T) {
	a := oracleAnalysis(t)
	var buf bytes.Buffer
	if err := WriteReport(&buf, a, oracleMeta()); err != nil {
		t.Fatal(err)
	}
	rep := buf.String()
	for _, want := range []string{
		"| oracles | oracle_greedy |",
		"| dataset | random | margin | entropy | oracle_greedy (oracle) |",                    // AULC
		"| dataset | random | margin | entropy | oracle_greedy (oracle) | skyline |",          // final accuracy
		"| moons | oracle_greedy (oracle) |",                                                  // ΔAULC
		"- oracle_greedy (oracle) reaches",                                                    // labels to target
		"oracles dark grey, dash-dotted, without a band",                                      // figure legend text
		"Oracles (oracle_greedy) are upper bounds, not strategies",                            // the explanation
		"their rows in `curves.csv` and `summary.csv` have `oracle` = true",                   // the CSV marker
		"They are compared with random but never ranked, never in the pairwise wins, outside", // what is left out
	} {
		if !strings.Contains(rep, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	// The oracle's AULC cell is never bold, though it is the best.
	for _, line := range strings.Split(rep, "\n") {
		if strings.HasPrefix(line, "| moons | ") && strings.Count(line, "|") == 6 && strings.Contains(line, "±") {
			cells := strings.Split(line, " | ")
			if oracle := cells[len(cells)-1]; strings.Contains(oracle, "**") {
				t.Errorf("AULC row %q: the oracle is bold", line)
			}
			if !strings.Contains(line, "**") {
				t.Errorf("AULC row %q: no strategy is bold", line)
			}
			break
		}
	}
}

// TestOracleFigure: the curves draw the oracle as a ceiling, dark grey and
// dash-dotted, without a band, labelled "oracle_greedy (oracle)"; the
// strategies keep their colours, and the ΔAULC and pairwise figures leave it out.
func TestOracleFigure(t *testing.T) {
	a, plain := oracleAnalysis(t), fixtureAnalysis(t)
	sty := a.lineStyle("oracle_greedy")
	if sty.Color != skylineColor || !slices.Equal(sty.Dashes, oracleDashes[0]) {
		t.Errorf("oracle line %+v, want the skyline's colour and the first oracle dashes", sty)
	}
	for _, st := range plain.Strategies {
		if a.lineStyle(st).Color != plain.lineStyle(st).Color {
			t.Errorf("%s changes colour when an oracle is present", st)
		}
	}
	if got := a.legendNames(); !slices.Equal(got, []string{"random", "margin", "entropy", "oracle_greedy (oracle)", Skyline}) {
		t.Errorf("legend names %v", got)
	}
	var curves figure
	for _, f := range a.figures() {
		if f.name == "curves_moons" {
			curves = f
		}
	}
	svg, err := render(curves, "svg")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(svg, []byte("oracle_greedy (oracle)")) {
		t.Error("curves_moons.svg has no legend entry \"oracle_greedy (oracle)\"")
	}
	// One band fewer than lines drawn: three strategy bands, four mean lines.
	plainSVG, err := render(plain.curvesFigure("moons"), "svg")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Count(string(svg), "fill-opacity"), strings.Count(string(plainSVG), "fill-opacity"); got != want {
		t.Errorf("%d translucent fills with an oracle, %d without: the oracle has a band", got, want)
	}
	// ΔAULC and pairwise figures are about strategies alone.
	for _, name := range []string{"delta_aulc", "pairwise"} {
		i := slices.IndexFunc(a.figures(), func(f figure) bool { return f.name == name })
		j := slices.IndexFunc(plain.figures(), func(f figure) bool { return f.name == name })
		if i < 0 || j < 0 {
			t.Fatalf("no %s figure", name)
		}
		got, _ := render(a.figures()[i], "svg")
		want, _ := render(plain.figures()[j], "svg")
		if !bytes.Equal(got, want) {
			t.Errorf("%s.svg changes with an oracle", name)
		}
	}
}

func TestOracleBaselineRefused(t *testing.T) {
	m := oracleMeta()
	m.Baseline = "oracle_greedy"
	if _, err := Analyze(withOracleRecords(t), m); err == nil || !strings.Contains(err.Error(), "is an oracle") {
		t.Errorf("an oracle as the baseline: error %v", err)
	}
	// Without Meta.Oracles an oracle's records are a strategy like any other.
	m = fixtureMeta
	a, err := Analyze(withOracleRecords(t), m)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(a.Strategies, "oracle_greedy") || len(a.Oracles) != 0 {
		t.Errorf("no Meta.Oracles: strategies %v, oracles %v", a.Strategies, a.Oracles)
	}
}
