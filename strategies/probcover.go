package strategies

import (
	"context"
	"math"
	"slices"

	"albench/nets"
)

// probcover is ProbCover (Yehuda, Dekel, Hacohen & Weinshall 2022, "Active learning
// through a covering lens", NeurIPS, Algorithm 1): choose the B points whose δ-balls
// cover the most of the pool not yet covered. On the graph with an edge x → x' when
// ‖x − x'‖ < δ, it removes every point covered by a labeled point (within δ of one),
// then B times picks
//
//	x* = argmax_{x ∈ U} |{x' uncovered : ‖x − x'‖ < δ}|
//
// and marks x*'s ball covered. Once the pool is covered every degree is 0 and the
// picks fall back to Query.TieRank order, a random order, as the paper's code falls
// back to random picks. Ties of degree also go by TieRank.
//
// Distances are Euclidean on the model's embeddings when it is a learners.Embedder,
// else on the pool's features z-scored over the pool.
//
// δ (param delta) > 0 is used as given. The default, delta = 0, chooses δ as the
// paper does: the largest δ whose ball purity is at least alpha (param purity, 0.95),
// with the purity measured against a k-means clustering of the pool into Classes
// clusters (k-means++ seeding from q.Rand): a ball is pure when every point in it
// shares its centre's cluster, so with m(x) the distance from x to the nearest point
// of another cluster, B_δ(x) is pure iff δ ≤ m(x), and
//
//	purity(δ) = |{x : m(x) ≥ δ}| / N,   δ* = the ⌊(1 − alpha)·N⌋-th smallest m(x) (0-based)
//
// found exactly instead of on the paper's grid of δ values. A single cluster (one
// class, or all points alike) has no boundary; δ* is then +Inf and the first pick
// covers everything. Coinciding points of different clusters make m(x) = 0; δ* then
// steps up to the smallest positive m(x), since a zero δ has empty balls.
//
// The graph is never stored: degrees are counted in one pass over all pairs and
// lowered as points get covered, each newly covered point visiting the pool once.
// Cost O(N²·d) per round for the degrees and O(N²·d + I·N·C·d) for the δ rule;
// memory O(N·d).
type probcover struct {
	delta  float64
	purity float64

	space   lbSpace
	km      lbKMeans
	margin  []float64 // m(x), in cluster order
	order   []int     // rows in cluster order
	sorted  nets.Matrix
	covered []bool
	taken   []bool
	degree  []int
}

func (*probcover) Name() string { return "probcover" }

func (s *probcover) Select(ctx context.Context, q Query) ([]int, error) {
	b := batchSize(q)
	if b == 0 {
		return []int{}, nil
	}
	x := s.space.of(q)
	n := x.Rows
	delta := s.delta
	if delta == 0 {
		delta = s.purityDelta(x, max(classes(q), 1), q)
	}
	d2 := delta * delta // compare squared distances: ‖x − x'‖ < δ ⇔ ‖x − x'‖² < δ²
	if math.IsInf(delta, 1) {
		d2 = delta
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.covered, s.taken, s.degree = grow(s.covered, n), grow(s.taken, n), grow(s.degree, n)
	clear(s.covered)
	clear(s.taken)
	clear(s.degree)
	for _, r := range q.Labeled {
		s.taken[r] = true
		s.cover(x, r, d2, false)
	}
	// degree[x] = number of uncovered points in x's ball (x itself included); the
	// relation is symmetric, so each pair is measured once.
	for i := range n {
		xi := x.Row(i)
		if !s.covered[i] {
			s.degree[i]++
		}
		for j := i + 1; j < n; j++ {
			if sqDist(x.Row(j), xi) < d2 {
				if !s.covered[i] {
					s.degree[j]++
				}
				if !s.covered[j] {
					s.degree[i]++
				}
			}
		}
	}
	out := make([]int, 0, b)
	for len(out) < b {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		best := -1
		for _, r := range q.Unlabeled {
			if s.taken[r] {
				continue
			}
			if best < 0 || s.degree[r] > s.degree[best] ||
				(s.degree[r] == s.degree[best] && tieLess(q.TieRank, r, best)) {
				best = r
			}
		}
		out = append(out, best)
		s.taken[best] = true
		s.cover(x, best, d2, true)
	}
	return out, nil
}

// cover marks the ball of row c covered; with update, each newly covered point's
// edges are removed from the degrees of the points whose balls hold it.
func (s *probcover) cover(x *nets.Matrix, c int, d2 float64, update bool) {
	xc := x.Row(c)
	for i := range x.Rows {
		if s.covered[i] || !(sqDist(x.Row(i), xc) < d2) {
			continue
		}
		s.covered[i] = true
		if !update {
			continue
		}
		xi := x.Row(i)
		for j := range x.Rows {
			if sqDist(x.Row(j), xi) < d2 {
				s.degree[j]--
			}
		}
	}
}

// purityDelta returns the largest δ whose ball purity against a k-means clustering
// into k clusters is at least s.purity (see probcover).
func (s *probcover) purityDelta(x *nets.Matrix, k int, q Query) float64 {
	n := x.Rows
	k = min(k, n)
	s.km.fit(x, k, q.Rand)
	// Rows in cluster order, so each row scans the other clusters' contiguous blocks
	// (and each pair of a block is measured once, both ways).
	s.order = grow(s.order, n)
	for i := range s.order {
		s.order[i] = i
	}
	slices.SortFunc(s.order, func(a, b int) int { return s.km.assign[a] - s.km.assign[b] })
	s.sorted.Gather(x, s.order)
	s.margin = grow(s.margin, n)
	for i := range s.margin {
		s.margin[i] = math.Inf(1)
	}
	for start := 0; start < n; {
		end := start
		for end < n && s.km.assign[s.order[end]] == s.km.assign[s.order[start]] {
			end++
		}
		for i := start; i < end; i++ {
			xi, m := s.sorted.Row(i), s.margin[i]
			for j := end; j < n; j++ {
				d := sqDist(s.sorted.Row(j), xi)
				if d < m {
					m = d
				}
				if d < s.margin[j] {
					s.margin[j] = d
				}
			}
			s.margin[i] = m
		}
		start = end
	}
	slices.Sort(s.margin)
	i := min(int(math.Floor((1-s.purity)*float64(n))), n-1)
	// Coinciding points of different clusters give m(x) = 0, and a zero δ an empty
	// ball: step up to the smallest positive m(x).
	for i < n-1 && s.margin[i] == 0 {
		i++
	}
	return math.Sqrt(s.margin[i])
}
