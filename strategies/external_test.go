package strategies

import (
	"context"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"albench/internal/plugintest"
	"albench/learners"
	"albench/plugin"
)

func externalPlugin(bin string, params map[string]any) plugin.Spec {
	return plugin.Spec{Command: []string{bin}, Params: params, Timeout: 10 * time.Second}
}

// TestExternalSelect runs the Go test plugin as a strategy: least confidence on
// the probabilities albench sends, ties by the lowest row, over two rounds.
func TestExternalSelect(t *testing.T) {
	bin := plugintest.Build(t)
	pool := matrix([]float64{0}, []float64{1}, []float64{2}, []float64{3}, []float64{4}, []float64{5})
	m := &tableModel{pool: pool, probs: [][]float64{{1, 0}, {0.9, 0.1}, {0.5, 0.5}, {0.6, 0.4}, {0.5, 0.5}, {0.99, 0.01}}}
	s := NewExternal(externalPlugin(bin, nil))
	defer s.(io.Closer).Close()
	q := Query{Pool: pool, Unlabeled: []int{1, 2, 3, 4, 5}, Labeled: []int{0}, Labels: []int{0}, Classes: 2,
		Model: m, Batch: 2, Rand: rand.New(rand.NewPCG(1, 2))}
	got, err := s.Select(context.Background(), q)
	if err != nil || !slices.Equal(got, []int{2, 4}) {
		t.Fatalf("round 1: %v, %v; want [2 4]", got, err)
	}
	q.Unlabeled, q.Labeled, q.Labels = []int{1, 3, 5}, []int{0, 2, 4}, []int{0, 1, 0}
	got, err = s.Select(context.Background(), q)
	if err != nil || !slices.Equal(got, []int{3, 1}) {
		t.Fatalf("round 2: %v, %v; want [3 1]", got, err)
	}
}

// TestCheckExternal: needs the model lacks are refused at validation, a plugin
// that does not start is named, and a missing command is a problem.
func TestCheckExternal(t *testing.T) {
	bin := plugintest.Build(t)
	if probs := CheckExternal(externalPlugin(bin, nil), learners.Capabilities{Probs: true}); len(probs) != 0 {
		t.Fatalf("probs-only model: %v", probs)
	}
	probs := CheckExternal(externalPlugin(bin, map[string]any{"needs": []any{"embeddings", "probabilities"}}), learners.Capabilities{Probs: true})
	if len(probs) != 1 || !strings.Contains(probs[0].String(), "goplugin-strategy needs embeddings: it needs penultimate-layer embeddings") {
		t.Fatalf("embeddings on a model without: %v", probs)
	}
	probs = CheckExternal(externalPlugin(bin, map[string]any{"fail": "crash", "at": "hello"}), learners.Capabilities{Probs: true})
	if len(probs) != 1 || probs[0].Key != "command" || !strings.Contains(probs[0].Msg, "failed its handshake") {
		t.Fatalf("crashing plugin: %v", probs)
	}
	if probs := CheckExternal(plugin.Spec{}, learners.Capabilities{}); len(probs) != 1 || probs[0].Key != "command" {
		t.Fatalf("no command: %v", probs)
	}
	// The registry takes any params for external and checks no capability.
	if probs := Check("external", map[string]any{"anything": []any{1, "x"}}, learners.Capabilities{}); len(probs) != 0 {
		t.Fatalf("Check: %v", probs)
	}
	if _, err := mustNew("external", nil).Select(context.Background(), Query{}); err == nil || !strings.Contains(err.Error(), "needs a command") {
		t.Fatalf("a registry-built external: %v", err)
	}
}

// TestExternalSelectFails: a broken selection is an error naming the call, and
// the strategy stays failed.
func TestExternalSelectFails(t *testing.T) {
	bin := plugintest.Build(t)
	pool := matrix([]float64{0}, []float64{1}, []float64{2}, []float64{3})
	m := &tableModel{pool: pool, probs: [][]float64{{1, 0}, {0.9, 0.1}, {0.5, 0.5}, {0.6, 0.4}}}
	s := NewExternal(externalPlugin(bin, map[string]any{"fail": "dup", "at": "select"}))
	defer s.(io.Closer).Close()
	q := Query{Pool: pool, Unlabeled: []int{1, 2, 3}, Labeled: []int{0}, Labels: []int{0}, Classes: 2,
		Model: m, Batch: 2, Rand: rand.New(rand.NewPCG(1, 2))}
	_, err := s.Select(context.Background(), q)
	if err == nil || !strings.Contains(err.Error(), "call 3 (select): bad selection: rows[1] = 2 is picked twice") {
		t.Fatalf("%v", err)
	}
	if _, err2 := s.Select(context.Background(), q); err2 == nil || err2.Error() != err.Error() {
		t.Fatalf("second select: %v", err2)
	}
}
