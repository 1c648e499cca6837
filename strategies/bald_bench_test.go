package strategies

import (
	"context"
	"math/rand/v2"
	"testing"

	"albench/nets"
)

// One bald query (20 passes) over a 7,000-row pool of a 20-32-16-2 net with
// dropout 0.1, configs/bench.yaml's model.
func BenchmarkBALDQuery7000(b *testing.B) {
	net, err := nets.New(nets.Spec{Kind: "mlp", Inputs: 20, Hidden: []int{32, 16}, Outputs: 2, Dropout: 0.1})
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	net.Init(rng)
	const pool = 7000
	x := nets.NewMatrix(pool, 20)
	for i := range x.Data {
		x.Data[i] = rng.NormFloat64()
	}
	unlabeled := make([]int, pool)
	for i := range unlabeled {
		unlabeled[i] = i
	}
	s := mustNew("bald", map[string]any{"samples": 20})
	q := Query{Pool: x, Unlabeled: unlabeled, Classes: 2, Model: net, Batch: 10, Rand: rng}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Select(context.Background(), q); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/1e6/float64(b.N), "ms/query")
}
