package strategies

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"albench/nets"
)

// fixedModel answers with fixed per-row embeddings, gradient embeddings and
// probabilities of the pool rows, found by the row number it writes into the
// pool's first feature, so that a benchmark times the strategy and not the model.
type fixedModel struct {
	c               int
	pool            *nets.Matrix
	emb, grad, prob *nets.Matrix
}

func newFixedModel(rng *rand.Rand, pool *nets.Matrix, c, e int) *fixedModel {
	n := pool.Rows
	m := &fixedModel{c: c, pool: pool, emb: randomPool(rng, n, e), grad: randomPool(rng, n, c*e),
		prob: nets.NewMatrix(n, c)}
	for i := range n {
		p := m.prob.Row(i)
		var s float64
		for j := range p {
			p[j] = rng.Float64()
			s += p[j]
		}
		for j := range p {
			p[j] /= s
		}
		pool.Row(i)[0] = float64(i) // the row's number, for lookup
	}
	return m
}

func (m *fixedModel) lookup(x, out, src *nets.Matrix) {
	out.Resize(x.Rows, src.Cols)
	if x == m.pool {
		copy(out.Data, src.Data)
		return
	}
	for i := range x.Rows {
		copy(out.Row(i), src.Row(int(x.Row(i)[0])))
	}
}

func (m *fixedModel) Classes() int                  { return m.c }
func (m *fixedModel) EmbedDim() int                 { return m.emb.Cols }
func (m *fixedModel) GradEmbedDim() int             { return m.grad.Cols }
func (m *fixedModel) Embed(x, out *nets.Matrix)     { m.lookup(x, out, m.emb) }
func (m *fixedModel) GradEmbed(x, out *nets.Matrix) { m.lookup(x, out, m.grad) }
func (m *fixedModel) Probs(x, out *nets.Matrix)     { m.lookup(x, out, m.prob) }

// clusterRows redraws the rows of m around k Gaussian centres (spread 1 per
// coordinate around centres of spread 4): clustered embeddings.
func clusterRows(rng *rand.Rand, m *nets.Matrix, k int) {
	centres := randomPool(rng, k, m.Cols)
	for i := range centres.Data {
		centres.Data[i] *= 4
	}
	for r := range m.Rows {
		c := centres.Row(rng.IntN(k))
		for j, v := range c {
			m.Row(r)[j] = v + rng.NormFloat64()
		}
	}
}

// fixedProbs hides a fixedModel's embeddings: coreset then runs on the
// standardised features.
type fixedProbs struct{ m *fixedModel }

func (p fixedProbs) Classes() int              { return p.m.Classes() }
func (p fixedProbs) Probs(x, out *nets.Matrix) { p.m.Probs(x, out) }

// BenchmarkSelectDistance times one round of each distance strategy on a pool of
// 7,000 and 70,000 rows (20 features, 2 classes, the default MLP's 16-wide
// embedding and 32-wide gradient embedding, 50 labeled rows (1,000 in
// coreset/emb/labeled=1000), batch 10), on a
// model that answers from fixed tables. coreset/emb measures on embeddings,
// coreset/feat on the standardised features (steady: its per-trial cache built);
// density and the /fresh variants are a fresh value each time (their per-pool
// work and every buffer included, so -benchmem shows a round's memory); the
// /blobs variants draw the embeddings from 64 Gaussian clusters. The 70,000-row
// pools are skipped under -short. cpu-ns/op is the process CPU time per op.
func BenchmarkSelectDistance(b *testing.B) {
	for _, v := range []struct {
		label, name string
		feat, fresh bool
		labeled     int
		blobs       bool
	}{
		{"coreset/emb", "coreset", false, false, 50, false},
		{"coreset/emb/labeled=1000", "coreset", false, false, 1000, false},
		{"coreset/emb/fresh", "coreset", false, true, 50, false},
		{"coreset/feat", "coreset", true, false, 50, false},
		{"badge", "badge", false, false, 50, false},
		{"badge/fresh", "badge", false, true, 50, false},
		{"coreset/emb/blobs", "coreset", false, false, 50, true},
		{"badge/blobs", "badge", false, false, 50, true},
		{"density", "density", false, true, 50, false},
		{"typiclust", "typiclust", false, false, 50, false},
		{"probcover", "probcover", false, false, 50, false},
	} {
		for _, n := range []int{7000, 70000} {
			b.Run(fmt.Sprintf("%s/pool=%d", v.label, n), func(b *testing.B) {
				if n > 10000 && testing.Short() {
					b.Skip("70,000 rows")
				}
				rng := rand.New(rand.NewPCG(uint64(n), 5))
				pool := randomPool(rng, n, 20)
				fm := newFixedModel(rng, pool, 2, 16)
				if v.blobs {
					clusterRows(rng, fm.emb, 64)
					clusterRows(rng, fm.grad, 64)
				}
				var m Model = fm
				if v.feat {
					m = fixedProbs{fm}
				}
				perm := rng.Perm(n)
				labels := make([]int, v.labeled)
				for i := range labels {
					labels[i] = rng.IntN(2)
				}
				q := Query{Pool: pool, Unlabeled: slices.Sorted(slices.Values(perm[v.labeled:])), Labeled: perm[:v.labeled],
					Labels: labels, Classes: 2, Model: m, Batch: 10, TieRank: permRank(rng, n)}
				q.Rand = rand.New(rand.NewPCG(1, 1))
				s := mustNew(v.name, nil)
				if !v.fresh {
					if _, err := s.Select(context.Background(), q); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportAllocs()
				done := reportCPU(b)
				for b.Loop() {
					if v.fresh {
						s = mustNew(v.name, nil)
					}
					q.Rand = rand.New(rand.NewPCG(1, 1))
					if _, err := s.Select(context.Background(), q); err != nil {
						b.Fatal(err)
					}
				}
				done()
			})
		}
	}
}
