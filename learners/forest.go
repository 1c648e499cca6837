package learners

import (
	"context"
	"math/rand/v2"

	"albench/learners/forest"
	"albench/nets"
)

// buildForest is kind random_forest: scikit-learn's RandomForestClassifier
// (package learners/forest), every tree's randomness from the round's stream.
func buildForest(p map[string]any) Learner {
	fp := forest.Params{
		NEstimators:     p["n_estimators"].(int),
		Criterion:       p["criterion"].(string),
		MaxDepth:        p["max_depth"].(int),
		MinSamplesSplit: p["min_samples_split"].(int),
		MinSamplesLeaf:  p["min_samples_leaf"].(int),
		NoBootstrap:     !p["bootstrap"].(bool),
	}
	switch mf := p["max_features"].(type) {
	case string:
		fp.MaxFeatures = mf
	case int:
		fp.MaxFeaturesN = mf
	case float64:
		fp.MaxFeaturesFrac = mf
	}
	return &plain{kind: "random_forest", caps: Capabilities{Probs: true},
		fit: func(ctx context.Context, x *nets.Matrix, y []int, classes int, rng *rand.Rand) (Model, error) {
			return fp.Fit(ctx, x, y, classes, rng)
		}}
}
