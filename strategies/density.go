package strategies

import (
	"context"
	"math"

	"albench/internal/fmath"
	"albench/nets"
)

// density is information density (Settles & Craven 2008, "An analysis of active
// learning strategies for sequence labeling tasks", EMNLP, eq. 9): a base uncertainty
// φ(x) weighted by how representative x is of the pool,
//
//	ID(x) = φ(x) × ( max(0, (1/N) Σ_{u ∈ pool} cos(x, u)) )^β
//
// so an uncertain outlier ranks below an equally uncertain point in a dense region.
// φ is entropy, least confidence or 1 − margin (param base); β (param beta) trades
// the two terms, β = 0 being the base uncertainty alone.
//
// The mean similarity is taken over every pool row, labeled or not, including x
// itself, on the input features. Since cos(x, u) = x̂·û with x̂ = x/‖x‖,
//
//	(1/N) Σ_u cos(x, u) = x̂ · ((1/N) Σ_u û)
//
// costs O(pool) time and memory instead of a pool × pool matrix. A zero row has
// similarity 0 to everything. The pool does not change during a trial, so the term is
// computed once and cached.
//
// A negative mean similarity (x points away from most of the pool) is clamped to 0
// before the power: a negative base to a fractional β has no real value, and such a
// point is as unrepresentative as a point can be, so it ranks last.
type density struct {
	beta    float64
	measure func(p []float64) float64

	pool   *nets.Matrix // the pool sim was computed for
	sim    []float64    // the clamped, powered similarity term of each pool row
	centre []float64

	probScratch
	scores []float64
	rank   ranker
}

func (*density) Name() string { return "density" }

func (s *density) Select(ctx context.Context, q Query) ([]int, error) {
	k := batchSize(q)
	if k == 0 {
		return []int{}, nil
	}
	s.similarity(q.Pool)
	p := s.probs(q)
	s.scores = grow(s.scores, p.Rows)
	for i, r := range q.Unlabeled {
		s.scores[i] = s.measure(p.Row(i)) * s.sim[r]
	}
	return s.rank.topK(q.TieRank, q.Unlabeled, s.scores, k), nil
}

// similarity caches (max(0, mean cosine similarity to the pool))^β for every pool row.
func (s *density) similarity(pool *nets.Matrix) {
	if s.pool == pool && len(s.sim) == pool.Rows {
		return
	}
	s.pool = pool
	s.centre = grow(s.centre, pool.Cols)
	clear(s.centre)
	for i := range pool.Rows {
		x := pool.Row(i)
		if n := math.Sqrt(dot(x, x)); n > 0 {
			for j, v := range x {
				s.centre[j] += v / n
			}
		}
	}
	inv := 1 / float64(pool.Rows)
	for j := range s.centre {
		s.centre[j] *= inv
	}
	s.sim = grow(s.sim, pool.Rows)
	for i := range pool.Rows {
		x := pool.Row(i)
		var c float64
		if n := math.Sqrt(dot(x, x)); n > 0 {
			c = dot(x, s.centre) / n
		}
		s.sim[i] = fmath.Pow(math.Max(0, c), s.beta)
	}
}
