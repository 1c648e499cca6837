package nets

import (
	"math/rand/v2"
	"testing"
)

// Drawing the dropout masks of one 64-row chunk of a 20-32-16-2 net (48 units a
// row), the part of MCProbs that is not matrix products: rule=v1 is the
// drawing before the chunk rule (two units per 64-bit draw, one rng draw per
// row), rule=chunk16 today's.
func BenchmarkDrawMasks(b *testing.B) {
	n, err := New(Spec{Kind: "mlp", Inputs: 20, Hidden: []int{32, 16}, Outputs: 2, Dropout: 0.1})
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	b.Run("rule=v1", func(b *testing.B) {
		for b.Loop() {
			n.drawMasksV1(chunkRows, chunkRows, rng)
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/chunkRows/48, "ns/unit")
	})
	b.Run("rule=chunk16", func(b *testing.B) {
		seed := rng.Uint64()
		for b.Loop() {
			n.drawMasks(chunkRows, chunkRows, seed, 0)
			seed++
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/chunkRows/48, "ns/unit")
	})
}
