package svm

import (
	"context"
	"fmt"
	"math/rand/v2"

	"albench/nets"
)

// Session retrains an SVC on a growing labeled subset of a fixed pool, as an
// active-learning trial does, warm-starting each two-class fit from the previous
// one and keeping every pool and evaluation row's decision value up to date.
//
// A round of Fit with labeled = previous labeled + new rows:
//
//   - starts SMO from the previous α with the new rows at α = 0 (feasible, as
//     yᵀα is unchanged), with the gradient ∇_i = y_i F(x_i) − 1 and
//     Ḡ_i = y_i Σ_{α_j = C} C y_j K(x_j, x_i) read from maintained pool values,
//     so nothing is recomputed over the old rows;
//   - takes Q from a cache of kernel columns indexed by pool row, each column
//     holding K(x_r, ·) over all pool rows and all rows of every eval matrix in
//     float64 (the solver rounds them to float32 like libsvm's Qfloat, so it
//     solves exactly the problem a cold Fit solves);
//   - then, once at the end of the round, updates F(x) = Σ_i α_i y_i K(x_i, x)
//     over the pool and eval rows by Δα_i y_i K(x_i, ·) (Δα_i over the whole
//     solve) for each α that changed, O(changed α × (pool + eval)); each F
//     entry receives these additions in ascending labeled position, so its
//     bits do not depend on the cache.
//
// Memory: the column cache holds min(pool rows, ⌊CacheMB·2²⁰ / (8·(pool + Σ eval
// rows))⌋) columns (at least 2), and a second cache of the labeled rows' Q rows
// in labeled order (float32, pool-length, min(pool rows, ⌊CacheMB·2²⁰/(4·pool)⌋)
// of them), both least recently used evicted first: at most about 2·CacheMB in
// all. While SMO has not shrunk (the first min(l, 1000) iterations, so most warm
// rounds) it uses those rows in place; afterwards it gathers them through its
// permutation into 16 row buffers. The slabs are allocated once by NewSession
// (the operating system backs them as they are written). The cache sizes change
// the speed, never the bits. A steady-state round allocates nothing without
// Probability. Release hands the slabs to the next sessions (their contents are
// never read before a slot is filled, so a reused slab changes no bit).
//
// Two-class sessions warm start; with more classes each round is a cold Fit of
// the gathered rows (one-vs-one, no maintained values). With Probability, Platt's
// five cross-validation fits per round are cold fits on the gathered labeled
// rows: a round then costs about five cold fits of 4/5 of the labeled set. With
// GammaMode "scale" γ depends on the labeled rows and so changes every round: the
// column cache is then flushed and F rebuilt from the SVs (O(SV·(pool+eval)·d)),
// though SMO still starts from the previous α; pass a numeric Gamma (for example
// computed once on the pool) to keep rounds cheap.
type Session struct {
	p       Params
	pool    *nets.Matrix
	eval    []*nets.Matrix
	classes int
	poolSq  []float64
	poolQD  []float64
	evalSq  [][]float64
	evalOff []int // offset of eval k in a column

	kern     kernel
	haveKern bool

	// column cache: K(pool row, ·) in float64, keyed by pool row
	colLen int
	slab   []float64
	slabs  *sessionSlabs // what slab and rowSlab are views of (slabs.go)
	cols   slots
	// Q rows of the labeled rows in labeled order, float32, keyed by labeled
	// position: row k holds float32(y_k y_c K(x_k, x_c)) for c < rowLen[slot]
	rowSlab []float32
	rows    slots
	rowLen  []int

	// the previous round
	labeled  []int
	labels   []int
	alpha    []float64 // per labeled position
	fAll     []float64 // F over the pool rows then each eval matrix's, as a column
	fPool    []float64 // fAll's pool part: Σ α y K(x_i, pool row), no bias
	fEval    [][]float64
	moved    []int     // labeled positions whose α changed this round, ascending
	moveBy   []float64 // their Δα_i y_i
	negSV    []int     // scratch: labeled positions of class −1 SVs
	gbarPool []float64 // Σ_{α = C} C y K(x_i, pool row)
	mark     []bool

	sol      solver
	y        []int8 // ±1 of the labeled positions (+1 for class 0)
	npos     int    // positions with y = +1
	g, gb    []float64
	qd       []float64 // Q_kk of the labeled positions
	qdLen    int       // qd's entries [0, qdLen) are set for this kernel
	alphaNew []float64
	q        warmQ
	model    Model
}

// NewSession prepares a session over the rows of pool, keeping decision values
// for pool rows and for the rows of every matrix in eval (for example the test
// set). pool and eval must not change while the session is used.
func (p Params) NewSession(pool *nets.Matrix, eval []*nets.Matrix, classes int) *Session {
	n := pool.Rows
	s := &Session{p: p, pool: pool, eval: eval, classes: classes}
	s.poolSq = sqNorms(pool, nil)
	s.colLen = n
	for _, e := range eval {
		if e.Cols != pool.Cols {
			panic(fmt.Sprintf("svm: eval matrix has %d features, the pool %d", e.Cols, pool.Cols))
		}
		s.evalSq = append(s.evalSq, sqNorms(e, nil))
		s.evalOff = append(s.evalOff, s.colLen)
		s.colLen += e.Rows
	}
	s.fAll = make([]float64, s.colLen)
	for k, e := range eval {
		s.fEval = append(s.fEval, s.fAll[s.evalOff[k]:s.evalOff[k]+e.Rows])
	}
	budget := p.cacheMB() * (1 << 20)
	nc := max(min(n, int(budget/(8*float64(max(s.colLen, 1))))), min(n, 2))
	s.cols = newSlots(n, nc)
	nr := max(min(n, int(budget/(4*float64(max(n, 1))))), min(n, 2))
	s.takeSlabs(nc*s.colLen, nr*n)
	s.rows = newSlots(n, nr)
	s.rowLen = make([]int, nr)
	s.poolQD = make([]float64, n)
	s.labeled = make([]int, 0, n)
	s.labels = make([]int, 0, n)
	s.alpha = make([]float64, 0, n)
	s.fPool = s.fAll[:n]
	s.moved, s.moveBy = make([]int, 0, n), make([]float64, 0, n)
	s.negSV = make([]int, 0, n)
	s.gbarPool = make([]float64, n)
	s.mark = make([]bool, n)
	s.y = make([]int8, 0, n)
	s.g = make([]float64, n)
	s.gb = make([]float64, n)
	s.qd = make([]float64, n)
	s.alphaNew = make([]float64, n)
	sv := &s.sol
	sv.y, sv.alpha, sv.qd = make([]int8, 0, n), make([]float64, 0, n), make([]float64, 0, n)
	sv.g, sv.gbar = make([]float64, n), make([]float64, n)
	sv.status, sv.activeSet = make([]int8, n), make([]int, n)
	sv.yf, sv.upMask, sv.lowMask = make([]float64, n), make([]float64, n), make([]float64, n)
	s.q = warmQ{s: s, pos: make([]int, n), poolRow: make([]int, n), y: make([]int8, n)}
	for b := range s.q.buf {
		s.q.buf[b] = make([]float32, n)
	}
	m := &s.model
	m.svRow, m.svTrain, m.svSq = make([]int, 0, n), make([]int, 0, n), make([]float64, 0, n)
	m.pairs = make([]pair, 1)
	m.pairs[0].sv, m.pairs[0].train, m.pairs[0].coef = make([]int, 0, n), make([]int, 0, n), make([]float64, 0, n)
	m.present = make([]int, 0, 2)
	s.flush()
	return s
}

// flush empties both caches.
func (s *Session) flush() {
	s.cols.flush()
	s.rows.flush()
}

// column returns K(pool row r, ·) over the pool rows then each eval matrix's rows.
// It stays valid until the next call.
func (s *Session) column(r int) []float64 {
	sl, hit := s.cols.get(r)
	col := s.slab[sl*s.colLen : (sl+1)*s.colLen]
	if hit {
		return col
	}
	xr, sr := s.pool.Row(r), s.poolSq[r]
	for c := range s.pool.Rows {
		col[c] = s.kern.eval(xr, s.pool.Row(c), sr, s.poolSq[c])
	}
	for k, e := range s.eval {
		off := s.evalOff[k]
		for c := range e.Rows {
			col[off+c] = s.kern.eval(xr, e.Row(c), sr, s.evalSq[k][c])
		}
	}
	return col
}

// qRow returns the Q row of labeled position k over labeled positions [0, n),
// float32 like libsvm's Qfloat, extending the cached row from the kernel column
// when it is shorter. It stays valid until the call after next.
func (s *Session) qRow(k, n int) []float32 {
	sl, hit := s.rows.get(k)
	np := s.pool.Rows
	row := s.rowSlab[sl*np : sl*np+n]
	if !hit {
		s.rowLen[sl] = 0
	}
	if from := s.rowLen[sl]; from < n {
		yk := s.y[k]
		lab, ys := s.labeled[:n], s.y[:n]
		if from > 0 && s.cachedColumns(lab[from:]) {
			// A row extended by the round's new positions (one a round in an
			// active-learning trial) reads K(x_c, x_k) from their cached columns,
			// the same bits as K(x_k, x_c), rather than recomputing row k's whole
			// column when the cache has evicted it.
			rk := lab[k]
			for c := from; c < n; c++ {
				v := s.column(lab[c])[rk]
				if ys[c] != yk {
					v = -v
				}
				row[c] = float32(v)
			}
		} else {
			col := s.column(lab[k])
			for c := from; c < n; c++ {
				v := col[lab[c]]
				if ys[c] != yk {
					v = -v
				}
				row[c] = float32(v)
			}
		}
		s.rowLen[sl] = n
	}
	return row
}

// cachedColumns reports whether the column cache holds the columns of all the
// pool rows rows, at most 16 of them.
func (s *Session) cachedColumns(rows []int) bool {
	if len(rows) > 16 {
		return false
	}
	for _, r := range rows {
		if s.cols.slotOf[r] < 0 {
			return false
		}
	}
	return true
}

// warmRows is the number of gathered Q rows a warmQ keeps.
const warmRows = 16

// warmQ is Q for the labeled rows of a session in the solver's order. Until the
// solver first swaps two variables (shrinking, after min(l, 1000) iterations)
// that order is the labeled order and rows come straight from the session's
// persistent row cache; after it they are gathered through the permutation into
// warmRows buffers reused least recently used first, which swapIndex keeps
// consistent as libsvm's cache does.
type warmQ struct {
	s       *Session
	pos     []int  // solver position → labeled position
	poolRow []int  // solver position → pool row
	y       []int8 // solver order
	buf     [warmRows][]float32
	tag     [warmRows]int    // solver position held, −1 none
	n       [warmRows]int    // valid prefix
	stamp   [warmRows]uint64 // last use
	clock   uint64
	swapped bool // the order is no longer the labeled order
	l       int  // variables of the current solve
}

func (q *warmQ) reset(l int) {
	for i := range l {
		q.pos[i] = i
		q.poolRow[i] = q.s.labeled[i]
		q.y[i] = q.s.y[i]
	}
	for b := range q.tag {
		q.tag[b], q.n[b], q.stamp[b] = -1, 0, 0
	}
	q.clock = 0
	q.swapped = false
	q.l = l
}

func (q *warmQ) getQ(i, n int) []float32 {
	if !q.swapped {
		return q.s.qRow(i, n)
	}
	b, oldest := -1, 0
	for k := range q.tag {
		if q.tag[k] == i {
			b = k
			break
		}
		if q.stamp[k] < q.stamp[oldest] {
			oldest = k
		}
	}
	if b < 0 {
		b = oldest
		q.tag[b], q.n[b] = i, 0
	}
	q.clock++
	q.stamp[b] = q.clock
	if q.n[b] < n {
		src := q.s.qRow(q.pos[i], q.l)
		row, pos := q.buf[b][:n], q.pos[:n]
		for c := q.n[b]; c < n; c++ {
			row[c] = src[pos[c]]
		}
		q.n[b] = n
	}
	return q.buf[b][:n]
}

func (q *warmQ) swapIndex(i, j int) {
	if i == j {
		return
	}
	q.swapped = true
	q.pos[i], q.pos[j] = q.pos[j], q.pos[i]
	q.poolRow[i], q.poolRow[j] = q.poolRow[j], q.poolRow[i]
	q.y[i], q.y[j] = q.y[j], q.y[i]
	lo, hi := min(i, j), max(i, j)
	for b := range q.tag {
		switch q.tag[b] {
		case i:
			q.tag[b] = j
		case j:
			q.tag[b] = i
		}
		if q.n[b] > lo {
			if q.n[b] > hi {
				r := q.buf[b]
				r[lo], r[hi] = r[hi], r[lo]
			} else {
				q.n[b] = lo // entry lo is now stale; keep the prefix before it
			}
		}
	}
}

// Fit trains on the pool rows labeled (distinct) with labels in [0, classes). When
// the previous call's labeled rows and labels are a prefix of these, a two-class
// fit warm starts (see Session); otherwise it starts from α = 0. rng is used as
// by Params.Fit. The returned model belongs to the session and is overwritten by
// the next Fit; its training rows are positions in labeled. For two classes it
// offers PoolDecision and EvalDecision (and PoolProbs, EvalProbs).
func (s *Session) Fit(ctx context.Context, labeled, labels []int, rng *rand.Rand) (*Model, error) {
	if err := s.p.Validate(); err != nil {
		return nil, err
	}
	if len(labeled) != len(labels) || len(labeled) == 0 {
		return nil, fmt.Errorf("svm: %d labeled rows with %d labels", len(labeled), len(labels))
	}
	for k, r := range labeled {
		if r < 0 || r >= s.pool.Rows || s.mark[r] {
			for _, u := range labeled[:k] {
				s.mark[u] = false
			}
			return nil, fmt.Errorf("svm: labeled row %d is out of the pool or repeated", r)
		}
		s.mark[r] = true
		if c := labels[k]; c < 0 || c >= s.classes {
			for _, u := range labeled[:k+1] {
				s.mark[u] = false
			}
			return nil, fmt.Errorf("svm: label %d not in [0, %d)", c, s.classes)
		}
	}
	for _, r := range labeled {
		s.mark[r] = false
	}
	if s.classes != 2 {
		x := nets.NewMatrix(0, s.pool.Cols)
		x.Gather(s.pool, labeled)
		return s.p.Fit(ctx, x, labels, s.classes, rng)
	}
	if s.p.Probability && rng == nil {
		return nil, fmt.Errorf("svm: Probability needs an rng")
	}

	// Kernel: γ may depend on the labeled rows ("scale").
	kern := kernel{kind: s.p.kernelKind(), gamma: s.gammaOf(labeled), coef0: s.p.Coef0, degree: s.p.degree()}
	prefix := s.isPrefix(labeled, labels)
	warm := s.haveKern && kern == s.kern && prefix
	if !s.haveKern || kern != s.kern {
		s.qdLen = 0
		s.kern, s.haveKern = kern, true
		s.flush()
		for r := range s.pool.Rows {
			xr := s.pool.Row(r)
			s.poolQD[r] = kern.eval(xr, xr, s.poolSq[r], s.poolSq[r])
		}
	}
	if !prefix {
		s.labeled, s.labels, s.alpha = s.labeled[:0], s.labels[:0], s.alpha[:0]
		s.rows.flush() // keyed by labeled position
	}
	if !warm {
		// F and Ḡ are rebuilt from the α the solver starts from.
		clear(s.fAll)
		clear(s.gbarPool)
	}
	l0, l := len(s.labeled), len(labeled)
	s.labeled = append(s.labeled, labeled[l0:]...)
	s.labels = append(s.labels, labels[l0:]...)
	for range l - l0 {
		s.alpha = append(s.alpha, 0)
	}
	// s.y and s.npos describe the labels of the previous round's positions
	// [0, l0), which are still this round's: only the new ones are added.
	s.y = s.y[:l]
	npos := s.npos
	if l0 == 0 {
		npos = 0
	}
	for k := l0; k < l; k++ {
		s.y[k] = -1
		if labels[k] == 0 {
			s.y[k] = 1
			npos++
		}
	}
	s.npos = npos
	m := &s.model
	s.resetModel()
	if npos == 0 || npos == l {
		m.present = append(m.present, labels[0])
		m.pairs = m.pairs[:0]
		return m, nil
	}
	m.present = append(m.present, 0, 1)
	m.pairs = m.pairs[:1]

	c := s.p.c()
	var g0, gb0 []float64
	alpha := s.alphaNew[:l]
	copy(alpha, s.alpha)
	for k := min(s.qdLen, l0); k < l; k++ {
		s.qd[k] = s.poolQD[labeled[k]]
	}
	s.qdLen = l
	if warm {
		g0, gb0 = s.g[:l], s.gb[:l]
		for k, r := range labeled {
			yk := float64(s.y[k])
			g0[k] = float64(yk*s.fPool[r]) - 1
			gb0[k] = yk * s.gbarPool[r]
		}
	}
	s.q.reset(l)
	res, err := s.sol.solve(ctx, s.y, alpha, g0, gb0, s.qd[:l], &s.q, c, s.p.tol(), !s.p.NoShrinking)
	if err != nil {
		// The maintained values still match s.alpha: only a warm state is kept.
		if !warm {
			s.labeled, s.labels, s.alpha = s.labeled[:0], s.labels[:0], s.alpha[:0]
			s.rows.flush()
		}
		return nil, err
	}

	// Maintain F and Ḡ by the changes of α.
	np := s.pool.Rows
	s.moved, s.moveBy = s.moved[:0], s.moveBy[:0]
	for k := range labeled {
		old := s.alpha[k]
		if !warm {
			old = 0
		}
		d := alpha[k] - old
		if d == 0 {
			continue
		}
		s.moved = append(s.moved, k)
		s.moveBy = append(s.moveBy, float64(d*float64(s.y[k])))
		if wasUp, isUp := old >= c, alpha[k] >= c; wasUp != isUp {
			cy := c * float64(s.y[k])
			if wasUp {
				cy = -cy
			}
			axpy(cy, s.column(labeled[k])[:np], s.gbarPool)
		}
	}
	s.maintainF(labeled)
	copy(s.alpha, alpha)

	pr := &m.pairs[0]
	pr.ci, pr.cj = 0, 1
	pr.rho, pr.obj, pr.iter, pr.capped = res.rho, res.obj, res.iter, res.capped
	// The SVs of class +1, then of class −1, each in labeled order: one pass,
	// the −1 positions kept aside.
	neg := s.negSV[:0]
	for k, a := range alpha {
		if a > 0 {
			if s.y[k] == 1 {
				s.addSV(k)
			} else {
				neg = append(neg, k)
			}
		}
	}
	for _, k := range neg {
		s.addSV(k)
	}
	s.negSV = neg
	if s.p.Probability {
		if err := s.fitProbability(ctx, labeled, rng); err != nil {
			return nil, err
		}
	}
	if res.capped {
		return m, ErrIterationCap
	}
	return m, nil
}

// addSV appends labeled position k, α_k > 0, to the model's support vectors.
func (s *Session) addSV(k int) {
	m := &s.model
	pr := &m.pairs[0]
	r := s.labeled[k]
	pr.sv = append(pr.sv, len(m.svTrain))
	pr.train = append(pr.train, k)
	pr.coef = append(pr.coef, float64(s.y[k])*s.alphaNew[k])
	m.svTrain = append(m.svTrain, k)
	m.svRow = append(m.svRow, r)
	m.svSq = append(m.svSq, s.poolSq[r])
}

// fitProbability fits Platt's sigmoid of the session's binary problem by cold
// cross-validation fits, as Params.Fit does.
func (s *Session) fitProbability(ctx context.Context, labeled []int, rng *rand.Rand) error {
	var rows []int
	var sy []int8
	for _, cls := range []int8{1, -1} {
		for k, r := range labeled {
			if s.y[k] == cls {
				rows = append(rows, r)
				sy = append(sy, cls)
			}
		}
	}
	x := nets.NewMatrix(0, s.pool.Cols)
	x.Gather(s.pool, rows)
	var sol solver
	pr := &s.model.pairs[0]
	var err error
	pr.probA, pr.probB, err = s.p.binaryProbability(ctx, x, sy, &s.kern, rng, &sol)
	if err == ErrIterationCap {
		err = nil
	}
	return err
}

// resetModel empties the session's model for a new round.
func (s *Session) resetModel() {
	m := &s.model
	m.classes, m.kern, m.prob, m.x, m.sess = 2, s.kern, s.p.Probability, s.pool, s
	m.present = m.present[:0]
	m.svRow, m.svTrain, m.svSq = m.svRow[:0], m.svTrain[:0], m.svSq[:0]
	m.pairs = m.pairs[:1]
	pr := &m.pairs[0]
	*pr = pair{sv: pr.sv[:0], train: pr.train[:0], coef: pr.coef[:0]}
}

// isPrefix reports whether the previous round's rows and labels start labeled.
func (s *Session) isPrefix(labeled, labels []int) bool {
	if len(s.labeled) > len(labeled) {
		return false
	}
	for k, r := range s.labeled {
		if labeled[k] != r || labels[k] != s.labels[k] {
			return false
		}
	}
	return true
}

// gammaOf is γ for the labeled pool rows, as Params.gamma on the gathered rows.
func (s *Session) gammaOf(labeled []int) float64 {
	p := s.p
	if p.Gamma > 0 {
		return p.Gamma
	}
	nf := float64(s.pool.Cols)
	if p.GammaMode == "auto" {
		return 1 / nf
	}
	n := float64(len(labeled) * s.pool.Cols)
	var sum float64
	for _, r := range labeled {
		for _, v := range s.pool.Row(r) {
			sum += v
		}
	}
	mean := sum / n
	var ss float64
	for _, r := range labeled {
		for _, v := range s.pool.Row(r) {
			d := v - mean
			ss += float64(d * d)
		}
	}
	if v := ss / n; v != 0 {
		return 1 / (nf * v)
	}
	return 1
}

// fuse is the number of kernel columns maintainF adds to F in one pass.
const fuse = 4

// maintainF adds Δα_i y_i K(x_i, ·) to F (pool and eval rows) for every moved
// labeled position i, in ascending order of i: each entry of F receives the same
// additions in the same order as one axpy per column would give, so the same
// bits, but fuse columns go through F in one pass, reading and writing F once
// per fuse columns. The column cache holds at least fuse columns or else
// columns are taken one at a time: the fuse columns of a pass are the most
// recently used, so none of them is evicted while the pass gathers the others.
func (s *Session) maintainF(labeled []int) {
	f := s.fAll
	k := 0
	if s.cols.n >= fuse {
		for ; k+fuse <= len(s.moved); k += fuse {
			c0 := s.column(labeled[s.moved[k]])[:len(f)]
			c1 := s.column(labeled[s.moved[k+1]])[:len(f)]
			c2 := s.column(labeled[s.moved[k+2]])[:len(f)]
			c3 := s.column(labeled[s.moved[k+3]])[:len(f)]
			a0, a1, a2, a3 := s.moveBy[k], s.moveBy[k+1], s.moveBy[k+2], s.moveBy[k+3]
			for t, v := range f {
				v += float64(a0 * c0[t])
				v += float64(a1 * c1[t])
				v += float64(a2 * c2[t])
				v += float64(a3 * c3[t])
				f[t] = v
			}
		}
	}
	for ; k < len(s.moved); k++ {
		axpy(s.moveBy[k], s.column(labeled[s.moved[k]]), f)
	}
}

// axpy is y += a·x.
func axpy(a float64, x, y []float64) {
	x = x[:len(y)]
	for i := range y {
		y[i] += float64(a * x[i])
	}
}

func (m *Model) sessionOnly() *Session {
	if m.sess == nil {
		panic("svm: maintained decision values exist only on a two-class session model")
	}
	return m.sess
}

// maintained returns scikit-learn's binary decision value from a maintained F.
func (m *Model) maintained(f float64) float64 {
	if len(m.pairs) == 0 {
		return constantValue(m.present[0])
	}
	return -(f - m.pairs[0].rho)
}

// PoolDecision sets out[k] to the decision value (as Decision: positive ⇒ class
// 1) of pool row rows[k], from the session's maintained values. It panics unless
// the model is a two-class session's current model.
func (m *Model) PoolDecision(rows []int, out []float64) {
	s := m.sessionOnly()
	if len(out) != len(rows) {
		panic(fmt.Sprintf("svm: %d outputs for %d rows", len(out), len(rows)))
	}
	for k, r := range rows {
		out[k] = m.maintained(s.fPool[r])
	}
}

// EvalDecision sets out (length eval[k].Rows) to the decision values of the rows
// of the session's eval matrix k, from the maintained values.
func (m *Model) EvalDecision(k int, out []float64) {
	s := m.sessionOnly()
	f := s.fEval[k]
	if len(out) != len(f) {
		panic(fmt.Sprintf("svm: %d outputs for %d eval rows", len(out), len(f)))
	}
	for i, v := range f {
		out[i] = m.maintained(v)
	}
}

// PoolProbs sets out (len(rows) × 2) to the probabilities of pool rows rows, as
// Probs from the maintained decision values. It panics unless HasProbs.
func (m *Model) PoolProbs(rows []int, out *nets.Matrix) {
	s := m.sessionOnly()
	if !m.prob {
		panic("svm: PoolProbs of a model fitted without Probability")
	}
	out.Resize(len(rows), 2)
	m.dec = grow(m.dec, 1)
	for k, r := range rows {
		m.dec[0] = s.fPool[r] - m.rho0()
		m.probsFromDec(m.dec, out.Row(k))
	}
}

// EvalProbs sets out (eval[k].Rows × 2) to the probabilities of the rows of eval
// matrix k from the maintained decision values. It panics unless HasProbs.
func (m *Model) EvalProbs(k int, out *nets.Matrix) {
	s := m.sessionOnly()
	if !m.prob {
		panic("svm: EvalProbs of a model fitted without Probability")
	}
	f := s.fEval[k]
	out.Resize(len(f), 2)
	m.dec = grow(m.dec, 1)
	for i, v := range f {
		m.dec[0] = v - m.rho0()
		m.probsFromDec(m.dec, out.Row(i))
	}
}

func (m *Model) rho0() float64 {
	if len(m.pairs) == 0 {
		return 0
	}
	return m.pairs[0].rho
}
