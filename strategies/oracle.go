package strategies

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"

	"albench/learners"
	"albench/nets"
)

// oracle is a look-ahead upper bound: it picks the rows whose true labels
// (Query.Oracle.PoolY), added to the labeled set, give the model the most correct
// answers on the test set (Query.Oracle.Test) after retraining with q.Fit. It reads
// the labels it is scored on, so it is no active-learning strategy: it shows how far
// the best choice of points could take this model (Lu, Li & Lin 2023,
// "Re-benchmarking pool-based active learning for binary classification"; Zhan et
// al. 2021, "A comparative survey: benchmarking for pool-based active learning").
//
// Both registered oracles run one beam search per round (Zhan et al.'s beam-search
// oracle, BSO, with a receding horizon). With B = min(q.Batch, |U|) and score(S) the
// number of test rows that the model trained on L ∪ S with the true labels predicts
// correctly:
//
//  1. draw the candidates C: all of U when candidates = 0, else
//     min(|U|, max(candidates, depth·B)) rows of U without replacement from q.Rand;
//  2. start from one empty sequence; for H = min(depth·B, |C|) steps, extend every
//     kept sequence S by every candidate c ∉ S, score S + c, and keep the `beam`
//     best extensions (two extensions holding the same set count once);
//  3. return the first B rows of the best sequence after H steps.
//
// oracle_greedy is the case beam = 1, depth = 1: B greedy steps, each adding the
// candidate that scores best given the rows already added. Zhan et al. search one
// sequence over the whole budget before the first query (their beam width 5, every
// unlabeled row a candidate, sequences ranked by the test accuracy after their last
// point); here the search looks depth batches ahead and is redone each round from
// the labeled set the harness holds, so it fits the round structure (and the batch)
// of the other strategies, and candidates bounds its cost, which is about
// depth·B·beam·|C| fits a round.
//
// Ties: extensions of equal score rank by their parent's rank, then by the
// candidate's TieRank (the candidates are visited in TieRank order), so the answer
// is a function of the stream, the tie order and the models. Every fit of a round
// starts from the same initialisation stream (two words drawn from q.Rand after the
// candidates), so scores differ by the rows added, not by the initialisation. A
// model predicts as the harness's evaluator does: its own rule (learners.Predictor),
// else the most probable class, else the largest decision value
// (learners.DecisionClass). ctx is checked before every fit. q.Fit must not keep the
// x and y it is given, whose storage the next fit reuses.
type oracle struct {
	name       string
	beam       int
	depth      int
	candidates int

	cands   []int // this round's candidates, in TieRank order
	seqs    []int // kept sequences, beam × horizon, row-major
	next    []int
	kids    []extension
	kept    []extension
	rows    []int // L ∪ S and its labels, for one fit
	ys      []int
	x, out  nets.Matrix
	pred    []int
	pcg     rand.PCG
	rng     *rand.Rand
	horizon int
}

// extension is a kept sequence (parent) followed by one candidate (cands[cand]).
type extension struct {
	parent, cand, correct int
}

func (s *oracle) Name() string { return s.name }

func (s *oracle) Select(ctx context.Context, q Query) ([]int, error) {
	k := batchSize(q)
	if k == 0 {
		return []int{}, nil
	}
	if err := s.check(q); err != nil {
		return nil, err
	}
	s.drawCandidates(q, k)
	s.horizon = min(s.depth*k, len(s.cands))
	if s.rng == nil {
		s.rng = rand.New(&s.pcg)
	}
	seed1, seed2 := q.Rand.Uint64(), q.Rand.Uint64()
	s.seqs = grow(s.seqs, s.beam*s.horizon)
	s.next = grow(s.next, s.beam*s.horizon)
	beams := 1 // the empty sequence
	for step := range s.horizon {
		s.kids = s.kids[:0]
		for b := range beams {
			prefix := s.seqs[b*s.horizon : b*s.horizon+step]
			for c, row := range s.cands {
				if !slices.Contains(prefix, row) {
					s.kids = append(s.kids, extension{parent: b, cand: c})
				}
			}
		}
		if len(s.kids) > 1 { // a lone extension needs no score
			for i := range s.kids {
				e := &s.kids[i]
				prefix := s.seqs[e.parent*s.horizon : e.parent*s.horizon+step]
				n, err := s.score(ctx, q, prefix, s.cands[e.cand], seed1, seed2)
				if err != nil {
					return nil, err
				}
				e.correct = n
			}
		}
		slices.SortFunc(s.kids, func(a, b extension) int {
			switch {
			case a.correct != b.correct:
				return b.correct - a.correct
			case a.parent != b.parent:
				return a.parent - b.parent
			}
			return a.cand - b.cand
		})
		s.kept = s.kept[:0]
		for _, e := range s.kids {
			if len(s.kept) == s.beam {
				break
			}
			if !slices.ContainsFunc(s.kept, func(o extension) bool { return s.sameSet(o, e, step) }) {
				s.kept = append(s.kept, e)
			}
		}
		for i, e := range s.kept {
			dst := s.next[i*s.horizon : i*s.horizon+step+1]
			copy(dst, s.seqs[e.parent*s.horizon:e.parent*s.horizon+step])
			dst[step] = s.cands[e.cand]
		}
		s.seqs, s.next = s.next, s.seqs
		beams = len(s.kept)
	}
	return slices.Clone(s.seqs[:k]), nil
}

// check reports a query an oracle cannot answer.
func (s *oracle) check(q Query) error {
	o := q.Oracle
	switch {
	case o == nil || o.Test == nil || o.PoolY == nil:
		return fmt.Errorf("strategies: %s: the query has no oracle (test set and pool labels); only strategies registered as oracles get one", s.name)
	case q.Fit == nil:
		return fmt.Errorf("strategies: %s: the query cannot retrain the model (no Fit)", s.name)
	case len(o.TestY) != o.Test.Rows || len(o.TestY) == 0:
		return fmt.Errorf("strategies: %s: %d test labels for %d test rows", s.name, len(o.TestY), o.Test.Rows)
	case len(o.PoolY) != q.Pool.Rows:
		return fmt.Errorf("strategies: %s: %d pool labels for %d pool rows", s.name, len(o.PoolY), q.Pool.Rows)
	case len(q.Labels) != len(q.Labeled):
		panic(fmt.Sprintf("strategies: %d labels for %d labeled rows", len(q.Labels), len(q.Labeled)))
	}
	return nil
}

// drawCandidates sets s.cands to this round's candidates in TieRank order: all of
// U, or a sample without replacement (a partial Fisher–Yates shuffle of a copy of U)
// large enough to fill the horizon.
func (s *oracle) drawCandidates(q Query, k int) {
	u := len(q.Unlabeled)
	s.cands = append(s.cands[:0], q.Unlabeled...)
	if m := max(s.candidates, s.depth*k); s.candidates > 0 && m < u {
		for i := range m {
			j := i + q.Rand.IntN(u-i)
			s.cands[i], s.cands[j] = s.cands[j], s.cands[i]
		}
		s.cands = s.cands[:m]
	}
	tie := q.TieRank
	slices.SortFunc(s.cands, func(a, b int) int {
		switch {
		case a == b:
			return 0
		case tieLess(tie, a, b):
			return -1
		}
		return 1
	})
}

// sameSet reports whether extensions a and b of the sequences kept at step hold the
// same rows. Both hold step+1 distinct rows, so a ⊆ b suffices.
func (s *oracle) sameSet(a, b extension, step int) bool {
	pa := s.seqs[a.parent*s.horizon : a.parent*s.horizon+step]
	pb := s.seqs[b.parent*s.horizon : b.parent*s.horizon+step]
	rb := s.cands[b.cand]
	inB := func(r int) bool { return r == rb || slices.Contains(pb, r) }
	if !inB(s.cands[a.cand]) {
		return false
	}
	for _, r := range pa {
		if !inB(r) {
			return false
		}
	}
	return true
}

// score trains a fresh model on L ∪ prefix ∪ {row} with the true labels, from the
// round's initialisation stream, and returns how many test rows it predicts right.
func (s *oracle) score(ctx context.Context, q Query, prefix []int, row int, seed1, seed2 uint64) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	poolY := q.Oracle.PoolY
	s.rows = append(append(append(s.rows[:0], q.Labeled...), prefix...), row)
	s.ys = append(s.ys[:0], q.Labels...)
	for _, r := range s.rows[len(q.Labeled):] {
		s.ys = append(s.ys, poolY[r])
	}
	s.x.Gather(q.Pool, s.rows)
	s.pcg.Seed(seed1, seed2)
	m, err := q.Fit(ctx, &s.x, s.ys, s.rng)
	if err != nil {
		return 0, fmt.Errorf("strategies: %s: retraining with row %d: %w", s.name, row, err)
	}
	return s.correct(m, q.Oracle.Test, q.Oracle.TestY)
}

// correct counts the test rows m predicts right, by the evaluator's rule.
func (s *oracle) correct(m Model, test *nets.Matrix, y []int) (int, error) {
	n := len(y)
	s.pred = grow(s.pred, n)
	switch mm := m.(type) {
	case learners.Predictor:
		mm.Predict(test, s.pred)
	case learners.Prober:
		mm.Probs(test, &s.out)
		checkShape("test probabilities", &s.out, n, m.Classes())
		for i := range n {
			s.pred[i] = argmax(s.out.Row(i))
		}
	case learners.Decider:
		mm.Decision(test, &s.out)
		for i := range n {
			s.pred[i] = learners.DecisionClass(s.out.Row(i))
		}
	default:
		return 0, errors.New("strategies: " + s.name + ": the model has neither predictions, probabilities nor decision values")
	}
	right := 0
	for i, p := range s.pred {
		if p == y[i] {
			right++
		}
	}
	return right, nil
}
