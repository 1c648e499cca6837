package strategies

import (
	"albench/learners"
	"context"
	"math"
	"slices"

	"albench/nets"
)

// coreset is the k-center greedy core-set strategy (Sener & Savarese 2018, "Active
// learning for convolutional neural networks: a core-set approach", ICLR, Algorithm
// 1; the surveys' "Core-Set", Zhan et al. 2021 and Lu et al. 2023) on a
// representation φ of the points: the model's penultimate-layer embeddings when it
// is a learners.Embedder, else the input features z-scored over the pool (zpool),
// as google/active-learning's kcenter runs on the standardised features for
// models without an embedding (SVM, forests, logistic regression). The labeled rows
// are the initial centres C; each pick is the unlabeled row farthest from its
// nearest centre, which then becomes a centre itself:
//
//	u* = argmax_{u ∈ U} min_{c ∈ C} ‖φ(u) − φ(c)‖₂,   C ← C ∪ {u*}
//
// so a batch covers the space instead of crowding one region. Ties go by
// Query.TieRank. With no labeled rows there is no centre to measure from (every
// distance is +Inf), and the first pick is the unlabeled row first in TieRank: a
// random start, as in the paper's code, drawn from the seed's tie order.
//
// Memory is O(pool × dim): one vector of min distances is updated after each
// pick, never a pool × pool distance matrix. Embeddings change with the model, so
// every round measures from scratch, O((|L| + batch) · |U| · dim). Standardised
// features do not change within a trial, so the distance of every pool row to the
// labeled centres is kept between rounds and only the rows labeled since the last
// round are added as centres: O((new labels) · pool · dim + batch · |U| · dim) a
// round, with the same result as measuring from scratch (min is exact).
type coreset struct {
	emb     nets.Matrix
	minDist []float64 // squared distance of each unlabeled row to its nearest centre (NaN sticks); −1 once picked

	z        zpool
	basePool *nets.Matrix // the pool base was computed for
	centres  []int        // labeled rows already folded into base, in Query.Labeled order
	base     []float64    // squared distance of each pool row to its nearest centre in centres
}

func (*coreset) Name() string { return "coreset" }

func (s *coreset) Select(ctx context.Context, q Query) ([]int, error) {
	k := batchSize(q)
	if k == 0 {
		return []int{}, nil
	}
	var phi *nets.Matrix
	s.minDist = grow(s.minDist, len(q.Unlabeled))
	if em, ok := q.Model.(learners.Embedder); ok {
		em.Embed(q.Pool, &s.emb)
		checkShape("embeddings", &s.emb, q.Pool.Rows, em.EmbedDim())
		phi = &s.emb
		for i := range s.minDist {
			s.minDist[i] = math.Inf(1)
		}
		for _, c := range q.Labeled {
			s.addCentre(phi, q.Unlabeled, c)
		}
	} else {
		phi = s.z.get(q.Pool)
		if s.basePool != q.Pool {
			s.basePool, s.base = q.Pool, s.base[:0]
		}
		s.labeledDistances(phi, q.Labeled)
		for i, r := range q.Unlabeled {
			s.minDist[i] = s.base[r]
		}
	}
	out := make([]int, 0, k)
	for len(out) < k {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		// A NaN distance (from a NaN or infinite embedding) ranks below every
		// number, as in topK, so such a row is picked last rather than never.
		best := -1
		for i, d := range s.minDist {
			if d < 0 {
				continue // picked
			}
			if best < 0 || d > s.minDist[best] || (math.IsNaN(s.minDist[best]) && !math.IsNaN(d)) ||
				(d == s.minDist[best] && tieLess(q.TieRank, q.Unlabeled[i], q.Unlabeled[best])) {
				best = i
			}
		}
		out = append(out, q.Unlabeled[best])
		s.addCentre(phi, q.Unlabeled, q.Unlabeled[best])
		s.minDist[best] = -1
	}
	return out, nil
}

// labeledDistances brings s.base up to date with the centres labeled: when the
// labeled rows extend those already folded in (the harness only ever adds), only
// the new ones are added; otherwise base is rebuilt from all of them.
func (s *coreset) labeledDistances(phi *nets.Matrix, labeled []int) {
	n := phi.Rows
	if len(s.base) != n || len(labeled) < len(s.centres) || !slices.Equal(labeled[:len(s.centres)], s.centres) {
		s.base = grow(s.base, n)
		for i := range s.base {
			s.base[i] = math.Inf(1)
		}
		s.centres = s.centres[:0]
	}
	for _, c := range labeled[len(s.centres):] {
		e := phi.Row(c)
		for r := range n {
			s.base[r] = math.Min(s.base[r], sqDist(phi.Row(r), e))
		}
		s.centres = append(s.centres, c)
	}
}

// addCentre lowers each unlabeled row's distance to its nearest centre by pool row c.
// Squared distances rank the same as distances and need no square root.
func (s *coreset) addCentre(phi *nets.Matrix, unlabeled []int, c int) {
	e := phi.Row(c)
	for i, r := range unlabeled {
		if s.minDist[i] < 0 {
			continue
		}
		s.minDist[i] = math.Min(s.minDist[i], sqDist(phi.Row(r), e))
	}
}
