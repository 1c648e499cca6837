package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
)

// rssGrid is a grid of tiny trials: seeds × (9 strategies + the skyline) jobs.
const rssGrid = `name: rss
seeds: %d
datasets:
  - {name: moons, source: make_moons, params: {n_samples: 40, noise: 0.2}}
protocol: {initial: 4, batch: 1, budget: 2}
model: {kind: logreg, train: {optimizer: sgd, lr: 0.1, epochs: 1}}
strategies: [random, least_confidence, margin, entropy, egl, coreset, badge, density, {name: qbc, params: {committee: 2}}]
`

// peakRSS runs albench on a grid of the given seeds in a subprocess and returns its
// peak resident set size in KiB.
func peakRSS(t *testing.T, seeds int) int64 {
	t.Helper()
	path := writeConfig(t, fmt.Sprintf(rssGrid, seeds))
	cmd := exec.Command(os.Args[0], "run", "-q", "-j", "2", "-out", filepath.Join(t.TempDir(), "out"), path)
	// Two Ps for two jobs whatever the machine: per-P caches and GC workers would
	// otherwise add noise that depends on the CI host's core count.
	cmd.Env = append(os.Environ(), "ALBENCH_MAIN=1", "GOMAXPROCS=2")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("albench run: %v\n%s", err, out)
	}
	return cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss
}

// TestPeakRSSIsFlatInGridSize checks that memory is bounded by the trials in
// flight, not by the grid: a 10,000-trial grid peaks within 20% of a 1,000-trial
// one. Peak RSS here is bimodal: the same run peaks at about 20 or about 23 MB,
// the upper mode being the common one (the lower shows up in about one run in
// three, whatever the grid), so each size keeps the highest of five runs, which
// compares like with like; a grid-sized leak of a few hundred bytes a trial still
// moves the larger grid past the bound.
func TestPeakRSSIsFlatInGridSize(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("measures a subprocess's memory; run without -race and -short (make test does)")
	}
	highest := func(seeds int) int64 {
		var m int64
		for range 5 {
			m = max(m, peakRSS(t, seeds))
		}
		return m
	}
	small, large := highest(100), highest(1000)
	t.Logf("peak RSS: 1,000 trials %d KiB, 10,000 trials %d KiB (%+.1f%%)", small, large, 100*float64(large-small)/float64(small))
	if float64(large) > 1.2*float64(small) {
		t.Fatalf("peak RSS grows with the grid: %d KiB for 10,000 trials vs %d KiB for 1,000", large, small)
	}
}
