package nets_test

import (
	"albench/learners"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"albench/nets"
	"albench/strategies"
)

// The capabilities strategies ask for.
var (
	_ strategies.Model      = (*nets.Net)(nil)
	_ learners.Embedder     = (*nets.Net)(nil)
	_ learners.GradEmbedder = (*nets.Net)(nil)
	_ learners.GradNormer   = (*nets.Net)(nil)
	_ learners.MCSampler    = (*nets.Net)(nil)
)

var (
	relu    = nets.Spec{Kind: "mlp", Inputs: 5, Hidden: []int{7, 6}, Outputs: 3}
	tanh    = nets.Spec{Kind: "mlp", Inputs: 5, Hidden: []int{7, 6}, Outputs: 3, Activation: "tanh"}
	logreg  = nets.Spec{Kind: "logreg", Inputs: 5, Outputs: 3}
	dropout = nets.Spec{Kind: "mlp", Inputs: 5, Hidden: []int{7, 6}, Outputs: 3, Dropout: 0.4}
	specs   = map[string]nets.Spec{"relu": relu, "tanh": tanh, "logreg": logreg, "dropout": dropout}
)

// forEachKernel runs f as a subtest under every kernel set this binary can run
// on this CPU, so that each set meets every exact property.
func forEachKernel(t *testing.T, f func(t *testing.T)) {
	defer nets.SetKernel(nets.Kernel())
	for _, k := range nets.Kernels() {
		if err := nets.SetKernel(k); err != nil {
			t.Fatal(err)
		}
		t.Run(k, f)
	}
}

func newNet(t testing.TB, spec nets.Spec, seed uint64) *nets.Net {
	t.Helper()
	n, err := nets.New(spec)
	if err != nil {
		t.Fatal(err)
	}
	n.Init(rand.New(rand.NewPCG(seed, 99)))
	return n
}

func randMatrix(rng *rand.Rand, rows, cols int) *nets.Matrix {
	m := nets.NewMatrix(rows, cols)
	for i := range m.Data {
		m.Data[i] = rng.NormFloat64()
	}
	return m
}

func randLabels(rng *rand.Rand, rows, classes int) []int {
	y := make([]int, rows)
	for i := range y {
		y[i] = rng.IntN(classes)
	}
	return y
}

// naive is a textbook forward pass read off Params: it returns the last hidden
// activations (x for logreg) and the softmax probabilities of one row.
func naive(spec nets.Spec, params, x []float64) (h, p []float64) {
	sizes := append(append([]int{spec.Inputs}, spec.Hidden...), spec.Outputs)
	a := x
	off := 0
	for l := 0; l+1 < len(sizes); l++ {
		in, out := sizes[l], sizes[l+1]
		z := make([]float64, out)
		for o := range z {
			z[o] = params[off+out*in+o]
			for k := 0; k < in; k++ {
				z[o] += params[off+o*in+k] * a[k]
			}
		}
		off += out*in + out
		if l+2 < len(sizes) {
			for o := range z {
				if spec.Activation == "tanh" {
					z[o] = math.Tanh(z[o])
				} else {
					z[o] = max(z[o], 0)
				}
			}
			a = z
			continue
		}
		h = a
		s := 0.0
		for _, v := range z {
			s += math.Exp(v)
		}
		for o := range z {
			z[o] = math.Exp(z[o]) / s
		}
		p = z
	}
	return h, p
}

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol*(1+math.Abs(b)) }

func TestNewRejectsBadSpecs(t *testing.T) {
	for _, tc := range []struct {
		spec nets.Spec
		want string
	}{
		{nets.Spec{Kind: "cnn", Inputs: 2, Outputs: 2}, "kind"},
		{nets.Spec{Kind: "mlp", Inputs: 0, Hidden: []int{3}, Outputs: 2}, "inputs"},
		{nets.Spec{Kind: "mlp", Inputs: 2, Hidden: []int{3}, Outputs: 1}, "outputs"},
		{nets.Spec{Kind: "mlp", Inputs: 2, Hidden: []int{3}, Outputs: 2, Activation: "gelu"}, "activation"},
		{nets.Spec{Kind: "mlp", Inputs: 2, Hidden: []int{3}, Outputs: 2, Dropout: 1}, "dropout"},
		{nets.Spec{Kind: "mlp", Inputs: 2, Hidden: []int{3}, Outputs: 2, Dropout: math.NaN()}, "dropout"},
		{nets.Spec{Kind: "mlp", Inputs: 2, Outputs: 2}, "hidden layer"},
		{nets.Spec{Kind: "mlp", Inputs: 2, Hidden: []int{3, 0}, Outputs: 2}, "hidden widths"},
		{nets.Spec{Kind: "logreg", Inputs: 2, Hidden: []int{3}, Outputs: 2}, "no hidden"},
		{nets.Spec{Kind: "logreg", Inputs: 2, Outputs: 2, Dropout: 0.5}, "drop"},
	} {
		if _, err := nets.New(tc.spec); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("New(%+v) = %v, want an error about %q", tc.spec, err, tc.want)
		}
	}
	n, err := nets.New(nets.Spec{Kind: "mlp", Inputs: 20, Hidden: []int{32, 16}, Outputs: 2})
	if err != nil {
		t.Fatal(err)
	}
	if s := n.Spec(); s.Activation != "relu" {
		t.Errorf("default activation %q, want relu", s.Activation)
	}
	if got, want := len(n.Params()), 20*32+32+32*16+16+16*2+2; got != want {
		t.Errorf("%d parameters, want %d", got, want)
	}
	if n.EmbedDim() != 16 || n.GradEmbedDim() != 32 || n.Classes() != 2 || n.HasDropout() {
		t.Errorf("EmbedDim %d, GradEmbedDim %d, Classes %d, HasDropout %v", n.EmbedDim(), n.GradEmbedDim(), n.Classes(), n.HasDropout())
	}
}

// TestInit checks PyTorch's nn.Linear default: for each layer the weight then the
// bias, each element β(2u − 1) with β = 1/√fan_in, drawn in Params order.
func TestInit(t *testing.T) {
	spec := nets.Spec{Kind: "mlp", Inputs: 9, Hidden: []int{4, 16}, Outputs: 3}
	n, _ := nets.New(spec)
	n.Init(rand.New(rand.NewPCG(1, 2)))

	rng := rand.New(rand.NewPCG(1, 2))
	sizes := []int{9, 4, 16, 3}
	p := n.Params()
	k := 0
	for l := 0; l+1 < len(sizes); l++ {
		bound := 1 / math.Sqrt(float64(sizes[l]))
		lo, hi := math.Inf(1), math.Inf(-1)
		for range sizes[l+1]*sizes[l] + sizes[l+1] {
			if want := bound * (2*rng.Float64() - 1); p[k] != want {
				t.Fatalf("parameter %d = %v, want %v", k, p[k], want)
			}
			lo, hi = min(lo, p[k]), max(hi, p[k])
			k++
		}
		if lo < -bound || hi > bound || hi-lo < bound {
			t.Errorf("layer %d spans [%v, %v], want within ±%v and spread", l, lo, hi, bound)
		}
	}
	if k != len(p) {
		t.Fatalf("checked %d of %d parameters", k, len(p))
	}

	same, _ := nets.New(spec)
	same.Init(rand.New(rand.NewPCG(1, 2)))
	other, _ := nets.New(spec)
	other.Init(rand.New(rand.NewPCG(1, 3)))
	if !slices.Equal(same.Params(), p) || slices.Equal(other.Params(), p) {
		t.Error("Init is not a function of the stream")
	}
}

func TestCloneAndCopyFrom(t *testing.T) {
	a := newNet(t, relu, 1)
	c := a.Clone()
	if !slices.Equal(a.Params(), c.Params()) {
		t.Fatal("clone differs")
	}
	c.Params()[0] += 1
	if a.Params()[0] == c.Params()[0] {
		t.Fatal("clone shares parameters")
	}
	b := newNet(t, relu, 2)
	b.CopyFrom(a)
	if !slices.Equal(a.Params(), b.Params()) {
		t.Fatal("CopyFrom did not copy")
	}
	defer func() {
		if r := recover(); r == nil || !strings.HasPrefix(r.(string), "nets:") {
			t.Fatalf("CopyFrom between specs: recovered %v, want a nets: panic", r)
		}
	}()
	b.CopyFrom(newNet(t, tanh, 1))
}

// TestForwardMatchesNaive compares Probs, Loss and Embed with a textbook forward
// pass, on more rows than one chunk.
func TestForwardMatchesNaive(t *testing.T) { forEachKernel(t, testForwardMatchesNaive) }

func testForwardMatchesNaive(t *testing.T) {
	for name, spec := range specs {
		t.Run(name, func(t *testing.T) {
			n := newNet(t, spec, 3)
			rng := rand.New(rand.NewPCG(4, 4))
			x := randMatrix(rng, 300, spec.Inputs)
			y := randLabels(rng, 300, spec.Outputs)
			var p, e nets.Matrix
			n.Probs(x, &p)
			n.Embed(x, &e)
			if p.Rows != 300 || p.Cols != 3 || e.Rows != 300 || e.Cols != n.EmbedDim() {
				t.Fatalf("Probs %d×%d, Embed %d×%d", p.Rows, p.Cols, e.Rows, e.Cols)
			}
			loss := 0.0
			for i := 0; i < x.Rows; i++ {
				h, q := naive(n.Spec(), n.Params(), x.Row(i))
				for j := range q {
					if !near(p.Row(i)[j], q[j], 1e-12) {
						t.Fatalf("Probs(%d, %d) = %v, want %v", i, j, p.Row(i)[j], q[j])
					}
				}
				for j := range h {
					if !near(e.Row(i)[j], h[j], 1e-12) {
						t.Fatalf("Embed(%d, %d) = %v, want %v", i, j, e.Row(i)[j], h[j])
					}
				}
				loss -= math.Log(q[y[i]])
			}
			if got := n.Loss(x, y); !near(got, loss/300, 1e-12) {
				t.Fatalf("Loss = %v, want %v", got, loss/300)
			}
		})
	}
}

// TestRowsAreIndependent: a row's outputs are bit-for-bit the same whatever rows
// it is computed with, so a strategy's scores do not depend on the pool's size
// or order.
func TestRowsAreIndependent(t *testing.T) { forEachKernel(t, testRowsAreIndependent) }

func testRowsAreIndependent(t *testing.T) {
	for name, spec := range specs {
		n := newNet(t, spec, 2)
		x := randMatrix(rand.New(rand.NewPCG(3, 3)), 7, spec.Inputs)
		var all, one [5]nets.Matrix
		outs := func(x *nets.Matrix, m *[5]nets.Matrix) {
			n.Probs(x, &m[0])
			n.Embed(x, &m[1])
			n.GradEmbed(x, &m[2])
			n.GradNorms(x, &m[3])
			n.MCProbs(x, &m[4], rand.New(rand.NewPCG(1, 1)))
		}
		outs(x, &all)
		for i := 0; i < x.Rows; i++ {
			outs(&nets.Matrix{Rows: 1, Cols: x.Cols, Data: x.Row(i)}, &one)
			for k := range 4 { // MCProbs draws masks for earlier rows first
				if !slices.Equal(one[k].Data, all[k].Row(i)) {
					t.Fatalf("%s: output %d of row %d alone differs from its value in a batch", name, k, i)
				}
			}
		}
	}
}

// TestProbsStable: huge logits must give probabilities, not NaN.
func TestProbsStable(t *testing.T) { forEachKernel(t, testProbsStable) }

func testProbsStable(t *testing.T) {
	n := newNet(t, logreg, 1)
	for i := range n.Params() {
		n.Params()[i] *= 1e6
	}
	x := randMatrix(rand.New(rand.NewPCG(1, 1)), 10, 5)
	var p nets.Matrix
	n.Probs(x, &p)
	for i := 0; i < p.Rows; i++ {
		s := 0.0
		for _, v := range p.Row(i) {
			if math.IsNaN(v) || v < 0 {
				t.Fatalf("row %d: %v", i, p.Row(i))
			}
			s += v
		}
		if !near(s, 1, 1e-12) {
			t.Fatalf("row %d sums to %v", i, s)
		}
	}
}

// bruteGrad is the full gradient of one row with one label.
func bruteGrad(n *nets.Net, x []float64, y int) []float64 {
	g := make([]float64, len(n.Params()))
	n.Gradient(&nets.Matrix{Rows: 1, Cols: len(x), Data: x}, []int{y}, g)
	return g
}

func TestGradNormsMatchBruteForce(t *testing.T) { forEachKernel(t, testGradNormsMatchBruteForce) }

func testGradNormsMatchBruteForce(t *testing.T) {
	for name, spec := range specs {
		t.Run(name, func(t *testing.T) {
			n := newNet(t, spec, 5)
			rng := rand.New(rand.NewPCG(6, 6))
			x := randMatrix(rng, 140, spec.Inputs) // more than one chunk
			var out nets.Matrix
			n.GradNorms(x, &out)
			if out.Rows != x.Rows || out.Cols != n.Classes() {
				t.Fatalf("GradNorms is %d×%d", out.Rows, out.Cols)
			}
			for i := 0; i < x.Rows; i++ {
				for y := 0; y < n.Classes(); y++ {
					g := bruteGrad(n, x.Row(i), y)
					want := math.Sqrt(sumSq(g))
					if got := out.Row(i)[y]; !near(got, want, 1e-12) {
						t.Fatalf("GradNorms(%d, %d) = %v, want %v", i, y, got, want)
					}
				}
			}
		})
	}
}

func sumSq(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x * x
	}
	return s
}

func TestGradEmbedIsLastLayerGradientAtPrediction(t *testing.T) {
	forEachKernel(t, testGradEmbedIsLastLayerGradientAtPrediction)
}

func testGradEmbedIsLastLayerGradientAtPrediction(t *testing.T) {
	for name, spec := range specs {
		t.Run(name, func(t *testing.T) {
			n := newNet(t, spec, 7)
			rng := rand.New(rand.NewPCG(8, 8))
			x := randMatrix(rng, 140, spec.Inputs)
			var out, p nets.Matrix
			n.GradEmbed(x, &out)
			n.Probs(x, &p)
			c, d := n.Classes(), n.EmbedDim()
			if out.Rows != x.Rows || out.Cols != n.GradEmbedDim() || out.Cols != c*d {
				t.Fatalf("GradEmbed is %d×%d", out.Rows, out.Cols)
			}
			last := len(n.Params()) - c*d - c // the last layer's weight
			for i := 0; i < x.Rows; i++ {
				top := 0
				for j, v := range p.Row(i) {
					if v > p.Row(i)[top] {
						top = j
					}
				}
				g := bruteGrad(n, x.Row(i), top)[last : last+c*d]
				for j, want := range g {
					if got := out.Row(i)[j]; !near(got, want, 1e-12) {
						t.Fatalf("GradEmbed(%d, %d) = %v, want %v", i, j, got, want)
					}
				}
			}
		})
	}
}

func TestMCProbs(t *testing.T) { forEachKernel(t, testMCProbs) }

func testMCProbs(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	x := randMatrix(rng, 150, 5)
	var p, q nets.Matrix

	// Without dropout, a stochastic pass is the deterministic one.
	plain := newNet(t, relu, 1)
	plain.Probs(x, &p)
	plain.MCProbs(x, &q, rand.New(rand.NewPCG(1, 1)))
	if !slices.Equal(p.Data, q.Data) {
		t.Fatal("MCProbs without dropout differs from Probs")
	}

	n := newNet(t, dropout, 1)
	if !n.HasDropout() {
		t.Fatal("HasDropout is false")
	}
	n.Probs(x, &p)
	n.MCProbs(x, &q, rand.New(rand.NewPCG(1, 1)))
	var r nets.Matrix
	n.MCProbs(x, &r, rand.New(rand.NewPCG(1, 1)))
	if !slices.Equal(q.Data, r.Data) {
		t.Fatal("the same stream gave different passes")
	}
	n.MCProbs(x, &r, rand.New(rand.NewPCG(1, 2)))
	if slices.Equal(q.Data, r.Data) {
		t.Fatal("different streams gave the same pass")
	}
	if slices.Equal(q.Data, p.Data) {
		t.Fatal("dropout changed nothing")
	}

	// Masks are drawn row by row, so a prefix of the rows gets the same pass.
	head := &nets.Matrix{Rows: 10, Cols: 5, Data: x.Data[:50]}
	n.MCProbs(head, &r, rand.New(rand.NewPCG(1, 1)))
	if !slices.Equal(r.Data, q.Data[:30]) {
		t.Fatal("the first rows' pass depends on the rows after them")
	}

	// The mean of many passes is close to the deterministic pass (not equal:
	// the network is not linear in the masks).
	mean := make([]float64, len(p.Data))
	const T = 400
	mc := rand.New(rand.NewPCG(2, 2))
	for range T {
		n.MCProbs(x, &r, mc)
		for i, v := range r.Data {
			mean[i] += v / T
		}
	}
	dev := 0.0
	for i := range mean {
		dev += math.Abs(mean[i]-p.Data[i]) / float64(len(mean))
	}
	if dev > 0.05 {
		t.Fatalf("mean |MC mean − Probs| = %v", dev)
	}
}

// TestNoAllocations: in steady state, inference and training reuse their buffers.
func TestNoAllocations(t *testing.T) { forEachKernel(t, testNoAllocations) }

func testNoAllocations(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	x := randMatrix(rng, 300, 5)
	y := randLabels(rng, 300, 3)
	var out nets.Matrix
	for name, spec := range specs {
		n := newNet(t, spec, 1)
		for fname, f := range map[string]func(){
			"Probs":     func() { n.Probs(x, &out) },
			"Loss":      func() { n.Loss(x, y) },
			"Embed":     func() { n.Embed(x, &out) },
			"GradEmbed": func() { n.GradEmbed(x, &out) },
			"GradNorms": func() { n.GradNorms(x, &out) },
			"MCProbs":   func() { n.MCProbs(x, &out, rng) },
		} {
			if a := testing.AllocsPerRun(5, f); a != 0 {
				t.Errorf("%s %s: %v allocations per call", name, fname, a)
			}
		}
		for _, ts := range []nets.TrainSpec{
			{Optimizer: "sgd", LR: 0.01, Momentum: 0.9, Epochs: 2},
			{Optimizer: "adam", LR: 0.01, WeightDecay: 1e-4, Epochs: 2, BatchSize: 32},
		} {
			tr, err := nets.NewTrainer(ts)
			if err != nil {
				t.Fatal(err)
			}
			if a := testing.AllocsPerRun(5, func() { tr.Fit(n, x, y, rng) }); a != 0 {
				t.Errorf("%s Fit %+v: %v allocations per call", name, ts, a)
			}
		}
	}
}
