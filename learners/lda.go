package learners

import (
	"context"
	"math/rand/v2"

	"albench/learners/lda"
	"albench/nets"
)

// buildLDA is kind lda: scikit-learn's LinearDiscriminantAnalysis with the svd
// solver (package learners/lda).
func buildLDA(p map[string]any) Learner {
	lp := lda.Params{Tol: p["tol"].(float64)}
	return &plain{kind: "lda", caps: Capabilities{Probs: true, Decision: true},
		fit: func(ctx context.Context, x *nets.Matrix, y []int, classes int, rng *rand.Rand) (Model, error) {
			return lp.Fit(ctx, x, y, classes, rng)
		}}
}
