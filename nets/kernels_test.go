package nets

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func randSlice(rng *rand.Rand, n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = rng.NormFloat64()
	}
	return s
}

func closeSlices(t *testing.T, name string, got, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d elements, want %d", name, len(got), len(want))
	}
	for i := range got {
		if math.Abs(got[i]-want[i]) > tol*(1+math.Abs(want[i])) {
			t.Fatalf("%s[%d] = %v, want %v", name, i, got[i], want[i])
		}
	}
}

// TestKernels checks every kernel set this binary can run against textbook loops,
// on shapes that exercise every remainder path (odd widths, short sums, lane
// counts that are not a multiple of any block).
func TestKernels(t *testing.T) {
	for _, k := range available {
		t.Run(k.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, 2))
			for _, ld := range []int{4, 8, 12, 20, 36} {
				for _, nout := range []int{1, 2, 3, 5, 8, 9} {
					for _, nin := range []int{1, 2, 3, 4, 5, 9} {
						checkLinearKernel(t, k, rng, nout, nin, ld)
						checkOuterKernel(t, k, rng, nout, nin, ld)
					}
				}
				a := randSlice(rng, 7*ld)
				want := make([]float64, ld)
				for i := range want {
					for p := 0; p < 7; p++ {
						want[i] += a[p*ld+i] * a[p*ld+i]
					}
				}
				got := randSlice(rng, ld)
				k.sumSq(got, a, 7, ld)
				closeSlices(t, "sumSq", got, want, 1e-13)
			}
		})
	}
}

func checkLinearKernel(t *testing.T, k *kernelSet, rng *rand.Rand, nout, nin, ld int) {
	t.Helper()
	src := randSlice(rng, nin*ld)
	w := randSlice(rng, nout*nin)
	bias := randSlice(rng, nout)
	for _, withBias := range []bool{false, true} {
		for _, relu := range []bool{false, true} {
			want := make([]float64, nout*ld)
			for o := 0; o < nout; o++ {
				for i := 0; i < ld; i++ {
					s := 0.0
					if withBias {
						s = bias[o]
					}
					for r := 0; r < nin; r++ {
						s += w[o*nin+r] * src[r*ld+i]
					}
					if relu {
						s = max(s, 0)
					}
					want[o*ld+i] = s
				}
			}
			b := bias
			if !withBias {
				b = nil
			}
			got := randSlice(rng, nout*ld) // garbage to be overwritten
			k.linear(got, src, w, b, nout, nin, ld, relu)
			closeSlices(t, "linear", got, want, 1e-12)
			if relu {
				for i, v := range got {
					if math.Signbit(v) {
						t.Fatalf("linear relu[%d] = %v, want +0 or positive", i, v)
					}
				}
			}
		}
	}
}

func checkOuterKernel(t *testing.T, k *kernelSet, rng *rand.Rand, nout, nin, ld int) {
	t.Helper()
	d := randSlice(rng, nout*ld)
	a := randSlice(rng, nin*ld)
	want := make([]float64, nout*nin)
	for j := 0; j < nout; j++ {
		for p := 0; p < nin; p++ {
			for i := 0; i < ld; i++ {
				want[j*nin+p] += d[j*ld+i] * a[p*ld+i]
			}
		}
	}
	got := randSlice(rng, nout*nin)
	outerTotals(k, got, d, a, nout, nin, ld)
	closeSlices(t, "outer", got, want, 1e-12)
}

// outerTotals sets gw to the weight gradient of one panel: k.outer on lane sums
// starting at zero, combined by laneTotals.
func outerTotals(k *kernelSet, gw, d, a []float64, nout, nin, ld int) {
	acc := make([]float64, nout*nin*lanes)
	k.outer(acc, d, a, nout, nin, ld)
	laneTotals(gw[:nout*nin], acc)
}

// TestOuterCarriesLaneSums: outer over the rows cut into panels of any
// multiple of lanes, its lane sums carried, gives the bits of one panel of all
// rows, in every kernel set; so does colSums.
func TestOuterCarriesLaneSums(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, k := range available {
		for _, ld := range []int{8, 20, 36, 68} {
			for _, nout := range []int{1, 2, 3, 5} {
				for _, nin := range []int{1, 4, 5, 9} {
					d, a := randSlice(rng, nout*ld), randSlice(rng, nin*ld)
					whole := make([]float64, nout*nin*lanes)
					k.outer(whole, d, a, nout, nin, ld)
					wholeB := make([]float64, nout*lanes)
					colSums(wholeB, d, nout, ld)
					for _, step := range []int{4, 8, 12} {
						acc := make([]float64, nout*nin*lanes)
						accB := make([]float64, nout*lanes)
						for s := 0; s < ld; s += step {
							w := min(step, ld-s)
							pd, pa := panelOf(d, nout, ld, s, w), panelOf(a, nin, ld, s, w)
							k.outer(acc, pd, pa, nout, nin, w)
							colSums(accB, pd, nout, w)
						}
						if !slices.Equal(acc, whole) || !slices.Equal(accB, wholeB) {
							t.Fatalf("%s: outer %d×%d over %d lanes in panels of %d: lane sums differ", k.name, nout, nin, ld, step)
						}
					}
				}
			}
		}
	}
}

// panelOf copies lanes s..s+w−1 of the rows×ld panel p into a rows×w panel.
func panelOf(p []float64, rows, ld, s, w int) []float64 {
	q := make([]float64, rows*w)
	for r := 0; r < rows; r++ {
		copy(q[r*w:r*w+w], p[r*ld+s:r*ld+s+w])
	}
	return q
}

// TestReluKeepsNaN: a NaN pre-activation must survive relu in every kernel set,
// or a diverging net could report a finite loss.
func TestReluKeepsNaN(t *testing.T) {
	for _, k := range available {
		src := []float64{math.NaN(), math.Inf(1), math.Inf(-1), math.Copysign(0, -1), -1, 2, 0, 3}
		for _, nout := range []int{1, 4, 5} { // the one- and four-output kernels
			w := make([]float64, nout)
			for o := range w {
				w[o] = 1
			}
			all := make([]float64, nout*len(src))
			k.linear(all, src, w, nil, nout, 1, 8, true)
			for o := range nout {
				got := all[o*8 : o*8+8]
				if !math.IsNaN(got[0]) || !math.IsInf(got[1], 1) || got[2] != 0 || math.Signbit(got[3]) || got[4] != 0 || got[5] != 2 {
					t.Errorf("%s: relu of %v = %v (output %d of %d)", k.name, src, got, o, nout)
				}
			}
		}
	}
}

// TestAdamKernelsAgree: Adam rounds every operation separately in every kernel
// set, so all sets give the same bits.
func TestAdamKernelsAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const n = 37
	w0, g := randSlice(rng, n), randSlice(rng, n)
	m0, v0 := randSlice(rng, n), randSlice(rng, n)
	for i := range v0 {
		v0[i] = math.Abs(v0[i])
	}
	var ref []float64
	for _, k := range available {
		w, m, v := slices.Clone(w0), slices.Clone(m0), slices.Clone(v0)
		k.adam(w, g, m, v, 0.01, 0.3)
		all := slices.Concat(w, m, v)
		if ref == nil {
			ref = all
			for i := range w {
				mi := m0[i]*beta1 + g[i]*(1-beta1)
				vi := v0[i]*beta2 + g[i]*g[i]*(1-beta2)
				want := w0[i] - 0.01*(mi/(math.Sqrt(vi)/0.3+adamEps))
				if !(math.Abs(w[i]-want) <= 1e-15*(1+math.Abs(want))) {
					t.Fatalf("adam w[%d] = %v, want %v", i, w[i], want)
				}
			}
		} else if !slices.Equal(all, ref) {
			t.Errorf("adam: kernel %s differs from %s", k.name, available[0].name)
		}
	}
}

func TestSetKernel(t *testing.T) {
	names := Kernels()
	if names[0] != "portable" {
		t.Fatalf("Kernels() = %v, want portable first", names)
	}
	if Kernel() != names[len(names)-1] {
		t.Errorf("Kernel() = %q, want the preferred %q", Kernel(), names[len(names)-1])
	}
	defer SetKernel(Kernel())
	for _, name := range names {
		if err := SetKernel(name); err != nil || Kernel() != name {
			t.Errorf("SetKernel(%q) = %v; Kernel() = %q", name, err, Kernel())
		}
	}
	if err := SetKernel("avx9000"); err == nil {
		t.Error("SetKernel accepted an unknown kernel")
	}
}

// TestKernelRounding: each kernel set rounds exactly as its contract says, in
// every block and remainder: the portable set rounds every product and sum, a
// fused set (name other than portable) rounds once per multiply-add. Bit
// equality here is what makes results reproducible per kernel and rows
// independent.
func TestKernelRounding(t *testing.T) {
	for _, k := range available {
		fused := k.name != "portable"
		madd := func(a, b, c float64) float64 {
			if fused {
				return math.FMA(a, b, c)
			}
			return c + float64(a*b)
		}
		rng := rand.New(rand.NewPCG(5, 6))
		for _, ld := range []int{4, 8, 12, 16, 20, 28, 40, 52, 64} {
			for _, nout := range []int{1, 2, 3, 4, 5, 6, 7, 10} {
				for _, nin := range []int{1, 3, 4, 5, 8, 9} {
					src, w, bias := randSlice(rng, nin*ld), randSlice(rng, nout*nin), randSlice(rng, nout)
					relu := (nout+nin)%2 == 0 // both epilogues of every block
					want := make([]float64, nout*ld)
					for o := 0; o < nout; o++ {
						for i := 0; i < ld; i++ {
							s := bias[o]
							for r := 0; r < nin; r++ {
								s = madd(w[o*nin+r], src[r*ld+i], s)
							}
							if relu {
								s = max(s, 0)
							}
							want[o*ld+i] = s
						}
					}
					got := make([]float64, nout*ld)
					k.linear(got, src, w, bias, nout, nin, ld, relu)
					if !slices.Equal(got, want) {
						t.Fatalf("%s: linear %d×%d, ld %d, relu %v: not the contract's bits", k.name, nout, nin, ld, relu)
					}

					d := randSlice(rng, nout*ld)
					gw := make([]float64, nout*nin)
					outerTotals(k, gw, d, src, nout, nin, ld)
					for j := 0; j < nout; j++ {
						for p := 0; p < nin; p++ {
							var s [lanes]float64
							for i := 0; i < ld; i++ {
								s[i%lanes] = madd(d[j*ld+i], src[p*ld+i], s[i%lanes])
							}
							if want := (s[0] + s[1]) + (s[2] + s[3]); gw[j*nin+p] != want {
								t.Fatalf("%s: outer %d×%d, ld %d: gw[%d,%d] = %v, contract %v", k.name, nout, nin, ld, j, p, gw[j*nin+p], want)
							}
						}
					}

					sq := make([]float64, ld)
					k.sumSq(sq, src, nin, ld)
					for i := range sq {
						s := 0.0
						for p := 0; p < nin; p++ {
							s = madd(src[p*ld+i], src[p*ld+i], s)
						}
						if sq[i] != s {
							t.Fatalf("%s: sumSq lane %d = %v, contract %v", k.name, i, sq[i], s)
						}
					}
				}
			}
		}
	}
}

// TestKernelsAgreeOnNets runs the same nets under every kernel set: inference
// and a few training epochs agree to 1e-12 relative (not bit for bit, since a
// fused multiply-add rounds once where the portable kernel rounds twice).
func TestKernelsAgreeOnNets(t *testing.T) {
	if len(available) < 2 {
		t.Skip("only the portable kernel runs here")
	}
	defer func(k *kernelSet) { kern = k }(kern)
	for _, spec := range []Spec{
		{Kind: "mlp", Inputs: 20, Hidden: []int{32, 16}, Outputs: 2},
		{Kind: "mlp", Inputs: 7, Hidden: []int{9, 5}, Outputs: 3, Activation: "tanh"},
		{Kind: "mlp", Inputs: 6, Hidden: []int{10}, Outputs: 4, Dropout: 0.3},
		{Kind: "logreg", Inputs: 5, Outputs: 3},
	} {
		var ref [][]float64
		for _, k := range available {
			kern = k
			n, err := New(spec)
			if err != nil {
				t.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(7, 8))
			n.Init(rng)
			x := &Matrix{Rows: 150, Cols: spec.Inputs, Data: randSlice(rng, 150*spec.Inputs)}
			y := make([]int, x.Rows)
			for i := range y {
				y[i] = rng.IntN(spec.Outputs)
			}
			tr, err := NewTrainer(TrainSpec{Optimizer: "adam", LR: 0.01, WeightDecay: 1e-3, Epochs: 5})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := tr.Fit(n, x, y, rand.New(rand.NewPCG(1, 1))); err != nil {
				t.Fatal(err)
			}
			var p, g, e, mc Matrix
			n.Probs(x, &p)
			n.GradNorms(x, &g)
			n.GradEmbed(x, &e)
			n.MCProbs(x, &mc, rand.New(rand.NewPCG(2, 2)))
			grad := make([]float64, len(n.params))
			n.Gradient(x, y, grad)
			outs := [][]float64{slices.Clone(n.params), p.Data, g.Data, e.Data, mc.Data, grad}
			if ref == nil {
				ref = outs
				continue
			}
			for i := range outs {
				closeSlices(t, fmt.Sprintf("%s %s output %d", spec.Kind, k.name, i), outs[i], ref[i], 1e-12)
			}
		}
	}
}

// BenchmarkLinear times the linear kernel in use on the first layer of the
// tutorial's network over a chunk of rows.
func BenchmarkLinear(b *testing.B) {
	for _, ld := range []int{chunkRows, 96} {
		b.Run(fmt.Sprint(ld), func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 1))
			src, w, bias := randSlice(rng, 20*ld), randSlice(rng, 32*20), randSlice(rng, 32)
			dst := make([]float64, 32*ld)
			for b.Loop() {
				kern.linear(dst, src, w, bias, 32, 20, ld, true)
			}
			b.ReportMetric(2*32*20*float64(ld)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}

// TestElementwiseKernelsExact checks reluMask and mul of every kernel set against
// their definitions bit for bit, on lengths with and without a vector remainder
// and with the special values relu can see.
func TestElementwiseKernelsExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, k := range available {
		for _, n := range []int{0, 1, 3, 4, 7, 64, 67} {
			d := make([]float64, n)
			h := make([]float64, n)
			a := make([]float64, n)
			b := make([]float64, n)
			for i := range n {
				d[i], a[i], b[i] = rng.NormFloat64(), rng.NormFloat64(), rng.NormFloat64()
				switch i % 4 {
				case 0:
					h[i] = 0
				case 1:
					h[i] = math.NaN()
				default:
					h[i] = rng.Float64() + 1e-300
				}
			}
			got := slices.Clone(d)
			k.reluMask(got, h)
			for i := range n {
				want := d[i]
				if h[i] == 0 {
					want = 0
				}
				if math.Float64bits(got[i]) != math.Float64bits(want) {
					t.Fatalf("%s: reluMask n=%d [%d]: got %v, want %v (h %v)", k.name, n, i, got[i], want, h[i])
				}
			}
			dst := make([]float64, n)
			k.mul(dst, a, b)
			for i := range n {
				if math.Float64bits(dst[i]) != math.Float64bits(a[i]*b[i]) {
					t.Fatalf("%s: mul n=%d [%d]: got %v, want %v", k.name, n, i, dst[i], a[i]*b[i])
				}
			}
		}
	}
}

// TestTransposeInExact checks every kernel set's transposeIn against its
// definition bit for bit: row counts with and without a remainder of four,
// every column count up to 70 (odd ones leave a column outside the vector
// pairs), panels wider than the rows, special values (−0, NaN with a payload),
// padding lanes zeroed over garbage, and nothing written past the panel.
func TestTransposeInExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	specials := []float64{math.Copysign(0, -1), math.Float64frombits(0x7ff8_0000_dead_beef), math.Inf(-1)}
	garbage := math.Float64frombits(0xfff4_0000_0bad_f00d)
	for _, k := range available {
		for _, rows := range []int{0, 1, 3, 4, 5, 7, 8, 13, 64, 66} {
			for cols := 1; cols <= 70; cols++ {
				for _, ld := range []int{pad(rows), pad(rows) + 4, rows + 1} {
					x := randSlice(rng, rows*cols)
					for i := range x {
						if i%11 == 3 {
							x[i] = specials[i%len(specials)]
						}
					}
					const spare = 5
					dst := make([]float64, cols*ld+spare)
					for i := range dst {
						dst[i] = garbage
					}
					k.transposeIn(dst[:cols*ld], x, rows, cols, ld)
					for p := range cols {
						for i := range ld {
							want := 0.0
							if i < rows {
								want = x[i*cols+p]
							}
							if got := dst[p*ld+i]; math.Float64bits(got) != math.Float64bits(want) {
								t.Fatalf("%s: transposeIn %d×%d, ld %d: dst[%d·ld+%d] = %v, want %v", k.name, rows, cols, ld, p, i, got, want)
							}
						}
					}
					for i, v := range dst[cols*ld:] {
						if math.Float64bits(v) != math.Float64bits(garbage) {
							t.Fatalf("%s: transposeIn %d×%d, ld %d wrote %v past the panel at +%d", k.name, rows, cols, ld, v, i)
						}
					}
				}
			}
		}
	}
}

// TestSoftmax2MatchesGeneral: the two-class softmax selects instead of
// branching but must give softmaxRows's bits exactly, into out or in place,
// with and without the loss, on ties, signed zeros, huge gaps, infinities and
// NaNs (which take the general path row by row, in order).
func TestSoftmax2MatchesGeneral(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	nan := math.Float64frombits(0x7ff8_0000_0000_beef)
	specials := []float64{0, math.Copysign(0, -1), 1, -1, 700, -800, math.Inf(1), math.Inf(-1), nan, 1e-300, 3}
	const rows, ld = 70, 72
	for trial := range 50 {
		z := make([]float64, 2*ld)
		for i := range rows {
			for k := range 2 {
				v := 5 * rng.NormFloat64()
				if trial > 0 && rng.IntN(3) == 0 {
					v = specials[rng.IntN(len(specials))]
				}
				z[k*ld+i] = v
			}
		}
		y := make([]int, rows)
		for i := range y {
			y[i] = rng.IntN(2)
		}
		same := func(what string, got, want []float64) {
			t.Helper()
			for i := range want {
				if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
					t.Fatalf("trial %d %s[%d]: softmax2 %v, general %v (logits %v)", trial, what, i, got[i], want[i], z)
				}
			}
		}
		for _, labels := range [][]int{nil, y} {
			outG, out2 := make([]float64, 2*rows), make([]float64, 2*rows)
			lossG := softmaxRows(slices.Clone(z), 0, rows, 2, ld, labels, outG, 0.5)
			loss2 := softmax2(slices.Clone(z), rows, ld, labels, out2, 0.5)
			same("out", out2, outG)
			same("loss", []float64{loss2}, []float64{lossG})

			zG, z2 := slices.Clone(z), slices.Clone(z)
			lossG = softmaxRows(zG, 0, rows, 2, ld, labels, nil, 0.5)
			loss2 = softmax2(z2, rows, ld, labels, nil, 0.5)
			same("z", z2, zG)
			same("loss in place", []float64{loss2}, []float64{lossG})
		}
	}
}

// BenchmarkTransposeIn times each kernel set's transposeIn on a chunk of the
// tutorial's inputs (64 rows of 20 features) and on a ragged last chunk.
func BenchmarkTransposeIn(b *testing.B) {
	for _, k := range available {
		for _, rows := range []int{chunkRows, 50} {
			b.Run(fmt.Sprintf("%s/%d", k.name, rows), func(b *testing.B) {
				x := randSlice(rand.New(rand.NewPCG(1, 1)), rows*20)
				dst := make([]float64, 20*pad(rows))
				for b.Loop() {
					k.transposeIn(dst, x, rows, 20, pad(rows))
				}
			})
		}
	}
}

// BenchmarkSoftmax times softmax into a row-major output on a chunk of
// two-class logits, by the general loop and by softmax2.
func BenchmarkSoftmax(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	z := randSlice(rng, 2*chunkRows)
	out := make([]float64, 2*chunkRows)
	b.Run("general", func(b *testing.B) {
		for b.Loop() {
			softmaxRows(z, 0, chunkRows, 2, chunkRows, nil, out, 0)
		}
	})
	b.Run("two-class", func(b *testing.B) {
		for b.Loop() {
			softmax2(z, chunkRows, chunkRows, nil, out, 0)
		}
	})
}
