package nets

import (
	"math/rand/v2"
	"testing"
)

// Drawing the dropout masks of one 64-row chunk of a 20-32-16-2 net (48 units a
// row), the part of MCProbs that is not matrix products.
func BenchmarkDrawMasks(b *testing.B) {
	n, err := New(Spec{Kind: "mlp", Inputs: 20, Hidden: []int{32, 16}, Outputs: 2, Dropout: 0.1})
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	for b.Loop() {
		n.drawMasks(chunkRows, chunkRows, rng)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/chunkRows/48, "ns/unit")
}
