package strategies

import (
	"albench/learners"
	"context"
	"errors"
	"math"

	"albench/nets"
)

// coreset is the k-center greedy core-set strategy (Sener & Savarese 2018, "Active
// learning for convolutional neural networks: a core-set approach", Algorithm 1) on the
// model's penultimate-layer embeddings φ. The labeled rows are the initial centres C;
// each pick is the unlabeled row farthest from its nearest centre, which then becomes
// a centre itself:
//
//	u* = argmax_{u ∈ U} min_{c ∈ C} ‖φ(u) − φ(c)‖₂,   C ← C ∪ {u*}
//
// so a batch covers the embedding space instead of crowding one region. Ties go by
// Query.TieRank. With no labeled rows there is no centre to measure from (every
// distance is +Inf), and the first pick is the unlabeled row first in TieRank: a
// random start, as in the paper's code, drawn from the seed's tie order.
//
// Memory is O(pool × embedding): one vector of min distances is updated after each
// pick, never a pool × pool distance matrix.
type coreset struct {
	emb     nets.Matrix
	minDist []float64 // squared distance of each unlabeled row to its nearest centre (NaN sticks); −1 once picked
}

func (*coreset) Name() string { return "coreset" }

func (s *coreset) Select(ctx context.Context, q Query) ([]int, error) {
	k := batchSize(q)
	if k == 0 {
		return []int{}, nil
	}
	em, ok := q.Model.(learners.Embedder)
	if !ok {
		return nil, errors.New("strategies: coreset: the model does not provide penultimate-layer embeddings")
	}
	em.Embed(q.Pool, &s.emb)
	checkShape("embeddings", &s.emb, q.Pool.Rows, em.EmbedDim())
	s.minDist = grow(s.minDist, len(q.Unlabeled))
	for i := range s.minDist {
		s.minDist[i] = math.Inf(1)
	}
	for _, c := range q.Labeled {
		s.addCentre(q.Unlabeled, c)
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
		s.addCentre(q.Unlabeled, q.Unlabeled[best])
		s.minDist[best] = -1
	}
	return out, nil
}

// addCentre lowers each unlabeled row's distance to its nearest centre by pool row c.
// Squared distances rank the same as distances and need no square root.
func (s *coreset) addCentre(unlabeled []int, c int) {
	e := s.emb.Row(c)
	for i, r := range unlabeled {
		if s.minDist[i] < 0 {
			continue
		}
		s.minDist[i] = math.Min(s.minDist[i], sqDist(s.emb.Row(r), e))
	}
}
