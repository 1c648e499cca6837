// Package lda is linear discriminant analysis as scikit-learn's
// LinearDiscriminantAnalysis(solver='svd') fits it: class priors equal to the
// class frequencies, no shrinkage, rank threshold tol = 1e-4.
//
// With n rows, K present classes of sizes n_k, class means μ_k, priors π_k = n_k/n
// and x̄ = Σ_k π_k μ_k, the svd solver
//
//  1. centres each row on its class mean, X_c = x_i − μ_{y_i}, and scales each
//     feature by its standard deviation s_j over X_c (s_j = 1 where it is 0):
//     Z = X_c diag(1/s) / √(n − K);
//
//  2. takes the thin SVD Z = U S Vᵀ, keeps the r singular values S_l > tol, and
//     forms W = diag(1/s) V_r diag(1/S_r), which whitens the pooled within-class
//     covariance: Wᵀ Σ_w W = I;
//
//  3. scales the centred class means, B_k = √(n π_k / (K − 1)) (μ_k − x̄), takes
//     the SVD of B W = U₂ S₂ V₂ᵀ, keeps the r₂ values S₂_l > tol·S₂_1, and sets
//     the final scalings A = W V₂,r₂;
//
//  4. sets, with m_k = (μ_k − x̄) A,
//
//     coef_k      = m_k Aᵀ
//     intercept_k = −½ ‖m_k‖² + log π_k − x̄ · coef_k
//
// The decision value of class k is δ_k(x) = coef_k · x + intercept_k, and
// p(k|x) = softmax_k δ(x). With two classes scikit-learn keeps the single
// difference δ(x) = δ_1(x) − δ_0(x) and p(1|x) = 1/(1 + e^{−δ}), p(0|x) = 1 − p(1|x).
// Classes absent from y have δ = −∞ and probability 0; a single present class
// gets probability 1.
//
// Reference: scikit-learn, sklearn/discriminant_analysis.py (_solve_svd);
// Hastie, Tibshirani and Friedman, The Elements of Statistical Learning,
// 2nd ed. (2009), section 4.3.
package lda

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"albench/internal/fmath"
	"albench/learners/internal/check"
	"albench/nets"
)

// DefaultTol is scikit-learn's default tol.
const DefaultTol = 1e-4

// Params are LinearDiscriminantAnalysis's hyperparameters for solver='svd' with the
// default priors and no shrinkage, named as in scikit-learn.
type Params struct {
	// Tol is tol: singular values of the scaled within-class data not above Tol,
	// and between-class singular values not above Tol times the largest, are
	// dropped. Zero means scikit-learn's default 1e-4.
	Tol float64
}

func (p Params) tol() float64 {
	if p.Tol == 0 {
		return DefaultTol
	}
	return p.Tol
}

// Validate reports whether p is usable: Tol is 0 (the default) or positive and
// finite.
func (p Params) Validate() error {
	if p.Tol < 0 || math.IsNaN(p.Tol) || math.IsInf(p.Tol, 1) {
		return fmt.Errorf("lda: tol %v must be a finite number ≥ 0", p.Tol)
	}
	return nil
}

// Model is a fitted linear discriminant. Its methods reuse buffers it owns, so a
// Model must not be used from several goroutines at once.
type Model struct {
	classes  int
	features int
	present  []int     // the present classes, increasing
	coef     []float64 // len(present) × features, coef_k of present[k]
	icpt     []float64 // intercept_k of present[k]
	rank     int       // number of discriminant directions kept (r₂)
	dec      []float64 // per-row scratch of len(present) decision values
}

// Fit fits the model to the rows of x with labels y in [0, classes). rng is unused:
// the fit is deterministic. It fails if fewer rows than present classes are given
// (scikit-learn divides by n − K).
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
	n, d := x.Rows, x.Cols
	count := make([]int, classes)
	for _, c := range y {
		count[c]++
	}
	slot := make([]int, classes) // class → index among present classes, or −1
	var present []int
	for c, k := range count {
		slot[c] = -1
		if k > 0 {
			slot[c] = len(present)
			present = append(present, c)
		}
	}
	K := len(present)
	m := &Model{
		classes:  classes,
		features: d,
		present:  present,
		coef:     make([]float64, K*d),
		icpt:     make([]float64, K),
		dec:      make([]float64, K),
	}
	if K == 1 {
		return m, nil
	}
	if n <= K {
		return nil, fmt.Errorf("lda: %d rows for %d classes; need more rows than classes", n, K)
	}

	// Class means, priors and the prior-weighted overall mean.
	means := make([]float64, K*d)
	prior := make([]float64, K)
	for i := range n {
		mu := means[slot[y[i]]*d:][:d]
		for j, v := range x.Row(i) {
			mu[j] += v
		}
	}
	xbar := make([]float64, d)
	for k, c := range present {
		mu := means[k*d:][:d]
		for j := range mu {
			mu[j] /= float64(count[c])
		}
		prior[k] = float64(count[c]) / float64(n)
		for j := range mu {
			xbar[j] += float64(prior[k] * mu[j])
		}
	}

	// 1) Within-class centred data and its per-feature standard deviation.
	xc := mat.NewDense(n, d, nil)
	for i := range n {
		mu := means[slot[y[i]]*d:][:d]
		for j, v := range x.Row(i) {
			xc.Set(i, j, v-mu[j])
		}
	}
	std := make([]float64, d)
	for j := range d {
		var s float64
		for i := range n {
			s += xc.At(i, j)
		}
		mean := s / float64(n)
		var ss float64
		for i := range n {
			r := xc.At(i, j) - mean
			ss += float64(r * r)
		}
		std[j] = math.Sqrt(ss / float64(n))
		if std[j] == 0 {
			std[j] = 1
		}
	}
	f := math.Sqrt(1 / float64(n-K))
	for i := range n {
		for j := range d {
			xc.Set(i, j, f*(xc.At(i, j)/std[j]))
		}
	}

	// 2) SVD of the scaled within-class data; whitening W = diag(1/s) V_r diag(1/S_r).
	var svd mat.SVD
	if !svd.Factorize(xc, mat.SVDThin) {
		return nil, errors.New("lda: SVD of the within-class data did not converge")
	}
	sv := svd.Values(nil)
	var v mat.Dense
	svd.VTo(&v)
	tol := p.tol()
	r := 0
	for _, s := range sv {
		if s > tol {
			r++
		}
	}
	if r == 0 {
		return nil, errors.New("lda: the within-class data has rank 0")
	}
	w := mat.NewDense(d, r, nil)
	for j := range d {
		for l := range r {
			w.Set(j, l, v.At(j, l)/std[j]/sv[l])
		}
	}

	// 3) Between-class scaling and its SVD; A = W V₂,r₂.
	fac := 1 / float64(K-1)
	b := mat.NewDense(K, d, nil)
	for k := range K {
		g := math.Sqrt(float64(float64(n)*prior[k]) * fac)
		for j := range d {
			b.Set(k, j, g*(means[k*d+j]-xbar[j]))
		}
	}
	var bw mat.Dense
	bw.Mul(b, w)
	var svd2 mat.SVD
	if !svd2.Factorize(&bw, mat.SVDThin) {
		return nil, errors.New("lda: SVD of the between-class data did not converge")
	}
	sv2 := svd2.Values(nil)
	var v2 mat.Dense
	svd2.VTo(&v2)
	r2 := 0
	for _, s := range sv2 {
		if s > tol*sv2[0] {
			r2++
		}
	}
	m.rank = r2
	if r2 == 0 {
		// Every class has the same mean: only the priors discriminate.
		for k := range K {
			m.icpt[k] = fmath.Log(prior[k])
		}
		return m, nil
	}
	var a mat.Dense
	a.Mul(w, v2.Slice(0, r, 0, r2))

	// 4) coef_k = m_k Aᵀ and intercept_k = −½‖m_k‖² + log π_k − x̄·coef_k.
	cm := mat.NewDense(K, d, nil)
	for k := range K {
		for j := range d {
			cm.Set(k, j, means[k*d+j]-xbar[j])
		}
	}
	var mk mat.Dense
	mk.Mul(cm, &a)
	coef := mat.NewDense(K, d, m.coef)
	coef.Mul(&mk, a.T())
	for k := range K {
		var sq float64
		for l := range r2 {
			q := mk.At(k, l)
			sq += float64(q * q)
		}
		var dot float64
		for j := range d {
			dot += float64(xbar[j] * m.coef[k*d+j])
		}
		m.icpt[k] = float64(-0.5*sq) + fmath.Log(prior[k])
		m.icpt[k] -= dot
	}
	return m, nil
}

func checkData(x *nets.Matrix, y []int, classes int) error {
	return check.Data("lda", x, y, classes)
}

// Classes returns the number of classes the model was fitted with.
func (m *Model) Classes() int { return m.classes }

// Rank returns the number of discriminant directions kept (at most K − 1 for K
// present classes).
func (m *Model) Rank() int { return m.rank }

// Coef returns scikit-learn's coef_ and intercept_: with two classes both present
// a 1 × features row coef_1 − coef_0 and one intercept; otherwise Classes rows,
// zero (and intercept −∞) for absent classes. The results are copies.
func (m *Model) Coef() (coef *nets.Matrix, intercept []float64) {
	d := m.features
	if m.classes == 2 && len(m.present) == 2 {
		coef = nets.NewMatrix(1, d)
		for j := range d {
			coef.Data[j] = m.coef[d+j] - m.coef[j]
		}
		return coef, []float64{m.icpt[1] - m.icpt[0]}
	}
	coef = nets.NewMatrix(m.classes, d)
	intercept = make([]float64, m.classes)
	for c := range intercept {
		intercept[c] = math.Inf(-1)
	}
	for k, c := range m.present {
		copy(coef.Row(c), m.coef[k*d:(k+1)*d])
		intercept[c] = m.icpt[k]
	}
	return coef, intercept
}

func (m *Model) check(x *nets.Matrix) {
	if x.Cols != m.features || len(x.Data) != x.Rows*x.Cols {
		panic(fmt.Sprintf("lda: input %d×%d (%d elements), model has %d features",
			x.Rows, x.Cols, len(x.Data), m.features))
	}
}

// decide sets m.dec to δ_k(x) of the present classes.
func (m *Model) decide(x []float64) {
	d := m.features
	for k := range m.present {
		w := m.coef[k*d : (k+1)*d]
		s := m.icpt[k]
		for j, v := range x {
			s += float64(w[j] * v)
		}
		m.dec[k] = s
	}
}

// Decision sets out to scikit-learn's decision_function: with Classes = 2,
// x.Rows × 1 values δ_1 − δ_0 (positive ⇒ class 1; ±∞ if one class is absent);
// otherwise x.Rows × Classes values δ_k, −∞ for absent classes.
func (m *Model) Decision(x, out *nets.Matrix) {
	m.check(x)
	if m.classes == 2 {
		out.Resize(x.Rows, 1)
	} else {
		out.Resize(x.Rows, m.classes)
	}
	for i := range x.Rows {
		m.decide(x.Row(i))
		if m.classes == 2 {
			switch {
			case len(m.present) == 2:
				out.Data[i] = m.dec[1] - m.dec[0]
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
		for k, c := range m.present {
			o[c] = m.dec[k]
		}
	}
}

// Probs sets out (resized to x.Rows × Classes) to p(k|x): the softmax of the
// decision values, or, with two present classes, scikit-learn's binary form
// p = 1/(1 + e^{−(δ_b − δ_a)}) for the larger class b and 1 − p for the other.
// It does not allocate once out has the capacity.
func (m *Model) Probs(x, out *nets.Matrix) {
	m.check(x)
	out.Resize(x.Rows, m.classes)
	for i := range x.Rows {
		o := out.Row(i)
		clear(o)
		switch len(m.present) {
		case 1:
			o[m.present[0]] = 1
			continue
		case 2:
			m.decide(x.Row(i))
			p := expit(m.dec[1] - m.dec[0])
			o[m.present[1]] = p
			o[m.present[0]] = 1 - p
			continue
		}
		m.decide(x.Row(i))
		top := math.Inf(-1)
		for _, v := range m.dec {
			top = math.Max(top, v)
		}
		var s float64
		for k, v := range m.dec {
			m.dec[k] = fmath.Exp(v - top)
			s += m.dec[k]
		}
		for k, c := range m.present {
			o[c] = m.dec[k] / s
		}
	}
}

// expit is the logistic function 1/(1 + e^{−t}), evaluated without overflow.
func expit(t float64) float64 {
	if t >= 0 {
		return 1 / (1 + fmath.Exp(-t))
	}
	e := fmath.Exp(t)
	return e / (1 + e)
}

// Predict sets out[i] to the class of largest decision value of row i of x (the
// lowest such class on ties; for two classes, class 1 iff δ > 0, as scikit-learn).
func (m *Model) Predict(x *nets.Matrix, out []int) {
	m.check(x)
	if len(out) != x.Rows {
		panic(fmt.Sprintf("lda: %d predictions for %d rows", len(out), x.Rows))
	}
	for i := range x.Rows {
		if len(m.present) == 1 {
			out[i] = m.present[0]
			continue
		}
		m.decide(x.Row(i))
		if len(m.present) == 2 {
			out[i] = m.present[0]
			if m.dec[1]-m.dec[0] > 0 {
				out[i] = m.present[1]
			}
			continue
		}
		best := 0
		for k, v := range m.dec {
			if v > m.dec[best] {
				best = k
			}
		}
		out[i] = m.present[best]
	}
}
