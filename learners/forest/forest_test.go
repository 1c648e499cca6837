package forest

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"albench/nets"
)

// handX is a 7-row dataset with an informative feature 0 and a constant feature 1;
// handY has 3 classes.
var (
	handX0 = []float64{0.1, 0.3, 0.35, 0.9, 1.2, 1.25, 2.0}
	handY  = []int{0, 0, 0, 1, 0, 1, 2}
)

func handData() *nets.Matrix {
	x := nets.NewMatrix(len(handX0), 2)
	for i, v := range handX0 {
		x.Row(i)[0], x.Row(i)[1] = v, 5
	}
	return x
}

// mid is the threshold scikit-learn puts between two float64 feature values.
func mid(a, b float64) float64 { return float64(float32(a))/2 + float64(float32(b))/2 }

// TestHandSplit checks the root split of the hand dataset against the impurities
// worked out by hand, and the whole tree against the one derived from them (which
// DecisionTreeClassifier also grows on these data).
//
// Root counts (4, 2, 1) of 7. Gini: I = 1 − 21/49 = 4/7. Splitting after the third
// row leaves (3,0,0) | (1,2,1), with right impurity 1 − 6/16 = 5/8, so
// w_L·I_L + w_R·I_R = 0 + 4·5/8 = 2.5; after the fifth row (4,1,0) | (0,1,1) gives
// 5·8/25 + 2·1/2 = 2.6, after the sixth (4,2,0) | (0,0,1) gives 6·4/9 ≈ 2.667, and
// the others more: the best split is at the midpoint of 0.35 and 0.9, with
// improvement 4/7 − (4/7)(5/8) = 3/14. Entropy: the same three splits cost
// 4·1.5 = 6, 5·H(.8,.2) + 2 ≈ 5.61 and 6·H(2/3,1/3) ≈ 5.510 bits, so entropy splits
// between 1.25 and 2.0, with improvement H(4/7,2/7,1/7) − (6/7)·H(2/3,1/3).
func TestHandSplit(t *testing.T) {
	h := func(p ...float64) float64 {
		s := 0.0
		for _, q := range p {
			s -= q * math.Log2(q)
		}
		return s
	}
	for _, tc := range []struct {
		criterion           string
		threshold           float64
		improvement, iL, iR float64
		pos                 int
	}{
		{"gini", mid(0.35, 0.9), 3.0 / 14, 0, 5.0 / 8, 3},
		{"entropy", mid(1.25, 2.0), h(4.0/7, 2.0/7, 1.0/7) - 6.0/7*h(2.0/3, 1.0/3), h(2.0/3, 1.0/3), 0, 6},
	} {
		s, err := Params{Criterion: tc.criterion, MaxFeatures: "all", NoBootstrap: true}.resolve(2)
		if err != nil {
			t.Fatal(err)
		}
		x := handData()
		b := newBuilder(s, x.Rows, x.Cols, x.Data, handY, 3, rand.New(rand.NewPCG(1, 2)))
		b.sample()
		b.initNode(0, b.n)
		nConst := 0
		sp := b.splitNode(0, b.n, b.impurity(b.sumTotal, b.wNode), &nConst)
		if sp.feature != 0 || sp.pos != tc.pos || sp.threshold != tc.threshold {
			t.Errorf("%s: split feature %d at %d, threshold %v; want 0, %d, %v", tc.criterion, sp.feature, sp.pos, sp.threshold, tc.pos, tc.threshold)
		}
		if math.Abs(sp.improvement-tc.improvement) > 1e-15 || math.Abs(sp.impurityLeft-tc.iL) > 1e-15 || math.Abs(sp.impurityRight-tc.iR) > 1e-15 {
			t.Errorf("%s: improvement %v, children %v %v; want %v, %v %v", tc.criterion, sp.improvement, sp.impurityLeft, sp.impurityRight, tc.improvement, tc.iL, tc.iR)
		}
		if nConst != 1 || b.consts[0] != 1 {
			t.Errorf("%s: %d constant features (%v), want feature 1", tc.criterion, nConst, b.consts[:nConst])
		}
	}

	// The whole trees. Gini: the right part (1,2,1) of rows 3..6 splits best before
	// row 6 (3·4/9 < 2), then rows 3..5 (1,0,1) tie between their two splits and the
	// first is kept, then rows 4, 5 split. Entropy: the left part (4,2,0) splits
	// before row 3, and then as for Gini.
	for _, tc := range []struct {
		criterion   string
		feature     []int32
		threshold   []float64
		left, right []int32
	}{
		{"gini", []int32{0, -1, 0, 0, -1, 0, -1, -1, -1},
			[]float64{mid(0.35, 0.9), 0, mid(1.25, 2), mid(0.9, 1.2), 0, mid(1.2, 1.25), 0, 0, 0},
			[]int32{1, -1, 3, 4, -1, 6, -1, -1, -1}, []int32{2, -1, 8, 5, -1, 7, -1, -1, -1}},
		{"entropy", []int32{0, 0, -1, 0, -1, 0, -1, -1, -1},
			[]float64{mid(1.25, 2), mid(0.35, 0.9), 0, mid(0.9, 1.2), 0, mid(1.2, 1.25), 0, 0, 0},
			[]int32{1, 2, -1, 4, -1, 6, -1, -1, -1}, []int32{8, 3, -1, 5, -1, 7, -1, -1, -1}},
	} {
		m, err := Params{NEstimators: 1, Criterion: tc.criterion, MaxFeatures: "all", NoBootstrap: true}.
			Fit(context.Background(), handData(), handY, 3, rand.New(rand.NewPCG(3, 4)))
		if err != nil {
			t.Fatal(err)
		}
		if len(m.nodes) != len(tc.feature) || m.depths[0] != 4 {
			t.Fatalf("%s: %d nodes of depth %d, want %d of depth 4", tc.criterion, len(m.nodes), m.depths[0], len(tc.feature))
		}
		for j, nd := range m.nodes {
			if nd.feature != tc.feature[j] || nd.threshold != tc.threshold[j] || nd.left != tc.left[j] || nd.right != tc.right[j] {
				t.Errorf("%s: node %d = %+v, want feature %d threshold %v children %d %d", tc.criterion, j, nd, tc.feature[j], tc.threshold[j], tc.left[j], tc.right[j])
			}
		}
		// A fully grown tree without bootstrap fits its training set.
		pred := make([]int, len(handY))
		m.Predict(handData(), pred)
		for i := range pred {
			if pred[i] != handY[i] {
				t.Errorf("%s: row %d predicted %d, label %d", tc.criterion, i, pred[i], handY[i])
			}
		}
	}
}

// blobs draws n rows of d features around per-class centres, with labels in
// [0, classes), from a seeded PCG.
func blobs(n, d, classes int, seed uint64) (*nets.Matrix, []int) {
	rng := rand.New(rand.NewPCG(seed, 77))
	centres := make([]float64, classes*d)
	for i := range centres {
		centres[i] = 2 * rng.NormFloat64()
	}
	x := nets.NewMatrix(n, d)
	y := make([]int, n)
	for i := range n {
		y[i] = rng.IntN(classes)
		for f := range d {
			x.Row(i)[f] = centres[y[i]*d+f] + rng.NormFloat64()
		}
	}
	return x, y
}

func TestProbsSumToOneAndAbsentClass(t *testing.T) {
	x, y := blobs(120, 5, 3, 1)
	// Four classes, class 3 without any row.
	m, err := Params{NEstimators: 30}.Fit(context.Background(), x, y, 4, rand.New(rand.NewPCG(5, 6)))
	if err != nil {
		t.Fatal(err)
	}
	if m.Classes() != 4 {
		t.Fatalf("Classes() = %d", m.Classes())
	}
	xt, _ := blobs(200, 5, 3, 2)
	var p nets.Matrix
	m.Probs(xt, &p)
	if p.Rows != 200 || p.Cols != 4 {
		t.Fatalf("Probs is %d×%d", p.Rows, p.Cols)
	}
	pred := make([]int, xt.Rows)
	m.Predict(xt, pred)
	for i := range p.Rows {
		r := p.Row(i)
		s := 0.0
		best := 0
		for c, v := range r {
			if v < 0 || v > 1 {
				t.Fatalf("row %d: p(%d) = %v", i, c, v)
			}
			s += v
			if v > r[best] {
				best = c
			}
		}
		if math.Abs(s-1) > 1e-12 {
			t.Errorf("row %d sums to %v", i, s)
		}
		if r[3] != 0 {
			t.Errorf("row %d: absent class has probability %v", i, r[3])
		}
		if pred[i] != best {
			t.Errorf("row %d: Predict %d, argmax of Probs %d", i, pred[i], best)
		}
	}
}

func TestPredictLowestClassOnTies(t *testing.T) {
	// Two rows at the same point with different labels: every leaf is (1/2, 1/2).
	x := &nets.Matrix{Rows: 2, Cols: 1, Data: []float64{1, 1}}
	m, err := Params{NEstimators: 5, NoBootstrap: true}.Fit(context.Background(), x, []int{1, 0}, 2, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	pred := []int{-1}
	m.Predict(&nets.Matrix{Rows: 1, Cols: 1, Data: []float64{1}}, pred)
	var p nets.Matrix
	m.Probs(&nets.Matrix{Rows: 1, Cols: 1, Data: []float64{1}}, &p)
	if p.Data[0] != p.Data[1] || pred[0] != 0 {
		t.Errorf("probabilities %v, prediction %d; want a tie predicted as 0", p.Data, pred[0])
	}
}

func TestDeterministic(t *testing.T) {
	x, y := blobs(150, 6, 3, 3)
	xt, _ := blobs(50, 6, 3, 4)
	fit := func(seed uint64, p Params) []float64 {
		m, err := p.Fit(context.Background(), x, y, 3, rand.New(rand.NewPCG(seed, 1)))
		if err != nil {
			t.Fatal(err)
		}
		var out nets.Matrix
		m.Probs(xt, &out)
		return out.Data
	}
	for _, p := range []Params{{NEstimators: 20}, {NEstimators: 20, Criterion: "entropy", MaxFeatures: "log2", NoBootstrap: true}} {
		a, b, c := fit(7, p), fit(7, p), fit(8, p)
		same, differ := true, false
		for i := range a {
			same = same && math.Float64bits(a[i]) == math.Float64bits(b[i])
			differ = differ || a[i] != c[i]
		}
		if !same {
			t.Errorf("%+v: two fits with the same seed differ", p)
		}
		if !differ {
			t.Errorf("%+v: fits with seeds 7 and 8 are identical", p)
		}
	}
}

// leafRows routes the rows of x through tree t of m and counts the rows per leaf.
func leafRows(m *Model, tree int, x *nets.Matrix) map[int32]int {
	counts := map[int32]int{}
	for i := range x.Rows {
		j := m.roots[tree]
		for m.nodes[j].feature >= 0 {
			nd := m.nodes[j]
			if float64(float32(x.Row(i)[nd.feature])) <= nd.threshold {
				j = nd.left
			} else {
				j = nd.right
			}
		}
		counts[j]++
	}
	return counts
}

func TestMinSamplesLeaf(t *testing.T) {
	x, y := blobs(300, 4, 6, 5)
	for _, p := range []Params{{NEstimators: 10, MinSamplesLeaf: 7}, {NEstimators: 3, MinSamplesLeaf: 7, NoBootstrap: true, MaxFeatures: "all"}} {
		m, err := p.Fit(context.Background(), x, y, 6, rand.New(rand.NewPCG(9, 9)))
		if err != nil {
			t.Fatal(err)
		}
		leaves, smallest := 0, math.MaxInt
		for j, nd := range m.nodes {
			n := int(m.nodeSamples[j])
			if nd.feature < 0 {
				leaves++
				smallest = min(smallest, n)
			} else if n < 14 {
				t.Errorf("%+v: node %d with %d rows was split (min_samples_split is 14)", p, j, n)
			}
		}
		if smallest < 7 {
			t.Errorf("%+v: a leaf has %d distinct rows", p, smallest)
		}
		if leaves < 10 {
			t.Errorf("%+v: only %d leaves: the trees hardly grew", p, leaves)
		}
		if p.NoBootstrap {
			// Without bootstrap every training row reaches a leaf: count them.
			for tree := range m.roots {
				for j, c := range leafRows(m, tree, x) {
					if c < 7 || c != int(m.nodeSamples[j]) {
						t.Errorf("leaf %d gets %d training rows, recorded %d", j, c, m.nodeSamples[j])
					}
				}
			}
		}
	}
}

func TestMaxDepth(t *testing.T) {
	x, y := blobs(300, 4, 3, 6)
	m, err := Params{NEstimators: 10, MaxDepth: 3}.Fit(context.Background(), x, y, 3, rand.New(rand.NewPCG(1, 3)))
	if err != nil {
		t.Fatal(err)
	}
	deepest := 0
	for tree, root := range m.roots {
		var walk func(j int32, depth int) int
		walk = func(j int32, depth int) int {
			nd := m.nodes[j]
			if nd.feature < 0 {
				return depth
			}
			return max(walk(nd.left, depth+1), walk(nd.right, depth+1))
		}
		d := walk(root, 0)
		if d > 3 || d != m.depths[tree] {
			t.Errorf("tree %d has depth %d, recorded %d, limit 3", tree, d, m.depths[tree])
		}
		deepest = max(deepest, d)
	}
	if deepest != 3 {
		t.Errorf("deepest tree %d, want the limit 3 reached", deepest)
	}
}

// TestConstantFeaturesSkipped checks scikit-learn's rule that a node keeps drawing
// features while all those drawn are constant: with nine constant features and
// max_features 1, every root still splits on the one informative feature.
func TestConstantFeaturesSkipped(t *testing.T) {
	x := nets.NewMatrix(40, 10)
	y := make([]int, 40)
	for i := range 40 {
		for f := range 10 {
			x.Row(i)[f] = float64(f)
		}
		x.Row(i)[6] = float64(i)
		y[i] = i / 20
	}
	m, err := Params{NEstimators: 25, MaxFeaturesN: 1}.Fit(context.Background(), x, y, 2, rand.New(rand.NewPCG(2, 2)))
	if err != nil {
		t.Fatal(err)
	}
	for tree, root := range m.roots {
		if nd := m.nodes[root]; nd.feature != 6 {
			t.Errorf("tree %d: root splits on feature %d", tree, nd.feature)
		}
	}
}

// TestFeatureDrawsStopAtMaxFeatures checks the other half of scikit-learn's rule: the
// max_features visits include the constant features drawn, so a node does not go on
// until it has max_features non-constant ones. With a perfect feature P, a noise
// feature N and eight constant ones, max_features 2, the root considers P if P is
// among the first two draws (probability 2/10) or if both are constant and P comes
// before N afterwards ((8/10)(7/9)/2), so it splits on N with probability
// 1 − 0.2 − 0.311 = 0.489; were constant draws not counted it would never do so.
func TestFeatureDrawsStopAtMaxFeatures(t *testing.T) {
	const n, trees = 40, 400
	x := nets.NewMatrix(n, 10)
	y := make([]int, n)
	for i := range n {
		x.Row(i)[3] = float64(i)           // P
		x.Row(i)[8] = float64((i * 7) % n) // N
		y[i] = i / 20
	}
	m, err := Params{NEstimators: trees, MaxFeaturesN: 2, NoBootstrap: true}.Fit(context.Background(), x, y, 2, rand.New(rand.NewPCG(4, 4)))
	if err != nil {
		t.Fatal(err)
	}
	onN := 0
	for tree, root := range m.roots {
		switch m.nodes[root].feature {
		case 8:
			onN++
		case 3:
		default:
			t.Fatalf("tree %d: root splits on constant feature %d", tree, m.nodes[root].feature)
		}
	}
	t.Logf("%d of %d roots split on the noise feature", onN, trees)
	// Binomial(400, 0.489): standard deviation 0.025 of the fraction; allow 4.
	if f := float64(onN) / trees; math.Abs(f-0.489) > 0.1 {
		t.Errorf("%.3f of the roots split on the noise feature, want 0.489 ± 0.1", f)
	}
}

// TestBenchDataMatchesScript checks that benchData draws the data that
// `gen_fixtures.py --bench` times scikit-learn on; the script prints these sums.
func TestBenchDataMatchesScript(t *testing.T) {
	x, y := benchData(500, 20, 1)
	sum, ones := 0.0, 0
	for _, v := range x.Data {
		sum += v
	}
	for _, c := range y {
		ones += c
	}
	if math.Abs(sum-(-179.66412942782972)) > 1e-9 || ones != 242 {
		t.Errorf("bench data: sum %.17g, %d ones; the script's: -179.66412942782972, 242", sum, ones)
	}
}

func TestResolveMaxFeatures(t *testing.T) {
	for _, tc := range []struct {
		p    Params
		want int
	}{
		{Params{}, 5}, {Params{MaxFeatures: "sqrt"}, 5}, {Params{MaxFeatures: "log2"}, 4},
		{Params{MaxFeatures: "all"}, 30}, {Params{MaxFeaturesN: 7}, 7},
		{Params{MaxFeaturesFrac: 0.3}, 9}, {Params{MaxFeaturesFrac: 0.01}, 1}, {Params{MaxFeaturesFrac: 1}, 30},
	} {
		s, err := tc.p.resolve(30)
		if err != nil || s.maxFeatures != tc.want {
			t.Errorf("%+v: max_features %d (%v), want %d", tc.p, s.maxFeatures, err, tc.want)
		}
	}
	s, _ := Params{MinSamplesLeaf: 4}.resolve(3)
	if s.minSplit != 8 || s.minLeaf != 4 || s.trees != 100 || !s.bootstrap || s.entropy || s.maxFeatures != 1 {
		t.Errorf("defaults resolved to %+v", s)
	}
	if _, err := (Params{MaxFeaturesN: 31}).resolve(30); err == nil {
		t.Error("max_features 31 of 30 accepted")
	}
}

func TestValidate(t *testing.T) {
	good := []Params{{}, {NEstimators: 3, Criterion: "entropy", MaxDepth: 4, MinSamplesSplit: 2, MinSamplesLeaf: 1, MaxFeatures: "log2", NoBootstrap: true},
		{Criterion: "log_loss", MaxFeaturesFrac: 0.5}, {MaxFeaturesN: 3}}
	for _, p := range good {
		if err := p.Validate(); err != nil {
			t.Errorf("%+v: %v", p, err)
		}
	}
	bad := []Params{{NEstimators: -1}, {Criterion: "mse"}, {MaxDepth: -1}, {MinSamplesSplit: 1}, {MinSamplesLeaf: -2},
		{MaxFeatures: "auto"}, {MaxFeaturesN: -1}, {MaxFeaturesFrac: 1.5}, {MaxFeaturesFrac: math.NaN()},
		{MaxFeatures: "sqrt", MaxFeaturesN: 2}, {MaxFeaturesN: 2, MaxFeaturesFrac: 0.5}}
	for _, p := range bad {
		if err := p.Validate(); err == nil {
			t.Errorf("%+v accepted", p)
		}
	}
}

func TestFitErrors(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 1))
	x := &nets.Matrix{Rows: 2, Cols: 1, Data: []float64{0, 1}}
	for _, tc := range []struct {
		name    string
		x       *nets.Matrix
		y       []int
		classes int
		p       Params
	}{
		{"empty", &nets.Matrix{}, nil, 2, Params{}},
		{"labels", x, []int{0}, 2, Params{}},
		{"label range", x, []int{0, 2}, 2, Params{}},
		{"classes", x, []int{0, 0}, 0, Params{}},
		{"NaN", &nets.Matrix{Rows: 2, Cols: 1, Data: []float64{0, math.NaN()}}, []int{0, 1}, 2, Params{}},
		{"float32 overflow", &nets.Matrix{Rows: 2, Cols: 1, Data: []float64{0, 1e39}}, []int{0, 1}, 2, Params{}},
		{"max_features", x, []int{0, 1}, 2, Params{MaxFeaturesN: 2}},
		{"params", x, []int{0, 1}, 2, Params{Criterion: "x"}},
	} {
		if _, err := tc.p.Fit(ctx, tc.x, tc.y, tc.classes, rng); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := (Params{}).Fit(cancelled, x, []int{0, 1}, 2, rng); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v", err)
	}
}

func TestPredictAllocatesNothing(t *testing.T) {
	x, y := blobs(200, 8, 3, 7)
	m, err := Params{NEstimators: 20}.Fit(context.Background(), x, y, 3, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	var out nets.Matrix
	pred := make([]int, x.Rows)
	m.Probs(x, &out)
	if a := testing.AllocsPerRun(20, func() { m.Probs(x, &out) }); a != 0 {
		t.Errorf("Probs allocates %v times per call", a)
	}
	if a := testing.AllocsPerRun(20, func() { m.Predict(x, pred) }); a != 0 {
		t.Errorf("Predict allocates %v times per call", a)
	}
}

// TestFitReusesBuffers checks that growing more trees costs no allocation per tree
// beyond the amortised growth of the model's node and value slices.
func TestFitReusesBuffers(t *testing.T) {
	x, y := blobs(200, 8, 3, 8)
	allocs := func(trees int) float64 {
		return testing.AllocsPerRun(3, func() {
			if _, err := (Params{NEstimators: trees}).Fit(context.Background(), x, y, 3, rand.New(rand.NewPCG(1, 2))); err != nil {
				t.Fatal(err)
			}
		})
	}
	one, many := allocs(1), allocs(64)
	t.Logf("Fit allocates %v times for 1 tree, %v for 64", one, many)
	// Doubling slices: about 3·log2(64·nodes) more allocations, never one per tree.
	if many-one > 60 {
		t.Errorf("Fit allocates %v times for 1 tree, %v for 64", one, many)
	}
}

// splitmix64 is one step of Vigna's splitmix64 generator, as gen_fixtures.py's
// splitmix: the new state and the output.
func splitmix64(state uint64) (uint64, uint64) {
	state += 0x9E3779B97F4A7C15
	z := state
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return state, z ^ (z >> 31)
}

// benchData is gen_fixtures.py's bench_data: uniform features in [−1, 1) and label 1
// when the first five features plus uniform noise in [−½, ½) sum above 0.
func benchData(rows, cols int, seed uint64) (*nets.Matrix, []int) {
	x := nets.NewMatrix(rows, cols)
	y := make([]int, rows)
	st := seed
	var z uint64
	for i := range rows {
		r := x.Row(i)
		for j := range r {
			st, z = splitmix64(st)
			r[j] = float64(float64(z>>11)*0x1p-53*2) - 1
		}
		st, z = splitmix64(st)
		noise := float64(float64(z>>11)*0x1p-53) - 0.5
		s := 0.0
		for _, v := range r[:5] {
			s += v
		}
		if s+noise > 0 {
			y[i] = 1
		}
	}
	return x, y
}

// BenchmarkFitPredict fits 100 trees on 500 × 20 and predicts 1000 rows, the job
// `gen_fixtures.py --bench` times for scikit-learn.
func BenchmarkFitPredict(b *testing.B) {
	x, y := benchData(500, 20, 1)
	xt, _ := benchData(1000, 20, 2)
	var out nets.Matrix
	for i := 0; b.Loop(); i++ {
		m, err := Params{}.Fit(context.Background(), x, y, 2, rand.New(rand.NewPCG(uint64(i), 0)))
		if err != nil {
			b.Fatal(err)
		}
		m.Probs(xt, &out)
	}
}

// BenchmarkProbs predicts 1000 rows with a fitted 100-tree forest.
func BenchmarkProbs(b *testing.B) {
	x, y := benchData(500, 20, 1)
	xt, _ := benchData(1000, 20, 2)
	m, err := Params{}.Fit(context.Background(), x, y, 2, rand.New(rand.NewPCG(1, 0)))
	if err != nil {
		b.Fatal(err)
	}
	var out nets.Matrix
	for b.Loop() {
		m.Probs(xt, &out)
	}
}
