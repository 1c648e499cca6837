package strategies

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"albench/learners"
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
	members   []learners.Learner // nil: committee copies of the query model, via q.Fit
	bootstrap bool

	probScratch
	pred   []int       // a member's votes on the unlabeled rows
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
	if q.Fit == nil && s.members == nil {
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
	size := s.committee
	if s.members != nil {
		size = len(s.members)
	}
	s.pred = grow(s.pred, u)
	for member := range size {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		for j := range n {
			b := j
			if s.bootstrap {
				b = q.Rand.IntN(n)
			}
			s.rows[j], s.yb[j] = q.Labeled[b], q.Labels[b]
		}
		rng := rand.New(rand.NewPCG(q.Rand.Uint64(), q.Rand.Uint64()))
		s.xb.Gather(q.Pool, s.rows)
		var m Model
		var err error
		if s.members != nil {
			m, err = s.members[member].Fit(ctx, &s.xb, s.yb, c, rng)
		} else {
			m, err = q.Fit(ctx, &s.xb, s.yb, rng)
		}
		if err != nil {
			return nil, fmt.Errorf("strategies: qbc: training committee member %d: %w", member+1, err)
		}
		if s.measure == VoteEntropy {
			s.vote(m, u, c)
			for i, y := range s.pred {
				s.acc[i*c+y]++
			}
			continue
		}
		m.(learners.Prober).Probs(&s.x, &s.p)
		checkShape("member probabilities", &s.p, u, c)
		for i := range u {
			p, acc := s.p.Row(i), s.acc[i*c:(i+1)*c]
			for y, v := range p {
				acc[y] += v
			}
			s.hsum[i] += entropy(p)
		}
	}
	s.scores = grow(s.scores, u)
	inv := 1 / float64(size)
	for i := range u {
		acc := s.acc[i*c : (i+1)*c]
		for y := range acc {
			acc[y] *= inv // vote shares, or the consensus p̄
		}
		if s.measure == VoteEntropy {
			s.scores[i] = entropy(acc)
		} else {
			s.scores[i] = math.Max(0, entropy(acc)-float64(s.hsum[i]*inv))
		}
	}
	return s.rank.topK(q.TieRank, q.Unlabeled, s.scores, k), nil
}

// vote sets s.pred to member m's predicted class of each unlabeled row (gathered in
// s.x): its own prediction where it has one (an SVM's sign or one-vs-one vote), else
// the most probable class, else the largest decision value.
func (s *qbc) vote(m Model, u, c int) {
	switch m := m.(type) {
	case learners.Predictor:
		m.Predict(&s.x, s.pred)
	case learners.Prober:
		m.Probs(&s.x, &s.p)
		checkShape("member probabilities", &s.p, u, c)
		for i := range u {
			s.pred[i] = argmax(s.p.Row(i))
		}
	case learners.Decider:
		m.Decision(&s.x, &s.p)
		for i := range u {
			s.pred[i] = learners.DecisionClass(s.p.Row(i))
		}
	default:
		panic("strategies: qbc: a member has neither predictions, probabilities nor decision values")
	}
}

// decodeMembers checks qbc's members: a list of model specs, each resolved by the
// learners registry, with problem keys such as "[1].C".
func decodeMembers(v any) (any, []Problem) {
	list, ok := v.([]any)
	if !ok || len(list) < 2 {
		return nil, []Problem{{Msg: "must be a list of at least 2 model specs ({kind: ..., ...})", Got: show(v)}}
	}
	out := make([]map[string]any, len(list))
	var probs []Problem
	for i, e := range list {
		m, ok := e.(map[string]any)
		if !ok {
			probs = append(probs, Problem{Key: fmt.Sprintf("[%d]", i), Msg: "must be a model spec ({kind: ..., ...})", Got: show(e)})
			continue
		}
		r, sub := learners.Resolve(m)
		for _, p := range sub {
			probs = append(probs, Problem{Key: fmt.Sprintf("[%d].%s", i, p.Key), Msg: p.Msg, Got: p.Got})
		}
		out[i] = r
	}
	if len(probs) > 0 {
		return nil, probs
	}
	return out, nil
}

// decodeBool decodes true or false.
func decodeBool(v any) (any, []Problem) {
	b, ok := v.(bool)
	if !ok {
		return nil, []Problem{{Msg: "must be true or false", Got: show(v)}}
	}
	return b, nil
}

// checkMembers refuses a kl committee with a member that has no probabilities.
func checkMembers(p map[string]any) []Problem {
	members, _ := p["members"].([]map[string]any)
	if p["measure"] != KL {
		return nil
	}
	var probs []Problem
	for i, m := range members {
		if !learners.Caps(m).Probs {
			probs = append(probs, Problem{Key: fmt.Sprintf("params.members[%d].kind", i),
				Msg: "measure kl needs every member's class probabilities, which this model lacks (an svm has them with probability: true)", Got: show(m["kind"])})
		}
	}
	return probs
}

// buildQBC builds a qbc from resolved params.
func buildQBC(p map[string]any) Strategy {
	s := &qbc{committee: p["committee"].(int), measure: p["measure"].(string), bootstrap: true}
	if members, ok := p["members"].([]map[string]any); ok {
		s.bootstrap = false
		for _, m := range members {
			l, err := learners.New(m)
			if err != nil {
				panic(err) // resolved specs always build
			}
			s.members = append(s.members, l)
		}
	}
	if b, ok := p["bootstrap"].(bool); ok {
		s.bootstrap = b
	}
	return s
}
