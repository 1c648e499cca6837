package strategies

// The distance strategies as they were before the fast distance path
// (distance.go), kept as the reference their picks must equal bit for bit.

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"

	"albench/internal/fmath"
	"albench/learners"
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
type refCoreset struct {
	emb     nets.Matrix
	minDist []float64 // squared distance of each unlabeled row to its nearest centre (NaN sticks); −1 once picked

	z        zpool
	basePool *nets.Matrix // the pool base was computed for
	centres  []int        // labeled rows already folded into base, in Query.Labeled order
	base     []float64    // squared distance of each pool row to its nearest centre in centres
}

func (*refCoreset) Name() string { return "coreset" }

func (s *refCoreset) Select(ctx context.Context, q Query) ([]int, error) {
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
func (s *refCoreset) labeledDistances(phi *nets.Matrix, labeled []int) {
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
func (s *refCoreset) addCentre(phi *nets.Matrix, unlabeled []int, c int) {
	e := phi.Row(c)
	for i, r := range unlabeled {
		if s.minDist[i] < 0 {
			continue
		}
		s.minDist[i] = math.Min(s.minDist[i], sqDist(phi.Row(r), e))
	}
}

// badge is batch active learning by diverse gradient embeddings (Ash, Zhang,
// Krishnamurthy, Langford & Agarwal 2020, "Deep batch active learning by diverse,
// uncertain gradient lower bounds", ICLR). Each unlabeled row is embedded as the
// gradient of the loss at the predicted label ŷ with respect to the last layer,
//
//	g_x = ∂ℓ(x, ŷ)/∂θ_last,   whose norm grows with the model's uncertainty,
//
// and the batch is chosen by k-means++ seeding (Arthur & Vassilvitskii 2007) on the
// g_x: the first pick is the row of largest ‖g_x‖ (ties by Query.TieRank; the
// paper's code takes the first argmax), and each further pick is drawn from q.Rand with
// probability
//
//	P(x) = D(x)² / Σ_u D(u)²,   D(x) = min over picks c of ‖g_x − g_c‖₂
//
// so the batch is both uncertain (long gradients) and diverse (far apart): a row that
// duplicates a pick has D = 0 and is never drawn. When every remaining row duplicates a
// pick (Σ D² = 0) the remaining row first in Query.TieRank is taken.
type refBadge struct {
	g      nets.Matrix
	d2     []float64 // D(x)² of each unlabeled row; 0 once picked
	picked []bool
	probScratch
}

func (*refBadge) Name() string { return "badge" }

func (s *refBadge) Select(ctx context.Context, q Query) ([]int, error) {
	k := batchSize(q)
	if k == 0 {
		return []int{}, nil
	}
	ge, ok := q.Model.(learners.GradEmbedder)
	if !ok {
		return nil, errors.New("strategies: badge: the model does not provide gradient embeddings")
	}
	u := len(q.Unlabeled)
	s.x.Gather(q.Pool, q.Unlabeled)
	ge.GradEmbed(&s.x, &s.g)
	checkShape("gradient embeddings", &s.g, u, ge.GradEmbedDim())

	s.d2 = grow(s.d2, u)
	s.picked = grow(s.picked, u)
	clear(s.picked)
	first, best := 0, -1.0
	for i := range u {
		g := s.g.Row(i)
		if n := dot(g, g); n > best || (n == best && tieLess(q.TieRank, q.Unlabeled[i], q.Unlabeled[first])) {
			first, best = i, n
		}
		s.d2[i] = math.Inf(1)
	}
	out := make([]int, 0, k)
	pick := first
	for {
		out = append(out, q.Unlabeled[pick])
		s.picked[pick] = true
		if len(out) == k {
			return out, nil
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		c := s.g.Row(pick)
		var total float64
		for i := range u {
			if s.picked[i] {
				s.d2[i] = 0
				continue
			}
			s.d2[i] = math.Min(s.d2[i], sqDist(s.g.Row(i), c))
			if math.IsNaN(s.d2[i]) {
				s.d2[i] = 0 // a NaN embedding ranks last, like a duplicate, and keeps total a number
			}
			total += s.d2[i]
		}
		pick = s.draw(total, q)
	}
}

// draw samples an unpicked row with probability d2/total, or returns the lowest
// unpicked row when total is zero (or not finite, which only overflow can cause).
func (s *refBadge) draw(total float64, q Query) int {
	if total > 0 && !math.IsInf(total, 1) {
		r := q.Rand.Float64() * total
		last := -1
		var cum float64
		for i, d := range s.d2 {
			if s.picked[i] || d <= 0 {
				continue
			}
			cum += d
			last = i
			if cum > r {
				return i
			}
		}
		if last >= 0 {
			return last // r fell past the summed weights through rounding
		}
	}
	pick := -1
	for i, p := range s.picked {
		if !p && (pick < 0 || tieLess(q.TieRank, q.Unlabeled[i], q.Unlabeled[pick])) {
			pick = i
		}
	}
	if pick < 0 {
		panic("strategies: badge: no row left to pick") // unreachable: k ≤ len(q.Unlabeled)
	}
	return pick
}

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
// O(B·(N/K)²·d) for the typicality of the B chosen clusters; memory O(N·d).
type refTypiclust struct {
	maxClusters int
	neighbors   int

	space   lbSpace
	km      refLbKMeans
	covered []int // labeled or picked rows per cluster
	size    []int
	first   []int // member of each cluster first in TieRank order
	taken   []bool
	members []int
	dists   []float64
}

func (*refTypiclust) Name() string { return "typiclust" }

func (s *refTypiclust) Select(ctx context.Context, q Query) ([]int, error) {
	b := batchSize(q)
	if b == 0 {
		return []int{}, nil
	}
	x := s.space.of(q)
	n := x.Rows
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
func (s *refTypiclust) mostTypical(x *nets.Matrix, c int, tie []int32) int {
	s.members = s.members[:0]
	for r, a := range s.km.assign {
		if a == c {
			s.members = append(s.members, r)
		}
	}
	kn := min(s.neighbors, len(s.members)-1)
	best, bestT := -1, math.Inf(-1)
	for _, r := range s.members {
		if s.taken[r] {
			continue
		}
		t := math.Inf(1) // alone in its cluster
		if kn > 0 {
			// The kn smallest distances, kept sorted by insertion (kn is small), then
			// summed in ascending order so the sum does not depend on member order.
			s.dists = s.dists[:0]
			for _, o := range s.members {
				if o == r {
					continue
				}
				d := math.Sqrt(sqDist(x.Row(r), x.Row(o)))
				if len(s.dists) == kn {
					if !(d < s.dists[kn-1]) {
						continue
					}
					s.dists = s.dists[:kn-1]
				}
				i, _ := slices.BinarySearch(s.dists, d)
				s.dists = slices.Insert(s.dists, i, d)
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
type refProbcover struct {
	delta  float64
	purity float64

	space   lbSpace
	km      refLbKMeans
	margin  []float64 // m(x), in cluster order
	order   []int     // rows in cluster order
	sorted  nets.Matrix
	covered []bool
	taken   []bool
	degree  []int
}

func (*refProbcover) Name() string { return "probcover" }

func (s *refProbcover) Select(ctx context.Context, q Query) ([]int, error) {
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
func (s *refProbcover) cover(x *nets.Matrix, c int, d2 float64, update bool) {
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
func (s *refProbcover) purityDelta(x *nets.Matrix, k int, q Query) float64 {
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

// lbKMeans is Lloyd's k-means with k-means++ seeding (Arthur & Vassilvitskii 2007)
// drawn from a given stream, keeping its buffers between calls. Assignment ties go to
// the lower centre; an empty cluster keeps its previous centre. Lloyd's iterations
// stop when no row changes cluster, when the centres move by a total squared shift
// of at most 10⁻⁴ × the mean per-feature variance of the rows (scikit-learn's
// default tolerance), or after lbKMeansIters iterations.
type refLbKMeans struct {
	centers nets.Matrix // k × d
	assign  []int       // cluster of each row
	d2      []float64   // squared distance of each row to its nearest centre (seeding)
	counts  []int
	prev    []float64 // centres before an update
}

// fit clusters the rows of x into k clusters (1 ≤ k ≤ x.Rows), leaving the result in
// s.assign and s.centers. Cost O(iterations × rows × k × d).
func (s *refLbKMeans) fit(x *nets.Matrix, k int, rng *rand.Rand) {
	n, d := x.Rows, x.Cols
	s.centers.Resize(k, d)
	s.assign = grow(s.assign, n)
	s.d2 = grow(s.d2, n)
	s.counts = grow(s.counts, k)
	// k-means++: the first centre uniformly, each next with probability ∝ D(x)².
	copy(s.centers.Row(0), x.Row(rng.IntN(n)))
	for i := range n {
		s.d2[i] = sqDist(x.Row(i), s.centers.Row(0))
	}
	for c := 1; c < k; c++ {
		var total float64
		for _, v := range s.d2 {
			total += v
		}
		pick := -1
		if total > 0 && !math.IsInf(total, 0) && !math.IsNaN(total) {
			u := rng.Float64() * total
			for i, v := range s.d2 {
				if u < v {
					pick = i
					break
				}
				u -= v
			}
		}
		if pick < 0 {
			// Every row sits on a centre (duplicates), or rounding ran past the end:
			// any row will do, drawn uniformly.
			pick = rng.IntN(n)
		}
		copy(s.centers.Row(c), x.Row(pick))
		for i := range n {
			s.d2[i] = math.Min(s.d2[i], sqDist(x.Row(i), s.centers.Row(c)))
		}
	}
	for i := range s.assign {
		s.assign[i] = -1
	}
	tol := 1e-4 * lbMeanVariance(x)
	for range lbKMeansIters {
		moved := false
		for i := range n {
			best, bd := 0, math.Inf(1)
			for c := range k {
				if dd := sqDist(x.Row(i), s.centers.Row(c)); dd < bd {
					best, bd = c, dd
				}
			}
			if s.assign[i] != best {
				s.assign[i] = best
				moved = true
			}
		}
		if !moved {
			return
		}
		s.prev = append(s.prev[:0], s.centers.Data...)
		clear(s.counts)
		for i, c := range s.assign {
			s.counts[c]++
			if s.counts[c] == 1 {
				clear(s.centers.Row(c))
			}
			row := s.centers.Row(c)
			for j, v := range x.Row(i) {
				row[j] += v
			}
		}
		for c, m := range s.counts {
			if m == 0 {
				continue // empty: the previous centre stays
			}
			inv := 1 / float64(m)
			row := s.centers.Row(c)
			for j := range row {
				row[j] *= inv
			}
		}
		if sqDist(s.centers.Data, s.prev) <= tol {
			return
		}
	}
}

// dwus is density-weighted uncertainty sampling (Nguyen & Smeulders 2004, "Active
// learning using pre-clustering", ICML), in the form of the comparative survey of
// Zhan et al. (2021, "A comparative survey: benchmarking for pool-based active
// learning", IJCAI): the uncertainty of a point weighted by how likely the pool's
// distribution makes it,
//
//	DWUS(x) = u(x) × p(x),   p(x) = Σ_k π_k N(x; μ_k, diag σ_k²)
//
// with p a Gaussian mixture of `components` diagonal-covariance components (default
// 10, capped at the pool size) fitted by EM to the whole pool, labeled and unlabeled
// rows, on the features z-scored over the pool (a per-feature rescaling changes every
// density by the same factor, so the ranking is that of the raw features; it only
// conditions EM). Nguyen & Smeulders weight the expected error of the current
// prediction, E[(ŷ − y)² | x], which for a 0/1 label is the probability of the other
// class; u is therefore least confidence 1 − max_y p(y|x) by default, or entropy, or
// 1 − margin (param base). Rows are ranked by log u(x) + log p(x), the same order
// without the underflow of p(x) in many dimensions; u(x) = 0 ranks last. Ties go by
// Query.TieRank.
//
// EM starts from k-means (k-means++ seeding from q.Rand, as scikit-learn's default
// initialisation): means at the centres, weights the cluster shares, variances the
// within-cluster ones; every variance gets 1e-6 added (scikit-learn's reg_covar) so
// a component cannot collapse onto one point. It stops when the mean log-likelihood
// gains less than 1e-3 or after 100 iterations. The mixture is fitted once per trial
// (the pool does not change): O(I·N·K·d) once, then O(N·C) per round.
type refDwus struct {
	components int
	measure    func(p []float64) float64

	space lbSpace
	km    refLbKMeans
	pool  *nets.Matrix // the pool logp was computed for
	logp  []float64    // log p(x) of each pool row
	w     []float64    // mixture weights, log weights
	mu    nets.Matrix  // K × d means
	vr    nets.Matrix  // K × d variances
	resp  nets.Matrix  // N × K responsibilities
	norm  []float64    // per component: log π_k − ½ Σ_j log(2π σ²_kj)
	nk    []float64
	probScratch
	scores []float64
	rank   ranker
}

func (*refDwus) Name() string { return "dwus" }

func (s *refDwus) Select(ctx context.Context, q Query) ([]int, error) {
	k := batchSize(q)
	if k == 0 {
		return []int{}, nil
	}
	if s.pool != q.Pool || len(s.logp) != q.Pool.Rows {
		if err := s.fitMixture(ctx, s.space.standardized(q.Pool), q); err != nil {
			return nil, err
		}
		s.pool = q.Pool
	}
	p := s.probs(q)
	s.scores = grow(s.scores, p.Rows)
	for i, r := range q.Unlabeled {
		u := s.measure(p.Row(i))
		switch {
		case u > 0:
			s.scores[i] = fmath.Log(u) + s.logp[r]
		case u == 0 || u < 0:
			s.scores[i] = math.Inf(-1)
		default:
			s.scores[i] = u // NaN: ranks last
		}
	}
	return s.rank.topK(q.TieRank, q.Unlabeled, s.scores, k), nil
}

// fitMixture fits the mixture to the rows of z by EM and leaves log p(x) of each row
// in s.logp.
func (s *refDwus) fitMixture(ctx context.Context, z *nets.Matrix, q Query) error {
	n, d := z.Rows, z.Cols
	kc := min(s.components, n)
	s.km.fit(z, kc, q.Rand)
	s.w, s.nk, s.norm = grow(s.w, kc), grow(s.nk, kc), grow(s.norm, kc)
	s.mu.Resize(kc, d)
	s.vr.Resize(kc, d)
	s.resp.Resize(n, kc)
	clear(s.w)
	clear(s.resp.Data)
	for i, c := range s.km.assign {
		s.resp.Data[i*kc+c] = 1
	}
	s.mStep(z)
	s.logp = grow(s.logp, n)
	prev := math.Inf(-1)
	for range 100 {
		if err := ctx.Err(); err != nil {
			return err
		}
		ll := s.eStep(z)
		s.mStep(z)
		if ll-prev < 1e-3 {
			break
		}
		prev = ll
	}
	// The densities of the final parameters.
	s.eStep(z)
	return nil
}

// mStep sets the weights, means and variances from the responsibilities. A
// component with no weight keeps its previous parameters (or, at the start, a unit
// variance around the origin of the z-scored features).
func (s *refDwus) mStep(z *nets.Matrix) {
	n, d, kc := z.Rows, z.Cols, len(s.w)
	clear(s.nk)
	for i := range n {
		for c, r := range s.resp.Row(i) {
			s.nk[c] += r
		}
	}
	for c := range kc {
		if !(s.nk[c] > 1e-12) {
			if s.w[c] == 0 {
				clear(s.mu.Row(c))
				for j := range d {
					s.vr.Data[c*d+j] = 1
				}
			}
			s.w[c] = 0
			continue
		}
		s.w[c] = s.nk[c] / float64(n)
		mu, vr := s.mu.Row(c), s.vr.Row(c)
		clear(mu)
		for i := range n {
			r := s.resp.Data[i*kc+c]
			for j, v := range z.Row(i) {
				mu[j] += float64(r * v)
			}
		}
		inv := 1 / s.nk[c]
		for j := range mu {
			mu[j] *= inv
		}
		clear(vr)
		for i := range n {
			r := s.resp.Data[i*kc+c]
			for j, v := range z.Row(i) {
				e := v - mu[j]
				vr[j] += float64(r * float64(e*e))
			}
		}
		for j := range vr {
			vr[j] = float64(vr[j]*inv) + dwusReg
		}
	}
}

// eStep sets the responsibilities and s.logp from the parameters and returns the
// mean log-likelihood of the rows.
func (s *refDwus) eStep(z *nets.Matrix) float64 {
	n, kc := z.Rows, len(s.w)
	log2pi := fmath.Log(2 * math.Pi)
	for c := range kc {
		if s.w[c] == 0 {
			s.norm[c] = math.Inf(-1)
			continue
		}
		v := fmath.Log(s.w[c])
		for _, sd := range s.vr.Row(c) {
			v -= float64(0.5 * (log2pi + fmath.Log(sd)))
		}
		s.norm[c] = v
	}
	var total float64
	for i := range n {
		x, lr := z.Row(i), s.resp.Row(i)
		top := math.Inf(-1)
		for c := range kc {
			if math.IsInf(s.norm[c], -1) {
				lr[c] = s.norm[c]
				continue
			}
			var q float64
			mu, vr := s.mu.Row(c), s.vr.Row(c)
			for j, v := range x {
				e := v - mu[j]
				q += float64(e*e) / vr[j]
			}
			lr[c] = s.norm[c] - float64(0.5*q)
			top = math.Max(top, lr[c])
		}
		var sum float64
		for c := range kc {
			lr[c] = fmath.Exp(lr[c] - top)
			sum += lr[c]
		}
		for c := range kc {
			lr[c] /= sum
		}
		s.logp[i] = top + fmath.Log(sum)
		total += s.logp[i]
	}
	return total / float64(n)
}
