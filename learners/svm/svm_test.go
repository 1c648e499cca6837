package svm

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"testing"

	"albench/nets"
)

// TestTwoPointsByHand: x₁ = 2 (class 0, y = +1), x₂ = 0 (class 1, y = −1), linear
// kernel. Q = [[4, 0], [0, 0]], yᵀα = 0 forces α₁ = α₂ = a, the dual is 2a² − 2a,
// so a = ½, w = ½·2 = 1, ∇ = Qα − 1 = (1, −1), both α free so rho = mean y∇ = 1:
// libsvm's f(x) = x − 1, scikit-learn's decision 1 − x, objective −½.
func TestTwoPointsByHand(t *testing.T) {
	x := &nets.Matrix{Rows: 2, Cols: 1, Data: []float64{2, 0}}
	m, err := Params{Kernel: "linear"}.Fit(context.Background(), x, []int{0, 1}, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	coef := m.DualCoef(0)
	if len(coef) != 2 || coef[0] != -0.5 || coef[1] != 0.5 {
		t.Errorf("dual coefficients %v, want [-0.5 0.5]", coef)
	}
	if m.Intercept(0) != 1 || m.Objective(0) != -0.5 {
		t.Errorf("intercept %v objective %v, want 1 and -0.5", m.Intercept(0), m.Objective(0))
	}
	q := &nets.Matrix{Rows: 3, Cols: 1, Data: []float64{1, 3, -1}}
	var dec nets.Matrix
	m.Decision(q, &dec)
	for i, want := range []float64{0, -2, 2} {
		if dec.Data[i] != want {
			t.Errorf("decision at %v: %v, want %v", q.Data[i], dec.Data[i], want)
		}
	}
	pred := make([]int, 3)
	m.Predict(q, pred)
	// f = 0 at x = 1: libsvm votes for the second class unless f > 0.
	if pred[0] != 1 || pred[1] != 0 || pred[2] != 1 {
		t.Errorf("predictions %v, want [1 0 1]", pred)
	}

	// With C = ¼ both α are at the bound: a = ¼, w = ½, ∇ = (0, −1)·… : y∇ = (0, 1)
	// − no free α, so rho is the midpoint of [max over lower set, min over upper]:
	// y=+1 at C gives lb = y∇₁ = 4·¼ − 1 = 0, y=−1 at C gives ub = y∇₂ = 1: rho = ½.
	m, err = Params{Kernel: "linear", C: 0.25}.Fit(context.Background(), x, []int{0, 1}, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	if m.Intercept(0) != 0.5 || m.Objective(0) != 0.5*4*0.0625-0.5 {
		t.Errorf("C=1/4: intercept %v objective %v, want 0.5 and -0.375", m.Intercept(0), m.Objective(0))
	}
}

// randomProblem returns n points in d dimensions with labels in [0, k) from a
// noisy nonlinear rule.
func randomProblem(rng *rand.Rand, n, d, k int) (*nets.Matrix, []int) {
	x := nets.NewMatrix(n, d)
	y := make([]int, n)
	for i := range n {
		r := x.Row(i)
		s := 0.0
		for j := range r {
			r[j] = rng.NormFloat64()
			s += r[j] * float64(j%3-1)
		}
		s += 0.5*r[0]*r[0] + 0.3*rng.NormFloat64()
		c := int(math.Floor(s + float64(k)/2))
		y[i] = min(max(c, 0), k-1)
	}
	return x, y
}

// TestKKT checks the solutions against the optimality conditions recomputed in
// float64 from scratch: 0 ≤ α ≤ C, yᵀα = 0, and the maximal violation
// max_{I_up} −y_i∇_i − min_{I_low} −y_i∇_i below Tol (plus the float32 rounding
// of Q the solver works with).
func TestKKT(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	worstKKT := 0.0
	defer func() { t.Logf("largest violation / tol: %.3g", worstKKT) }()
	for trial := range 24 {
		n, d, k := 20+rng.IntN(120), 1+rng.IntN(6), 2+rng.IntN(3)
		x, y := randomProblem(rng, n, d, k)
		p := Params{Kernel: []string{"rbf", "linear", "poly"}[trial%3], C: []float64{0.1, 1, 10, 100}[trial%4],
			Coef0: 1, NoShrinking: trial%5 == 0}
		if p.Kernel == "poly" {
			p.GammaMode = "auto"
		}
		m, err := p.Fit(context.Background(), x, y, k, nil)
		if err != nil {
			t.Fatal(err)
		}
		alpha := make([]float64, n)
		for pi := range m.NumPairs() {
			ci, cj := m.Pair(pi)
			clear(alpha)
			for t2, r := range m.pairs[pi].train {
				alpha[r] = math.Abs(m.pairs[pi].coef[t2])
			}
			sum := 0.0
			up, low := math.Inf(-1), math.Inf(1)
			for i := range n {
				if y[i] != ci && y[i] != cj {
					continue
				}
				yi := 1.0
				if y[i] == cj {
					yi = -1
				}
				if alpha[i] < 0 || alpha[i] > p.c()+1e-12 {
					t.Fatalf("trial %d: α %v outside [0, %v]", trial, alpha[i], p.c())
				}
				sum += yi * alpha[i]
				g := -1.0
				xi := x.Row(i)
				for j := range n {
					if alpha[j] == 0 {
						continue
					}
					yj := 1.0
					if y[j] == cj {
						yj = -1
					}
					xj := x.Row(j)
					g += yi * yj * alpha[j] * m.kern.eval(xi, xj, dot(xi, xi), dot(xj, xj))
				}
				v := -yi * g
				if (yi > 0 && alpha[i] < p.c()) || (yi < 0 && alpha[i] > 0) {
					up = max(up, v)
				}
				if (yi > 0 && alpha[i] > 0) || (yi < 0 && alpha[i] < p.c()) {
					low = min(low, v)
				}
			}
			if math.Abs(sum) > 1e-9*max(1, p.c()) {
				t.Errorf("trial %d pair %d: yᵀα = %v", trial, pi, sum)
			}
			// float32 Q: each ∇_i is off by at most Σ_j α_j |K_ij| · 2⁻²⁴.
			slack := 0.0
			for j := range n {
				if alpha[j] > 0 {
					xj := x.Row(j)
					slack += alpha[j] * math.Abs(m.kern.eval(xj, xj, dot(xj, xj), dot(xj, xj)))
				}
			}
			slack *= 2 * 0x1p-24
			worstKKT = max(worstKKT, (up-low)/p.tol())
			if up-low > p.tol()+2*slack {
				t.Errorf("trial %d pair %d (%s C=%v n=%d): KKT violation %v", trial, pi, p.Kernel, p.C, n, up-low)
			}
		}
	}
}

// TestPlattAgainstScipy compares sigmoidTrain with the minimiser scipy's BFGS
// finds for the same smoothed cross-entropy (testdata/platt.json).
func TestPlattAgainstScipy(t *testing.T) {
	b, err := os.ReadFile("testdata/platt.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Dec   []float64
		Label []int
		A, B  float64
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	sy := make([]int8, len(ref.Label))
	var n1, n0 float64
	for i, l := range ref.Label {
		sy[i] = int8(l)
		if l > 0 {
			n1++
		} else {
			n0++
		}
	}
	a, bb := sigmoidTrain(ref.Dec, sy)
	if relErr(a, ref.A) > 1e-5 || relErr(bb, ref.B) > 1e-5 {
		t.Errorf("Platt (A, B) = (%v, %v), scipy (%v, %v)", a, bb, ref.A, ref.B)
	}
	// The gradient of the smoothed cross-entropy vanishes at (A, B).
	var g1, g2 float64
	for i, f := range ref.Dec {
		tgt := 1 / (n0 + 2)
		if sy[i] > 0 {
			tgt = (n1 + 1) / (n1 + 2)
		}
		p := 1 / (1 + math.Exp(f*a+bb))
		g1 += f * (tgt - p)
		g2 += tgt - p
	}
	if math.Abs(g1) > 1e-5 || math.Abs(g2) > 1e-5 {
		t.Errorf("gradient at the Platt fit (%v, %v)", g1, g2)
	}
}

// TestPairwiseCoupling: consistent pairwise probabilities r_ij = p_i/(p_i + p_j)
// give back p, and for noisy r the result is a distribution satisfying the
// optimality condition (Qp)_t = pᵀQp to the stopping tolerance.
func TestPairwiseCoupling(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	for _, k := range []int{3, 4, 7} {
		want := make([]float64, k)
		s := 0.0
		for i := range want {
			want[i] = 0.1 + rng.Float64()
			s += want[i]
		}
		for i := range want {
			want[i] /= s
		}
		r := make([]float64, k*k)
		for i := range k {
			for j := range k {
				if i != j {
					r[i*k+j] = want[i] / (want[i] + want[j])
				}
			}
		}
		scratch, p := make([]float64, k*k+k), make([]float64, k)
		multiclassProbability(k, r, scratch, p)
		for i := range p {
			if math.Abs(p[i]-want[i]) > 1e-3 {
				t.Errorf("k=%d consistent: p %v, want %v", k, p, want)
				break
			}
		}
		for i := range k {
			for j := i + 1; j < k; j++ {
				v := min(max(r[i*k+j]+0.2*(rng.Float64()-0.5), 0.01), 0.99)
				r[i*k+j], r[j*k+i] = v, 1-v
			}
		}
		multiclassProbability(k, r, scratch, p)
		sum, pQp := 0.0, 0.0
		qp := make([]float64, k)
		for i := range k {
			sum += p[i]
			for j := range k {
				var q float64
				if i == j {
					for m := range k {
						if m != i {
							q += r[m*k+i] * r[m*k+i]
						}
					}
				} else {
					q = -r[j*k+i] * r[i*k+j]
				}
				qp[i] += q * p[j]
			}
		}
		for i := range k {
			pQp += p[i] * qp[i]
		}
		for i := range k {
			if math.Abs(qp[i]-pQp) > 0.005/float64(k) || p[i] < 0 {
				t.Errorf("k=%d: (Qp)_%d = %v, pᵀQp = %v, p = %v", k, i, qp[i], pQp, p)
			}
		}
		if math.Abs(sum-1) > 1e-12 {
			t.Errorf("k=%d: Σp = %v", k, sum)
		}
	}
}

// TestAbsentClass: with class 1 of iris missing, the model is the (0, 2) binary
// problem; class 1 is never predicted, has probability 0 and decision −1.
func TestAbsentClass(t *testing.T) {
	f := loadFixture(t, "iris")
	var rows []int
	var y3, y2 []int
	for i, c := range f.YTrain {
		if c != 1 {
			rows = append(rows, i)
			y3 = append(y3, c)
			y2 = append(y2, c/2)
		}
	}
	var x nets.Matrix
	x.Gather(toMatrix(f.XTrain), rows)
	xte := toMatrix(f.XTest)
	p := Params{Probability: true}
	m3, err := p.Fit(context.Background(), &x, y3, 3, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	m2, err := p.Fit(context.Background(), &x, y2, 2, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	if m3.NumPairs() != 1 {
		t.Fatalf("%d pairs with two present classes", m3.NumPairs())
	}
	var ovo, d2, d3, p3, p2 nets.Matrix
	m3.DecisionOvO(xte, &ovo)
	m2.Decision(xte, &d2)
	m3.Decision(xte, &d3)
	m3.Probs(xte, &p3)
	m2.Probs(xte, &p2)
	pred := make([]int, xte.Rows)
	m3.Predict(xte, pred)
	for i := range xte.Rows {
		if ovo.Data[i] != -d2.Data[i] {
			t.Errorf("row %d: ovo %v, binary decision %v", i, ovo.Data[i], d2.Data[i])
		}
		if pred[i] == 1 || d3.Row(i)[1] != -1 || p3.Row(i)[1] != 0 {
			t.Errorf("row %d: absent class predicted %d, decision %v, probability %v", i, pred[i], d3.Row(i), p3.Row(i))
		}
		if p3.Row(i)[0] != p2.Row(i)[0] || p3.Row(i)[2] != p2.Row(i)[1] {
			t.Errorf("row %d: probabilities %v, binary %v", i, p3.Row(i), p2.Row(i))
		}
	}
}

func TestSingleClassIsConstant(t *testing.T) {
	x := &nets.Matrix{Rows: 3, Cols: 2, Data: []float64{1, 2, 3, 4, 5, 6}}
	m, err := Params{Probability: true}.Fit(context.Background(), x, []int{2, 2, 2}, 4, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	pred := make([]int, 3)
	m.Predict(x, pred)
	var pr, dec nets.Matrix
	m.Probs(x, &pr)
	m.Decision(x, &dec)
	for i := range pred {
		if pred[i] != 2 || pr.Row(i)[2] != 1 || pr.Row(i)[0] != 0 || dec.Row(i)[2] != 0 || dec.Row(i)[1] != -1 {
			t.Errorf("row %d: predicted %d, probabilities %v, decision %v", i, pred[i], pr.Row(i), dec.Row(i))
		}
	}
	m, err = Params{}.Fit(context.Background(), x, []int{1, 1, 1}, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	m.Decision(x, &dec)
	if dec.Data[0] != 1 || m.HasProbs() {
		t.Errorf("binary constant class 1: decision %v, HasProbs %v", dec.Data[0], m.HasProbs())
	}
}

// TestVoteTieLowestClass: three classes with one vote each: class 0 wins.
func TestVoteTieLowestClass(t *testing.T) {
	m := &Model{classes: 3, present: []int{0, 1, 2},
		pairs: []pair{{ci: 0, cj: 1}, {ci: 0, cj: 2}, {ci: 1, cj: 2}}}
	for _, c := range []struct {
		dec  []float64
		want int
	}{
		{[]float64{1, -1, 1}, 0},   // 0, 2, 1: a tie of all three
		{[]float64{-1, 1, -1}, 0},  // 1, 0, 2
		{[]float64{-1, -1, 1}, 1},  // 1, 2, 1
		{[]float64{-1, -1, -1}, 2}, // 1, 2, 2
		{[]float64{0, 0, 0}, 2},    // f = 0 votes for the second class
	} {
		m.dec = c.dec
		if got := m.vote(); got != c.want {
			t.Errorf("votes for %v: %d, want %d", c.dec, got, c.want)
		}
	}
}

func TestContextCancelled(t *testing.T) {
	x, y := randomProblem(rand.New(rand.NewPCG(2, 2)), 400, 5, 2)
	p := Params{C: 1000}
	m, err := p.Fit(context.Background(), x, y, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	if it, _ := m.Iterations(0); it < 1000 {
		t.Fatalf("only %d iterations: the test needs more than 1000", it)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := p.Fit(ctx, x, y, 2, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled fit returned %v", err)
	}
	s := p.NewSession(x, nil, 2)
	rows := make([]int, x.Rows)
	for i := range rows {
		rows[i] = i
	}
	if _, err := s.Fit(ctx, rows, y, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled session fit returned %v", err)
	}
	// The session recovers on the next round.
	wm, err := s.Fit(context.Background(), rows, y, nil)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(wm.Objective(0)-m.Objective(0)) > p.tol()*math.Abs(m.Objective(0)) {
		t.Errorf("after a cancelled round the objective is %v, cold %v", wm.Objective(0), m.Objective(0))
	}
}

func TestDeterministic(t *testing.T) {
	x, y := randomProblem(rand.New(rand.NewPCG(3, 3)), 150, 4, 3)
	var out [2]nets.Matrix
	for k := range out {
		m, err := Params{Probability: true}.Fit(context.Background(), x, y, 3, rand.New(rand.NewPCG(4, 4)))
		if err != nil {
			t.Fatal(err)
		}
		m.Probs(x, &out[k])
	}
	for i := range out[0].Data {
		if math.Float64bits(out[0].Data[i]) != math.Float64bits(out[1].Data[i]) {
			t.Fatalf("probability %d: %v then %v", i, out[0].Data[i], out[1].Data[i])
		}
	}
}

func TestValidate(t *testing.T) {
	for _, p := range []Params{
		{Kernel: "sigmoid"}, {C: -1}, {Gamma: -1}, {Gamma: 1, GammaMode: "auto"},
		{GammaMode: "fixed"}, {Degree: -2}, {Tol: -1}, {CacheMB: -1}, {Coef0: math.NaN()},
	} {
		if p.Validate() == nil {
			t.Errorf("%+v is accepted", p)
		}
	}
	for _, p := range []Params{{}, {Kernel: "poly", Degree: 2, Gamma: 0.5}, {GammaMode: "auto", C: 3}} {
		if err := p.Validate(); err != nil {
			t.Errorf("%+v: %v", p, err)
		}
	}
	x := &nets.Matrix{Rows: 2, Cols: 1, Data: []float64{0, 1}}
	if _, err := (Params{}).Fit(context.Background(), x, []int{0, 2}, 2, nil); err == nil {
		t.Error("label 2 of 2 classes accepted")
	}
	if _, err := (Params{Probability: true}).Fit(context.Background(), x, []int{0, 1}, 2, nil); err == nil {
		t.Error("Probability without an rng accepted")
	}
}

func TestProbsPanicsWithoutProbability(t *testing.T) {
	x := &nets.Matrix{Rows: 2, Cols: 1, Data: []float64{0, 1}}
	m, err := Params{}.Fit(context.Background(), x, []int{0, 1}, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if recover() == nil {
			t.Error("Probs did not panic")
		}
	}()
	var out nets.Matrix
	m.Probs(x, &out)
}

// TestCacheSizeDoesNotChangeResults: the kernel caches only save work, so a
// cache of a few rows (evicting all the time, dropping rows on swaps) gives the
// same bits as one holding everything, for Fit and for a session.
func TestCacheSizeDoesNotChangeResults(t *testing.T) {
	f := loadFixture(t, "breast_cancer")
	x, test := toMatrix(f.XTrain), toMatrix(f.XTest)
	ctx := context.Background()
	var d1, d2 nets.Matrix
	// A problem long enough for shrinking to swap variables in the cache.
	hx, hy := randomProblem(rand.New(rand.NewPCG(2, 2)), 400, 5, 2)
	big, err := Params{C: 1000}.Fit(ctx, hx, hy, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	small, err := Params{C: 1000, CacheMB: 0.01}.Fit(ctx, hx, hy, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	big.Decision(hx, &d1)
	small.Decision(hx, &d2)
	bi, _ := big.Iterations(0)
	si, _ := small.Iterations(0)
	if bi != si || big.Objective(0) != small.Objective(0) {
		t.Errorf("iterations %d vs %d, objective %v vs %v", bi, si, big.Objective(0), small.Objective(0))
	}
	for i := range d1.Data {
		if d1.Data[i] != d2.Data[i] {
			t.Fatalf("decision %d: %v with a large cache, %v with a small one", i, d1.Data[i], d2.Data[i])
		}
	}

	order := rand.New(rand.NewPCG(8, 8)).Perm(x.Rows)
	labels := make([]int, len(order))
	for k, r := range order {
		labels[k] = f.YTrain[r]
	}
	sb := Params{C: 10, GammaMode: "auto"}.NewSession(x, []*nets.Matrix{test}, 2)
	ss := Params{C: 10, GammaMode: "auto", CacheMB: 0.02}.NewSession(x, []*nets.Matrix{test}, 2)
	e1, e2 := make([]float64, test.Rows), make([]float64, test.Rows)
	for n := 10; n <= len(order); n += 37 {
		mb, err := sb.Fit(ctx, order[:n], labels[:n], nil)
		if err != nil {
			t.Fatal(err)
		}
		ms, err := ss.Fit(ctx, order[:n], labels[:n], nil)
		if err != nil {
			t.Fatal(err)
		}
		mb.EvalDecision(0, e1)
		ms.EvalDecision(0, e2)
		if mb.Objective(0) != ms.Objective(0) {
			t.Fatalf("%d labels: objective %v with a large cache, %v with a small one", n, mb.Objective(0), ms.Objective(0))
		}
		for i := range e1 {
			if e1[i] != e2[i] {
				t.Fatalf("%d labels: decision %d: %v vs %v", n, i, e1[i], e2[i])
			}
		}
	}
}
