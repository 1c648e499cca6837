// Package strategies holds the active-learning query strategies behind one interface.
//
// A strategy sees a Query — the pool, what is labeled so far, the trained model and
// its own random stream — and returns the pool rows to label next. Strategies ask the
// model for capabilities (probabilities, embeddings, gradient embeddings, MC-dropout
// samples) through small interfaces; a strategy whose capability the configured model
// lacks is rejected when the config is validated.
package strategies

import (
	"context"
	"math/rand/v2"

	"albench/nets"
)

// Strategy picks the next points to label.
type Strategy interface {
	// Name is the strategy's registered name, such as "margin".
	Name() string
	// Select returns min(q.Batch, len(q.Unlabeled)) distinct rows of q.Pool, all from
	// q.Unlabeled. Ties break by the lowest row.
	Select(ctx context.Context, q Query) ([]int, error)
}

// Query is what a strategy sees in one round.
type Query struct {
	// Pool holds every pool point of the trial, labeled or not; it does not change
	// during a trial, so a strategy may cache per-row quantities keyed on it.
	Pool *nets.Matrix
	// Unlabeled lists the candidate rows of Pool in ascending order.
	Unlabeled []int
	// Labeled lists the labeled rows of Pool in the order they were labeled;
	// Labels[i] is the class of row Labeled[i].
	Labeled []int
	Labels  []int
	// Classes is the number of classes of the dataset (the model's outputs).
	Classes int
	// Model is the model trained on the labeled set this round.
	Model Model
	// Fit trains a fresh model of the configured kind on (x, y), initialised from
	// rng, with the trial's training settings. Committees use it.
	Fit func(ctx context.Context, x *nets.Matrix, y []int, rng *rand.Rand) (Model, error)
	// Batch is the number of rows to return.
	Batch int
	// Rand is the strategy's own stream, keyed by (dataset, seed, strategy).
	Rand *rand.Rand
}

// Model is what every strategy may rely on: class probabilities.
type Model interface {
	// Classes is the number of outputs.
	Classes() int
	// Probs sets out (resized to x.Rows × Classes) to the softmax probabilities of
	// each row of x, in evaluation mode (no dropout).
	Probs(x, out *nets.Matrix)
}

// Embedder exposes the penultimate-layer representation (coreset).
type Embedder interface {
	EmbedDim() int
	// Embed sets out (resized to x.Rows × EmbedDim) to the penultimate activations.
	Embed(x, out *nets.Matrix)
}

// GradEmbedder exposes last-layer gradient embeddings at the predicted label (badge).
type GradEmbedder interface {
	GradEmbedDim() int
	// GradEmbed sets out (resized to x.Rows × GradEmbedDim) to the gradient of the
	// cross-entropy loss at the predicted label with respect to the last layer's
	// weights (Ash et al. 2020): (p − e_ŷ) ⊗ h, h the penultimate embedding.
	GradEmbed(x, out *nets.Matrix)
}

// GradNormer exposes per-sample gradient norms over all parameters (egl).
type GradNormer interface {
	// GradNorms sets out (resized to x.Rows × Classes) so that out(i, y) is
	// ‖∇θ ℓ(x_i, y)‖₂ over every parameter, with ℓ the cross-entropy loss.
	GradNorms(x, out *nets.Matrix)
}

// MCSampler exposes stochastic forward passes with dropout active (bald).
type MCSampler interface {
	// HasDropout reports whether the model has a dropout rate above zero.
	HasDropout() bool
	// MCProbs sets out (resized to x.Rows × Classes) to the softmax probabilities of
	// one forward pass with fresh dropout masks drawn from rng.
	MCProbs(x, out *nets.Matrix, rng *rand.Rand)
}
