package learners

import (
	"context"
	"math/rand/v2"

	"albench/learners/logreg"
	"albench/nets"
)

// buildLogreg is kind logreg: scikit-learn's LogisticRegression minimised by
// L-BFGS (package learners/logreg) with solver lbfgs, else softmax regression
// trained by the nets optimizers.
func buildLogreg(p map[string]any) Learner {
	if _, lbfgs := p["solver"]; !lbfgs {
		return newNetLearner("logreg", p)
	}
	return &lbfgsLearner{p: logreg.Params{C: p["C"].(float64), Tol: p["tol"].(float64), MaxIter: p["max_iter"].(int)}}
}

type lbfgsLearner struct{ p logreg.Params }

func (l *lbfgsLearner) Kind() string       { return "logreg" }
func (l *lbfgsLearner) Caps() Capabilities { return Capabilities{Probs: true, Decision: true} }

func (l *lbfgsLearner) Fit(ctx context.Context, x *nets.Matrix, y []int, classes int, rng *rand.Rand) (Model, error) {
	return l.p.Fit(ctx, x, y, classes, rng)
}

// NewSession warm-starts L-BFGS from the previous round's weights: one point more
// moves the optimum little, so few iterations remain.
func (l *lbfgsLearner) NewSession(pool *nets.Matrix, _ []*nets.Matrix, classes int, _ *rand.Rand) (Session, error) {
	return &lbfgsSession{l: l, pool: pool, classes: classes}, nil
}

type lbfgsSession struct {
	l       *lbfgsLearner
	pool    *nets.Matrix
	classes int
	prev    *logreg.Model
	x       nets.Matrix
}

func (s *lbfgsSession) Fit(ctx context.Context, labeled, labels []int, rng *rand.Rand) (Model, error) {
	s.x.Gather(s.pool, labeled)
	var m *logreg.Model
	var err error
	if s.prev == nil {
		m, err = s.l.p.Fit(ctx, &s.x, labels, s.classes, rng)
	} else {
		m, err = s.l.p.FitFrom(ctx, s.prev, &s.x, labels, s.classes, rng)
	}
	if err != nil {
		return nil, err
	}
	s.prev = m
	return m, nil
}
