package learners

import (
	"context"
	"errors"
	"math/rand/v2"

	"albench/learners/svm"
	"albench/nets"
)

// buildSVM is kind svm: scikit-learn's SVC as libsvm solves it (package
// learners/svm), warm-started between the rounds of a trial.
func buildSVM(p map[string]any) Learner {
	sp := svm.Params{
		Kernel:      p["kernel"].(string),
		C:           p["C"].(float64),
		Degree:      p["degree"].(int),
		Coef0:       p["coef0"].(float64),
		Tol:         p["tol"].(float64),
		NoShrinking: !p["shrinking"].(bool),
		Probability: p["probability"].(bool),
	}
	switch g := p["gamma"].(type) {
	case string:
		sp.GammaMode = g
	case float64:
		sp.Gamma = g
	}
	return &svmLearner{p: sp}
}

type svmLearner struct{ p svm.Params }

func (l *svmLearner) Kind() string { return "svm" }
func (l *svmLearner) Caps() Capabilities {
	return Capabilities{Decision: true, Probs: l.p.Probability}
}

// Fit trains a fresh SVC. Reaching libsvm's iteration cap is not an error, as in
// libsvm, which warns and keeps the model.
func (l *svmLearner) Fit(ctx context.Context, x *nets.Matrix, y []int, classes int, rng *rand.Rand) (Model, error) {
	m, err := l.p.Fit(ctx, x, y, classes, rng)
	if err != nil && !errors.Is(err, svm.ErrIterationCap) {
		return nil, err
	}
	if m.HasProbs() {
		return &svmProbs{svmModel{m}}, nil
	}
	return &svmModel{m}, nil
}

// NewSession warm-starts SMO from the previous round's α and, for two classes,
// keeps the decision values of the pool and the evaluation sets up to date
// incrementally, so strategies and the test score read them without recomputing.
func (l *svmLearner) NewSession(pool *nets.Matrix, evals []*nets.Matrix, classes int, _ *rand.Rand) (Session, error) {
	return &svmSession{s: l.p.NewSession(pool, evals, classes), binary: classes == 2}, nil
}

type svmSession struct {
	s      *svm.Session
	binary bool
	// the wrappers handed out, one per session so that a round allocates nothing
	dec  svmKept
	prob svmKeptProbs
}

// Release hands the session's kernel caches to later sessions.
func (s *svmSession) Release() { s.s.Release() }

func (s *svmSession) Fit(ctx context.Context, labeled, labels []int, rng *rand.Rand) (Model, error) {
	m, err := s.s.Fit(ctx, labeled, labels, rng)
	if err != nil && !errors.Is(err, svm.ErrIterationCap) {
		return nil, err
	}
	switch {
	case !s.binary && m.HasProbs():
		return &svmProbs{svmModel{m}}, nil // multi-class rounds are cold fits
	case !s.binary:
		return &svmModel{m}, nil
	case m.HasProbs():
		s.prob.m = m
		return &s.prob, nil
	}
	s.dec.m = m
	return &s.dec, nil
}

// svmModel is an SVC without probabilities.
type svmModel struct{ m *svm.Model }

func (d *svmModel) Classes() int                      { return d.m.Classes() }
func (d *svmModel) Decision(x, out *nets.Matrix)      { d.m.Decision(x, out) }
func (d *svmModel) Predict(x *nets.Matrix, out []int) { d.m.Predict(x, out) }

// svmProbs is an SVC with Platt probabilities.
type svmProbs struct{ svmModel }

func (p *svmProbs) Probs(x, out *nets.Matrix) { p.m.Probs(x, out) }

// svmKept is a two-class session's SVC: it also answers for pool rows and the
// evaluation sets from the session's maintained decision values.
type svmKept struct {
	svmModel
	buf []float64
}

func (d *svmKept) PoolDecision(rows []int, out *nets.Matrix) {
	out.Resize(len(rows), 1)
	d.m.PoolDecision(rows, out.Data)
}

// EvalPredict predicts eval set k as libsvm does for two classes (binaryClass).
func (d *svmKept) EvalPredict(k int, out []int) {
	d.buf = grow(d.buf, len(out))
	d.m.EvalDecision(k, d.buf)
	for i, v := range d.buf {
		out[i] = binaryClass(v)
	}
}

func (d *svmKept) EvalProbs(int, *nets.Matrix) bool { return false }

// binaryClass is libsvm's two-class prediction from scikit-learn's decision value
// f, which is the negative of libsvm's own: libsvm predicts its first label
// (class 0) when its value is positive, else class 1, so class 1 when f ≥ 0.
func binaryClass(f float64) int {
	if -f > 0 {
		return 0
	}
	return 1
}

// svmKeptProbs is svmKept with Platt probabilities.
type svmKeptProbs struct{ svmKept }

func (p *svmKeptProbs) Probs(x, out *nets.Matrix) { p.m.Probs(x, out) }
func (p *svmKeptProbs) PoolProbs(rows []int, out *nets.Matrix) {
	p.m.PoolProbs(rows, out)
}
func (p *svmKeptProbs) EvalProbs(k int, out *nets.Matrix) bool {
	p.m.EvalProbs(k, out)
	return true
}

func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}
