package strategies

import (
	"context"
	"math"
	"slices"

	"albench/nets"
)

// hierarchical is hierarchical sampling (Dasgupta & Hsu 2008, "Hierarchical
// sampling for active learning", ICML), as google/active-learning's
// HierarchicalClusterAL runs it (the surveys' "Hier": Zhan et al. 2021; Lu et al.
// 2023). It needs no model: it queries where a hierarchical clustering of the pool
// is least sure of the labels revealed so far.
//
// Tree: once per trial, agglomerative clustering of the z-scored pool (zpool)
// with Ward linkage (param linkage: ward, the reference's default, or average).
// Each node v covers the pool rows of its subtree, w_v = |v|/N of them.
//
// Statistics, from the labeled rows (Query.Labeled, Query.Labels) under v: n_v
// labels, p_{v,l} their fraction of class l, and the confidence interval
//
//	Δ_v,l = 1/n_v + √(p_{v,l}(1 − p_{v,l})/n_v),
//	p^LB = max(p − Δ, 0),  p^UB = min(p + Δ, 1)   (p^LB = 0, p^UB = 1 when n_v = 0)
//
// over the classes seen among the labels. Label l is admissible at v when
//
//	1 − p^LB_{v,l} < β · min_{l' ≠ l} (1 − p^UB_{v,l'})   (param beta, default 2)
//
// (always, when l is the only class seen), and v's error for l is 1 − p_{v,l} if
// admissible, else 1. Bottom-up, score(v) is the least error of an admissible
// label, or 1; an internal node that has an admissible label and whose ancestors
// all have one is split when its children's size-weighted scores sum lower.
//
// Pruning: the current pruning P (a set of nodes partitioning the pool) starts as
// the root; at each round every node of P that holds a row labeled since the last
// round (the first round: the root) is replaced by its best pruning, the nodes
// reached by following splits down. Each node v of P carries the label L(v): its
// admissible label of least error, else its nearest ancestor's, else the
// labeled rows' majority (lowest class on ties; the reference draws the root's at
// random).
//
// Selection: B times, draw v ∈ P with probability ∝ w_v (1 − p^LB_{v,L(v)}) —
// large nodes whose label is not yet certain — and query an unlabeled row of v
// uniformly at random (q.Rand), not already in the batch; a node with none left
// is not drawn again.
//
// Deviations from the reference, each to keep Select a function of the trial's
// queries: admissibility is judged on the current counts (the reference
// remembers every label ever admissible); the pruning is kept between rounds and
// refined at the nodes holding the newly labeled rows, which are the nodes the
// reference refines when the harness labels the picks; when the labeled rows do
// not extend the previous round's, P restarts from the root. The paper samples a
// row of v uniformly including labeled ones and counts only those samples; the
// reference (and this) samples unlabeled rows and counts every labeled row.
//
// Cost: the tree, once, O(N²·dim) time (Ward on centroids, O(N·dim) memory;
// average linkage holds N²/2 float32 distances while it builds); a round is
// O(N·C) for the counts and scores, O(|P| log |P|) to order the pruning and
// O(B·(|P| + N)) to sample.
type hierarchical struct {
	link linkage
	beta float64

	z      zpool
	pool   *nets.Matrix // the pool the tree was built for
	n      int          // leaves
	kids   [][2]int     // children of internal node n+i
	up     []int        // parent of each node, −1 at the root
	size   []int        // leaves under each node
	lo, hi []int        // node v covers order[lo[v]:hi[v]]
	order  []int        // leaves in depth-first order
	key    []int        // least TieRank (or row, without one) of the node's leaves

	prune   []int // current pruning
	seen    []int // Query.Labeled folded into prune so far
	started bool

	classes []int     // classes seen among the labels
	cnt     []int     // node × class label counts
	lb, ub  []float64 // node × seen-class bounds
	p       []float64
	score   []float64
	split   []bool
	adm     []bool // node has an admissible label
	best    []int  // node's admissible label of least error, −1 if none
	ancOK   []bool // every proper ancestor has an admissible label
	labeled []bool
	fresh   []bool // node of prune holding a newly labeled row
	next    []int
	weight  []float64
	cand    []int
}

func (*hierarchical) Name() string { return "hierarchical" }

func (s *hierarchical) Select(ctx context.Context, q Query) ([]int, error) {
	k := batchSize(q)
	if k == 0 {
		return []int{}, nil
	}
	if s.pool != q.Pool || s.n != q.Pool.Rows {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		s.buildTree(q)
	}
	s.stats(q)
	s.refine(q)
	return s.sample(q, k), nil
}

// buildTree clusters the pool and records the tree's shape.
func (s *hierarchical) buildTree(q Query) {
	z := s.z.get(q.Pool)
	n := z.Rows
	merges := agglomerate(z, s.link, q.TieRank, math.Inf(1))
	nodes := 2*n - 1
	s.n, s.pool = n, q.Pool
	s.kids = make([][2]int, len(merges))
	s.up = make([]int, nodes)
	s.size = make([]int, nodes)
	for i := range s.up {
		s.up[i] = -1
	}
	for i := range n {
		s.size[i] = 1
	}
	for i, m := range merges {
		s.kids[i] = [2]int{m.a, m.b}
		s.up[m.a], s.up[m.b] = n+i, n+i
		s.size[n+i] = s.size[m.a] + s.size[m.b]
	}
	// Depth-first leaf order, so every node's leaves are one contiguous range.
	s.lo, s.hi = make([]int, nodes), make([]int, nodes)
	s.order = make([]int, 0, n)
	stack := []int{nodes - 1}
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if v < n {
			s.lo[v] = len(s.order)
			s.order = append(s.order, v)
			s.hi[v] = len(s.order)
			continue
		}
		c := s.kids[v-n]
		stack = append(stack, c[1], c[0])
	}
	s.key = make([]int, nodes)
	for i := range n {
		s.key[i] = i
		if q.TieRank != nil {
			s.key[i] = int(q.TieRank[i])
		}
	}
	for i := range merges { // children before parents
		v, c := n+i, s.kids[i]
		s.lo[v], s.hi[v] = s.lo[c[0]], s.hi[c[1]]
		s.key[v] = min(s.key[c[0]], s.key[c[1]])
	}
	s.prune, s.seen, s.started = s.prune[:0], s.seen[:0], false
}

// stats counts the labels under every node and computes bounds, admissibility,
// scores and split decisions (bottom-up), and the ancestors' admissibility.
func (s *hierarchical) stats(q Query) {
	n, nodes := s.n, 2*s.n-1
	s.classes = s.classes[:0]
	for _, y := range q.Labels {
		if !slices.Contains(s.classes, y) {
			s.classes = append(s.classes, y)
		}
	}
	slices.Sort(s.classes)
	c := len(s.classes)
	s.cnt = grow(s.cnt, nodes*c)
	clear(s.cnt)
	for i, r := range q.Labeled {
		s.cnt[r*c+slices.Index(s.classes, q.Labels[i])]++
	}
	for i, kv := range s.kids {
		v := n + i
		for l := range c {
			s.cnt[v*c+l] = s.cnt[kv[0]*c+l] + s.cnt[kv[1]*c+l]
		}
	}
	s.lb, s.ub, s.p = grow(s.lb, nodes*c), grow(s.ub, nodes*c), grow(s.p, nodes*c)
	s.score, s.split = grow(s.score, nodes), grow(s.split, nodes)
	s.adm, s.best, s.ancOK = grow(s.adm, nodes), grow(s.best, nodes), grow(s.ancOK, nodes)
	for v := range nodes { // node ids are children before parents
		s.bounds(v, c)
		s.score[v], s.split[v] = 1, false
		if b := s.best[v]; b >= 0 {
			s.score[v] = 1 - s.p[v*c+b]
		}
	}
	for v := nodes - 1; v >= 0; v-- {
		p := s.up[v]
		s.ancOK[v] = p < 0 || (s.ancOK[p] && s.adm[p])
	}
	for i, kv := range s.kids {
		v := n + i
		if !s.adm[v] || !s.ancOK[v] {
			continue
		}
		sv := float64(s.size[v])
		sp := float64(float64(s.size[kv[0]])/sv*s.score[kv[0]]) + float64(float64(s.size[kv[1]])/sv*s.score[kv[1]])
		if sp < s.score[v] {
			s.score[v], s.split[v] = sp, true
		}
	}
}

// bounds sets node v's class fractions and confidence bounds over the c seen
// classes, its admissible label of least error (best, −1 if none) and adm.
func (s *hierarchical) bounds(v, c int) {
	var nv int
	for l := range c {
		nv += s.cnt[v*c+l]
	}
	p, lb, ub := s.p[v*c:(v+1)*c], s.lb[v*c:(v+1)*c], s.ub[v*c:(v+1)*c]
	for l := range c {
		if nv == 0 {
			p[l], lb[l], ub[l] = 1/float64(c), 0, 1
			continue
		}
		f := float64(s.cnt[v*c+l]) / float64(nv)
		delta := 1/float64(nv) + math.Sqrt(float64(f*(1-f))/float64(nv))
		p[l], lb[l], ub[l] = f, math.Max(f-delta, 0), math.Min(f+delta, 1)
	}
	// The two smallest 1 − p^UB give each label's best alternative.
	m1, m2, arg := math.Inf(1), math.Inf(1), -1
	for l := range c {
		e := 1 - ub[l]
		if e < m1 {
			m1, m2, arg = e, m1, l
		} else if e < m2 {
			m2 = e
		}
	}
	s.best[v], s.adm[v] = -1, false
	for l := range c {
		alt := m1
		if l == arg {
			alt = m2
		}
		if 1-lb[l] < float64(s.beta*alt) || c == 1 {
			s.adm[v] = true
			if b := s.best[v]; b < 0 || p[l] > p[b] {
				s.best[v] = l
			}
		}
	}
}

// refine brings the pruning up to date with the labeled rows: the nodes holding
// rows labeled since the last call are replaced by their best prunings.
func (s *hierarchical) refine(q Query) {
	s.labeled = grow(s.labeled, s.n)
	clear(s.labeled)
	for _, r := range q.Labeled {
		s.labeled[r] = true
	}
	root := 2*s.n - 2
	s.fresh = grow(s.fresh, 2*s.n-1)
	clear(s.fresh)
	if !s.started || len(q.Labeled) < len(s.seen) || !slices.Equal(q.Labeled[:len(s.seen)], s.seen) {
		s.prune = append(s.prune[:0], root)
		s.fresh[root] = true
		s.started = true
	} else {
		for _, r := range q.Labeled[len(s.seen):] {
			s.fresh[s.pruneNodeOf(r)] = true
		}
	}
	s.next = s.next[:0]
	for _, v := range s.prune {
		if !s.fresh[v] {
			s.next = append(s.next, v)
			continue
		}
		s.next = s.descend(v, s.next)
	}
	s.prune, s.next = s.next, s.prune
	// A canonical order (by each node's first leaf in tie order) makes the draws
	// independent of how the tree happens to order children.
	slices.SortFunc(s.prune, func(a, b int) int { return s.key[a] - s.key[b] })
	s.seen = append(s.seen[:0], q.Labeled...)
}

// pruneNodeOf returns the node of the pruning that holds leaf r.
func (s *hierarchical) pruneNodeOf(r int) int {
	pos := s.lo[r]
	for _, v := range s.prune {
		if s.lo[v] <= pos && pos < s.hi[v] {
			return v
		}
	}
	panic("strategies: hierarchical: the pruning does not cover every leaf")
}

// descend appends v's best pruning, following split decisions down.
func (s *hierarchical) descend(v int, out []int) []int {
	if v < s.n || !s.split[v] {
		return append(out, v)
	}
	c := s.kids[v-s.n]
	out = s.descend(c[0], out)
	return s.descend(c[1], out)
}

// label returns L(v): v's best admissible label, else its nearest ancestor's,
// else the labeled rows' majority class (an index into s.classes; −1 with none).
func (s *hierarchical) label(v int) int {
	for u := v; u >= 0; u = s.up[u] {
		if s.best[u] >= 0 {
			return s.best[u]
		}
	}
	c, root := len(s.classes), 2*s.n-2
	best := -1
	for l := range c {
		if best < 0 || s.cnt[root*c+l] > s.cnt[root*c+best] {
			best = l
		}
	}
	return best
}

// sample draws the batch: a pruning node by weight, then an unlabeled row under it.
func (s *hierarchical) sample(q Query, k int) []int {
	c := len(s.classes)
	s.weight = grow(s.weight, len(s.prune))
	var total float64
	for i, v := range s.prune {
		w := float64(s.size[v]) / float64(s.n)
		if l := s.label(v); l >= 0 {
			w *= 1 - s.lb[v*c+l]
		}
		s.weight[i] = w
		total += w
	}
	out := make([]int, 0, k)
	for len(out) < k {
		i := -1
		if total > 0 {
			u := q.Rand.Float64() * total
			var cum float64
			for j, w := range s.weight {
				if w <= 0 {
					continue
				}
				cum += w
				i = j
				if cum > u {
					break
				}
			}
		}
		if i < 0 { // weights lost to rounding: the first node with rows left
			for j, w := range s.weight {
				if w > 0 {
					i = j
					break
				}
			}
		}
		v := s.prune[i]
		s.cand = s.cand[:0]
		for _, r := range s.order[s.lo[v]:s.hi[v]] {
			if !s.labeled[r] {
				s.cand = append(s.cand, r)
			}
		}
		if len(s.cand) == 0 {
			total -= s.weight[i]
			s.weight[i] = 0
			if total <= 0 {
				total = 0
				for _, w := range s.weight {
					total += w
				}
			}
			continue
		}
		// Leaf order varies with how the tree orders children; tie order makes
		// the draw depend on the set alone.
		slices.SortFunc(s.cand, func(a, b int) int { return s.key[a] - s.key[b] })
		r := s.cand[q.Rand.IntN(len(s.cand))]
		out = append(out, r)
		s.labeled[r] = true // not again in this batch
	}
	return out
}
