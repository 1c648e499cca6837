package strategies

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"albench/nets"
)

// selectOnce runs strategy name with params on a table model over pool.
func selectOnce(t *testing.T, name string, params map[string]any, q Query) []int {
	t.Helper()
	if q.Rand == nil {
		q.Rand = rand.New(rand.NewPCG(1, 2))
	}
	got, err := mustNew(name, params).Select(context.Background(), q)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return got
}

func TestUncertaintyMeasuresDisagree(t *testing.T) {
	// Three classes, three points, three different winners:
	//            1 − max p   1 − margin   entropy (nats)
	//   row 0    0.50        0.99         0.7422
	//   row 1    0.58        0.87         1.0823
	//   row 2    0.60        0.98         1.0673
	pool := matrix([]float64{0}, []float64{1}, []float64{2})
	m := &tableModel{pool: pool, probs: [][]float64{
		{0.50, 0.49, 0.01},
		{0.42, 0.29, 0.29},
		{0.40, 0.38, 0.22},
	}}
	q := Query{Pool: pool, Unlabeled: []int{0, 1, 2}, Classes: 3, Model: m, Batch: 1}
	for name, want := range map[string]int{"least_confidence": 2, "margin": 0, "entropy": 1} {
		if got := selectOnce(t, name, nil, q); !slices.Equal(got, []int{want}) {
			t.Errorf("%s picked %v, want [%d]", name, got, want)
		}
	}
	// The whole ranking, best first.
	q.Batch = 3
	for name, want := range map[string][]int{
		"least_confidence": {2, 1, 0}, "margin": {0, 2, 1}, "entropy": {1, 2, 0},
	} {
		if got := selectOnce(t, name, nil, q); !slices.Equal(got, want) {
			t.Errorf("%s ranked %v, want %v", name, got, want)
		}
	}
}

func TestMeasureValues(t *testing.T) {
	p := []float64{0.42, 0.29, 0.29}
	for _, c := range []struct {
		name string
		got  float64
		want float64
	}{
		{"least confidence", leastConfidence(p), 0.58},
		{"margin", smallMargin(p), 0.87},
		{"margin, runner-up first", smallMargin([]float64{0.3, 0.7}), 0.6},
		{"margin, one class", smallMargin([]float64{1}), 0},
		{"entropy", entropy(p), -(0.42*math.Log(0.42) + 2*0.29*math.Log(0.29))},
		{"entropy with a zero", entropy([]float64{0.5, 0.5, 0}), math.Ln2},
	} {
		if math.Abs(c.got-c.want) > 1e-12 {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestTiesBreakByLowestRow(t *testing.T) {
	pool := matrix([]float64{1, 0}, []float64{1, 1e-9}, []float64{1, 2e-9}, []float64{1, 3e-9},
		[]float64{1, 4e-9}, []float64{1, 5e-9})
	same := []float64{0.5, 0.5}
	m := &tableModel{pool: pool, probs: [][]float64{same, same, same, same, same, same},
		norms: [][]float64{{1, 1}, {1, 1}, {1, 1}, {1, 1}, {1, 1}, {1, 1}},
		gemb:  [][]float64{{1, 0}, {0, 1}, {-1, 0}, {0, -1}, {1, 0}, {0, 1}},
		mc:    func(r, t int) []float64 { return []float64{float64(t % 2), float64(1 - t%2)} },
	}
	q := Query{Pool: pool, Unlabeled: []int{1, 3, 4, 5}, Classes: 2, Model: m, Batch: 2}
	// Density's similarity differs by ~1e-18 across these rows, below float64
	// resolution next to 1, so it ties too.
	for _, name := range []string{"least_confidence", "margin", "entropy", "egl", "bald", "density"} {
		if got := selectOnce(t, name, nil, q); !slices.Equal(got, []int{1, 3}) {
			t.Errorf("%s picked %v on a tie, want [1 3]", name, got)
		}
	}
	// Every gradient embedding has norm 1: BADGE's first pick is the lowest row.
	q.Batch = 1
	if got := selectOnce(t, "badge", nil, q); !slices.Equal(got, []int{1}) {
		t.Errorf("badge first pick %v on a norm tie, want [1]", got)
	}
	// Four points on the unit circle round the labeled centre: every point is 1 from
	// it, so coreset takes the lowest row; the labeled centre still keeps the rest at
	// distance 1, so the second pick is a tie too.
	circle := matrix([]float64{0, 0}, []float64{0, 1}, []float64{1, 0}, []float64{0, -1}, []float64{-1, 0})
	cm := &tableModel{pool: circle, probs: [][]float64{same, same, same, same, same}}
	cq := Query{Pool: circle, Unlabeled: []int{1, 2, 3, 4}, Labeled: []int{0}, Labels: []int{0},
		Classes: 2, Model: cm, Batch: 2}
	if got := selectOnce(t, "coreset", nil, cq); !slices.Equal(got, []int{1, 2}) {
		t.Errorf("coreset picked %v on a tie, want [1 2]", got)
	}
}

func TestTopKNaNRanksLast(t *testing.T) {
	var r ranker
	got := r.topK(nil, []int{4, 6, 8, 9}, []float64{math.NaN(), 1, math.NaN(), 0.5}, 3)
	if want := []int{6, 9, 4}; !slices.Equal(got, want) {
		t.Errorf("topK = %v, want %v", got, want)
	}
}

func TestCoresetPicksFarthest(t *testing.T) {
	// Labeled centre at the origin. A and B are the two farthest points but sit
	// together; once A is a centre, C is the farthest from every centre.
	pool := matrix(
		[]float64{0, 0},     // 0 labeled
		[]float64{5, 0},     // 1 A
		[]float64{4.9, 0.1}, // 2 B, next to A
		[]float64{0, 3},     // 3 C
		[]float64{1, 1},     // 4
	)
	m := &tableModel{pool: pool, probs: make([][]float64, 5)}
	for i := range m.probs {
		m.probs[i] = []float64{0.5, 0.5}
	}
	q := Query{Pool: pool, Unlabeled: []int{1, 2, 3, 4}, Labeled: []int{0}, Labels: []int{0},
		Classes: 2, Model: m, Batch: 1}
	if got := selectOnce(t, "coreset", nil, q); !slices.Equal(got, []int{1}) {
		t.Errorf("coreset batch 1 = %v, want the farthest point [1]", got)
	}
	q.Batch = 2
	if got := selectOnce(t, "coreset", nil, q); !slices.Equal(got, []int{1, 3}) {
		t.Errorf("coreset batch 2 = %v, want [1 3] (not B, next to A)", got)
	}
	// With no labeled rows the first pick is the lowest unlabeled row, then the
	// farthest from it.
	q.Labeled, q.Labels = nil, nil
	q.Unlabeled = []int{0, 1, 2, 3, 4}
	if got := selectOnce(t, "coreset", nil, q); !slices.Equal(got, []int{0, 1}) {
		t.Errorf("coreset without labels = %v, want [0 1]", got)
	}
}

func TestBadgeAvoidsNearDuplicates(t *testing.T) {
	// Rows 0–2 are near-copies of one very uncertain point: top-k entropy takes all
	// three. BADGE takes the longest gradient (row 0) and then spreads out: a near-copy
	// of a pick has D² ≈ 1e-12 against ≥ 1 for the rest.
	pool := matrix([]float64{0}, []float64{1}, []float64{2}, []float64{3}, []float64{4}, []float64{5})
	m := &tableModel{pool: pool,
		probs: [][]float64{{0.5, 0.5}, {0.5, 0.5}, {0.5, 0.5}, {0.7, 0.3}, {0.8, 0.2}, {0.75, 0.25}},
		gemb: [][]float64{
			{2, 0, 0}, {1.999999, 1e-6, 0}, {1.999999, 0, 1e-6},
			{0, 1.5, 0}, {0, 0, 1.4}, {-1.3, 0, 0},
		},
	}
	q := Query{Pool: pool, Unlabeled: seq(0, 6), Classes: 2, Model: m, Batch: 3}
	if got := selectOnce(t, "entropy", nil, q); !slices.Equal(got, []int{0, 1, 2}) {
		t.Fatalf("entropy picked %v, want the near-duplicates [0 1 2]", got)
	}
	for seed := range uint64(20) {
		q.Rand = rand.New(rand.NewPCG(seed, 7))
		got := selectOnce(t, "badge", nil, q)
		if got[0] != 0 {
			t.Errorf("seed %d: badge first pick %d, want the longest gradient 0", seed, got[0])
		}
		dups := 0
		for _, r := range got {
			if r <= 2 {
				dups++
			}
		}
		if dups != 1 {
			t.Errorf("seed %d: badge picked %v, %d of the near-duplicates 0–2", seed, got, dups)
		}
	}
}

func TestBALDPrefersDisagreement(t *testing.T) {
	// Row 0: passes flip between certain answers (mean 0.5/0.5, each pass entropy 0).
	// Row 1: every pass says 0.5/0.5. Entropy of the mean ties them; BALD does not.
	// Row 2: passes agree and are confident.
	pool := matrix([]float64{0}, []float64{1}, []float64{2})
	m := &tableModel{pool: pool,
		probs: [][]float64{{0.5, 0.5}, {0.5, 0.5}, {0.9, 0.1}},
		mc: func(r, t int) []float64 {
			switch r {
			case 0:
				if t%2 == 0 {
					return []float64{1, 0}
				}
				return []float64{0, 1}
			case 1:
				return []float64{0.5, 0.5}
			}
			return []float64{0.9, 0.1}
		},
	}
	s := mustNew("bald", map[string]any{"samples": 4}).(*bald)
	got, err := s.Select(context.Background(), withRand(Query{Pool: pool, Unlabeled: []int{0, 1, 2},
		Classes: 2, Model: m, Batch: 3}))
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{0, 1, 2}; !slices.Equal(got, want) {
		t.Errorf("bald ranked %v, want %v", got, want)
	}
	// Scores: ln 2 for the flip-flopping row, 0 for the others.
	if math.Abs(s.scores[0]-math.Ln2) > 1e-12 || s.scores[1] != 0 || s.scores[2] != 0 {
		t.Errorf("bald scores %v, want [ln2 0 0]", s.scores[:3])
	}
	// Swap the rows so the uniformly uncertain one comes first: entropy ties them and
	// takes it for its index, BALD still takes the disagreeing one.
	pool2 := matrix([]float64{1}, []float64{0})
	m2 := &tableModel{pool: pool2, probs: m.probs[:2], mc: func(r, t int) []float64 { return m.mc(1-r, t) }}
	q := Query{Pool: pool2, Unlabeled: []int{0, 1}, Classes: 2, Model: m2, Batch: 1}
	if got := selectOnce(t, "entropy", nil, q); !slices.Equal(got, []int{0}) {
		t.Errorf("entropy picked %v, want the tie's lowest row [0]", got)
	}
	if got := selectOnce(t, "bald", nil, q); !slices.Equal(got, []int{1}) {
		t.Errorf("bald picked %v, want the disagreeing row [1]", got)
	}
}

func TestBALDNeedsDropout(t *testing.T) {
	pool := matrix([]float64{0})
	m := &tableModel{pool: pool, probs: [][]float64{{0.5, 0.5}}} // mc nil: no dropout
	_, err := mustNew("bald", nil).Select(context.Background(),
		Query{Pool: pool, Unlabeled: []int{0}, Classes: 2, Model: m, Batch: 1, Rand: rand.New(rand.NewPCG(1, 1))})
	if err == nil {
		t.Fatal("bald ran on a model without dropout")
	}
}

// cannedFit returns the committee members in order, recording each training set.
type cannedFit struct {
	members []Model
	calls   int
	xs      [][]float64 // first feature of each training row, per call
	ys      [][]int
}

func (f *cannedFit) fit(_ context.Context, x *nets.Matrix, y []int, _ *rand.Rand) (Model, error) {
	m := f.members[f.calls%len(f.members)]
	f.calls++
	col := make([]float64, x.Rows)
	for i := range x.Rows {
		col[i] = x.Row(i)[0]
	}
	f.xs = append(f.xs, col)
	f.ys = append(f.ys, slices.Clone(y))
	return m, nil
}

func TestQBCMeasures(t *testing.T) {
	// Pool rows 0–2 unlabeled, 3–5 labeled. Three members with canned probabilities:
	//   row 0: members vote 0, 1, 0 but all hover at 0.5 (high vote entropy, tiny KL)
	//   row 1: all vote 0 but disagree on how sure (vote entropy 0, large KL)
	//   row 2: all say the same thing (both 0)
	pool := matrix([]float64{0}, []float64{1}, []float64{2}, []float64{3}, []float64{4}, []float64{5})
	member := func(r0, r1 []float64) *tableModel {
		return &tableModel{pool: pool, probs: [][]float64{r0, r1, {0.6, 0.4}, {1, 0}, {0, 1}, {1, 0}}}
	}
	members := []Model{
		member([]float64{0.51, 0.49}, []float64{0.99, 0.01}),
		member([]float64{0.49, 0.51}, []float64{0.55, 0.45}),
		member([]float64{0.52, 0.48}, []float64{0.70, 0.30}),
	}
	q := Query{Pool: pool, Unlabeled: []int{0, 1, 2}, Labeled: []int{3, 4, 5}, Labels: []int{0, 1, 0},
		Classes: 2, Model: members[0], Batch: 1}

	f := &cannedFit{members: members}
	q.Fit, q.Rand = f.fit, rand.New(rand.NewPCG(3, 4))
	s := mustNew("qbc", map[string]any{"committee": 3}).(*qbc)
	got, err := s.Select(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, []int{0}) {
		t.Errorf("vote entropy picked %v, want [0]", got)
	}
	ve := -(2.0/3*math.Log(2.0/3) + 1.0/3*math.Log(1.0/3))
	if math.Abs(s.scores[0]-ve) > 1e-12 || s.scores[1] != 0 || s.scores[2] != 0 {
		t.Errorf("vote entropy scores %v, want [%v 0 0]", s.scores[:3], ve)
	}
	// Every member was trained on a bootstrap resample of the labeled set.
	if f.calls != 3 {
		t.Fatalf("Fit called %d times, want 3", f.calls)
	}
	for c := range f.xs {
		if len(f.xs[c]) != 3 {
			t.Errorf("member %d trained on %d rows, want 3", c, len(f.xs[c]))
		}
		for i, x := range f.xs[c] {
			if want := map[float64]int{3: 0, 4: 1, 5: 0}[x]; x < 3 || f.ys[c][i] != want {
				t.Errorf("member %d row %d: feature %v label %d, not a labeled pair", c, i, x, f.ys[c][i])
			}
		}
	}

	q.Fit = (&cannedFit{members: members}).fit
	s = mustNew("qbc", map[string]any{"committee": 3, "measure": "kl"}).(*qbc)
	got, err = s.Select(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, []int{1}) {
		t.Errorf("kl picked %v, want [1]", got)
	}
	// The direct definition: mean over members of KL(p_c ‖ p̄).
	for i, ps := range [][][]float64{
		{{0.51, 0.49}, {0.49, 0.51}, {0.52, 0.48}},
		{{0.99, 0.01}, {0.55, 0.45}, {0.70, 0.30}},
	} {
		var want float64
		bar := []float64{0, 0}
		for _, p := range ps {
			bar[0] += p[0] / 3
			bar[1] += p[1] / 3
		}
		for _, p := range ps {
			for y := range p {
				want += p[y] * math.Log(p[y]/bar[y]) / 3
			}
		}
		if math.Abs(s.scores[i]-want) > 1e-12 {
			t.Errorf("kl score of row %d = %v, want %v", i, s.scores[i], want)
		}
	}
	if s.scores[2] != 0 {
		t.Errorf("kl score of a unanimous row = %v, want 0", s.scores[2])
	}
}

func TestQBCNeedsLabels(t *testing.T) {
	pool := matrix([]float64{0}, []float64{1})
	m := &tableModel{pool: pool, probs: [][]float64{{0.5, 0.5}, {0.5, 0.5}}}
	q := Query{Pool: pool, Unlabeled: []int{0, 1}, Classes: 2, Model: m, Batch: 1,
		Fit: (&cannedFit{members: []Model{m}}).fit, Rand: rand.New(rand.NewPCG(1, 1))}
	if _, err := mustNew("qbc", nil).Select(context.Background(), q); err == nil {
		t.Error("qbc ran with no labeled rows to resample")
	}
}

func TestEGL(t *testing.T) {
	// Row 0 is the most uncertain but its gradients are short; row 1 is confident
	// with one long gradient on the unlikely class; row 2 has the largest single norm,
	// on a class it deems nearly impossible.
	pool := matrix([]float64{0}, []float64{1}, []float64{2})
	m := &tableModel{pool: pool,
		probs: [][]float64{{0.5, 0.5}, {0.8, 0.2}, {0.99, 0.01}},
		norms: [][]float64{{1, 1}, {0.5, 8}, {0.1, 30}},
	}
	s := mustNew("egl", nil).(*egl)
	got, err := s.Select(context.Background(), Query{Pool: pool, Unlabeled: []int{0, 1, 2}, Classes: 2,
		Model: m, Batch: 3})
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{0.5*1 + 0.5*1, 0.8*0.5 + 0.2*8, 0.99*0.1 + 0.01*30} // 1, 2, 0.399
	for i, w := range want {
		if math.Abs(s.scores[i]-w) > 1e-12 {
			t.Errorf("egl score of row %d = %v, want Σ p·norm = %v", i, s.scores[i], w)
		}
	}
	if !slices.Equal(got, []int{1, 0, 2}) {
		t.Errorf("egl ranked %v, want [1 0 2]", got)
	}
}

func TestDensityPrefersCentralPoint(t *testing.T) {
	// A cluster along (1, 0) and an outlier along (0, 1), both maximally uncertain.
	// The outlier has the lower row, so entropy takes it on the tie; density must not.
	pool := matrix(
		[]float64{0, 1},     // 0 outlier, uncertain
		[]float64{1, 0.05},  // 1 central, uncertain
		[]float64{1, 0},     // 2
		[]float64{1, -0.05}, // 3
		[]float64{0.9, 0},   // 4
	)
	u := []float64{0.5, 0.5}
	m := &tableModel{pool: pool, probs: [][]float64{u, u, {0.9, 0.1}, {0.95, 0.05}, {0.9, 0.1}}}
	q := Query{Pool: pool, Unlabeled: []int{0, 1, 2, 3, 4}, Classes: 2, Model: m, Batch: 1}
	if got := selectOnce(t, "entropy", nil, q); !slices.Equal(got, []int{0}) {
		t.Fatalf("entropy picked %v, want the outlier [0] (tie, lowest row)", got)
	}
	if got := selectOnce(t, "density", nil, q); !slices.Equal(got, []int{1}) {
		t.Errorf("density picked %v, want the central point [1]", got)
	}
	// β = 0 is the base uncertainty alone.
	if got := selectOnce(t, "density", map[string]any{"beta": 0}, q); !slices.Equal(got, []int{0}) {
		t.Errorf("density with beta 0 picked %v, want entropy's pick [0]", got)
	}
	// The cached similarity is the mean cosine similarity to the pool.
	s := mustNew("density", map[string]any{"beta": 1.0}).(*density)
	if _, err := s.Select(context.Background(), withRand(q)); err != nil {
		t.Fatal(err)
	}
	for i := range pool.Rows {
		var want float64
		for j := range pool.Rows {
			a, b := pool.Row(i), pool.Row(j)
			want += dot(a, b) / math.Sqrt(dot(a, a)*dot(b, b)) / float64(pool.Rows)
		}
		if math.Abs(s.sim[i]-want) > 1e-12 {
			t.Errorf("similarity of row %d = %v, want %v", i, s.sim[i], want)
		}
	}
}

func TestDensityClampsNegativeSimilarity(t *testing.T) {
	// Row 0 points away from the rest: its mean cosine similarity is negative, which
	// to the power 0.5 would be NaN; clamped to 0 it ranks last.
	pool := matrix([]float64{-1, 0}, []float64{1, 0}, []float64{1, 0.1}, []float64{1, -0.1})
	u := []float64{0.5, 0.5}
	m := &tableModel{pool: pool, probs: [][]float64{u, {0.9, 0.1}, {0.9, 0.1}, {0.9, 0.1}}}
	s := mustNew("density", map[string]any{"beta": 0.5}).(*density)
	got, err := s.Select(context.Background(), withRand(Query{Pool: pool, Unlabeled: []int{0, 1, 2, 3},
		Classes: 2, Model: m, Batch: 4}))
	if err != nil {
		t.Fatal(err)
	}
	if s.sim[0] != 0 || got[3] != 0 {
		t.Errorf("anti-similar row: similarity term %v, ranking %v; want 0 and last", s.sim[0], got)
	}
	for _, v := range s.scores[:4] {
		if math.IsNaN(v) {
			t.Errorf("density scores %v contain NaN", s.scores[:4])
		}
	}
}

func TestCancellation(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rng := rand.New(rand.NewPCG(1, 1))
	pool := randomPool(rng, 20, 3)
	m := newLinearModel(3, 2, 4, rng)
	q := Query{Pool: pool, Unlabeled: seq(2, 20), Labeled: []int{0, 1}, Labels: []int{0, 1}, Classes: 2,
		Model: m, Fit: fitLinear(2, 4), Batch: 3, Rand: rng}
	for _, name := range []string{"qbc", "bald"} {
		if _, err := mustNew(name, nil).Select(ctx, q); err == nil {
			t.Errorf("%s ignored a cancelled context", name)
		}
	}
}

func withRand(q Query) Query {
	q.Rand = rand.New(rand.NewPCG(9, 9))
	return q
}

func TestCoresetNaNEmbeddingsRankLast(t *testing.T) {
	// Row 2's embedding is NaN, so its distance to every centre is NaN. Like a NaN
	// score in topK it ranks below every number: picked last, not a panic once only
	// NaN rows remain.
	nan := math.NaN()
	pool := matrix([]float64{0}, []float64{1}, []float64{2}, []float64{3})
	u := []float64{0.5, 0.5}
	m := &tableModel{pool: pool, probs: [][]float64{u, u, u, u},
		emb: [][]float64{{0, 0}, {1, 0}, {nan, 0}, {0, 3}}}
	q := Query{Pool: pool, Unlabeled: []int{1, 2, 3}, Labeled: []int{0}, Labels: []int{0},
		Classes: 2, Model: m, Batch: 3}
	if got := selectOnce(t, "coreset", nil, q); !slices.Equal(got, []int{3, 1, 2}) {
		t.Errorf("coreset picked %v, want [3 1 2] (the NaN row last)", got)
	}
	// Every embedding NaN: every distance ties at NaN, so the lowest rows.
	m.emb = [][]float64{{nan}, {nan}, {nan}, {nan}}
	if got := selectOnce(t, "coreset", nil, q); !slices.Equal(got, []int{1, 2, 3}) {
		t.Errorf("coreset on NaN embeddings picked %v, want [1 2 3]", got)
	}
}

func TestBadgeNaNRowIsNotDrawn(t *testing.T) {
	// Row 4's gradient embedding is NaN. It must not spoil the draw for the other
	// rows: the batch is still the longest gradient (3) and then two rows drawn by
	// D², which never takes both of the duplicates 0 and 1 nor the NaN row.
	nan := math.NaN()
	pool := matrix([]float64{0}, []float64{1}, []float64{2}, []float64{3}, []float64{4})
	u := []float64{0.5, 0.5}
	m := &tableModel{pool: pool, probs: [][]float64{u, u, u, u, u},
		gemb: [][]float64{{1, 0}, {1, 0}, {-1, 0}, {0, 5}, {nan, 0}}}
	for seed := range uint64(20) {
		q := Query{Pool: pool, Unlabeled: seq(0, 5), Classes: 2, Model: m, Batch: 3,
			Rand: rand.New(rand.NewPCG(seed, 3))}
		got := selectOnce(t, "badge", nil, q)
		if got[0] != 3 || slices.Contains(got, 4) || (slices.Contains(got, 0) && slices.Contains(got, 1)) {
			t.Errorf("seed %d: badge picked %v, want 3 then two of 0–2, not both duplicates 0 and 1", seed, got)
		}
	}
}

// TestEntropyOfNaNRowRanksLast checks that a row of NaN probabilities scores NaN
// (ranked last), not 0, which would tie with one-hot rows and win on the lowest row.
func TestEntropyOfNaNRowRanksLast(t *testing.T) {
	if h := entropy([]float64{math.NaN(), math.NaN()}); !math.IsNaN(h) {
		t.Fatalf("entropy of a NaN row = %v, want NaN", h)
	}
	if h := entropy([]float64{1, 0}); h != 0 {
		t.Fatalf("entropy of a one-hot row = %v, want 0", h)
	}
}

// TestTiesFollowTieRank: with Query.TieRank, every ranking strategy takes tied rows
// in the tie order rather than the row order.
func TestTiesFollowTieRank(t *testing.T) {
	pool := matrix([]float64{1, 0}, []float64{1, 1e-9}, []float64{1, 2e-9}, []float64{1, 3e-9},
		[]float64{1, 4e-9}, []float64{1, 5e-9})
	same := []float64{0.5, 0.5}
	m := &tableModel{pool: pool, probs: [][]float64{same, same, same, same, same, same},
		norms: [][]float64{{1, 1}, {1, 1}, {1, 1}, {1, 1}, {1, 1}, {1, 1}},
		gemb:  [][]float64{{1, 0}, {0, 1}, {-1, 0}, {0, -1}, {1, 0}, {0, 1}},
		mc:    func(r, t int) []float64 { return []float64{float64(t % 2), float64(1 - t%2)} },
	}
	// Rows by tie order: 5, 4, 0, 3, 1, 2.
	tie := []int32{2, 4, 5, 3, 1, 0}
	q := Query{Pool: pool, Unlabeled: []int{1, 3, 4, 5}, Classes: 2, Model: m, Batch: 2, TieRank: tie}
	for _, name := range []string{"least_confidence", "margin", "entropy", "egl", "bald", "density"} {
		if got := selectOnce(t, name, nil, q); !slices.Equal(got, []int{5, 4}) {
			t.Errorf("%s picked %v on a tie, want [5 4] (the tie order)", name, got)
		}
	}
	q.Batch = 1
	if got := selectOnce(t, "badge", nil, q); !slices.Equal(got, []int{5}) {
		t.Errorf("badge first pick %v on a norm tie, want [5]", got)
	}
	circle := matrix([]float64{0, 0}, []float64{0, 1}, []float64{1, 0}, []float64{0, -1}, []float64{-1, 0})
	cm := &tableModel{pool: circle, probs: [][]float64{same, same, same, same, same}}
	cq := Query{Pool: circle, Unlabeled: []int{1, 2, 3, 4}, Labeled: []int{0}, Labels: []int{0},
		Classes: 2, Model: cm, Batch: 2, TieRank: []int32{0, 4, 2, 1, 3}}
	if got := selectOnce(t, "coreset", nil, cq); !slices.Equal(got, []int{3, 2}) {
		t.Errorf("coreset picked %v on a tie, want [3 2] (the tie order)", got)
	}
}

// TestTieRankUnbiasesAClassSortedPool: on a pool sorted by class (as iris and wine
// are) where every row ties, breaking ties by the lowest row takes the whole batch
// from class 0; a random tie order takes each class about equally often.
func TestTieRankUnbiasesAClassSortedPool(t *testing.T) {
	const perClass, classes, batch = 30, 3, 10
	n := perClass * classes
	rows := make([][]float64, n)
	probs := make([][]float64, n)
	for r := range rows {
		rows[r] = []float64{float64(r)}
		probs[r] = []float64{0.4, 0.3, 0.3}
	}
	pool := matrix(rows...)
	m := &tableModel{pool: pool, probs: probs}
	unl := make([]int, n)
	for i := range unl {
		unl[i] = i
	}
	class := func(r int) int { return r / perClass }
	q := Query{Pool: pool, Unlabeled: unl, Classes: classes, Model: m, Batch: batch}
	for _, r := range selectOnce(t, "margin", nil, q) {
		if class(r) != 0 {
			t.Fatalf("without a tie order row %d (class %d) was picked; want the lowest rows, all class 0", r, class(r))
		}
	}
	var count [classes]int
	const draws = 200
	rng := rand.New(rand.NewPCG(1, 2))
	for range draws {
		tie := make([]int32, n)
		for pos, r := range rng.Perm(n) {
			tie[r] = int32(pos)
		}
		q.TieRank = tie
		for _, r := range selectOnce(t, "margin", nil, q) {
			count[class(r)]++
		}
	}
	// Each class's share of 2,000 picks is 1/3 with a standard error of about 0.01.
	for c, k := range count {
		if share := float64(k) / (draws * batch); share < 0.28 || share > 0.39 {
			t.Errorf("class %d got %.3f of the tied picks, want about 1/3", c, share)
		}
	}
}
