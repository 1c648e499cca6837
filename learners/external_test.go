package learners

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"

	"albench/internal/plugintest"
	"albench/nets"
)

// externalSpec is a resolved external spec running the Go test plugin.
func externalSpec(t *testing.T, bin string, params map[string]any) map[string]any {
	t.Helper()
	r, probs := Resolve(map[string]any{"kind": "external", "command": []any{bin}, "params": params, "timeout": 10})
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	return r
}

func TestExternalResolve(t *testing.T) {
	r, probs := Resolve(map[string]any{"kind": "external", "command": []any{"python3", "m.py"}})
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	if r["timeout"] != 60.0 || len(r["params"].(map[string]any)) != 0 || len(r["files"].([]string)) != 0 || r["dir"] != "" {
		t.Errorf("defaults: %v", r)
	}
	for _, c := range []struct {
		spec map[string]any
		want string
	}{
		{map[string]any{"kind": "external"}, "command: required key is missing"},
		{map[string]any{"kind": "external", "command": []any{}}, "command: must be a non-empty list"},
		{map[string]any{"kind": "external", "command": []any{"a", 3}}, "command: must be a non-empty list"},
		{map[string]any{"kind": "external", "command": []any{"a"}, "timeout": 0}, "timeout: must be in (0, 1e6]"},
		{map[string]any{"kind": "external", "command": []any{"a"}, "params": []any{1}}, "params: must be a mapping"},
		{map[string]any{"kind": "external", "command": []any{"a"}, "files": "x.py"}, "files: must be a list of strings"},
		{map[string]any{"kind": "external", "command": []any{"a"}, "commmand": 1}, "did you mean command?"},
	} {
		_, probs := Resolve(c.spec)
		if len(probs) == 0 || !strings.Contains(probs[0].String(), c.want) {
			t.Errorf("%v: %v, want %q", c.spec, probs, c.want)
		}
	}
}

// TestExternalCapabilities: the handshake decides the capabilities, and the
// models offer exactly the interfaces declared.
func TestExternalCapabilities(t *testing.T) {
	bin := plugintest.Build(t)
	x, y := blobs3(30, 1)
	for _, c := range []struct {
		declare []any
		want    Capabilities
	}{
		{[]any{"predict_proba"}, Capabilities{Probs: true}},
		{[]any{"decision_function", "embed"}, Capabilities{Decision: true, Embed: true}},
		{[]any{"predict", "grad_embed", "predict_proba"}, Capabilities{Probs: true, GradEmbed: true}},
	} {
		r := externalSpec(t, bin, map[string]any{"capabilities": c.declare})
		if probs := Probe(r); len(probs) > 0 {
			t.Fatal(probs)
		}
		if got := Caps(r); got != c.want {
			t.Errorf("%v: caps %+v, want %+v", c.declare, got, c.want)
		}
		l, _ := New(r)
		sess, err := l.NewSession(x, []*nets.Matrix{x}, 3, rand.New(rand.NewPCG(1, 1)))
		if err != nil {
			t.Fatal(err)
		}
		m, err := sess.Fit(context.Background(), []int{0, 1, 2, 3, 4, 5}, y[:6], rand.New(rand.NewPCG(2, 2)))
		if err != nil {
			t.Fatal(err)
		}
		_, p := m.(Prober)
		_, pp := m.(PoolProber)
		_, d := m.(Decider)
		_, e := m.(Embedder)
		_, g := m.(GradEmbedder)
		got := Capabilities{Probs: p && pp, Decision: d, Embed: e, GradEmbed: g}
		if got != c.want {
			t.Errorf("%v: the model offers %+v, want %+v", c.declare, got, c.want)
		}
		pred := make([]int, x.Rows)
		m.(EvalScorer).EvalPredict(0, pred)
		correct := 0
		for i := range pred {
			if pred[i] == y[i] {
				correct++
			}
		}
		if err := ModelErr(m); err != nil || correct < 25 {
			t.Errorf("%v: %d of 30 right, err %v", c.declare, correct, err)
		}
		Release(sess)
	}
}

// TestExternalFailure: a plugin that crashes while a strategy asks for
// probabilities gives neutral values and a ModelErr naming the call; the
// session's next Fit fails with the same error.
func TestExternalFailure(t *testing.T) {
	bin := plugintest.Build(t)
	x, y := blobs3(30, 1)
	r := externalSpec(t, bin, map[string]any{"fail": "crash", "at": "predict_proba"})
	l, _ := New(r)
	sess, _ := l.NewSession(x, nil, 3, nil)
	defer Release(sess)
	m, err := sess.Fit(context.Background(), []int{0, 1, 2}, y[:3], rand.New(rand.NewPCG(2, 2)))
	if err != nil {
		t.Fatal(err)
	}
	var out nets.Matrix
	m.(PoolProber).PoolProbs([]int{4, 5}, &out)
	if out.Rows != 2 || out.Cols != 3 || out.Data[0] != 1.0/3 {
		t.Errorf("after the crash: %+v, want uniform 2×3", out)
	}
	err = ModelErr(m)
	if err == nil || !strings.Contains(err.Error(), "call 4 (predict_proba set=pool)") || !strings.Contains(err.Error(), "exit status 3") {
		t.Fatalf("ModelErr %v", err)
	}
	if _, err2 := sess.Fit(context.Background(), []int{0, 1, 2, 3}, y[:4], rand.New(rand.NewPCG(2, 2))); err2 == nil || err2.Error() != err.Error() {
		t.Fatalf("next Fit: %v", err2)
	}
}

// TestExternalRefusals: a model trained outside a session, and a plugin that
// fails its handshake at validation.
func TestExternalRefusals(t *testing.T) {
	r, _ := Resolve(map[string]any{"kind": "external", "command": []any{"albench-no-such-plugin"}, "files": []any{"nope.py"}})
	probs := Probe(r)
	if len(probs) != 2 || probs[0].Key != "files[0]" || probs[1].Key != "command" || !strings.Contains(probs[1].Msg, "failed its handshake") {
		t.Fatalf("probe: %v", probs)
	}
	if Caps(r) != (Capabilities{}) {
		t.Errorf("caps of a broken plugin: %+v", Caps(r))
	}
	l, _ := New(r)
	if _, err := l.Fit(context.Background(), nil, nil, 2, nil); err == nil || !strings.Contains(err.Error(), "only as a trial's task or query model") {
		t.Fatalf("Fit: %v", err)
	}
}
