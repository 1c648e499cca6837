package strategies

import (
	"albench/learners"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"albench/nets"
	"albench/streams"
)

// The real network offers every capability the strategies ask for.
var (
	_ Model                 = (*nets.Net)(nil)
	_ learners.Embedder     = (*nets.Net)(nil)
	_ learners.GradEmbedder = (*nets.Net)(nil)
	_ learners.GradNormer   = (*nets.Net)(nil)
	_ learners.MCSampler    = (*nets.Net)(nil)
)

const (
	aliasPoints  = 150
	aliasInitial = 6
	aliasBatch   = 3
	aliasRounds  = 4
)

// blobs returns three overlapping 2-D Gaussian blobs of n/3 points each.
func blobs(rng *rand.Rand, n int) (*nets.Matrix, []int) {
	centres := [][2]float64{{0, 0}, {2.5, 0}, {1.25, 2.2}}
	x := nets.NewMatrix(n, 2)
	y := make([]int, n)
	for i := range n {
		c := i % 3
		y[i] = c
		x.Data[2*i] = centres[c][0] + rng.NormFloat64()
		x.Data[2*i+1] = centres[c][1] + rng.NormFloat64()
	}
	return x, y
}

var (
	aliasSpec  = nets.Spec{Kind: "mlp", Inputs: 2, Hidden: []int{16}, Outputs: 3, Dropout: 0.2}
	aliasTrain = nets.TrainSpec{Optimizer: "adam", LR: 0.02, Epochs: 15}
)

// newNet returns an initialised network and a trainer for it.
func newNet(t *testing.T, rng *rand.Rand) (*nets.Net, *nets.Trainer) {
	net, err := nets.New(aliasSpec)
	if err != nil {
		t.Fatal(err)
	}
	net.Init(rng)
	tr, err := nets.NewTrainer(aliasTrain)
	if err != nil {
		t.Fatal(err)
	}
	return net, tr
}

// aliasTrial runs a short active-learning loop, warm-starting one network, and
// returns the rows the strategy queried, in order.
func aliasTrial(t *testing.T, seed int, name string, params map[string]any) []int {
	key := streams.Seed(seed)
	x, y := blobs(streams.New("alias", key, "data"), aliasPoints)
	order := streams.New("alias", key, "initial").Perm(aliasPoints)
	labeled := slices.Clone(order[:aliasInitial])
	unlabeled := slices.Sorted(slices.Values(order[aliasInitial:]))
	net, tr := newNet(t, streams.New("alias", key, "init"))

	// Training and strategy streams depend on the seed alone, not the strategy, so
	// that two strategies with the same code would produce the same sequence.
	label := fmt.Sprint(name, params)
	trainRng := streams.New("alias", key, "train")
	fit := func(ctx context.Context, x *nets.Matrix, y []int, rng *rand.Rand) (Model, error) {
		m, tr := newNet(t, rng)
		_, err := tr.Fit(m, x, y, rng)
		return m, err
	}
	s := mustNew(name, params)
	q := Query{Pool: x, Classes: 3, Fit: fit, Batch: aliasBatch, Model: net,
		Rand: streams.New("alias", key, "strategy")}
	if IsOracle(name) {
		tx, ty := blobs(streams.New("alias", key, "test"), aliasPoints)
		q.Oracle = &Oracle{Test: tx, TestY: ty, PoolY: y}
	}
	var xl nets.Matrix
	var queried []int
	for range aliasRounds {
		labels := make([]int, len(labeled))
		for i, r := range labeled {
			labels[i] = y[r]
		}
		xl.Gather(x, labeled)
		if _, err := tr.Fit(net, &xl, labels, trainRng); err != nil {
			t.Fatal(err)
		}
		q.Labeled, q.Labels, q.Unlabeled = labeled, labels, unlabeled
		got, err := s.Select(context.Background(), q)
		if err != nil {
			t.Fatalf("%s seed %d: %v", label, seed, err)
		}
		queried = append(queried, got...)
		labeled = append(labeled, got...)
		unlabeled = slices.DeleteFunc(unlabeled, func(r int) bool { return slices.Contains(got, r) })
	}
	return queried
}

// TestNoAliases runs every strategy on a real network over three seeds and fails if
// two of them query the same rows in the same order on every seed: a strategy wired
// to another's code, or one whose score collapses to another's, would.
func TestNoAliases(t *testing.T) {
	type run struct {
		label string
		seqs  [][]int
	}
	var runs []run
	for _, v := range variants {
		r := run{label: fmt.Sprint(v.name, v.params)}
		for seed := range 3 {
			r.seqs = append(r.seqs, aliasTrial(t, seed, v.name, v.params))
		}
		runs = append(runs, r)
	}
	for i, a := range runs {
		for _, b := range runs[i+1:] {
			same := 0
			for k := range a.seqs {
				if slices.Equal(a.seqs[k], b.seqs[k]) {
					same++
				}
			}
			switch same {
			case len(a.seqs):
				t.Errorf("%s and %s query the same rows on every seed: %v", a.label, b.label, a.seqs)
			case 0:
			default:
				t.Logf("%s and %s agree on %d of %d seeds", a.label, b.label, same, len(a.seqs))
			}
		}
	}
}
