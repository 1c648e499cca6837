package harness

import (
	"context"
	"fmt"
	"math/rand/v2"

	"albench/experiments"
	"albench/learners"
	"albench/plugin"
	"albench/streams"
)

// modelSpec is the learners registry's spec of a configured model.
func modelSpec(m experiments.ModelSpec) map[string]any { return m.Params }

// queryModelOf is the query model of a strategy entry, nil when it has none.
func queryModelOf(s experiments.StrategySpec) *experiments.ModelSpec { return s.QueryModel }

// rounds is the number of query rounds of a trial: ⌈budget / batch⌉, the budget
// resolved for the dataset and seed (budget: all is the pool after the initial set).
func rounds(p experiments.Protocol, s *experiments.Setup) int {
	b := p.Budget
	if p.BudgetAll {
		b = s.Budget
	}
	return (b + p.Batch - 1) / p.Batch
}

// queryModel is a strategy's own model, trained on the trial's labeled set every
// round in a session of its own, from streams keyed by the strategy's label.
type queryModel struct {
	learner learners.Learner
	sess    learners.Session
	dataset string
	seed    int
	label   string
}

func newQueryModel(m experiments.ModelSpec, td *trialData, key TrialKey) (*queryModel, error) {
	l, err := learners.New(modelSpec(m))
	if err != nil {
		return nil, err
	}
	sess, err := l.NewSession(&td.pool, nil, td.setup.Classes, initStream(key.Dataset, key.Seed, key.Strategy))
	if err != nil {
		return nil, err
	}
	return &queryModel{learner: l, sess: sess, dataset: key.Dataset, seed: key.Seed, label: key.Strategy}, nil
}

// fit trains the query model of round r on the labeled set. A plugin's log
// names it query_model.
func (q *queryModel) fit(ctx context.Context, labeled, labels []int, r int) (learners.Model, error) {
	return q.sess.Fit(plugin.WithLogRole(ctx, "query_model"), labeled, labels, queryStream(q.dataset, q.seed, q.label, r))
}

// queryStream is the training stream of a query model's round r.
func queryStream(dataset string, seed int, label string, r int) *rand.Rand {
	return streams.New("train", dataset, streams.Seed(seed), label, "query", fmt.Sprint(r))
}
