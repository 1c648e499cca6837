package analysis_test

import (
	"bytes"
	"io"
	"testing"

	"albench/results/analysis"
	"albench/results/internal/fixture"
)

func TestGoldenFiles(t *testing.T) {
	a := fixture.Analysis(t)
	for _, tc := range []struct {
		golden string
		write  func(w io.Writer) error
	}{
		{"curves.csv.golden", func(w io.Writer) error { return analysis.WriteCurves(w, a.Curves) }},
		{"summary.csv.golden", func(w io.Writer) error { return analysis.WriteSummary(w, a.Summary, a.Metric) }},
		{"ranks.csv.golden", func(w io.Writer) error { return analysis.WriteRanks(w, a.Ranks) }},
		{"pairwise.csv.golden", func(w io.Writer) error { return analysis.WritePairwise(w, a.Pairwise) }},
	} {
		var buf bytes.Buffer
		if err := tc.write(&buf); err != nil {
			t.Fatal(err)
		}
		fixture.CheckGolden(t, tc.golden, buf.Bytes())
	}
}
