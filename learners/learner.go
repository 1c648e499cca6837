// Package learners defines what a trained classifier offers the query strategies and
// the registry of model kinds a config can name (`model: {kind: svm, C: 1, ...}`).
//
// A Learner is a configured model kind. It trains a fresh model with Fit, or, for the
// task model of a trial, through a Session that sees the labeled set grow one batch at
// a time and may warm-start from the previous round (an SVM's α, L-BFGS's weights, a
// net's weights and optimizer state). A trained Model always knows its number of
// classes; everything else is a capability, an interface the model may implement:
// class probabilities (Prober), decision values (Decider), embeddings (Embedder),
// gradient embeddings (GradEmbedder), per-sample gradient norms (GradNormer) and
// MC-dropout passes (MCSampler). The registry derives a Learner's Capabilities from
// its settings, so a strategy that needs a missing one is refused when the config is
// validated, not in round 7.
package learners

import (
	"context"
	"math/rand/v2"

	"albench/nets"
)

// Model is a trained classifier with Classes outputs. Labels are 0..Classes-1.
type Model interface {
	Classes() int
}

// Prober gives class probabilities.
type Prober interface {
	// Probs sets out (resized to x.Rows × Classes) to p(y|x) of each row of x, in
	// evaluation mode (no dropout); rows sum to 1.
	Probs(x, out *nets.Matrix)
}

// Decider gives decision values, scikit-learn's decision_function.
type Decider interface {
	// Decision sets out to the decision values of each row of x: x.Rows × 1 for two
	// classes (positive means class 1), x.Rows × Classes one-vs-rest scores otherwise
	// (larger means more likely).
	Decision(x, out *nets.Matrix)
}

// Predictor gives the model's own class predictions, where they are not simply the
// most probable class (an SVM predicts by the sign or by one-vs-one votes even when
// it also offers Platt probabilities, as libsvm does).
type Predictor interface {
	// Predict sets out[i] (len(out) = x.Rows) to the predicted class of row i.
	Predict(x *nets.Matrix, out []int)
}

// Embedder exposes a representation of each point: the penultimate layer of a net.
type Embedder interface {
	EmbedDim() int
	// Embed sets out (resized to x.Rows × EmbedDim) to the embeddings of x.
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

// PoolProber is a model trained by a Session that answers for rows of the session's
// pool without the caller gathering them (an SVM keeps these values up to date
// incrementally). The values equal Probs on the gathered rows.
type PoolProber interface {
	// PoolProbs sets out (resized to len(rows) × Classes) to p(y|x) of the pool rows.
	PoolProbs(rows []int, out *nets.Matrix)
}

// PoolDecider is the decision-value counterpart of PoolProber.
type PoolDecider interface {
	// PoolDecision sets out (resized to len(rows) × the Decision width) to the
	// decision values of the pool rows.
	PoolDecision(rows []int, out *nets.Matrix)
}

// EvalScorer is a model trained by a Session that answers for the session's
// evaluation sets (the test set) without recomputation.
type EvalScorer interface {
	// EvalPredict sets out (len = rows of eval set k) to the predicted classes.
	EvalPredict(k int, out []int)
	// EvalProbs sets out to the probabilities on eval set k; ok is false when the
	// model has none.
	EvalProbs(k int, out *nets.Matrix) (ok bool)
}

// Capabilities says which capabilities the models of a Learner offer.
type Capabilities struct {
	Probs, Decision, Embed, GradEmbed, GradNorms, MCDropout bool
}

// Learner is a configured model kind.
type Learner interface {
	// Kind is the registered kind, such as "svm".
	Kind() string
	// Caps is what every model this learner trains offers.
	Caps() Capabilities
	// Fit trains a fresh model on the rows of x with labels y in [0, classes),
	// initialising and training from rng. Classes absent from y are never predicted.
	// ctx is checked inside long loops (every epoch, every few thousand solver
	// iterations).
	Fit(ctx context.Context, x *nets.Matrix, y []int, classes int, rng *rand.Rand) (Model, error)
	// NewSession returns the trainer of one trial: the pool is fixed, the labeled set
	// only grows, and evals are the matrices (the test set) the harness will score
	// every round. init seeds what does not change between rounds (a net's initial
	// weights).
	NewSession(pool *nets.Matrix, evals []*nets.Matrix, classes int, init *rand.Rand) (Session, error)
}

// Session trains a trial's model round after round.
type Session interface {
	// Fit trains on the pool rows labeled (labels[i] is the class of labeled[i]).
	// Every call's labeled list extends the previous call's, so a session may start
	// from the previous solution. The returned model is valid until the next Fit.
	Fit(ctx context.Context, labeled, labels []int, rng *rand.Rand) (Model, error)
}

// Releaser is a Session holding large buffers (an SVM's kernel caches, hundreds of
// megabytes on a pool of thousands) that later sessions can reuse. Release says
// the session and its models will not be used again; without it the buffers wait
// for the garbage collector, which lets a heap of finished trials' caches pile up
// to twice the live ones before it runs.
type Releaser interface {
	Release()
}

// Release releases s if it is a Releaser.
func Release(s Session) {
	if r, ok := s.(Releaser); ok {
		r.Release()
	}
}

// Forker is a Session that can be copied after a Fit: every strategy of a (dataset,
// seed) then continues from one shared round 0.
type Forker interface {
	// Fork returns an independent copy of the session and its last model.
	Fork() (Session, Model)
}

// Skyliner is a Learner whose skyline (the model trained on the whole pool) is
// trained differently from a round: a warm-started net gets the passes of every
// round at once.
type Skyliner interface {
	// ForSkyline returns the learner that trains the skyline of a trial of the
	// given number of rounds.
	ForSkyline(rounds int) Learner
}

// gatherSession is the Session of a learner without warm start: every round is a
// fresh Fit on the gathered labeled rows.
type gatherSession struct {
	l       Learner
	pool    *nets.Matrix
	classes int
	x       nets.Matrix
}

// ColdSession returns a Session that refits l from scratch every round.
func ColdSession(l Learner, pool *nets.Matrix, classes int) Session {
	return &gatherSession{l: l, pool: pool, classes: classes}
}

func (s *gatherSession) Fit(ctx context.Context, labeled, labels []int, rng *rand.Rand) (Model, error) {
	s.x.Gather(s.pool, labeled)
	return s.l.Fit(ctx, &s.x, labels, s.classes, rng)
}

// DecisionClass is the class a row of decision values predicts: class 1 for a
// positive two-class value, else the largest one-vs-rest value (the lowest class on
// ties).
func DecisionClass(f []float64) int {
	if len(f) == 1 {
		if f[0] > 0 {
			return 1
		}
		return 0
	}
	best := 0
	for i, v := range f {
		if v > f[best] {
			best = i
		}
	}
	return best
}
