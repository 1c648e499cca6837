package nets

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestGradientFiniteDifferences checks back-propagation (with the weight-decay
// term the optimizers add) against central finite differences of the objective
//
//	f(θ) = L(θ) + (λ/2)‖θ‖².
//
// With dropout, every evaluation draws its masks from a copy of the same stream,
// so f is a fixed function of θ.
func TestGradientFiniteDifferences(t *testing.T) {
	cases := []struct {
		name string
		spec Spec
		wd   float64
	}{
		{"relu", Spec{Kind: "mlp", Inputs: 4, Hidden: []int{6, 5}, Outputs: 3}, 0.01},
		{"tanh", Spec{Kind: "mlp", Inputs: 4, Hidden: []int{6, 5}, Outputs: 3, Activation: "tanh"}, 0.01},
		{"logreg", Spec{Kind: "logreg", Inputs: 4, Outputs: 3}, 0.01},
		{"relu no decay", Spec{Kind: "mlp", Inputs: 4, Hidden: []int{7}, Outputs: 2}, 0},
		{"relu dropout", Spec{Kind: "mlp", Inputs: 4, Hidden: []int{6, 5}, Outputs: 3, Dropout: 0.3}, 0.01},
		{"tanh dropout", Spec{Kind: "mlp", Inputs: 4, Hidden: []int{6, 5}, Outputs: 3, Activation: "tanh", Dropout: 0.3}, 0.01},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			n, err := New(tc.spec)
			if err != nil {
				t.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(3, 4))
			n.Init(rng)
			const rows = 7
			x := randSlice(rng, rows*tc.spec.Inputs)
			y := make([]int, rows)
			for i := range y {
				y[i] = rng.IntN(tc.spec.Outputs)
			}
			masks := func() *rand.Rand {
				if !n.HasDropout() {
					return nil
				}
				return rand.New(rand.NewPCG(5, 6))
			}
			tr, err := NewTrainer(TrainSpec{Optimizer: "sgd", LR: 1, WeightDecay: tc.wd, Epochs: 1})
			if err != nil {
				t.Fatal(err)
			}
			tr.bind(n)
			tr.gradient(n, x, nil, rows, y, masks(), true, false)
			got := append([]float64(nil), tr.grad...)
			// The loss-free pass of the epochs before the last: the same bits.
			if l := tr.gradient(n, x, nil, rows, y, masks(), false, false); l != 0 {
				t.Errorf("gradient without the loss returned %v, want 0 for tame logits", l)
			}
			for i, g := range tr.grad {
				if math.Float64bits(g) != math.Float64bits(got[i]) {
					t.Fatalf("parameter %d: gradient without the loss %v, with it %v", i, g, got[i])
				}
			}

			scratch := make([]float64, len(n.params))
			f := func() float64 {
				l := n.lossGrad(x, nil, rows, y, masks(), scratch)
				return l + tc.wd/2*dot(n.params, n.params)
			}
			const h = 1e-5
			var diff, norm float64
			for i := range n.params {
				old := n.params[i]
				n.params[i] = old + h
				fp := f()
				n.params[i] = old - h
				fm := f()
				n.params[i] = old
				fd := (fp - fm) / (2 * h)
				diff += (got[i] - fd) * (got[i] - fd)
				norm += got[i] * got[i]
			}
			if rel := math.Sqrt(diff / norm); !(rel < 1e-6) {
				t.Fatalf("relative error %.3g between back-propagation and finite differences", rel)
			}
		})
	}
}
