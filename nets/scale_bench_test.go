package nets

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// scaleRows are the pool sizes of issue 16's skyline measurements.
var scaleRows = []int{700, 7000, 70000, 350000}

// benchmarkFullBatch times one full-batch Adam epoch of a 20-32-16-2 net over
// each of scaleRows, reporting ns per row-epoch and GFLOP/s of the matrix
// products (TrainFLOPs).
//
// blocked=false puts every row in one panel, as training did before it was
// blocked, so both run side by side under the same load.
func benchmarkFullBatch(b *testing.B, dropout float64) {
	defer func(c int) { trainCache = c }(trainCache)
	cache := trainCache
	for _, rows := range scaleRows {
		for _, blocked := range []bool{false, true} {
			b.Run(fmt.Sprintf("rows=%d/blocked=%v", rows, blocked), func(b *testing.B) {
				trainCache = math.MaxInt32
				if blocked {
					trainCache = cache
				}
				timeFullBatchEpoch(b, rows, dropout)
			})
		}
	}
}

// timeFullBatchEpoch times one full-batch Adam epoch of a 20-32-16-2 net on
// rows random rows under the current kernel set and trainCache, reporting ns
// per row-epoch and GFLOP/s (TrainFLOPs).
func timeFullBatchEpoch(b *testing.B, rows int, dropout float64) {
	spec := Spec{Kind: "mlp", Inputs: 20, Hidden: []int{32, 16}, Outputs: 2, Dropout: dropout}
	n := benchNewNet(b, spec)
	rng := rand.New(rand.NewPCG(2, 2))
	x, y := benchMatrix(rng, rows, 20), benchLabels(rng, rows, 2)
	tr, err := NewTrainer(TrainSpec{Optimizer: "adam", LR: 1e-3, Epochs: 1})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tr.Epoch(n, x, y, rng); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(rows), "ns/row-epoch")
	benchGFLOPs(b, n.TrainFLOPs(rows))
}

// One full-batch epoch of the skyline's shape, without dropout.
func BenchmarkFullBatchEpoch(b *testing.B) { benchmarkFullBatch(b, 0) }

// One full-batch epoch of the skyline's shape with dropout 0.1 (configs/bench.yaml).
func BenchmarkFullBatchEpochDropout(b *testing.B) { benchmarkFullBatch(b, 0.1) }

// One MC-dropout pass (dropout 0.1) over a 7,000-row pool, as bald runs 20 of.
func BenchmarkMCProbs7000(b *testing.B) {
	spec := Spec{Kind: "mlp", Inputs: 20, Hidden: []int{32, 16}, Outputs: 2, Dropout: 0.1}
	n := benchNewNet(b, spec)
	rng := rand.New(rand.NewPCG(2, 2))
	x := benchMatrix(rng, 7000, 20)
	var out Matrix
	b.ReportAllocs()
	for b.Loop() {
		n.MCProbs(x, &out, rng)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/7000, "ns/row")
	benchGFLOPs(b, n.ForwardFLOPs(x.Rows))
}

// Evaluation-mode probabilities over the same pool, the cost MCProbs is
// compared with.
func BenchmarkProbs7000(b *testing.B) {
	spec := Spec{Kind: "mlp", Inputs: 20, Hidden: []int{32, 16}, Outputs: 2, Dropout: 0.1}
	n := benchNewNet(b, spec)
	rng := rand.New(rand.NewPCG(2, 2))
	x := benchMatrix(rng, 7000, 20)
	var out Matrix
	b.ReportAllocs()
	for b.Loop() {
		n.Probs(x, &out)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/7000, "ns/row")
	benchGFLOPs(b, n.ForwardFLOPs(x.Rows))
}

func benchNewNet(b *testing.B, spec Spec) *Net {
	n, err := New(spec)
	if err != nil {
		b.Fatal(err)
	}
	n.Init(rand.New(rand.NewPCG(1, 99)))
	return n
}

func benchMatrix(rng *rand.Rand, rows, cols int) *Matrix {
	m := NewMatrix(rows, cols)
	for i := range m.Data {
		m.Data[i] = rng.NormFloat64()
	}
	return m
}

func benchLabels(rng *rand.Rand, rows, classes int) []int {
	y := make([]int, rows)
	for i := range y {
		y[i] = rng.IntN(classes)
	}
	return y
}

func benchGFLOPs(b *testing.B, flops float64) {
	b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}
