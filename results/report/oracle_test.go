package report

import (
	"bytes"
	"strings"
	"testing"

	"albench/results/internal/fixture"
)

// TestOracleInReport: tables name the oracle with its marker, never bold.
func TestOracleInReport(t *testing.T) {
	a := fixture.OracleAnalysis(t)
	var buf bytes.Buffer
	if err := WriteReport(&buf, a, fixture.OracleMeta()); err != nil {
		t.Fatal(err)
	}
	rep := buf.String()
	for _, want := range []string{
		"| oracles | oracle_greedy |",
		"| dataset | random | margin | entropy | oracle_greedy (oracle) |",           // analysis.AULC
		"| dataset | random | margin | entropy | oracle_greedy (oracle) | skyline |", // final accuracy
		"| moons | oracle_greedy (oracle) |",                                         // ΔAULC
		"| dataset | random | margin | entropy | oracle_greedy (oracle) |\n| --- | ---: | ---: | ---: | ---: |\n| moons | never (0/8) |", // labels to target
		"| dataset | labels | margin | entropy |\n",                                           // labeling efficiency: no oracle column
		"oracles dark grey, dash-dotted, without a band",                                      // figure legend text
		"Oracles (oracle_greedy) are upper bounds, not strategies",                            // the explanation
		"their rows in `curves.csv` and `summary.csv` have `oracle` = true",                   // the CSV marker
		"They are compared with random but never ranked, never in the pairwise wins, outside", // what is left out
	} {
		if !strings.Contains(rep, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	// The oracle's analysis.AULC cell is never bold, though it is the best.
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
