package strategies

import (
	"albench/learners"
	"context"
	"errors"

	"albench/nets"
)

// egl is expected gradient length (Settles, Craven & Ray 2008, "Multiple-instance
// active learning", NIPS): the expected norm of the loss gradient over every model
// parameter if x were labeled, under the model's own predictive distribution,
//
//	EGL(x) = Σ_y p(y|x) ‖∇θ ℓ(x, y)‖₂
//
// with ℓ the cross-entropy loss. The rows whose label would change the model most are
// queried first.
type egl struct {
	probScratch
	norms  nets.Matrix
	scores []float64
	rank   ranker
}

func (*egl) Name() string { return "egl" }

func (s *egl) Select(ctx context.Context, q Query) ([]int, error) {
	k := batchSize(q)
	if k == 0 {
		return []int{}, nil
	}
	gn, ok := q.Model.(learners.GradNormer)
	if !ok {
		return nil, errors.New("strategies: egl: the model does not provide per-sample gradient norms")
	}
	p := s.probs(q)
	if !s.gathered {
		s.gather(q) // probs did not need the gathered rows
	}
	gn.GradNorms(&s.x, &s.norms)
	checkShape("gradient norms", &s.norms, p.Rows, p.Cols)
	s.scores = grow(s.scores, p.Rows)
	for i := range s.scores {
		var e float64
		for y, py := range p.Row(i) {
			e += float64(py * s.norms.Data[i*p.Cols+y])
		}
		s.scores[i] = e
	}
	return s.rank.topK(q.TieRank, q.Unlabeled, s.scores, k), nil
}
