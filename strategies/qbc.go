package strategies

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"albench/nets"
)

// Committee disagreement measures of qbc.
const (
	VoteEntropy = "vote_entropy"
	KL          = "kl"
)

// qbc is query by committee with bagging (Seung, Opper & Sompolinsky 1992; Abe &
// Mamitsuka 1998, "Query learning strategies using boosting and bagging"). It trains
// C fresh models with q.Fit, member c on a bootstrap resample of the labeled set, and
// ranks the unlabeled rows by the committee's disagreement. With V(y) the number of
// members whose most probable class is y, vote entropy (Dagan & Engelson 1995,
// "Committee-based sampling for training probabilistic classifiers") is
//
//	VE(x) = −Σ_y (V(y)/C) log(V(y)/C)
//
// and the mean Kullback–Leibler divergence from the consensus (McCallum & Nigam 1998,
// "Employing EM and pool-based active learning for text classification") is
//
//	KL(x) = (1/C) Σ_c KL(p_c ‖ p̄),   p̄ = (1/C) Σ_c p_c
//	      = H[p̄] − (1/C) Σ_c H[p_c]
//
// The second line, an identity, lets qbc accumulate one member at a time in O(pool ×
// classes) memory; rounding can make it a hair below zero, so it is clamped at 0.
//
// All randomness comes from q.Rand, drawn member by member in order: the member's
// bootstrap indices, then the two words seeding its initialisation stream. Members are
// trained one after another and dropped once they have voted; q.Fit must not keep the
// x and y it is given, whose storage the next member reuses.
type qbc struct {
	committee int
	measure   string

	probScratch
	xb     nets.Matrix // a member's bootstrap sample
	yb     []int
	rows   []int
	acc    []float64 // votes, or summed member probabilities, per row and class
	hsum   []float64 // summed member entropies per row (kl)
	scores []float64
	rank   ranker
}

func (*qbc) Name() string { return "qbc" }

func (s *qbc) Select(ctx context.Context, q Query) ([]int, error) {
	k := batchSize(q)
	if k == 0 {
		return []int{}, nil
	}
	if q.Fit == nil {
		return nil, errors.New("strategies: qbc: the query cannot train committee members (no Fit)")
	}
	n := len(q.Labeled)
	if n == 0 {
		return nil, errors.New("strategies: qbc: no labeled rows to resample for the committee")
	}
	if len(q.Labels) != n {
		panic(fmt.Sprintf("strategies: %d labels for %d labeled rows", len(q.Labels), n))
	}
	s.x.Gather(q.Pool, q.Unlabeled)
	u, c := len(q.Unlabeled), classes(q)
	s.acc = grow(s.acc, u*c)
	s.hsum = grow(s.hsum, u)
	clear(s.acc)
	clear(s.hsum)
	s.rows = grow(s.rows, n)
	s.yb = grow(s.yb, n)
	for range s.committee {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		for j := range n {
			b := q.Rand.IntN(n)
			s.rows[j], s.yb[j] = q.Labeled[b], q.Labels[b]
		}
		rng := rand.New(rand.NewPCG(q.Rand.Uint64(), q.Rand.Uint64()))
		s.xb.Gather(q.Pool, s.rows)
		m, err := q.Fit(ctx, &s.xb, s.yb, rng)
		if err != nil {
			return nil, fmt.Errorf("strategies: qbc: training a committee member: %w", err)
		}
		m.Probs(&s.x, &s.p)
		checkShape("member probabilities", &s.p, u, c)
		for i := range u {
			p, acc := s.p.Row(i), s.acc[i*c:(i+1)*c]
			if s.measure == VoteEntropy {
				acc[argmax(p)]++
				continue
			}
			for y, v := range p {
				acc[y] += v
			}
			s.hsum[i] += entropy(p)
		}
	}
	s.scores = grow(s.scores, u)
	inv := 1 / float64(s.committee)
	for i := range u {
		acc := s.acc[i*c : (i+1)*c]
		for y := range acc {
			acc[y] *= inv // vote shares, or the consensus p̄
		}
		if s.measure == VoteEntropy {
			s.scores[i] = entropy(acc)
		} else {
			s.scores[i] = math.Max(0, entropy(acc)-s.hsum[i]*inv)
		}
	}
	return s.rank.topK(q.Unlabeled, s.scores, k), nil
}
