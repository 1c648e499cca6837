package strategies

import (
	"context"
	"math"
	"slices"
)

// hintSVM is HintSVM (Li, Ferng & Lin 2012, "Active Learning with Hinted Support
// Vector Machine", ACML; libact's HintSVM). Each round a fraction p of the unlabeled
// rows is drawn as hints, and an SVM is trained on the labeled rows and the hints,
//
//	min ½‖w‖² + C_l Σ_{i∈L} ξ_i + C_h Σ_{h∈H} (ξ_h + ξ*_h)
//	s.t. y_i f(x_i) ≥ 1 − ξ_i,  −ε − ξ*_h ≤ f(x_h) ≤ ε + ξ_h,  ξ ≥ 0
//
// with f(x) = wᵀφ(x) + b: the labeled rows are classified, the hints kept within ε of
// the boundary, so the boundary runs through unlabeled regions the hints make dense.
// The query is the unlabeled row closest to that hinted boundary, argmin |f(x)|, the
// paper's query (libact takes argmax |f|, under a "not sure to have abs or not"
// comment). The dual is solved by hintSolver (hintsvm_solver.go).
//
// Hints are drawn without replacement by a partial Fisher–Yates shuffle of the
// unlabeled rows on q.Rand (libact draws with replacement), ⌊p·U⌋ of them. The hint
// loss is the paper's soft one with weight C_h; libact's solver reads its degree
// parameter as the loss type and, at the default degree 3, makes the hint tube hard
// (C_h = ∞). Defaults are libact's: linear kernel, C_l = C_h = 0.1, p = 0.5, γ = 0.1
// (rbf, poly), degree 3, coef0 0, ε = 0.1, tol 10⁻³.
//
// Labels: two labeled classes present are −1 (the smaller) and +1; one present is +1
// for every labeled row; with more, one hinted SVM per present class (one-vs-rest,
// the same hints) and the score is min_c |f_c(x)|, the distance to the nearest
// boundary. With no labeled row f is 0 and TieRank decides.
//
// Batches: after each pick the pick joins the labeled rows with its predicted label
// (sign f, or argmax_c f_c; it leaves the hints if it was one) and the SVMs are
// retrained, so the next pick is near the moved boundary, not next to the first
// (a believer's batch); every solve starts from λ = 0.
//
// Cost: a Select runs k × (one solve per label vector) on l + 2h variables. An SMO
// iteration is O(l + 2h) plus a kernel row of O((l + h) · d) when it is not cached
// (64 MiB of rows are), and the iterations grow about linearly with the variables,
// so a solve is about quadratic in l + h, that is in the pool at a fixed p. The
// decision values cost O(n_sv · U · d), O((n_sv + U) · d) with the linear kernel
// (through w).
type hintSVM struct {
	kern           kernelFunc
	cl, ch, p, eps float64
	solver         hintSolver
	perm           []int
	points         []int
	pos            []int32 // pool row → point, −1 when not a point
	hint           []bool  // per point: a hint (not a labeled row or a pick)
	present        []int
	labY           []float64 // per point and label vector: ±1 of a labeled point or pick
	coef           []float64
	w              []float64 // the linear kernel's weight vector
	f              []float64 // per unlabeled position and label vector
	scores         []float64
	taken          []bool
}

func (*hintSVM) Name() string { return "hintsvm" }

func (s *hintSVM) Select(ctx context.Context, q Query) ([]int, error) {
	k := batchSize(q)
	if k == 0 {
		return []int{}, nil
	}
	u, l := len(q.Unlabeled), len(q.Labeled)
	nh := int(float64(u) * s.p)
	s.perm = grow(s.perm, u)
	copy(s.perm, q.Unlabeled)
	for i := range nh {
		j := i + q.Rand.IntN(u-i)
		s.perm[i], s.perm[j] = s.perm[j], s.perm[i]
	}
	// Room for the k picks, so that steady-state rounds do not reallocate.
	s.points = append(append(slices.Grow(s.points[:0], l+nh+k), q.Labeled...), s.perm[:nh]...)
	s.pos = grow(s.pos, q.Pool.Rows)
	for i := range s.pos {
		s.pos[i] = -1
	}
	s.hint = slices.Grow(s.hint[:0], l+nh+k)
	for i, r := range s.points {
		s.pos[r] = int32(i)
		s.hint = append(s.hint, i >= l)
	}

	// Label vectors: one for at most two present classes, else one per class.
	s.present = s.present[:0]
	for _, y := range q.Labels {
		if !slices.Contains(s.present, y) {
			s.present = append(s.present, y)
		}
	}
	slices.Sort(s.present)
	nvec := len(s.present)
	if nvec <= 2 {
		nvec = min(nvec, 1)
	}
	positive := func(v int) int { // the class that is +1 in vector v
		if len(s.present) <= 2 {
			return s.present[len(s.present)-1]
		}
		return s.present[v]
	}
	s.labY = grow(s.labY, (len(s.points)+k)*nvec)[:len(s.points)*nvec]
	for i, y := range q.Labels {
		for v := range nvec {
			s.labY[i*nvec+v] = -1
			if y == positive(v) {
				s.labY[i*nvec+v] = 1
			}
		}
	}

	s.f = grow(s.f, u*nvec)
	s.scores = grow(s.scores, u)
	s.taken = grow(s.taken, u)
	clear(s.taken)
	s.solver.kern = s.kern
	s.solver.reset(q.Pool, s.points, false, k)
	out := make([]int, 0, k)
	for {
		if err := s.decide(ctx, q, nvec); err != nil {
			return nil, err
		}
		for i := range u {
			d := math.Inf(1)
			for v := range nvec {
				d = min(d, math.Abs(s.f[i*nvec+v]))
			}
			if nvec == 0 {
				d = 0
			}
			s.scores[i] = -d
		}
		p := bestUntaken(q, s.scores, s.taken)
		r := q.Unlabeled[p]
		out = append(out, r)
		s.taken[p] = true
		if len(out) == k {
			return out, nil
		}
		// The pick joins the labeled points with its predicted label.
		pt := int(s.pos[r])
		if pt < 0 {
			pt = len(s.points)
			s.points = append(s.points, r)
			s.pos[r] = int32(pt)
			s.hint = append(s.hint, false)
			for range nvec {
				s.labY = append(s.labY, 0)
			}
			s.solver.reset(q.Pool, s.points, true, k-len(out))
		}
		s.hint[pt] = false
		fr := s.f[p*nvec : (p+1)*nvec]
		best := 0
		for v := range fr {
			if fr[v] > fr[best] {
				best = v
			}
		}
		for v := range nvec {
			y := -1.0
			if (nvec == 1 && fr[0] > 0) || (nvec > 1 && v == best) {
				y = 1
			}
			s.labY[pt*nvec+v] = y
		}
	}
}

// decide trains one hinted SVM per label vector on the current points and sets s.f
// to its decision values on the unlabeled rows not yet taken.
func (s *hintSVM) decide(ctx context.Context, q Query, nvec int) error {
	h := &s.solver
	for v := range nvec {
		h.reset(q.Pool, s.points, true, h.spare)
		for pt := range s.points {
			if s.hint[pt] {
				h.add(pt, 1, s.eps, s.ch)
				h.add(pt, -1, s.eps, s.ch)
			} else {
				h.add(pt, s.labY[pt*nvec+v], -1, s.cl)
			}
		}
		rho, err := h.solve(ctx)
		if err != nil {
			return err
		}
		s.coef = h.coef(s.coef)
		if s.kern.kind == "linear" {
			// f(x) = w·x − ρ with w = Σ coef_pt x_pt: O(d) per row instead of O(n_sv · d).
			d := q.Pool.Cols
			s.w = grow(s.w, d)
			clear(s.w)
			for pt, c := range s.coef {
				if c != 0 {
					for j, xv := range q.Pool.Row(s.points[pt]) {
						s.w[j] += float64(c * xv)
					}
				}
			}
			for i, r := range q.Unlabeled {
				if !s.taken[i] {
					s.f[i*nvec+v] = dot(s.w, q.Pool.Row(r)) - rho
				}
			}
			continue
		}
		for i, r := range q.Unlabeled {
			if s.taken[i] {
				continue
			}
			x := q.Pool.Row(r)
			f := -rho
			for pt, c := range s.coef {
				if c != 0 {
					f += float64(c * s.kern.eval(q.Pool.Row(s.points[pt]), x))
				}
			}
			s.f[i*nvec+v] = f
		}
	}
	return nil
}
