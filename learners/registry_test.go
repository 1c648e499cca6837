package learners

import (
	"slices"
	"strings"
	"testing"
)

func TestResolveFillsDefaultsAndCanonicalTypes(t *testing.T) {
	r, probs := Resolve(map[string]any{"kind": "svm", "C": 2, "gamma": "auto"})
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	if r["C"] != 2.0 || r["gamma"] != "auto" || r["kernel"] != "rbf" || r["tol"] != 1e-3 || r["probability"] != false {
		t.Errorf("resolved %v", r)
	}
	if c := Caps(r); c.Probs || !c.Decision {
		t.Errorf("svm without probability: caps %+v", c)
	}
	m, probs := Resolve(map[string]any{})
	if len(probs) > 0 || m["kind"] != "mlp" || !slices.Equal(m["hidden"].([]int), []int{32, 16}) {
		t.Fatalf("default model %v %v", m, probs)
	}
	tr := m["train"].(map[string]any)
	if tr["optimizer"] != "sgd" || tr["lr"] != 0.01 || tr["epochs"] != 1 || tr["warm_start"] != false {
		t.Errorf("default train %v", tr)
	}
}

func TestResolveReportsEveryProblemWithItsKey(t *testing.T) {
	_, probs := Resolve(map[string]any{"kind": "mlp", "hiden": []any{3}, "dropout": 1.5,
		"train": map[string]any{"optimizer": "adamw", "lr": -1}})
	var got []string
	for _, p := range probs {
		got = append(got, p.String())
	}
	want := []string{
		"dropout: must be in [0, 1) (got 1.5)",
		"hiden: unknown key of mlp (did you mean hidden?) (got [3])",
		"train.lr: must be positive (got -1)",
		"train.optimizer: must be sgd or adam (got adamw)",
	}
	if !slices.Equal(got, want) {
		t.Errorf("problems\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	_, probs = Resolve(map[string]any{"kind": "sv"})
	if len(probs) != 1 || !strings.Contains(probs[0].Msg, "did you mean svm") {
		t.Errorf("unknown kind: %v", probs)
	}
}

func TestLogregSolversKeepTheirOwnKeys(t *testing.T) {
	r, probs := Resolve(map[string]any{"kind": "logreg", "solver": "lbfgs", "C": 0.1})
	if len(probs) > 0 || r["C"] != 0.1 || r["max_iter"] != 100 || r["train"] != nil {
		t.Errorf("lbfgs: %v %v", r, probs)
	}
	if c := Caps(r); !c.Probs || !c.Decision || c.Embed {
		t.Errorf("lbfgs caps %+v", c)
	}
	r, probs = Resolve(map[string]any{"kind": "logreg"})
	if len(probs) > 0 || r["C"] != nil || r["train"] == nil {
		t.Errorf("softmax: %v %v", r, probs)
	}
	_, probs = Resolve(map[string]any{"kind": "logreg", "C": 1})
	if len(probs) != 1 || probs[0].Key != "C" {
		t.Errorf("C without solver: %v", probs)
	}
	_, probs = Resolve(map[string]any{"kind": "logreg", "solver": "lbfgs", "train": map[string]any{"lr": 1}})
	if len(probs) != 1 || probs[0].Key != "train" {
		t.Errorf("train with lbfgs: %v", probs)
	}
}
