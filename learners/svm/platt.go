package svm

import (
	"context"
	"math"
	"math/rand/v2"

	"albench/nets"
)

// minProb clips the pairwise probabilities to [minProb, 1 − minProb] (libsvm).
const minProb = 1e-7

// binaryProbability fits Platt's sigmoid for one binary problem (rows of x, labels
// sy) on decision values from libsvm's internal 5-fold cross-validation: the rows
// are shuffled by a Fisher–Yates pass drawn from rng, fold f is positions
// [f·l/5, (f+1)·l/5) of the shuffle, and each fold's values come from a cold fit
// on the other four folds (a constant ±1, or 0, when those hold a single class or
// nothing).
func (p Params) binaryProbability(ctx context.Context, x *nets.Matrix, sy []int8, kern *kernel,
	rng *rand.Rand, sol *solver) (a, b float64, err error) {
	l := x.Rows
	perm := make([]int, l)
	for i := range perm {
		perm[i] = i
	}
	for i := range l {
		j := i + rng.IntN(l-i)
		perm[i], perm[j] = perm[j], perm[i]
	}
	const nrFold = 5
	dec := make([]float64, l)
	var sub nets.Matrix
	var rows []int
	var ty []int8
	var capErr error
	for f := range nrFold {
		begin, end := f*l/nrFold, (f+1)*l/nrFold
		rows, ty = rows[:0], ty[:0]
		npos, nneg := 0, 0
		for _, sign := range []int8{1, -1} {
			for k, r := range perm {
				if (k < begin || k >= end) && sy[r] == sign {
					rows = append(rows, r)
					ty = append(ty, sign)
					if sign == 1 {
						npos++
					} else {
						nneg++
					}
				}
			}
		}
		var constant float64
		switch {
		case npos == 0 && nneg == 0:
			constant = 0
		case nneg == 0:
			constant = 1
		case npos == 0:
			constant = -1
		default:
			sub.Gather(x, rows)
			alpha := make([]float64, len(rows))
			res, err := p.trainBinary(ctx, &sub, ty, kern, alpha, sol)
			if err != nil {
				return 0, 0, err
			}
			if res.capped {
				capErr = ErrIterationCap
			}
			for _, r := range perm[begin:end] {
				xr := x.Row(r)
				sr := dot(xr, xr)
				var s float64
				for t, al := range alpha {
					if al > 0 {
						st := sub.Row(t)
						s += float64(float64(float64(ty[t])*al) * kern.eval(xr, st, sr, dot(st, st)))
					}
				}
				dec[r] = s - res.rho
			}
			continue
		}
		for _, r := range perm[begin:end] {
			dec[r] = constant
		}
	}
	a, b = sigmoidTrain(dec, sy)
	return a, b, capErr
}

// sigmoidTrain fits P(y = +1 | f) = 1/(1 + exp(A f + B)) to decision values f by
// the method of Lin, Lin & Weng (2007, "A note on Platt's probabilistic outputs
// for support vector machines", Machine Learning 68): Platt's smoothed targets
//
//	t₊ = (N₊ + 1)/(N₊ + 2),   t₋ = 1/(N₋ + 2),
//
// start A = 0, B = log((N₋ + 1)/(N₊ + 1)), and Newton steps on the cross-entropy
// F(A, B) = Σ −t log p − (1 − t) log(1 − p) with the Hessian regularised by 1e−12,
// a backtracking line search (halving from step 1 until the Armijo condition with
// 1e−4 holds, giving up below 1e−10), evaluated in the overflow-free form, and at
// most 100 iterations; it stops when both gradient components are below 1e−5.
func sigmoidTrain(dec []float64, sy []int8) (a, b float64) {
	var prior1, prior0 float64
	for _, s := range sy {
		if s > 0 {
			prior1++
		} else {
			prior0++
		}
	}
	const (
		maxIter = 100
		minStep = 1e-10
		sigma   = 1e-12
		eps     = 1e-5
	)
	hi := (prior1 + 1) / (prior1 + 2)
	lo := 1 / (prior0 + 2)
	target := func(i int) float64 {
		if sy[i] > 0 {
			return hi
		}
		return lo
	}
	objective := func(a, b float64) float64 {
		var f float64
		for i, d := range dec {
			t := target(i)
			fApB := float64(d*a) + b
			if fApB >= 0 {
				f += float64(t*fApB) + log(1+exp(-fApB))
			} else {
				f += float64((t-1)*fApB) + log(1+exp(fApB))
			}
		}
		return f
	}
	a, b = 0, log((prior0+1)/(prior1+1))
	fval := objective(a, b)
	for range maxIter {
		h11, h22, h21, g1, g2 := sigma, sigma, 0.0, 0.0, 0.0
		for i, d := range dec {
			fApB := float64(d*a) + b
			var p, q float64
			if fApB >= 0 {
				e := exp(-fApB)
				p, q = e/(1+e), 1/(1+e)
			} else {
				e := exp(fApB)
				p, q = 1/(1+e), e/(1+e)
			}
			d2 := float64(p * q)
			h11 += float64(float64(d*d) * d2)
			h22 += d2
			h21 += float64(d * d2)
			d1 := target(i) - p
			g1 += float64(d * d1)
			g2 += d1
		}
		if math.Abs(g1) < eps && math.Abs(g2) < eps {
			break
		}
		det := float64(h11*h22) - float64(h21*h21)
		dA := -(float64(h22*g1) - float64(h21*g2)) / det
		dB := -(float64(-h21*g1) + float64(h11*g2)) / det
		gd := float64(g1*dA) + float64(g2*dB)
		step := 1.0
		for step >= minStep {
			na, nb := a+float64(step*dA), b+float64(step*dB)
			nf := objective(na, nb)
			if nf < fval+float64(float64(0.0001*step)*gd) {
				a, b, fval = na, nb, nf
				break
			}
			step /= 2
		}
		if step < minStep {
			break // line search failed
		}
	}
	return a, b
}

// sigmoidPredict is 1/(1 + exp(A f + B)) in the form that cannot overflow.
func sigmoidPredict(f, a, b float64) float64 {
	fApB := float64(f*a) + b
	if fApB >= 0 {
		e := exp(-fApB)
		return e / (1 + e)
	}
	return 1 / (1 + exp(fApB))
}

// multiclassProbability solves the pairwise-coupling problem of Wu, Lin & Weng
// (2004, "Probability estimates for multi-class classification by pairwise
// coupling", JMLR 5, method 2):
//
//	min_p ½ pᵀQp  subject to Σ p = 1,   Q_tt = Σ_{j≠t} r_jt²,  Q_tj = −r_jt r_tj,
//
// by its fixed-point iteration, one coordinate at a time, until
// max_t |(Qp)_t − pᵀQp| < 0.005/k or max(100, k) sweeps. r is k×k row-major with
// r[i][j] ≈ P(i | i or j); scratch holds k² + k floats; p receives the result.
func multiclassProbability(k int, r, scratch, p []float64) {
	q := scratch[:k*k]
	qp := scratch[k*k : k*k+k]
	for t := range k {
		p[t] = 1 / float64(k)
		q[t*k+t] = 0
		for j := range t {
			q[t*k+t] += float64(r[j*k+t] * r[j*k+t])
			q[t*k+j] = q[j*k+t]
		}
		for j := t + 1; j < k; j++ {
			q[t*k+t] += float64(r[j*k+t] * r[j*k+t])
			q[t*k+j] = -r[j*k+t] * r[t*k+j]
		}
	}
	maxIter := max(100, k)
	eps := 0.005 / float64(k)
	for range maxIter {
		var pQp float64
		for t := range k {
			qp[t] = 0
			for j := range k {
				qp[t] += float64(q[t*k+j] * p[j])
			}
			pQp += float64(p[t] * qp[t])
		}
		maxErr := 0.0
		for t := range k {
			maxErr = max(maxErr, math.Abs(qp[t]-pQp))
		}
		if maxErr < eps {
			break
		}
		for t := range k {
			diff := (-qp[t] + pQp) / q[t*k+t]
			p[t] += diff
			pQp = (pQp + float64(diff*(float64(diff*q[t*k+t])+float64(2*qp[t])))) / (1 + diff) / (1 + diff)
			for j := range k {
				qp[j] = (qp[j] + float64(diff*q[t*k+j])) / (1 + diff)
				p[j] /= 1 + diff
			}
		}
	}
}

// probsFromDec sets out (length Classes()) to the probabilities given libsvm's
// decision values dec of every problem.
func (m *Model) probsFromDec(dec, out []float64) {
	for c := range out {
		out[c] = 0
	}
	if len(m.pairs) == 0 {
		out[m.present[0]] = 1
		return
	}
	k := len(m.present)
	if k == 2 {
		pr := &m.pairs[0]
		r := min(max(sigmoidPredict(dec[0], pr.probA, pr.probB), minProb), 1-minProb)
		out[pr.ci], out[pr.cj] = r, 1-r
		return
	}
	m.pr = grow(m.pr, 2*k*k+2*k)
	r, scratch, p := m.pr[:k*k], m.pr[k*k:2*k*k+k], m.pr[2*k*k+k:]
	n := 0
	for a := range k {
		for b := a + 1; b < k; b++ {
			pr := &m.pairs[n]
			v := min(max(sigmoidPredict(dec[n], pr.probA, pr.probB), minProb), 1-minProb)
			r[a*k+b], r[b*k+a] = v, 1-v
			n++
		}
	}
	multiclassProbability(k, r, scratch, p)
	for t, c := range m.present {
		out[c] = p[t]
	}
}
