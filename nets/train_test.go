package nets_test

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"

	"albench/nets"
)

func newTrainer(t testing.TB, spec nets.TrainSpec) *nets.Trainer {
	t.Helper()
	tr, err := nets.NewTrainer(spec)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func TestNewTrainerRejectsBadSpecs(t *testing.T) {
	for _, tc := range []struct {
		spec nets.TrainSpec
		want string
	}{
		{nets.TrainSpec{Optimizer: "rmsprop", LR: 0.1, Epochs: 1}, "optimizer"},
		{nets.TrainSpec{Optimizer: "sgd", LR: 0, Epochs: 1}, "learning rate"},
		{nets.TrainSpec{Optimizer: "sgd", LR: math.NaN(), Epochs: 1}, "learning rate"},
		{nets.TrainSpec{Optimizer: "sgd", LR: 0.1, Momentum: 1, Epochs: 1}, "momentum"},
		{nets.TrainSpec{Optimizer: "sgd", LR: 0.1, WeightDecay: -1, Epochs: 1}, "weight decay"},
		{nets.TrainSpec{Optimizer: "adam", LR: 0.1, Epochs: 0}, "epochs"},
		{nets.TrainSpec{Optimizer: "adam", LR: 0.1, Epochs: 1, BatchSize: -1}, "batch size"},
	} {
		if _, err := nets.NewTrainer(tc.spec); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("NewTrainer(%+v) = %v, want an error about %q", tc.spec, err, tc.want)
		}
	}
}

// tiny is softmax regression on one feature and one row, x = 1, y = 0, from zero
// weights: every gradient can be worked out by hand. Params are W = [w0, w1] and
// b = [b0, b1]; by symmetry they stay [a, −a, a, −a].
func tiny(t *testing.T) (*nets.Net, *nets.Matrix, []int) {
	n, err := nets.New(nets.Spec{Kind: "logreg", Inputs: 1, Outputs: 2})
	if err != nil {
		t.Fatal(err)
	}
	return n, &nets.Matrix{Rows: 1, Cols: 1, Data: []float64{1}}, []int{0}
}

func wantParams(t *testing.T, n *nets.Net, a float64) {
	t.Helper()
	for i, want := range []float64{a, -a, a, -a} {
		if got := n.Params()[i]; !near(got, want, 1e-14) {
			t.Fatalf("parameter %d = %.17g, want %.17g", i, got, want)
		}
	}
}

// TestSGDByHand: lr 0.1, momentum 0.9, weight decay 0.1.
// Step 1: p = (½, ½), g = ∓½, buffer = g, a = 0.1·½ = 0.05.
// Step 2: logits ±0.1, so ∂ℓ/∂z₀ = −s with s = σ(−0.2); g = −s + 0.1·0.05;
// buffer = 0.9·(−½) + g; a = 0.05 − 0.1·buffer = 0.0945 + 0.1·s.
func TestSGDByHand(t *testing.T) { forEachKernel(t, testSGDByHand) }

func testSGDByHand(t *testing.T) {
	n, x, y := tiny(t)
	tr := newTrainer(t, nets.TrainSpec{Optimizer: "sgd", LR: 0.1, Momentum: 0.9, WeightDecay: 0.1, Epochs: 1})
	loss, err := tr.Epoch(n, x, y, nil)
	if err != nil || !near(loss, math.Ln2, 1e-15) {
		t.Fatalf("first loss %v, %v; want log 2", loss, err)
	}
	wantParams(t, n, 0.05)
	if _, err := tr.Epoch(n, x, y, nil); err != nil {
		t.Fatal(err)
	}
	s := 1 / (1 + math.Exp(0.2))
	wantParams(t, n, 0.0945+0.1*s)
}

// TestAdamByHand: lr 0.01, no weight decay.
// Step 1: g = ∓½, m = 0.1g, v = 0.001·¼, so m̂ = g, v̂ = ¼ and
// a₁ = 0.01·½/(½ + 1e−8).
// Step 2: logits ±2a₁, g₀ = −s with s = σ(−4a₁); m = 0.9·(−0.05) − 0.1s,
// v = 0.999·0.00025 + 0.001s², a₂ = a₁ − (0.01/0.19)·m/(√v/√(1−0.999²) + 1e−8).
func TestAdamByHand(t *testing.T) { forEachKernel(t, testAdamByHand) }

func testAdamByHand(t *testing.T) {
	n, x, y := tiny(t)
	tr := newTrainer(t, nets.TrainSpec{Optimizer: "adam", LR: 0.01, Epochs: 1})
	tr.Epoch(n, x, y, nil)
	a1 := 0.01 * 0.5 / (0.5 + 1e-8)
	wantParams(t, n, a1)
	tr.Epoch(n, x, y, nil)
	s := 1 / (1 + math.Exp(4*a1))
	m := 0.9*-0.05 - 0.1*s
	v := 0.999*0.00025 + 0.001*s*s
	wantParams(t, n, a1-(0.01/0.19)*m/(math.Sqrt(v)/math.Sqrt(1-0.999*0.999)+1e-8))

	// Reset forgets the moments and the step count: the next step is a first step.
	tr.Reset()
	n2, _, _ := tiny(t)
	tr.Epoch(n2, x, y, nil)
	wantParams(t, n2, a1)
}

// TestTorchGolden replays PyTorch's SGD and Adam steps on a fixed tiny MLP.
func TestTorchGolden(t *testing.T) { forEachKernel(t, testTorchGolden) }

func testTorchGolden(t *testing.T) {
	raw, err := os.ReadFile("testdata/torch_golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var g struct {
		Inputs, Classes int
		Hidden          []int
		X               []float64
		Y               []int
		Cases           []struct {
			Activation, Optimizer string
			LR, Momentum          float64
			WeightDecay           float64 `json:"weight_decay"`
			Start                 []float64
			Losses                []float64
			Params                [][]float64
		}
	}
	if err := json.Unmarshal(raw, &g); err != nil {
		t.Fatal(err)
	}
	x := &nets.Matrix{Rows: len(g.Y), Cols: g.Inputs, Data: g.X}
	if len(g.Cases) == 0 {
		t.Fatal("no cases")
	}
	for _, c := range g.Cases {
		n, err := nets.New(nets.Spec{Kind: "mlp", Inputs: g.Inputs, Hidden: g.Hidden, Outputs: g.Classes, Activation: c.Activation})
		if err != nil {
			t.Fatal(err)
		}
		copy(n.Params(), c.Start)
		tr := newTrainer(t, nets.TrainSpec{Optimizer: c.Optimizer, LR: c.LR, Momentum: c.Momentum, WeightDecay: c.WeightDecay, Epochs: 1})
		for s, want := range c.Losses {
			loss, err := tr.Epoch(n, x, g.Y, nil)
			if err != nil || !near(loss, want, 1e-13) {
				t.Fatalf("%s %s step %d: loss %.17g, %v; torch %.17g", c.Activation, c.Optimizer, s+1, loss, err, want)
			}
			for i, w := range c.Params[s] {
				if got := n.Params()[i]; !near(got, w, 1e-13) {
					t.Fatalf("%s %s (momentum %v) step %d: parameter %d = %.17g, torch %.17g",
						c.Activation, c.Optimizer, c.Momentum, s+1, i, got, w)
				}
			}
		}
	}
}

// blobs draws a separable two-class problem: Gaussian clouds around ±1.5 on
// every axis.
func blobs(rng *rand.Rand, rows, dim int) (*nets.Matrix, []int) {
	x := nets.NewMatrix(rows, dim)
	y := make([]int, rows)
	for i := range y {
		y[i] = i % 2
		for j := range dim {
			x.Row(i)[j] = rng.NormFloat64() + 3*float64(y[i]) - 1.5
		}
	}
	return x, y
}

func accuracy(n *nets.Net, x *nets.Matrix, y []int) float64 {
	var p nets.Matrix
	n.Probs(x, &p)
	right := 0
	for i, c := range y {
		if p.Row(i)[c] > 0.5 {
			right++
		}
	}
	return float64(right) / float64(len(y))
}

func TestTrainingSeparates(t *testing.T) { forEachKernel(t, testTrainingSeparates) }

func testTrainingSeparates(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	x, y := blobs(rng, 200, 4)
	tx, ty := blobs(rng, 400, 4)
	mlp := nets.Spec{Kind: "mlp", Inputs: 4, Hidden: []int{16, 8}, Outputs: 2}
	drop := mlp
	drop.Dropout = 0.2
	tanhS := mlp
	tanhS.Activation = "tanh"
	for _, tc := range []struct {
		name string
		net  nets.Spec
		tr   nets.TrainSpec
	}{
		{"sgd full", mlp, nets.TrainSpec{Optimizer: "sgd", LR: 0.1, Momentum: 0.9, Epochs: 60}},
		{"sgd mini", mlp, nets.TrainSpec{Optimizer: "sgd", LR: 0.05, Epochs: 20, BatchSize: 16}},
		{"adam full", mlp, nets.TrainSpec{Optimizer: "adam", LR: 0.01, Epochs: 60}},
		{"adam mini dropout", drop, nets.TrainSpec{Optimizer: "adam", LR: 0.01, WeightDecay: 1e-3, Epochs: 20, BatchSize: 16}},
		{"adam tanh", tanhS, nets.TrainSpec{Optimizer: "adam", LR: 0.01, Epochs: 60}},
		{"logreg sgd", nets.Spec{Kind: "logreg", Inputs: 4, Outputs: 2}, nets.TrainSpec{Optimizer: "sgd", LR: 0.5, Epochs: 60}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := newNet(t, tc.net, 3)
			tr := newTrainer(t, tc.tr)
			first, err := tr.Epoch(n, x, y, rng)
			if err != nil {
				t.Fatal(err)
			}
			last, err := tr.Fit(n, x, y, rng)
			if err != nil {
				t.Fatal(err)
			}
			if !(last < first/2) {
				t.Errorf("loss went from %v to %v", first, last)
			}
			if a := accuracy(n, tx, ty); a < 0.95 {
				t.Errorf("test accuracy %v", a)
			}
		})
	}
}

// TestDivergenceIsAnError: cross-entropy gradients are bounded, so a huge step
// alone only makes the loss large; lr 1e6 with weight decay 1e-4 multiplies the
// weights by about −99 per step (1 − lr·λ) until they overflow.
func TestDivergenceIsAnError(t *testing.T) { forEachKernel(t, testDivergenceIsAnError) }

func testDivergenceIsAnError(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	x, y := blobs(rng, 50, 4)
	for name, spec := range map[string]nets.Spec{
		"relu":   {Kind: "mlp", Inputs: 4, Hidden: []int{16, 8}, Outputs: 2},
		"logreg": {Kind: "logreg", Inputs: 4, Outputs: 2},
	} {
		n := newNet(t, spec, 1)
		tr := newTrainer(t, nets.TrainSpec{Optimizer: "sgd", LR: 1e6, WeightDecay: 1e-4, Epochs: 300, BatchSize: 10})
		if loss, err := tr.Fit(n, x, y, rng); !errors.Is(err, nets.ErrDiverged) {
			t.Errorf("%s: loss %v, error %v; want ErrDiverged", name, loss, err)
		}
	}

	// A non-finite forward pass is caught before its update.
	n := newNet(t, relu, 1)
	before := slices.Clone(n.Params())
	huge := nets.NewMatrix(3, 5)
	for i := range huge.Data {
		huge.Data[i] = math.Inf(1)
	}
	tr := newTrainer(t, nets.TrainSpec{Optimizer: "adam", LR: 0.01, Epochs: 1})
	if _, err := tr.Fit(n, huge, []int{0, 1, 2}, nil); !errors.Is(err, nets.ErrDiverged) {
		t.Errorf("infinite input: error %v; want ErrDiverged", err)
	}
	if !slices.Equal(n.Params(), before) {
		t.Error("a diverged step updated the weights")
	}
}

// TestEpochLoss: an epoch reports the mean loss over its samples before their
// update; with a negligible step that is the loss of the whole set.
func TestEpochLoss(t *testing.T) { forEachKernel(t, testEpochLoss) }

func testEpochLoss(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	x, y := blobs(rng, 100, 5)
	for i := range y {
		y[i] = rng.IntN(3) // labels the net cannot fit: losses vary by batch
	}
	n := newNet(t, relu, 4)
	want := n.Loss(x, y)
	full := newTrainer(t, nets.TrainSpec{Optimizer: "sgd", LR: 0.5, Epochs: 1})
	if got, _ := full.Epoch(n.Clone(), x, y, nil); got != want {
		t.Errorf("full-batch epoch loss %v, Loss %v", got, want)
	}
	mini := newTrainer(t, nets.TrainSpec{Optimizer: "sgd", LR: 1e-12, Epochs: 1, BatchSize: 32})
	if got, _ := mini.Epoch(n.Clone(), x, y, rng); !near(got, want, 1e-9) {
		t.Errorf("mini-batch epoch loss %v, Loss %v", got, want)
	}
}

// TestShuffling: mini-batches depend only on the stream; a full batch draws
// nothing from it.
func TestShuffling(t *testing.T) { forEachKernel(t, testShuffling) }

func testShuffling(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	x, y := blobs(rng, 100, 5)
	fit := func(spec nets.TrainSpec, seed uint64) (*nets.Net, *rand.Rand) {
		n := newNet(t, relu, 1)
		r := rand.New(rand.NewPCG(seed, 0))
		if _, err := newTrainer(t, spec).Fit(n, x, y, r); err != nil {
			t.Fatal(err)
		}
		return n, r
	}
	mini := nets.TrainSpec{Optimizer: "sgd", LR: 0.1, Epochs: 3, BatchSize: 10}
	a, _ := fit(mini, 1)
	b, _ := fit(mini, 1)
	c, _ := fit(mini, 2)
	if !slices.Equal(a.Params(), b.Params()) || slices.Equal(a.Params(), c.Params()) {
		t.Error("mini-batch training is not a function of the stream")
	}
	_, r := fit(nets.TrainSpec{Optimizer: "sgd", LR: 0.1, Epochs: 3}, 1)
	if r.Uint64() != rand.New(rand.NewPCG(1, 0)).Uint64() {
		t.Error("full-batch training drew from the stream")
	}
}

func TestTrainerShapeIsFixedUntilReset(t *testing.T) {
	x, y := blobs(rand.New(rand.NewPCG(1, 1)), 20, 5)
	tr := newTrainer(t, nets.TrainSpec{Optimizer: "adam", LR: 0.01, Epochs: 1})
	tr.Epoch(newNet(t, relu, 1), x, y, nil)
	func() {
		defer func() {
			if r := recover(); r == nil {
				t.Error("a trainer sized for one shape trained another")
			}
		}()
		tr.Epoch(newNet(t, logreg, 1), x, y, nil)
	}()
	tr.Reset()
	if _, err := tr.Epoch(newNet(t, logreg, 1), x, y, nil); err != nil {
		t.Fatal(err)
	}
}

// TestTrainerClone: a clone carries the optimizer state (moments, step count,
// momentum buffer), so training it and the original further from copies of the
// same net gives the same bits, and neither disturbs the other.
func TestTrainerClone(t *testing.T) { forEachKernel(t, testTrainerClone) }

func testTrainerClone(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	x, y := blobs(rng, 40, 5)
	for _, ts := range []nets.TrainSpec{
		{Optimizer: "adam", LR: 0.01, WeightDecay: 1e-3, Epochs: 3},
		{Optimizer: "sgd", LR: 0.05, Momentum: 0.9, Epochs: 3},
		{Optimizer: "adam", LR: 0.01, Epochs: 2, BatchSize: 16},
	} {
		n := newNet(t, dropout, 1)
		tr := newTrainer(t, ts)
		if _, err := tr.Fit(n, x, y, rand.New(rand.NewPCG(1, 1))); err != nil {
			t.Fatal(err)
		}
		n2, tr2 := n.Clone(), tr.Clone()
		fresh := newTrainer(t, ts) // no state: must diverge from the clone
		n3 := n.Clone()

		if _, err := tr.Fit(n, x, y, rand.New(rand.NewPCG(2, 2))); err != nil {
			t.Fatal(err)
		}
		// The original trained first: had they shared state, the clone would
		// now start from moved moments.
		if _, err := tr2.Fit(n2, x, y, rand.New(rand.NewPCG(2, 2))); err != nil {
			t.Fatal(err)
		}
		if _, err := fresh.Fit(n3, x, y, rand.New(rand.NewPCG(2, 2))); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(n.Params(), n2.Params()) {
			t.Errorf("%+v: clone and original trained to different weights", ts)
		}
		if slices.Equal(n.Params(), n3.Params()) {
			t.Errorf("%+v: a fresh trainer matched the clone: the state was not exercised", ts)
		}
	}
}
