package strategies

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"albench/nets"
)

// distPools returns pools that stress the fast distance path's recomputation:
// Gaussian rows; small integers (exact ties and duplicate rows); a third of the
// rows duplicated; rows far from the origin (norms ≫ distances, so the expansion
// cancels); a wide dynamic range; and one with a NaN and an infinite row.
func distPools(seed uint64, n, d int) map[string]*nets.Matrix {
	rng := rand.New(rand.NewPCG(seed, 7))
	gauss := func() *nets.Matrix { return randomPool(rng, n, d) }
	pools := map[string]*nets.Matrix{"gauss": gauss()}
	grid := nets.NewMatrix(n, d)
	for i := range grid.Data {
		grid.Data[i] = float64(rng.IntN(3) - 1)
	}
	pools["grid"] = grid
	dup := gauss()
	for i := range n / 3 {
		copy(dup.Row(rng.IntN(n)), dup.Row(i))
	}
	pools["dup"] = dup
	far := gauss()
	for i := range far.Data {
		far.Data[i] = 1e6 + far.Data[i]*1e-3
	}
	pools["far"] = far
	wide := gauss()
	for i := range wide.Data {
		wide.Data[i] *= math.Exp(8 * rng.NormFloat64())
	}
	pools["wide"] = wide
	bad := gauss()
	bad.Row(1)[0] = math.NaN()
	bad.Row(2)[d-1] = math.Inf(1)
	pools["nonfinite"] = bad
	return pools
}

// sameRounds runs a fresh strategy and its reference for three rounds of the
// same queries (the picks of each round labeled before the next) and fails on the
// first round whose picks differ.
func sameRounds(t *testing.T, what string, q Query, fast, ref Strategy) {
	t.Helper()
	for round := range 3 {
		seed := uint64(round + 1)
		q.Rand = rand.New(rand.NewPCG(seed, 3))
		got, err := fast.Select(context.Background(), q)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		q.Rand = rand.New(rand.NewPCG(seed, 3))
		want, err := ref.Select(context.Background(), q)
		if err != nil {
			t.Fatalf("%s: reference: %v", what, err)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("%s round %d: picks %v, the scalar reference picks %v", what, round, got, want)
		}
		for _, r := range got {
			q.Labeled = append(q.Labeled, r)
			q.Labels = append(q.Labels, r%3)
		}
		q.Unlabeled = slices.DeleteFunc(slices.Clone(q.Unlabeled), func(r int) bool { return slices.Contains(got, r) })
	}
}

// distQuery is a query on pool with l labeled rows, a model of embedding width e
// (with embeddings unless feat), and a tie order.
func distQuery(pool *nets.Matrix, l, batch, e int, feat bool, seed uint64) Query {
	rng := rand.New(rand.NewPCG(seed, 11))
	n := pool.Rows
	perm := rng.Perm(n)
	labels := make([]int, l)
	for i := range labels {
		labels[i] = rng.IntN(3)
	}
	var m Model = newLinearModel(pool.Cols, 3, e, rng)
	if feat {
		m = featModel{m.(*linearModel)}
	}
	return Query{Pool: pool, Unlabeled: slices.Sorted(slices.Values(perm[l:])), Labeled: slices.Clone(perm[:l]),
		Labels: labels, Classes: 3, Model: m, Batch: batch, TieRank: permRank(rng, n)}
}

// The fast distance path picks exactly what the scalar code picked, on pools with
// ties, duplicates, cancellation and non-finite rows, on embeddings and on
// standardised features, with and without labeled rows, on every kernel set.
func TestDistancePicksEqualScalar(t *testing.T) {
	defer func(k string) {
		if err := nets.SetKernel(k); err != nil {
			t.Fatal(err)
		}
	}(nets.Kernel())
	for _, kernel := range nets.Kernels() {
		if err := nets.SetKernel(kernel); err != nil {
			t.Fatal(err)
		}
		t.Run(kernel, distancePicksEqualScalar)
	}
}

func distancePicksEqualScalar(t *testing.T) {
	for _, size := range []struct{ n, d int }{{60, 3}, {300, 8}, {700, 20}} {
		for name, pool := range distPools(uint64(size.n), size.n, size.d) {
			for _, l := range []int{0, 1, 17} {
				for _, feat := range []bool{false, true} {
					for _, e := range []int{2, 7} {
						what := fmt.Sprintf("%s n=%d d=%d l=%d feat=%v e=%d", name, size.n, size.d, l, feat, e)
						q := distQuery(pool, l, 9, e, feat, uint64(l+7*e))
						sameRounds(t, "coreset "+what, q, &coreset{}, &refCoreset{})
						if !feat {
							sameRounds(t, "badge "+what, q, &badge{}, &refBadge{})
						}
						if size.n > 300 {
							continue // the scalar references of the all-pairs strategies are slow
						}
						for _, p := range []struct{ k, nn int }{{500, 20}, {4, 3}} {
							sameRounds(t, fmt.Sprintf("typiclust(%d, %d) %s", p.k, p.nn, what), q,
								&typiclust{maxClusters: p.k, neighbors: p.nn}, &refTypiclust{maxClusters: p.k, neighbors: p.nn})
						}
						sameRounds(t, "dwus "+what, q, &dwus{components: 4, measure: entropy}, &refDwus{components: 4, measure: entropy})
						for _, p := range []struct{ delta, purity float64 }{{0, 0.95}, {0, 0.5}, {1.5, 0.95}} {
							sameRounds(t, fmt.Sprintf("probcover(%g, %g) %s", p.delta, p.purity, what), q,
								&probcover{delta: p.delta, purity: p.purity}, &refProbcover{delta: p.delta, purity: p.purity})
						}
					}
				}
			}
		}
	}
}
