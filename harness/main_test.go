package harness

import (
	"os"
	"testing"

	"albench/results"
)

// TestMain writes the figures of the harness's many test runs as SVG only:
// rendering 300-dpi PNGs and PDFs is most of a small run's time under the race
// detector (13.5 s against 1.3 s for TestRunWritesEveryRound), and those
// formats are tested where they are drawn (results, results/figures, and
// cmd/albench's runs of the real binary).
func TestMain(m *testing.M) {
	results.FigureFormats = []string{"svg"}
	os.Exit(m.Run())
}
