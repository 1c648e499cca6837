package learners

import (
	"context"
	"math/rand/v2"

	"albench/learners/gaussiannb"
	"albench/nets"
)

// buildGNB is kind gaussian_nb: scikit-learn's GaussianNB (package
// learners/gaussiannb).
func buildGNB(p map[string]any) Learner {
	gp := gaussiannb.Params{VarSmoothing: p["var_smoothing"].(float64)}
	if gp.VarSmoothing == 0 {
		gp.VarSmoothing = gaussiannb.NoSmoothing // the zero value would mean the default
	}
	return &plain{kind: "gaussian_nb", caps: Capabilities{Probs: true},
		fit: func(ctx context.Context, x *nets.Matrix, y []int, classes int, rng *rand.Rand) (Model, error) {
			return gp.Fit(ctx, x, y, classes, rng)
		}}
}
