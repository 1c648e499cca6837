package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestReportComparesTwoRuns: `albench report A B` pairs two runs of
// overlapping grids by seed; the seeds both ran are identical, the strategy
// only B ran is listed as such, and a folder that is not a finished run is an
// error naming it.
func TestReportComparesTwoRuns(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	for _, run := range []struct{ out, cfg string }{
		{a, quick},
		{b, strings.Replace(strings.Replace(quick, "seeds: 4", "seeds: 6", 1), "[random, margin]", "[random, margin, entropy]", 1)},
	} {
		if code, stdout, stderr := albench(t, "run", "-q", "-out", run.out, writeConfig(t, run.cfg)); code != exitOK {
			t.Fatalf("run: exit %d\n%s%s", code, stdout, stderr)
		}
	}
	code, stdout, stderr := albench(t, "report", a, b)
	if code != exitOK {
		t.Fatalf("report A B: exit %d\n%s", code, stderr)
	}
	for _, want := range []string{
		"| blobs | margin | 4 (A 4, B 6) |", "| +0.0000 | [+0.0000, +0.0000] | 1.0000 | 4/4 |",
		"Only in B: blobs/entropy (6 seeds).",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("comparison lacks %q:\n%s", want, stdout)
		}
	}
	if code, _, stderr := albench(t, "report", a, dir); code != exitFailed || !strings.Contains(stderr, dir+": no trials.csv") {
		t.Errorf("report A with a folder that is no run: exit %d, %q", code, stderr)
	}
	if code, _, stderr := albench(t, "report", a, filepath.Join(dir, "none")); code != exitUsage || !strings.Contains(stderr, "is not a folder") {
		t.Errorf("report A with a missing folder: exit %d, %q", code, stderr)
	}
}
