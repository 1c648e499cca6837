package nets

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
)

// kernelMode is one way of running a kernel set (see kernelModes).
type kernelMode struct {
	name string
	set  func() (restore func())
}

// forEachMode runs f under every kernel set and mode this binary can run here.
func forEachMode(t *testing.T, f func(t *testing.T)) {
	defer func(k *kernelSet) { kern = k }(kern)
	for _, k := range available {
		for _, m := range kernelModes(k) {
			kern = k
			restore := m.set()
			t.Run(m.name, f)
			restore()
		}
	}
}

// TestBlockedTrainingIsExact: training in panels of rows gives, bit for bit,
// the weights and losses of training with every row in one panel, whatever
// the panel size: full batches and mini-batches, odd row counts, relu and
// tanh, dropout on and off, SGD and Adam, in every kernel set and mode.
func TestBlockedTrainingIsExact(t *testing.T) { forEachMode(t, testBlockedTrainingIsExact) }

func testBlockedTrainingIsExact(t *testing.T) {
	defer func(c int) { trainCache = c }(trainCache)
	cases := []struct {
		spec Spec
		ts   TrainSpec
		rows int
	}{
		{Spec{Kind: "mlp", Inputs: 20, Hidden: []int{32, 16}, Outputs: 2}, TrainSpec{Optimizer: "adam", LR: 1e-2, Epochs: 3}, 701},
		{Spec{Kind: "mlp", Inputs: 20, Hidden: []int{32, 16}, Outputs: 2, Dropout: 0.1}, TrainSpec{Optimizer: "adam", LR: 1e-2, Epochs: 3}, 1003},
		{Spec{Kind: "mlp", Inputs: 7, Hidden: []int{9}, Outputs: 5, Activation: "tanh", Dropout: 0.3}, TrainSpec{Optimizer: "sgd", LR: 0.1, Momentum: 0.9, WeightDecay: 1e-3, Epochs: 2}, 333},
		{Spec{Kind: "mlp", Inputs: 3, Hidden: []int{5, 6, 3}, Outputs: 3}, TrainSpec{Optimizer: "sgd", LR: 0.1, Epochs: 2, BatchSize: 150}, 517},
		{Spec{Kind: "mlp", Inputs: 3, Hidden: []int{5, 6, 3}, Outputs: 3, Dropout: 0.5}, TrainSpec{Optimizer: "adam", LR: 1e-2, Epochs: 2, BatchSize: 130}, 517},
		{Spec{Kind: "logreg", Inputs: 11, Outputs: 4}, TrainSpec{Optimizer: "adam", LR: 1e-2, Epochs: 2}, 97},
		{Spec{Kind: "mlp", Inputs: 4, Hidden: []int{6}, Outputs: 2}, TrainSpec{Optimizer: "sgd", LR: 0.1, Epochs: 2}, 1},
	}
	for ci, tc := range cases {
		rng := rand.New(rand.NewPCG(uint64(ci), 7))
		x := NewMatrix(tc.rows, tc.spec.Inputs)
		for i := range x.Data {
			x.Data[i] = rng.NormFloat64()
		}
		y := make([]int, tc.rows)
		for i := range y {
			y[i] = rng.IntN(tc.spec.Outputs)
		}
		train := func(cache int) ([]float64, float64) {
			trainCache = cache
			n, err := New(tc.spec)
			if err != nil {
				t.Fatal(err)
			}
			n.Init(rand.New(rand.NewPCG(1, uint64(ci))))
			tr, err := NewTrainer(tc.ts)
			if err != nil {
				t.Fatal(err)
			}
			loss, err := tr.Fit(n, x, y, rand.New(rand.NewPCG(2, uint64(ci))))
			if err != nil {
				t.Fatal(err)
			}
			return n.Params(), loss
		}
		whole, wholeLoss := train(math.MaxInt32) // one panel holds every row
		for _, cache := range []int{1, 2000, 9000, 64 << 10, 128 << 10} {
			got, loss := train(cache)
			if math.Float64bits(loss) != math.Float64bits(wholeLoss) {
				t.Fatalf("case %d, cache %d: loss %v, one panel %v", ci, cache, loss, wholeLoss)
			}
			for i := range got {
				if math.Float64bits(got[i]) != math.Float64bits(whole[i]) {
					t.Fatalf("case %d, cache %d: parameter %d = %v, one panel %v", ci, cache, i, got[i], whole[i])
				}
			}
		}
	}
}

// TestFitRowsIsFitOnGathered: training on listed rows of a bigger matrix
// (a permutation with repeats, or consecutive rows) gives the bits of
// training on their gathered copy, full batch and mini-batches, with and
// without dropout.
func TestFitRowsIsFitOnGathered(t *testing.T) { forEachMode(t, testFitRowsIsFitOnGathered) }

func testFitRowsIsFitOnGathered(t *testing.T) {
	for ci, tc := range []struct {
		spec Spec
		ts   TrainSpec
	}{
		{Spec{Kind: "mlp", Inputs: 5, Hidden: []int{8, 6}, Outputs: 3, Dropout: 0.2}, TrainSpec{Optimizer: "adam", LR: 1e-2, Epochs: 3}},
		{Spec{Kind: "mlp", Inputs: 5, Hidden: []int{8}, Outputs: 2}, TrainSpec{Optimizer: "sgd", LR: 0.1, Momentum: 0.9, Epochs: 3, BatchSize: 40}},
		{Spec{Kind: "mlp", Inputs: 5, Hidden: []int{7}, Outputs: 4, Dropout: 0.5, Activation: "tanh"}, TrainSpec{Optimizer: "adam", LR: 1e-2, Epochs: 2, BatchSize: 33}},
	} {
		rng := rand.New(rand.NewPCG(uint64(ci), 9))
		x := NewMatrix(500, tc.spec.Inputs)
		for i := range x.Data {
			x.Data[i] = rng.NormFloat64()
		}
		rows := make([]int, 311)
		y := make([]int, len(rows))
		for k := range rows {
			rows[k] = (13*k + 5) % x.Rows
			if ci == 0 {
				rows[k] = 150 + k // consecutive rows, which the panels read in place
			}
			y[k] = rng.IntN(tc.spec.Outputs)
		}
		if ci != 0 {
			rows[7] = rows[3]
		}
		var g Matrix
		g.Gather(x, rows)
		train := func(fit func(tr *Trainer, n *Net, r *rand.Rand) (float64, error)) ([]float64, float64) {
			n, err := New(tc.spec)
			if err != nil {
				t.Fatal(err)
			}
			n.Init(rand.New(rand.NewPCG(1, uint64(ci))))
			tr, err := NewTrainer(tc.ts)
			if err != nil {
				t.Fatal(err)
			}
			loss, err := fit(tr, n, rand.New(rand.NewPCG(2, uint64(ci))))
			if err != nil {
				t.Fatal(err)
			}
			return n.Params(), loss
		}
		want, wantLoss := train(func(tr *Trainer, n *Net, r *rand.Rand) (float64, error) { return tr.Fit(n, &g, y, r) })
		got, loss := train(func(tr *Trainer, n *Net, r *rand.Rand) (float64, error) {
			return tr.FitRows(context.Background(), n, x, rows, y, r)
		})
		if math.Float64bits(loss) != math.Float64bits(wantLoss) {
			t.Fatalf("case %d: loss %v, gathered %v", ci, loss, wantLoss)
		}
		for i := range got {
			if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
				t.Fatalf("case %d: parameter %d = %v, gathered %v", ci, i, got[i], want[i])
			}
		}
	}
}
