package strategies

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"

	"albench/learners"
	"albench/nets"
)

// decisionModel answers Decision from per-row tables: a model without
// probabilities, like an SVM without probability: true.
type decisionModel struct {
	pool *nets.Matrix
	dec  [][]float64
	k    int
}

func (m *decisionModel) Classes() int { return m.k }
func (m *decisionModel) Decision(x, out *nets.Matrix) {
	t := &tableModel{pool: m.pool}
	out.Resize(x.Rows, len(m.dec[0]))
	for i := range x.Rows {
		copy(out.Row(i), m.dec[t.row(x.Row(i))])
	}
}

var _ learners.Decider = (*decisionModel)(nil)

// Without probabilities, margin takes the smallest |f(x)| for two classes (Tong &
// Koller's simple margin, Lu et al.'s US-C) and the smallest gap between the two
// largest one-vs-rest values otherwise.
func TestMarginOnDecisionValues(t *testing.T) {
	pool := matrix([]float64{0}, []float64{1}, []float64{2}, []float64{3})
	bin := &decisionModel{pool: pool, k: 2, dec: [][]float64{{1.5}, {-0.2}, {0.3}, {-0.05}}}
	q := Query{Pool: pool, Unlabeled: []int{0, 1, 2}, Classes: 2, Model: bin, Batch: 2}
	// |f| = 1.5, 0.2, 0.3 over the unlabeled rows (row 3, the closest, is labeled).
	if got := selectOnce(t, "margin", nil, q); !slices.Equal(got, []int{1, 2}) {
		t.Errorf("binary margin picked %v, want [1 2]", got)
	}
	multi := &decisionModel{pool: pool, k: 3, dec: [][]float64{
		{2.2, 0.9, -0.1}, // gap 1.3
		{1.1, 1.0, 0.9},  // gap 0.1
		{0.2, 2.1, 1.8},  // gap 0.3
		{0, 0, 0},
	}}
	q = Query{Pool: pool, Unlabeled: []int{0, 1, 2}, Classes: 3, Model: multi, Batch: 1}
	if got := selectOnce(t, "margin", nil, q); !slices.Equal(got, []int{1}) {
		t.Errorf("multi-class margin picked %v, want [1]", got)
	}
	// Strategies that need probabilities are refused for such a model.
	caps := learners.Capabilities{Decision: true}
	for _, name := range []string{"least_confidence", "entropy", "density", "bald"} {
		if len(Check(name, nil, caps)) == 0 {
			t.Errorf("%s accepted a model with decision values only", name)
		}
	}
	for _, name := range []string{"margin", "qbc", "random"} {
		if probs := Check(name, nil, caps); len(probs) > 0 {
			t.Errorf("%s refused a model with decision values: %v", name, probs)
		}
	}
	if probs := Check("qbc", map[string]any{"measure": "kl"}, caps); len(probs) == 0 {
		t.Error("qbc kl accepted a model without probabilities")
	}
}

// qbc's members: any learners, each trained on the labeled set as it is (no
// bootstrap unless asked), voting by its own prediction.
func TestQBCMembersFromTheRegistry(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	n := 60
	pool := nets.NewMatrix(n, 2)
	y := make([]int, n)
	for i := range n {
		y[i] = i % 2
		pool.Data[2*i] = rng.NormFloat64() + 3*float64(y[i])
		pool.Data[2*i+1] = rng.NormFloat64()
	}
	labeled := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	labels := make([]int, len(labeled))
	for i, r := range labeled {
		labels[i] = y[r]
	}
	var unlabeled []int
	for i := 10; i < n; i++ {
		unlabeled = append(unlabeled, i)
	}
	members := []any{
		map[string]any{"kind": "logreg", "solver": "lbfgs"},
		map[string]any{"kind": "svm", "kernel": "linear"},
		map[string]any{"kind": "svm", "kernel": "rbf", "gamma": "auto"},
		map[string]any{"kind": "lda"},
	}
	params := map[string]any{"members": members}
	if probs := Check("qbc", params, learners.Capabilities{Decision: true}); len(probs) > 0 {
		t.Fatal(probs)
	}
	s := mustNew("qbc", params).(*qbc)
	if len(s.members) != 4 || s.bootstrap {
		t.Fatalf("members %d, bootstrap %v", len(s.members), s.bootstrap)
	}
	q := Query{Pool: pool, Unlabeled: unlabeled, Labeled: labeled, Labels: labels, Classes: 2, Batch: 3, Rand: rng}
	got, err := s.Select(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("picked %v", got)
	}
	// A pick is a point the committee disagrees on: its vote entropy is positive,
	// and the top score is the largest of all.
	best := slices.Max(s.scores)
	if best <= 0 {
		t.Errorf("no disagreement at all: scores %v", s.scores)
	}
	// A kl committee with an SVM member without probabilities is refused, at the member.
	probs := Check("qbc", map[string]any{"members": members, "measure": "kl"}, learners.Capabilities{Probs: true})
	if len(probs) != 2 || probs[0].Key != "params.members[1].kind" || probs[1].Key != "params.members[2].kind" {
		t.Errorf("kl with svm members: %v", probs)
	}
	// A bad member is reported with its position.
	probs = Check("qbc", map[string]any{"members": []any{map[string]any{"kind": "svm", "C": -1}, map[string]any{"kind": "knn"}}}, learners.Capabilities{Probs: true})
	if len(probs) != 1 || probs[0].Key != "params.members[0].C" {
		t.Errorf("bad member: %v", probs)
	}
}
