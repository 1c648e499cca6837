// Package gaussiannb is Gaussian naive Bayes as scikit-learn's
// GaussianNB(var_smoothing=1e-9) fits it: one independent normal per class and
// feature, class priors equal to the class frequencies.
//
// Training estimates, for each class c present in y with n_c rows,
//
//	π_c      = n_c / n
//	θ_cj     = (1/n_c) Σ_{i: y_i=c} x_ij
//	σ²_cj    = (1/n_c) Σ_{i: y_i=c} (x_ij − θ_cj)² + ε
//	ε        = var_smoothing · max_j Var(x_·j)
//
// where Var(x_·j) is the population variance of feature j over the whole training
// set (scikit-learn's epsilon_). Prediction uses the joint log-likelihood
//
//	jll_c(x) = log π_c − ½ Σ_j log(2π σ²_cj) − ½ Σ_j (x_j − θ_cj)² / σ²_cj
//
// and p(c|x) = exp(jll_c − log Σ_k exp jll_k), the log-sum-exp taken about the
// largest term. Classes absent from y have jll = −∞ and so probability 0.
//
// Reference: scikit-learn, sklearn/naive_bayes.py (GaussianNB); Chan, Golub and
// LeVeque, "Updating formulae and a pairwise algorithm for computing sample
// variances" (1979), for the two-pass variance used here.
package gaussiannb

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"albench/internal/fmath"
	"albench/learners/internal/check"
	"albench/nets"
)

// Params are GaussianNB's hyperparameters, named as in scikit-learn.
type Params struct {
	// VarSmoothing is var_smoothing: the fraction of the largest feature variance
	// added to every class variance for stability. Zero means scikit-learn's
	// default 1e-9; use NoSmoothing for none.
	VarSmoothing float64
}

// NoSmoothing as Params.VarSmoothing asks for var_smoothing = 0 (no smoothing);
// a zero-variance feature then gives infinite or NaN log-likelihoods, as in
// scikit-learn.
const NoSmoothing = -1

// DefaultVarSmoothing is scikit-learn's default var_smoothing.
const DefaultVarSmoothing = 1e-9

func (p Params) varSmoothing() float64 {
	switch p.VarSmoothing {
	case 0:
		return DefaultVarSmoothing
	case NoSmoothing:
		return 0
	}
	return p.VarSmoothing
}

// Validate reports whether p is usable: VarSmoothing is 0, NoSmoothing or a
// positive finite number.
func (p Params) Validate() error {
	v := p.VarSmoothing
	if v == NoSmoothing || v == 0 {
		return nil
	}
	if !(v > 0) || math.IsInf(v, 1) {
		return fmt.Errorf("gaussiannb: var_smoothing %v must be a finite number ≥ 0", v)
	}
	return nil
}

// Model is a fitted Gaussian naive Bayes classifier. Its methods reuse buffers it
// owns, so a Model must not be used from several goroutines at once.
type Model struct {
	classes  int
	features int
	logPrior []float64 // log π_c, −Inf for absent classes
	theta    []float64 // classes × features means θ_cj
	sigma2   []float64 // classes × features variances σ²_cj (ε included)
	logNorm  []float64 // −½ Σ_j log(2π σ²_cj) per class
	inv      []float64 // classes × features 1/σ²_cj
	epsilon  float64
	jll      nets.Matrix // Predict's scratch
}

// Fit estimates the model from the rows of x with labels y in [0, classes). rng is
// unused (GaussianNB is deterministic); it is accepted so that every learner has
// the same Fit signature.
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
	m := &Model{
		classes:  classes,
		features: d,
		logPrior: make([]float64, classes),
		theta:    make([]float64, classes*d),
		sigma2:   make([]float64, classes*d),
		logNorm:  make([]float64, classes),
		inv:      make([]float64, classes*d),
	}
	count := make([]int, classes)
	for i := range n {
		c := y[i]
		count[c]++
		mu := m.theta[c*d : (c+1)*d]
		for j, v := range x.Row(i) {
			mu[j] += v
		}
	}
	for c := range classes {
		if count[c] == 0 {
			continue
		}
		mu := m.theta[c*d : (c+1)*d]
		for j := range mu {
			mu[j] /= float64(count[c])
		}
	}
	for i := range n {
		c := y[i]
		mu, s2 := m.theta[c*d:(c+1)*d], m.sigma2[c*d:(c+1)*d]
		for j, v := range x.Row(i) {
			r := v - mu[j]
			s2[j] += float64(r * r)
		}
	}
	m.epsilon = p.varSmoothing() * maxVariance(x)
	for c := range classes {
		if count[c] == 0 {
			m.logPrior[c] = math.Inf(-1)
			m.logNorm[c] = math.Inf(-1)
			continue
		}
		m.logPrior[c] = fmath.Log(float64(count[c]) / float64(n))
		s2, inv := m.sigma2[c*d:(c+1)*d], m.inv[c*d:(c+1)*d]
		var logDet float64
		for j := range s2 {
			s2[j] = s2[j]/float64(count[c]) + m.epsilon
			inv[j] = 1 / s2[j]
			logDet += fmath.Log(float64(2*math.Pi) * s2[j])
		}
		m.logNorm[c] = -0.5 * logDet
	}
	return m, nil
}

// maxVariance returns max_j of the population variance of column j of x.
func maxVariance(x *nets.Matrix) float64 {
	n, d := x.Rows, x.Cols
	best := 0.0
	for j := range d {
		var s float64
		for i := range n {
			s += x.Data[i*d+j]
		}
		mean := s / float64(n)
		var ss float64
		for i := range n {
			r := x.Data[i*d+j] - mean
			ss += float64(r * r)
		}
		if v := ss / float64(n); v > best {
			best = v
		}
	}
	return best
}

func checkData(x *nets.Matrix, y []int, classes int) error {
	return check.Data("gaussiannb", x, y, classes)
}

// Classes returns the number of classes the model was fitted with.
func (m *Model) Classes() int { return m.classes }

// Epsilon returns ε = var_smoothing · max_j Var(x_·j), scikit-learn's epsilon_.
func (m *Model) Epsilon() float64 { return m.epsilon }

// Theta returns the class means θ as a classes × features matrix (scikit-learn's
// theta_, with zero rows for absent classes). The slice is the model's own.
func (m *Model) Theta() *nets.Matrix {
	return &nets.Matrix{Rows: m.classes, Cols: m.features, Data: m.theta}
}

// Var returns the smoothed class variances σ² as a classes × features matrix
// (scikit-learn's var_; absent classes have ε). The slice is the model's own.
func (m *Model) Var() *nets.Matrix {
	return &nets.Matrix{Rows: m.classes, Cols: m.features, Data: m.sigma2}
}

func (m *Model) check(x *nets.Matrix) {
	if x.Cols != m.features || len(x.Data) != x.Rows*x.Cols {
		panic(fmt.Sprintf("gaussiannb: input %d×%d (%d elements), model has %d features",
			x.Rows, x.Cols, len(x.Data), m.features))
	}
}

// JointLogLikelihood sets out (resized to x.Rows × Classes) to jll_c(x) of each
// row, scikit-learn's predict_joint_log_proba; absent classes get −∞.
func (m *Model) JointLogLikelihood(x, out *nets.Matrix) {
	m.check(x)
	k, d := m.classes, m.features
	out.Resize(x.Rows, k)
	for i := range x.Rows {
		xi, o := x.Row(i), out.Row(i)
		for c := range k {
			if math.IsInf(m.logPrior[c], -1) {
				o[c] = math.Inf(-1)
				continue
			}
			mu, inv := m.theta[c*d:(c+1)*d], m.inv[c*d:(c+1)*d]
			var q float64
			for j, v := range xi {
				r := v - mu[j]
				q += float64(float64(r*r) * inv[j])
			}
			o[c] = m.logPrior[c] + m.logNorm[c] - float64(0.5*q)
		}
	}
}

// Probs sets out (resized to x.Rows × Classes) to p(c|x), each row normalised by
// log-sum-exp about its largest joint log-likelihood. It does not allocate once out
// has the capacity.
func (m *Model) Probs(x, out *nets.Matrix) {
	m.JointLogLikelihood(x, out)
	for i := range out.Rows {
		o := out.Row(i)
		top := math.Inf(-1)
		for _, v := range o {
			if v > top {
				top = v
			}
		}
		var s float64
		for c, v := range o {
			o[c] = fmath.Exp(v - top)
			s += o[c]
		}
		for c := range o {
			o[c] /= s
		}
	}
}

// Predict sets out[i] to the class of largest joint log-likelihood of row i of x,
// the lowest such class on ties (numpy's argmax).
func (m *Model) Predict(x *nets.Matrix, out []int) {
	if len(out) != x.Rows {
		panic(fmt.Sprintf("gaussiannb: %d predictions for %d rows", len(out), x.Rows))
	}
	m.JointLogLikelihood(x, &m.jll)
	for i := range x.Rows {
		out[i] = argmax(m.jll.Row(i))
	}
}

func argmax(v []float64) int {
	best := 0
	for c, s := range v {
		if s > v[best] {
			best = c
		}
	}
	return best
}
