package experiments

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"albench/experiments/datasets"
	"albench/learners"
)

// base is a minimal valid config; the table tests edit it. Its lines:
//
//	1 name, 2 datasets, 3 - name, 4 source, 5 params, 6 protocol, 7 budget, 8 strategies
const base = `name: t
datasets:
  - name: d
    source: make_classification
    params: {n_samples: 100}
protocol:
  budget: 20
strategies: [random]
`

// edit returns base with old replaced by new (old must occur).
func edit(t *testing.T, old, new string) string {
	t.Helper()
	if !strings.Contains(base, old) {
		t.Fatalf("base has no %q", old)
	}
	return strings.Replace(base, old, new, 1)
}

// committeeCheck is a StrategyCheck that knows random and qbc, and wants qbc's
// committee to be at least 2 and a model with dropout for bald.
func committeeCheck(s StrategySpec, m ModelSpec) []Problem {
	switch s.Name {
	case "random":
		return nil
	case "qbc":
		if c, ok := s.Params["committee"].(int); ok && c < 2 {
			return []Problem{{Key: "params.committee", Msg: "must be at least 2", Got: "1"}}
		}
		// Members are model specs, checked by the registry like model itself.
		members, _ := s.Params["members"].([]any)
		var probs []Problem
		for i, m := range members {
			spec, ok := m.(map[string]any)
			if !ok {
				probs = append(probs, Problem{Key: fmt.Sprintf("params.members[%d]", i), Msg: "must be a model spec"})
				continue
			}
			_, lp := learners.Resolve(spec)
			for _, q := range lp {
				probs = append(probs, Problem{Key: fmt.Sprintf("params.members[%d].%s", i, q.Key), Msg: q.Msg, Got: q.Got})
			}
		}
		return probs
	case "margin":
		return nil
	case "bald":
		if d, _ := m.Params["dropout"].(float64); d == 0 {
			return []Problem{{Key: "", Msg: "bald needs model.dropout > 0"}}
		}
		return nil
	}
	return []Problem{{Key: "name", Msg: "unknown strategy", Got: s.Name}}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"empty", "", "c.yaml:1:1: config is empty"},
		{"only comments", "# nothing\n", "c.yaml:1:1: config is empty"},
		{"second document", base + "---\nname: u\n", "c.yaml:10:1: a config is one YAML document; found a second"},
		{"syntax", "name: [t\n", "c.yaml:1: did not find expected ',' or ']'"},
		{"not a mapping", "- t\n", "c.yaml:1:1: a config must be a mapping of keys to values (got [t])"},
		{"duplicate key", base + "name: u\n", "c.yaml:9:1: name: duplicate key (first at line 1)"},
		{"duplicate nested key", edit(t, "{n_samples: 100}", "{n_samples: 100, n_samples: 90}"),
			"c.yaml:5:30: datasets[0].params.n_samples: duplicate key (first at line 5)"},
		{"unknown key with suggestion", edit(t, "  budget: 20\n", "  budget: 20\n  bach: 2\n"),
			"c.yaml:8:3: protocol.bach: unknown key (did you mean batch?)"},
		{"unknown key without suggestion", base + "colour: red\n",
			"c.yaml:9:1: colour: unknown key (known: name, description, seeds, target, datasets, protocol, model, strategies, report)"},
		{"unknown key case", edit(t, "name: t", "Name: t"),
			"c.yaml:1:1: Name: unknown key (did you mean name?)\nc.yaml:1:1: name: required key is missing"},
		{"merge key", base + "model: {<<: {kind: mlp}}\n", "c.yaml:9:9: model: merge keys (<<) are not supported"},
		{"non-string key", base + "model: {1: 2}\n", "c.yaml:9:9: model: keys must be strings (got 1)"},
		{"self-referencing anchor", base + "model: &a\n  train: *a\n", "c.yaml:9:8: anchor 'a' value contains itself"},

		// Wrong types.
		{"int as string", edit(t, "budget: 20", "budget: twenty"), "c.yaml:7:11: protocol.budget: must be an integer or all (got twenty)"},
		{"int as float", edit(t, "budget: 20", "budget: 20.5"), "c.yaml:7:11: protocol.budget: must be an integer or all (got 20.5)"},
		{"int as quoted", edit(t, "budget: 20", `budget: "20"`), "c.yaml:7:11: protocol.budget: must be an integer or all (got \"20\")"},
		{"null value", edit(t, "budget: 20", "budget:"), "c.yaml:7:10: protocol.budget: must be an integer or all (got null)"},
		{"float as string", base + "target: high\n", "c.yaml:9:9: target: must be a number (got high)"},
		{"float NaN", base + "target: .nan\n", "c.yaml:9:9: target: must be a finite number (got .nan)"},
		{"bool as yes", edit(t, "budget: 20", "budget: 20\n  standardize: yes"),
			"c.yaml:8:16: protocol.standardize: must be true or false (got yes)"},
		{"string as list", edit(t, "name: t", "name: [t]"), "c.yaml:1:7: name: must be a string (got [t])"},
		{"mapping as scalar", base + "model: mlp\n", "c.yaml:9:8: model: must be a mapping (got mlp)"},
		{"protocol as scalar", edit(t, "protocol:\n  budget: 20", "protocol: 20"), "c.yaml:6:11: protocol: must be a mapping (got 20)"},
		{"seeds as mapping", base + "seeds: {n: 3}\n", "c.yaml:9:8: seeds: must be a number of seeds or a list of seeds (got a mapping)"},
		{"hidden as int", base + "model: {hidden: 32}\n", "c.yaml:9:17: model.hidden: must be a list of layer widths (got 32)"},
		{"params as list", edit(t, "{n_samples: 100}", "[100]"), "c.yaml:5:13: datasets[0].params: must be a mapping (got [100])"},
		{"strategy as list", edit(t, "[random]", "[[random]]"),
			"c.yaml:8:14: strategies[0]: must be a strategy name or a mapping with name, label, params and query_model (got [random])"},
		{"unsupported tag", edit(t, "{n_samples: 100}", "{n_samples: !big 100}"),
			"c.yaml:5:25: datasets[0].params.n_samples: unsupported value !big (got 100)"},

		// Missing required keys.
		{"no name", strings.Replace(base, "name: t\n", "", 1), "c.yaml:1:1: name: required key is missing"},
		{"no datasets", "name: t\nprotocol: {budget: 2}\nstrategies: [random]\n", "c.yaml:1:1: datasets: required key is missing"},
		{"no strategies", strings.Replace(base, "strategies: [random]\n", "", 1), "c.yaml:1:1: strategies: required key is missing"},
		{"no budget", edit(t, "  budget: 20\n", "  batch: 2\n"), "c.yaml:7:3: protocol.budget: required key is missing"},
		{"no protocol", strings.Replace(base, "protocol:\n  budget: 20\n", "", 1), "c.yaml:1:1: protocol.budget: required key is missing"},
		{"no dataset name", edit(t, "  - name: d\n    source", "  - source"),
			"c.yaml:3:5: datasets[0].name: required key is missing"},
		{"no source", edit(t, "    source: make_classification\n", ""), "c.yaml:3:5: datasets[0].source: required key is missing"},
		{"no strategy name", edit(t, "[random]", "[{label: r}]"), "c.yaml:8:14: strategies[0].name: required key is missing"},
		{"empty datasets", edit(t, "datasets:\n  - name: d\n    source: make_classification\n    params: {n_samples: 100}\n", "datasets: []\n"),
			"c.yaml:2:11: datasets: must be a non-empty list of datasets (got [])"},
		{"empty strategies", edit(t, "[random]", "[]"), "c.yaml:8:13: strategies: must be a non-empty list of strategies (got [])"},

		// Impossible values.
		{"test_fraction 0", edit(t, "budget: 20", "budget: 20\n  test_fraction: 0"), "c.yaml:8:18: protocol.test_fraction: must be in (0, 1) (got 0)"},
		{"test_fraction 1", edit(t, "budget: 20", "budget: 20\n  test_fraction: 1.0"), "c.yaml:8:18: protocol.test_fraction: must be in (0, 1) (got 1.0)"},
		{"initial 0", edit(t, "budget: 20", "budget: 20\n  initial: 0"), "c.yaml:8:12: protocol.initial: must be at least 1 (got 0)"},
		{"batch 0", edit(t, "budget: 20", "budget: 20\n  batch: 0"), "c.yaml:8:10: protocol.batch: must be at least 1 (got 0)"},
		{"budget 0", edit(t, "budget: 20", "budget: 0"), "c.yaml:7:11: protocol.budget: must be at least 1 (got 0)"},
		{"batch does not divide budget", edit(t, "budget: 20", "budget: 20\n  batch: 3"), "c.yaml:8:10: protocol.batch: must divide budget 20 (got 3)"},
		{"budget exceeds pool", edit(t, "budget: 20", "budget: 61"),
			"c.yaml:7:11: protocol.budget: initial 10 + budget 61 exceeds the 70-row pool of dataset d (got 61)"},
		{"budget exceeds pool with test_fraction", edit(t, "budget: 20", "budget: 20\n  test_fraction: 0.75"),
			"c.yaml:7:11: protocol.budget: initial 10 + budget 20 exceeds the 25-row pool of dataset d (got 20)"},
		{"initial_sampling", edit(t, "budget: 20", "budget: 20\n  initial_sampling: random"),
			"c.yaml:8:21: protocol.initial_sampling: must be uniform, stratified, per_class or uniform_all_classes (got random)"},
		{"per_class initial below classes", "name: t\ndatasets: [{name: iris, source: iris}]\nprotocol: {budget: 20, initial: 2, initial_sampling: per_class}\nstrategies: [random]\n",
			"c.yaml:3:33: protocol.initial: per_class sampling needs at least one point of each of the 3 classes of dataset iris (got 2)"},
		{"lr 0", base + "model: {train: {lr: 0}}\n", "c.yaml:9:21: model.train.lr: must be positive (got 0)"},
		{"momentum 1", base + "model: {train: {momentum: 1}}\n", "c.yaml:9:27: model.train.momentum: must be in [0, 1) (got 1)"},
		{"weight_decay negative", base + "model: {train: {weight_decay: -0.1}}\n", "c.yaml:9:31: model.train.weight_decay: must not be negative (got -0.1)"},
		{"epochs 0", base + "model: {train: {epochs: 0}}\n", "c.yaml:9:25: model.train.epochs: must be in [1, 16777216] (got 0)"},
		{"batch_size negative", base + "model: {train: {batch_size: -1}}\n",
			"c.yaml:9:29: model.train.batch_size: must be in [0, 1048576] (0 means full batch) (got -1)"},
		{"dropout 1", base + "model: {dropout: 1}\n", "c.yaml:9:18: model.dropout: must be in [0, 1) (got 1)"},
		{"dropout negative", base + "model: {dropout: -0.5}\n", "c.yaml:9:18: model.dropout: must be in [0, 1) (got -0.5)"},
		{"kind", base + "model: {kind: cnn}\n", "c.yaml:9:15: model.kind: unknown model kind (did you mean knn?) (got cnn)"},
		{"activation", base + "model: {activation: rleu}\n", "c.yaml:9:21: model.activation: must be relu or tanh (got rleu)"},
		{"optimizer", base + "model: {train: {optimizer: Adam}}\n", "c.yaml:9:28: model.train.optimizer: must be sgd or adam (got Adam)"},
		{"hidden width 0", base + "model: {hidden: [32, 0]}\n", "c.yaml:9:22: model.hidden[1]: must be an integer in [1, 1048576] (got 0)"},
		{"mlp without hidden layers", base + "model: {hidden: []}\n",
			"c.yaml:9:17: model.hidden: an mlp needs at least one hidden layer (kind logreg has none) (got [])"},
		{"logreg with hidden layers", base + "model: {kind: logreg, hidden: [8]}\n", "c.yaml:9:23: model.hidden: unknown key of logreg (known: solver, C, tol, max_iter, train)"},
		{"target 0", base + "target: 0\n", "c.yaml:9:9: target: must be in (0, 1] (got 0)"},

		// Model kinds, through the learners registry.
		{"svm C", base + "model: {kind: svm, C: 0}\n", "c.yaml:9:23: model.C: must be positive (got 0)"},
		{"svm unknown key", base + "model: {kind: svm, kernal: rbf}\n", "c.yaml:9:20: model.kernal: unknown key of svm (did you mean kernel?)"},
		{"svm gamma", base + "model: {kind: svm, gamma: 0}\n", "c.yaml:9:27: model.gamma: must be scale, auto or a positive number (got 0)"},
		{"logreg C without solver", base + "model: {kind: logreg, C: 1}\n",
			"c.yaml:9:26: model.C: applies to solver lbfgs only (add solver: lbfgs, or use train for softmax regression) (got 1)"},
		{"forest max_features", base + "model: {kind: random_forest, max_features: half}\n",
			"c.yaml:9:44: model.max_features: must be sqrt, log2, all, an integer ≥ 1 or a fraction in (0, 1] (got half)"},
		{"model kind not a string", base + "model: {kind: [svm]}\n", "c.yaml:9:15: model.kind: must be a model kind (mlp, logreg, svm, random_forest, knn, gaussian_nb, lda, external) (got [svm])"},
		{"nested train unknown key", base + "model: {train: {optimiser: adam}}\n", "c.yaml:9:17: model.train.optimiser: unknown key of mlp train (did you mean optimizer?)"},

		// Query models, checked like model and positioned under their entry.
		{"query_model C", edit(t, "[random]", "[random, {name: margin, query_model: {kind: logreg, solver: lbfgs, C: -1}}]"),
			"c.yaml:8:83: strategies[1].query_model.C: must be positive (got -1)"},
		{"query_model not a mapping", edit(t, "[random]", "[random, {name: margin, query_model: svm}]"),
			"c.yaml:8:50: strategies[1].query_model: must be a mapping (got svm)"},
		{"query_model capabilities", edit(t, "[random]", "[random, {name: bald, query_model: {kind: mlp, dropout: 0}}]"),
			"c.yaml:8:22: strategies[1]: bald needs model.dropout > 0"},
		{"qbc member", edit(t, "[random]", "[random, {name: qbc, params: {members: [{kind: logreg, solver: lbfgs}, {kind: svm, C: -1}]}}]"),
			"c.yaml:8:99: strategies[1].params.members[1].C: must be positive (got -1)"},
		{"qbc member key", edit(t, "[random]", "[random, {name: qbc, params: {members: [{kind: svm}, {kind: sv}]}}]"),
			"c.yaml:8:73: strategies[1].params.members[1].kind: unknown model kind (did you mean svm?) (got sv)"},

		// Split, budget all and the initial sampling of Lu et al.
		{"split", edit(t, "budget: 20", "budget: 20\n  split: stratify"), "c.yaml:8:10: protocol.split: must be stratified or random (got stratify)"},
		{"budget word", edit(t, "budget: 20", "budget: alll"), "c.yaml:7:11: protocol.budget: must be an integer or all (got alll)"},
		{"budget all fills the pool", edit(t, "budget: 20", "budget: all\n  initial: 70"),
			"c.yaml:8:12: protocol.initial: initial 70 leaves nothing to query in the 70-row pool of dataset d (budget all) (got 70)"},
		{"budget all with a batch that does not divide", edit(t, "budget: 20", "budget: all\n  batch: 7\n  initial: 71"),
			"c.yaml:9:12: protocol.initial: initial 71 leaves nothing to query in the 70-row pool of dataset d (budget all) (got 71)"},
		{"uniform_all_classes below classes", "name: t\ndatasets: [{name: iris, source: iris}]\nprotocol: {budget: 20, initial: 2, initial_sampling: uniform_all_classes}\nstrategies: [random]\n",
			"c.yaml:3:33: protocol.initial: uniform_all_classes sampling needs at least one point of each of the 3 classes of dataset iris (got 2)"},

		// Validation that cannot be fooled: overflow, memory, empty test sets, names.
		{"budget near MaxInt", edit(t, "budget: 20", "budget: 9223372036854775807"),
			"c.yaml:7:11: protocol.budget: initial 10 + budget 9223372036854775807 exceeds the 70-row pool of dataset d (got 9223372036854775807)"},
		{"initial near MaxInt", edit(t, "budget: 20", "budget: 20\n  initial: 9223372036854775807"),
			"c.yaml:7:11: protocol.budget: initial 9223372036854775807 + budget 20 exceeds the 70-row pool of dataset d (got 20)"},
		{"initial beyond int", edit(t, "budget: 20", "budget: 20\n  initial: 99999999999999999999"),
			"c.yaml:8:12: protocol.initial: must be an integer (got 99999999999999999999)"},
		{"hidden 1e12", base + "model: {hidden: [1e12]}\n", "c.yaml:9:18: model.hidden[0]: must be an integer in [1, 1048576] (got 1e12)"},
		{"hidden 2^62", base + "model: {hidden: [4611686018427387904]}\n",
			"c.yaml:9:18: model.hidden[0]: must be an integer in [1, 1048576] (got 4611686018427387904)"},
		{"hidden beyond memory", base + "model: {hidden: [64, 1048576, 1048576]}\n",
			"c.yaml:9:22: model.hidden[1]: a 20-64-1048576-1048576-2 mlp needs ~64.0 TiB to train on the 70-row pool of dataset d (limit 16 GiB per trial)"},
		{"svm kernel cache beyond memory", edit(t, "{n_samples: 100}", "{n_samples: 100000}") + "model: {kind: svm}\n",
			"c.yaml:9:15: model.kind: an svm model needs ~18.3 GiB to train on the 70000-row pool of dataset d (limit 16 GiB per trial)"},
		{"query model beyond memory", strings.Replace(edit(t, "{n_samples: 100}", "{n_samples: 100000}"), "[random]",
			"[random, {name: margin, query_model: {kind: svm}}]", 1) + "model: {kind: logreg}\n",
			"c.yaml:8:57: strategies[1].query_model.kind: an svm model needs ~18.3 GiB to train on the 70000-row pool of dataset d (limit 16 GiB per trial)"},
		{"test_fraction 1e-12", edit(t, "budget: 20", "budget: 20\n  test_fraction: 1e-12"),
			"c.yaml:8:18: protocol.test_fraction: leaves the test set of the 100-row dataset d empty (got 1e-12)"},
		{"stratified test set without a class", "name: t\ndatasets: [{name: iris, source: iris}]\nprotocol: {budget: 20, test_fraction: 0.01}\nstrategies: [random]\n",
			"c.yaml:3:39: protocol.test_fraction: gives 2 test rows to the 3 classes of dataset iris; the stratified split needs one of each (got 0.01)"},
		{"test_fraction leaves no pool", edit(t, "budget: 20", "budget: 20\n  test_fraction: 0.999"),
			"c.yaml:8:18: protocol.test_fraction: leaves no pool: all 100 rows of dataset d go to the test set (got 0.999)"},
		{"long name", edit(t, "name: t", "name: "+strings.Repeat("a", 101)),
			"c.yaml:1:7: name: must be at most 100 bytes long, since it names files (it has 101) (got aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...)"},
		{"long dataset name", edit(t, "- name: d", "- name: "+strings.Repeat("d", 300)),
			"c.yaml:3:11: datasets[0].name: must be at most 100 bytes long, since it names files (it has 300) (got ddddddddddddddddddddddddddddddddddddddddddddddddddddddddd...)"},
		{"long label", edit(t, "[random]", "[{name: random, label: "+strings.Repeat("r", 101)+"}]"),
			"c.yaml:8:36: strategies[0].label: must be at most 100 bytes long, since it names files (it has 101) (got rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr...)"},
		{"control character", "name: t\x00\n", "c.yaml:1:8: control characters are not allowed"},
		{"invalid UTF-8", "name: t\n\xff\n", "c.yaml:2:1: invalid leading UTF-8 octet"},
		{"unknown source", edit(t, "source: make_classification", "source: make_clasification"),
			"c.yaml:4:13: datasets[0].source: unknown source (did you mean make_classification?) (got make_clasification)"},
		{"name with a space", edit(t, "name: t", "name: my run"),
			"c.yaml:1:7: name: must be letters, digits, '_', '.', '+' or '-', starting with a letter or digit (got my run)"},

		// Seeds.
		{"seeds 0", base + "seeds: 0\n", "c.yaml:9:8: seeds: must be between 1 and 100000 (got 0)"},
		{"seeds too many", base + "seeds: 1000000\n", "c.yaml:9:8: seeds: must be between 1 and 100000 (got 1000000)"},
		{"seed negative", base + "seeds: [1, -2]\n", "c.yaml:9:12: seeds[1]: must not be negative (got -2)"},
		{"seed duplicated", base + "seeds: [4, 5, 4]\n", "c.yaml:9:15: seeds[2]: duplicate seed (first at seeds[0]) (got 4)"},
		{"seeds empty", base + "seeds: []\n", "c.yaml:9:8: seeds: must not be empty"},

		// Names and labels.
		{"duplicate dataset names", edit(t, "protocol:", "  - {name: d, source: iris}\nprotocol:"),
			"c.yaml:6:12: datasets[1].name: duplicate dataset name (first at datasets[0]) (got d)"},
		{"duplicate strategy labels", edit(t, "[random]", "[random, random]"),
			"c.yaml:8:22: strategies[1]: duplicate strategy label (first at strategies[0]); give one a label (got random)"},
		{"duplicate explicit label", edit(t, "[random]", "[random, {name: qbc, label: random}]"),
			"c.yaml:8:41: strategies[1].label: duplicate strategy label (first at strategies[0]); give one a label (got random)"},
		{"skyline label", edit(t, "[random]", "[random, {name: qbc, label: skyline}]"),
			"c.yaml:8:41: strategies[1].label: label skyline is reserved for the skyline rows; give the strategy another label (got skyline)"},

		// Problems found by other packages, positioned here.
		{"strategy params", edit(t, "[random]", "[random, {name: qbc, params: {committee: 1}}]"),
			"c.yaml:8:54: strategies[1].params.committee: must be at least 2 (got 1)"},
		{"strategy name", edit(t, "[random]", "[random, margni]"), "c.yaml:8:22: strategies[1].name: unknown strategy (got margni)"},
		{"strategy against model", edit(t, "[random]", "[random, {name: bald}]"), "c.yaml:8:22: strategies[1]: bald needs model.dropout > 0"},

		// Dataset overrides are validated where they are written.
		{"override budget", edit(t, "{n_samples: 100}", "{n_samples: 100}\n    protocol: {budget: -1}"),
			"c.yaml:6:24: datasets[0].protocol.budget: must be at least 1 (got -1)"},
		{"override exceeds pool", edit(t, "{n_samples: 100}", "{n_samples: 100}\n    protocol: {budget: 70}"),
			"c.yaml:6:24: datasets[0].protocol.budget: initial 10 + budget 70 exceeds the 70-row pool of dataset d (got 70)"},
		{"override batch against top budget", edit(t, "{n_samples: 100}", "{n_samples: 100}\n    protocol: {batch: 3}"),
			"c.yaml:6:23: datasets[0].protocol.batch: must divide budget 20 (got 3)"},
		{"override unknown key", edit(t, "{n_samples: 100}", "{n_samples: 100}\n    protocol: {budjet: 30}"),
			"c.yaml:6:16: datasets[0].protocol.budjet: unknown key (did you mean budget?)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse([]byte(tt.yaml), "c.yaml", committeeCheck)
			if err == nil {
				t.Fatalf("no error; want\n%s", tt.want)
			}
			if c != nil {
				t.Errorf("config returned with an error")
			}
			var es Errors
			if !errors.As(err, &es) {
				t.Fatalf("error %T, want Errors", err)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

// TestParseDatasetProblems checks that problems found by the datasets package are
// positioned at the offending key. Their wording is that package's, so only the
// position and key are compared.
func TestParseDatasetProblems(t *testing.T) {
	var sources []string
	for _, s := range datasets.Sources() {
		sources = append(sources, s.Name)
	}
	for _, tt := range []struct{ yaml, want string }{
		{edit(t, "source: make_classification", "source: mnist"),
			"c.yaml:4:13: datasets[0].source: unknown source (known: " + strings.Join(sources, ", ") + ") (got mnist)"},
		{edit(t, "{n_samples: 100}", "{n_samples: 100, n_informative: 30}"), "c.yaml:5:45: datasets[0].params.n_informative: "},
		{edit(t, "{n_samples: 100}", "{n_sample: 100}"), "c.yaml:5:24: datasets[0].params.n_sample: "},
		{edit(t, "{n_samples: 100}", "{n_samples: 100, weights: [0.5, -1]}"), "c.yaml:5:45: datasets[0].params.weights[1]: "},
		{edit(t, "    params: {n_samples: 100}\n", ""), ""}, // no params: the defaults are fine
		{edit(t, "    params: {n_samples: 100}\n", "    params: {n_samples: 100}\n  - {name: e, source: make_blobs, params: {n_samples: 0}}\n"),
			"c.yaml:6:55: datasets[1].params.n_samples: "},
	} {
		_, err := Parse([]byte(tt.yaml), "c.yaml", nil)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s\ngot %v", tt.yaml, err)
		case tt.want != "" && (err == nil || !strings.HasPrefix(err.Error(), tt.want)):
			t.Errorf("%s\ngot %v\nwant %s...", tt.yaml, err, tt.want)
		}
	}
}

// TestParseAllAtOnce checks that problems in every part of a config are reported
// together, sorted by position.
func TestParseAllAtOnce(t *testing.T) {
	yaml := `name: x y
seeds: [1, 1]
datasets:
  - name: d
    source: make_classification
    params: {n_samples: 100, n_informative: 30}
protocol:
  budjet: 20
model:
  dropout: 2
  train: {lr: -1, epochs: 0}
strategies: [random, random, nope]
`
	want := `c.yaml:1:7: name: must be letters, digits, '_', '.', '+' or '-', starting with a letter or digit (got x y)
c.yaml:2:12: seeds[1]: duplicate seed (first at seeds[0]) (got 1)
c.yaml:6:45: datasets[0].params.n_informative: n_informative + n_redundant + n_repeated (32) must not exceed n_features (20) (got 30)
c.yaml:8:3: protocol.budjet: unknown key (did you mean budget?)
c.yaml:8:3: protocol.budget: required key is missing
c.yaml:10:12: model.dropout: must be in [0, 1) (got 2)
c.yaml:11:15: model.train.lr: must be positive (got -1)
c.yaml:11:27: model.train.epochs: must be in [1, 16777216] (got 0)
c.yaml:12:22: strategies[1]: duplicate strategy label (first at strategies[0]); give one a label (got random)
c.yaml:12:30: strategies[2].name: unknown strategy (got nope)`
	_, err := Parse([]byte(yaml), "c.yaml", committeeCheck)
	if err == nil || err.Error() != want {
		t.Errorf("got\n%v\nwant\n%s", err, want)
	}
	if es := err.(Errors); len(es) != 10 {
		t.Errorf("%d errors, want 10", len(es))
	}
}

func TestErrorFormat(t *testing.T) {
	for _, tt := range []struct {
		e    Error
		want string
	}{
		{Error{File: "f", Line: 3, Col: 4, Key: "a.b", Msg: "bad", Got: "x"}, "f:3:4: a.b: bad (got x)"},
		{Error{File: "f", Line: 3, Col: 4, Key: "a.b", Msg: "bad"}, "f:3:4: a.b: bad"},
		{Error{File: "f", Line: 3, Msg: "bad"}, "f:3: bad"},
		{Error{File: "f", Msg: "bad"}, "f: bad"},
	} {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}

func TestParseDefaults(t *testing.T) {
	c, err := Parse([]byte(base), "dir/c.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	want := &Config{
		Name:     "t",
		Seeds:    []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9},
		Target:   0.95,
		Datasets: []DatasetSpec{{Name: "d", Source: "make_classification", Params: map[string]any{"n_samples": 100}}},
		Protocol: Protocol{TestFraction: 0.3, Split: "stratified", Initial: 10, Batch: 1, Budget: 20, InitialSampling: "uniform"},
		Model: ModelSpec{Kind: "mlp", Params: map[string]any{"kind": "mlp", "hidden": []int{32, 16}, "activation": "relu", "dropout": 0.0,
			"train": map[string]any{"optimizer": "sgd", "lr": 0.01, "momentum": 0.0, "weight_decay": 0.0, "epochs": 1, "batch_size": 0, "warm_start": false}}},
		Strategies: []StrategySpec{{Name: "random", Label: "random"}},
		Report:     DefaultReport,
		Path:       "dir/c.yaml",
	}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("got\n%+v\nwant\n%+v", c, want)
	}
	// A logreg gets no hidden layers by default.
	c, err = Parse([]byte(base+"model: {kind: logreg}\n"), "c.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Model.Params["hidden"]; ok || c.Model.Kind != "logreg" || c.Model.Params["train"] == nil {
		t.Errorf("logreg resolved to %v", c.Model)
	}
}

func TestParseValues(t *testing.T) {
	yaml := `name: full
description: every key
seeds: [7, 3]
target: 0.9
datasets:
  - name: a
    source: make_moons
    params: {n_samples: 200, noise: 0.1, shuffle: true}
  - name: b
    source: iris
    protocol: {test_fraction: 0.2, standardize: false, initial: 3, batch: 5, budget: 50, initial_sampling: per_class}
protocol:
  test_fraction: 0.25
  standardize: true
  initial: 4
  batch: 2
  budget: 40
  initial_sampling: stratified
model:
  kind: mlp
  hidden: [8]
  activation: tanh
  dropout: 0.5
  train: {optimizer: adam, lr: 0.001, momentum: 0.9, weight_decay: 0.0001, epochs: 5, batch_size: 16, warm_start: true}
strategies:
  - random
  - {name: qbc, label: qbc-kl, params: {committee: 3, measure: kl, nested: {a: [1, 2.5, x, null]}}}
`
	c, err := Parse([]byte(yaml), "c.yaml", committeeCheck)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c.Seeds, []int{7, 3}) || c.Target != 0.9 || c.Description != "every key" {
		t.Errorf("seeds %v target %v description %q", c.Seeds, c.Target, c.Description)
	}
	wantParams := map[string]any{"n_samples": 200, "noise": 0.1, "shuffle": true}
	if !reflect.DeepEqual(c.Datasets[0].Params, wantParams) {
		t.Errorf("params %#v, want %#v", c.Datasets[0].Params, wantParams)
	}
	wantModel := ModelSpec{Kind: "mlp", Params: map[string]any{"kind": "mlp", "hidden": []int{8}, "activation": "tanh", "dropout": 0.5,
		"train": map[string]any{"optimizer": "adam", "lr": 0.001, "momentum": 0.9, "weight_decay": 0.0001, "epochs": 5, "batch_size": 16, "warm_start": true}}}
	if !reflect.DeepEqual(c.Model, wantModel) {
		t.Errorf("model %+v, want %+v", c.Model, wantModel)
	}
	wantStrat := StrategySpec{Name: "qbc", Label: "qbc-kl", Params: map[string]any{
		"committee": 3, "measure": "kl", "nested": map[string]any{"a": []any{1, 2.5, "x", nil}}}}
	if !reflect.DeepEqual(c.Strategies[1], wantStrat) {
		t.Errorf("strategy %#v, want %#v", c.Strategies[1], wantStrat)
	}

	// Overrides merge key by key over the shared protocol.
	if got, want := c.ProtocolFor(0), (Protocol{TestFraction: 0.25, Split: "stratified", Standardize: true, Initial: 4, Batch: 2, Budget: 40, InitialSampling: "stratified"}); got != want {
		t.Errorf("ProtocolFor(0) = %+v, want %+v", got, want)
	}
	if got, want := c.ProtocolFor(1), (Protocol{TestFraction: 0.2, Split: "stratified", Standardize: false, Initial: 3, Batch: 5, Budget: 50, InitialSampling: "per_class"}); got != want {
		t.Errorf("ProtocolFor(1) = %+v, want %+v", got, want)
	}
}

func TestProtocolForPartialOverride(t *testing.T) {
	c, err := Parse([]byte(edit(t, "{n_samples: 100}", "{n_samples: 100}\n    protocol: {budget: 40, standardize: true}")), "c.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	want := Protocol{TestFraction: 0.3, Split: "stratified", Standardize: true, Initial: 10, Batch: 1, Budget: 40, InitialSampling: "uniform"}
	if got := c.ProtocolFor(0); got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if c.Protocol.Budget != 20 || c.Protocol.Standardize {
		t.Errorf("override leaked into the shared protocol: %+v", c.Protocol)
	}
	// Every dataset may carry its own budget instead of a shared one.
	noShared := strings.Replace(base, "protocol:\n  budget: 20\n", "", 1)
	noShared = strings.Replace(noShared, "{n_samples: 100}", "{n_samples: 100}\n    protocol: {budget: 5}", 1)
	c, err = Parse([]byte(noShared), "c.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.ProtocolFor(0).Budget; got != 5 {
		t.Errorf("budget %d, want 5", got)
	}
}

func TestGrid(t *testing.T) {
	c := &Config{
		Seeds:      []int{5, 2},
		Datasets:   []DatasetSpec{{Name: "a"}, {Name: "b"}},
		Strategies: []StrategySpec{{Name: "x"}, {Name: "y"}, {Name: "z"}},
	}
	g := c.Grid()
	if len(g) != 12 {
		t.Fatalf("%d trials, want 12", len(g))
	}
	want := []Trial{{0, 0, 5}, {0, 0, 2}, {0, 1, 5}, {0, 1, 2}, {0, 2, 5}, {0, 2, 2}}
	if !reflect.DeepEqual(g[:6], want) {
		t.Errorf("first trials %v, want %v", g[:6], want)
	}
	if g[6] != (Trial{1, 0, 5}) || g[11] != (Trial{1, 2, 2}) {
		t.Errorf("second dataset starts %v, ends %v", g[6], g[11])
	}
}

func TestHash(t *testing.T) {
	hash := func(yaml string) string {
		t.Helper()
		c, err := Parse([]byte(yaml), "c.yaml", nil)
		if err != nil {
			t.Fatal(err)
		}
		return c.Hash()
	}
	h := hash(base)
	if len(h) != 64 {
		t.Errorf("hash %q is not hex SHA-256", h)
	}
	same := map[string]string{
		"comments": "# a comment\n" + strings.Replace(base, "budget: 20", "budget: 20   # queries", 1),
		"key order": `strategies: [random]
protocol: {budget: 20}
datasets:
  - {params: {n_samples: 100}, source: make_classification, name: d}
name: t
`,
		"explicit defaults": base + "seeds: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]\ntarget: 0.95\nmodel: {kind: mlp, hidden: [32, 16], train: {lr: 0.01}}\n",
		"seeds as a count":  base + "seeds: 10\n",
	}
	for name, yaml := range same {
		if got := hash(yaml); got != h {
			t.Errorf("%s changed the hash", name)
		}
	}
	if c, _ := Parse([]byte(base), "elsewhere/c.yaml", nil); c.Hash() != h {
		t.Errorf("the file's path changed the hash")
	}
	differ := map[string]string{
		"budget":        strings.Replace(base, "budget: 20", "budget: 30", 1),
		"dataset param": strings.Replace(base, "n_samples: 100", "n_samples: 101", 1),
		"param":         strings.Replace(base, "[random]", "[{name: qbc, params: {committee: 3}}]", 1),
		"seed order":    base + "seeds: [1, 0]\n",
		"strategy":      strings.Replace(base, "[random]", "[random, qbc]", 1),
		"warm start":    base + "model: {train: {warm_start: true}}\n",
	}
	// A param's type counts: 3 and 3.0 may mean different things to a strategy.
	if hash(differ["param"]) == hash(strings.Replace(differ["param"], "committee: 3", "committee: 3.0", 1)) {
		t.Errorf("a param's type left the hash unchanged")
	}
	for name, yaml := range differ {
		if got := hash(yaml); got == h {
			t.Errorf("a changed %s left the hash unchanged", name)
		}
	}
}

// TestProjectConfigs checks that the shipped configs parse and say what they claim.
func TestProjectConfigs(t *testing.T) {
	tut, err := Load("../configs/tutorial.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if tut.Name != "tutorial" || len(tut.Seeds) != 20 || tut.Model.Params["train"].(map[string]any)["warm_start"] != true ||
		tut.Protocol != (Protocol{TestFraction: 0.3, Split: "stratified", Initial: 10, Batch: 1, Budget: 30, InitialSampling: "uniform"}) {
		t.Errorf("tutorial: %+v", tut)
	}
	bench, err := Load("../configs/bench.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	train := bench.Model.Params["train"].(map[string]any)
	if bench.Name != "bench" || len(bench.Strategies) != 10 || len(bench.Datasets) != 5 || train["optimizer"] != "adam" ||
		train["epochs"] != 200 || train["warm_start"] != false || !bench.Protocol.Standardize ||
		bench.Protocol.Batch != 10 || bench.Protocol.Budget != 100 {
		t.Errorf("bench: %+v", bench)
	}
	syn, err := Load("../configs/synthetic.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if syn.Name != "synthetic" || len(syn.Datasets) != 5 {
		t.Errorf("synthetic: %+v", syn)
	}
}

func TestLoad(t *testing.T) {
	if _, err := Load(filepath.Join(t.TempDir(), "missing.yaml"), nil); err == nil {
		t.Error("no error for a missing file")
	}
	// A csv path is relative to the config file, and problems inside the file are
	// positioned in it.
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "ragged.csv"), []byte("a,b,y\n1,2,0\n3,1\n5,6,0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := "name: t\ndatasets: [{name: r, source: csv, params: {path: ragged.csv}}]\nprotocol: {budget: 1, initial: 1}\nstrategies: [random]\n"
	path := filepath.Join(dir, "c.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(path, nil)
	es, ok := err.(Errors)
	if !ok || len(es) == 0 {
		t.Fatalf("got %v, want a positioned error in ragged.csv", err)
	}
	if e := es[0]; e.File != filepath.Join(dir, "ragged.csv") || e.Line != 3 || e.Key != "datasets[0].params.path" {
		t.Errorf("got %+v, want line 3 of ragged.csv at datasets[0].params.path", e)
	}
}

// FuzzParse checks that no input makes Parse panic, and that whatever it accepts
// is valid: every problem of a rejected config is positioned in it (line ≥ 1),
// and an accepted config has a complete grid within bounds, names within the
// length limit, positive sizes, initial + budget within every pool it can know,
// a non-empty test set, and models whose memory estimate is within the limit.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"../configs/tutorial.yaml", "../configs/bench.yaml"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(base))
	f.Add([]byte("a: &a [*a]\n"))
	f.Add([]byte(strings.Replace(base, "[random]", "[random, {name: qbc, label: q, params: {committee: 1}}]", 1)))
	f.Add([]byte(strings.Replace(base, "budget: 20", "budget: all\n  split: random\n  initial_sampling: uniform_all_classes\n  batch: 7", 1)))
	f.Add([]byte(strings.Replace(base, "[random]", "[random, {name: margin, query_model: {kind: logreg, solver: lbfgs, C: 0.1}}, "+
		"{name: qbc, params: {members: [{kind: svm, kernel: linear}, {kind: lda}]}}]", 1) + "model: {kind: svm, gamma: auto}\n"))
	f.Add([]byte(base + "model: {hidden: [1048576, 1048576], train: {epochs: 3}}\n"))
	f.Add([]byte(strings.Replace(base, "budget: 20", "budget: 9223372036854775807\n  initial: 9223372036854775807\n  test_fraction: 1e-12", 1)))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data, "f.yaml", committeeCheck)
		if err != nil {
			if c != nil {
				t.Fatal("config with an error")
			}
			var es Errors
			if !errors.As(err, &es) || len(es) == 0 {
				t.Fatalf("error %T is not Errors", err)
			}
			for _, e := range es {
				if e.File == "f.yaml" && e.Line < 1 {
					t.Fatalf("unpositioned problem %q", e.Error())
				}
			}
			return
		}
		trials := len(c.Datasets) * len(c.Strategies) * len(c.Seeds)
		if trials == 0 || trials > maxTrials {
			t.Fatalf("grid of %d trials", trials)
		}
		if trials <= 100000 && len(c.Grid()) != trials {
			t.Fatalf("grid of %d trials, want %d", len(c.Grid()), trials)
		}
		names := []string{c.Name}
		for _, d := range c.Datasets {
			names = append(names, d.Name)
		}
		for _, s := range c.Strategies {
			names = append(names, s.Label, s.Name)
		}
		for _, n := range names {
			if n == "" || len(n) > maxName || !identRE.MatchString(n) {
				t.Fatalf("accepted name %q", n)
			}
		}
		models := []ModelSpec{c.Model}
		for _, s := range c.Strategies {
			if s.QueryModel != nil {
				models = append(models, *s.QueryModel)
			}
		}
		for d, ds := range c.Datasets {
			p := c.ProtocolFor(d)
			if p.Batch < 1 || p.Initial < 1 || p.TestFraction <= 0 || p.TestFraction >= 1 ||
				(p.BudgetAll && p.Budget != 0) || (!p.BudgetAll && (p.Budget < 1 || p.Budget%p.Batch != 0)) {
				t.Fatalf("accepted protocol %+v", p)
			}
			shape, probs := datasets.Check(ds.Source, ds.Params, ".")
			if len(probs) > 0 {
				t.Fatalf("accepted dataset %+v: %v", ds, probs)
			}
			nTest := testCount(shape.N, p.TestFraction)
			pool := shape.N - nTest
			if nTest < 1 || pool < 1 || p.Initial > pool || (p.BudgetAll && p.Initial >= pool) ||
				(!p.BudgetAll && p.Budget > pool-p.Initial) {
				t.Fatalf("accepted protocol %+v for %d rows (%d test)", p, shape.N, nTest)
			}
			for _, m := range models {
				if est := learners.MemoryEstimate(m.Params, pool, shape.D, shape.Classes); est > MaxTrialBytes {
					t.Fatalf("accepted model %v needing %d bytes", m.Params, est)
				}
			}
		}
		_ = c.Hash()
	})
}
