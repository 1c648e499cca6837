package strategies

import (
	"context"
	"math"

	"albench/internal/fmath"
	"albench/nets"
)

// dwus is density-weighted uncertainty sampling (Nguyen & Smeulders 2004, "Active
// learning using pre-clustering", ICML), in the form of the comparative survey of
// Zhan et al. (2021, "A comparative survey: benchmarking for pool-based active
// learning", IJCAI): the uncertainty of a point weighted by how likely the pool's
// distribution makes it,
//
//	DWUS(x) = u(x) × p(x),   p(x) = Σ_k π_k N(x; μ_k, diag σ_k²)
//
// with p a Gaussian mixture of `components` diagonal-covariance components (default
// 10, capped at the pool size) fitted by EM to the whole pool, labeled and unlabeled
// rows, on the features z-scored over the pool (a per-feature rescaling changes every
// density by the same factor, so the ranking is that of the raw features; it only
// conditions EM). Nguyen & Smeulders weight the expected error of the current
// prediction, E[(ŷ − y)² | x], which for a 0/1 label is the probability of the other
// class; u is therefore least confidence 1 − max_y p(y|x) by default, or entropy, or
// 1 − margin (param base). Rows are ranked by log u(x) + log p(x), the same order
// without the underflow of p(x) in many dimensions; u(x) = 0 ranks last. Ties go by
// Query.TieRank.
//
// EM starts from k-means (k-means++ seeding from q.Rand, as scikit-learn's default
// initialisation): means at the centres, weights the cluster shares, variances the
// within-cluster ones; every variance gets 1e-6 added (scikit-learn's reg_covar) so
// a component cannot collapse onto one point. It stops when the mean log-likelihood
// gains less than 1e-3 or after 100 iterations. The mixture is fitted once per trial
// (the pool does not change): O(I·N·K·d) once, then O(N·C) per round.
type dwus struct {
	components int
	measure    func(p []float64) float64

	space lbSpace
	km    lbKMeans
	pool  *nets.Matrix // the pool logp was computed for
	logp  []float64    // log p(x) of each pool row
	w     []float64    // mixture weights, log weights
	mu    nets.Matrix  // K × d means
	vr    nets.Matrix  // K × d variances
	resp  nets.Matrix  // N × K responsibilities
	norm  []float64    // per component: log π_k − ½ Σ_j log(2π σ²_kj)
	nk    []float64
	probScratch
	scores []float64
	rank   ranker
}

// dwusReg is added to every variance, as scikit-learn's reg_covar.
const dwusReg = 1e-6

func (*dwus) Name() string { return "dwus" }

func (s *dwus) Select(ctx context.Context, q Query) ([]int, error) {
	k := batchSize(q)
	if k == 0 {
		return []int{}, nil
	}
	if s.pool != q.Pool || len(s.logp) != q.Pool.Rows {
		if err := s.fitMixture(ctx, s.space.standardized(q.Pool), q); err != nil {
			return nil, err
		}
		s.pool = q.Pool
	}
	p := s.probs(q)
	s.scores = grow(s.scores, p.Rows)
	for i, r := range q.Unlabeled {
		u := s.measure(p.Row(i))
		switch {
		case u > 0:
			s.scores[i] = fmath.Log(u) + s.logp[r]
		case u == 0 || u < 0:
			s.scores[i] = math.Inf(-1)
		default:
			s.scores[i] = u // NaN: ranks last
		}
	}
	return s.rank.topK(q.TieRank, q.Unlabeled, s.scores, k), nil
}

// fitMixture fits the mixture to the rows of z by EM and leaves log p(x) of each row
// in s.logp.
func (s *dwus) fitMixture(ctx context.Context, z *nets.Matrix, q Query) error {
	n, d := z.Rows, z.Cols
	kc := min(s.components, n)
	s.km.fit(z, kc, q.Rand)
	s.w, s.nk, s.norm = grow(s.w, kc), grow(s.nk, kc), grow(s.norm, kc)
	s.mu.Resize(kc, d)
	s.vr.Resize(kc, d)
	s.resp.Resize(n, kc)
	clear(s.w)
	clear(s.resp.Data)
	for i, c := range s.km.assign {
		s.resp.Data[i*kc+c] = 1
	}
	s.mStep(z)
	s.logp = grow(s.logp, n)
	prev := math.Inf(-1)
	for range 100 {
		if err := ctx.Err(); err != nil {
			return err
		}
		ll := s.eStep(z)
		s.mStep(z)
		if ll-prev < 1e-3 {
			break
		}
		prev = ll
	}
	// The densities of the final parameters.
	s.eStep(z)
	return nil
}

// mStep sets the weights, means and variances from the responsibilities. A
// component with no weight keeps its previous parameters (or, at the start, a unit
// variance around the origin of the z-scored features).
func (s *dwus) mStep(z *nets.Matrix) {
	n, d, kc := z.Rows, z.Cols, len(s.w)
	clear(s.nk)
	for i := range n {
		for c, r := range s.resp.Row(i) {
			s.nk[c] += r
		}
	}
	for c := range kc {
		if !(s.nk[c] > 1e-12) {
			if s.w[c] == 0 {
				clear(s.mu.Row(c))
				for j := range d {
					s.vr.Data[c*d+j] = 1
				}
			}
			s.w[c] = 0
			continue
		}
		s.w[c] = s.nk[c] / float64(n)
		mu, vr := s.mu.Row(c), s.vr.Row(c)
		clear(mu)
		for i := range n {
			r := s.resp.Data[i*kc+c]
			for j, v := range z.Row(i) {
				mu[j] += float64(r * v)
			}
		}
		inv := 1 / s.nk[c]
		for j := range mu {
			mu[j] *= inv
		}
		clear(vr)
		for i := range n {
			r := s.resp.Data[i*kc+c]
			for j, v := range z.Row(i) {
				e := v - mu[j]
				vr[j] += float64(r * float64(e*e))
			}
		}
		for j := range vr {
			vr[j] = float64(vr[j]*inv) + dwusReg
		}
	}
}

// eStep sets the responsibilities and s.logp from the parameters and returns the
// mean log-likelihood of the rows.
func (s *dwus) eStep(z *nets.Matrix) float64 {
	n, kc := z.Rows, len(s.w)
	log2pi := fmath.Log(2 * math.Pi)
	for c := range kc {
		if s.w[c] == 0 {
			s.norm[c] = math.Inf(-1)
			continue
		}
		v := fmath.Log(s.w[c])
		for _, sd := range s.vr.Row(c) {
			v -= float64(0.5 * (log2pi + fmath.Log(sd)))
		}
		s.norm[c] = v
	}
	var total float64
	for i := range n {
		x, lr := z.Row(i), s.resp.Row(i)
		top := math.Inf(-1)
		for c := range kc {
			if math.IsInf(s.norm[c], -1) {
				lr[c] = s.norm[c]
				continue
			}
			var q float64
			mu, vr := s.mu.Row(c), s.vr.Row(c)
			for j, v := range x {
				e := v - mu[j]
				q += float64(e*e) / vr[j]
			}
			lr[c] = s.norm[c] - float64(0.5*q)
			top = math.Max(top, lr[c])
		}
		var sum float64
		for c := range kc {
			lr[c] = fmath.Exp(lr[c] - top)
			sum += lr[c]
		}
		for c := range kc {
			lr[c] /= sum
		}
		s.logp[i] = top + fmath.Log(sum)
		total += s.logp[i]
	}
	return total / float64(n)
}
