package nets_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"albench/nets"
)

// TestGradEmbedFactorsRecombine: GradEmbedFactors and GradEmbedFactorsRows give
// coef (Classes wide) and h (EmbedDim wide) whose rounded products are
// GradEmbed's elements bit for bit, g_i[c·E + j] = fl(coef_ic·h_ij), with h
// Embed's output and coef_ic = p_c − 1[c = ŷ] read off Probs (ŷ the first
// argmax; NaN as NaN, whatever its payload), on rows with ties (a net with zeroed last layer, where every class
// is equally likely and ŷ = 0), duplicated rows, NaN and zero rows, two to ten
// classes, pools shorter and longer than a chunk, in every kernel set (the
// opt-in float32 one too: the products are float64 there as well).
func TestGradEmbedFactorsRecombine(t *testing.T) {
	defer nets.SetKernel(nets.Kernel())
	for _, k := range append(nets.Kernels(), nets.OptInKernels()...) {
		if err := nets.SetKernel(k); err != nil {
			t.Fatal(err)
		}
		t.Run(k, testGradEmbedFactors)
	}
}

func testGradEmbedFactors(t *testing.T) {
	specs := []nets.Spec{
		relu,
		{Kind: "mlp", Inputs: 20, Hidden: []int{32, 16}, Outputs: 2, Dropout: 0.1},
		{Kind: "mlp", Inputs: 6, Hidden: []int{9}, Outputs: 10, Activation: "tanh"},
		logreg,
	}
	for si, spec := range specs {
		for _, tied := range []bool{false, true} {
			n := newNet(t, spec, uint64(si+31))
			if tied {
				zeroLastLayer(n)
			}
			x := randMatrix(rand.New(rand.NewPCG(uint64(si), 17)), 300, spec.Inputs)
			copy(x.Row(7), x.Row(3))   // a duplicated row
			clear(x.Row(11))           // a zero row
			x.Row(13)[0] = math.NaN()  // a NaN row
			copy(x.Row(250), x.Row(3)) // a duplicate in another chunk
			what := func(s string) string {
				if tied {
					return s + " (tied)"
				}
				return s
			}
			var g, coef, h, emb, p nets.Matrix
			n.GradEmbed(x, &g)
			n.GradEmbedFactors(x, &coef, &h)
			n.Embed(x, &emb)
			n.Probs(x, &p)
			c, e := n.Classes(), n.EmbedDim()
			if coef.Rows != x.Rows || coef.Cols != c || h.Rows != x.Rows || h.Cols != e {
				t.Fatalf("spec %d: factors %d×%d and %d×%d, want %d×%d and %d×%d",
					si, coef.Rows, coef.Cols, h.Rows, h.Cols, x.Rows, c, x.Rows, e)
			}
			sameBits(t, what("h against Embed"), si, h.Data, emb.Data)
			for i := range x.Rows {
				pr := p.Row(i)
				top := 0
				for k := range pr {
					if pr[k] > pr[top] {
						top = k
					}
				}
				if tied && top != 0 {
					t.Fatalf("spec %d row %d: tied probabilities %v, argmax %d", si, i, pr, top)
				}
				for k := range pr {
					want := pr[k]
					if k == top {
						want -= 1
					}
					if math.Float64bits(coef.Row(i)[k]) != math.Float64bits(want) && !(math.IsNaN(want) && math.IsNaN(coef.Row(i)[k])) {
						t.Fatalf("%s spec %d row %d: coef_%d = %v, want p − 1[ŷ] = %v", what(""), si, i, k, coef.Row(i)[k], want)
					}
					for j := range e {
						got := float64(coef.Row(i)[k] * h.Row(i)[j])
						// NaN·NaN takes one operand's payload, whichever the compiler put first.
						if w := g.Row(i)[k*e+j]; math.Float64bits(got) != math.Float64bits(w) && !(got != got && w != w) {
							t.Fatalf("%s spec %d row %d: coef·h at %d,%d is %v, GradEmbed %v", what(""), si, i, k, j, got, w)
						}
					}
				}
			}
			rows := rand.New(rand.NewPCG(5, uint64(si))).Perm(300)
			rows = append(rows[:150], 13, 13, 3, 7)
			var gc, gh, rc, rh nets.Matrix
			gx := nets.NewMatrix(0, spec.Inputs)
			gx.Gather(x, rows)
			n.GradEmbedFactors(gx, &gc, &gh)
			n.GradEmbedFactorsRows(x, rows, &rc, &rh)
			sameBits(t, what("coef of GradEmbedFactorsRows"), si, rc.Data, gc.Data)
			sameBits(t, what("h of GradEmbedFactorsRows"), si, rh.Data, gh.Data)
		}
	}
}

// zeroLastLayer sets the output layer's weights and biases (the last
// Classes·(EmbedDim + 1) parameters) to zero, so every row's logits tie.
func zeroLastLayer(n *nets.Net) {
	p := n.Params()
	clear(p[len(p)-n.Classes()*(n.EmbedDim()+1):])
}

func sameBits(t *testing.T, what string, spec int, got, want []float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("spec %d %s: %d elements, want %d", spec, what, len(got), len(want))
	}
	for k := range want {
		if math.Float64bits(got[k]) != math.Float64bits(want[k]) {
			t.Fatalf("spec %d %s: element %d is %v, want %v", spec, what, k, got[k], want[k])
		}
	}
}
