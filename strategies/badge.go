package strategies

import (
	"context"
	"errors"
	"fmt"
	"math"

	"albench/learners"
	"albench/nets"
)

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
//
// After each pick, D(x)² is measured with the scalar formula only for the rows
// whose nearest pick is not more than twice as far from the new pick as from
// them: the triangle inequality, with the rounding bound, proves the others keep
// theirs (lowerNearest, the test of sqDists.lowerNearest in distance.go), so
// every D(x)², every sum and every draw is the scalar formula's, and the rows
// far from the new pick are not read at all.
//
// The g_x are kept in factored form, g_x[c·E + j] = coef_xc·h_xj with
// coef_xc = p_c(x) − 1[c = ŷ] and h_x the E-wide embedding
// (nets.Net.GradEmbedFactorsRows): K + E numbers per row instead of K·E (a
// million-row pool would otherwise hold a K·E-wide matrix as large as the
// pool). Each element is formed when read as the rounded product fl(coef·h),
// the very number GradEmbed stores, so the squared norms and sqDist's sums
// are the ones on the stored g, bit for bit; only the latest pick's g is
// materialised. A model that offers only dense embeddings (GradEmbed) goes
// through the same code with K = 1, coef = 1 and h = g (1·g is exact).
type badge struct {
	coef   nets.Matrix // u × K: coef_xc (u × 1 of ones for a dense embedder)
	h      nets.Matrix // u × E: the embedding h_x (the dense g_x for a dense embedder)
	c      []float64   // the latest pick's g, K·E
	d2     []float64   // D(x)² of each unlabeled row; 0 once picked
	near   []int32     // the position among the picks of one at distance √d2 from each row, −1 if none is known
	cd     []float64   // per pick: its squared distance to the latest pick
	idx    []int       // the picks, as indices of rows of coef and h
	picked []bool
	probScratch
}

// gradFactorer is a model that gives the factors of its gradient embeddings of
// listed rows of a matrix where they are (nets.Net.GradEmbedFactorsRows):
// coef (len(rows) × Classes) and h (len(rows) × GradEmbedDim/Classes) with
// GradEmbed's element c·E + j the rounded product coef_c·h_j.
type gradFactorer interface {
	GradEmbedFactorsRows(x *nets.Matrix, rows []int, coef, h *nets.Matrix)
}

func (*badge) Name() string { return "badge" }

func (s *badge) Select(ctx context.Context, q Query) ([]int, error) {
	k := batchSize(q)
	if k == 0 {
		return []int{}, nil
	}
	ge, ok := q.Model.(learners.GradEmbedder)
	if !ok {
		return nil, errors.New("strategies: badge: the model does not provide gradient embeddings")
	}
	u := len(q.Unlabeled)
	s.embed(q, ge)

	s.d2 = grow(s.d2, u)
	s.picked = grow(s.picked, u)
	clear(s.picked)
	first, best := 0, -1.0
	for i := range u {
		if n := s.sqNorm(i); n > best || (n == best && tieLess(q.TieRank, q.Unlabeled[i], q.Unlabeled[first])) {
			first, best = i, n
		}
		s.d2[i] = math.Inf(1)
	}
	out := make([]int, 0, k)
	pick := first
	s.idx = s.idx[:0]
	s.near, s.cd = grow(s.near, u), grow(s.cd, k)
	s.c = grow(s.c, s.coef.Cols*s.h.Cols)
	for i := range s.near {
		s.near[i] = -1
	}
	for {
		out = append(out, q.Unlabeled[pick])
		s.idx = append(s.idx, pick)
		s.picked[pick] = true
		if len(out) == k {
			return out, nil
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		s.materialise(pick)
		for j, r := range s.idx {
			s.cd[j] = s.sqDistTo(r, s.c)
		}
		s.d2[pick] = -1 // not measured again
		s.lowerNearest(int32(len(s.idx)-1), dot(s.c, s.c))
		var total float64
		for i := range u {
			if s.picked[i] {
				continue
			}
			if math.IsNaN(s.d2[i]) {
				s.d2[i] = 0 // a NaN embedding ranks last, like a duplicate, and keeps total a number
			}
			total += s.d2[i]
		}
		pick = s.draw(total, q)
	}
}

// embed sets s.coef and s.h to the factors of the unlabeled rows' gradient
// embeddings: the model's own (K = Classes) when it gives them, else coef = 1
// and h = GradEmbed (K = 1).
func (s *badge) embed(q Query, ge learners.GradEmbedder) {
	u, dim := len(q.Unlabeled), ge.GradEmbedDim()
	if gf, ok := q.Model.(gradFactorer); ok {
		gf.GradEmbedFactorsRows(q.Pool, q.Unlabeled, &s.coef, &s.h) // no gathered copy of the pool
		kc := q.Model.Classes()
		checkShape("gradient embedding coefficients", &s.coef, u, kc)
		checkShape("gradient embedding factors", &s.h, u, dim/kc)
		if kc*s.h.Cols != dim {
			panic(fmt.Sprintf("strategies: gradient embedding factors of widths %d and %d for a %d-wide embedding", kc, s.h.Cols, dim))
		}
		return
	}
	if gr, ok := q.Model.(rowsGradEmbedder); ok {
		gr.GradEmbedRows(q.Pool, q.Unlabeled, &s.h) // no gathered copy of the pool
	} else {
		s.x.Gather(q.Pool, q.Unlabeled)
		ge.GradEmbed(&s.x, &s.h)
	}
	checkShape("gradient embeddings", &s.h, u, dim)
	s.coef.Resize(u, 1)
	for i := range s.coef.Data {
		s.coef.Data[i] = 1
	}
}

// materialise sets s.c to row i's g, the products fl(coef_c·h_j).
func (s *badge) materialise(i int) {
	h := s.h.Row(i)
	e := len(h)
	for c, a := range s.coef.Row(i) {
		gc := s.c[c*e : c*e+e]
		for j, b := range h {
			gc[j] = float64(a * b)
		}
	}
}

// sqNorm returns ‖g_i‖², dot(g_i, g_i) on the stored g: Σ_p fl(g_ip²) in order
// of p = c·E + j, each g_ip formed as fl(coef_ic·h_ij).
func (s *badge) sqNorm(i int) float64 {
	h := s.h.Row(i)
	var n float64
	for _, a := range s.coef.Row(i) {
		if a == 1 { // fl(1·h) = h
			for _, v := range h {
				n += float64(v * v)
			}
			continue
		}
		for _, b := range h {
			v := float64(a * b)
			n += float64(v * v)
		}
	}
	return n
}

// sqDistTo returns sqDist(g_i, c) on the stored g: Σ_p fl((g_ip − c_p)²) in
// order of p = c·E + j, each g_ip formed as fl(coef_ic·h_ij). (Against a pick
// as first argument the differences only change sign, exactly, and the squares
// not at all.) A block with coef 1 (a dense embedder's) skips the products,
// which are exact there; the others are unrolled by four, in the same order.
func (s *badge) sqDistTo(i int, c []float64) float64 {
	h := s.h.Row(i)
	e := len(h)
	var d float64
	for k, a := range s.coef.Row(i) {
		ck := c[k*e : k*e+e]
		ck = ck[:len(h)]
		if a == 1 { // fl(1·h) = h
			for j, b := range h {
				t := b - ck[j]
				d += float64(t * t)
			}
			continue
		}
		j := 0
		for ; j+4 <= len(h); j += 4 {
			hj, cj := h[j:j+4:j+4], ck[j:j+4:j+4]
			t0 := float64(a*hj[0]) - cj[0]
			t1 := float64(a*hj[1]) - cj[1]
			t2 := float64(a*hj[2]) - cj[2]
			t3 := float64(a*hj[3]) - cj[3]
			d += float64(t0 * t0)
			d += float64(t1 * t1)
			d += float64(t2 * t2)
			d += float64(t3 * t3)
		}
		for ; j < len(h); j++ {
			t := float64(a*h[j]) - ck[j]
			d += float64(t * t)
		}
	}
	return d
}

// lowerNearest is sqDists.lowerNearest on the factored g with the latest pick
// materialised in s.c: it sets d2[r] = min(d2[r], sqDist(g_r, s.c)) (math.Min's
// result, NaN sticking) for the rows with d2[r] ≥ 0 and keeps near[r] up to
// date (pos is the pick's position, pn its squared norm), skipping unread the
// rows that the triangle inequality proves it cannot lower,
//
//	cd[near[r]] > 4(1 + 16γ_{n+2})·(d2[r] + 2⁻¹⁰⁰⁰),   n = K·E,
//
// and the rows at d2[r] = 0, unless pn is not finite (see distance.go).
func (s *badge) lowerNearest(pos int32, pn float64) {
	prune := !math.IsNaN(pn) && !math.IsInf(pn, 0)
	factor := pruneFactor(len(s.c))
	d2, near, cd, c := s.d2, s.near[:len(s.d2)], s.cd, s.c
	for r, mr := range d2 {
		if skipNearest(mr, near[r], cd, factor, prune) {
			continue
		}
		switch d := s.sqDistTo(r, c); {
		case d < mr:
			d2[r], near[r] = d, pos
		case d != d:
			d2[r] = d
		}
	}
}

// draw samples an unpicked row with probability d2/total, or returns the lowest
// unpicked row when total is zero (or not finite, which only overflow can cause).
func (s *badge) draw(total float64, q Query) int {
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

func dot(a, b []float64) float64 {
	var s float64
	for i, v := range a {
		s += float64(v * b[i])
	}
	return s
}
