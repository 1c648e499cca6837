package strategies

import (
	"context"
	"fmt"
	"math"
	"slices"

	"albench/internal/fmath"
	"albench/nets"
)

// quireMaxPool bounds the pool QUIRE accepts. Its state holds a row of V per pool
// row, 8 · n · stride bytes with the stride the labeled count rounded up to a power of
// two (at least 16); the bound keeps a whole-pool labeling under 2 GB.
const quireMaxPool = 15000

// quire is QUIRE, querying informative and representative examples (Huang, Jin &
// Zhou 2010, "Active Learning by Querying Informative and Representative Examples",
// NIPS; libact's QUIRE). With K the kernel over the whole pool and L = (K + λI)^{−1},
// a candidate s, the labeled rows l with labels y_l ∈ {±1} and u = U \ {s} the other
// unlabeled rows, the paper's min-max objective (worst label of s, best real labels
// of u) leads to the score, to be minimised,
//
//	eva(s) = L_ss − L_su L_uu^{−1} L_us + 2 |(L_sl − L_su L_uu^{−1} L_ul) y_l|
//
// (the y_lᵀ(·)y_l term of the same expansion, which does not involve y_s, is left
// out, as in the paper). Both brackets are blocks of the Schur complement of L_uu in
// L, and that complement is the inverse of the (l+s) block of L^{−1} = K + λI (the
// block-inverse identity). So, with G = K_ll + λI and k_s = K_ls,
//
//	L_ss − L_su L_uu^{−1} L_us = 1/(λ + σ²(s)),   σ²(s) = K_ss − k_sᵀ G^{−1} k_s
//	(L_sl − L_su L_uu^{−1} L_ul) y_l = −f(s)/(λ + σ²(s)),   f(s) = k_sᵀ G^{−1} y_l
//	eva(s) = (1 + 2|f(s)|) / (λ + σ²(s))
//
// exactly: f is kernel ridge regression on the labels (informativeness: near the
// boundary) and σ² its posterior variance (representativeness: far from what is
// labeled, in the kernel's geometry). No n × n inverse is needed. The strategy keeps
// a Cholesky factor G = RRᵀ grown by one column per newly labeled row (the columns
// V = K_{·l} R^{−T} over every pool row, σ² updated as each column is added), so a
// round costs O(n · l) per new label plus O(l² + U · l) for f, a trial O(n · l²) in
// all — libact inverts an n_u × n_u block per candidate, O(n_u³) per round after an
// O(n³) inverse of K + λI. (libact's code also departs from the formula: its first
// term is L_ss − det(L_UU)/L_ss, and its L_UU^{−1} uses (λI)^{−1} where
// (K_ll + λI)^{−1} belongs. The test checks this code against the formula with
// explicit inverses.)
// Memory is 8 · n · l bytes (up to twice that, as rows widen by doubling); the pool
// is limited to quireMaxPool rows.
//
// Batches: after each pick the pick joins the conditioning set with its label set to
// its own prediction f (kriging believer): f of the other rows is unchanged and σ²
// shrinks near the pick, so the next pick is drawn elsewhere. It costs one more
// column, O(U · (l + batch)), per pick.
//
// Labels: with the labeled classes present being two, the larger is +1 and the
// smaller −1 (the paper's binary case); one class present is +1 for every labeled
// row; with more, each present class c gives a one-vs-rest y_l^c and |f| is replaced
// by the mean over those classes of |f^c| (for two classes the binary score). The
// defaults are libact's: rbf with γ = 1, λ = 1 (poly: degree 3, coef0 1). Ties break
// by q.TieRank.
type quire struct {
	kern   kernelFunc
	lambda float64

	pool    *nets.Matrix
	order   []int     // the labeled rows the factor covers, in order
	v       []float64 // n × stride, v[r*stride+j] = V[r, j]: row-major, so a row's entries are contiguous
	stride  int
	vari    []float64 // σ²(r) given the factor's rows, every pool row
	diag    []float64 // R's diagonal
	work    []float64 // σ² of the round's believer updates, per unlabeled position
	w       []float64 // U × batch believer columns of the current Select
	z       []float64 // R^{−1} y^c
	y       []float64
	f       []float64 // mean |f^c| per unlabeled position
	scores  []float64
	taken   []bool
	present []int
}

// kernelFunc evaluates K(a, b) for quire and hintsvm:
//
//	linear: a·b
//	poly:   (γ a·b + coef0)^degree
//	rbf:    exp(−γ ‖a − b‖²)
type kernelFunc struct {
	kind         string
	gamma, coef0 float64
	degree       int
}

func (k *kernelFunc) eval(a, b []float64) float64 {
	switch k.kind {
	case "linear":
		return dot(a, b)
	case "poly":
		base := float64(k.gamma*dot(a, b)) + k.coef0
		r := 1.0
		for range k.degree {
			r *= base
		}
		return r
	}
	return fmath.Exp(-k.gamma * sqDist(a, b))
}

func (*quire) Name() string { return "quire" }

func (s *quire) Select(ctx context.Context, q Query) ([]int, error) {
	k := batchSize(q)
	if k == 0 {
		return []int{}, nil
	}
	n := q.Pool.Rows
	if n > quireMaxPool {
		return nil, fmt.Errorf("strategies: quire: the pool has %d rows, more than the %d quire accepts (its state is 8 · pool · labeled bytes)", n, quireMaxPool)
	}
	if err := s.sync(ctx, q); err != nil {
		return nil, err
	}
	u := len(q.Unlabeled)
	s.labelScores(q)
	s.work = grow(s.work, u)
	for i, r := range q.Unlabeled {
		s.work[i] = s.vari[r]
	}
	s.scores = grow(s.scores, u)
	s.taken = grow(s.taken, u)
	clear(s.taken)
	s.w = grow(s.w, u*k)
	out := make([]int, 0, k)
	for {
		for i := range u {
			// −eva, so that larger is better.
			s.scores[i] = -(1 + float64(2*s.f[i])) / (s.lambda + math.Max(0, s.work[i]))
		}
		p := bestUntaken(q, s.scores, s.taken)
		out = append(out, q.Unlabeled[p])
		s.taken[p] = true
		if len(out) == k {
			return out, nil
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		s.believe(q, p, len(out)-1, k)
	}
}

// sync brings the factor up to q.Labeled: new rows extend it, anything else (a new
// pool, a labeled list that is not an extension) rebuilds it.
func (s *quire) sync(ctx context.Context, q Query) error {
	n := q.Pool.Rows
	if s.pool != q.Pool || len(q.Labeled) < len(s.order) || !slices.Equal(s.order, q.Labeled[:len(s.order)]) {
		s.pool = q.Pool
		s.order = s.order[:0]
		s.diag = s.diag[:0]
		s.vari = grow(s.vari, n)
		for r := range n {
			x := q.Pool.Row(r)
			s.vari[r] = s.kern.eval(x, x)
		}
	}
	if need := len(q.Labeled); need > s.stride || len(s.v) < n*s.stride {
		// Widen the rows, doubling, and move what is there (amortised O(n · l)).
		stride := max(16, s.stride)
		for stride < need {
			stride *= 2
		}
		nv := make([]float64, n*stride)
		if len(s.v) >= n*s.stride {
			for r := range n {
				copy(nv[r*stride:r*stride+len(s.order)], s.v[r*s.stride:r*s.stride+len(s.order)])
			}
		}
		s.v, s.stride = nv, stride
	}
	for _, r := range q.Labeled[len(s.order):] {
		if err := ctx.Err(); err != nil {
			return err
		}
		s.extend(q.Pool, r)
		s.order = append(s.order, r)
	}
	return nil
}

// extend adds the column of a new conditioning row r to V over every pool row i,
//
//	V[i, j] = (K(i, r) − V[i, :j]·V[r, :j]) / d,   d = √(λ + σ²(r)),
//
// with d on the diagonal, and lowers σ²(i) by V[i, j]².
func (s *quire) extend(pool *nets.Matrix, r int) {
	j, st := len(s.order), s.stride
	xr := pool.Row(r)
	vr := s.v[r*st : r*st+j]
	d := math.Sqrt(s.lambda + math.Max(0, s.vari[r]))
	for i := range pool.Rows {
		vi := s.v[i*st : i*st+j+1]
		x := (s.kern.eval(pool.Row(i), xr) - dot(vi[:j], vr)) / d
		vi[j] = x
		s.vari[i] -= float64(x * x)
	}
	s.v[r*st+j] = d // R's diagonal; the formula gives (d² − λ)/d
	s.diag = append(s.diag, d)
}

// labelScores sets s.f[i] to the mean over the label vectors of |f^c| at unlabeled
// position i.
func (s *quire) labelScores(q Query) {
	u, l := len(q.Unlabeled), len(s.order)
	s.f = grow(s.f, u)
	clear(s.f)
	s.present = s.present[:0]
	for _, y := range q.Labels {
		if !slices.Contains(s.present, y) {
			s.present = append(s.present, y)
		}
	}
	slices.Sort(s.present)
	if len(s.present) == 0 {
		return
	}
	vectors := s.present
	if len(vectors) <= 2 {
		vectors = vectors[len(vectors)-1:] // the larger class against the smaller, or the only one
	}
	s.y = grow(s.y, l)
	s.z = grow(s.z, l)
	w := 1 / float64(len(vectors))
	for _, c := range vectors {
		for j, y := range q.Labels {
			s.y[j] = -1
			if y == c {
				s.y[j] = 1
			}
		}
		// Forward substitution R z = y; R[j, :j] = V[order[j], :j].
		st := s.stride
		for j, rj := range s.order {
			s.z[j] = (s.y[j] - dot(s.v[rj*st:rj*st+j], s.z[:j])) / s.diag[j]
		}
		for i, r := range q.Unlabeled {
			f := dot(s.v[r*st:r*st+l], s.z)
			s.f[i] += float64(w * math.Abs(f))
		}
	}
}

// believe conditions the round's variances on unlabeled position p (kriging
// believer): one more column b over the unlabeled rows,
//
//	W[i, b] = (K(i, p) − V[i]·V[p] − W[i, :b]·W[p, :b]) / √(λ + σ²(p)).
func (s *quire) believe(q Query, p, b, k int) {
	r := q.Unlabeled[p]
	xr := q.Pool.Row(r)
	l, st := len(s.order), s.stride
	vr := s.v[r*st : r*st+l]
	wp := s.w[p*k : p*k+b]
	d := math.Sqrt(s.lambda + math.Max(0, s.work[p]))
	for i, ri := range q.Unlabeled {
		wi := s.w[i*k : i*k+b+1]
		x := (s.kern.eval(q.Pool.Row(ri), xr) - dot(s.v[ri*st:ri*st+l], vr) - dot(wi[:b], wp)) / d
		wi[b] = x
		s.work[i] -= float64(x * x)
	}
}

// bestUntaken returns the untaken position of the highest score, ties to the lower
// TieRank, NaN below every number: the order of ranker.topK, one pick at a time.
func bestUntaken(q Query, scores []float64, taken []bool) int {
	best := -1
	for i, v := range scores {
		if taken[i] {
			continue
		}
		if v != v {
			v = math.Inf(-1)
			scores[i] = v
		}
		if best < 0 || v > scores[best] || (v == scores[best] && tieLess(q.TieRank, q.Unlabeled[i], q.Unlabeled[best])) {
			best = i
		}
	}
	return best
}
