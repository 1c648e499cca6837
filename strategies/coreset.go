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
// Memory is O(pool × dim): one vector of min distances (with each row's squared
// norm and nearest centre, 20 bytes a row in all) is updated after each pick,
// never a pool × pool distance matrix, and the pool is read through row indices
// (no gathered copy). Embeddings change with the model, so every round
// measures from scratch, O((|L| + batch) · pool · dim). Standardised features do
// not change within a trial, so the distance of every pool row to the labeled
// centres is kept between rounds and only the rows labeled since the last round
// are added as centres: O((new labels) · pool · dim + batch · pool · dim) a round,
// with the same result as measuring from scratch (min is exact).
//
// The distances to the labeled centres are computed by the expansion
// ‖a‖² + ‖b‖² − 2a·b on blocked products, and only the centres that could lower a
// row's minimum within the expansion's error bound are measured with the scalar
// formula (sqDists.lowerMin, see distance.go). After each pick, a row whose
// nearest centre c is more than twice as far from the pick as from the row (by
// the triangle inequality, with the rounding bound) keeps its minimum unread;
// the others are measured with the scalar formula (sqDists.lowerNearest); such a
// pass reads the pool once and is bound by memory at large pools, which is
// where clustered embeddings gain from the pruning. Every minimum, hence every
// pick, is the scalar formula's, on every kernel set.
type coreset struct {
	emb     nets.Matrix
	minDist []float64 // per pool row: squared distance of an unlabeled row to its nearest centre (NaN sticks); −1 for labeled or picked rows
	near    []int32   // per pool row: the position of a centre at minDist from it (labeled, then picked), −1 if none is known
	cd      []float64 // per centre position: its squared distance to the latest pick
	norms   []float64 // ‖φ(r)‖² of every pool row, for the embeddings of this round
	d       sqDists

	z         zpool
	basePool  *nets.Matrix // the pool base was computed for
	baseNorms []float64    // ‖φ(r)‖² of the standardised pool rows
	centres   []int        // labeled rows already folded into base, in Query.Labeled order
	base      []float64    // squared distance of each pool row to its nearest centre in centres
	baseNear  []int32      // that centre's position in centres, −1 if none is known
}

func (*coreset) Name() string { return "coreset" }

func (s *coreset) Select(ctx context.Context, q Query) ([]int, error) {
	k := batchSize(q)
	if k == 0 {
		return []int{}, nil
	}
	var phi *nets.Matrix
	var norms []float64
	n := q.Pool.Rows
	s.minDist, s.near, s.cd = grow(s.minDist, n), grow(s.near, n), grow(s.cd, len(q.Labeled)+k)
	for r := range s.minDist {
		s.minDist[r], s.near[r] = -1, -1
	}
	if em, ok := q.Model.(learners.Embedder); ok {
		em.Embed(q.Pool, &s.emb)
		checkShape("embeddings", &s.emb, q.Pool.Rows, em.EmbedDim())
		phi = &s.emb
		s.norms = sqNorms(s.norms, phi)
		norms = s.norms
		for _, r := range q.Unlabeled {
			s.minDist[r] = math.Inf(1)
		}
		s.d.lowerMin(phi, norms, s.minDist, s.near, 0, nil, q.Labeled, true)
	} else {
		phi = s.z.get(q.Pool)
		if s.basePool != q.Pool {
			s.basePool, s.base = q.Pool, s.base[:0]
			s.baseNorms = sqNorms(s.baseNorms, phi)
		}
		norms = s.baseNorms
		s.labeledDistances(phi, q.Labeled)
		for _, r := range q.Unlabeled {
			s.minDist[r], s.near[r] = s.base[r], s.baseNear[r]
		}
	}
	out := make([]int, 0, k)
	for len(out) < k {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		// A NaN distance (from a NaN or infinite embedding) ranks below every
		// number, as in topK, so such a row is picked last rather than never.
		best, bd := -1, 0.0
		for _, r := range q.Unlabeled {
			d := s.minDist[r]
			if d < 0 {
				continue // picked
			}
			if best < 0 || d > bd || (math.IsNaN(bd) && !math.IsNaN(d)) ||
				(d == bd && tieLess(q.TieRank, r, best)) {
				best, bd = r, d
			}
		}
		out = append(out, best)
		s.minDist[best] = -1
		if len(out) < k {
			p := phi.Row(best)
			for j, c := range q.Labeled {
				s.cd[j] = sqDist(p, phi.Row(c))
			}
			for j, c := range out {
				s.cd[len(q.Labeled)+j] = sqDist(p, phi.Row(c))
			}
			s.d.lowerNearest(phi, s.minDist, s.near, best, int32(len(q.Labeled)+len(out)-1), norms[best], s.cd)
		}
	}
	return out, nil
}

// labeledDistances brings s.base up to date with the centres labeled: when the
// labeled rows extend those already folded in (the harness only ever adds), only
// the new ones are added; otherwise base is rebuilt from all of them.
func (s *coreset) labeledDistances(phi *nets.Matrix, labeled []int) {
	n := phi.Rows
	if len(s.base) != n || len(labeled) < len(s.centres) || !slices.Equal(labeled[:len(s.centres)], s.centres) {
		s.base, s.baseNear = grow(s.base, n), grow(s.baseNear, n)
		for i := range s.base {
			s.base[i], s.baseNear[i] = math.Inf(1), -1
		}
		s.centres = s.centres[:0]
	}
	s.d.lowerMin(phi, s.baseNorms, s.base, s.baseNear, len(s.centres), nil, labeled[len(s.centres):], true)
	s.centres = append(s.centres, labeled[len(s.centres):]...)
}
