package strategies

import (
	"math"

	"albench/nets"
)

// Fast squared distances with exact decisions.
//
// The distance strategies decide by comparisons of squared distances computed by
// sqDist, the scalar sum Σ_p (a_p − b_p)² in order of p: a running minimum
// (coreset, badge, k-means seeding and assignment), a top-k boundary (typiclust's
// nearest neighbours), a threshold (probcover's δ-balls). The fast path computes
// the expansion
//
//	d̃ = (‖a‖² + ‖b‖²) − 2·a·b
//
// with the dot products as a blocked matrix product (nets.CrossDots, the AVX2
// kernels where the CPU has them) and the squared norms ‖·‖² once per
// representation. With n the dimension, u = 2⁻⁵³, γ_k = k·u/(1 − k·u), A = ‖a‖²,
// B = ‖b‖² and d = ‖a − b‖² exactly (Higham 2002, §3.1):
//
//	|fl(A) − A| ≤ γ_n·A,   |fl(a·b) − a·b| ≤ γ_n·Σ|a_p b_p| ≤ γ_n·(A + B)/2,
//	|d̃ − d| ≤ (2γ_n + 3u)(A + B)(1 + O(u))          (the two roundings of the sum)
//	|sqDist(a, b) − d| ≤ γ_{n+2}·d ≤ 2γ_{n+2}·(A + B)  (difference, square, n − 1 adds)
//
// so |d̃ − sqDist(a, b)| < 5γ_{n+2}·(A + B) ≤ 5γ_{n+2}·(fl(A) + fl(B))/(1 − γ_n).
// The bound used is 16γ_{n+2}·(fl(A) + fl(B)), with an absolute term for
// underflow (each product that underflows errs by at most 2⁻¹⁰⁷⁵; 2⁻¹⁰⁰⁰ covers
// any count of them):
//
//	|d̃ − sqDist(a, b)| ≤ E = 16γ_{n+2}·(fl(A) + fl(B)) + 2⁻¹⁰⁰⁰,
//
// whatever the kernel set (fused or not, any summation order of the dot). The
// kernel actually forms w = ‖b‖² + a·(−2b), the norm as the sum's first term,
// and d̃ = ‖a‖² + w, which errs by at most 6γ_{n+2}·(A + B) (see lowerMin); the
// spare, at least 10γ_{n+2}·(A + B) ≥ 30u·(A + B), absorbs the roundings of the
// tests built on it: E itself, d̃ ± E, a threshold moved to the other side (as
// in w against d2 − ‖a‖² ± E), each a few operations on values of at most a few
// (A + B), about 16u·(A + B) in all (a threshold far above that decides by a
// wide margin). E is taken at the largest ‖b‖² of a block of centres, which
// only widens it. A
// decision that d̃ ± E cannot settle is taken on sqDist itself, so every
// decision, and every distance value kept, is the scalar formula's: the picks
// are bit-identical to measuring every pair with sqDist. Non-finite norms or
// products make d̃ ± E NaN or infinite, and the tests are written so that such
// a pair is always measured exactly.

// panelRows is the number of rows whose products are computed at once: the panel
// (panelRows × dim) and its products stay in cache.
const panelRows = 252

// centreBlock bounds the centres multiplied against one panel.
const centreBlock = 64

// expansionSlack returns 16γ_{n+2} for dimension n: E = slack·(fl(A) + fl(B)) + tinySlack.
func expansionSlack(n int) float64 {
	u := math.Ldexp(1, -53)
	k := float64(n + 2)
	return 16 * float64(k*u) / (1 - float64(k*u))
}

// tinySlack is the absolute term of the bound, for products that underflow.
var tinySlack = math.Ldexp(1, -1000)

// normCap bounds ‖a‖² + ‖b‖² for the fast path: below it no sum of the scalar
// formula or of the expansion overflows (‖a − b‖² ≤ 2(‖a‖² + ‖b‖²) < 2¹⁰²¹), and
// E is finite; a row with a larger (or non-finite) sum is measured against every
// centre.
const normCap = 0x1p1020

// sqNorms sets out[r] = ‖x.Row(r)‖² for every row (the sequential dot of dot).
func sqNorms(out []float64, x *nets.Matrix) []float64 {
	out = grow(out, x.Rows)
	for r := range x.Rows {
		v := x.Row(r)
		out[r] = dot(v, v)
	}
	return out
}

// sqDists holds the buffers of the fast distance path.
type sqDists struct {
	dots  nets.CrossDots
	cen   nets.Matrix // the centres of a block, gathered (a few rows)
	cnorm []float64
	m1    []float64 // per row of a panel: the smallest w_c = ‖c‖² − 2·r·c
	m2    []float64 // the second smallest
	arg   []float64 // the centre of m1 (a small integer)
	inT   []float64 // per row of a panel: w below it is inside the ball (within)
	outT  []float64 // w at or above it is outside
}

// lowerMin sets m[r] = min(m[r], min_j sqDist(x.Row(r), x.Row(centres[j]))) for
// the rows r listed in rows (every row of x when rows is nil) with m[r] ≥ 0 (a
// negative m[r] is a marker, left alone), and near[r] (when near is not nil) to
// first + the position in centres of a centre at that distance. With sticky, the minimum is math.Min's (a NaN
// distance makes m[r] NaN, and a NaN m[r] is left alone); without, NaN
// distances are ignored (m[r] = d only when d < m[r]). norms holds
// ‖x.Row(r)‖² of every row. The result does not depend on the order of the
// centres.
//
// Per row r and centre c the kernel forms w_c = ‖c‖² + r·(−2c) (the bias ‖c‖²
// and the centre scaled by −2, exactly), so that d̃_c = ‖r‖² + w_c, and only the
// centres with d̃_c − E ≤ min(m[r], min_c d̃_c + E), that is
// w_c ≤ min(min_c w_c + 2E, m[r] − ‖r‖² + E) with E at the block's largest ‖c‖²,
// are measured with sqDist; the others are farther than the minimum. (This
// order of the operations errs by at most 6γ_{n+2}(A + B), inside the margin of
// E.) Usually one centre qualifies, found with the two smallest w. A row whose
// ‖r‖² + max ‖c‖² is not below normCap is measured against every centre.
func (s *sqDists) lowerMin(x *nets.Matrix, norms, m []float64, near []int32, first int, rows, centres []int, sticky bool) {
	slack := expansionSlack(x.Cols)
	n := x.Rows
	if rows != nil {
		n = len(rows)
	}
	update := func(r, j int) { // j: position in centres
		d := sqDist(x.Row(r), x.Row(centres[j]))
		switch {
		case d < m[r]:
			m[r] = d
			if near != nil {
				near[r] = int32(first + j)
			}
		case sticky && d != d:
			m[r] = d
		}
	}
	for cb := 0; cb < len(centres); cb += centreBlock {
		block := centres[cb:min(cb+centreBlock, len(centres))]
		cmax := s.gatherCentres(x, block, norms)
		for lo := 0; lo < n; lo += panelRows {
			hi := min(lo+panelRows, n)
			out, ld := s.panel(x, rows, lo, hi)
			s.minTwo(out, ld, hi-lo)
			for i := range hi - lo {
				r := rowOf(rows, lo+i)
				mr := m[r]
				if !(mr >= 0) {
					continue
				}
				na := norms[r]
				if !(na+cmax <= normCap) {
					for j := range block {
						update(r, cb+j)
					}
					continue
				}
				e := float64(slack*(na+cmax)) + tinySlack
				thr := min(s.m1[i]+float64(2*e), (mr-na)+e)
				switch {
				case s.m1[i] > thr:
				case s.m2[i] > thr:
					update(r, cb+int(s.arg[i]))
				default:
					for j := range block {
						if out[j*ld+i] <= thr {
							update(r, cb+j)
						}
					}
				}
			}
		}
	}
}

// rowOf is the row of x at position i of a panel's row list (rows nil: row i).
func rowOf(rows []int, i int) int {
	if rows == nil {
		return i
	}
	return rows[i]
}

// panel returns w for the rows at positions lo..hi−1 of rows (rows nil: the
// rows lo..hi−1 of x) and the centres gathered in s.cen.
func (s *sqDists) panel(x *nets.Matrix, rows []int, lo, hi int) ([]float64, int) {
	if rows == nil {
		return s.dots.Range(x, lo, hi, &s.cen, s.cnorm)
	}
	return s.dots.Rows(x, rows[lo:hi], &s.cen, s.cnorm)
}

// minTwo sets, for the h rows of a panel of w (one row of out per centre),
// s.m1[i] ≤ s.m2[i] to the two smallest w (+Inf when there are fewer) and
// s.arg[i] to the first centre at s.m1[i] (nets.MinTwo, vectorised). Rows whose
// norms are below normCap have no NaN w.
func (s *sqDists) minTwo(out []float64, ld, h int) {
	s.m1, s.m2, s.arg = growRows(s.m1, h), growRows(s.m2, h), growRows(s.arg, h)
	inf := math.Inf(1)
	for i := range h {
		s.m1[i], s.m2[i], s.arg[i] = inf, inf, 0
	}
	nets.MinTwo(out, ld, s.cen.Rows, h, s.m1, s.m2, s.arg)
}

// pruneFactor is the triangle-inequality test's factor 4(1 + 16γ_{n+2}) for
// dimension n (see lowerNearest).
func pruneFactor(n int) float64 {
	u := math.Ldexp(1, -53)
	k := float64(n + 2)
	g := float64(k*u) / (1 - float64(k*u))
	return 4 * (1 + float64(16*g))
}

// lowerNearest sets m[r] = min(m[r], sqDist(x.Row(r), x.Row(p))) (math.Min's
// result, NaN sticking) for the rows r with m[r] ≥ 0, and keeps near[r], the
// position (in the caller's list of centres) of a centre whose sqDist to r is
// m[r] (−1 when none is known), up to date; pos is p's position. cd[j] must hold
// sqDist(x.Row(p), centre j) for every position j named in near.
//
// A row is skipped without being read when the triangle inequality proves that
// p cannot lower it: with t = ‖r − c‖ and D = ‖p − c‖ (real numbers, c = near[r])
// and sqDist within a factor 1 ± g of the exact square (g = γ_{n+2}, plus an
// absolute 2⁻¹⁰⁷⁵ per underflowing term, which 2⁻¹⁰⁰⁰ covers),
//
//	cd[c] > 4(1 + 16g)·(m[r] + 2⁻¹⁰⁰⁰)  ⇒  D ≥ (2 + g)·t  ⇒  ‖r − p‖ ≥ D − t ≥ (1 + g)·t
//	                                    ⇒  sqDist(r, p) ≥ (1 − g)(1 + g)²·t² ≥ m[r],
//
// and so is a row at m[r] = 0 (no sqDist is below 0). Both shortcuts need p's
// row to be finite (a NaN centre turns every minimum into NaN), so a centre
// with a non-finite squared norm pn is measured against every row. (A pass
// that reads every row is bound by memory bandwidth at large pools, so the rows
// left are measured by sqDist itself; four interleaved sums were slower there.)
func (s *sqDists) lowerNearest(x *nets.Matrix, m []float64, near []int32, p int, pos int32, pn float64, cd []float64) {
	prune := !math.IsNaN(pn) && !math.IsInf(pn, 0)
	factor := pruneFactor(x.Cols)
	b := x.Row(p)
	for r, mr := range m {
		if skipNearest(mr, near[r], cd, factor, prune) {
			continue
		}
		switch d := sqDist(x.Row(r), b); {
		case d < mr:
			m[r], near[r] = d, pos
		case d != d:
			m[r] = d
		}
	}
}

// skipNearest reports whether lowerNearest may leave a row alone: a marked
// row (m[r] < 0 or NaN), or, with prune, a row at m[r] = 0 or one whose
// nearest centre c (near, −1 if unknown) is so far from the new one that the
// triangle inequality proves it cannot lower m[r]: cd[c] > factor·(m[r] + 2⁻¹⁰⁰⁰).
func skipNearest(mr float64, near int32, cd []float64, factor float64, prune bool) bool {
	if !(mr >= 0) {
		return true
	}
	if !prune {
		return false
	}
	if mr == 0 {
		return true
	}
	if near >= 0 {
		if dc := cd[near]; dc <= math.MaxFloat64 && dc > float64(factor*(mr+tinySlack)) {
			return true
		}
	}
	return false
}

// growRows is grow for the per-row buffers of a panel: made for panelRows rows
// when they must grow, so that panels of varying sizes allocate once.
func growRows(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n, max(n, panelRows))
	}
	return s[:n]
}

// gatherCentres sets s.cen to −2 × the rows block (at most centreBlock) of x
// (exact: a power of two) and s.cnorm to their squared norms, the kernel's
// biases, and returns the largest of these (NaN if one is NaN). The storage is
// made for a whole block so that blocks of varying sizes allocate once.
func (s *sqDists) gatherCentres(x *nets.Matrix, block []int, norms []float64) float64 {
	if cap(s.cen.Data) < centreBlock*x.Cols {
		s.cen.Data = make([]float64, 0, centreBlock*x.Cols)
	}
	s.cen.Gather(x, block)
	for i, v := range s.cen.Data {
		s.cen.Data[i] = -2 * v
	}
	if cap(s.cnorm) < centreBlock {
		s.cnorm = make([]float64, 0, centreBlock)
	}
	s.cnorm = s.cnorm[:len(block)]
	cmax := 0.0
	for j, c := range block {
		nc := norms[c]
		s.cnorm[j] = nc
		if !(nc <= cmax) {
			cmax = nc // NaN sticks
		}
	}
	return cmax
}

// gatherScaled sets s.cen to −2 × the rows of x listed in rows (any number) and
// s.cnorm to their squared norms, for panelOf.
func (s *sqDists) gatherScaled(x *nets.Matrix, rows []int, norms []float64) {
	s.cen.Gather(x, rows)
	for i, v := range s.cen.Data {
		s.cen.Data[i] = -2 * v
	}
	s.cnorm = grow(s.cnorm, len(rows))
	for j, r := range rows {
		s.cnorm[j] = norms[r]
	}
}

// panelOf returns w = ‖c‖² + r·(−2c) for the rows at positions lo..lo+count−1
// of rows against the centres of gatherScaled: out[j·ld + i] for centre j and
// row position lo + i.
func (s *sqDists) panelOf(x *nets.Matrix, rows []int, lo, count int) ([]float64, int) {
	return s.dots.Rows(x, rows[lo:lo+count], &s.cen, s.cnorm)
}
