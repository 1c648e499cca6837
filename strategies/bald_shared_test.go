package strategies

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"albench/nets"
)

// mcOnly hides a net's MCPasses, so that bald falls back to one MCProbs call
// per pass.
type mcOnly struct{ *nets.Net }

func (m mcOnly) MCPasses() {} // not the mcPasser method: shadows nets.Net's

// TestBaldSharedPassesAreExact: bald on a nets.Net, whose passes share the
// first layer (MCPasses), scores every row with the bits of the unshared
// computation (one MCProbs call per pass) and picks the same rows, for pools
// of several sizes, under every kernel set.
func TestBaldSharedPassesAreExact(t *testing.T) {
	defer nets.SetKernel(nets.Kernel())
	for _, k := range nets.Kernels() {
		if err := nets.SetKernel(k); err != nil {
			t.Fatal(err)
		}
		for _, pool := range []int{1, 70, 333} {
			spec := nets.Spec{Kind: "mlp", Inputs: 6, Hidden: []int{12, 8}, Outputs: 3, Dropout: 0.25}
			net, err := nets.New(spec)
			if err != nil {
				t.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(uint64(pool), 3))
			net.Init(rng)
			x := nets.NewMatrix(pool+5, 6)
			for i := range x.Data {
				x.Data[i] = rng.NormFloat64()
			}
			unlabeled := make([]int, pool)
			for i := range unlabeled {
				unlabeled[i] = i + 5
			}
			run := func(m Model) ([]int, []float64) {
				s := mustNew("bald", map[string]any{"samples": 9}).(*bald)
				q := Query{Pool: x, Unlabeled: unlabeled, Labeled: []int{0, 1, 2, 3, 4}, Labels: []int{0, 1, 2, 0, 1},
					Classes: 3, Model: m, Batch: min(4, pool), Rand: rand.New(rand.NewPCG(11, uint64(pool)))}
				got, err := s.Select(context.Background(), q)
				if err != nil {
					t.Fatal(err)
				}
				return got, slices.Clone(s.scores)
			}
			if _, ok := Model(mcOnly{net}).(mcPasser); ok {
				t.Fatal("mcOnly still offers MCPasses")
			}
			shared, sharedScores := run(net)
			plain, plainScores := run(mcOnly{net})
			if !slices.Equal(shared, plain) {
				t.Errorf("%s, pool %d: shared passes picked %v, unshared %v", k, pool, shared, plain)
			}
			for i := range plainScores {
				if math.Float64bits(sharedScores[i]) != math.Float64bits(plainScores[i]) {
					t.Fatalf("%s, pool %d: score %d = %v shared, %v unshared", k, pool, i, sharedScores[i], plainScores[i])
				}
			}
		}
	}
}
