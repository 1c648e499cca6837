package strategies

import (
	"context"
	"math"
	"slices"

	"albench/learners"
	"albench/nets"
)

// mcm is margin-cluster-mean, google/active-learning's margin_cluster_mean sampler
// (RepresentativeClusterMeanSampling, after Xu, Yu, Tresp, Xu & Wang 2003,
// "Representative sampling for text classification using support vector
// machines", ECIR; the surveys' "MCM": Zhan et al. 2021; Lu et al. 2023). It
// clusters the points that lie inside the model's margin and queries the point
// nearest each cluster's mean:
//
//  1. The margin M is the set of unlabeled rows closer to the boundary than every
//     labeled row: with decision values f (one column for two classes, one per
//     class otherwise), x ∈ M when |f_c(x)| < min_{l ∈ L} |f_c(l)| for some column
//     c; a model with probabilities is measured, as margin ranks it, by the gap
//     p(ŷ1|x) − p(ŷ2|x) in place of |f|. With no labeled row every unlabeled row is
//     inside.
//  2. If |M| < B (the batch), the batch is the B rows of smallest margin (margin
//     sampling) — the reference's fallback.
//  3. Otherwise M, on the z-scored features (zpool), is clustered into B clusters by
//     k-means (k-means++ seeding and Lloyd iterations from q.Rand over M in
//     Query.TieRank order; the reference uses MiniBatchKMeans), and the batch is the row of M nearest each centre
//     (ties by Query.TieRank), duplicates dropped, in margin order, filled up to B
//     with the other rows in margin order.
//
// Margin order is the margin strategy's (score and ties), and "smallest margin"
// means its score. With B = 1 and a non-empty M this is not margin sampling: it
// queries the in-margin point nearest the in-margin mean, the most representative
// of the uncertain points rather than the most uncertain.
//
// Cost per round: O(|U| log |U|) for the margin order plus O(|M|·B·dim·iterations)
// for k-means; nothing is kept between rounds but buffers.
type mcm struct {
	z      zpool
	margin marginScorer
	lab    probScratch // model outputs on the labeled rows
	order  []int
	thr    []float64 // per output column, the labeled rows' least closeness
	inRows []int     // pool rows of M
	inPos  []int     // their positions in q.Unlabeled
	medoid []bool    // by position in q.Unlabeled
	km     kmeansScratch
}

func (*mcm) Name() string { return "mcm" }

func (s *mcm) Select(ctx context.Context, q Query) ([]int, error) {
	k := batchSize(q)
	if k == 0 {
		return []int{}, nil
	}
	order := s.margin.rank(q, &s.order)
	_, probs := q.Model.(learners.Prober)
	u := &s.margin.p // the model's outputs on q.Unlabeled, as margin scored them
	cols := 1
	if !probs {
		cols = u.Cols
	}
	s.thr = grow(s.thr, cols)
	for c := range s.thr {
		s.thr[c] = math.Inf(1)
	}
	if len(q.Labeled) > 0 {
		ql := q
		ql.Unlabeled = q.Labeled
		var out *nets.Matrix
		if probs {
			out = s.lab.probs(ql)
		} else {
			out = s.lab.decisions(ql)
		}
		for i := range out.Rows {
			for c := range cols {
				s.thr[c] = math.Min(s.thr[c], closeness(out.Row(i), c, probs))
			}
		}
	}
	s.inPos = s.inPos[:0]
	for i := range q.Unlabeled {
		for c := range cols {
			if closeness(u.Row(i), c, probs) < s.thr[c] {
				s.inPos = append(s.inPos, i)
				break
			}
		}
	}
	// M in tie order, so that k-means moves with the rows when the pool is
	// permuted along with Query.TieRank.
	slices.SortFunc(s.inPos, func(a, b int) int {
		ra, rb := q.Unlabeled[a], q.Unlabeled[b]
		switch {
		case tieLess(q.TieRank, ra, rb):
			return -1
		case tieLess(q.TieRank, rb, ra):
			return 1
		}
		return 0
	})
	s.inRows = s.inRows[:0]
	for _, i := range s.inPos {
		s.inRows = append(s.inRows, q.Unlabeled[i])
	}
	out := make([]int, 0, k)
	s.medoid = grow(s.medoid, len(q.Unlabeled))
	clear(s.medoid)
	if len(s.inRows) >= k {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		z := s.z.get(q.Pool)
		_, centres := s.km.run(z, s.inRows, k, q.Rand, kmeansIters)
		for c := range k {
			cen := centres.Row(c)
			best, bd := -1, math.Inf(1)
			for j, r := range s.inRows {
				d := sqDist(z.Row(r), cen)
				if best < 0 || d < bd || (d == bd && tieLess(q.TieRank, r, s.inRows[best])) {
					best, bd = j, d
				}
			}
			s.medoid[s.inPos[best]] = true
		}
		for _, i := range order {
			if s.medoid[i] {
				out = append(out, q.Unlabeled[i])
			}
		}
	}
	for _, i := range order {
		if len(out) == k {
			break
		}
		if !s.medoid[i] {
			out = append(out, q.Unlabeled[i])
		}
	}
	return out, nil
}

// closeness is how near a row of model outputs is to the boundary in column c
// (smaller is nearer): |f_c| for decision values, p(ŷ1) − p(ŷ2) for probabilities
// (one column). NaN compares false, so a NaN row is never inside the margin.
func closeness(row []float64, c int, probs bool) float64 {
	if !probs {
		return math.Abs(row[c])
	}
	return 1 - smallMargin(row)
}
