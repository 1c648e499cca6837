package nets

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestFitSkipsOnlyUnreadLosses: Fit, which takes the passes before the last
// without their cross-entropies (Net.passGrad), ends with the parameters, loss and
// error of calling EpochRows, which computes every loss, once per epoch: full
// batches, mini-batches and dropout, a run whose logits pass tameLogit while
// staying finite (the loss is then computed, and is finite), and runs that
// diverge in a middle epoch (the same epoch and batch named), in every kernel
// set and mode.
func TestFitSkipsOnlyUnreadLosses(t *testing.T) { forEachMode(t, testFitSkipsOnlyUnreadLosses) }

func testFitSkipsOnlyUnreadLosses(t *testing.T) {
	cases := []struct {
		name  string
		spec  Spec
		ts    TrainSpec
		scale float64 // of the inputs
	}{
		{"full batch", Spec{Kind: "mlp", Inputs: 6, Hidden: []int{8, 5}, Outputs: 2}, TrainSpec{Optimizer: "adam", LR: 1e-2, Epochs: 5}, 1},
		{"dropout", Spec{Kind: "mlp", Inputs: 6, Hidden: []int{8, 5}, Outputs: 3, Dropout: 0.2}, TrainSpec{Optimizer: "adam", LR: 1e-2, Epochs: 5}, 1},
		{"mini-batches", Spec{Kind: "mlp", Inputs: 6, Hidden: []int{8}, Outputs: 4, Dropout: 0.1}, TrainSpec{Optimizer: "sgd", LR: 0.1, Momentum: 0.9, Epochs: 4, BatchSize: 7}, 1},
		{"huge finite logits", Spec{Kind: "logreg", Inputs: 6, Outputs: 2}, TrainSpec{Optimizer: "sgd", LR: 1e-200, Epochs: 3}, 0x1p520},
		{"diverges", Spec{Kind: "mlp", Inputs: 6, Hidden: []int{8, 5}, Outputs: 2}, TrainSpec{Optimizer: "sgd", LR: 1e6, WeightDecay: 1e-4, Epochs: 300}, 1},
		{"diverges in a batch", Spec{Kind: "mlp", Inputs: 6, Hidden: []int{8}, Outputs: 2}, TrainSpec{Optimizer: "sgd", LR: 1e6, WeightDecay: 1e-4, Epochs: 300, BatchSize: 9}, 1},
	}
	for ci, tc := range cases {
		data := rand.New(rand.NewPCG(uint64(ci), 3))
		x := NewMatrix(200, tc.spec.Inputs)
		for i := range x.Data {
			x.Data[i] = tc.scale * data.NormFloat64()
		}
		rows := make([]int, 0, 150)
		for i := range 150 {
			rows = append(rows, (7*i)%200) // listed rows, not in order
		}
		y := make([]int, len(rows))
		for i := range y {
			y[i] = data.IntN(tc.spec.Outputs)
		}
		run := func(fit bool) ([]float64, float64, string) {
			n, err := New(tc.spec)
			if err != nil {
				t.Fatal(err)
			}
			n.Init(rand.New(rand.NewPCG(9, 9)))
			tr, err := NewTrainer(tc.ts)
			if err != nil {
				t.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(4, 4))
			var loss float64
			if fit {
				loss, err = tr.FitRows(context.Background(), n, x, rows, y, rng)
			} else {
				for e := range tc.ts.Epochs {
					if loss, err = tr.EpochRows(n, x, rows, y, rng); err != nil {
						err = fmt.Errorf("epoch %d: %w", e+1, err)
						break
					}
				}
			}
			msg := ""
			if err != nil {
				msg = err.Error()
			}
			return append([]float64(nil), n.Params()...), loss, msg
		}
		wp, wl, we := run(false)
		gp, gl, ge := run(true)
		if ge != we || math.Float64bits(gl) != math.Float64bits(wl) {
			t.Errorf("%s: Fit gave loss %v, error %q; epoch by epoch %v, %q", tc.name, gl, ge, wl, we)
		}
		for i := range wp {
			if math.Float64bits(gp[i]) != math.Float64bits(wp[i]) {
				t.Fatalf("%s: parameter %d is %v after Fit, %v epoch by epoch", tc.name, i, gp[i], wp[i])
			}
		}
		if diverges := tc.ts.LR > 1; diverges != (we != "") {
			t.Errorf("%s: error %q: the case does not test what it says", tc.name, we)
		}
		if tc.scale > 1 && !(math.Abs(wl) > tameLogit && !math.IsInf(wl, 0)) {
			t.Errorf("%s: final loss %v: the logits never left the tame range", tc.name, wl)
		}
	}
}
