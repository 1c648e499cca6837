package nets_test

import (
	"math/rand/v2"
	"testing"

	"albench/nets"
)

// benchNet returns an initialised net of the given widths and rows×inputs data.
func benchNet(b *testing.B, rows int, widths ...int) (*nets.Net, *nets.Matrix, []int) {
	spec := nets.Spec{Kind: "mlp", Inputs: widths[0], Hidden: widths[1 : len(widths)-1], Outputs: widths[len(widths)-1]}
	n := newNet(b, spec, 1)
	rng := rand.New(rand.NewPCG(2, 2))
	return n, randMatrix(rng, rows, spec.Inputs), randLabels(rng, rows, spec.Outputs)
}

func gflops(b *testing.B, flops float64) {
	b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

func benchmarkEpoch(b *testing.B, widths ...int) {
	n, x, y := benchNet(b, 60, widths...)
	tr, err := nets.NewTrainer(nets.TrainSpec{Optimizer: "adam", LR: 1e-3, Epochs: 1})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tr.Epoch(n, x, y, nil); err != nil {
			b.Fatal(err)
		}
	}
	gflops(b, n.TrainFLOPs(x.Rows))
}

// One Adam epoch on 60 labeled rows (full batch), the tutorial's network.
func BenchmarkEpochAdam20x32x16x2(b *testing.B) { benchmarkEpoch(b, 20, 32, 16, 2) }

// One Adam epoch on 60 labeled rows (full batch), a wider ten-class network.
func BenchmarkEpochAdam64x32x16x10(b *testing.B) { benchmarkEpoch(b, 64, 32, 16, 10) }

// Probabilities of a 1000-row pool.
func BenchmarkProbs1000(b *testing.B) {
	n, x, _ := benchNet(b, 1000, 20, 32, 16, 2)
	var out nets.Matrix
	b.ReportAllocs()
	for b.Loop() {
		n.Probs(x, &out)
	}
	gflops(b, n.ForwardFLOPs(x.Rows))
}

// Per-sample gradient norms of a 1000-row pool.
func BenchmarkGradNorms1000(b *testing.B) {
	n, x, _ := benchNet(b, 1000, 20, 32, 16, 2)
	var out nets.Matrix
	b.ReportAllocs()
	for b.Loop() {
		n.GradNorms(x, &out)
	}
	gflops(b, n.GradNormsFLOPs(x.Rows))
}

// One round of the tutorial protocol: a full-batch SGD step on 25 labeled rows,
// then the probabilities of a 690-row pool and a 300-row test set.
func BenchmarkTutorialRound(b *testing.B) {
	n, x, y := benchNet(b, 25, 20, 32, 16, 2)
	rng := rand.New(rand.NewPCG(3, 3))
	pool, test := randMatrix(rng, 690, 20), randMatrix(rng, 300, 20)
	tr, err := nets.NewTrainer(nets.TrainSpec{Optimizer: "sgd", LR: 0.01, Epochs: 1})
	if err != nil {
		b.Fatal(err)
	}
	var p, q nets.Matrix
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tr.Epoch(n, x, y, nil); err != nil {
			b.Fatal(err)
		}
		n.Probs(pool, &p)
		n.Probs(test, &q)
	}
	gflops(b, n.TrainFLOPs(x.Rows)+n.ForwardFLOPs(pool.Rows+test.Rows))
}

// One round's fit of the sound protocol (configs/bench.yaml): 200 full-batch Adam
// epochs, dropout 0.1, on 60 labeled rows listed from a 700-row pool, the
// 20-32-16-2 net; ns/op is the whole fit (200 epochs).
func BenchmarkFitSoundRound(b *testing.B) {
	spec := nets.Spec{Kind: "mlp", Inputs: 20, Hidden: []int{32, 16}, Outputs: 2, Dropout: 0.1}
	n := newNet(b, spec, 1)
	rng := rand.New(rand.NewPCG(2, 2))
	pool := randMatrix(rng, 700, 20)
	rows := rng.Perm(700)[:60]
	y := randLabels(rng, 60, 2)
	tr, err := nets.NewTrainer(nets.TrainSpec{Optimizer: "adam", LR: 1e-2, Epochs: 200})
	if err != nil {
		b.Fatal(err)
	}
	init := append([]float64(nil), n.Params()...)
	b.ReportAllocs()
	for b.Loop() {
		copy(n.Params(), init)
		if _, err := tr.FitRows(b.Context(), n, pool, rows, y, rng); err != nil {
			b.Fatal(err)
		}
	}
	gflops(b, 200*n.TrainFLOPs(len(rows)))
}
