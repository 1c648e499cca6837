package strategies

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"albench/nets"
)

// denseOnly hides a net's factored gradient embeddings (GradEmbedFactorsRows):
// badge then reads the dense GradEmbedRows, K = 1, coef = 1 and h = g.
type denseOnly struct{ *nets.Net }

func (denseOnly) GradEmbedFactorsRows() {} // not the gradFactorer method: shadows nets.Net's

// TestBadgeFactoredPicksEqualDense: badge on a net's factored gradient
// embeddings (coef and h, K + E numbers a row) picks, round after round, what
// the frozen scalar reference picks on the dense g, and what badge picks on the
// dense g itself (in place and gathered), for two, three and ten classes, on
// pools with duplicated rows, NaN and infinite rows, a pool of one repeated row
// (every norm and every distance ties: the picks come from Query.TieRank), and
// a net whose output layer is zero (every class ties, ŷ = 0, one coef for all
// rows), under every kernel set.
func TestBadgeFactoredPicksEqualDense(t *testing.T) {
	if _, ok := Model(&nets.Net{}).(gradFactorer); !ok {
		t.Fatal("*nets.Net does not offer the factored gradient embeddings badge reads")
	}
	for _, m := range []Model{denseOnly{}, gatheredDense{}} {
		if _, ok := m.(gradFactorer); ok {
			t.Fatalf("%T still offers GradEmbedFactorsRows", m)
		}
	}
	if _, ok := Model(gatheredDense{}).(rowsGradEmbedder); ok {
		t.Fatal("gatheredDense still offers GradEmbedRows")
	}
	defer nets.SetKernel(nets.Kernel())
	for _, kernel := range nets.Kernels() {
		if err := nets.SetKernel(kernel); err != nil {
			t.Fatal(err)
		}
		for _, classes := range []int{2, 3, 10} {
			for _, n := range []int{50, 333} {
				for name, pool := range badgePools(uint64(n+classes), n, 6) {
					for _, zeroOut := range []bool{false, true} {
						net := badgeNet(t, classes, uint64(classes), zeroOut)
						what := fmt.Sprintf("kernel %s, %d classes, pool %s (%d rows), zero output layer %v", kernel, classes, name, n, zeroOut)
						q := badgeQuery(pool, classes, net, uint64(n))
						sameRounds(t, what+": factored against the scalar reference", q, &badge{}, &refBadge{})
						factored := roundsPicks(t, q, &badge{})
						q.Model = denseOnly{net}
						if dense := roundsPicks(t, q, &badge{}); !slices.Equal(factored, dense) {
							t.Fatalf("%s: factored picks %v, dense %v", what, factored, dense)
						}
						q.Model = gatheredDense{gatheredOnly{net}}
						if dense := roundsPicks(t, q, &badge{}); !slices.Equal(factored, dense) {
							t.Fatalf("%s: factored picks %v, dense on gathered rows %v", what, factored, dense)
						}
					}
				}
			}
		}
	}
}

// gatheredDense hides a net's GradEmbedFactorsRows and GradEmbedRows: badge
// gathers the unlabeled rows and reads GradEmbed on them, K = 1.
type gatheredDense struct{ gatheredOnly }

func (gatheredDense) GradEmbedFactorsRows() {}

// roundsPicks returns the picks of three rounds of a fresh-state strategy s on q
// (the picks of each round labeled before the next), each round from its own
// stream.
func roundsPicks(t *testing.T, q Query, s Strategy) []int {
	t.Helper()
	var all []int
	for round := range 3 {
		q.Rand = rand.New(rand.NewPCG(uint64(round+1), 3))
		got, err := s.Select(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, got...)
		q.Labeled = append(slices.Clone(q.Labeled), got...)
		for range got {
			q.Labels = append(slices.Clone(q.Labels), 0)
		}
		q.Unlabeled = slices.DeleteFunc(slices.Clone(q.Unlabeled), func(r int) bool { return slices.Contains(got, r) })
	}
	return all
}

// badgePools returns n×d pools: Gaussian, with duplicated rows, with NaN and
// infinite features, and one row repeated n times.
func badgePools(seed uint64, n, d int) map[string]*nets.Matrix {
	rng := rand.New(rand.NewPCG(seed, 23))
	gauss := func() *nets.Matrix {
		m := nets.NewMatrix(n, d)
		for i := range m.Data {
			m.Data[i] = rng.NormFloat64()
		}
		return m
	}
	pools := map[string]*nets.Matrix{"gauss": gauss()}
	dup := gauss()
	for r := range n {
		if r%3 != 0 {
			copy(dup.Row(r), dup.Row(rng.IntN(5)*3))
		}
	}
	pools["dup"] = dup
	bad := gauss()
	bad.Row(1)[0] = math.NaN()
	bad.Row(4)[d-1] = math.Inf(1)
	bad.Row(n - 1)[2] = math.NaN()
	pools["nonfinite"] = bad
	same := gauss()
	for r := 1; r < n; r++ {
		copy(same.Row(r), same.Row(0))
	}
	pools["same"] = same
	return pools
}

// badgeNet is a 6-12-8-classes relu net with dropout, its output layer zeroed
// if zeroOut.
func badgeNet(t *testing.T, classes int, seed uint64, zeroOut bool) *nets.Net {
	t.Helper()
	net, err := nets.New(nets.Spec{Kind: "mlp", Inputs: 6, Hidden: []int{12, 8}, Outputs: classes, Dropout: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	net.Init(rand.New(rand.NewPCG(seed, 41)))
	if zeroOut {
		p := net.Params()
		clear(p[len(p)-classes*(net.EmbedDim()+1):])
	}
	return net
}

// badgeQuery is a batch-9 query on pool with 7 labeled rows and a tie order.
func badgeQuery(pool *nets.Matrix, classes int, m Model, seed uint64) Query {
	rng := rand.New(rand.NewPCG(seed, 13))
	perm := rng.Perm(pool.Rows)
	labels := make([]int, 7)
	for i := range labels {
		labels[i] = rng.IntN(classes)
	}
	return Query{Pool: pool, Unlabeled: slices.Sorted(slices.Values(perm[7:])), Labeled: slices.Clone(perm[:7]),
		Labels: labels, Classes: classes, Model: m, Batch: 9, TieRank: permRank(rng, pool.Rows)}
}

// factoredModel is a fixedModel whose gradient embeddings are the products of
// tables coef (p − 1[ŷ]) and h (its embeddings), offered factored.
type factoredModel struct {
	*fixedModel
	coef *nets.Matrix
}

// newFactoredModel sets m.grad to the products fl(coef·h), as nets.Net.GradEmbed
// forms them.
func newFactoredModel(m *fixedModel) factoredModel {
	n, c, e := m.prob.Rows, m.c, m.emb.Cols
	coef := nets.NewMatrix(n, c)
	m.grad = nets.NewMatrix(n, c*e)
	for i := range n {
		p := m.prob.Row(i)
		top := 0
		for k := range p {
			if p[k] > p[top] {
				top = k
			}
		}
		for k := range p {
			coef.Row(i)[k] = p[k]
			if k == top {
				coef.Row(i)[k]--
			}
			for j, h := range m.emb.Row(i) {
				m.grad.Row(i)[k*e+j] = float64(coef.Row(i)[k] * h)
			}
		}
	}
	return factoredModel{m, coef}
}

func (m factoredModel) GradEmbedFactorsRows(x *nets.Matrix, rows []int, coef, h *nets.Matrix) {
	coef.Resize(len(rows), m.c)
	h.Resize(len(rows), m.emb.Cols)
	for k, r := range rows {
		copy(coef.Row(k), m.coef.Row(r))
		copy(h.Row(k), m.emb.Row(r))
	}
}

// BenchmarkBadgeFactored times a steady-state badge round (batch 10, 50 labeled
// rows, 2 classes, 16-wide embedding, 20 features) on 7,000 and 70,000 rows
// whose gradient embeddings come factored (coef and h, 18 numbers a row), and
// on the same embeddings dense (32 numbers a row, K = 1). The 70,000-row pools
// are skipped under -short. cpu-ns/op is the process CPU time per op.
func BenchmarkBadgeFactored(b *testing.B) {
	for _, n := range []int{7000, 70000} {
		for _, dense := range []bool{false, true} {
			b.Run(fmt.Sprintf("dense=%v/pool=%d", dense, n), func(b *testing.B) {
				if n > 10000 && testing.Short() {
					b.Skip("70,000 rows")
				}
				rng := rand.New(rand.NewPCG(uint64(n), 5))
				pool := randomPool(rng, n, 20)
				fm := newFactoredModel(newFixedModel(rng, pool, 2, 16))
				var m Model = fm
				if dense {
					m = fm.fixedModel
				}
				perm := rng.Perm(n)
				labels := make([]int, 50)
				for i := range labels {
					labels[i] = rng.IntN(2)
				}
				q := Query{Pool: pool, Unlabeled: slices.Sorted(slices.Values(perm[50:])), Labeled: perm[:50],
					Labels: labels, Classes: 2, Model: m, Batch: 10, TieRank: permRank(rng, n)}
				q.Rand = rand.New(rand.NewPCG(1, 1))
				s := mustNew("badge", nil)
				want, err := s.Select(b.Context(), q)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				done := reportCPU(b)
				for b.Loop() {
					q.Rand = rand.New(rand.NewPCG(1, 1))
					got, err := s.Select(b.Context(), q)
					if err != nil || !slices.Equal(got, want) {
						b.Fatalf("picks %v (%v), first round %v", got, err, want)
					}
				}
				done()
			})
		}
	}
}
