package strategies

import (
	"albench/learners"
	"context"
	"errors"
	"math"

	"albench/nets"
)

// badge is batch active learning by diverse gradient embeddings (Ash, Zhang,
// Krishnamurthy, Langford & Agarwal 2020, "Deep batch active learning by diverse,
// uncertain gradient lower bounds", ICLR). Each unlabeled row is embedded as the
// gradient of the loss at the predicted label ŷ with respect to the last layer,
//
//	g_x = ∂ℓ(x, ŷ)/∂θ_last,   whose norm grows with the model's uncertainty,
//
// and the batch is chosen by k-means++ seeding (Arthur & Vassilvitskii 2007) on the
// g_x: the first pick is the row of largest ‖g_x‖ (ties by Query.TieRank; the
// paper's code takes the first argmax), and each further pick is drawn from q.Rand with
// probability
//
//	P(x) = D(x)² / Σ_u D(u)²,   D(x) = min over picks c of ‖g_x − g_c‖₂
//
// so the batch is both uncertain (long gradients) and diverse (far apart): a row that
// duplicates a pick has D = 0 and is never drawn. When every remaining row duplicates a
// pick (Σ D² = 0) the remaining row first in Query.TieRank is taken.
//
// After each pick, D(x)² is measured with the scalar formula only for the rows
// whose nearest pick is not more than twice as far from the new pick as from
// them: the triangle inequality, with the rounding bound, proves the others keep
// theirs (sqDists.lowerNearest, see distance.go), so every D(x)², every sum and
// every draw is the scalar formula's, and the rows far from the new pick are not
// read at all.
type badge struct {
	g      nets.Matrix
	d2     []float64 // D(x)² of each unlabeled row; 0 once picked
	norms  []float64 // ‖g_x‖²
	near   []int32   // the position among the picks of one at distance √d2 from each row, −1 if none is known
	cd     []float64 // per pick: its squared distance to the latest pick
	idx    []int     // the picks, as indices of rows of g
	picked []bool
	d      sqDists
	probScratch
}

func (*badge) Name() string { return "badge" }

func (s *badge) Select(ctx context.Context, q Query) ([]int, error) {
	k := batchSize(q)
	if k == 0 {
		return []int{}, nil
	}
	ge, ok := q.Model.(learners.GradEmbedder)
	if !ok {
		return nil, errors.New("strategies: badge: the model does not provide gradient embeddings")
	}
	u := len(q.Unlabeled)
	if gr, ok := q.Model.(rowsGradEmbedder); ok {
		gr.GradEmbedRows(q.Pool, q.Unlabeled, &s.g) // no gathered copy of the pool
	} else {
		s.x.Gather(q.Pool, q.Unlabeled)
		ge.GradEmbed(&s.x, &s.g)
	}
	checkShape("gradient embeddings", &s.g, u, ge.GradEmbedDim())

	s.d2 = grow(s.d2, u)
	s.picked = grow(s.picked, u)
	clear(s.picked)
	s.norms = sqNorms(s.norms, &s.g)
	first, best := 0, -1.0
	for i, n := range s.norms {
		if n > best || (n == best && tieLess(q.TieRank, q.Unlabeled[i], q.Unlabeled[first])) {
			first, best = i, n
		}
		s.d2[i] = math.Inf(1)
	}
	out := make([]int, 0, k)
	pick := first
	s.idx = s.idx[:0]
	s.near, s.cd = grow(s.near, u), grow(s.cd, k)
	for i := range s.near {
		s.near[i] = -1
	}
	for {
		out = append(out, q.Unlabeled[pick])
		s.idx = append(s.idx, pick)
		s.picked[pick] = true
		if len(out) == k {
			return out, nil
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		c := s.g.Row(pick)
		for j, r := range s.idx {
			s.cd[j] = sqDist(c, s.g.Row(r))
		}
		s.d2[pick] = -1 // not measured again
		s.d.lowerNearest(&s.g, s.d2, s.near, pick, int32(len(s.idx)-1), s.norms[pick], s.cd)
		var total float64
		for i := range u {
			if s.picked[i] {
				continue
			}
			if math.IsNaN(s.d2[i]) {
				s.d2[i] = 0 // a NaN embedding ranks last, like a duplicate, and keeps total a number
			}
			total += s.d2[i]
		}
		pick = s.draw(total, q)
	}
}

// draw samples an unpicked row with probability d2/total, or returns the lowest
// unpicked row when total is zero (or not finite, which only overflow can cause).
func (s *badge) draw(total float64, q Query) int {
	if total > 0 && !math.IsInf(total, 1) {
		r := q.Rand.Float64() * total
		last := -1
		var cum float64
		for i, d := range s.d2 {
			if s.picked[i] || d <= 0 {
				continue
			}
			cum += d
			last = i
			if cum > r {
				return i
			}
		}
		if last >= 0 {
			return last // r fell past the summed weights through rounding
		}
	}
	pick := -1
	for i, p := range s.picked {
		if !p && (pick < 0 || tieLess(q.TieRank, q.Unlabeled[i], q.Unlabeled[pick])) {
			pick = i
		}
	}
	if pick < 0 {
		panic("strategies: badge: no row left to pick") // unreachable: k ≤ len(q.Unlabeled)
	}
	return pick
}

func dot(a, b []float64) float64 {
	var s float64
	for i, v := range a {
		s += float64(v * b[i])
	}
	return s
}
