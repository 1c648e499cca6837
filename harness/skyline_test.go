package harness

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

// TestNoSkyline: with report.skyline false the grid has no skyline jobs, the
// trials equal the skyline run's rows for the strategies byte for byte (the
// skyline never feeds a trial), labels-to-target is relative to the best
// strategy, and turning the skylines back on reuses every trial and runs only
// the skylines.
func TestNoSkyline(t *testing.T) {
	cfg, raw := load(t, tiny)
	with := t.TempDir()
	runTo(t, cfg, raw, with, Options{Jobs: 2})

	noSky := tiny + "report: {skyline: false}\n"
	cfg2, raw2 := load(t, noSky)
	dir := t.TempDir()
	sum := runTo(t, cfg2, raw2, dir, Options{Jobs: 2})
	if sum.Total != 2*3*3 || !sum.Complete {
		t.Fatalf("no-skyline grid: %+v, want 18 jobs (2 datasets × 3 seeds × 3 strategies)", sum)
	}
	trials := read(t, filepath.Join(dir, "trials.csv"))
	if bytes.Contains(trials, []byte(",skyline,")) {
		t.Error("trials.csv has skyline rows")
	}
	var want []byte
	for _, line := range bytes.SplitAfter(read(t, filepath.Join(with, "trials.csv")), []byte("\n")) {
		if !bytes.Contains(line, []byte(",skyline,")) {
			want = append(want, line...)
		}
	}
	if !bytes.Equal(trials, want) {
		t.Error("the strategies' rows differ from the run with skylines")
	}
	report := string(read(t, filepath.Join(dir, "report.md")))
	if !strings.Contains(report, "## Labels to 95% of the best strategy") {
		t.Error("the report does not say labels-to-target is relative to the best strategy")
	}

	// Back on: the 18 trials are reused, the 6 skylines run.
	sum = runTo(t, cfg, raw, dir, Options{Jobs: 2})
	if sum.Skipped != 18 || sum.Done != 6 {
		t.Errorf("skylines back on: %+v, want 18 reused and 6 run", sum)
	}
	if !bytes.Equal(read(t, filepath.Join(dir, "trials.csv")), read(t, filepath.Join(with, "trials.csv"))) {
		t.Error("after adding the skylines trials.csv differs from a fresh run with them")
	}
}
