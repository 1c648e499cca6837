package strategies

import (
	"albench/learners"
	"albench/nets"
	"context"
	"errors"
	"math"
	"math/rand/v2"
)

// bald is Bayesian active learning by disagreement (Houlsby, Huszár, Ghahramani &
// Lengyel 2011, "Bayesian active learning for classification and preference
// learning") with MC dropout as the posterior (Gal, Islam & Ghahramani 2017, "Deep
// Bayesian active learning with image data"). With p_t the probabilities of T
// stochastic forward passes, dropout active, it estimates the mutual information
// between the label and the weights,
//
//	BALD(x) = H[(1/T) Σ_t p_t(·|x)] − (1/T) Σ_t H[p_t(·|x)]
//
// which is high where the passes disagree and near zero where every pass is equally
// unsure: it separates model uncertainty from noise in the labels. The estimate is
// clamped at 0, its true lower bound, against rounding. The masks are drawn from q.Rand.
// A model that can run the T passes at once (mcPasser, as nets.Net does, computing
// the first layer once for all of them and reading the unlabeled rows in the pool)
// gives the same bits as T calls of MCProbs on the gathered rows.
type bald struct {
	samples int

	probScratch
	mean   []float64 // summed pass probabilities per row and class
	hsum   []float64 // summed pass entropies per row
	scores []float64
	rank   ranker
}

func (*bald) Name() string { return "bald" }

func (s *bald) Select(ctx context.Context, q Query) ([]int, error) {
	k := batchSize(q)
	if k == 0 {
		return []int{}, nil
	}
	mc, ok := q.Model.(learners.MCSampler)
	if !ok || !mc.HasDropout() {
		return nil, errors.New("strategies: bald: the model has no dropout to sample (needs model.dropout > 0)")
	}
	u, c := len(q.Unlabeled), classes(q)
	s.mean = grow(s.mean, u*c)
	s.hsum = grow(s.hsum, u)
	clear(s.mean)
	clear(s.hsum)
	if mp, ok := q.Model.(mcPasser); ok {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		// The unlabeled rows are read in the pool: no gathered copy.
		mp.MCPasses(q.Pool, q.Unlabeled, s.samples, q.Rand, func(_, first int, p []float64) {
			for r := 0; r*c < len(p); r++ {
				i, pr := first+r, p[r*c:(r+1)*c]
				for y, v := range pr {
					s.mean[i*c+y] += v
				}
				s.hsum[i] += entropy(pr)
			}
		})
	} else {
		s.x.Gather(q.Pool, q.Unlabeled)
		if err := s.passes(ctx, mc, q.Rand, u, c); err != nil {
			return nil, err
		}
	}
	inv := 1 / float64(s.samples)
	s.scores = grow(s.scores, u)
	for i := range u {
		m := s.mean[i*c : (i+1)*c]
		for y := range m {
			m[y] *= inv
		}
		s.scores[i] = math.Max(0, entropy(m)-float64(s.hsum[i]*inv))
	}
	return s.rank.topK(q.TieRank, q.Unlabeled, s.scores, k), nil
}

// mcPasser is a model that runs several MC-dropout passes over listed rows of a
// matrix in one call, each pass's probabilities equal to those of as many MCProbs
// calls in a row on the same stream over the gathered rows (nets.Net.MCPasses).
type mcPasser interface {
	MCPasses(x *nets.Matrix, rows []int, passes int, rng *rand.Rand, each func(pass, first int, p []float64))
}

// passes accumulates s.mean and s.hsum over s.samples calls of MCProbs.
func (s *bald) passes(ctx context.Context, mc learners.MCSampler, rng *rand.Rand, u, c int) error {
	for range s.samples {
		if err := ctx.Err(); err != nil {
			return err
		}
		mc.MCProbs(&s.x, &s.p, rng)
		checkShape("MC-dropout probabilities", &s.p, u, c)
		for i := range u {
			p := s.p.Row(i)
			for y, v := range p {
				s.mean[i*c+y] += v
			}
			s.hsum[i] += entropy(p)
		}
	}
	return nil
}
