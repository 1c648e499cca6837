package learners

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"albench/nets"
)

// blobs3 is a small 3-class problem: Gaussian blobs around three centres.
func blobs3(n int, seed uint64) (*nets.Matrix, []int) {
	rng := rand.New(rand.NewPCG(seed, 1))
	x := nets.NewMatrix(n, 4)
	y := make([]int, n)
	for i := range n {
		y[i] = i % 3
		for j := range 4 {
			x.Data[i*4+j] = rng.NormFloat64() + 2.5*float64((y[i]+j)%3)
		}
	}
	return x, y
}

// specs lists one spec of every registered kind, with settings that train fast.
var specs = []map[string]any{
	{"kind": "mlp", "hidden": []any{8}, "train": map[string]any{"optimizer": "adam", "epochs": 50}},
	{"kind": "mlp", "hidden": []any{8}, "dropout": 0.2, "train": map[string]any{"optimizer": "adam", "epochs": 20, "warm_start": true}},
	{"kind": "logreg", "train": map[string]any{"optimizer": "adam", "lr": 0.1, "epochs": 50}},
	{"kind": "logreg", "solver": "lbfgs", "C": 0.5},
	{"kind": "svm", "C": 1, "gamma": "auto"},
	{"kind": "svm", "kernel": "linear", "probability": true},
	{"kind": "random_forest", "n_estimators": 10},
	{"kind": "knn", "n_neighbors": 3, "weights": "distance"},
	{"kind": "gaussian_nb"},
	{"kind": "lda"},
}

func TestEveryKindHasASpecHere(t *testing.T) {
	var kinds []string
	for _, s := range specs {
		kinds = append(kinds, s["kind"].(string))
	}
	for _, k := range Kinds() {
		if k == "external" {
			continue // a plugin trains only in sessions: external_test.go runs it
		}
		if !slices.Contains(kinds, k) {
			t.Errorf("kind %s is not exercised by TestEveryLearnerLearnsAndKeepsItsContract", k)
		}
	}
}

// Every learner, built from its spec by the registry, learns an easy problem, offers
// exactly the capabilities the registry declares, and its session gives the same
// predictions as a fresh Fit on the same rows on the first round.
func TestEveryLearnerLearnsAndKeepsItsContract(t *testing.T) {
	x, y := blobs3(150, 7)
	xt, yt := blobs3(90, 8)
	for _, spec := range specs {
		r, probs := Resolve(spec)
		if len(probs) > 0 {
			t.Fatalf("%v: %v", spec, probs)
		}
		l, err := New(spec)
		if err != nil {
			t.Fatal(err)
		}
		caps := Caps(r)
		if l.Caps() != caps {
			t.Errorf("%v: learner caps %+v, registry %+v", spec, l.Caps(), caps)
		}
		m, err := l.Fit(context.Background(), x, y, 3, rand.New(rand.NewPCG(1, 2)))
		if err != nil {
			t.Fatalf("%v: %v", spec, err)
		}
		if m.Classes() != 3 {
			t.Errorf("%v: %d classes", spec, m.Classes())
		}
		_, isProber := m.(Prober)
		_, isDecider := m.(Decider)
		_, isMC := m.(MCSampler)
		if isProber != caps.Probs || isDecider != caps.Decision || (caps.MCDropout && !isMC) {
			t.Errorf("%v: model implements probs %v decision %v mc %v, caps %+v", spec, isProber, isDecider, isMC, caps)
		}
		pred := predict(t, m, xt)
		correct := 0
		for i, p := range pred {
			if p == yt[i] {
				correct++
			}
		}
		if acc := float64(correct) / float64(len(yt)); acc < 0.8 {
			t.Errorf("%v: test accuracy %.3f on an easy problem", spec, acc)
		}
		if isProber {
			var p nets.Matrix
			m.(Prober).Probs(xt, &p)
			for i := range p.Rows {
				var sum float64
				for _, v := range p.Row(i) {
					sum += v
				}
				if math.Abs(sum-1) > 1e-9 {
					t.Fatalf("%v: probabilities of row %d sum to %v", spec, i, sum)
				}
			}
		}
		// A session's first round is a fit on the gathered rows.
		rows := make([]int, x.Rows)
		for i := range rows {
			rows[i] = i
		}
		sess, err := l.NewSession(x, []*nets.Matrix{xt}, 3, rand.New(rand.NewPCG(1, 2)))
		if err != nil {
			t.Fatal(err)
		}
		sm, err := sess.Fit(context.Background(), rows, y, rand.New(rand.NewPCG(1, 2)))
		if err != nil {
			t.Fatal(err)
		}
		if got := predict(t, sm, xt); !slices.Equal(got, pred) && r["kind"] != "mlp" {
			// A net's session draws its initial weights from the session's own
			// stream, so only the non-net learners must agree exactly.
			t.Errorf("%v: session predictions differ from Fit's", spec)
		}
	}
}

func predict(t *testing.T, m Model, x *nets.Matrix) []int {
	t.Helper()
	out := make([]int, x.Rows)
	switch m := m.(type) {
	case Predictor:
		m.Predict(x, out)
	case Prober:
		var p nets.Matrix
		m.Probs(x, &p)
		for i := range out {
			out[i] = argmaxRow(p.Row(i))
		}
	case Decider:
		var d nets.Matrix
		m.Decision(x, &d)
		for i := range out {
			out[i] = argmaxRow(d.Row(i))
		}
	default:
		t.Fatalf("model %T predicts nothing", m)
	}
	return out
}

func argmaxRow(v []float64) int {
	best := 0
	for i, x := range v {
		if x > v[best] {
			best = i
		}
	}
	return best
}

func TestCancelledFitReturnsTheContextError(t *testing.T) {
	x, y := blobs3(60, 3)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	l, err := New(map[string]any{"kind": "mlp", "train": map[string]any{"epochs": 1000}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Fit(ctx, x, y, 3, rand.New(rand.NewPCG(1, 1))); err != context.Canceled {
		t.Errorf("cancelled fit: %v", err)
	}
}

// A two-class SVM session's maintained values (what strategies and the test score
// read) agree with the model computed afresh, round after round, with and without
// probabilities.
func TestSVMSessionValuesMatchTheModel(t *testing.T) {
	x, y3 := blobs3(120, 11)
	xt, _ := blobs3(60, 12)
	y := make([]int, len(y3))
	for i, c := range y3 {
		y[i] = min(c, 1) // classes 1 and 2 merged: a two-class problem
	}
	for _, prob := range []bool{false, true} {
		l, err := New(map[string]any{"kind": "svm", "gamma": "auto", "probability": prob})
		if err != nil {
			t.Fatal(err)
		}
		sess, err := l.NewSession(x, []*nets.Matrix{xt}, 2, nil)
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(5, 6))
		perm := rng.Perm(x.Rows)
		for n := 12; n <= 60; n += 4 {
			labeled := perm[:n]
			labels := make([]int, n)
			for i, r := range labeled {
				labels[i] = y[r]
			}
			m, err := sess.Fit(context.Background(), labeled, labels, rng)
			if err != nil {
				t.Fatal(err)
			}
			es := m.(EvalScorer)
			got := make([]int, xt.Rows)
			es.EvalPredict(0, got)
			want := make([]int, xt.Rows)
			m.(Predictor).Predict(xt, want)
			if !slices.Equal(got, want) {
				t.Fatalf("probability %v, %d labels: maintained predictions differ from Predict", prob, n)
			}
			var pd, d nets.Matrix
			rest := perm[n:]
			m.(PoolDecider).PoolDecision(rest, &pd)
			var xr nets.Matrix
			xr.Gather(x, rest)
			m.(Decider).Decision(&xr, &d)
			for i := range pd.Data {
				if math.Abs(pd.Data[i]-d.Data[i]) > 1e-9*max(1, math.Abs(d.Data[i])) {
					t.Fatalf("probability %v, %d labels: pool decision %v, model %v", prob, n, pd.Data[i], d.Data[i])
				}
			}
			var ep nets.Matrix
			if es.EvalProbs(0, &ep) != prob {
				t.Fatalf("EvalProbs ok = %v with probability %v", !prob, prob)
			}
			if _, isProber := m.(Prober); isProber != prob {
				t.Fatalf("Prober %v with probability %v", isProber, prob)
			}
		}
	}
}
