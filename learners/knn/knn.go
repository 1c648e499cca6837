// Package knn is the k-nearest-neighbours classifier as scikit-learn's
// KNeighborsClassifier(n_neighbors=5, weights='uniform'|'distance',
// algorithm='brute', metric='minkowski', p=2) computes it.
//
// For a query x the k training rows nearest in Euclidean distance
// d_i = ‖x − x_i‖₂ vote for their labels, and
//
//	p(c|x) = Σ_{i ∈ N_k(x), y_i = c} w_i / Σ_{i ∈ N_k(x)} w_i
//
// with w_i = 1 (weights='uniform') or w_i = 1/d_i (weights='distance'). As in
// scikit-learn, when some of the k neighbours are at distance 0 they alone vote,
// each with weight 1, and the others get weight 0. The prediction is the class of
// largest vote, the lowest such class on ties (scipy's mode and scikit-learn's
// weighted_mode both return the smallest of the modal labels).
//
// Equidistant neighbours. scikit-learn's brute-force search (ArgKmin) keeps the k
// best candidates in a bounded max-heap of squared distances, visiting the
// training rows in index order: a candidate enters only if strictly nearer than
// the heap's current maximum, which it then replaces, sifting down towards the
// larger child (the left one when the two are equal). Which of several rows tied
// at the k-th distance survive is therefore not always the lowest-index ones
// (querying 10 against the 1-D rows 0 2 1 1 3 −1 2 0 4 1 with k = 5 keeps row 3
// and drops row 2). This package runs the same heap on the same visiting order,
// so it keeps the same rows as scikit-learn whenever scikit-learn searches the
// training set as a single chunk (up to 256 rows, or one thread); with more rows
// and threads scikit-learn's own choice depends on its thread count. Distances
// here are computed exactly, as Σ_j (x_j − x_ij)², while scikit-learn's Euclidean
// kernel uses ‖x‖² − 2x·x_i + ‖x_i‖², which can leave a duplicate point at a
// distance of about 1e-7 instead of 0; such rounding artefacts are not copied.
//
// n_neighbors larger than the training set: scikit-learn raises an error; here
// the model uses all n training rows instead (k = min(n_neighbors, n)), because an
// active learner's first rounds often have fewer labelled points than
// n_neighbors. Model.NNeighbors reports the k in use.
//
// Reference: scikit-learn, sklearn/neighbors/_classification.py and
// sklearn/neighbors/_base.py (_get_weights); sklearn/utils/_heap.pyx.
package knn

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"albench/learners/internal/check"
	"albench/nets"
)

// Weights values.
const (
	Uniform  = "uniform"  // every neighbour votes 1
	Distance = "distance" // a neighbour votes 1/d
)

// DefaultNNeighbors is scikit-learn's default n_neighbors.
const DefaultNNeighbors = 5

// Params are KNeighborsClassifier's hyperparameters, named as in scikit-learn.
// The metric is fixed to Minkowski with p = 2 (Euclidean) and the search is brute
// force.
type Params struct {
	// NNeighbors is n_neighbors, the number of neighbours that vote; 0 means 5.
	NNeighbors int
	// Weights is weights: Uniform or Distance; "" means Uniform.
	Weights string
}

func (p Params) k() int {
	if p.NNeighbors == 0 {
		return DefaultNNeighbors
	}
	return p.NNeighbors
}

// Validate reports whether p is usable: NNeighbors ≥ 0 and Weights "", Uniform or
// Distance.
func (p Params) Validate() error {
	if p.NNeighbors < 0 {
		return fmt.Errorf("knn: n_neighbors %d must be positive", p.NNeighbors)
	}
	switch p.Weights {
	case "", Uniform, Distance:
		return nil
	}
	return fmt.Errorf("knn: weights %q must be %q or %q", p.Weights, Uniform, Distance)
}

// Model is a fitted nearest-neighbours classifier: a copy of the training set.
// Its methods reuse buffers it owns, so a Model must not be used from several
// goroutines at once.
type Model struct {
	classes  int
	k        int
	distance bool
	x        nets.Matrix // training rows (a copy)
	y        []int

	heapD []float64 // squared distances of the k candidates, a max-heap
	heapI []int     // their training rows
	order []int     // heap positions sorted by (distance, row)
	votes []float64 // Predict's per-class scratch
}

// Fit stores a copy of x and y (labels in [0, classes)). rng is unused: the
// classifier is deterministic. It returns an error for invalid parameters or
// data, never for n_neighbors > x.Rows (see the package documentation).
func (p Params) Fit(ctx context.Context, x *nets.Matrix, y []int, classes int, rng *rand.Rand) (*Model, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if err := checkData(x, y, classes); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	k := min(p.k(), x.Rows)
	m := &Model{
		classes:  classes,
		k:        k,
		distance: p.Weights == Distance,
		x:        nets.Matrix{Rows: x.Rows, Cols: x.Cols, Data: append([]float64(nil), x.Data...)},
		y:        append([]int(nil), y...),
		heapD:    make([]float64, k),
		heapI:    make([]int, k),
		order:    make([]int, k),
		votes:    make([]float64, classes),
	}
	return m, nil
}

func checkData(x *nets.Matrix, y []int, classes int) error {
	return check.Data("knn", x, y, classes)
}

// Classes returns the number of classes the model was fitted with.
func (m *Model) Classes() int { return m.classes }

// NNeighbors returns the number of neighbours in use, min(n_neighbors, training rows).
func (m *Model) NNeighbors() int { return m.k }

func (m *Model) check(x *nets.Matrix) {
	if x.Cols != m.x.Cols || len(x.Data) != x.Rows*x.Cols {
		panic(fmt.Sprintf("knn: input %d×%d (%d elements), model has %d features",
			x.Rows, x.Cols, len(x.Data), m.x.Cols))
	}
}

// search fills the heap with the k nearest training rows of q and m.order with
// the heap positions sorted by increasing distance (then row).
func (m *Model) search(q []float64) {
	for i := range m.heapD {
		m.heapD[i] = math.Inf(1)
		m.heapI[i] = -1
	}
	d := m.x.Cols
	for i := range m.x.Rows {
		xi := m.x.Data[i*d : (i+1)*d]
		var s float64
		for j, v := range q {
			r := v - xi[j]
			s += float64(r * r)
		}
		m.push(s, i)
	}
	for i := range m.order {
		m.order[i] = i
	}
	sort.Sort(byDistance{m})
}

// push offers training row i at squared distance s to the bounded max-heap,
// following scikit-learn's rule: s enters only if s < the root, replacing it; the
// hole then moves down to the larger child (the left child when both are equal)
// while that child is larger than s.
func (m *Model) push(s float64, i int) {
	v, idx := m.heapD, m.heapI
	n := len(v)
	if !(s < v[0]) {
		return
	}
	pos := 0
	for {
		l := 2*pos + 1
		r := l + 1
		var child int
		switch {
		case l >= n:
			child = -1
		case r >= n || v[l] >= v[r]:
			child = l
		default:
			child = r
		}
		if child < 0 || !(s < v[child]) {
			break
		}
		v[pos], idx[pos] = v[child], idx[child]
		pos = child
	}
	v[pos], idx[pos] = s, i
}

type byDistance struct{ m *Model }

func (b byDistance) Len() int { return len(b.m.order) }
func (b byDistance) Less(i, j int) bool {
	a, c := b.m.order[i], b.m.order[j]
	if b.m.heapD[a] != b.m.heapD[c] {
		return b.m.heapD[a] < b.m.heapD[c]
	}
	return b.m.heapI[a] < b.m.heapI[c]
}
func (b byDistance) Swap(i, j int) { b.m.order[i], b.m.order[j] = b.m.order[j], b.m.order[i] }

// Neighbors sets dist (resized to x.Rows × NNeighbors) to the Euclidean distances
// of each row's nearest training rows, in increasing order (ties by row), and
// ind[i*NNeighbors+r] to their training row indices; scikit-learn's kneighbors.
func (m *Model) Neighbors(x, dist *nets.Matrix, ind []int) {
	m.check(x)
	if len(ind) != x.Rows*m.k {
		panic(fmt.Sprintf("knn: %d neighbour indices for %d rows × %d", len(ind), x.Rows, m.k))
	}
	dist.Resize(x.Rows, m.k)
	for i := range x.Rows {
		m.search(x.Row(i))
		for r, h := range m.order {
			dist.Data[i*m.k+r] = math.Sqrt(m.heapD[h])
			ind[i*m.k+r] = m.heapI[h]
		}
	}
}

// votesOf sets votes to the per-class weighted votes of the current search and
// returns their sum.
func (m *Model) votesOf(votes []float64) float64 {
	clear(votes)
	zero := false
	if m.distance {
		for _, h := range m.order {
			if m.heapD[h] == 0 {
				zero = true
				break
			}
		}
	}
	for _, h := range m.order {
		w := 1.0
		switch {
		case zero:
			if m.heapD[h] != 0 {
				w = 0
			}
		case m.distance:
			w = 1 / math.Sqrt(m.heapD[h])
		}
		votes[m.y[m.heapI[h]]] += w
	}
	var s float64
	for _, v := range votes {
		s += v
	}
	return s
}

// Probs sets out (resized to x.Rows × Classes) to the (weighted) vote fractions
// of each row's neighbours. It does not allocate once out has the capacity.
func (m *Model) Probs(x, out *nets.Matrix) {
	m.check(x)
	out.Resize(x.Rows, m.classes)
	for i := range x.Rows {
		m.search(x.Row(i))
		o := out.Row(i)
		s := m.votesOf(o)
		for c := range o {
			o[c] /= s
		}
	}
}

// Predict sets out[i] to the class of largest (weighted) vote among row i's
// neighbours, the lowest such class on ties.
func (m *Model) Predict(x *nets.Matrix, out []int) {
	m.check(x)
	if len(out) != x.Rows {
		panic(fmt.Sprintf("knn: %d predictions for %d rows", len(out), x.Rows))
	}
	for i := range x.Rows {
		m.search(x.Row(i))
		m.votesOf(m.votes)
		best := 0
		for c, v := range m.votes {
			if v > m.votes[best] {
				best = c
			}
		}
		out[i] = best
	}
}
