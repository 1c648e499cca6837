package svm

import (
	"context"
	"math"
)

// Alpha status of one dual variable, as libsvm's Solver keeps it.
const (
	atLower int8 = iota // α ≤ 0
	atUpper             // α ≥ C
	isFree              // 0 < α < C
)

// tau replaces a non-positive curvature in the two-variable subproblem (libsvm's TAU).
const tau = 1e-12

// qMatrix gives rows of Q with Q_ij = y_i y_j K(x_i, x_j), stored as float32 like
// libsvm's Qfloat, in the solver's current order of the variables.
type qMatrix interface {
	// getQ returns row i with entries [0, n) valid. The slice stays valid until the
	// second call that follows (the solver never holds more than two rows).
	getQ(i, n int) []float32
	// swapIndex exchanges variables i and j in the matrix's order.
	swapIndex(i, j int)
}

// solveResult is what one run of the solver reports.
type solveResult struct {
	rho    float64 // the decision function is Σ α_i y_i K(x_i, x) − rho
	obj    float64 // the dual objective ½ αᵀQα − eᵀα at the solution
	iter   int     // SMO iterations
	capped bool    // stopped at libsvm's iteration cap max(10⁷, 100 l)
}

// solver is libsvm's SMO Solver for the C-SVC dual
//
//	min_α ½ αᵀQα − eᵀα   subject to   yᵀα = 0,  0 ≤ α_i ≤ C,
//
// with the second-order working-set selection of Fan, Chen & Lin (2005, JMLR 6,
// "Working set selection using second order information for training SVM"),
// shrinking with gradient reconstruction, and the stopping rule
// max_{I_up} −y_i∇_i − min_{I_low} −y_j∇_j < eps. Its buffers are reused across runs.
type solver struct {
	l, activeSize int
	y             []int8
	yf            []float64 // y as float64
	// upMask_t and lowMask_t are 0 when t is in I_up(α), I_low(α), else −∞:
	// selectWorkingSet adds them to −y_t∇_t and y_t∇_t instead of branching on
	// y_t and the status (x + 0 is x up to the sign of a zero, which no
	// comparison there sees; x − ∞ = −∞ loses every comparison).
	upMask, lowMask []float64
	g, gbar         []float64 // ∇f(α) and Ḡ_i = Σ_{α_j = C} C Q_ij
	alpha           []float64
	status          []int8
	activeSet       []int
	qd              []float64
	c, eps          float64
	unshrink        bool
	q               qMatrix
	// upMax and upIdx are argmaxUp over the active set, found by update while it
	// updates ∇f; upValid says they are current (doShrinking, which may swap
	// variables and change the active set, and each use clear it).
	upMax   float64
	upIdx   int
	upValid bool
}

func (s *solver) updateStatus(i int) {
	up, low := 0.0, 0.0
	switch {
	case s.alpha[i] >= s.c:
		s.status[i] = atUpper
		if s.y[i] == 1 {
			up = math.Inf(-1)
		} else {
			low = math.Inf(-1)
		}
	case s.alpha[i] <= 0:
		s.status[i] = atLower
		if s.y[i] == 1 {
			low = math.Inf(-1)
		} else {
			up = math.Inf(-1)
		}
	default:
		s.status[i] = isFree
	}
	s.upMask[i], s.lowMask[i] = up, low
}

// solve runs SMO on l = len(y) variables. alpha holds the start (feasible: yᵀα = 0,
// 0 ≤ α ≤ c) and receives the solution, both in the caller's order. g0 and gbar0,
// when not nil, are ∇f and Ḡ at the start (caller's order); otherwise they are
// computed from Q as libsvm does. qd[i] = Q_ii. q must be in the caller's order.
// ctx is checked every 1000 iterations.
func (s *solver) solve(ctx context.Context, y []int8, alpha, g0, gbar0, qd []float64,
	q qMatrix, c, eps float64, shrinking bool) (solveResult, error) {
	l := len(y)
	s.l, s.c, s.eps, s.q, s.unshrink, s.upValid = l, c, eps, q, false, false
	s.y = append(s.y[:0], y...)
	s.alpha = append(s.alpha[:0], alpha...)
	s.qd = append(s.qd[:0], qd...)
	s.status = grow(s.status, l)
	s.yf = grow(s.yf, l)
	s.upMask = grow(s.upMask, l)
	s.lowMask = grow(s.lowMask, l)
	for i, v := range y {
		s.yf[i] = float64(v)
	}
	s.activeSet = grow(s.activeSet, l)
	s.g = grow(s.g, l)
	s.gbar = grow(s.gbar, l)
	for i := range l {
		s.updateStatus(i)
		s.activeSet[i] = i
	}
	s.activeSize = l
	if g0 != nil {
		copy(s.g, g0)
		copy(s.gbar, gbar0)
	} else {
		for i := range l {
			s.g[i] = -1
			s.gbar[i] = 0
		}
		for i := range l {
			if s.status[i] == atLower {
				continue
			}
			qi := q.getQ(i, l)
			ai := s.alpha[i]
			for j := range l {
				s.g[j] += float64(ai * float64(qi[j]))
			}
			if s.status[i] == atUpper {
				for j := range l {
					s.gbar[j] += float64(c * float64(qi[j]))
				}
			}
		}
	}

	maxIter := max(10000000, 100*l)
	if l > math.MaxInt32/100 {
		maxIter = math.MaxInt32
	}
	counter := min(l, 1000) + 1
	iter := 0
	for iter < maxIter {
		if iter%1000 == 999 {
			if err := ctx.Err(); err != nil {
				return solveResult{}, err
			}
		}
		counter--
		if counter == 0 {
			counter = min(l, 1000)
			if shrinking {
				s.doShrinking()
			}
		}
		i, j, done := s.selectWorkingSet()
		if done {
			s.reconstructGradient()
			s.activeSize = l
			i, j, done = s.selectWorkingSet()
			if done {
				break
			}
			counter = 1 // shrink at the next iteration
		}
		iter++
		s.update(i, j)
	}
	res := solveResult{iter: iter}
	if iter >= maxIter {
		if s.activeSize < l {
			s.reconstructGradient()
			s.activeSize = l
		}
		res.capped = true
	}
	res.rho = s.calculateRho()
	var v float64
	for i := range l {
		v += float64(s.alpha[i] * (s.g[i] - 1))
	}
	res.obj = v / 2
	for i := range l {
		alpha[s.activeSet[i]] = s.alpha[i]
	}
	return res, nil
}

// update solves the two-variable subproblem on (i, j) analytically, clips it to the
// box along the constraint line, and updates ∇f, the statuses and Ḡ.
func (s *solver) update(i, j int) {
	as := s.activeSize
	qi := s.q.getQ(i, as)
	qj := s.q.getQ(j, as)
	c := s.c
	oldAi, oldAj := s.alpha[i], s.alpha[j]
	a := s.alpha
	if s.y[i] != s.y[j] {
		quad := s.qd[i] + s.qd[j] + float64(2*float64(qi[j]))
		if quad <= 0 {
			quad = tau
		}
		delta := (-s.g[i] - s.g[j]) / quad
		diff := a[i] - a[j]
		a[i] += delta
		a[j] += delta
		if diff > 0 {
			if a[j] < 0 {
				a[j] = 0
				a[i] = diff
			}
		} else if a[i] < 0 {
			a[i] = 0
			a[j] = -diff
		}
		if diff > 0 { // C_i − C_j = 0
			if a[i] > c {
				a[i] = c
				a[j] = c - diff
			}
		} else if a[j] > c {
			a[j] = c
			a[i] = c + diff
		}
	} else {
		quad := s.qd[i] + s.qd[j] - float64(2*float64(qi[j]))
		if quad <= 0 {
			quad = tau
		}
		delta := (s.g[i] - s.g[j]) / quad
		sum := a[i] + a[j]
		a[i] -= delta
		a[j] += delta
		if sum > c {
			if a[i] > c {
				a[i] = c
				a[j] = sum - c
			}
		} else if a[j] < 0 {
			a[j] = 0
			a[i] = sum
		}
		if sum > c {
			if a[j] > c {
				a[j] = c
				a[i] = sum - c
			}
		} else if a[i] < 0 {
			a[i] = 0
			a[j] = sum
		}
	}
	dai, daj := a[i]-oldAi, a[j]-oldAj
	ui, uj := s.status[i] == atUpper, s.status[j] == atUpper
	s.updateStatus(i)
	s.updateStatus(j)
	// ∇f and the next working set's i in one pass over the active set.
	s.upMax, s.upIdx = updateArgmaxUp(s.g[:as], qi[:as], qj[:as], dai, daj, s.yf[:as], s.upMask[:as])
	s.upValid = true
	l := s.l
	if ui != (s.status[i] == atUpper) {
		s.gbarAdd(s.q.getQ(i, l), ui)
	}
	if uj != (s.status[j] == atUpper) {
		s.gbarAdd(s.q.getQ(j, l), uj)
	}
}

// gbarAdd adds (or, when leaving the upper bound, subtracts) C·row to Ḡ.
func (s *solver) gbarAdd(row []float32, leaving bool) {
	c := s.c
	if leaving {
		c = -c
	}
	gb := s.gbar[:s.l]
	row = row[:len(gb)]
	for k := range gb {
		gb[k] += float64(c * float64(row[k]))
	}
}

// selectWorkingSet is WSS 2 of Fan, Chen & Lin (2005): i maximises −y_t∇_t over
// I_up(α); j minimises the second-order decrease −b²/a over t ∈ I_low(α) with
// b = −y_i∇_i + y_t∇_t > 0, a = Q_ii + Q_tt − 2 y_i y_t Q_it (τ when a ≤ 0).
// done reports the stopping rule m(α) − M(α) < eps (or no j).
func (s *solver) selectWorkingSet() (outI, outJ int, done bool) {
	as := s.activeSize
	g, yf := s.g[:as], s.yf[:as]
	upMask, lowMask, qd := s.upMask[:as], s.lowMask[:as], s.qd[:as]
	// i: the last t of I_up with the largest −y_t∇_t (ineligible t are −∞).
	gmax, i := s.upMax, s.upIdx
	if !s.upValid {
		gmax, i = argmaxUp(g, yf, upMask)
	}
	s.upValid = false
	if gmax == math.Inf(-1) {
		// I_up is empty: no j has b > 0, and the scan of I_low would change
		// nothing that is returned.
		return 0, 0, true
	}
	qi := s.q.getQ(i, as)[:as]
	qdi, yi2 := qd[i], 2*yf[i]
	gmax2, gminIdx := scanLow(g, yf, lowMask, qd, qi, gmax, qdi, yi2)
	if gmax+gmax2 < s.eps || gminIdx == -1 {
		return 0, 0, true
	}
	return i, gminIdx, false
}

// scanLow is the j scan of selectWorkingSet: gmax2 = max over I_low of y_t∇_t
// (−∞ if none), and the last t minimising od_t = −b_t²/a_t over the t with b_t =
// gmax + y_t∇_t > 0 (−1 if none), a_t = Q_ii + Q_tt − 2 y_i y_t Q_it (τ when
// a_t ≤ 0). The pairs (t even, t odd) go through two lanes (scanLowPairs, SSE2
// on amd64) merged by value, the larger t on a tie, then the last t if len(g)
// is odd: the same t as one ascending scan taking od_t ≤ the minimum so far,
// and a gmax2 that can differ from it only in the sign of a zero (which the
// stopping test gmax + gmax2 < eps does not see).
func scanLow(g, yf, lowMask, qd []float64, qi []float32, gmax, qdi, yi2 float64) (float64, int) {
	n := len(g)
	yf, lowMask, qd, qi = yf[:n], lowMask[:n], qd[:n], qi[:n]
	gm0, gm1, om0, oi0, om1, oi1 := scanLowPairs(g, yf, lowMask, qd, qi, gmax, qdi, yi2)
	gmax2 := gm0
	if gm1 >= gmax2 {
		gmax2 = gm1
	}
	objMin, gminIdx := om0, oi0
	if oi1 >= 0 && (oi0 < 0 || om1 < om0 || (om1 == om0 && oi1 > oi0)) {
		objMin, gminIdx = om1, oi1
	}
	if j := n - 1; n%2 == 1 {
		w := float64(yf[j]*g[j]) + lowMask[j]
		if w >= gmax2 {
			gmax2 = w
		}
		if gd := gmax + w; gd > 0 {
			quad := qdi + qd[j] - float64(float64(yi2*yf[j])*float64(qi[j]))
			if !(quad > 0) {
				quad = tau
			}
			if od := -(gd * gd) / quad; od <= objMin {
				gminIdx = j
			}
		}
	}
	return gmax2, gminIdx
}

// scanLowPairsGo is the two-lane scan of scanLow over the first len(g) &^ 1
// entries: lane 0 the even t, lane 1 the odd t, each with its own max gm of
// y_t∇_t + lowMask_t and its own (minimum od, last t having it), om = +∞ and
// oi = −1 when the lane takes no t.
func scanLowPairsGo(g, yf, lowMask, qd []float64, qi []float32, gmax, qdi, yi2 float64) (gm0, gm1, om0 float64, oi0 int, om1 float64, oi1 int) {
	var gm, om [2]float64
	var oi [2]int
	gm[0], gm[1], om[0], om[1], oi[0], oi[1] = math.Inf(-1), math.Inf(-1), math.Inf(1), math.Inf(1), -1, -1
	n := len(g) &^ 1
	yf, lowMask, qd, qi = yf[:n], lowMask[:n], qd[:n], qi[:n]
	for t := range n {
		k := t & 1
		w := float64(yf[t]*g[t]) + lowMask[t]
		if w >= gm[k] {
			gm[k] = w
		}
		gd := gmax + w
		if gd > 0 {
			quad := qdi + qd[t] - float64(float64(yi2*yf[t])*float64(qi[t]))
			if !(quad > 0) {
				quad = tau
			}
			if od := -(gd * gd) / quad; od <= om[k] {
				om[k], oi[k] = od, t
			}
		}
	}
	return gm[0], gm[1], om[0], oi[0], om[1], oi[1]
}

// argmaxUp returns the largest v_t = −y_t∇_t + upMask_t and the last t that has
// it, as one ascending scan with ≥ finds them, from four interleaved scans
// (t ≡ 0, 1, 2, 3 mod 4) merged by value, the larger t on a tie. It returns
// (−∞, −1) for no t, and some t with v_t = −∞ when all are −∞.
func argmaxUp(g, yf, upMask []float64) (float64, int) {
	n := len(g)
	yf, upMask = yf[:n], upMask[:n]
	m0, m1, m2, m3 := math.Inf(-1), math.Inf(-1), math.Inf(-1), math.Inf(-1)
	i0, i1, i2, i3 := -1, -1, -1, -1
	t := 0
	for ; t+4 <= n; t += 4 {
		if v := -float64(yf[t]*g[t]) + upMask[t]; v >= m0 {
			m0, i0 = v, t
		}
		if v := -float64(yf[t+1]*g[t+1]) + upMask[t+1]; v >= m1 {
			m1, i1 = v, t+1
		}
		if v := -float64(yf[t+2]*g[t+2]) + upMask[t+2]; v >= m2 {
			m2, i2 = v, t+2
		}
		if v := -float64(yf[t+3]*g[t+3]) + upMask[t+3]; v >= m3 {
			m3, i3 = v, t+3
		}
	}
	for ; t < n; t++ {
		if v := -float64(yf[t]*g[t]) + upMask[t]; v >= m0 {
			m0, i0 = v, t
		}
	}
	return mergeLanes(m0, i0, m1, i1, m2, i2, m3, i3)
}

// mergeLanes merges the (largest value, last index) of four interleaved scans
// by value, the larger index on a tie.
func mergeLanes(m0 float64, i0 int, m1 float64, i1 int, m2 float64, i2 int, m3 float64, i3 int) (float64, int) {
	for _, c := range [3]struct {
		m float64
		i int
	}{{m1, i1}, {m2, i2}, {m3, i3}} {
		if c.i >= 0 && (c.m > m0 || (c.m == m0 && c.i > i0)) {
			m0, i0 = c.m, c.i
		}
	}
	return m0, i0
}

// updateArgmaxUp adds Q_it Δα_i + Q_jt Δα_j to g_t (qi, qj rows i and j of Q)
// and returns argmaxUp of the updated g: the same bits of g and the same value
// and index as the update loop followed by argmaxUp, in one pass.
func updateArgmaxUp(g []float64, qi, qj []float32, dai, daj float64, yf, upMask []float64) (float64, int) {
	n := len(g)
	qi, qj, yf, upMask = qi[:n], qj[:n], yf[:n], upMask[:n]
	m0, m1, m2, m3 := math.Inf(-1), math.Inf(-1), math.Inf(-1), math.Inf(-1)
	i0, i1, i2, i3 := -1, -1, -1, -1
	t := 0
	for ; t+4 <= n; t += 4 {
		g0 := g[t] + (float64(float64(qi[t])*dai) + float64(float64(qj[t])*daj))
		g1 := g[t+1] + (float64(float64(qi[t+1])*dai) + float64(float64(qj[t+1])*daj))
		g2 := g[t+2] + (float64(float64(qi[t+2])*dai) + float64(float64(qj[t+2])*daj))
		g3 := g[t+3] + (float64(float64(qi[t+3])*dai) + float64(float64(qj[t+3])*daj))
		g[t], g[t+1], g[t+2], g[t+3] = g0, g1, g2, g3
		if v := -float64(yf[t]*g0) + upMask[t]; v >= m0 {
			m0, i0 = v, t
		}
		if v := -float64(yf[t+1]*g1) + upMask[t+1]; v >= m1 {
			m1, i1 = v, t+1
		}
		if v := -float64(yf[t+2]*g2) + upMask[t+2]; v >= m2 {
			m2, i2 = v, t+2
		}
		if v := -float64(yf[t+3]*g3) + upMask[t+3]; v >= m3 {
			m3, i3 = v, t+3
		}
	}
	for ; t < n; t++ {
		gt := g[t] + (float64(float64(qi[t])*dai) + float64(float64(qj[t])*daj))
		g[t] = gt
		if v := -float64(yf[t]*gt) + upMask[t]; v >= m0 {
			m0, i0 = v, t
		}
	}
	return mergeLanes(m0, i0, m1, i1, m2, i2, m3, i3)
}

// beShrunk reports whether a bounded variable cannot enter the working set soon
// (its violation is beyond the current extremes gmax1 of I_up and gmax2 of I_low).
func (s *solver) beShrunk(i int, gmax1, gmax2 float64) bool {
	switch s.status[i] {
	case atUpper:
		if s.y[i] == 1 {
			return -s.g[i] > gmax1
		}
		return -s.g[i] > gmax2
	case atLower:
		if s.y[i] == 1 {
			return s.g[i] > gmax2
		}
		return s.g[i] > gmax1
	}
	return false
}

// doShrinking removes bounded variables unlikely to change from the active set;
// once the gap is within 10·eps it reconstructs the gradient and unshrinks once.
func (s *solver) doShrinking() {
	s.upValid = false
	gmax1, gmax2 := math.Inf(-1), math.Inf(-1)
	for i := range s.activeSize {
		if s.y[i] == 1 {
			if s.status[i] != atUpper && -s.g[i] >= gmax1 {
				gmax1 = -s.g[i]
			}
			if s.status[i] != atLower && s.g[i] >= gmax2 {
				gmax2 = s.g[i]
			}
		} else {
			if s.status[i] != atUpper && -s.g[i] >= gmax2 {
				gmax2 = -s.g[i]
			}
			if s.status[i] != atLower && s.g[i] >= gmax1 {
				gmax1 = s.g[i]
			}
		}
	}
	if !s.unshrink && gmax1+gmax2 <= s.eps*10 {
		s.unshrink = true
		s.reconstructGradient()
		s.activeSize = s.l
	}
	for i := 0; i < s.activeSize; i++ {
		if s.beShrunk(i, gmax1, gmax2) {
			s.activeSize--
			for s.activeSize > i {
				if !s.beShrunk(s.activeSize, gmax1, gmax2) {
					s.swapIndex(i, s.activeSize)
					break
				}
				s.activeSize--
			}
		}
	}
}

// swapIndex exchanges variables i and j everywhere.
func (s *solver) swapIndex(i, j int) {
	s.q.swapIndex(i, j)
	s.y[i], s.y[j] = s.y[j], s.y[i]
	s.yf[i], s.yf[j] = s.yf[j], s.yf[i]
	s.upMask[i], s.upMask[j] = s.upMask[j], s.upMask[i]
	s.lowMask[i], s.lowMask[j] = s.lowMask[j], s.lowMask[i]
	s.g[i], s.g[j] = s.g[j], s.g[i]
	s.status[i], s.status[j] = s.status[j], s.status[i]
	s.alpha[i], s.alpha[j] = s.alpha[j], s.alpha[i]
	s.activeSet[i], s.activeSet[j] = s.activeSet[j], s.activeSet[i]
	s.gbar[i], s.gbar[j] = s.gbar[j], s.gbar[i]
	s.qd[i], s.qd[j] = s.qd[j], s.qd[i]
}

// reconstructGradient recomputes ∇f of the inactive variables from Ḡ and the free
// α, choosing the cheaper of the two loop orders as libsvm does.
func (s *solver) reconstructGradient() {
	l, as := s.l, s.activeSize
	if as == l {
		return
	}
	for j := as; j < l; j++ {
		s.g[j] = s.gbar[j] - 1
	}
	nrFree := 0
	for j := range as {
		if s.status[j] == isFree {
			nrFree++
		}
	}
	if nrFree*l > 2*as*(l-as) {
		for i := as; i < l; i++ {
			qi := s.q.getQ(i, as)
			gi := s.g[i]
			for j := range as {
				if s.status[j] == isFree {
					gi += float64(s.alpha[j] * float64(qi[j]))
				}
			}
			s.g[i] = gi
		}
	} else {
		for i := range as {
			if s.status[i] != isFree {
				continue
			}
			qi := s.q.getQ(i, l)
			ai := s.alpha[i]
			for j := as; j < l; j++ {
				s.g[j] += float64(ai * float64(qi[j]))
			}
		}
	}
}

// calculateRho is libsvm's b: the mean of y_i∇_i over free α, or the midpoint of
// the feasible interval [max lower, min upper] when no α is free.
func (s *solver) calculateRho() float64 {
	ub, lb := math.Inf(1), math.Inf(-1)
	nrFree := 0
	sumFree := 0.0
	for i := range s.activeSize {
		yg := float64(float64(s.y[i]) * s.g[i])
		switch s.status[i] {
		case atUpper:
			if s.y[i] == -1 {
				ub = min(ub, yg)
			} else {
				lb = max(lb, yg)
			}
		case atLower:
			if s.y[i] == 1 {
				ub = min(ub, yg)
			} else {
				lb = max(lb, yg)
			}
		default:
			nrFree++
			sumFree += yg
		}
	}
	if nrFree > 0 {
		return sumFree / float64(nrFree)
	}
	return (ub + lb) / 2
}
