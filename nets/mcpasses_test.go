package nets_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"albench/nets"
)

// TestBaldMCPassesMatchMCProbs: MCPasses, which computes the first layer once for
// every pass, gives bit for bit the probabilities of as many MCProbs calls in
// a row on the same stream, and leaves the stream where they leave it; with
// and without dropout, relu and tanh, one and three hidden layers, row counts
// that are not a multiple of a chunk, in every kernel set.
func TestBaldMCPassesMatchMCProbs(t *testing.T) { forEachKernel(t, testMCPassesMatchMCProbs) }

func testMCPassesMatchMCProbs(t *testing.T) {
	specs := []nets.Spec{
		dropout,
		relu,
		{Kind: "mlp", Inputs: 20, Hidden: []int{32, 16}, Outputs: 2, Dropout: 0.1},
		{Kind: "mlp", Inputs: 6, Hidden: []int{9}, Outputs: 4, Activation: "tanh", Dropout: 0.5},
		{Kind: "mlp", Inputs: 3, Hidden: []int{5, 7, 4}, Outputs: 3, Dropout: 1.0 / 3},
		logreg,
	}
	for si, spec := range specs {
		for _, rows := range []int{1, 63, 64, 203} {
			n := newNet(t, spec, uint64(si+1))
			x := randMatrix(rand.New(rand.NewPCG(uint64(rows), 5)), rows, spec.Inputs)
			const T = 5
			want := make([][]float64, T)
			seq := rand.New(rand.NewPCG(7, uint64(si)))
			var p nets.Matrix
			for pass := range T {
				n.MCProbs(x, &p, seq)
				want[pass] = append([]float64(nil), p.Data...)
			}
			shared := rand.New(rand.NewPCG(7, uint64(si)))
			c := n.Classes()
			got := make([][]float64, T)
			for pass := range got {
				got[pass] = make([]float64, rows*c)
			}
			next := 0 // the row the next chunk must start at, pass 0
			n.MCPasses(x, nil, T, shared, func(pass, first int, p []float64) {
				if pass == 0 {
					if first != next {
						t.Fatalf("chunk at row %d, want %d", first, next)
					}
					next = first + len(p)/c
				}
				copy(got[pass][first*c:], p)
			})
			if next != rows {
				t.Fatalf("chunks ended at row %d of %d", next, rows)
			}
			for pass := range got {
				for i := range got[pass] {
					if math.Float64bits(got[pass][i]) != math.Float64bits(want[pass][i]) {
						t.Fatalf("spec %d, %d rows, pass %d: p[%d] = %v, MCProbs %v", si, rows, pass, i, got[pass][i], want[pass][i])
					}
				}
			}
			if seq.Uint64() != shared.Uint64() {
				t.Fatalf("spec %d: MCPasses left the stream elsewhere than MCProbs", si)
			}

			// Listed rows (a permutation of a bigger matrix's, with repeats)
			// give the passes of their gathered copy.
			big := randMatrix(rand.New(rand.NewPCG(uint64(rows), 6)), 2*rows+3, spec.Inputs)
			idx := make([]int, rows)
			for i := range idx {
				idx[i] = (7*i + 3) % big.Rows
			}
			idx[rows-1] = idx[0]
			var g nets.Matrix
			g.Gather(big, idx)
			seq = rand.New(rand.NewPCG(8, uint64(si)))
			for pass := range T {
				n.MCProbs(&g, &p, seq)
				want[pass] = append(want[pass][:0], p.Data...)
			}
			shared = rand.New(rand.NewPCG(8, uint64(si)))
			n.MCPasses(big, idx, T, shared, func(pass, first int, p []float64) { copy(got[pass][first*c:], p) })
			for pass := range got {
				for i := range got[pass] {
					if math.Float64bits(got[pass][i]) != math.Float64bits(want[pass][i]) {
						t.Fatalf("spec %d, %d listed rows, pass %d: p[%d] = %v, MCProbs of the gathered rows %v", si, rows, pass, i, got[pass][i], want[pass][i])
					}
				}
			}
		}
	}
}

// TestMCPassesNoAllocations: in steady state MCPasses reuses its buffers.
func TestMCPassesNoAllocations(t *testing.T) {
	n := newNet(t, dropout, 1)
	x := randMatrix(rand.New(rand.NewPCG(1, 1)), 300, 5)
	rng := rand.New(rand.NewPCG(2, 2))
	sum := 0.0
	each := func(pass, first int, p []float64) { sum += p[0] }
	rows := []int{5, 3, 299, 0, 7}
	if a := testing.AllocsPerRun(5, func() { n.MCPasses(x, nil, 20, rng, each); n.MCPasses(x, rows, 20, rng, each) }); a != 0 {
		t.Errorf("MCPasses: %v allocations per call", a)
	}
}
