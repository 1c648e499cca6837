package learners

import (
	"context"
	"math/rand/v2"

	"albench/learners/knn"
	"albench/nets"
)

// buildKNN is kind knn: scikit-learn's KNeighborsClassifier, brute force
// (package learners/knn).
func buildKNN(p map[string]any) Learner {
	kp := knn.Params{NNeighbors: p["n_neighbors"].(int), Weights: p["weights"].(string)}
	return &plain{kind: "knn", caps: Capabilities{Probs: true},
		fit: func(ctx context.Context, x *nets.Matrix, y []int, classes int, rng *rand.Rand) (Model, error) {
			// The model keeps the training rows; a session's gathered rows are
			// rewritten next round, so give it its own copy.
			own := &nets.Matrix{Rows: x.Rows, Cols: x.Cols, Data: append([]float64(nil), x.Data...)}
			return kp.Fit(ctx, own, append([]int(nil), y...), classes, rng)
		}}
}
