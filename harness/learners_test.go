package harness

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"albench/learners"
	"albench/results/records"
	"albench/strategies"
)

// modelSpecs is one YAML model of every registered kind.
var modelSpecs = map[string]string{
	"mlp":           "{kind: mlp, hidden: [8], dropout: 0.1, train: {optimizer: adam, lr: 0.05, epochs: 5, warm_start: true}}",
	"logreg":        "{kind: logreg, solver: lbfgs, C: 0.5}",
	"svm":           "{kind: svm, kernel: rbf, C: 1, gamma: auto}",
	"random_forest": "{kind: random_forest, n_estimators: 5}",
	"knn":           "{kind: knn, n_neighbors: 3}",
	"gaussian_nb":   "{kind: gaussian_nb}",
	"lda":           "{kind: lda}",
}

// Every learner runs, from YAML, every strategy whose capabilities it has, on a
// two-class and a three-class dataset, learns something, and gives the same bytes
// with one worker, several workers and shards merged.
func TestEveryLearnerRunsEveryStrategyItCan(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a grid per learner")
	}
	for _, kind := range learners.Kinds() {
		if kind == "external" {
			continue // a plugin process: plugin_test.go runs it through the runner
		}
		spec, ok := modelSpecs[kind]
		if !ok {
			t.Fatalf("kind %s has no spec in modelSpecs", kind)
		}
		t.Run(kind, func(t *testing.T) {
			resolved, probs := learners.Resolve(parseFlow(t, spec))
			if len(probs) > 0 {
				t.Fatal(probs)
			}
			caps := learners.Caps(resolved)
			var names []string
			for _, name := range strategies.Names() {
				// external needs a command (plugin_test.go runs it).
				if name != "external" && len(strategies.Check(name, nil, caps)) == 0 {
					names = append(names, name)
				}
			}
			if len(names) < 2 {
				t.Fatalf("%s runs only %v", kind, names)
			}
			text := fmt.Sprintf(`name: every-%s
seeds: 2
datasets:
  - {name: blobs, source: make_blobs, params: {n_samples: 90, n_features: 3, centers: 3, cluster_std: 1.5}}
  - {name: moons, source: make_moons, params: {n_samples: 80, noise: 0.2}}
protocol: {test_fraction: 0.3, standardize: true, initial: 8, initial_sampling: per_class, batch: 2, budget: 8}
model: %s
strategies: [%s]
`, kind, spec, strings.Join(names, ", "))
			cfg, raw := load(t, text)
			a, b := t.TempDir(), t.TempDir()
			runTo(t, cfg, raw, a, Options{Jobs: 1})
			runTo(t, cfg, raw, b, Options{Jobs: 3})
			var shards []string
			for i := range 2 {
				d := t.TempDir()
				runTo(t, cfg, raw, d, Options{Jobs: 2, Shard: Shard{Index: i, Count: 2}})
				shards = append(shards, d)
			}
			m := t.TempDir()
			if _, err := Merge(m, shards); err != nil {
				t.Fatal(err)
			}
			want := read(t, filepath.Join(a, "trials.csv"))
			if !bytes.Equal(want, read(t, filepath.Join(b, "trials.csv"))) {
				t.Error("trials.csv differs between -j 1 and -j 3")
			}
			if !bytes.Equal(want, read(t, filepath.Join(m, "trials.csv"))) {
				t.Error("trials.csv of merged shards differs from the single run")
			}
			recs, err := records.ReadTrials(bytes.NewReader(want))
			if err != nil {
				t.Fatal(err)
			}
			// The last round of every strategy beats chance clearly on these
			// easy sets (chance: 1/3 and 1/2).
			final := map[string]float64{}
			count := map[string]int{}
			for _, r := range recs {
				if r.Round == 4 {
					final[r.Dataset] += r.Accuracy
					count[r.Dataset]++
				}
			}
			for d, sum := range final {
				if mean := sum / float64(count[d]); mean < 0.7 {
					t.Errorf("%s: mean final accuracy %.3f", d, mean)
				}
			}
			for _, s := range append(names, "random") {
				if count["moons"] > 0 && !bytes.Contains(want, []byte("moons,"+s+",")) {
					t.Errorf("no rows of strategy %s", s)
				}
			}
			// log_loss is an empty cell exactly when the model has no probabilities.
			empty := bytes.Contains(want, []byte(",\n"))
			if empty == caps.Probs {
				t.Errorf("probabilities %v but empty log_loss cells %v", caps.Probs, empty)
			}
		})
	}
}

// parseFlow decodes a YAML flow mapping of the model specs above into the values
// the registry takes, through the config parser's own path.
func parseFlow(t *testing.T, spec string) map[string]any {
	t.Helper()
	cfg, _ := load(t, "name: p\ndatasets: [{name: m, source: make_moons}]\nprotocol: {budget: 2}\nmodel: "+spec+"\nstrategies: [random]\n")
	return cfg.Model.Params
}
