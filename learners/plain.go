package learners

import (
	"context"
	"math/rand/v2"

	"albench/nets"
)

// plain is a Learner without warm start: each round refits from scratch on the
// gathered labeled rows (trees, neighbours, naive Bayes and LDA are cheap to refit
// and have no iterate to start from).
type plain struct {
	kind string
	caps Capabilities
	fit  func(ctx context.Context, x *nets.Matrix, y []int, classes int, rng *rand.Rand) (Model, error)
}

func (l *plain) Kind() string       { return l.kind }
func (l *plain) Caps() Capabilities { return l.caps }

func (l *plain) Fit(ctx context.Context, x *nets.Matrix, y []int, classes int, rng *rand.Rand) (Model, error) {
	return l.fit(ctx, x, y, classes, rng)
}

func (l *plain) NewSession(pool *nets.Matrix, _ []*nets.Matrix, classes int, _ *rand.Rand) (Session, error) {
	return ColdSession(l, pool, classes), nil
}
