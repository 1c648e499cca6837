package strategies

import (
	"context"
	"math"
	"slices"

	"albench/internal/fmath"
	"albench/nets"
)

// graphDensity is graph-density sampling (Ebert, Fritz & Schiele 2012, "RALF: a
// reinforced active learning formulation for object class recognition", CVPR,
// §3.2), read as google/active-learning's graph_density sampler implements it (the
// surveys' "Graph": Zhan et al. 2021; Lu et al. 2023). It queries the
// representatives of dense regions, one region at a time, without a model.
//
// Graph: each pool row is joined to its n_neighbors nearest rows (param, default
// 10) by Manhattan distance on the z-scored features (zpool), the graph made
// symmetric (i ~ j when either is among the other's neighbours), and an edge
// weighted by
//
//	w_ij = exp(−γ ‖x_i − x_j‖₁),   γ = 1/dim
//
// — the reference calls it a Gaussian kernel, but it is exp of the (unsquared) L1
// distance with scikit-learn's default RBF γ, a Laplacian kernel, and that is
// what is implemented here. The density of a row is its mean edge weight,
//
//	dens(i) = Σ_{j ~ i} w_ij / |{j ~ i : w_ij > 0}|.
//
// Selection: the unlabeled row of highest density is picked (ties by
// Query.TieRank), then every neighbour's density is lowered by the pick's,
// dens(j) ← dens(j) − dens(i*) for j ~ i*, so the next pick tends to come from
// another dense region; repeated B times.
//
// The reference keeps the lowered densities from round to round. Here they are
// recomputed each round by replaying the lowering for the labeled rows in the
// order they were labeled (Query.Labeled) before picking, which gives the same
// densities for the rows this strategy picked and also lowers the neighbourhoods
// of the initial labeled rows, and keeps Select a function of the query.
//
// Cost: the graph is built once per trial in O(N²·dim) time (each pair once) and
// O(N·k) memory; a round costs O(N + |L|·k + B·N).
type graphDensity struct {
	neighbors int

	z     zpool
	pool  *nets.Matrix // the pool the graph was built for
	off   []int        // adjacency of row i: adj[off[i]:off[i+1]], ascending
	adj   []int
	start []float64 // density of each pool row before any lowering

	dens []float64
	done []bool // labeled or picked
}

func (*graphDensity) Name() string { return "graph_density" }

func (s *graphDensity) Select(ctx context.Context, q Query) ([]int, error) {
	k := batchSize(q)
	if k == 0 {
		return []int{}, nil
	}
	if s.pool != q.Pool || len(s.start) != q.Pool.Rows {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		s.build(q.Pool, q.TieRank)
	}
	n := q.Pool.Rows
	s.dens = append(s.dens[:0], s.start...)
	s.done = grow(s.done, n)
	clear(s.done)
	for _, r := range q.Labeled {
		s.lower(r)
	}
	out := make([]int, 0, k)
	for len(out) < k {
		best := -1
		for _, r := range q.Unlabeled {
			if s.done[r] {
				continue
			}
			if best < 0 || s.dens[r] > s.dens[best] || (math.IsNaN(s.dens[best]) && !math.IsNaN(s.dens[r])) ||
				(s.dens[r] == s.dens[best] && tieLess(q.TieRank, r, best)) {
				best = r
			}
		}
		out = append(out, best)
		s.lower(best)
	}
	return out, nil
}

// lower takes row r out of the running and lowers its neighbours' densities by its own.
func (s *graphDensity) lower(r int) {
	d := s.dens[r]
	for _, j := range s.adj[s.off[r]:s.off[r+1]] {
		s.dens[j] -= d
	}
	s.done[r] = true
}

// neighbour is a candidate neighbour in a row's bounded max-heap.
type neighbour struct {
	d   float64
	row int
}

// build computes the symmetric k-NN graph of the z-scored pool and the starting
// densities. Each pair's distance is computed once and offered to both rows'
// heaps of their k nearest (nearer first, equal distances by TieRank).
func (s *graphDensity) build(pool *nets.Matrix, tie []int32) {
	z := s.z.get(pool)
	n, dim := z.Rows, z.Cols
	k := min(s.neighbors, n-1)
	heaps := make([][]neighbour, n)
	if k > 0 {
		buf := make([]neighbour, n*k)
		for i := range heaps {
			heaps[i] = buf[i*k : i*k : (i+1)*k]
		}
	}
	// worse reports whether a ranks after b as a neighbour.
	worse := func(a, b neighbour) bool {
		if a.d != b.d {
			return a.d > b.d || math.IsNaN(a.d)
		}
		return tieLess(tie, b.row, a.row)
	}
	offer := func(h []neighbour, c neighbour) []neighbour {
		if len(h) < k {
			h = append(h, c)
			for i := len(h) - 1; i > 0; { // sift up: worst at the root
				p := (i - 1) / 2
				if !worse(h[i], h[p]) {
					break
				}
				h[i], h[p] = h[p], h[i]
				i = p
			}
			return h
		}
		if !worse(h[0], c) {
			return h
		}
		h[0] = c
		for i := 0; ; { // sift down
			l, w := 2*i+1, i
			if l < len(h) && worse(h[l], h[w]) {
				w = l
			}
			if l+1 < len(h) && worse(h[l+1], h[w]) {
				w = l + 1
			}
			if w == i {
				return h
			}
			h[i], h[w] = h[w], h[i]
			i = w
		}
	}
	if k > 0 {
		for i := range n {
			xi := z.Row(i)
			for j := i + 1; j < n; j++ {
				var d float64
				for t, v := range z.Row(j) {
					d += math.Abs(xi[t] - v)
				}
				heaps[i] = offer(heaps[i], neighbour{d, j})
				heaps[j] = offer(heaps[j], neighbour{d, i})
			}
		}
	}
	// Symmetrise: i ~ j when j is in heap i or i in heap j.
	deg := make([]int, n)
	for i, h := range heaps {
		for _, c := range h {
			deg[i]++
			deg[c.row]++
		}
	}
	s.off = grow(s.off, n+1)
	s.off[0] = 0
	for i := range n {
		s.off[i+1] = s.off[i] + deg[i]
	}
	s.adj = grow(s.adj, s.off[n])
	fill := deg[:0:0]
	fill = append(fill, s.off[:n]...)
	for i, h := range heaps {
		for _, c := range h {
			s.adj[fill[i]] = c.row
			fill[i]++
			s.adj[fill[c.row]] = i
			fill[c.row]++
		}
	}
	gamma := 1 / float64(max(1, dim))
	s.start = grow(s.start, n)
	w := 0
	for i := range n {
		a := s.adj[s.off[i]:s.off[i+1]]
		slices.Sort(a)
		a = slices.Compact(a)
		var sum float64
		cnt := 0
		for _, j := range a {
			var d float64
			for t, v := range z.Row(j) {
				d += math.Abs(z.Data[i*dim+t] - v)
			}
			if wt := fmath.Exp(-gamma * d); wt > 0 {
				sum += wt
				cnt++
			}
		}
		s.start[i] = 0
		if cnt > 0 {
			s.start[i] = sum / float64(cnt)
		}
		// Compact in place: row i's list moves down to w.
		s.off[i] = w
		w += copy(s.adj[w:], a)
	}
	s.off[n] = w
	s.adj = s.adj[:w]
	s.pool = pool
}
