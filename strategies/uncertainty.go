package strategies

import (
	"context"
	"math"

	"albench/learners"
)

// random picks q.Batch rows uniformly without replacement from q.Rand: the baseline
// every experiment compares against.
//
// A partial Fisher–Yates shuffle of the unlabeled rows draws exactly one number per
// pick, so the choice depends only on the stream and the unlabeled set.
type random struct {
	perm []int
}

func (*random) Name() string { return "random" }

func (s *random) Select(ctx context.Context, q Query) ([]int, error) {
	k := batchSize(q)
	s.perm = grow(s.perm, len(q.Unlabeled))
	copy(s.perm, q.Unlabeled)
	for i := range k {
		j := i + q.Rand.IntN(len(s.perm)-i)
		s.perm[i], s.perm[j] = s.perm[j], s.perm[i]
	}
	out := make([]int, k)
	copy(out, s.perm)
	return out, nil
}

// uncertainty ranks rows by a score of the model's class probabilities and takes the
// top q.Batch (Lewis & Gale 1994, "A sequential algorithm for training text
// classifiers"; Settles 2009, "Active Learning Literature Survey", §3.1). The three
// registered measures are
//
//	least_confidence:  1 − max_y p(y|x)
//	margin:            1 − (p(ŷ1|x) − p(ŷ2|x))   ŷ1, ŷ2 the two most probable classes
//	entropy:           −Σ_y p(y|x) log p(y|x)
//
// each larger for a more uncertain point. They agree on two classes and can all
// disagree on three: least confidence looks only at the winner, margin at the top two,
// entropy at the whole distribution.
type uncertainty struct {
	name    string
	measure func(p []float64) float64
	// decision lets the strategy rank by decision values when the model has no
	// probabilities (margin): the smallest |f(x)| for two classes, the smallest gap
	// between the two largest one-vs-rest values otherwise, as google/active-
	// learning's margin sampler does for an SVM.
	decision bool
	probScratch
	scores []float64
	rank   ranker
}

func (s *uncertainty) Name() string { return s.name }

func (s *uncertainty) Select(ctx context.Context, q Query) ([]int, error) {
	k := batchSize(q)
	if k == 0 {
		return []int{}, nil
	}
	if _, probs := q.Model.(learners.Prober); !probs && s.decision {
		f := s.decisions(q)
		s.scores = grow(s.scores, f.Rows)
		for i := range s.scores {
			s.scores[i] = decisionMargin(f.Row(i))
		}
		return s.rank.topK(q.TieRank, q.Unlabeled, s.scores, k), nil
	}
	p := s.probs(q)
	s.scores = grow(s.scores, p.Rows)
	for i := range s.scores {
		s.scores[i] = s.measure(p.Row(i))
	}
	return s.rank.topK(q.TieRank, q.Unlabeled, s.scores, k), nil
}

// decisionMargin scores a row of decision values for margin sampling, larger
// meaning closer to the boundary:
//
//	two classes:  −|f(x)|
//	k classes:    −(f_(1)(x) − f_(2)(x))   the two largest one-vs-rest values
func decisionMargin(f []float64) float64 {
	if len(f) == 1 {
		return -math.Abs(f[0])
	}
	first, second := math.Inf(-1), math.Inf(-1)
	for _, v := range f {
		switch {
		case v > first:
			first, second = v, first
		case v > second:
			second = v
		}
	}
	return -(first - second)
}
