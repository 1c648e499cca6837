package strategies

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"albench/learners"
	"albench/nets"
)

// kernelVariants are the kernel strategies with their non-default settings, for the
// property tests below.
var kernelVariants = []struct {
	name   string
	params map[string]any
}{
	{"quire", nil},
	{"quire", map[string]any{"kernel": "linear", "lambda": 0.5}},
	{"quire", map[string]any{"kernel": "poly", "gamma": 0.5, "degree": 2}},
	{"hintsvm", nil},
	{"hintsvm", map[string]any{"kernel": "rbf", "gamma": 0.5, "p": 0.2, "cl": 1}},
	{"batchbald", map[string]any{"samples": 5}},
	{"batchbald", map[string]any{"samples": 4, "max_configs": 10, "configs": 30}},
}

// invert returns the inverse of the n×n row-major matrix a by Gauss–Jordan
// elimination with partial pivoting: the explicit inverse the paper's formula uses.
func invert(a []float64, n int) []float64 {
	m := make([]float64, n*2*n)
	for i := range n {
		copy(m[i*2*n:], a[i*n:(i+1)*n])
		m[i*2*n+n+i] = 1
	}
	for c := range n {
		p := c
		for r := c + 1; r < n; r++ {
			if math.Abs(m[r*2*n+c]) > math.Abs(m[p*2*n+c]) {
				p = r
			}
		}
		for j := range 2 * n {
			m[c*2*n+j], m[p*2*n+j] = m[p*2*n+j], m[c*2*n+j]
		}
		d := m[c*2*n+c]
		for j := range 2 * n {
			m[c*2*n+j] /= d
		}
		for r := range n {
			if r != c {
				f := m[r*2*n+c]
				for j := range 2 * n {
					m[r*2*n+j] -= f * m[c*2*n+j]
				}
			}
		}
	}
	out := make([]float64, n*n)
	for i := range n {
		copy(out[i*n:], m[i*2*n+n:(i+1)*2*n])
	}
	return out
}

// sub returns the rows × cols block of the n×n matrix a.
func sub(a []float64, n int, rows, cols []int) []float64 {
	out := make([]float64, 0, len(rows)*len(cols))
	for _, r := range rows {
		for _, c := range cols {
			out = append(out, a[r*n+c])
		}
	}
	return out
}

// paperQuire evaluates the paper's score with explicit inverses:
// L = (K + λI)⁻¹, eva(s) = L_ss − L_su L_uu⁻¹ L_us + 2|(L_sl − L_su L_uu⁻¹ L_ul) y_l|.
func paperQuire(kern kernelFunc, lambda float64, pool *nets.Matrix, labeled []int, y []float64, unlabeled []int, s int) float64 {
	n := pool.Rows
	g := make([]float64, n*n)
	for i := range n {
		for j := range n {
			g[i*n+j] = kern.eval(pool.Row(i), pool.Row(j))
		}
		g[i*n+i] += lambda
	}
	L := invert(g, n)
	var u []int
	for _, r := range unlabeled {
		if r != s {
			u = append(u, r)
		}
	}
	luuInv := invert(sub(L, n, u, u), len(u))
	// a = L_su L_uu⁻¹ (a row over u)
	a := make([]float64, len(u))
	for j := range u {
		for i, ri := range u {
			a[j] += L[s*n+ri] * luuInv[i*len(u)+j]
		}
	}
	mss := L[s*n+s]
	for j, rj := range u {
		mss -= a[j] * L[rj*n+s]
	}
	var t float64
	for k, rk := range labeled {
		v := L[s*n+rk]
		for j, rj := range u {
			v -= a[j] * L[rj*n+rk]
		}
		t += v * y[k]
	}
	return mss + 2*math.Abs(t)
}

func TestQuireMatchesPaperFormula(t *testing.T) {
	// Five points in the plane, rows 1 and 3 labeled with classes 0 and 1 (y = −1, +1).
	pool := matrix([]float64{0, 0}, []float64{1, 0.5}, []float64{-0.5, 1}, []float64{-1, -1}, []float64{2, 1})
	labeled, labels := []int{1, 3}, []int{0, 1}
	y := []float64{-1, 1}
	unlabeled := []int{0, 2, 4}
	for _, params := range []map[string]any{nil, {"kernel": "linear", "lambda": 0.7}, {"gamma": 0.3, "lambda": 2.5}, {"kernel": "poly", "gamma": 0.5, "degree": 2}} {
		st := mustNew("quire", params).(*quire)
		q := Query{Pool: pool, Unlabeled: unlabeled, Labeled: labeled, Labels: labels, Classes: 2, Batch: 1,
			Rand: rand.New(rand.NewPCG(1, 1))}
		got, err := st.Select(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		best, bestEva := -1, math.Inf(1)
		for i, s := range unlabeled {
			want := paperQuire(st.kern, st.lambda, pool, labeled, y, unlabeled, s)
			if eva := -st.scores[i]; math.Abs(eva-want) > 1e-9*math.Max(1, want) {
				t.Errorf("%v: eva(%d) = %.15g, the paper's formula with explicit inverses gives %.15g", params, s, eva, want)
			}
			if want < bestEva {
				best, bestEva = s, want
			}
		}
		if !slices.Equal(got, []int{best}) {
			t.Errorf("%v: quire picked %v, the paper's argmin is %d", params, got, best)
		}
	}
}

func TestQuireHandCase(t *testing.T) {
	// On a line, rbf γ = 1, λ = 1: labeled −1 (class 0) and +1 (class 1). G = K_ll + I
	// has off-diagonal e^{−4}. The midpoint 0 has f = 0 by symmetry and k = (e^{−1},
	// e^{−1}), so σ² = 1 − 2e^{−2}/(2 + e^{−4}) = 0.86590, eva = 1/1.86590 = 0.53593.
	// At 0.8, f = (e^{−0.04} − e^{−3.24})/(2 − e^{−4}) = 0.46505 and σ² = 0.53797,
	// eva = (1 + 0.93010)/1.53797 = 1.25497. QUIRE takes the midpoint.
	pool := matrix([]float64{-1}, []float64{1}, []float64{0}, []float64{0.8})
	st := mustNew("quire", nil).(*quire)
	q := Query{Pool: pool, Unlabeled: []int{2, 3}, Labeled: []int{0, 1}, Labels: []int{0, 1}, Classes: 2, Batch: 1,
		Rand: rand.New(rand.NewPCG(1, 1))}
	got, err := st.Select(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, []int{2}) {
		t.Errorf("quire picked %v, want [2]", got)
	}
	for i, want := range []float64{0.53593, 1.25497} {
		if eva := -st.scores[i]; math.Abs(eva-want) > 2e-5 {
			t.Errorf("eva(row %d) = %.6f, want %.5f", q.Unlabeled[i], eva, want)
		}
	}
	// Swapping the class names flips every y: |f| and so the picks are the same.
	q.Labels = []int{1, 0}
	if again := selectOnce(t, "quire", nil, q); !slices.Equal(again, got) {
		t.Errorf("quire with the classes swapped picked %v, want %v", again, got)
	}
}

func TestQuireBatchSpreads(t *testing.T) {
	// Nothing labeled: f = 0 and σ² = 1 everywhere, a tie the lowest row wins. The
	// believer update then shrinks σ² next to row 0 (row 1 at distance 0.1 keeps
	// σ² = 1 − e^{−0.02}/2 ≈ 0.505), so the second pick is the far row 2, where top-k
	// would take row 1.
	pool := matrix([]float64{0}, []float64{0.1}, []float64{5})
	q := Query{Pool: pool, Unlabeled: []int{0, 1, 2}, Classes: 2, Batch: 2, Rand: rand.New(rand.NewPCG(1, 1))}
	if got := selectOnce(t, "quire", nil, q); !slices.Equal(got, []int{0, 2}) {
		t.Errorf("quire batch = %v, want [0 2]", got)
	}
}

func TestQuireIncrementalMatchesRebuild(t *testing.T) {
	// Labels arriving round by round extend the factor; a fresh strategy on the last
	// round builds it at once. Both must give the same scores (to rounding).
	q := randomQuery(11, 60, 4, 5)
	q.Rand = rand.New(rand.NewPCG(1, 1))
	inc := mustNew("quire", nil).(*quire)
	for range 4 {
		got, err := inc.Select(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range got {
			q.Labeled = append(q.Labeled, r)
			q.Labels = append(q.Labels, r%3)
		}
		q.Unlabeled = slices.DeleteFunc(q.Unlabeled, func(r int) bool { return slices.Contains(got, r) })
	}
	a, _ := inc.Select(context.Background(), q)
	fresh := mustNew("quire", nil).(*quire)
	b, _ := fresh.Select(context.Background(), q)
	if !slices.Equal(a, b) {
		t.Errorf("incremental picks %v, rebuilt %v", a, b)
	}
	for i := range inc.f {
		if math.Abs(inc.f[i]-fresh.f[i]) > 1e-9 {
			t.Fatalf("f[%d]: incremental %v, rebuilt %v", i, inc.f[i], fresh.f[i])
		}
	}
}

// primalHint is the hinted SVM's primal objective for a linear f(x) = w·x + b.
func primalHint(w []float64, b float64, x [][]float64, y []float64, hints [][]float64, cl, ch, eps float64) float64 {
	obj := 0.5 * dot(w, w)
	for i, xi := range x {
		obj += cl * math.Max(0, 1-y[i]*(dot(w, xi)+b))
	}
	for _, xh := range hints {
		obj += ch * math.Max(0, math.Abs(dot(w, xh)+b)-eps)
	}
	return obj
}

// ternary minimises the convex f over [lo, hi].
func ternary(lo, hi float64, f func(float64) float64) float64 {
	for range 200 {
		a, b := lo+(hi-lo)/3, hi-(hi-lo)/3
		if f(a) < f(b) {
			hi = b
		} else {
			lo = a
		}
	}
	return (lo + hi) / 2
}

func TestHintSolverMatchesBruteForce(t *testing.T) {
	// A one-dimensional linear problem: the primal is convex in (w, b), so nested
	// ternary searches find its minimum; the SMO dual solution must reach it.
	for _, c := range []struct {
		x, y, hints []float64
		cl, ch, eps float64
	}{
		{[]float64{-1, 1}, []float64{-1, 1}, []float64{0.5}, 10, 1, 0.1},
		{[]float64{-2, -1, 1, 3}, []float64{-1, -1, 1, 1}, []float64{0.6, 0.8, 1.2, -0.3}, 0.5, 0.5, 0.1},
		{[]float64{-1, 0.2, 1}, []float64{-1, -1, 1}, []float64{0.1, 0.9}, 0.1, 0.1, 0.1},
		{[]float64{-1, 1}, []float64{-1, 1}, nil, 1, 1, 0.1},
	} {
		rows := make([][]float64, 0)
		for _, v := range c.x {
			rows = append(rows, []float64{v})
		}
		for _, v := range c.hints {
			rows = append(rows, []float64{v})
		}
		pool := matrix(rows...)
		points := seq(0, pool.Rows)
		h := hintSolver{kern: kernelFunc{kind: "linear"}, tol: 1e-9}
		h.reset(pool, points, false, 0)
		for i, y := range c.y {
			h.add(i, y, -1, c.cl)
		}
		for j := range c.hints {
			h.add(len(c.x)+j, 1, c.eps, c.ch)
			h.add(len(c.x)+j, -1, c.eps, c.ch)
		}
		rho, err := h.solve(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		coef := h.coef(nil)
		var w float64
		for i, a := range coef {
			w += a * pool.Row(i)[0]
		}
		xs := make([][]float64, len(c.x))
		for i, v := range c.x {
			xs[i] = []float64{v}
		}
		hs := make([][]float64, len(c.hints))
		for i, v := range c.hints {
			hs[i] = []float64{v}
		}
		obj := func(w, b float64) float64 { return primalHint([]float64{w}, b, xs, c.y, hs, c.cl, c.ch, c.eps) }
		inner := func(w float64) float64 { return obj(w, ternary(-10, 10, func(b float64) float64 { return obj(w, b) })) }
		bw := ternary(-10, 10, inner)
		best := inner(bw)
		if got := obj(w, -rho); got > best+1e-6 {
			t.Errorf("%+v: SMO reaches primal %.9f at w=%.6f b=%.6f, brute force %.9f at w=%.6f", c, got, w, -rho, best, bw)
		}
		if math.Abs(w-bw) > 1e-4 {
			t.Errorf("%+v: SMO w = %.6f, brute force %.6f", c, w, bw)
		}
	}
}

func TestHintSVMHintsMoveThePick(t *testing.T) {
	// Labeled −2 (class 0) and +2 (class 1) on a line; unlabeled −0.5 and a cluster
	// near 1. Without hints (p = 0) the boundary is the SVM's, through 0, and −0.5 is
	// closest to it. With every unlabeled row a hint (p = 1) the boundary is pulled
	// into the cluster and the pick comes from it.
	pool := matrix([]float64{-2}, []float64{2}, []float64{-0.5}, []float64{0.9}, []float64{1}, []float64{1.1}, []float64{1.2})
	q := Query{Pool: pool, Unlabeled: []int{2, 3, 4, 5, 6}, Labeled: []int{0, 1}, Labels: []int{0, 1}, Classes: 2, Batch: 1}
	if got := selectOnce(t, "hintsvm", map[string]any{"p": 0.0, "cl": 1}, q); !slices.Equal(got, []int{2}) {
		t.Errorf("hintsvm without hints picked %v, want [2]", got)
	}
	got := selectOnce(t, "hintsvm", map[string]any{"p": 1.0, "cl": 1, "ch": 1}, q)
	if len(got) != 1 || got[0] < 3 {
		t.Errorf("hintsvm with every row a hint picked %v, want a row of the cluster 3..6", got)
	}
}

func TestHintSVMBatchBelievesItsPicks(t *testing.T) {
	// Labeled −2 (class 0) and +2 (class 1), no hints: the boundary is at 0, so |f|
	// ranks 0, then 0.05, then ±1.5. The batch believes the first pick (0) has the
	// label of its side and retrains: the boundary moves between 0 and the opposite
	// labeled row, to ±1, and the second pick is a row at ±1.5, not 0.05 next to the
	// first (top-k by |f| would take [2 3]).
	pool := matrix([]float64{-2}, []float64{2}, []float64{0}, []float64{0.05}, []float64{1.5}, []float64{-1.5})
	q := Query{Pool: pool, Unlabeled: []int{2, 3, 4, 5}, Labeled: []int{0, 1}, Labels: []int{0, 1}, Classes: 2, Batch: 2}
	got := selectOnce(t, "hintsvm", map[string]any{"p": 0.0, "cl": 10}, q)
	if len(got) != 2 || got[0] != 2 || (got[1] != 4 && got[1] != 5) {
		t.Errorf("hintsvm batch %v, want [2 4] or [2 5]", got)
	}
}

func TestHintSVMMulticlass(t *testing.T) {
	// Three classes at −3, 0 and 3: the one-vs-rest boundaries sit near ±1.5, so the
	// unlabeled row at 1.4 is closest to a boundary, not the one at 0.3.
	pool := matrix([]float64{-3}, []float64{0}, []float64{3}, []float64{0.3}, []float64{1.4}, []float64{-2.8})
	q := Query{Pool: pool, Unlabeled: []int{3, 4, 5}, Labeled: []int{0, 1, 2}, Labels: []int{0, 1, 2}, Classes: 3, Batch: 1}
	if got := selectOnce(t, "hintsvm", map[string]any{"p": 0.0, "cl": 10, "kernel": "rbf", "gamma": 0.5}, q); !slices.Equal(got, []int{4}) {
		t.Errorf("hintsvm picked %v, want [4]", got)
	}
}

// batchTable is the batchbald hand case: four MC passes over three rows.
// Rows 0 and 1 agree pass by pass (certain in each pass, split 2–2 across passes);
// row 2 splits the passes the other way, less sharply.
func batchTable() Query {
	pool := matrix([]float64{0}, []float64{1}, []float64{2})
	m := &tableModel{pool: pool, probs: [][]float64{{0.5, 0.5}, {0.5, 0.5}, {0.5, 0.5}},
		mc: func(r, t int) []float64 {
			switch r {
			case 0, 1:
				return [][]float64{{1, 0}, {1, 0}, {0, 1}, {0, 1}}[t%4]
			}
			return [][]float64{{0.9, 0.1}, {0.1, 0.9}, {0.9, 0.1}, {0.1, 0.9}}[t%4]
		}}
	return Query{Pool: pool, Unlabeled: []int{0, 1, 2}, Classes: 2, Model: m, Batch: 2}
}

func TestBatchBALDHandCase(t *testing.T) {
	// BALD: rows 0 and 1 score ln 2, row 2 ln 2 − H(0.9) = 0.368; top-2 is [0 1].
	// BatchBALD's second pick: with row 1 the joint is row 0's again, H = ln 2, score
	// ln 2 − 0; with row 2 the four configurations are equally likely, H = ln 4, score
	// ln 4 − H(0.9) = 1.061. So [0 2], exactly and with sampled configurations.
	q := batchTable()
	if got := selectOnce(t, "bald", map[string]any{"samples": 4}, q); !slices.Equal(got, []int{0, 1}) {
		t.Fatalf("bald picked %v, want [0 1]", got)
	}
	q.Model.(*tableModel).calls = 0
	st := mustNew("batchbald", map[string]any{"samples": 4}).(*batchBALD)
	q.Rand = rand.New(rand.NewPCG(1, 2))
	got, err := st.Select(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, []int{0, 2}) {
		t.Errorf("batchbald picked %v, want [0 2]", got)
	}
	h9 := -(0.9*math.Log(0.9) + 0.1*math.Log(0.1))
	if want := math.Log(4) - h9; math.Abs(st.scores[2]-want) > 1e-12 {
		t.Errorf("second-pick score of row 2 = %v, want ln 4 − H(0.9) = %v", st.scores[2], want)
	}
	if want := math.Ln2; math.Abs(st.scores[1]-want) > 1e-12 {
		t.Errorf("second-pick score of row 1 = %v, want ln 2", st.scores[1])
	}
	q.Model.(*tableModel).calls = 0
	sampled := mustNew("batchbald", map[string]any{"samples": 4, "max_configs": 1, "configs": 4000}).(*batchBALD)
	q.Rand = rand.New(rand.NewPCG(1, 2))
	if got, _ := sampled.Select(context.Background(), q); !slices.Equal(got, []int{0, 2}) {
		t.Errorf("batchbald with sampled configurations picked %v, want [0 2]", got)
	}
	if want := math.Log(4) - h9; math.Abs(sampled.scores[2]-want) > 0.05 {
		t.Errorf("sampled estimate for row 2 = %v, want about %v", sampled.scores[2], want)
	}
}

func TestBatchBALDSampledTracksExact(t *testing.T) {
	// On a random model the sampled joint entropy of a three-pick batch is within a
	// few hundredths of the exact one for every candidate.
	q := randomQuery(5, 40, 5, 3)
	exact := mustNew("batchbald", map[string]any{"samples": 6}).(*batchBALD)
	q.Rand = rand.New(rand.NewPCG(3, 3))
	a, err := exact.Select(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	// Recompute the last round's scores both ways on the same passes and picks.
	u, c := len(q.Unlabeled), 3
	for i := range u {
		exact.taken[i] = slices.Contains(a[:2], q.Unlabeled[i])
	}
	nconf, T := c*c, exact.samples
	exact.joint = grow(exact.joint, nconf*T)
	for t := range T {
		p0 := exact.pass(t, u, c, exact.position(q, a[0]))
		p1 := exact.pass(t, u, c, exact.position(q, a[1]))
		for y0 := range c {
			for y1 := range c {
				exact.joint[(y0*c+y1)*T+t] = p0[y0] * p1[y1]
			}
		}
	}
	exact.configs = 20000
	exact.drawConfigs(q, a[:2], u, c)
	for i := range u {
		if exact.taken[i] {
			continue
		}
		e, s := exact.exactJoint(i, u, c, nconf), exact.sampledJoint(i, u, c)
		if math.Abs(e-s) > 0.03 {
			t.Errorf("candidate %d: exact joint entropy %v, sampled %v", i, e, s)
		}
	}
}

func TestBatchBALDBatchOneIsBALD(t *testing.T) {
	for seed := range uint64(20) {
		q := randomQuery(seed, 50+int(seed), 5, 1)
		q.Rand = rand.New(rand.NewPCG(seed, 1))
		want, err := mustNew("bald", map[string]any{"samples": 7}).Select(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		q.Rand = rand.New(rand.NewPCG(seed, 1))
		got, err := mustNew("batchbald", map[string]any{"samples": 7}).Select(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Errorf("seed %d: batchbald batch 1 picked %v, bald %v", seed, got, want)
		}
	}
	// Ties too: the table case ties rows 0 and 1; TieRank puts row 1 first.
	q := batchTable()
	q.Batch = 1
	q.TieRank = []int32{2, 0, 1}
	b := selectOnce(t, "bald", map[string]any{"samples": 4}, q)
	q.Model.(*tableModel).calls = 0
	if bb := selectOnce(t, "batchbald", map[string]any{"samples": 4}, q); !slices.Equal(b, bb) || !slices.Equal(b, []int{1}) {
		t.Errorf("on a tie bald picked %v, batchbald %v, want [1]", b, bb)
	}
}

func TestKernelSelectionProperties(t *testing.T) {
	for _, v := range kernelVariants {
		for _, n := range []int{1, 5, 37, 120} {
			for _, batch := range []int{0, 1, 3, 10, 200} {
				for _, l := range []int{0, 1, n / 3} {
					if l >= n {
						continue
					}
					name := fmt.Sprintf("%s%v/n=%d/l=%d/batch=%d", v.name, v.params, n, l, batch)
					checkSelection(t, name, v.name, v.params, randomQuery(uint64(n*1000+l), n, l, batch))
				}
			}
		}
	}
}

func TestKernelDefaultsRunBare(t *testing.T) {
	for _, name := range []string{"quire", "hintsvm", "batchbald"} {
		q := randomQuery(9, 30, 6, 4)
		if got := selectOnce(t, name, nil, q); len(got) != 4 {
			t.Errorf("%s with its defaults returned %v", name, got)
		}
	}
}

func TestQuireRefusesHugePool(t *testing.T) {
	q := Query{Pool: nets.NewMatrix(quireMaxPool+1, 1), Unlabeled: []int{0}, Batch: 1}
	if _, err := mustNew("quire", nil).Select(context.Background(), q); err == nil {
		t.Error("quire accepted a pool above its limit")
	}
}

// benchQuery is a two-class pool of n rows in 8 dimensions, 20 rows labeled, batch 10.
func benchQuery(n int) Query {
	rng := rand.New(rand.NewPCG(uint64(n), 17))
	const d = 8
	pool := randomPool(rng, n, d)
	labeled := seq(0, 20)
	labels := make([]int, 20)
	for i := range labels {
		labels[i] = i % 2
	}
	return Query{Pool: pool, Unlabeled: seq(20, n), Labeled: labeled, Labels: labels, Classes: 2,
		Model: newLinearModel(d, 2, 4, rng), Batch: 10}
}

// BenchmarkKernelSelect times one cold Select (a fresh strategy: quire builds its
// factor, hintsvm draws hints and trains, batchbald draws its passes).
func BenchmarkKernelSelect(b *testing.B) {
	for _, name := range []string{"quire", "hintsvm", "batchbald"} {
		for _, n := range []int{700, 7000} {
			b.Run(fmt.Sprintf("%s/pool=%d", name, n), func(b *testing.B) {
				q := benchQuery(n)
				for i := 0; i < b.N; i++ {
					q.Rand = rand.New(rand.NewPCG(uint64(i), 1))
					if _, err := mustNew(name, nil).Select(context.Background(), q); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

func TestKernelChecks(t *testing.T) {
	none := learners.Capabilities{}
	for _, c := range []struct {
		name   string
		params map[string]any
		caps   learners.Capabilities
		bad    string // the key of the one expected problem, or ""
	}{
		{"quire", nil, none, ""}, // features and labels only
		{"hintsvm", nil, none, ""},
		{"quire", map[string]any{"gamma": -1.0}, none, "params.gamma"},
		{"quire", map[string]any{"kernel": "sigmoid"}, none, "params.kernel"},
		{"quire", map[string]any{"lambda": 0}, none, "params.lambda"},
		{"hintsvm", map[string]any{"p": 1.5}, none, "params.p"},
		{"hintsvm", map[string]any{"ch": 0}, none, "params.ch"},
		{"hintsvm", map[string]any{"epsilon": -0.1}, none, "params.epsilon"},
		{"batchbald", nil, learners.Capabilities{Probs: true, MCDropout: true}, ""},
		{"batchbald", nil, learners.Capabilities{Probs: true}, "name"},
		{"batchbald", map[string]any{"configs": 0}, allCaps, "params.configs"},
	} {
		probs := Check(c.name, c.params, c.caps)
		switch {
		case c.bad == "" && len(probs) > 0:
			t.Errorf("%s %v: unexpected problems %v", c.name, c.params, probs)
		case c.bad != "" && (len(probs) != 1 || probs[0].Key != c.bad):
			t.Errorf("%s %v: problems %v, want one at %s", c.name, c.params, probs, c.bad)
		}
	}
}

func TestHintSolverKKT(t *testing.T) {
	// Random rbf problems: at the solution the kept gradient equals Qλ + p computed
	// afresh, sᵀλ = 0, 0 ≤ λ ≤ C, and the maximal violation is below tol.
	for seed := range uint64(5) {
		rng := rand.New(rand.NewPCG(seed, 8))
		pool := randomPool(rng, 40, 3)
		h := hintSolver{kern: kernelFunc{kind: "rbf", gamma: 0.7}, tol: 1e-6}
		h.reset(pool, seq(0, 40), false, 0)
		for i := range 15 {
			h.add(i, float64(2*rng.IntN(2)-1), -1, 1)
		}
		for i := 15; i < 40; i++ {
			h.add(i, 1, 0.1, 0.3)
			h.add(i, -1, 0.1, 0.3)
		}
		if _, err := h.solve(context.Background()); err != nil {
			t.Fatal(err)
		}
		var eq float64
		up, low := math.Inf(-1), math.Inf(1)
		for a := range h.point {
			g := h.lin[a]
			for b := range h.point {
				g += h.sign[a] * h.sign[b] * h.alpha[b] * h.kern.eval(pool.Row(h.point[a]), pool.Row(h.point[b]))
			}
			if math.Abs(g-h.grad[a]) > 1e-9 {
				t.Fatalf("seed %d: ∇_%d kept %v, recomputed %v", seed, a, h.grad[a], g)
			}
			if h.alpha[a] < 0 || h.alpha[a] > h.upper[a] {
				t.Errorf("seed %d: λ_%d = %v outside [0, %v]", seed, a, h.alpha[a], h.upper[a])
			}
			eq += h.sign[a] * h.alpha[a]
			if h.up(a) {
				up = max(up, -h.sign[a]*g)
			}
			if h.low(a) {
				low = min(low, -h.sign[a]*g)
			}
		}
		if math.Abs(eq) > 1e-9 {
			t.Errorf("seed %d: sᵀλ = %v", seed, eq)
		}
		if up-low > 1e-6 {
			t.Errorf("seed %d: maximal violation %v above tol", seed, up-low)
		}
	}
}
