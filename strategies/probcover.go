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
// memory O(N·d). The pairs are measured as blocked products by the expansion
// ‖a‖² + ‖b‖² − 2a·b, and a pair whose side of δ (or whose place in a minimum)
// the expansion's error bound leaves open is measured with the scalar formula
// (sqDists, see distance.go), so every decision is the scalar formula's.
type probcover struct {
	delta  float64
	purity float64

	space   lbSpace
	km      lbKMeans
	margin  []float64 // m(x) of each row
	members []int     // rows of one cluster
	others  []int     // rows of the other clusters
	all     []int     // 0, 1, …, N − 1
	fresh   []int     // rows a pick has just covered
	norms   []float64 // ‖x‖² of each row
	d       sqDists
	mode    int // what visit does
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
	s.norms = sqNorms(s.norms, x)
	if cap(s.fresh) < n { // sized once: the lists below grow to at most n
		s.fresh, s.members, s.others = make([]int, 0, n), make([]int, 0, n), make([]int, 0, n)
	}
	s.all = grow(s.all, n)
	for i := range s.all {
		s.all[i] = i
	}
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
	}
	s.mode = coverLabeled
	s.d.within(x, s.norms, 0, n, q.Labeled, d2, s)
	// degree[x] = number of uncovered points in x's ball (x itself included); the
	// relation is symmetric, so each pair is measured once.
	for i := range n {
		if !s.covered[i] {
			s.degree[i]++
		}
	}
	for lo := 0; lo < n; lo += centreBlock {
		hi := min(lo+centreBlock, n)
		s.mode = countDegrees
		s.d.within(x, s.norms, lo+1, n, s.all[lo:hi], d2, s)
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
		s.cover(x, best, d2)
	}
	return out, nil
}

// cover marks the ball of row c covered and removes each newly covered point's
// edges from the degrees of the points whose balls hold it.
func (s *probcover) cover(x *nets.Matrix, c int, d2 float64) {
	s.fresh = s.fresh[:0]
	s.mode = coverPick
	s.d.within(x, s.norms, 0, x.Rows, s.all[c:c+1], d2, s)
	s.mode = dropEdges
	s.d.within(x, s.norms, 0, x.Rows, s.fresh, d2, s)
}

// What visit does with a pair (r, c) within δ of each other.
const (
	coverLabeled = iota // r is covered by a labeled point
	countDegrees        // an edge of the graph, counted once (r > c)
	coverPick           // r is covered by the pick, maybe newly
	dropEdges           // c is newly covered: r's ball loses it
)

// visit is the pairVisitor of within, by s.mode.
func (s *probcover) visit(r, c int) {
	switch s.mode {
	case coverLabeled:
		s.covered[r] = true
	case countDegrees:
		if r <= c {
			return
		}
		if !s.covered[c] {
			s.degree[r]++
		}
		if !s.covered[r] {
			s.degree[c]++
		}
	case coverPick:
		if !s.covered[r] {
			s.covered[r] = true
			s.fresh = append(s.fresh, r)
		}
	case dropEdges:
		s.degree[r]--
	}
}

// purityDelta returns the largest δ whose ball purity against a k-means clustering
// into k clusters is at least s.purity (see probcover).
func (s *probcover) purityDelta(x *nets.Matrix, k int, q Query) float64 {
	n := x.Rows
	k = min(k, n)
	s.km.fit(x, k, q.Rand)
	// m(x): each cluster's rows against the rows of the other clusters.
	s.margin = grow(s.margin, n)
	for i := range s.margin {
		s.margin[i] = math.Inf(1)
	}
	for c := range k {
		s.members, s.others = s.members[:0], s.others[:0]
		for r, a := range s.km.assign {
			if a == c {
				s.members = append(s.members, r)
			} else {
				s.others = append(s.others, r)
			}
		}
		s.d.lowerMin(x, s.norms, s.margin, nil, 0, s.members, s.others, false)
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
