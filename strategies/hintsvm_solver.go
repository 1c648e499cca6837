package strategies

import (
	"context"
	"math"

	"albench/nets"
)

// hintKernelBudget is the number of kernel entries the solver caches (64 MiB); rows
// beyond it are recomputed when needed.
const hintKernelBudget = 8 << 20

// hintSolver solves the dual of the hinted SVM (Li, Ferng & Lin 2012, eq. 3 and its
// dual), in libsvm's form
//
//	min_λ ½ λᵀQλ + pᵀλ   s.t.  sᵀλ = 0,  0 ≤ λ_a ≤ C_a,   Q_ab = s_a s_b K(x_a, x_b)
//
// with one variable per labeled point i (s = y_i ∈ {±1}, p = −1, C = C_l: the hinge
// loss of y_i f(x_i) ≥ 1 − ξ_i) and two per hint point h (s = +1 and s = −1, both
// p = ε, C = C_h: the ε-insensitive loss |f(x_h)| ≤ ε + ξ_h, which pulls the boundary
// through the hints). The decision function is f(x) = Σ_a s_a λ_a K(x_a, x) − ρ.
//
// It is the SMO of Fan, Chen & Lin (2005, "Working set selection using second order
// information for training support vector machines"), as libsvm's Solver with a
// per-variable bound: i maximises −s_i ∇_i over I_up, j the second-order gain over
// I_low, stop when the maximal violation falls below tol; no shrinking. ρ is the mean
// of s_a ∇_a over the free variables, else the middle of their feasible interval.
// A variable's point is an index into the problem's points, so the two variables of
// a hint share one kernel row.
type hintSolver struct {
	kern   kernelFunc
	tol    float64
	pool   *nets.Matrix
	points []int // pool rows of the points

	point []int     // point of each variable
	sign  []float64 // s_a
	lin   []float64 // p_a
	upper []float64 // C_a
	alpha []float64
	grad  []float64

	rows    [][]float64 // cached kernel rows over points, rows[i] valid up to len
	cached  int         // entries cached so far
	scratch [2][]float64
	next    int
	spare   int
	diagK   []float64
}

// reset starts a problem over the pool rows points. keepRows keeps the cached kernel
// rows (the points are the previous ones, maybe with more appended); spare is how
// many points may still be appended, so that rows are allocated once for them.
func (h *hintSolver) reset(pool *nets.Matrix, points []int, keepRows bool, spare int) {
	h.pool = pool
	if !keepRows || len(points) < len(h.points) {
		for i := range h.rows {
			h.rows[i] = h.rows[i][:0]
		}
		h.cached = 0
	}
	h.points = points
	m := len(points)
	h.spare = spare
	for len(h.rows) < m+spare {
		h.rows = append(h.rows, nil)
	}
	if full := m + spare; full*full <= hintKernelBudget {
		// The whole matrix fits the budget: give every row its room now.
		for i := range full {
			if cap(h.rows[i]) < full {
				h.rows[i] = make([]float64, 0, full)
			}
		}
	}
	h.diagK = grow(h.diagK, m)
	for i, r := range points {
		x := pool.Row(r)
		h.diagK[i] = h.kern.eval(x, x)
	}
	h.point = h.point[:0]
	h.sign = h.sign[:0]
	h.lin = h.lin[:0]
	h.upper = h.upper[:0]
}

// add appends a variable on point i.
func (h *hintSolver) add(i int, sign, lin, upper float64) {
	h.point = append(h.point, i)
	h.sign = append(h.sign, sign)
	h.lin = append(h.lin, lin)
	h.upper = append(h.upper, upper)
}

// row returns K(x_i, x_j) for every point j.
func (h *hintSolver) row(i int) []float64 {
	m := len(h.points)
	r := h.rows[i]
	if len(r) == m {
		return r
	}
	if len(r) > 0 || h.cached+m <= hintKernelBudget {
		if cap(r) < m {
			nr := make([]float64, len(r), m+h.spare)
			copy(nr, r)
			r = nr
		}
		old := len(r)
		r = r[:m]
		xi := h.pool.Row(h.points[i])
		for j := old; j < m; j++ {
			r[j] = h.kern.eval(xi, h.pool.Row(h.points[j]))
		}
		h.cached += m - old
		h.rows[i] = r
		return r
	}
	buf := grow(h.scratch[h.next], m)
	h.scratch[h.next] = buf
	h.next = 1 - h.next
	xi := h.pool.Row(h.points[i])
	for j := range m {
		buf[j] = h.kern.eval(xi, h.pool.Row(h.points[j]))
	}
	return buf
}

// solve runs SMO from λ = 0 and returns ρ.
func (h *hintSolver) solve(ctx context.Context) (float64, error) {
	nv := len(h.point)
	h.alpha = grow(h.alpha, nv)
	h.grad = grow(h.grad, nv)
	clear(h.alpha)
	copy(h.grad, h.lin)
	maxIter := max(10_000_000, 100*nv)
	const tau = 1e-12
	for iter := 0; iter < maxIter; iter++ {
		if iter%1000 == 0 {
			if err := ctx.Err(); err != nil {
				return 0, err
			}
		}
		i, j := h.workingSet()
		if j < 0 {
			break
		}
		ki, kj := h.row(h.point[i]), h.row(h.point[j])
		si, sj := h.sign[i], h.sign[j]
		ci, cj := h.upper[i], h.upper[j]
		oi, oj := h.alpha[i], h.alpha[j]
		kij := ki[h.point[j]]
		if si != sj {
			// Q_ii + Q_jj + 2 Q_ij with Q_ij = −K_ij: ‖φ_i − φ_j‖², as in the other branch.
			quad := (h.diagK[h.point[i]] + h.diagK[h.point[j]]) - float64(2*kij)
			if quad <= 0 {
				quad = tau
			}
			delta := (-h.grad[i] - h.grad[j]) / quad
			diff := oi - oj
			ai, aj := oi+delta, oj+delta
			if diff > 0 {
				if aj < 0 {
					aj, ai = 0, diff
				}
			} else if ai < 0 {
				ai, aj = 0, -diff
			}
			if diff > ci-cj {
				if ai > ci {
					ai, aj = ci, ci-diff
				}
			} else if aj > cj {
				aj, ai = cj, cj+diff
			}
			h.alpha[i], h.alpha[j] = clamp(ai, ci), clamp(aj, cj)
		} else {
			quad := (h.diagK[h.point[i]] + h.diagK[h.point[j]]) - float64(2*kij)
			if quad <= 0 {
				quad = tau
			}
			delta := (h.grad[i] - h.grad[j]) / quad
			sum := oi + oj
			ai, aj := oi-delta, oj+delta
			if sum > ci {
				if ai > ci {
					ai, aj = ci, sum-ci
				}
			} else if aj < 0 {
				aj, ai = 0, sum
			}
			if sum > cj {
				if aj > cj {
					aj, ai = cj, sum-cj
				}
			} else if ai < 0 {
				ai, aj = 0, sum
			}
			h.alpha[i], h.alpha[j] = clamp(ai, ci), clamp(aj, cj)
		}
		di := float64((h.alpha[i] - oi) * si)
		dj := float64((h.alpha[j] - oj) * sj)
		for t := range nv {
			pt := h.point[t]
			h.grad[t] += float64(h.sign[t] * (float64(ki[pt]*di) + float64(kj[pt]*dj)))
		}
	}
	return h.rho(), nil
}

// clamp puts a back in [0, c]: the clipping formulas above can overshoot a bound by
// an ulp (c_j + diff with diff = c_i − c_j).
func clamp(a, c float64) float64 { return min(max(a, 0), c) }

// workingSet returns Fan et al.'s WSS2 pair, or j = −1 when the violation is below
// tol.
func (h *hintSolver) workingSet() (int, int) {
	gmax, gmax2 := math.Inf(-1), math.Inf(-1)
	i := -1
	for t, s := range h.sign {
		if h.up(t) {
			if v := -s * h.grad[t]; v >= gmax {
				gmax, i = v, t
			}
		}
	}
	if i < 0 {
		return -1, -1
	}
	ki := h.row(h.point[i])
	kii := h.diagK[h.point[i]]
	j, best := -1, math.Inf(1)
	for t, s := range h.sign {
		if !h.low(t) {
			continue
		}
		v := float64(s * h.grad[t])
		gmax2 = max(gmax2, v)
		diff := gmax + v
		if diff <= 0 {
			continue
		}
		// ‖φ_i − φ_t‖² in feature space: the sign products cancel.
		quad := (kii + h.diagK[h.point[t]]) - float64(2*ki[h.point[t]])
		if quad <= 0 {
			quad = 1e-12
		}
		if obj := -float64(diff*diff) / quad; obj <= best {
			j, best = t, obj
		}
	}
	if gmax+gmax2 < h.tol || j < 0 {
		return -1, -1
	}
	return i, j
}

// up reports t ∈ I_up: λ_t may move so that s_t λ_t grows.
func (h *hintSolver) up(t int) bool {
	if h.sign[t] > 0 {
		return h.alpha[t] < h.upper[t]
	}
	return h.alpha[t] > 0
}

// low reports t ∈ I_low.
func (h *hintSolver) low(t int) bool {
	if h.sign[t] > 0 {
		return h.alpha[t] > 0
	}
	return h.alpha[t] < h.upper[t]
}

// rho is libsvm's ρ: the mean of s_t ∇_t over free variables, else the middle of
// the interval the bounded ones allow.
func (h *hintSolver) rho() float64 {
	ub, lb := math.Inf(1), math.Inf(-1)
	var sum float64
	free := 0
	for t, s := range h.sign {
		yg := float64(s * h.grad[t])
		switch {
		case h.alpha[t] >= h.upper[t]:
			if s < 0 {
				ub = min(ub, yg)
			} else {
				lb = max(lb, yg)
			}
		case h.alpha[t] <= 0:
			if s > 0 {
				ub = min(ub, yg)
			} else {
				lb = max(lb, yg)
			}
		default:
			free++
			sum += yg
		}
	}
	if free > 0 {
		return sum / float64(free)
	}
	if math.IsInf(ub, 0) || math.IsInf(lb, 0) {
		return 0
	}
	return (ub + lb) / 2
}

// coef returns the expansion coefficient of each point, Σ over its variables of
// s_a λ_a, into out (len = points).
func (h *hintSolver) coef(out []float64) []float64 {
	out = grow(out, len(h.points))
	clear(out)
	for t, a := range h.alpha {
		if a != 0 {
			out[h.point[t]] += float64(h.sign[t] * a)
		}
	}
	return out
}
