package report

import (
	"bytes"
	"testing"

	"albench/results/analysis"
	"albench/results/internal/fixture"
)

func TestGoldenReport(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteReport(&buf, fixture.Analysis(t), fixture.Meta); err != nil {
		t.Fatal(err)
	}
	fixture.CheckGolden(t, "report.md.golden", buf.Bytes())
}

// TestGoldenReportFull is the fixture's report with what a run adds to a
// rebuilt one: the datasets' sizes and the costs per round.
func TestGoldenReportFull(t *testing.T) {
	meta := fixture.Meta
	meta.DatasetInfo = []analysis.DatasetInfo{
		// Out of display order on purpose: the table follows the report's.
		{Name: "wine", Rows: 178, Features: 13, Classes: 3, Pool: 124, Test: 54, Majority: 71.0 / 178},
		{Name: "moons", Rows: 200, Features: 2, Classes: 2, Pool: 140, Test: 60, Majority: 0.5},
	}
	meta.Costs = []analysis.Cost{
		{Dataset: "moons", Strategy: "random", Rounds: 32, TrainMS: 41.25, QueryMS: 0.012},
		{Dataset: "moons", Strategy: "margin", Rounds: 32, TrainMS: 40.5, QueryMS: 0.87},
		{Dataset: "moons", Strategy: "entropy", Rounds: 32, TrainMS: 39.75, QueryMS: 0.91},
		{Dataset: "wine", Strategy: "random", Rounds: 32, TrainMS: 120.4, QueryMS: 0.02},
		{Dataset: "wine", Strategy: "margin", Rounds: 32, TrainMS: 118, QueryMS: 1.5},
		// entropy on wine has no timings: "—".
	}
	var buf bytes.Buffer
	if err := WriteReport(&buf, fixture.Analysis(t), meta); err != nil {
		t.Fatal(err)
	}
	fixture.CheckGolden(t, "report_full.md.golden", buf.Bytes())
}
