package harness

import (
	"bytes"
	"encoding/csv"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
)

// TestOraclesAreReportedApart runs an oracle beside two strategies through the real
// runner: the manifest names it, summary.csv marks its rows, ranks.csv leaves it
// out, and it beats random, which it can only do by reading the test labels.
func TestOraclesAreReportedApart(t *testing.T) {
	cfg, raw := load(t, `name: oracles
seeds: 3
datasets:
  - {name: moons, source: make_moons, params: {n_samples: 120, noise: 0.3}}
protocol: {test_fraction: 0.4, standardize: true, initial: 4, initial_sampling: per_class, batch: 1, budget: 10}
model: {kind: logreg, solver: lbfgs, C: 1}
strategies: [random, margin, {name: oracle_greedy, params: {candidates: 0}}]
`)
	dir := t.TempDir()
	runTo(t, cfg, raw, dir, Options{Jobs: 2})
	man, err := readManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(man.Oracles, []string{"oracle_greedy"}) {
		t.Errorf("manifest oracles %v, want [oracle_greedy]", man.Oracles)
	}
	rows := func(name string) [][]string {
		r, err := csv.NewReader(bytes.NewReader(read(t, filepath.Join(dir, name)))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	summary := rows("summary.csv")
	head := summary[0]
	if head[len(head)-1] != "oracle" {
		t.Fatalf("summary.csv header %v: no oracle column", head)
	}
	aulc := map[string]float64{}
	for _, r := range summary[1:] {
		if want := r[1] == "oracle_greedy"; (r[len(r)-1] == "true") != want {
			t.Errorf("summary.csv row %v: oracle %s", r, r[len(r)-1])
		}
		v, err := strconv.ParseFloat(r[slices.Index(head, "aulc_mean")], 64)
		if err != nil {
			t.Fatal(err)
		}
		aulc[r[1]] = v
	}
	if !(aulc["oracle_greedy"] > aulc["random"]) {
		t.Errorf("oracle AULC %v not above random's %v", aulc["oracle_greedy"], aulc["random"])
	}
	for _, r := range rows("ranks.csv") {
		if slices.Contains(r, "oracle_greedy") {
			t.Errorf("ranks.csv ranks the oracle: %v", r)
		}
	}
}
