package logreg

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/optimize"

	"albench/internal/fmath"
	"albench/nets"
)

// Constants of scikit-learn's call to scipy's L-BFGS-B.
const (
	lbfgsMemory = 10                         // maxcor, scipy's default
	ftol        = 64 * 2.220446049250313e-16 // scikit-learn ≥ 1.4 passes ftol = 64 ε
	armijo      = 1e-3                       // MINPACK dcsrch ftol inside L-BFGS-B
	curvature   = 0.9                        // MINPACK dcsrch gtol inside L-BFGS-B
)

// workspace is what a fit needs besides the model: the optimizer's state and the
// objective's buffers. FitFrom hands it from one model to the next so that an
// active learner's refits reuse it.
type workspace struct {
	lbfgs optimize.LBFGS
	ls    optimize.MoreThuente
	lsm   optimize.LinesearchMethod
	conv  ftolConverger
	loc   optimize.Location // the method's current point
	best  optimize.Location // the last major iteration's point

	ctx      context.Context
	x        *nets.Matrix
	ys       []int // labels as indices among the present classes
	slot     []int // class → index among the present classes
	rows     int
	invN     float64 // 1/n
	invCN    float64 // 1/(C n), the L2 strength of F
	g        []float64
	cacheX   []float64 // θ of the last objective evaluation
	cacheG   []float64 // its gradient
	cacheF   float64
	cacheSet bool
	theta0   []float64
}

func newWorkspace() *workspace {
	ws := &workspace{}
	ws.lsm = optimize.LinesearchMethod{NextDirectioner: &ws.lbfgs, Linesearcher: &ws.ls}
	return ws
}

// ftolConverger is scipy L-BFGS-B's relative-reduction test: converged when an
// iteration lowers F by at most ftol·max(|F_old|, |F_new|, 1).
type ftolConverger struct {
	prev float64
	seen bool
}

func (c *ftolConverger) Init(int) { c.seen = false }

func (c *ftolConverger) Converged(loc *optimize.Location) optimize.Status {
	f := loc.F
	if !c.seen {
		c.seen, c.prev = true, f
		return optimize.NotTerminated
	}
	old := c.prev
	c.prev = f
	if old-f <= ftol*math.Max(math.Max(math.Abs(old), math.Abs(f)), 1) {
		return optimize.FunctionConvergence
	}
	return optimize.NotTerminated
}

// Fit fits the model to the rows of x with labels y in [0, classes), starting from
// zero weights as scikit-learn does. rng is unused: the fit is deterministic.
func (p Params) Fit(ctx context.Context, x *nets.Matrix, y []int, classes int, rng *rand.Rand) (*Model, error) {
	return p.FitFrom(ctx, nil, x, y, classes, rng)
}

// FitFrom is Fit warm-started from prev's weights (scikit-learn's warm_start), for
// refits after the training set grew: the optimum is the same as Fit's, reached in
// fewer iterations. "The same" is up to what Tol allows: the default tol = 1e-4 on
// the mean gradient leaves a fit up to about 1e-2 (in coefficients, on the
// fixtures) from the optimum, and a warm and a cold fit stop at different such
// points; with Tol = 1e-10 they agree to 1e-6. prev may be nil (a cold start), have other classes present
// (weights of classes new to the fit start at zero; a binary prev seeds the
// multinomial rows of its two classes with −w/2 and +w/2) and must have the same
// number of features. FitFrom takes over prev's fitting buffers; prev stays usable
// for prediction, but FitFrom must not be called twice at once with the same prev.
func (p Params) FitFrom(ctx context.Context, prev *Model, x *nets.Matrix, y []int, classes int, rng *rand.Rand) (*Model, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if err := checkData(x, y, classes); err != nil {
		return nil, err
	}
	return p.fit(ctx, new(Model), prev, x, y, classes)
}

// fit is FitFrom on checked data into m (≠ prev), reusing m's buffers.
func (p Params) fit(ctx context.Context, m, prev *Model, x *nets.Matrix, y []int, classes int) (*Model, error) {
	p = p.withDefaults()
	if prev != nil && prev.features != x.Cols {
		return nil, fmt.Errorf("logreg: warm start from %d features, data has %d", prev.features, x.Cols)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	d := x.Cols
	count := resizeInts(m.count, classes)
	m.count = count
	clear(count)
	for _, c := range y {
		count[c]++
	}
	present := m.present[:0]
	for c, k := range count {
		if k > 0 {
			present = append(present, c)
		}
	}
	rows := len(present)
	switch rows {
	case 1:
		rows = 0
	case 2:
		rows = 1
	}
	m.classes, m.features, m.present, m.rows = classes, d, present, rows
	m.theta = resize(m.theta, rows*(d+1))
	clear(m.theta)
	m.z = resize(m.z, max(rows, 1))
	m.nIter, m.converged = 0, true
	if rows == 0 {
		return m, nil
	}
	ws := m.ws
	if prev != nil {
		if prev.ws != nil {
			ws, prev.ws = prev.ws, nil
		}
		warmStart(m, prev)
	}
	if ws == nil {
		ws = newWorkspace()
	}
	err := ws.minimize(ctx, m, p, x, y)
	m.ws = ws
	return m, err
}

// warmStart sets m.theta from prev's weights, mapping classes by label. prev's
// model is first written as multinomial logit rows L_c (a binary prev's w gives
// L_{present[0]} = −w/2 and L_{present[1]} = +w/2, which have the same softmax);
// a binary m takes L_b − L_a, a multinomial m takes L_c with zero for classes
// new to the fit, its intercepts then centred.
func warmStart(m, prev *Model) {
	d := m.features
	logit := func(c int, j int) float64 {
		for k, pc := range prev.present {
			if pc != c {
				continue
			}
			switch prev.rows {
			case 0:
				return 0
			case 1:
				if k == 0 {
					return -0.5 * prev.theta[j]
				}
				return 0.5 * prev.theta[j]
			}
			return prev.theta[k*(d+1)+j]
		}
		return 0
	}
	if m.rows == 1 {
		a, b := m.present[0], m.present[1]
		for j := range d + 1 {
			m.theta[j] = logit(b, j) - logit(a, j)
		}
		return
	}
	for k, c := range m.present {
		for j := range d + 1 {
			m.theta[k*(d+1)+j] = logit(c, j)
		}
	}
	// Centre the intercepts: they are unpenalised and the softmax ignores a common
	// shift, which L-BFGS then never changes; zero mean is where a cold start
	// (all zeros) stays, so both reach the same representative.
	var mean float64
	for k := range m.present {
		mean += m.theta[k*(d+1)+d]
	}
	mean /= float64(len(m.present))
	for k := range m.present {
		m.theta[k*(d+1)+d] -= mean
	}
}

// minimize runs L-BFGS on F from m.theta and leaves the result there.
func (ws *workspace) minimize(ctx context.Context, m *Model, p Params, x *nets.Matrix, y []int) error {
	n, d := x.Rows, x.Cols
	dim := m.rows * (d + 1)
	ws.ctx, ws.x, ws.rows = ctx, x, m.rows
	ws.invN = 1 / float64(n)
	ws.invCN = 1 / (p.C * float64(n))
	ws.ys = resizeInts(ws.ys, n)
	ws.slot = resizeInts(ws.slot, m.classes)
	slot := ws.slot
	for k, c := range m.present {
		slot[c] = k
	}
	for i, c := range y {
		ws.ys[i] = slot[c]
	}
	ws.g = resize(ws.g, m.rows)
	ws.cacheX = resize(ws.cacheX, dim)
	ws.cacheG = resize(ws.cacheG, dim)
	ws.cacheSet = false
	ws.theta0 = resize(ws.theta0, dim)
	copy(ws.theta0, m.theta)

	ws.lbfgs.Store = lbfgsMemory
	ws.ls = optimize.MoreThuente{DecreaseFactor: armijo, CurvatureFactor: curvature}
	ws.lbfgs.Linesearcher = &ws.ls
	// gonum counts the starting point as a major iteration; scipy does not.
	res, err := ws.run(dim, p.MaxIter+1, p.Tol)
	ws.ctx, ws.x = nil, nil
	if cerr := ctx.Err(); cerr != nil {
		return cerr
	}
	copy(m.theta, res.x)
	m.nIter = max(res.majors-1, 0)
	switch {
	case err == nil && res.status != optimize.IterationLimit:
		m.converged = true
	case err == nil,
		errors.Is(err, optimize.ErrLinesearcherFailure),
		errors.Is(err, optimize.ErrNoProgress),
		errors.Is(err, optimize.ErrLinesearcherBound):
		// scipy stops the same way with a warning (ABNORMAL_TERMINATION_IN_LNSRCH)
		// and scikit-learn keeps the last iterate, as here.
		m.converged = false
	default:
		return fmt.Errorf("logreg: %w", err)
	}
	for _, v := range m.theta {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return errors.New("logreg: the fit diverged")
		}
	}
	return nil
}

// runResult is what gonum's Minimize would return: the last major iteration's
// point, the number of major iterations (the start included) and the status.
type runResult struct {
	x      []float64
	majors int
	status optimize.Status
}

// run is optimize.Minimize(Problem{F, ∇F, ctx check}, ws.theta0, &Settings{
// GradientThreshold: gradTol, Converger: &ws.conv, MajorIterations: maxMajor,
// Concurrent: 1}, &ws.lbfgs) carried out in this goroutine: the same calls of
// the same gonum methods (LBFGS's directions through its LinesearchMethod, the
// Moré–Thuente steps) in the order Minimize's single task makes them, so the
// same iterates, status and error, without Minimize's goroutines, channels and
// per-call allocations. Minimize checks, at each evaluation, the context (its
// Problem.Status); at each major iteration, F = −∞, then ‖∇F‖_∞ < gradTol, then
// the converger, then the iteration limit; the method itself stops when ‖∇F‖_∞ <
// 1e-12 (LBFGS.GradStopThreshold's default) at the start, where Minimize
// returns its initial best point (zeros), or at a major iteration.
func (ws *workspace) run(dim, maxMajor int, gradTol float64) (runResult, error) {
	const methodGradTol = 1e-12
	ws.loc.X, ws.loc.Gradient = resize(ws.loc.X, dim), resize(ws.loc.Gradient, dim)
	ws.best.X, ws.best.Gradient = resize(ws.best.X, dim), resize(ws.best.Gradient, dim)
	clear(ws.best.X)
	ws.best.F = math.Inf(1)
	res := runResult{x: ws.best.X}
	ws.conv.Init(dim)
	loc := &ws.loc
	copy(loc.X, ws.theta0)
	evaluate := func(op optimize.Operation) error {
		if op&optimize.FuncEvaluation != 0 {
			loc.F = ws.fun(loc.X)
		}
		if op&optimize.GradEvaluation != 0 {
			ws.grad(loc.Gradient, loc.X)
		}
		if err := ws.ctx.Err(); err != nil {
			res.status = optimize.Failure
			return err
		}
		return nil
	}
	// major records loc as a major iteration and reports whether Minimize stops.
	major := func() bool {
		ws.best.F = loc.F
		copy(ws.best.X, loc.X)
		copy(ws.best.Gradient, loc.Gradient)
		res.majors++
		switch {
		case math.IsInf(loc.F, -1):
			res.status = optimize.FunctionNegativeInfinity
		case floats.Norm(loc.Gradient, math.Inf(1)) < gradTol:
			res.status = optimize.GradientThreshold
		default:
			res.status = ws.conv.Converged(&ws.best)
			if res.status == optimize.NotTerminated && res.majors >= maxMajor {
				res.status = optimize.IterationLimit
			}
		}
		return res.status != optimize.NotTerminated
	}
	if err := evaluate(optimize.FuncEvaluation | optimize.GradEvaluation); err != nil {
		return res, err
	}
	if math.IsInf(loc.F, 1) || math.IsNaN(loc.F) {
		res.status = optimize.Failure
		return res, optimize.ErrFunc(loc.F)
	}
	for i, v := range loc.Gradient {
		if math.IsInf(v, 0) || math.IsNaN(v) {
			res.status = optimize.Failure
			return res, optimize.ErrGrad{Grad: v, Index: i}
		}
	}
	if floats.Norm(loc.Gradient, math.Inf(1)) < methodGradTol {
		res.status = optimize.GradientThreshold
		return res, nil
	}
	if major() {
		return res, nil
	}
	op, err := ws.lsm.Init(loc)
	for {
		if err != nil {
			res.status = optimize.Failure
			return res, err
		}
		if op == optimize.MajorIteration {
			if major() {
				return res, nil
			}
			if floats.Norm(loc.Gradient, math.Inf(1)) < methodGradTol {
				res.status = optimize.GradientThreshold
				return res, nil
			}
		} else if err := evaluate(op); err != nil {
			return res, err
		}
		op, err = ws.lsm.Iterate(loc)
	}
}

func (ws *workspace) fun(theta []float64) float64 {
	ws.evaluate(theta)
	return ws.cacheF
}

func (ws *workspace) grad(g, theta []float64) {
	ws.evaluate(theta)
	copy(g, ws.cacheG)
}

// evaluate sets the cache to F(θ) and ∇F(θ) unless it already holds them:
// gonum asks for F and ∇F at the same point in two calls.
func (ws *workspace) evaluate(theta []float64) {
	if ws.cacheSet && equal(theta, ws.cacheX) {
		return
	}
	copy(ws.cacheX, theta)
	ws.cacheF = objective(theta, ws.cacheG, ws.x, ws.ys, ws.rows, ws.invN, ws.invCN, ws.g)
	ws.cacheSet = true
}

// objective returns F(θ) and sets grad to ∇F(θ), θ = rows × (d+1) (weights, then
// intercept) and ys the labels as row indices (0/1 for the binary model). g is
// scratch of len rows.
//
//	F  = (1/n) Σ_i ℓ_i + (λ/2) Σ_r ‖W_r‖²,  λ = 1/(Cn)
//	∂F/∂W_r = (1/n) Σ_i g_ir x_i + λ W_r,   ∂F/∂b_r = (1/n) Σ_i g_ir
//
// with g_i = σ(z_i) − y_i (binary) or p_ir − [y_i = r] (multinomial).
func objective(theta, grad []float64, x *nets.Matrix, ys []int, rows int, invN, lambda float64, g []float64) float64 {
	d := x.Cols
	clear(grad)
	var loss float64
	for i := range x.Rows {
		xi := x.Row(i)
		for r := range rows {
			w := theta[r*(d+1) : (r+1)*(d+1)]
			s := w[d]
			for j, v := range xi {
				s += float64(w[j] * v)
			}
			g[r] = s
		}
		if rows == 1 {
			// log1pExp(z) and sigmoid(z) both take e^{−|z|}: computed once.
			z, yi := g[0], float64(ys[i])
			e := fmath.Exp(-math.Abs(z))
			sp := log1p(e) // log(1 + e^z) for z ≤ 0
			if z > 0 {
				sp += z
			}
			sig := e / (1 + e) // σ(z) for z < 0
			if z >= 0 {
				sig = 1 / (1 + e)
			}
			loss += sp - float64(yi*z)
			g[0] = sig - yi
		} else {
			zy := g[ys[i]]
			loss += softmax(g) - zy
			g[ys[i]] -= 1
		}
		for r := range rows {
			gr := grad[r*(d+1) : (r+1)*(d+1)]
			c := g[r]
			for j, v := range xi {
				gr[j] += float64(c * v)
			}
			gr[d] += c
		}
	}
	var sq float64
	for r := range rows {
		w, gr := theta[r*(d+1):r*(d+1)+d], grad[r*(d+1):(r+1)*(d+1)]
		for j, v := range w {
			sq += float64(v * v)
			gr[j] = float64(gr[j]*invN) + float64(lambda*v)
		}
		gr[d] *= invN
	}
	return float64(loss*invN) + float64(0.5*lambda*sq)
}

func equal(a, b []float64) bool {
	for i, v := range a {
		if v != b[i] {
			return false
		}
	}
	return true
}

func resize(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}

// resizeInts is resize for ints, growing the capacity to 2n: the labels of a
// training set that grows by a row a round are reallocated a logarithmic number
// of times.
func resizeInts(s []int, n int) []int {
	if cap(s) < n {
		return make([]int, n, 2*n)
	}
	return s[:n]
}
