// Package svm is a C-support-vector classifier faithful to libsvm (Chang & Lin
// 2011, "LIBSVM: a library for support vector machines", ACM TIST 2(3)), which is
// what scikit-learn's SVC runs: the same SMO solver (second-order working-set
// selection, shrinking, float32 kernel cache, stopping rule and bias), one-vs-one
// multi-class with libsvm's voting, Platt probabilities fitted by the Lin, Lin &
// Weng (2007) Newton method on 5-fold cross-validated decision values, and
// pairwise coupling (Wu, Lin & Weng 2004) for more than two classes.
//
// For active learning, a Session retrains after labels are added by warm-starting
// SMO from the previous solution, and keeps the decision values of every pool and
// evaluation row up to date incrementally (see Session).
package svm

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"albench/nets"
)

// Params are the hyperparameters of SVC with scikit-learn's names; the zero value
// is scikit-learn's default SVC() (rbf kernel, C = 1, gamma = "scale", tol = 1e-3,
// shrinking on, no probabilities, a 200 MB cache).
type Params struct {
	// Kernel is "rbf" (the default when empty), "linear" or "poly":
	//	linear: K(a, b) = a·b
	//	poly:   K(a, b) = (γ a·b + Coef0)^Degree
	//	rbf:    K(a, b) = exp(−γ ‖a − b‖²)
	Kernel string
	// C is the box constraint 0 ≤ α_i ≤ C of the dual, the weight of the hinge loss
	// in the primal ½‖w‖² + C Σ_i ξ_i. Zero means 1.
	C float64
	// GammaMode chooses γ when Gamma is zero: "scale" (the default when empty)
	// γ = 1/(n_features · Var(X)) with the variance over all entries of the training
	// X (γ = 1 when that variance is 0), or "auto" γ = 1/n_features.
	GammaMode string
	// Gamma, when positive, is γ itself (GammaMode must then be empty).
	Gamma float64
	// Degree is the degree of the poly kernel. Zero means 3.
	Degree int
	// Coef0 is the constant term of the poly kernel (default 0).
	Coef0 float64
	// Tol is the stopping tolerance eps of SMO: stop when the maximal violation
	// max_{I_up} −y_i∇_i − min_{I_low} −y_j∇_j falls below it. Zero means 1e-3.
	Tol float64
	// NoShrinking turns off libsvm's shrinking heuristic (scikit-learn's
	// shrinking=False); the default is shrinking on.
	NoShrinking bool
	// Probability fits Platt's sigmoid per binary problem on 5-fold
	// cross-validated decision values, making Model.Probs available. It costs five
	// extra fits per binary problem.
	Probability bool
	// CacheMB is the kernel cache budget in MiB (scikit-learn's cache_size).
	// Zero means 200. A Session uses it for its cache of kernel columns.
	CacheMB float64
}

// ErrIterationCap is returned (with a usable model) when a binary problem stopped
// at libsvm's iteration cap max(10⁷, 100·l) before the stopping rule held; libsvm
// prints "reaching max number of iterations" and goes on.
var ErrIterationCap = errors.New("svm: reached the maximal number of iterations")

func (p Params) kernelKind() kernelKind {
	switch p.Kernel {
	case "linear":
		return kernLinear
	case "poly":
		return kernPoly
	}
	return kernRBF
}

func (p Params) c() float64 {
	if p.C == 0 {
		return 1
	}
	return p.C
}

func (p Params) tol() float64 {
	if p.Tol == 0 {
		return 1e-3
	}
	return p.Tol
}

func (p Params) degree() int {
	if p.Degree == 0 {
		return 3
	}
	return p.Degree
}

func (p Params) cacheMB() float64 {
	if p.CacheMB == 0 {
		return 200
	}
	return p.CacheMB
}

// Validate reports the first invalid field.
func (p Params) Validate() error {
	switch p.Kernel {
	case "", "rbf", "linear", "poly":
	default:
		return fmt.Errorf("svm: kernel %q is not rbf, linear or poly", p.Kernel)
	}
	switch {
	case p.C < 0 || math.IsNaN(p.C) || math.IsInf(p.C, 0):
		return fmt.Errorf("svm: C = %v must be positive", p.C)
	case p.Gamma < 0 || math.IsNaN(p.Gamma) || math.IsInf(p.Gamma, 0):
		return fmt.Errorf("svm: gamma = %v must be positive", p.Gamma)
	case p.Gamma > 0 && p.GammaMode != "":
		return fmt.Errorf("svm: gamma %v and gamma mode %q both given", p.Gamma, p.GammaMode)
	case p.GammaMode != "" && p.GammaMode != "scale" && p.GammaMode != "auto":
		return fmt.Errorf("svm: gamma mode %q is not scale or auto", p.GammaMode)
	case p.Degree < 0:
		return fmt.Errorf("svm: degree = %d must be positive", p.Degree)
	case p.Tol < 0 || math.IsNaN(p.Tol):
		return fmt.Errorf("svm: tol = %v must be positive", p.Tol)
	case p.CacheMB < 0 || math.IsNaN(p.CacheMB):
		return fmt.Errorf("svm: cache = %v MB must be positive", p.CacheMB)
	case math.IsNaN(p.Coef0) || math.IsInf(p.Coef0, 0):
		return fmt.Errorf("svm: coef0 = %v must be finite", p.Coef0)
	}
	return nil
}

// gamma returns γ for training data x (rows of the fit).
func (p Params) gamma(x *nets.Matrix) float64 {
	if p.Gamma > 0 {
		return p.Gamma
	}
	nf := float64(x.Cols)
	if p.GammaMode == "auto" {
		return 1 / nf
	}
	// numpy's X.var(): mean of the squared deviations from the mean, pairwise
	// summation aside.
	n := float64(len(x.Data))
	var s float64
	for _, v := range x.Data {
		s += v
	}
	mean := s / n
	var ss float64
	for _, v := range x.Data {
		d := v - mean
		ss += float64(d * d)
	}
	v := ss / n
	if v == 0 {
		return 1
	}
	return 1 / (nf * v)
}

func (p Params) kernelFor(x *nets.Matrix) kernel {
	return kernel{kind: p.kernelKind(), gamma: p.gamma(x), coef0: p.Coef0, degree: p.degree()}
}

// pair is one binary problem of the one-vs-one scheme: class ci (y = +1) against
// class cj (y = −1), ci < cj.
type pair struct {
	ci, cj       int
	sv           []int     // positions in the model's support-vector list
	train        []int     // the same support vectors as training rows
	coef         []float64 // α_i y_i (libsvm's sign: positive ⇒ ci)
	rho          float64   // f(x) = Σ coef K(sv, x) − rho
	obj          float64
	iter         int
	capped       bool
	probA, probB float64
}

// Model is a fitted SVC. Its methods use scratch buffers owned by the model: a
// Model is not safe for concurrent use.
type Model struct {
	classes int
	present []int // classes present in the training labels, ascending
	kern    kernel
	prob    bool

	x       *nets.Matrix // holds the support vectors' features
	svRow   []int        // per support vector: its row in x
	svTrain []int        // per support vector: its training row
	svSq    []float64    // per support vector: ‖x‖²
	pairs   []pair

	sess *Session // set on a session's binary model: maintained decision values

	kv, dec, pw, pr []float64
	votes           []int
}

// Classes is the number of classes the model was fitted for (the classes
// argument of Fit), present in the training labels or not.
func (m *Model) Classes() int { return m.classes }

// Gamma is the kernel's γ as resolved at fit time.
func (m *Model) Gamma() float64 { return m.kern.gamma }

// NumPairs is the number of binary problems, k(k−1)/2 for the k classes present.
func (m *Model) NumPairs() int { return len(m.pairs) }

// Pair returns the classes of binary problem p: i (libsvm's +1) against j, i < j.
// Problems are ordered (0,1), (0,2), …, (1,2), … over the present classes.
func (m *Model) Pair(p int) (i, j int) { return m.pairs[p].ci, m.pairs[p].cj }

// SupportIndices are the training rows that are support vectors of some binary
// problem, grouped by class in class order and ascending within a class
// (scikit-learn's support_). The slice is the model's; do not modify it.
func (m *Model) SupportIndices() []int { return m.svTrain }

// PairSupport are the training rows with α > 0 in binary problem p: class i's rows
// then class j's, each ascending. The slice is the model's.
func (m *Model) PairSupport(p int) []int { return m.pairs[p].train }

// DualCoef are the coefficients of PairSupport(p) in scikit-learn's sign
// convention, so that the value returned by Decision (binary) or DecisionOvO is
//
//	f_p(x) = Σ_k DualCoef(p)[k] K(x_k, x) + Intercept(p).
//
// For more than two classes that is α_k y_k with class i as +1 (libsvm's
// sv_coef); for two classes scikit-learn negates it, so that positive ⇒ class 1.
// The slice is freshly allocated.
func (m *Model) DualCoef(p int) []float64 {
	pr := &m.pairs[p]
	out := make([]float64, len(pr.coef))
	s := m.binarySign()
	for k, c := range pr.coef {
		out[k] = s * c
	}
	return out
}

// Intercept is scikit-learn's intercept_[p]: −rho, negated again for two classes.
func (m *Model) Intercept(p int) float64 { return -m.binarySign() * m.pairs[p].rho }

// Objective is the dual objective ½ αᵀQα − eᵀα at the solution of problem p
// (libsvm's "obj", which scikit-learn does not expose).
func (m *Model) Objective(p int) float64 { return m.pairs[p].obj }

// Iterations is the number of SMO iterations of problem p and whether it stopped
// at the iteration cap.
func (m *Model) Iterations(p int) (n int, capped bool) {
	return m.pairs[p].iter, m.pairs[p].capped
}

// ProbAB are Platt's A and B of problem p (scikit-learn's probA_[p], probB_[p]):
// P(class i | f) = 1/(1 + exp(A f + B)) with f libsvm's value (positive ⇒ i).
func (m *Model) ProbAB(p int) (a, b float64) { return m.pairs[p].probA, m.pairs[p].probB }

// HasProbs reports whether the model was fitted with Probability and so offers
// Probs (and, from a session, PoolProbs and EvalProbs).
func (m *Model) HasProbs() bool { return m.prob }

// binarySign is −1 for a two-class model with both classes present, where
// scikit-learn flips libsvm's sign, else +1.
func (m *Model) binarySign() float64 {
	if m.classes == 2 && len(m.pairs) == 1 {
		return -1
	}
	return 1
}

// Fit trains an SVC on the rows of x with labels y in [0, classes), classes ≥ 2.
// A class absent from y is never predicted (probability 0, and the lowest decision
// value); a single present class gives a constant model. rng draws the
// cross-validation folds of Probability and nothing else. The error is
// ErrIterationCap, with the model, when SMO stopped at its iteration cap.
func (p Params) Fit(ctx context.Context, x *nets.Matrix, y []int, classes int, rng *rand.Rand) (*Model, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if err := checkData(x, y, classes); err != nil {
		return nil, err
	}
	if p.Probability && rng == nil {
		return nil, errors.New("svm: Probability needs an rng")
	}
	kern := p.kernelFor(x)
	m := &Model{classes: classes, kern: kern, prob: p.Probability}

	// Group the rows by class, ascending within a class (libsvm's svm_group_classes
	// with scikit-learn's sorted labels).
	byClass := make([][]int, classes)
	for i, c := range y {
		byClass[c] = append(byClass[c], i)
	}
	for c := range classes {
		if len(byClass[c]) > 0 {
			m.present = append(m.present, c)
		}
	}
	nonzero := make([]bool, x.Rows)
	var capErr error
	var sub nets.Matrix
	var sol solver
	for a := 0; a < len(m.present); a++ {
		for b := a + 1; b < len(m.present); b++ {
			ci, cj := m.present[a], m.present[b]
			rows := append(append([]int(nil), byClass[ci]...), byClass[cj]...)
			sy := make([]int8, len(rows))
			for k := range sy {
				sy[k] = 1
				if k >= len(byClass[ci]) {
					sy[k] = -1
				}
			}
			sub.Gather(x, rows)
			pr := pair{ci: ci, cj: cj}
			if p.Probability {
				var err error
				pr.probA, pr.probB, err = p.binaryProbability(ctx, &sub, sy, &kern, rng, &sol)
				if err != nil && !errors.Is(err, ErrIterationCap) {
					return nil, err
				}
			}
			alpha := make([]float64, len(rows))
			res, err := p.trainBinary(ctx, &sub, sy, &kern, alpha, &sol)
			if err != nil {
				return nil, err
			}
			if res.capped {
				capErr = ErrIterationCap
			}
			pr.rho, pr.obj, pr.iter, pr.capped = res.rho, res.obj, res.iter, res.capped
			for k, al := range alpha {
				if al > 0 {
					nonzero[rows[k]] = true
					pr.train = append(pr.train, rows[k])
					pr.coef = append(pr.coef, float64(sy[k])*al)
				}
			}
			m.pairs = append(m.pairs, pr)
		}
	}
	// The support vectors: nonzero in some problem, grouped by class.
	pos := make([]int, x.Rows)
	for _, c := range m.present {
		for _, r := range byClass[c] {
			if nonzero[r] {
				pos[r] = len(m.svTrain)
				m.svTrain = append(m.svTrain, r)
			}
		}
	}
	m.x = nets.NewMatrix(0, x.Cols)
	m.x.Gather(x, m.svTrain)
	m.svRow = make([]int, len(m.svTrain))
	for k := range m.svRow {
		m.svRow[k] = k
	}
	m.svSq = sqNorms(m.x, nil)
	for k := range m.pairs {
		pr := &m.pairs[k]
		pr.sv = make([]int, len(pr.train))
		for t, r := range pr.train {
			pr.sv[t] = pos[r]
		}
	}
	return m, capErr
}

func checkData(x *nets.Matrix, y []int, classes int) error {
	if classes < 2 {
		return fmt.Errorf("svm: %d classes, need at least 2", classes)
	}
	if x.Rows != len(y) {
		return fmt.Errorf("svm: %d rows but %d labels", x.Rows, len(y))
	}
	if x.Rows == 0 || x.Cols == 0 {
		return fmt.Errorf("svm: empty training data %d×%d", x.Rows, x.Cols)
	}
	if len(x.Data) != x.Rows*x.Cols {
		return fmt.Errorf("svm: matrix %d×%d has %d elements", x.Rows, x.Cols, len(x.Data))
	}
	for i, c := range y {
		if c < 0 || c >= classes {
			return fmt.Errorf("svm: label %d of row %d not in [0, %d)", c, i, classes)
		}
	}
	return nil
}

// trainBinary solves one binary problem on the rows of x with labels sy (±1) from
// the start alpha (receiving the solution), as libsvm's solve_c_svc.
func (p Params) trainBinary(ctx context.Context, x *nets.Matrix, sy []int8, kern *kernel,
	alpha []float64, sol *solver) (solveResult, error) {
	q := newColdQ(x, sy, kern, p.cacheMB())
	qd := make([]float64, x.Rows)
	for i := range qd {
		r := x.Row(i)
		qd[i] = kern.eval(r, r, q.sq[i], q.sq[i])
	}
	return sol.solve(ctx, sy, alpha, nil, nil, qd, q, p.c(), p.tol(), !p.NoShrinking)
}

// values sets m.dec to libsvm's decision values of row r for every problem.
func (m *Model) values(r []float64) {
	sr := 0.0
	if m.kern.kind == kernRBF {
		sr = dot(r, r)
	}
	m.kv = grow(m.kv, len(m.svRow))
	for k, row := range m.svRow {
		m.kv[k] = m.kern.eval(r, m.x.Row(row), sr, m.svSq[k])
	}
	m.dec = grow(m.dec, len(m.pairs))
	for k := range m.pairs {
		pr := &m.pairs[k]
		var s float64
		for t, sv := range pr.sv {
			s += float64(pr.coef[t] * m.kv[sv])
		}
		m.dec[k] = s - pr.rho
	}
}

func (m *Model) checkX(x *nets.Matrix) {
	if len(m.svRow) > 0 && x.Cols != m.x.Cols {
		panic(fmt.Sprintf("svm: %d features, the model has %d", x.Cols, m.x.Cols))
	}
}

// DecisionOvO sets out (x.Rows × NumPairs()) to libsvm's one-vs-one decision values
// (scikit-learn's decision_function_shape='ovo' for three or more classes):
// column p is Σ α y K(x_sv, x) − rho of Pair(p), positive ⇒ its class i.
func (m *Model) DecisionOvO(x, out *nets.Matrix) {
	m.checkX(x)
	out.Resize(x.Rows, len(m.pairs))
	for i := range x.Rows {
		m.values(x.Row(i))
		copy(out.Row(i), m.dec)
	}
}

// Decision sets out to scikit-learn's decision_function. For two classes out is
// x.Rows × 1 and positive means class 1 (the negated libsvm value); with a single
// present class it is +1 or −1 for that class. For k > 2 classes out is
// x.Rows × k, the one-vs-rest values scikit-learn derives from the one-vs-one
// values f_ij (sklearn.utils.multiclass._ovr_decision_function):
//
//	v_c = votes_c + s_c / (3 (|s_c| + 1)),   s_c = Σ_{j} f_cj − Σ_{i} f_ic,
//
// where class i gets the vote of pair (i, j) when f_ij ≥ 0. An absent class gets
// −1, below every present class (whose values exceed −1/3).
func (m *Model) Decision(x, out *nets.Matrix) {
	m.checkX(x)
	if m.classes == 2 {
		out.Resize(x.Rows, 1)
		for i := range x.Rows {
			out.Data[i] = m.binaryValue(x.Row(i))
		}
		return
	}
	out.Resize(x.Rows, m.classes)
	for i := range x.Rows {
		m.values(x.Row(i))
		m.ovr(m.dec, out.Row(i))
	}
}

// binaryValue is scikit-learn's binary decision value of row r.
func (m *Model) binaryValue(r []float64) float64 {
	if len(m.pairs) == 0 {
		return constantValue(m.present[0])
	}
	m.values(r)
	return -m.dec[0]
}

func constantValue(class int) float64 {
	if class == 1 {
		return 1
	}
	return -1
}

// ovr converts the one-vs-one values dec into scikit-learn's one-vs-rest values.
func (m *Model) ovr(dec, out []float64) {
	for c := range out {
		out[c] = 0
	}
	m.pw = grow(m.pw, m.classes)
	s := m.pw
	for c := range s {
		s[c] = 0
	}
	for k := range m.pairs {
		pr := &m.pairs[k]
		d := dec[k]
		s[pr.ci] += d
		s[pr.cj] -= d
		if d >= 0 {
			out[pr.ci]++
		} else {
			out[pr.cj]++
		}
	}
	present := 0
	for c := range out {
		if present < len(m.present) && m.present[present] == c {
			out[c] += s[c] / (3 * (math.Abs(s[c]) + 1))
			present++
		} else {
			out[c] = -1
		}
	}
}

// vote is libsvm's one-vs-one vote on m.dec: pair (i, j) votes i when f_ij > 0,
// else j; the most votes win, the lowest class on a tie.
func (m *Model) vote() int {
	if len(m.pairs) == 0 {
		return m.present[0]
	}
	m.votes = grow(m.votes, m.classes)
	for c := range m.votes {
		m.votes[c] = 0
	}
	for k := range m.pairs {
		if m.dec[k] > 0 {
			m.votes[m.pairs[k].ci]++
		} else {
			m.votes[m.pairs[k].cj]++
		}
	}
	best := m.present[0]
	for _, c := range m.present {
		if m.votes[c] > m.votes[best] {
			best = c
		}
	}
	return best
}

// Predict sets out[i] to the class of row i of x by libsvm's one-vs-one vote:
// pair (i, j) votes for i when its libsvm value is > 0, else for j, and the class
// with the most votes wins, the lowest on a tie. For two classes that is class 1
// exactly when Decision ≥ 0 (class 1 also at a value of exactly 0, as libsvm).
func (m *Model) Predict(x *nets.Matrix, out []int) {
	m.checkX(x)
	if len(out) != x.Rows {
		panic(fmt.Sprintf("svm: %d outputs for %d rows", len(out), x.Rows))
	}
	for i := range x.Rows {
		if len(m.pairs) > 0 {
			m.values(x.Row(i))
		}
		out[i] = m.vote()
	}
}

// Probs sets out (x.Rows × Classes()) to the class probabilities: for two classes
// Platt's sigmoid of the decision value, clipped to [1e−7, 1 − 1e−7]; for more, the
// pairwise-coupled probabilities of Wu, Lin & Weng (2004) from the clipped pairwise
// sigmoids. Absent classes get 0; a single present class gets 1. Probs panics
// unless HasProbs.
func (m *Model) Probs(x, out *nets.Matrix) {
	if !m.prob {
		panic("svm: Probs of a model fitted without Probability")
	}
	m.checkX(x)
	out.Resize(x.Rows, m.classes)
	for i := range x.Rows {
		if len(m.pairs) > 0 {
			m.values(x.Row(i))
		}
		m.probsFromDec(m.dec, out.Row(i))
	}
}
