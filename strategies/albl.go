package strategies

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"albench/internal/fmath"
	"albench/nets"
)

// albl is active learning by learning (Hsu & Lin 2015, "Active learning by
// learning", AAAI): a contextual bandit, EXP4.P (Beygelzimer et al. 2011,
// "Contextual bandit algorithms with supervised learning guarantees", AISTATS),
// learns on the fly which of several base strategies to follow. Each base strategy
// is an expert whose advice is the row it would query; one more expert samples
// uniformly from the whole pool, labeled rows included (listing `random` names it;
// it is always present, since the reward below is unbiased only if every row can be
// drawn). With w the experts' weights and N their number, the expert distribution
// and the query distribution over rows are
//
//	p_i = (1 − N·p_min) w_i / Σ w + p_min,   q(x) = Σ_i p_i ξ_i(x),   p_min = √(ln N / (N·T))
//
// ξ_i the advice of expert i (one-hot on its row, or uniform). A row x drawn from q
// that is already labeled costs no label: its known label joins the record and the
// bandit draws again, as in the paper. After the labels arrive the reward is the
// importance-weighted accuracy of the current model f on every row drawn so far,
//
//	IW-ACC(f) = (1/(n·T)) Σ_τ W_τ [f(x_τ) = y_τ],   W_τ = 1 / q_τ(x_τ)
//
// whose expectation after τ draws is (τ/T) × f's accuracy on the pool (n its size,
// each W_τ [·] an unbiased estimate of n × accuracy), and EXP4.P updates
// every expert from the draw x with
//
//	ŷ_i = r ξ_i(x) / q(x),   v̂_i = Σ_x' ξ_i(x') / q(x'),   w_i ← w_i exp(p_min/2 · (ŷ_i + v̂_i √(ln(N/δ)/(N·T))))
//
// T (param horizon) is the number of queries the bandit plans for and δ (param
// delta) EXP4.P's confidence. p_min is the floor of the expert distribution, as in
// libact's ALBL, not of q: with the pool's rows as EXP4.P's K actions the floor could
// not exceed 1/n.
//
// Batches: the B picks of a round are B draws from q without replacement (a row
// drawn this round leaves the uniform expert's support and every expert's advice
// moves to its next-ranked row: each base strategy is asked for a batch of B). Their
// rewards come with the next round's model, one reward for the whole batch; the draws
// of labeled rows are rewarded at once, with the current model. The bandit's weights
// and record live in the strategy value, one per trial. A Select that sees no new
// label since the previous one replaces that call, whose picks were not taken: the
// state is rolled back first, so the same query on the same stream gives the same
// rows.
//
// Base strategies are built with their default params (New(name, nil)) and draw from
// streams seeded from q.Rand each round. The default set is margin (and the
// uniform expert), plus hintsvm under an SVM (Query.ModelKind "svm"), as Hsu & Lin
// and Lu et al. run it. Cost per
// round: the base strategies' own, plus O(n + |L| prediction + B·N) for the bandit.
type albl struct {
	names   []string // configured base strategies; nil: the default set
	delta   float64
	horizon int

	built   bool
	experts []alblExpert // base strategies; the uniform expert is index len(experts)
	pmin    float64
	conf    float64 // √(ln(N/δ)/(N·T))
	logw    []float64

	hist  []alblDraw // every draw whose label is known
	steps []alblDraw // this round's unlabeled draws, rewarded next round
	ratio []float64  // ξ_i(x)/q(x) of each step, N per step
	vhat  []float64  // v̂_i of each step, N per step

	// State at the start of the previous Select, for a repeated call.
	lastLabeled         int // len(q.Labeled) then; −1 before the first call
	snapLogw            []float64
	snapHist            int
	snapSteps           []alblDraw
	snapRatio, snapVhat []float64

	// Scratch of one Select.
	label, pred      []int // per pool row: its label and f's prediction (−1: unlabeled)
	xl, pl           nets.Matrix
	predL            []int
	picked           []bool    // per pool row: drawn this round
	pickedRows       []int     // the same rows, ascending
	p, qa            []float64 // expert distribution; q at each expert's advised row
	stepRatio, stepV []float64
}

// alblExpert is one base strategy with its stream and this round's advice.
type alblExpert struct {
	s     Strategy
	pcg   *rand.PCG
	rng   *rand.Rand
	picks []int
	next  int
}

// alblDraw is a drawn row with its importance weight 1/q(x).
type alblDraw struct {
	row int
	w   float64
}

func (*albl) Name() string { return "albl" }

// alblDefault lists the default base strategies for a model of the given kind.
func alblDefault(kind string) []string {
	names := []string{"margin"}
	if kind == "svm" && lookup("hintsvm") != nil {
		names = append(names, "hintsvm")
	}
	return names
}

func (s *albl) build(q Query) error {
	names := s.names
	if names == nil {
		names = alblDefault(q.ModelKind)
	}
	for _, name := range names {
		if name == "random" {
			continue // the uniform expert, always present
		}
		st, err := New(name, nil)
		if err != nil {
			return fmt.Errorf("strategies: albl: %w", err)
		}
		pcg := rand.NewPCG(0, 0)
		s.experts = append(s.experts, alblExpert{s: st, pcg: pcg, rng: rand.New(pcg)})
	}
	n := float64(len(s.experts) + 1)
	t := float64(s.horizon)
	s.pmin = min(math.Sqrt(fmath.Log(n)/(n*t)), 1/n)
	s.conf = math.Sqrt(fmath.Log(n/s.delta) / (n * t))
	s.logw = make([]float64, len(s.experts)+1)
	s.lastLabeled = -1
	s.built = true
	return nil
}

func (s *albl) Select(ctx context.Context, q Query) ([]int, error) {
	b := batchSize(q)
	if b == 0 {
		return []int{}, nil
	}
	if len(q.Labels) != len(q.Labeled) {
		panic(fmt.Sprintf("strategies: %d labels for %d labeled rows", len(q.Labels), len(q.Labeled)))
	}
	if !s.built {
		if err := s.build(q); err != nil {
			return nil, err
		}
	}
	if len(q.Labeled) == s.lastLabeled {
		s.restore()
	}
	s.save()
	s.lastLabeled = len(q.Labeled)
	s.predictLabeled(q)
	s.resolve(q)

	// Advice: each base strategy's batch, from a stream seeded from q.Rand.
	for i := range s.experts {
		e := &s.experts[i]
		e.pcg.Seed(q.Rand.Uint64(), q.Rand.Uint64())
		sub := q
		sub.Batch, sub.Rand = b, e.rng
		picks, err := e.s.Select(ctx, sub)
		if err != nil {
			return nil, fmt.Errorf("strategies: albl: %s: %w", e.s.Name(), err)
		}
		e.picks, e.next = picks, 0
	}
	n := q.Pool.Rows
	s.picked = grow(s.picked, n)
	clear(s.picked)
	s.pickedRows = s.pickedRows[:0]
	ne := len(s.experts) + 1
	s.p, s.qa = grow(s.p, ne), grow(s.qa, ne)
	s.stepRatio, s.stepV = grow(s.stepRatio, ne), grow(s.stepV, ne)
	out := make([]int, 0, b)
	for len(out) < b {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		s.probabilities()
		m := n - len(s.pickedRows) // the uniform expert's support
		pu := s.p[ne-1]
		// q at each expert's advised row.
		for i := range s.experts {
			e := &s.experts[i]
			for s.picked[e.picks[e.next]] {
				e.next++
			}
		}
		for i := range s.experts {
			a := s.experts[i].picks[s.experts[i].next]
			v := pu / float64(m)
			for k := range s.experts {
				if s.experts[k].picks[s.experts[k].next] == a {
					v += s.p[k]
				}
			}
			s.qa[i] = v
		}
		// Draw an expert, then its row.
		row := -1
		u := q.Rand.Float64()
		for i := range s.experts {
			if u < s.p[i] {
				row = s.experts[i].picks[s.experts[i].next]
				break
			}
			u -= s.p[i]
		}
		if row < 0 {
			row = s.uniformRow(q.Rand.IntN(m))
		}
		qx := pu / float64(m)
		for i := range s.experts {
			if s.experts[i].picks[s.experts[i].next] == row {
				qx += s.p[i]
			}
		}
		// ŷ ratios and v̂ of every expert for this draw. The uniform expert's v̂ sums
		// 1/(m q(x')) over its support: rows nobody advises have q = p_u/m.
		advised, sumInv := 0, 0.0
		for i := range s.experts {
			a := s.experts[i].picks[s.experts[i].next]
			first := true
			for k := range i {
				if s.experts[k].picks[s.experts[k].next] == a {
					first = false
				}
			}
			if first {
				advised++
				sumInv += 1 / s.qa[i]
			}
			s.stepRatio[i] = 0
			if a == row {
				s.stepRatio[i] = 1 / qx
			}
			s.stepV[i] = 1 / s.qa[i]
		}
		s.stepRatio[ne-1] = 1 / (float64(m) * qx)
		s.stepV[ne-1] = (float64(m-advised)*float64(m)/pu + sumInv) / float64(m)

		if s.label[row] >= 0 {
			// Known label: no query; reward now with the current model.
			s.hist = append(s.hist, alblDraw{row: row, w: 1 / qx})
			s.update(s.reward(q), s.stepRatio, s.stepV)
			continue
		}
		out = append(out, row)
		s.picked[row] = true
		i, _ := slices.BinarySearch(s.pickedRows, row)
		s.pickedRows = slices.Insert(s.pickedRows, i, row)
		s.steps = append(s.steps, alblDraw{row: row, w: 1 / qx})
		s.ratio = append(s.ratio, s.stepRatio...)
		s.vhat = append(s.vhat, s.stepV...)
	}
	return out, nil
}

// uniformRow returns the k-th pool row, in ascending order, not picked this round.
func (s *albl) uniformRow(k int) int {
	row := k
	for _, r := range s.pickedRows {
		if r <= row {
			row++
		} else {
			break
		}
	}
	return row
}

// probabilities sets s.p to the expert distribution from the log weights.
func (s *albl) probabilities() {
	top := slices.Max(s.logw)
	var sum float64
	for i, lw := range s.logw {
		s.p[i] = fmath.Exp(lw - top)
		sum += s.p[i]
	}
	scale := 1 - float64(float64(len(s.logw))*s.pmin)
	for i := range s.p {
		s.p[i] = float64(scale*s.p[i]/sum) + s.pmin
	}
}

// update applies EXP4.P's weight update for one draw with reward r.
func (s *albl) update(r float64, ratio, vhat []float64) {
	for i := range s.logw {
		s.logw[i] += float64(s.pmin / 2 * (float64(r*ratio[i]) + float64(vhat[i]*s.conf)))
	}
	top := slices.Max(s.logw)
	for i := range s.logw {
		s.logw[i] -= top // keeps exp(logw) in range; the distribution is unchanged
	}
}

// predictLabeled records each pool row's label and the model's prediction for the
// labeled rows.
func (s *albl) predictLabeled(q Query) {
	n := q.Pool.Rows
	s.label, s.pred = grow(s.label, n), grow(s.pred, n)
	for i := range s.label {
		s.label[i], s.pred[i] = -1, -1
	}
	if len(q.Labeled) == 0 {
		return
	}
	s.xl.Gather(q.Pool, q.Labeled)
	s.predL = grow(s.predL, len(q.Labeled))
	lbPredict(q.Model, &s.xl, s.predL, &s.pl)
	for i, r := range q.Labeled {
		s.label[r], s.pred[r] = q.Labels[i], s.predL[i]
	}
}

// reward returns IW-ACC of the current model over the record.
func (s *albl) reward(q Query) float64 {
	var sum float64
	for _, d := range s.hist {
		if s.pred[d.row] == s.label[d.row] {
			sum += d.w
		}
	}
	return sum / (float64(q.Pool.Rows) * float64(s.horizon))
}

// resolve rewards the previous round's draws now that their labels are known; a
// draw whose row was not labeled (its pick was not taken) is dropped.
func (s *albl) resolve(q Query) {
	if len(s.steps) == 0 {
		return
	}
	ne := len(s.logw)
	kept := 0
	for k, st := range s.steps {
		if s.label[st.row] < 0 {
			continue
		}
		s.hist = append(s.hist, st)
		s.steps[kept] = st
		copy(s.ratio[kept*ne:(kept+1)*ne], s.ratio[k*ne:(k+1)*ne])
		copy(s.vhat[kept*ne:(kept+1)*ne], s.vhat[k*ne:(k+1)*ne])
		kept++
	}
	r := s.reward(q)
	for k := range kept {
		s.update(r, s.ratio[k*ne:(k+1)*ne], s.vhat[k*ne:(k+1)*ne])
	}
	s.steps, s.ratio, s.vhat = s.steps[:0], s.ratio[:0], s.vhat[:0]
}

// save records the state at the start of a Select.
func (s *albl) save() {
	s.snapLogw = append(s.snapLogw[:0], s.logw...)
	s.snapHist = len(s.hist)
	s.snapSteps = append(s.snapSteps[:0], s.steps...)
	s.snapRatio = append(s.snapRatio[:0], s.ratio...)
	s.snapVhat = append(s.snapVhat[:0], s.vhat...)
}

// restore rolls the state back to the start of the previous Select.
func (s *albl) restore() {
	copy(s.logw, s.snapLogw)
	s.hist = s.hist[:s.snapHist]
	s.steps = append(s.steps[:0], s.snapSteps...)
	s.ratio = append(s.ratio[:0], s.snapRatio...)
	s.vhat = append(s.vhat[:0], s.snapVhat...)
}
