package strategies

import (
	"context"
	"math"
	"slices"

	"albench/nets"
)

// typiclust is TPC-RP (Hacohen, Dekel & Weinshall 2022, "Active learning on a budget:
// opposite strategies suit high and low budgets", ICML, §3 and Algorithm 1): in the
// low-budget regime the most useful points are typical ones, one per region of the
// data. The pool — labeled and unlabeled rows — is clustered by k-means into
//
//	K = min(|L| + B, max_clusters, N)
//
// clusters, and each of the B picks takes the cluster with the fewest labeled or
// already picked points, the largest among those (so first the largest clusters no
// labeled point covers, as the paper's code orders them), and within it the unlabeled
// row of highest typicality
//
//	Typicality(x) = ( (1/k) Σ_{x' ∈ kNN(x)} ‖x − x'‖ )⁻¹,   k = min(neighbors, |cluster| − 1)
//
// the neighbours taken inside x's cluster, x itself excluded (a row alone in its
// cluster is maximally typical). Distances are Euclidean on the model's embeddings
// when it is a learners.Embedder, else on the pool's features z-scored over the pool
// (the paper uses self-supervised embeddings; a model's embeddings are the nearest
// this harness has). The paper's code also skips clusters of at most 5 points; this
// one only orders them last among equally covered clusters, so tiny pools still work.
// Ties of coverage and size, and of typicality, go by Query.TieRank (clusters by their
// first member in TieRank order).
//
// k-means is seeded by k-means++ from q.Rand and rerun every round, since K grows
// with |L|. Cost O(I·N·K·d) for k-means (I ≤ 100 Lloyd iterations) plus
// O(B·(N/K)²·d) for the typicality of the B chosen clusters; memory O(N·d). Both
// run on blocked products by the expansion ‖a‖² + ‖b‖² − 2a·b, the scalar
// formula measuring only the pairs whose place (nearest centre, among the k
// nearest neighbours) the expansion's error bound leaves open (sqDists, see
// distance.go): every typicality is the scalar formula's.
type typiclust struct {
	maxClusters int
	neighbors   int

	space   lbSpace
	km      lbKMeans
	covered []int // labeled or picked rows per cluster
	size    []int
	first   []int // member of each cluster first in TieRank order
	taken   []bool
	members []int
	dists   []float64
	norms   []float64 // ‖x‖² of each row
	kth     []float64 // the kn smallest w of a row, ascending (the last is the kn-th)
	d       sqDists
}

func (*typiclust) Name() string { return "typiclust" }

func (s *typiclust) Select(ctx context.Context, q Query) ([]int, error) {
	b := batchSize(q)
	if b == 0 {
		return []int{}, nil
	}
	x := s.space.of(q)
	n := x.Rows
	s.norms = sqNorms(s.norms, x)
	k := min(len(q.Labeled)+b, s.maxClusters, n)
	s.km.fit(x, k, q.Rand)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.covered, s.size, s.first = grow(s.covered, k), grow(s.size, k), grow(s.first, k)
	clear(s.covered)
	clear(s.size)
	for c := range s.first {
		s.first[c] = -1
	}
	for r, c := range s.km.assign {
		s.size[c]++
		if s.first[c] < 0 || tieLess(q.TieRank, r, s.first[c]) {
			s.first[c] = r
		}
	}
	s.taken = grow(s.taken, n)
	clear(s.taken)
	for _, r := range q.Labeled {
		s.covered[s.km.assign[r]]++
		s.taken[r] = true
	}
	out := make([]int, 0, b)
	for len(out) < b {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		best := -1
		for c := range k {
			if s.size[c] == s.covered[c] {
				continue // no unlabeled row left in it
			}
			if best < 0 || s.covered[c] < s.covered[best] ||
				(s.covered[c] == s.covered[best] && (s.size[c] > s.size[best] ||
					(s.size[c] == s.size[best] && tieLess(q.TieRank, s.first[c], s.first[best])))) {
				best = c
			}
		}
		r := s.mostTypical(x, best, q.TieRank)
		out = append(out, r)
		s.taken[r] = true
		s.covered[best]++
	}
	return out, nil
}

// mostTypical returns the untaken row of cluster c of highest typicality.
func (s *typiclust) mostTypical(x *nets.Matrix, c int, tie []int32) int {
	s.members = s.members[:0]
	for r, a := range s.km.assign {
		if a == c {
			s.members = append(s.members, r)
		}
	}
	kn := min(s.neighbors, len(s.members)-1)
	slack := expansionSlack(x.Cols)
	cmax := 0.0 // NaN sticks
	for _, o := range s.members {
		if nc := s.norms[o]; !(nc <= cmax) {
			cmax = nc
		}
	}
	fast := kn > 0 && 2*cmax <= normCap
	if fast {
		s.d.gatherScaled(x, s.members, s.norms)
	}
	best, bestT := -1, math.Inf(-1)
	var out []float64
	var ld, lo, cnt int
	for mi, r := range s.members {
		if s.taken[r] {
			continue
		}
		t := math.Inf(1) // alone in its cluster
		if kn > 0 {
			// The kn smallest distances, kept sorted by insertion (kn is small), then
			// summed in ascending order so the sum does not depend on member order.
			// On the fast path only the members whose w = ‖o‖² − 2·r·o is within
			// 2E of the kn-th smallest w are measured: the others are farther than
			// kn members, so they are not among the kn smallest.
			thr := math.Inf(1)
			if fast {
				if out == nil || mi >= lo+cnt {
					lo, cnt = mi, min(s.typicalRows(len(s.members)), len(s.members)-mi)
					out, ld = s.d.panelOf(x, s.members, lo, cnt)
				}
				thr = s.kthW(out, ld, mi-lo, mi, kn) + float64(2*(float64(slack*(s.norms[r]+cmax))+tinySlack))
			}
			s.dists = s.dists[:0]
			for oi, o := range s.members {
				if o == r || (fast && !(out[oi*ld+mi-lo] <= thr)) {
					continue
				}
				s.dists = keepSmallest(s.dists, math.Sqrt(sqDist(x.Row(r), x.Row(o))), kn)
			}
			var sum float64
			for _, d := range s.dists {
				sum += d
			}
			t = float64(kn) / sum // 1 / mean distance; +Inf on duplicates
		}
		if best < 0 || t > bestT || (math.IsNaN(bestT) && !math.IsNaN(t)) || (t == bestT && tieLess(tie, r, best)) {
			best, bestT = r, t
		}
	}
	return best
}

// typicalRows is the number of members whose products with all m members are
// computed at once (m·rows products stay in cache).
func (*typiclust) typicalRows(m int) int { return max(4, min(panelRows, 16384/max(m, 1))) }

// kthW returns the kn-th smallest w = out[o·ld + i] over the members o ≠ self.
func (s *typiclust) kthW(out []float64, ld, i, self, kn int) float64 {
	s.kth = s.kth[:0]
	for o := range s.members {
		if o == self {
			continue
		}
		s.kth = keepSmallest(s.kth, out[o*ld+i], kn)
	}
	return s.kth[kn-1]
}

// keepSmallest adds v to the ascending list s of at most k values, keeping
// the k smallest: v is dropped when s is full and v is not below its last.
func keepSmallest(s []float64, v float64, k int) []float64 {
	if len(s) == k {
		if !(v < s[k-1]) {
			return s
		}
		s = s[:k-1]
	}
	i, _ := slices.BinarySearch(s, v)
	return slices.Insert(s, i, v)
}
