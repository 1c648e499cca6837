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

// NewSession warm-starts L-BFGS from the previous round's weights (one point more
// moves the optimum little, so few iterations remain) and copies and checks only
// the rows new since the previous round (logreg.Session).
func (l *lbfgsLearner) NewSession(pool *nets.Matrix, _ []*nets.Matrix, classes int, _ *rand.Rand) (Session, error) {
	return lbfgsSession{l.p.NewSession(pool, classes)}, nil
}

type lbfgsSession struct{ s *logreg.Session }

func (s lbfgsSession) Fit(ctx context.Context, labeled, labels []int, _ *rand.Rand) (Model, error) {
	m, err := s.s.Fit(ctx, labeled, labels)
	if err != nil {
		return nil, err
	}
	return m, nil
}
