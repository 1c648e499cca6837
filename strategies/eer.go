package strategies

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"

	"albench/learners"
	"albench/nets"
)

// Loss functions of eer, the two variants of Roy & McCallum.
const (
	EERLog     = "log"
	EERZeroOne = "zero_one"
)

// eer is expected error reduction (Roy & McCallum 2001, "Toward optimal active
// learning through sampling estimation of error reduction", ICML, §2–3): query the
// point whose label, in expectation over the current model's belief about it, leaves
// the least expected error on the unlabeled pool. For a candidate x and each class y
// it retrains with q.Fit on L ∪ {(x, y)} — a model θ⁺ of the query model's kind — and
// estimates that model's error on the unlabeled pool U with its own posteriors, as
// the paper does (the true labels being unknown):
//
//	log loss (default):  E(θ⁺) = −(1/|U|) Σ_{u ∈ U} Σ_c p_θ⁺(c|u) log p_θ⁺(c|u)
//	0/1 loss:            E(θ⁺) =  (1/|U|) Σ_{u ∈ U} (1 − max_c p_θ⁺(c|u))
//
//	EER(x) = E(θ) − Σ_y p_θ(y|x) E(θ⁺_{x,y})
//
// and the B candidates of largest expected reduction EER(x) are the batch (the
// paper queries one point at a time; the top B of one scoring is the usual batch
// form, which ignores the interaction of the B labels). U is every unlabeled row,
// the candidate included, the same set for every candidate. Labels with
// p_θ(y|x) = 0 weigh nothing and are not trained. Ties go by Query.TieRank.
//
// The candidates are every unlabeled row (candidates = 0, the default) or a
// subsample of max(candidates, B) of them drawn from q.Rand without replacement, the
// paper's own remedy for the cost. Every retrained model starts from the same
// initialisation stream, seeded once per round from q.Rand, so candidates differ by
// their label alone, not by the luck of their initialisation.
//
// This is the most expensive strategy of the harness: O(M·C) model fits per round
// (M candidates, C classes), each followed by a prediction on U, O(M·C·(fit + |U|·C)).
// ctx is checked before every fit.
type eer struct {
	candidates int
	zeroOne    bool

	probScratch
	xu     nets.Matrix // unlabeled rows
	xb     nets.Matrix // L plus one candidate row
	yb     []int
	pu     nets.Matrix // a retrained model's probabilities on U
	cand   []int       // positions into q.Unlabeled
	rows   []int
	scores []float64
	rank   ranker
}

func (*eer) Name() string { return "eer" }

func (s *eer) Select(ctx context.Context, q Query) ([]int, error) {
	b := batchSize(q)
	if b == 0 {
		return []int{}, nil
	}
	if q.Fit == nil {
		return nil, errors.New("strategies: eer: the query cannot retrain the model (no Fit)")
	}
	if len(q.Labels) != len(q.Labeled) {
		panic(fmt.Sprintf("strategies: %d labels for %d labeled rows", len(q.Labels), len(q.Labeled)))
	}
	u, c := len(q.Unlabeled), classes(q)
	// Candidates: all unlabeled positions, or a partial Fisher–Yates sample of them.
	s.cand = grow(s.cand, u)
	for i := range s.cand {
		s.cand[i] = i
	}
	m := u
	if s.candidates > 0 && max(s.candidates, b) < u {
		m = max(s.candidates, b)
		for i := range m {
			j := i + q.Rand.IntN(u-i)
			s.cand[i], s.cand[j] = s.cand[j], s.cand[i]
		}
		s.cand = s.cand[:m]
	}
	seed1, seed2 := q.Rand.Uint64(), q.Rand.Uint64()
	pcg := rand.NewPCG(seed1, seed2)
	rng := rand.New(pcg)

	p := s.probs(q) // the current model on U
	now := s.poolError(p)
	s.xu.Gather(q.Pool, q.Unlabeled)
	n := len(q.Labeled)
	s.rows = grow(s.rows, n+1)
	copy(s.rows, q.Labeled)
	s.yb = grow(s.yb, n+1)
	copy(s.yb, q.Labels)
	s.scores = grow(s.scores, m)
	for k, pos := range s.cand {
		s.rows[n] = q.Unlabeled[pos]
		s.xb.Gather(q.Pool, s.rows)
		var expected float64
		py := p.Row(pos)
		for y := range c {
			if !(py[y] > 0) {
				continue
			}
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			s.yb[n] = y
			pcg.Seed(seed1, seed2)
			model, err := q.Fit(ctx, &s.xb, s.yb, rng)
			if err != nil {
				return nil, fmt.Errorf("strategies: eer: retraining with row %d as class %d: %w", s.rows[n], y, err)
			}
			pr, ok := model.(learners.Prober)
			if !ok {
				return nil, errors.New("strategies: eer: a retrained model has no probabilities")
			}
			pr.Probs(&s.xu, &s.pu)
			checkShape("retrained probabilities", &s.pu, u, c)
			expected += float64(py[y] * s.poolError(&s.pu))
		}
		s.scores[k] = now - expected
	}
	// topK wants rows: map candidate positions to rows in place of the positions.
	for k, pos := range s.cand {
		s.cand[k] = q.Unlabeled[pos]
	}
	return s.rank.topK(q.TieRank, s.cand, s.scores, b), nil
}

// poolError returns the mean estimated loss over the rows of p, each a posterior on
// an unlabeled row: its entropy (log loss) or 1 − its largest probability (0/1).
func (s *eer) poolError(p *nets.Matrix) float64 {
	var sum float64
	for i := range p.Rows {
		if s.zeroOne {
			sum += leastConfidence(p.Row(i))
		} else {
			sum += entropy(p.Row(i))
		}
	}
	return sum / float64(p.Rows)
}
