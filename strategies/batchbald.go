package strategies

import (
	"context"
	"errors"
	"math"

	"albench/internal/fmath"
	"albench/learners"
)

// batchBALD is BatchBALD (Kirsch, van Amersfoort & Gal 2019, "BatchBALD: Efficient
// and Diverse Batch Acquisition for Deep Bayesian Active Learning"): the batch is
// chosen greedily to maximise the mutual information between the joint labels of the
// batch and the weights, estimated from T MC-dropout passes p_t (as bald draws them):
//
//	a(x_1..x_n) = H[y_1, …, y_n] − Σ_j (1/T) Σ_t H[p_t(·|x_j)]
//	p(y_1..y_n) = (1/T) Σ_t Π_j p_t(y_j|x_j)
//
// Pick n adds argmax_x a(x_1..x_{n−1}, x); the Σ_j over the earlier picks is the same
// for every candidate, so the score is H[y_1..y_{n−1}, y_x] − (1/T) Σ_t H[p_t(·|x)].
// The first pick is BALD's, computed with bald's arithmetic, so a batch of one is
// exactly bald's choice on the same stream. Points that duplicate an earlier pick
// add no joint entropy and fall behind: that is the difference from top-k BALD.
//
// The joint entropy is exact while classes^n × T ≤ max_configs: the T × classes^{n−1}
// table P_t(y_1..y_{n−1}) of the picks so far is kept and extended by each pick, so a
// candidate costs T × classes^n. Beyond that, the paper's estimate with M = configs
// sampled configurations ŷ^m of the earlier picks (each drawn as t ~ U{1..T}, then
// ŷ_j ~ p_t(·|x_j); once drawn a sample is extended by each later pick from its own
// t, so it stays a draw from the joint):
//
//	H[y_1..y_n] ≈ −(1/M) Σ_m Σ_y (q_m(y) / p(ŷ^m)) log q_m(y)
//	q_m(y) = (1/T) Σ_t P_t(ŷ^m) p_t(y|x_n)
//
// at T × M × classes per candidate. A Select costs O(k · U · max(max_configs,
// T · configs · classes)) for k picks over U unlabeled rows, linear in the pool. The
// dropout masks and the sampled configurations come from q.Rand.
type batchBALD struct {
	samples, maxConfigs, configs int

	probScratch
	mc     []float64 // U × T × C pass probabilities: a candidate's passes are contiguous
	mean   []float64 // U × C summed pass probabilities, as in bald
	hsum   []float64 // U summed pass entropies
	cond   []float64 // U mean pass entropy (1/T) Σ_t H[p_t]
	scores []float64
	taken  []bool

	// Exact mode: joint[c*T+t] = P_t(configuration c of the picks so far).
	joint, next []float64
	// Sampled mode: prod[m*T+t] = P_t(ŷ^m), sampleT[m] = the pass ŷ^m was drawn from.
	prod    []float64
	sampleT []int
	pm      []float64 // p(ŷ^m) = (1/T) Σ_t prod[t*M+m]
}

func (*batchBALD) Name() string { return "batchbald" }

func (s *batchBALD) Select(ctx context.Context, q Query) ([]int, error) {
	k := batchSize(q)
	if k == 0 {
		return []int{}, nil
	}
	mc, ok := q.Model.(learners.MCSampler)
	if !ok || !mc.HasDropout() {
		return nil, errors.New("strategies: batchbald: the model has no dropout to sample (needs model.dropout > 0)")
	}
	u, c, T := len(q.Unlabeled), classes(q), s.samples
	s.x.Gather(q.Pool, q.Unlabeled)
	s.mc = grow(s.mc, T*u*c)
	s.mean = grow(s.mean, u*c)
	s.hsum = grow(s.hsum, u)
	clear(s.mean)
	clear(s.hsum)
	for t := range T {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		mc.MCProbs(&s.x, &s.p, q.Rand)
		checkShape("MC-dropout probabilities", &s.p, u, c)
		for i := range u {
			p := s.p.Row(i)
			copy(s.mc[(i*T+t)*c:(i*T+t+1)*c], p)
			for y, v := range p {
				s.mean[i*c+y] += v
			}
			s.hsum[i] += entropy(p)
		}
	}
	inv := 1 / float64(T)
	s.scores = grow(s.scores, u)
	s.cond = grow(s.cond, u)
	s.taken = grow(s.taken, u)
	clear(s.taken)
	for i := range u {
		m := s.mean[i*c : (i+1)*c]
		for y := range m {
			m[y] *= inv
		}
		s.cond[i] = float64(s.hsum[i] * inv)
		s.scores[i] = math.Max(0, entropy(m)-s.cond[i]) // bald's score, bit for bit
	}
	out := make([]int, 0, k)
	pick := bestUntaken(q, s.scores, s.taken)
	out = append(out, q.Unlabeled[pick])
	s.taken[pick] = true

	// The joint table of the first pick: P_t(y_1) = p_t(y_1|x_1).
	nconf := c
	s.joint = grow(s.joint, T*nconf)
	for t := range T {
		for y, v := range s.pass(t, u, c, pick) {
			s.joint[y*T+t] = v
		}
	}
	sampled := false
	for len(out) < k {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if !sampled && float64(nconf)*float64(c)*float64(T) > float64(s.maxConfigs) {
			s.drawConfigs(q, out, u, c)
			sampled = true
		}
		for i := range u {
			if s.taken[i] {
				continue
			}
			var h float64
			if sampled {
				h = s.sampledJoint(i, u, c)
			} else {
				h = s.exactJoint(i, u, c, nconf)
			}
			s.scores[i] = h - s.cond[i]
		}
		pick = bestUntaken(q, s.scores, s.taken)
		out = append(out, q.Unlabeled[pick])
		s.taken[pick] = true
		if sampled {
			s.extendWith(q, pick, u, c)
			continue
		}
		s.next = grow(s.next, T*nconf*c)
		for t := range T {
			p := s.pass(t, u, c, pick)
			for cf := range nconf {
				v := s.joint[cf*T+t]
				for y, py := range p {
					s.next[(cf*c+y)*T+t] = float64(v * py)
				}
			}
		}
		nconf *= c
		s.joint, s.next = s.next, s.joint
	}
	return out, nil
}

// pass returns p_t(·|x) of unlabeled position i.
func (s *batchBALD) pass(t, u, c, i int) []float64 {
	return s.mc[(i*s.samples+t)*c : (i*s.samples+t+1)*c]
}

// exactJoint is H[y_1..y_{n−1}, y_i] over every configuration of the earlier picks.
func (s *batchBALD) exactJoint(i, u, c, nconf int) float64 {
	T := s.samples
	inv := 1 / float64(T)
	var h float64
	for cf := range nconf {
		for y := range c {
			var p float64
			for t := range T {
				p += float64(s.joint[cf*T+t] * s.mc[(i*T+t)*c+y])
			}
			p *= inv
			if p > 0 {
				h -= float64(p * fmath.Log(p))
			}
		}
	}
	return h
}

// drawConfigs draws the M sampled configurations of the picks so far.
func (s *batchBALD) drawConfigs(q Query, picks []int, u, c int) {
	T, M := s.samples, s.configs
	s.prod = grow(s.prod, T*M)
	s.sampleT = grow(s.sampleT, M)
	s.pm = grow(s.pm, M)
	for m := range T * M {
		s.prod[m] = 1
	}
	for m := range M {
		s.sampleT[m] = q.Rand.IntN(T)
	}
	// The picks are unlabeled positions recovered from their rows (few, in order).
	for _, row := range picks {
		j := s.position(q, row)
		s.extendWith(q, j, u, c)
	}
}

// extendWith extends every sample by unlabeled position j, its class drawn from the
// sample's own pass, and refreshes p(ŷ^m).
func (s *batchBALD) extendWith(q Query, j, u, c int) {
	T, M := s.samples, s.configs
	for m := range M {
		y := drawClass(q.Rand.Float64(), s.pass(s.sampleT[m], u, c, j))
		for t := range T {
			s.prod[m*T+t] *= s.mc[(j*T+t)*c+y]
		}
	}
	inv := 1 / float64(T)
	for m := range M {
		var p float64
		for t := range T {
			p += s.prod[m*T+t]
		}
		s.pm[m] = float64(p * inv)
	}
}

// position returns the unlabeled position of a picked row.
func (s *batchBALD) position(q Query, row int) int {
	lo, hi := 0, len(q.Unlabeled)
	for lo < hi {
		mid := (lo + hi) / 2
		if q.Unlabeled[mid] < row {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

// drawClass returns the class whose cumulative probability first exceeds r ∈ [0, 1),
// the last class with positive probability against rounding.
func drawClass(r float64, p []float64) int {
	var acc float64
	last := 0
	for y, v := range p {
		if v > 0 {
			last = y
		}
		acc += v
		if r < acc {
			return y
		}
	}
	return last
}

// sampledJoint is the M-sample estimate of H[y_1..y_{n−1}, y_i].
func (s *batchBALD) sampledJoint(i, u, c int) float64 {
	T, M := s.samples, s.configs
	inv := 1 / float64(T)
	var h float64
	for m := range M {
		if s.pm[m] == 0 {
			continue // an underflowed sample (a long batch of tiny probabilities) carries no weight
		}
		for y := range c {
			var p float64
			for t := range T {
				p += float64(s.prod[m*T+t] * s.mc[(i*T+t)*c+y])
			}
			p *= inv
			if p > 0 {
				h -= float64(float64(p/s.pm[m]) * fmath.Log(p))
			}
		}
	}
	return h / float64(M)
}
