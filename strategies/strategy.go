// Package strategies holds the active-learning query strategies behind one interface.
//
// A strategy sees a Query — the pool, what is labeled so far, the trained model and
// its own random stream — and returns the pool rows to label next. Strategies ask the
// model for capabilities (probabilities, embeddings, gradient embeddings, MC-dropout
// samples, decision values) through the small interfaces of package learners; a
// strategy whose capability the configured model lacks is rejected when the config is
// validated.
package strategies

import (
	"context"
	"math/rand/v2"

	"albench/learners"
	"albench/nets"
)

// Strategy picks the next points to label.
type Strategy interface {
	// Name is the strategy's registered name, such as "margin".
	Name() string
	// Select returns min(q.Batch, len(q.Unlabeled)) distinct rows of q.Pool, all from
	// q.Unlabeled. Ties break by q.TieRank (see Query).
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
	// Model is the model trained on the labeled set this round: the strategy's
	// query model when its config entry has one, else the task model.
	Model Model
	// Fit trains a fresh model of the kind of Model on (x, y), initialised from
	// rng, with the trial's training settings. Committees use it.
	Fit func(ctx context.Context, x *nets.Matrix, y []int, rng *rand.Rand) (Model, error)
	// Batch is the number of rows to return.
	Batch int
	// Rand is the strategy's own stream, keyed by (dataset, seed, strategy).
	Rand *rand.Rand
	// TieRank breaks ties between equally scored rows: the row of lower
	// TieRank[row] ranks first. It is a random permutation of the pool rows drawn
	// once per (dataset, seed), the same for every strategy of the seed, so tied
	// picks do not follow the data file's row order (iris and wine are sorted by
	// class) while comparisons between strategies stay paired. nil breaks ties by
	// the lowest row.
	TieRank []int32
	// ModelKind is the registered kind of Model ("svm", "logreg", "mlp", ...: the
	// query model's when the entry has one), for strategies whose defaults depend
	// on it (albl adds hintsvm under an SVM); "" when unknown.
	ModelKind string
	// Oracle is the test set, given only to strategies registered as oracles
	// (Info.Oracle): upper bounds that peek at the labels they are scored on.
	Oracle *Oracle
}

// Oracle is what an oracle strategy may read besides the pool: the test set the
// trial is scored on, and the true labels of the pool.
type Oracle struct {
	Test  *nets.Matrix
	TestY []int
	// PoolY[row] is the true class of pool row row, labeled or not: a look-ahead
	// oracle retrains on a candidate with the label the annotator would give it.
	PoolY []int
}

// tieLess reports whether row a ranks before row b among equal scores.
func tieLess(tie []int32, a, b int) bool {
	if tie == nil {
		return a < b
	}
	return tie[a] < tie[b]
}

// Model is the trained model a strategy queries; its capabilities are the interfaces
// of package learners that it implements (learners.Prober, learners.Decider,
// learners.Embedder, ...). Registry entries declare which they need, so a strategy
// only meets a model that has them.
type Model = learners.Model
