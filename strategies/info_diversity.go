package strategies

import (
	"context"
	"math"
	"slices"

	"albench/learners"
	"albench/nets"
)

// infoDiversity is google/active-learning's informative_diverse sampler (the
// surveys' "InfoDiv": Zhan et al. 2021; Lu et al. 2023): margin sampling under the
// constraint that the batch spreads over clusters of the pool as the pool does. The
// pool, z-scored (zpool), is clustered once per trial by k-means into K clusters
// (param clusters; 0, the default, is the number of classes, as the reference).
// Then the unlabeled rows are taken in margin order (most uncertain first: the
// margin strategy's score and tie order) and a row of cluster c joins the batch of
// size B only while
//
//	count_c / B < |c| / N,   i.e. count_c · N < B · |c|   (N the pool size)
//
// so no cluster gets more than its share of the pool; the slots the quotas leave
// empty are filled by the remaining rows in margin order (the reference fills
// them from an unordered set). The first row in margin order always fits its
// quota, so with B = 1 this is margin sampling.
//
// Deviation: the reference clusters with MiniBatchKMeans from the experiment's
// seed; here k-means++ seeding and Lloyd iterations (kmeansScratch, over the rows
// in Query.TieRank order) draw from q.Rand on the first round, and the assignment
// is kept for the trial.
//
// Cost: O(N·K·dim·iterations) once; each round O(|U| log |U|) for the margin order.
type infoDiversity struct {
	clusters int

	z     zpool
	km    kmeansScratch
	pool  *nets.Matrix // the pool label was computed for
	label []int        // cluster of each pool row
	size  []int        // pool rows per cluster
	rows  []int

	margin marginScorer
	order  []int
	count  []int
	taken  []bool
}

func (*infoDiversity) Name() string { return "info_diversity" }

func (s *infoDiversity) Select(ctx context.Context, q Query) ([]int, error) {
	k := batchSize(q)
	if k == 0 {
		return []int{}, nil
	}
	if s.pool != q.Pool || len(s.label) != q.Pool.Rows {
		s.cluster(q)
	}
	order := s.margin.rank(q, &s.order)
	n := q.Pool.Rows
	clear(s.count)
	s.taken = grow(s.taken, len(order))
	clear(s.taken)
	out := make([]int, 0, k)
	for _, i := range order {
		if len(out) == k {
			break
		}
		c := s.label[q.Unlabeled[i]]
		if s.count[c]*n < k*s.size[c] {
			s.count[c]++
			s.taken[i] = true
			out = append(out, q.Unlabeled[i])
		}
	}
	for _, i := range order {
		if len(out) == k {
			break
		}
		if !s.taken[i] {
			out = append(out, q.Unlabeled[i])
		}
	}
	return out, nil
}

// cluster assigns every pool row to one of K k-means clusters of the z-scored pool.
func (s *infoDiversity) cluster(q Query) {
	z := s.z.get(q.Pool)
	n := z.Rows
	nc := s.clusters
	if nc == 0 {
		nc = classes(q)
	}
	nc = max(1, min(nc, n))
	// Rows in tie order, so that the clustering moves with the rows when the pool
	// is permuted along with Query.TieRank.
	s.rows = grow(s.rows, n)
	for i := range s.rows {
		s.rows[i] = i
	}
	sortByTie(s.rows, q.TieRank)
	assign, _ := s.km.run(z, s.rows, nc, q.Rand, kmeansIters)
	s.label = grow(s.label, n)
	for i, r := range s.rows {
		s.label[r] = assign[i]
	}
	s.size = grow(s.size, nc)
	clear(s.size)
	for _, c := range s.label {
		s.size[c]++
	}
	s.count = grow(s.count, nc)
	s.pool = q.Pool
}

// marginScorer computes the margin strategy's score of each unlabeled row — 1 −
// (p(ŷ1|x) − p(ŷ2|x)) from probabilities, else −|f(x)| or −(f_(1) − f_(2)) from
// decision values (uncertainty.go), larger meaning more uncertain — and the rows'
// margin order, so the strategies built on margin pick exactly what margin would
// where they reduce to it.
type marginScorer struct {
	probScratch
	scores []float64
}

// score returns the margin score of each q.Unlabeled row, NaN replaced by −Inf so
// that it ranks last, as in topK.
func (m *marginScorer) score(q Query) []float64 {
	if _, probs := q.Model.(learners.Prober); !probs {
		f := m.decisions(q)
		m.scores = grow(m.scores, f.Rows)
		for i := range m.scores {
			m.scores[i] = decisionMargin(f.Row(i))
		}
	} else {
		p := m.probs(q)
		m.scores = grow(m.scores, p.Rows)
		for i := range m.scores {
			m.scores[i] = smallMargin(p.Row(i))
		}
	}
	for i, v := range m.scores {
		if math.IsNaN(v) {
			m.scores[i] = math.Inf(-1)
		}
	}
	return m.scores
}

// rank scores the unlabeled rows and returns the positions 0..|U|−1 into
// q.Unlabeled in margin order, in *buf (reused): larger score first, ties by
// Query.TieRank, the order of margin's topK.
func (m *marginScorer) rank(q Query, buf *[]int) []int {
	scores := m.score(q)
	order := grow(*buf, len(scores))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		switch {
		case scores[a] > scores[b]:
			return -1
		case scores[a] < scores[b]:
			return 1
		case tieLess(q.TieRank, q.Unlabeled[a], q.Unlabeled[b]):
			return -1
		case tieLess(q.TieRank, q.Unlabeled[b], q.Unlabeled[a]):
			return 1
		}
		return 0
	})
	*buf = order
	return order
}
