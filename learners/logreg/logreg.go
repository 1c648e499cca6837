// Package logreg is L2-regularised logistic regression as scikit-learn's
// LogisticRegression(penalty='l2', solver='lbfgs', fit_intercept=True) fits it,
// minimised with gonum's L-BFGS.
//
// With n training rows, K present classes and C the inverse regularisation
// strength, scikit-learn minimises
//
//	½‖W‖² + C Σ_i ℓ_i(W, b)
//
// (the intercepts b are not penalised) in the form its lbfgs solver hands to
// L-BFGS-B since scikit-learn 1.4, divided by C·n so that the loss is a mean:
//
//	F(W, b) = (1/n) Σ_i ℓ_i(W, b) + (1/(2Cn)) ‖W‖².
//
// The scaling matters because the solver stops when max_l |∂F/∂θ_l| ≤ tol
// (scipy's gtol), or when an iteration lowers F by no more than
// 64·ε·max(|F_old|, |F_new|, 1) (scikit-learn passes ftol = 64 ε), or after
// max_iter iterations; the same tol therefore means the same thing here as in
// scikit-learn ≥ 1.4. (scikit-learn ≤ 1.3 passed the unscaled sum, for which the
// same tol stops about n times closer to the optimum.)
//
// Two present classes give the binary model sklearn fits, one weight vector w and
// intercept b with z = w·x + b, y ∈ {0, 1} and
//
//	ℓ = log(1 + e^z) − y z,    p(1|x) = σ(z) = 1/(1 + e^{−z}),    p(0|x) = 1 − σ(z);
//
// more give the multinomial (softmax) model, one row W_k, b_k per class,
//
//	ℓ = log Σ_k e^{z_k} − z_y,    z_k = W_k·x + b_k,    p(k|x) = e^{z_k} / Σ_j e^{z_j},
//
// both evaluated without overflow (log(1 + e^z) = max(z, 0) + log1p(e^{−|z|});
// log-sum-exp about the largest z). Classes absent from y are unknown to the fit
// and get probability 0; a single present class gets probability 1.
//
// The minimiser is gonum's optimize.LBFGS (memory 10, as L-BFGS-B's default
// maxcor) with a Moré–Thuente line search with scipy's
// sufficient-decrease and curvature constants (10⁻³ and 0.9), starting from zero
// or, for FitFrom, from a previous model's weights. Without bounds L-BFGS-B's
// step is the L-BFGS two-loop step, so the iterates follow the same algorithm;
// they are not bit-identical to scipy's (different summation orders, and
// gonum's line search fails where MINPACK's would stop with a warning); on the
// fixtures they agree with scikit-learn's to about 1e-14, iteration counts
// included. The methods run as optimize.Minimize would run them with one task
// (Settings.Concurrent = 1), but in the caller's goroutine and without its
// per-call goroutines, channels and allocations (workspace.run): a refit
// allocates the new model's buffers only, and a Session round nothing.
//
// References: scikit-learn, sklearn/linear_model/_logistic.py and
// _linear_loss.py; Byrd, Lu, Nocedal and Zhu, "A limited memory algorithm for
// bound constrained optimization", SIAM J. Sci. Comput. 16(5) (1995); Nocedal and
// Wright, Numerical Optimization, 2nd ed. (2006), algorithm 7.4; Moré and Thuente,
// ACM TOMS 20(3) (1994).
package logreg

import (
	"fmt"
	"math"

	"albench/internal/fmath"
	"albench/learners/internal/check"
	"albench/nets"
)

// Defaults of scikit-learn's LogisticRegression.
const (
	DefaultC       = 1.0
	DefaultTol     = 1e-4
	DefaultMaxIter = 100
)

// Params are LogisticRegression's hyperparameters for penalty='l2',
// solver='lbfgs', fit_intercept=True, named as in scikit-learn. Zero values mean
// scikit-learn's defaults.
type Params struct {
	// C is the inverse of the regularisation strength (C multiplies the summed
	// loss); 0 means 1.
	C float64
	// Tol is tol: stop when the largest absolute component of ∇F is at most Tol;
	// 0 means 1e-4.
	Tol float64
	// MaxIter is max_iter, the most L-BFGS iterations; 0 means 100.
	MaxIter int
}

func (p Params) withDefaults() Params {
	if p.C == 0 {
		p.C = DefaultC
	}
	if p.Tol == 0 {
		p.Tol = DefaultTol
	}
	if p.MaxIter == 0 {
		p.MaxIter = DefaultMaxIter
	}
	return p
}

// Validate reports whether p is usable: C and Tol are 0 or positive and finite,
// MaxIter ≥ 0.
func (p Params) Validate() error {
	if p.C < 0 || math.IsNaN(p.C) || math.IsInf(p.C, 1) {
		return fmt.Errorf("logreg: C %v must be a positive finite number", p.C)
	}
	if p.Tol < 0 || math.IsNaN(p.Tol) || math.IsInf(p.Tol, 1) {
		return fmt.Errorf("logreg: tol %v must be a positive finite number", p.Tol)
	}
	if p.MaxIter < 0 {
		return fmt.Errorf("logreg: max_iter %d must be positive", p.MaxIter)
	}
	return nil
}

// Model is a fitted logistic regression. Its methods reuse buffers it owns, so a
// Model must not be used from several goroutines at once.
type Model struct {
	classes   int
	features  int
	present   []int     // present classes, increasing
	rows      int       // weight rows: 1 (binary), len(present) (multinomial) or 0
	theta     []float64 // rows × (features+1): weights, then the intercept
	nIter     int
	converged bool
	z         []float64 // per-row logits scratch (len rows)
	count     []int     // per-class label counts of the fit (scratch)
	ws        *workspace
}

// Classes returns the number of classes the model was fitted with.
func (m *Model) Classes() int { return m.classes }

// NIter returns the number of L-BFGS iterations of the fit (scikit-learn's n_iter_).
func (m *Model) NIter() int { return m.nIter }

// Converged reports whether the fit stopped by the gradient or function-decrease
// test rather than by max_iter or a failed line search (where scikit-learn warns
// with a ConvergenceWarning).
func (m *Model) Converged() bool { return m.converged }

// Coef returns copies of scikit-learn's coef_ and intercept_: for two present
// classes a 1 × features row and one intercept (for class present[1] against
// present[0], classes 0 and 1 when Classes is 2); otherwise one row per
// class, zero with intercept −∞ for absent classes.
func (m *Model) Coef() (coef *nets.Matrix, intercept []float64) {
	d := m.features
	if m.rows == 1 {
		coef = nets.NewMatrix(1, d)
		copy(coef.Data, m.theta[:d])
		return coef, []float64{m.theta[d]}
	}
	coef = nets.NewMatrix(m.classes, d)
	intercept = make([]float64, m.classes)
	for c := range intercept {
		intercept[c] = math.Inf(-1)
	}
	for k, c := range m.present {
		if m.rows == 0 {
			intercept[c] = 0
			continue
		}
		copy(coef.Row(c), m.theta[k*(d+1):k*(d+1)+d])
		intercept[c] = m.theta[k*(d+1)+d]
	}
	return coef, intercept
}

func (m *Model) check(x *nets.Matrix) {
	if x.Cols != m.features || len(x.Data) != x.Rows*x.Cols {
		panic(fmt.Sprintf("logreg: input %d×%d (%d elements), model has %d features",
			x.Rows, x.Cols, len(x.Data), m.features))
	}
}

// logits sets m.z to the rows' logits z_r = W_r·x + b_r.
func (m *Model) logits(x []float64) {
	d := m.features
	for r := range m.rows {
		w := m.theta[r*(d+1) : (r+1)*(d+1)]
		s := w[d]
		for j, v := range x {
			s += float64(w[j] * v)
		}
		m.z[r] = s
	}
}

// Decision sets out to scikit-learn's decision_function. With Classes = 2 it is
// x.Rows × 1, z = w·x + b (positive ⇒ class 1; ±∞ if only one class was
// present). Otherwise it is x.Rows × Classes, z_k = W_k·x + b_k, −∞ for absent
// classes; if only two classes were present, their columns are −z/2 and +z/2 of
// the binary model, whose softmax is its σ(z).
func (m *Model) Decision(x, out *nets.Matrix) {
	m.check(x)
	if m.classes == 2 {
		out.Resize(x.Rows, 1)
	} else {
		out.Resize(x.Rows, m.classes)
	}
	for i := range x.Rows {
		m.logits(x.Row(i))
		if m.classes == 2 {
			switch {
			case m.rows == 1:
				out.Data[i] = m.z[0]
			case m.present[0] == 1:
				out.Data[i] = math.Inf(1)
			default:
				out.Data[i] = math.Inf(-1)
			}
			continue
		}
		o := out.Row(i)
		for c := range o {
			o[c] = math.Inf(-1)
		}
		switch m.rows {
		case 0:
			o[m.present[0]] = 0
		case 1:
			o[m.present[0]] = -0.5 * m.z[0]
			o[m.present[1]] = 0.5 * m.z[0]
		default:
			for k, c := range m.present {
				o[c] = m.z[k]
			}
		}
	}
}

// Probs sets out (resized to x.Rows × Classes) to p(k|x): σ(z) and 1 − σ(z) for
// the binary model, the softmax of z (about its largest entry) otherwise. It does
// not allocate once out has the capacity.
func (m *Model) Probs(x, out *nets.Matrix) {
	m.check(x)
	out.Resize(x.Rows, m.classes)
	for i := range x.Rows {
		o := out.Row(i)
		clear(o)
		switch m.rows {
		case 0:
			o[m.present[0]] = 1
			continue
		case 1:
			m.logits(x.Row(i))
			p := sigmoid(m.z[0])
			o[m.present[1]] = p
			o[m.present[0]] = 1 - p
			continue
		}
		m.logits(x.Row(i))
		softmax(m.z)
		for k, c := range m.present {
			o[c] = m.z[k]
		}
	}
}

// Predict sets out[i] to the predicted class of row i: class present[1] iff z > 0
// for the binary model, the largest z_k (lowest class on ties) otherwise.
func (m *Model) Predict(x *nets.Matrix, out []int) {
	m.check(x)
	if len(out) != x.Rows {
		panic(fmt.Sprintf("logreg: %d predictions for %d rows", len(out), x.Rows))
	}
	for i := range x.Rows {
		switch m.rows {
		case 0:
			out[i] = m.present[0]
			continue
		case 1:
			m.logits(x.Row(i))
			out[i] = m.present[0]
			if m.z[0] > 0 {
				out[i] = m.present[1]
			}
			continue
		}
		m.logits(x.Row(i))
		best := 0
		for k, v := range m.z {
			if v > m.z[best] {
				best = k
			}
		}
		out[i] = m.present[best]
	}
}

// sigmoid is σ(t) = 1/(1 + e^{−t}) without overflow.
func sigmoid(t float64) float64 {
	if t >= 0 {
		return 1 / (1 + fmath.Exp(-t))
	}
	e := fmath.Exp(t)
	return e / (1 + e)
}

// log1pExp is log(1 + e^t) = max(t, 0) + log1p(e^{−|t|}).
func log1pExp(t float64) float64 {
	if t > 0 {
		return t + log1p(fmath.Exp(-t))
	}
	return log1p(fmath.Exp(t))
}

// log1p returns log(1 + u) for u ≥ 0 accurately for small u: with v = 1 + u
// rounded, log(v)·u/(v − 1) corrects the rounding of v (Goldberg, "What every
// computer scientist should know about floating-point arithmetic", 1991, thm 4).
func log1p(u float64) float64 {
	v := 1 + u
	if v == 1 {
		return u
	}
	return fmath.Log(v) * (u / (v - 1))
}

// softmax replaces z by e^{z_k − max z} / Σ_j e^{z_j − max z} and returns
// log Σ_j e^{z_j}.
func softmax(z []float64) float64 {
	top := math.Inf(-1)
	for _, v := range z {
		top = math.Max(top, v)
	}
	var s float64
	for k, v := range z {
		z[k] = fmath.Exp(v - top)
		s += z[k]
	}
	for k := range z {
		z[k] /= s
	}
	return top + fmath.Log(s)
}

func checkData(x *nets.Matrix, y []int, classes int) error {
	return check.Data("logreg", x, y, classes)
}
