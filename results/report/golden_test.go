package report

import (
	"bytes"
	"testing"

	"albench/results/internal/fixture"
)

func TestGoldenReport(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteReport(&buf, fixture.Analysis(t), fixture.Meta); err != nil {
		t.Fatal(err)
	}
	fixture.CheckGolden(t, "report.md.golden", buf.Bytes())
}
