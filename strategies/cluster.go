package strategies

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"albench/nets"
)

// Clustering helpers shared by the strategies that need structure of the pool:
// z-scored features, k-means with k-means++ seeding, and agglomerative clustering
// by the nearest-neighbour chain. Everything is deterministic given the random
// stream and the tie order passed in.

// zpool caches the pool with every column z-scored over the pool rows,
//
//	z_ij = (x_ij − μ_j) / σ_j,   μ_j = (1/n) Σ_i x_ij,   σ_j = √((1/n) Σ_i (x_ij − μ_j)²)
//
// leaving σ_j out (z_ij = x_ij − μ_j = 0) for a column constant over the pool, as
// the experiment's own standardisation does. Strategies that measure distances on
// the input features use it, so that no feature dominates by its units; on a pool
// the protocol already standardised it changes nothing but rounding. The pool does
// not change during a trial, so the copy is made once.
type zpool struct {
	src *nets.Matrix
	z   nets.Matrix
}

// get returns the z-scored copy of pool, computing it on first use.
func (c *zpool) get(pool *nets.Matrix) *nets.Matrix {
	if c.src == pool && c.z.Rows == pool.Rows && c.z.Cols == pool.Cols {
		return &c.z
	}
	c.src = pool
	n, d := pool.Rows, pool.Cols
	c.z.Resize(n, d)
	copy(c.z.Data, pool.Data)
	if n == 0 {
		return &c.z
	}
	for j := range d {
		var mean float64
		lo, hi := math.Inf(1), math.Inf(-1)
		for i := range n {
			v := pool.Data[i*d+j]
			mean += v
			lo, hi = min(lo, v), max(hi, v)
		}
		mean /= float64(n)
		std := 1.0
		if lo != hi {
			var ss float64
			for i := range n {
				e := pool.Data[i*d+j] - mean
				ss += float64(e * e)
			}
			std = math.Sqrt(ss / float64(n))
		}
		for i := range n {
			c.z.Data[i*d+j] = (pool.Data[i*d+j] - mean) / std
		}
	}
	return &c.z
}

// kmeansIters bounds Lloyd's iterations; they stop earlier once no assignment
// changes (scikit-learn's MiniBatchKMeans, which google/active-learning uses, also
// defaults to 100).
const kmeansIters = 100

// kmeansScratch runs k-means and keeps its buffers between calls, so a strategy
// that clusters every round does not allocate in steady state.
type kmeansScratch struct {
	assign  []int
	centres nets.Matrix
	d2      []float64 // squared distance of each point to its nearest centre
	counts  []int
}

// kmeans clusters the rows of x listed in rows into k clusters (Lloyd 1982) and
// returns assign[i], the cluster of rows[i], and the k×x.Cols centres. It is
// kmeansScratch.run on fresh buffers; see there.
func kmeans(x *nets.Matrix, rows []int, k int, rng *rand.Rand, iters int) (assign []int, centres *nets.Matrix) {
	return new(kmeansScratch).run(x, rows, k, rng, iters)
}

// run clusters the rows of x listed in rows into k ≤ len(rows) clusters and
// returns the assignment (assign[i] for rows[i]) and the centres, both owned by s
// until the next call.
//
// Seeding is k-means++ (Arthur & Vassilvitskii 2007): the first centre is a row
// drawn uniformly from rng, each further one a row drawn with probability
// D(x)²/Σ D², D the distance to the nearest centre so far (uniformly among the
// rows not yet chosen when every D is 0, as with duplicates). Then at most iters
// Lloyd iterations: assign each row to its nearest centre (the lowest centre on
// ties), move each centre to the mean of its rows (an empty cluster keeps its
// centre), and stop when no assignment changes. Draws and sums run in the order
// of rows, so the result is a function of (x, rows, k, the stream); callers pass
// rows in tie order to make it independent of the pool's row order.
func (s *kmeansScratch) run(x *nets.Matrix, rows []int, k int, rng *rand.Rand, iters int) ([]int, *nets.Matrix) {
	m, d := len(rows), x.Cols
	if k < 1 || k > m {
		panic(fmt.Sprintf("strategies: kmeans: %d clusters of %d rows", k, m))
	}
	s.assign = grow(s.assign, m)
	s.d2 = grow(s.d2, m)
	s.counts = grow(s.counts, k)
	s.centres.Resize(k, d)
	s.seed(x, rows, k, rng)
	for i := range s.assign {
		s.assign[i] = -1
	}
	for it := 0; it < iters; it++ {
		changed := false
		for i, r := range rows {
			xi := x.Row(r)
			best, bd := 0, math.Inf(1)
			for c := range k {
				if dc := sqDist(xi, s.centres.Row(c)); dc < bd {
					best, bd = c, dc
				}
			}
			if s.assign[i] != best {
				s.assign[i] = best
				changed = true
			}
		}
		if !changed {
			break
		}
		clear(s.counts)
		for _, c := range s.assign {
			s.counts[c]++
		}
		for c := range k {
			if s.counts[c] > 0 {
				clear(s.centres.Row(c))
			}
		}
		for i, r := range rows {
			c := s.assign[i]
			cen := s.centres.Row(c)
			for j, v := range x.Row(r) {
				cen[j] += v
			}
		}
		for c := range k {
			if n := s.counts[c]; n > 0 {
				inv := 1 / float64(n)
				for j := range s.centres.Row(c) {
					s.centres.Data[c*d+j] *= inv
				}
			}
		}
	}
	return s.assign, &s.centres
}

// seed fills s.centres by k-means++ seeding; s.assign marks chosen rows (−2).
func (s *kmeansScratch) seed(x *nets.Matrix, rows []int, k int, rng *rand.Rand) {
	for i := range s.assign {
		s.assign[i] = 0
		s.d2[i] = math.Inf(1)
	}
	pick := rng.IntN(len(rows))
	for c := 0; ; c++ {
		s.assign[pick] = -2
		copy(s.centres.Row(c), x.Row(rows[pick]))
		if c == k-1 {
			return
		}
		cen := s.centres.Row(c)
		var total float64
		for i, r := range rows {
			if s.assign[i] == -2 {
				s.d2[i] = 0
				continue
			}
			s.d2[i] = math.Min(s.d2[i], sqDist(x.Row(r), cen))
			if math.IsNaN(s.d2[i]) {
				s.d2[i] = 0
			}
			total += s.d2[i]
		}
		pick = -1
		if total > 0 && !math.IsInf(total, 1) {
			u := rng.Float64() * total
			var cum float64
			for i, v := range s.d2 {
				if v <= 0 {
					continue
				}
				cum += v
				pick = i
				if cum > u {
					break
				}
			}
		}
		if pick < 0 { // every remaining row sits on a centre: draw one uniformly
			left := len(rows) - (c + 1)
			j := rng.IntN(left)
			for i := range rows {
				if s.assign[i] != -2 {
					if j == 0 {
						pick = i
						break
					}
					j--
				}
			}
		}
	}
}

// sortByTie sorts rows into tie order (Query.TieRank; ascending rows when nil).
func sortByTie(rows []int, tie []int32) {
	slices.SortFunc(rows, func(a, b int) int {
		switch {
		case tieLess(tie, a, b):
			return -1
		case tieLess(tie, b, a):
			return 1
		}
		return 0
	})
}

// linkage is the rule agglomerative clustering merges by.
type linkage int

const (
	// averageLink: d(A, B) = (1/|A||B|) Σ_{a∈A, b∈B} ‖a − b‖₂ (UPGMA).
	averageLink linkage = iota
	// wardLink: d(A, B) = (2|A||B|/(|A|+|B|)) ‖μ_A − μ_B‖², the increase in the
	// within-cluster sum of squares times two (Ward 1963), on squared distances.
	wardLink
)

// merge is one step of an agglomerative clustering: nodes a and b (leaves are
// 0..n−1, the merge i creates node n+i) joined at height h into a cluster of size
// points.
type merge struct {
	a, b int
	h    float64
	size int
}

// agglomerate clusters every row of x bottom-up by the given linkage and returns
// the merges, children before parents (node n+i is created by merge i): n−1 of
// them, a binary tree, unless stop cuts them short.
//
// It is the nearest-neighbour chain algorithm (Murtagh 1983): follow nearest
// neighbours from a cluster until two clusters are each other's nearest, merge
// them, and continue from the rest of the chain. Both linkages are reducible, so
// the chain finds the same hierarchy as the greedy closest-pair algorithm, though
// not in order of height. Equal distances are broken in favour of the chain's
// previous element (which guarantees progress), then by the tie order of the
// clusters' slots (a merged cluster keeps the slot of its part first in tie
// order), so the hierarchy does not depend on the rows' order in x when tie is a
// permutation that moves with them. A NaN distance never wins, so a point with
// NaN features merges last.
//
// Average linkage needs every pairwise distance: a condensed matrix of n(n−1)/2
// float32 (98 MB at n = 7,000, released on return; float32 halves it, each value
// rounded once when stored, updates computed in float64) updated by the
// Lance–Williams formula
//
//	d(k, i∪j) = (n_i d(k,i) + n_j d(k,j)) / (n_i + n_j),
//
// O(n²·dim) for the distances and O(n²) for the chain. Ward's distance is a
// function of the clusters' sizes and centroids alone, so the chain runs on the
// centroids, merged as size-weighted means, in O(n·dim) memory and O(n²·dim) time.
//
// Merges higher than stop are not made (+Inf builds the whole tree): when the
// chain's last cluster has no neighbour within stop, every cluster on the chain
// is at its final extent below stop — chain distances only shrink towards its
// end, and a reducible linkage never brings a merged cluster closer than its
// parts — so they leave the search, which then scans fewer clusters. The merges
// made are exactly those of the whole tree of height ≤ stop, which is all a cut
// at stop needs.
func agglomerate(x *nets.Matrix, link linkage, tie []int32, stop float64) []merge {
	n := x.Rows
	if n < 2 {
		return nil
	}
	size := make([]int, n)
	for i := range size {
		size[i] = 1
	}
	live := make([]int, n) // live slots, ascending
	for i := range live {
		live[i] = i
	}
	// better reports whether slot c at distance dc beats the best so far, b at bd.
	better := func(c int, dc float64, b int, bd float64, prev int) bool {
		switch {
		case dc != dc:
			return false
		case b < 0 || dc < bd:
			return true
		}
		return dc == bd && b != prev && tieLess(tie, c, b)
	}
	var nearest func(a, prev int) (int, float64)
	var join func(a, b, keep int)
	switch link {
	case averageLink:
		dist := make([]float32, n*(n-1)/2)
		at := func(i, j int) int { // condensed index of the pair i ≠ j
			if i > j {
				i, j = j, i
			}
			return i*n - i*(i+1)/2 + j - i - 1
		}
		for i := range n {
			xi := x.Row(i)
			base := at(i, i+1) - (i + 1)
			for j := i + 1; j < n; j++ {
				dist[base+j] = float32(math.Sqrt(sqDist(xi, x.Row(j))))
			}
		}
		nearest = func(a, prev int) (int, float64) {
			b, bd := -1, math.Inf(1)
			if prev >= 0 {
				b, bd = prev, float64(dist[at(a, prev)])
			}
			for _, c := range live {
				if c != a && c != prev {
					if dc := float64(dist[at(a, c)]); better(c, dc, b, bd, prev) {
						b, bd = c, dc
					}
				}
			}
			return b, bd
		}
		join = func(a, b, keep int) {
			na, nb := float64(size[a]), float64(size[b])
			for _, c := range live {
				if c != a && c != b {
					da, db := float64(dist[at(c, a)]), float64(dist[at(c, b)])
					dist[at(c, keep)] = float32((float64(na*da) + float64(nb*db)) / (na + nb))
				}
			}
		}
	case wardLink:
		cent := nets.NewMatrix(n, x.Cols)
		copy(cent.Data, x.Data)
		ward := func(a, c int) float64 {
			na, nc := float64(size[a]), float64(size[c])
			return float64(2*na*nc) / (na + nc) * sqDist(cent.Row(a), cent.Row(c))
		}
		nearest = func(a, prev int) (int, float64) {
			b, bd := -1, math.Inf(1)
			if prev >= 0 {
				b, bd = prev, ward(a, prev)
			}
			for _, c := range live {
				if c != a && c != prev {
					if dc := ward(a, c); better(c, dc, b, bd, prev) {
						b, bd = c, dc
					}
				}
			}
			return b, bd
		}
		join = func(a, b, keep int) {
			na, nb := float64(size[a]), float64(size[b])
			ca, cb, ck := cent.Row(a), cent.Row(b), cent.Row(keep)
			for j := range ck {
				ck[j] = (float64(na*ca[j]) + float64(nb*cb[j])) / (na + nb)
			}
		}
	default:
		panic(fmt.Sprintf("strategies: unknown linkage %d", link))
	}
	node := make([]int, n) // slot → tree node
	for i := range node {
		node[i] = i
	}
	chain := make([]int, 0, n)
	merges := make([]merge, 0, n-1)
	for len(live) > 1 {
		if len(chain) == 0 {
			chain = append(chain, live[0])
		}
		a := chain[len(chain)-1]
		prev := -1
		if len(chain) > 1 {
			prev = chain[len(chain)-2]
		}
		b, bd := nearest(a, prev)
		if b < 0 { // only NaN distances left: take the first other live slot
			b = live[0]
			if b == a {
				b = live[1]
			}
		}
		if bd > stop {
			for _, c := range chain {
				i, _ := slices.BinarySearch(live, c)
				live = slices.Delete(live, i, i+1)
			}
			chain = chain[:0]
			continue
		}
		if b != prev {
			chain = append(chain, b)
			continue
		}
		chain = chain[:len(chain)-2]
		keep, gone := a, b
		if tieLess(tie, b, a) {
			keep, gone = b, a
		}
		join(a, b, keep)
		merges = append(merges, merge{a: node[a], b: node[b], h: bd, size: size[a] + size[b]})
		size[keep] = size[a] + size[b]
		node[keep] = n + len(merges) - 1
		i, _ := slices.BinarySearch(live, gone)
		live = slices.Delete(live, i, i+1)
	}
	return merges
}

// cutClusters labels each of the n leaves with its flat cluster when the
// hierarchy is cut at height eps: a cluster is a maximal subtree whose merges all
// have height ≤ eps (a leaf on its own otherwise). Clusters are numbered 0, 1, …
// in order of their lowest leaf. The linkages are monotone, so this is the
// partition the greedy algorithm holds when its closest pair first exceeds eps.
func cutClusters(n int, merges []merge, eps float64) []int {
	nodes := n + len(merges)
	ok := make([]bool, nodes) // every merge in the node's subtree is ≤ eps
	up := make([]int, nodes)  // parent node, −1 at the root(s)
	top := make([]int, nodes) // highest ok ancestor reachable through ok nodes
	ids := make([]int, nodes) // cluster number of a top node, −1 until numbered
	for i := range nodes {
		ok[i], up[i], ids[i] = i < n, -1, -1
	}
	for i, m := range merges {
		ok[n+i] = m.h <= eps && ok[m.a] && ok[m.b]
		up[m.a], up[m.b] = n+i, n+i
	}
	for v := nodes - 1; v >= 0; v-- { // parents before children
		top[v] = v
		if p := up[v]; p >= 0 && ok[v] && ok[p] {
			top[v] = top[p]
		}
	}
	label := make([]int, n)
	next := 0
	for i := range n {
		t := top[i]
		if ids[t] < 0 {
			ids[t] = next
			next++
		}
		label[i] = ids[t]
	}
	return label
}
