package svm

import (
	"context"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"albench/nets"
)

// sessionTrial runs rounds of a session adding random pool rows, checking each
// round against a cold Fit on the same rows: the dual objectives agree within
// Tol, the maintained values equal a from-scratch Decision to 1e-9, and the warm
// and cold test decision values agree within maxDiff (largest over the rows) and
// meanDiff (mean over the rows), relative to max(|f|, 1). Both solutions are only
// Tol-optimal (maximal KKT violation < Tol), so their values differ by a few Tol
// on some rows; with a small Tol they agree closely.
func sessionTrial(t *testing.T, p Params, pool, test *nets.Matrix, y []int, start, rounds, batch int,
	maxDiff, meanDiff float64) {
	t.Helper()
	rng := rand.New(rand.NewPCG(7, 11))
	order := rng.Perm(pool.Rows)
	s := p.NewSession(pool, []*nets.Matrix{test}, 2)
	ctx := context.Background()
	var x nets.Matrix
	var dec nets.Matrix
	labels := make([]int, 0, pool.Rows)
	poolDec := make([]float64, pool.Rows)
	evalDec := make([]float64, test.Rows)
	all := make([]int, pool.Rows)
	for i := range all {
		all[i] = i
	}
	var poolX nets.Matrix
	warmIters, coldIters := 0, 0
	trialWorst, trialMean := 0.0, 0.0
	for round := range rounds {
		n := min(start+round*batch, pool.Rows)
		labeled := order[:n]
		labels = labels[:0]
		for _, r := range labeled {
			labels = append(labels, y[r])
		}
		wm, err := s.Fit(ctx, labeled, labels, nil)
		if err != nil {
			t.Fatal(err)
		}
		x.Gather(pool, labeled)
		cm, err := p.Fit(ctx, &x, labels, 2, nil)
		if err != nil {
			t.Fatal(err)
		}
		if wm.NumPairs() != cm.NumPairs() {
			t.Fatalf("round %d: %d pairs warm, %d cold", round, wm.NumPairs(), cm.NumPairs())
		}
		if cm.NumPairs() == 0 {
			continue
		}
		wi, _ := wm.Iterations(0)
		ci, _ := cm.Iterations(0)
		warmIters += wi
		coldIters += ci
		wo, co := wm.Objective(0), cm.Objective(0)
		if math.Abs(wo-co) > p.tol()*max(1, math.Abs(co)) {
			t.Errorf("round %d (%d labels): objective warm %v, cold %v", round, n, wo, co)
		}
		// Maintained values against a from-scratch Decision of the same model.
		wm.EvalDecision(0, evalDec)
		wm.Decision(test, &dec)
		for i, v := range evalDec {
			if math.Abs(v-dec.Data[i]) > 1e-9*max(1, math.Abs(dec.Data[i])) {
				t.Fatalf("round %d: eval row %d maintained %v, from scratch %v", round, i, v, dec.Data[i])
			}
		}
		wm.PoolDecision(all, poolDec)
		poolX.Gather(pool, all)
		wm.Decision(&poolX, &dec)
		for i, v := range poolDec {
			if math.Abs(v-dec.Data[i]) > 1e-9*max(1, math.Abs(dec.Data[i])) {
				t.Fatalf("round %d: pool row %d maintained %v, from scratch %v", round, i, v, dec.Data[i])
			}
		}
		// Warm against cold decision values on the test rows.
		cm.Decision(test, &dec)
		worst, mean := 0.0, 0.0
		for i, v := range evalDec {
			e := relErr(v, dec.Data[i])
			worst = max(worst, e)
			mean += e / float64(len(evalDec))
		}
		if worst > maxDiff || mean > meanDiff {
			t.Errorf("round %d: warm and cold test decisions differ by %.3g relative (mean %.3g)", round, worst, mean)
		}
		trialWorst, trialMean = max(trialWorst, worst), max(trialMean, mean)
	}
	t.Logf("SMO iterations over the trial: warm %d, cold %d; warm−cold test decisions: max %.3g, largest round mean %.3g",
		warmIters, coldIters, trialWorst, trialMean)
}

func TestSessionMatchesColdBreastCancer(t *testing.T) {
	f := loadFixture(t, "breast_cancer")
	pool, test := toMatrix(f.XTrain), toMatrix(f.XTest)
	sessionTrial(t, Params{GammaMode: "auto"}, pool, test, f.YTrain, 2, 60, 1, 1e-2, 1e-3)
	sessionTrial(t, Params{Kernel: "linear", C: 0.5}, pool, test, f.YTrain, 5, 60, 3, 1e-2, 1e-3)
	sessionTrial(t, Params{GammaMode: "auto", Tol: 1e-7}, pool, test, f.YTrain, 2, 60, 1, 1e-5, 1e-6)
}

func TestSessionMatchesColdMoons(t *testing.T) {
	f := loadFixture(t, "moons")
	pool, test := toMatrix(f.XTrain), toMatrix(f.XTest)
	sessionTrial(t, Params{GammaMode: "auto", C: 10}, pool, test, f.YTrain, 1, 60, 2, 1e-2, 2e-3)
	// scale: γ changes every round, the session rebuilds but still warm starts α.
	sessionTrial(t, Params{}, pool, test, f.YTrain, 3, 30, 4, 1e-2, 1e-3)
}

func TestSessionNotPrefixStartsCold(t *testing.T) {
	f := loadFixture(t, "moons")
	pool, test := toMatrix(f.XTrain), toMatrix(f.XTest)
	p := Params{GammaMode: "auto"}
	s := p.NewSession(pool, []*nets.Matrix{test}, 2)
	ctx := context.Background()
	lab := func(rows []int) []int {
		out := make([]int, len(rows))
		for k, r := range rows {
			out[k] = f.YTrain[r]
		}
		return out
	}
	a := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}
	if _, err := s.Fit(ctx, a, lab(a), nil); err != nil {
		t.Fatal(err)
	}
	b := []int{20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33}
	wm, err := s.Fit(ctx, b, lab(b), nil)
	if err != nil {
		t.Fatal(err)
	}
	var x nets.Matrix
	x.Gather(pool, b)
	cm, err := p.Fit(ctx, &x, lab(b), 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]float64, test.Rows)
	wm.EvalDecision(0, out)
	var dec nets.Matrix
	cm.Decision(test, &dec)
	for i := range out {
		if relErr(out[i], dec.Data[i]) > 1e-9 {
			t.Fatalf("row %d: %v after a non-prefix round, cold %v", i, out[i], dec.Data[i])
		}
	}
	if wm.Objective(0) != cm.Objective(0) {
		t.Errorf("non-prefix round objective %v, cold %v", wm.Objective(0), cm.Objective(0))
	}
}

func TestSessionWarmRoundAllocatesNothing(t *testing.T) {
	f := loadFixture(t, "breast_cancer")
	pool, test := toMatrix(f.XTrain), toMatrix(f.XTest)
	s := Params{GammaMode: "auto"}.NewSession(pool, []*nets.Matrix{test}, 2)
	order := rand.New(rand.NewPCG(3, 4)).Perm(pool.Rows)
	labels := make([]int, len(order))
	for k, r := range order {
		labels[k] = f.YTrain[r]
	}
	ctx := context.Background()
	n := 100
	for ; n < 150; n++ {
		if _, err := s.Fit(ctx, order[:n], labels[:n], nil); err != nil {
			t.Fatal(err)
		}
	}
	out := make([]float64, test.Rows)
	allocs := testing.AllocsPerRun(50, func() {
		m, err := s.Fit(ctx, order[:n], labels[:n], nil)
		if err != nil {
			t.Fatal(err)
		}
		m.EvalDecision(0, out)
		n++
	})
	if allocs != 0 {
		t.Errorf("a warm round allocates %v times", allocs)
	}
}

func TestSessionProbabilityMatchesFit(t *testing.T) {
	f := loadFixture(t, "breast_cancer")
	pool, test := toMatrix(f.XTrain), toMatrix(f.XTest)
	p := Params{GammaMode: "auto", Probability: true}
	s := p.NewSession(pool, []*nets.Matrix{test}, 2)
	rows := make([]int, 150)
	for i := range rows {
		rows[i] = 2 * i
	}
	labels := make([]int, len(rows))
	for k, r := range rows {
		labels[k] = f.YTrain[r]
	}
	ctx := context.Background()
	wm, err := s.Fit(ctx, rows, labels, rand.New(rand.NewPCG(5, 5)))
	if err != nil {
		t.Fatal(err)
	}
	var x nets.Matrix
	x.Gather(pool, rows)
	cm, err := p.Fit(ctx, &x, labels, 2, rand.New(rand.NewPCG(5, 5)))
	if err != nil {
		t.Fatal(err)
	}
	wa, wb := wm.ProbAB(0)
	ca, cb := cm.ProbAB(0)
	if wa != ca || wb != cb {
		t.Errorf("Platt (A, B) = (%v, %v) in the session, (%v, %v) by Fit", wa, wb, ca, cb)
	}
	var ep, cp nets.Matrix
	wm.EvalProbs(0, &ep)
	cm.Probs(test, &cp)
	for i := range ep.Data {
		if math.Abs(ep.Data[i]-cp.Data[i]) > 1e-9 {
			t.Fatalf("probability %d: session %v, Fit %v", i, ep.Data[i], cp.Data[i])
		}
	}
	all := []int{0, 1, 2, 3}
	var pp nets.Matrix
	wm.PoolProbs(all, &pp)
	var px nets.Matrix
	px.Gather(pool, all)
	wm.Probs(&px, &cp)
	for i := range pp.Data {
		if math.Abs(pp.Data[i]-cp.Data[i]) > 1e-9 {
			t.Fatalf("pool probability %d: maintained %v, from scratch %v", i, pp.Data[i], cp.Data[i])
		}
	}
}

// TestSessionColdRoundIsFit: a session's first round on rows already grouped by
// class solves exactly the problem Fit solves, in the same order, so every bit
// agrees, through the shrinking swaps of the session's row buffers.
func TestSessionColdRoundIsFit(t *testing.T) {
	x, y := randomProblem(rand.New(rand.NewPCG(2, 2)), 400, 5, 2)
	var rows, labels []int
	for _, c := range []int{0, 1} {
		for i := range y {
			if y[i] == c {
				rows = append(rows, i)
				labels = append(labels, c)
			}
		}
	}
	for _, cache := range []float64{0, 0.05} {
		p := Params{C: 1000, CacheMB: cache}
		s := p.NewSession(x, []*nets.Matrix{x}, 2)
		ctx := context.Background()
		wm, err := s.Fit(ctx, rows, labels, nil)
		if err != nil {
			t.Fatal(err)
		}
		var g nets.Matrix
		g.Gather(x, rows)
		cm, err := p.Fit(ctx, &g, labels, 2, nil)
		if err != nil {
			t.Fatal(err)
		}
		wi, _ := wm.Iterations(0)
		ci, _ := cm.Iterations(0)
		if wi != ci || wm.Objective(0) != cm.Objective(0) || wm.Intercept(0) != cm.Intercept(0) {
			t.Errorf("cache %v: session %d iterations, objective %v, intercept %v; Fit %d, %v, %v",
				cache, wi, wm.Objective(0), wm.Intercept(0), ci, cm.Objective(0), cm.Intercept(0))
		}
		wc, cc := wm.DualCoef(0), cm.DualCoef(0)
		for k := range cc {
			if wc[k] != cc[k] || wm.PairSupport(0)[k] != cm.PairSupport(0)[k] {
				t.Fatalf("cache %v: support vector %d differs", cache, k)
			}
		}
		if ci < 1000 {
			t.Errorf("only %d iterations: shrinking never ran", ci)
		}
	}
}

// TestReleasedSlabsChangeNoBit: a session built on the slabs of a released one
// (left full of garbage) takes them, and its rounds equal a fresh session's bit
// for bit; a slab of a session never released comes back through its cleanup.
func TestReleasedSlabsChangeNoBit(t *testing.T) {
	x, y := randomProblem(rand.New(rand.NewPCG(3, 5)), 600, 4, 2)
	test, _ := randomProblem(rand.New(rand.NewPCG(4, 6)), 200, 4, 2)
	p := Params{C: 10, GammaMode: "auto", CacheMB: 2} // slabs over minMappedBytes
	order := rand.New(rand.NewPCG(9, 9)).Perm(x.Rows)
	run := func(s *Session) [][]float64 {
		var out [][]float64
		labels := []int{}
		for n := 20; n <= 200; n += 15 {
			labels = labels[:0]
			for _, r := range order[:n] {
				labels = append(labels, y[r])
			}
			m, err := s.Fit(context.Background(), order[:n], labels, nil)
			if err != nil {
				t.Fatal(err)
			}
			dec := make([]float64, test.Rows)
			m.EvalDecision(0, dec)
			out = append(out, dec)
		}
		return out
	}
	want := run(p.NewSession(x, []*nets.Matrix{test}, 2))
	old := p.NewSession(x, []*nets.Matrix{test}, 2)
	run(old)
	colBase, rowBase := &old.slab[0], &old.rowSlab[0]
	for i := range old.slab {
		old.slab[i] = math.NaN()
	}
	for i := range old.rowSlab {
		old.rowSlab[i] = float32(math.Inf(1))
	}
	old.Release()
	s := p.NewSession(x, []*nets.Matrix{test}, 2)
	if &s.slab[0] != colBase || &s.rowSlab[0] != rowBase {
		t.Fatal("the new session did not take the released slabs")
	}
	got := run(s)
	for r := range want {
		for i := range want[r] {
			if math.Float64bits(got[r][i]) != math.Float64bits(want[r][i]) {
				t.Fatalf("round %d, row %d: %v on reused slabs, %v on fresh ones", r, i, got[r][i], want[r][i])
			}
		}
	}
	s.Release()

	// A session dropped without Release gives its slabs back once collected.
	slabs64.mu.Lock()
	slabs64.free = nil
	slabs64.mu.Unlock()
	lost := p.NewSession(x, []*nets.Matrix{test}, 2)
	run(lost)
	lost = nil
	for range 50 {
		runtime.GC()
		time.Sleep(time.Millisecond)
		slabs64.mu.Lock()
		n := len(slabs64.free)
		slabs64.mu.Unlock()
		if n > 0 {
			return
		}
	}
	t.Fatal("an unreleased session's slab never came back")
}

// TestSessionSingleClassRoundsThenTwo: rounds with one class present (no solve)
// followed by two-class rounds give, bit for bit, the models of a session that
// starts at the first two-class round: the state kept from the one-class rounds
// (the labels' signs, the Q_kk) is complete. With gamma "scale" the kernel
// changes every round.
func TestSessionSingleClassRoundsThenTwo(t *testing.T) {
	x, y := randomProblem(rand.New(rand.NewPCG(3, 3)), 300, 4, 2)
	var order []int
	for _, c := range []int{0, 1} {
		for i := range y {
			if y[i] == c {
				order = append(order, i)
			}
		}
	}
	first := 0
	for y[order[first]] == 0 {
		first++
	}
	labels := make([]int, len(order))
	for k, r := range order {
		labels[k] = y[r]
	}
	ctx := context.Background()
	for _, p := range []Params{{C: 1, GammaMode: "auto"}, {C: 10, GammaMode: "scale"}} {
		a := p.NewSession(x, []*nets.Matrix{x}, 2)
		for n := 5; n <= first; n += 7 {
			if _, err := a.Fit(ctx, order[:n], labels[:n], nil); err != nil {
				t.Fatal(err)
			}
		}
		b := p.NewSession(x, []*nets.Matrix{x}, 2)
		da, db := make([]float64, x.Rows), make([]float64, x.Rows)
		for n := first + 1; n <= first+40; n += 3 {
			ma, err := a.Fit(ctx, order[:n], labels[:n], nil)
			if err != nil {
				t.Fatal(err)
			}
			mb, err := b.Fit(ctx, order[:n], labels[:n], nil)
			if err != nil {
				t.Fatal(err)
			}
			ma.EvalDecision(0, da)
			mb.EvalDecision(0, db)
			for i := range da {
				if math.Float64bits(da[i]) != math.Float64bits(db[i]) {
					t.Fatalf("%+v, %d labels: row %d: %v after one-class rounds, %v without", p, n, i, da[i], db[i])
				}
			}
		}
	}
}
