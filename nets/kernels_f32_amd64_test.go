//go:build amd64 && !purego

package nets

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"
)

// fma32 returns a·b + c rounded once to float32, computed exactly in
// float64: the product of two float32 is exact in float64, the sum p + c is
// rounded to odd (round to nearest, then, if inexact and the result's last
// bit is even, one ulp towards the exact sum, whose error TwoSum gives), and
// a float64 rounded to odd rounds to the correct float32, since 53 ≥ 24 + 2
// (Boldo and Melquiond, "Emulation of FMA and correctly rounded sums: proved
// algorithms using rounding to odd", IEEE Trans. Computers 57(4), 2008).
func fma32(a, b, c float32) float32 {
	p := float64(a) * float64(b) // exact
	cc := float64(c)
	s := p + cc
	if math.IsInf(s, 0) || math.IsNaN(s) {
		return float32(s)
	}
	// TwoSum (Knuth): e = (p + cc) − s exactly.
	bb := s - p
	e := (p - (s - bb)) + (cc - bb)
	if e != 0 && math.Float64bits(s)&1 == 0 {
		if (e > 0) == (s > 0) || s == 0 {
			s = math.Nextafter(s, math.Inf(int(math.Copysign(1, e))))
		} else {
			s = math.Nextafter(s, 0)
		}
	}
	return float32(s)
}

// TestFMA32Reference: fma32, the reference of the float32 kernels, rounds
// a·b + c once to float32, against math/big's exact sum rounded to 24 bits,
// on random operands and on sums that fall at or next to float32 midpoints.
func TestFMA32Reference(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	f := func() float32 { return float32(rng.NormFloat64() * math.Exp(3*rng.NormFloat64())) }
	for n := 0; n < 200000; n++ {
		a, b, c := f(), f(), f()
		if n%3 == 0 {
			// c near −a·b: cancellation, and products whose low bits decide
			// the rounding of the float32 sum.
			c = -float32(float64(a)*float64(b)) * (1 + float32(rng.IntN(5)-2)*0x1p-23)
		}
		if n%5 == 0 {
			c = float32(math.Ldexp(float64(c), -30+rng.IntN(60)))
		}
		x := new(big.Float).SetPrec(200).SetFloat64(float64(a))
		x.Mul(x, new(big.Float).SetPrec(200).SetFloat64(float64(b)))
		x.Add(x, new(big.Float).SetPrec(200).SetFloat64(float64(c)))
		want, _ := x.Float32()
		got := fma32(a, b, c)
		if want == 0 && got == 0 {
			continue // the sign of an exact zero: big.Float's is not IEEE's
		}
		if math.Float32bits(got) != math.Float32bits(want) {
			t.Fatalf("fma32(%g, %g, %g) = %g, want %g", a, b, c, got, want)
		}
	}
}

// linearRef32 is the avx2-fma-f32 linear contract (see avx2F32) in Go.
func linearRef32(src, w, bias []float64, nout, nin, ld int, relu bool) []float64 {
	out := make([]float64, nout*ld)
	for o := 0; o < nout; o++ {
		for i := 0; i < ld; i++ {
			var s float32
			if bias != nil {
				s = float32(bias[o])
			}
			for r := 0; r < nin; r++ {
				s = fma32(float32(w[o*nin+r]), float32(src[r*ld+i]), s)
			}
			if relu {
				s = max(s, 0)
			}
			out[o*ld+i] = float64(s)
		}
	}
	return out
}

// outerRef32 is the avx2-fma-f32 outer contract in Go, on running lane sums.
func outerRef32(acc, d, a []float64, nout, nin, ld int) {
	for j := 0; j < nout; j++ {
		for p := 0; p < nin; p++ {
			s := acc[(j*nin+p)*lanes : (j*nin+p)*lanes+lanes]
			for i := 0; i < ld; i++ {
				s[i%lanes] = float64(fma32(float32(d[j*ld+i]), float32(a[p*ld+i]), float32(s[i%lanes])))
			}
		}
	}
}

// specials32 puts NaN, ±Inf, −0 and values that overflow float32 into s.
func specials32(rng *rand.Rand, s []float64) {
	special := []float64{math.NaN(), math.Inf(1), math.Inf(-1), math.Copysign(0, -1), 0, 1e39, -1e39, 1e-46}
	for i := range s {
		if rng.IntN(16) == 0 {
			s[i] = special[rng.IntN(len(special))]
		}
	}
}

// sameBits reports the first index where got and want differ in their bits
// (NaNs of any payload being alike), or −1.
func sameBits(got, want []float64) int {
	for i := range got {
		if math.Float64bits(got[i]) != math.Float64bits(want[i]) && !(math.IsNaN(got[i]) && math.IsNaN(want[i])) {
			return i
		}
	}
	return -1
}

// TestF32KernelsMatchContract: the float32 linear and outer give the bits of
// their contracts computed in Go with fma32, on every block and remainder
// (outputs 1–9, inputs 1–19, lanes 4–100), with and without bias and relu,
// with NaN, ±Inf, −0 and float32 overflow among the operands, and outer on
// running lane sums that start at float32 values.
func TestF32KernelsMatchContract(t *testing.T) {
	if !hasAVX2FMA() {
		t.Skip("no AVX2+FMA here")
	}
	rng := rand.New(rand.NewPCG(21, 22))
	for nout := 1; nout <= 9; nout++ {
		for nin := 1; nin <= 19; nin++ {
			for ld := 4; ld <= 100; ld += 4 {
				specials := (nout+nin+ld/4)%4 == 0
				src, w, bias := randSlice(rng, nin*ld), randSlice(rng, nout*nin), randSlice(rng, nout)
				if specials {
					specials32(rng, src)
					specials32(rng, w)
					specials32(rng, bias)
				}
				for _, withBias := range []bool{false, true} {
					b := bias
					if !withBias {
						b = nil
					}
					for _, relu := range []bool{false, true} {
						want := linearRef32(src, w, b, nout, nin, ld, relu)
						got := randSlice(rng, nout*ld)
						linearF32(got, src, w, b, nout, nin, ld, relu)
						if i := sameBits(got, want); i >= 0 {
							t.Fatalf("linear %d×%d ld %d bias %v relu %v: [%d] = %v, contract %v", nout, nin, ld, withBias, relu, i, got[i], want[i])
						}
						if relu && slices.ContainsFunc(got, func(v float64) bool { return math.Signbit(v) && !math.IsNaN(v) }) {
							t.Fatalf("linear %d×%d ld %d: relu gave a negative or −0", nout, nin, ld)
						}
					}
				}
				d := randSlice(rng, nout*ld)
				if specials {
					specials32(rng, d)
				}
				acc := make([]float64, nout*nin*lanes)
				for i := range acc {
					acc[i] = float64(float32(rng.NormFloat64()))
				}
				want := slices.Clone(acc)
				outerRef32(want, d, src, nout, nin, ld)
				outerF32(acc, d, src, nout, nin, ld)
				if i := sameBits(acc, want); i >= 0 {
					t.Fatalf("outer %d×%d ld %d: lane sum %d = %v, contract %v", nout, nin, ld, i, acc[i], want[i])
				}
			}
		}
	}
}

// TestF32KernelsNearPortable: on random shapes with odd sizes and tails, the
// float32 linear and outer are within float32 rounding of the portable
// (float64) kernels. The bound, for a sum of n products of float32-rounded
// operands plus a bias, is |got − want| ≤ (n + 3)·2⁻²⁴·Σ|terms| (two input
// roundings, one per multiply-add, one for the bias; Higham 2002, §3.1) with
// a margin of 2; the largest error seen is logged as a multiple of 2⁻²⁴·Σ|terms|.
func TestF32KernelsNearPortable(t *testing.T) {
	if !hasAVX2FMA() {
		t.Skip("no AVX2+FMA here")
	}
	rng := rand.New(rand.NewPCG(31, 32))
	const u = 0x1p-24
	worstLin, worstOut := 0.0, 0.0
	for n := 0; n < 300; n++ {
		nout, nin, ld := 1+rng.IntN(37), 1+rng.IntN(41), 4*(1+rng.IntN(70))
		src, w, bias := randSlice(rng, nin*ld), randSlice(rng, nout*nin), randSlice(rng, nout)
		got, want := make([]float64, nout*ld), make([]float64, nout*ld)
		linearF32(got, src, w, bias, nout, nin, ld, false)
		linearGo(want, src, w, bias, nout, nin, ld, false)
		for o := 0; o < nout; o++ {
			for i := 0; i < ld; i++ {
				mag := math.Abs(bias[o])
				for r := 0; r < nin; r++ {
					mag += math.Abs(w[o*nin+r] * src[r*ld+i])
				}
				e := math.Abs(got[o*ld+i]-want[o*ld+i]) / (u * mag)
				worstLin = max(worstLin, e/float64(nin+3))
				if e > 2*float64(nin+3) {
					t.Fatalf("linear %d×%d ld %d [%d,%d]: %v, portable %v: %.1f·u·Σ|terms|", nout, nin, ld, o, i, got[o*ld+i], want[o*ld+i], e)
				}
			}
		}
		d := randSlice(rng, nout*ld)
		gw, gwant := make([]float64, nout*nin), make([]float64, nout*nin)
		outerTotals(&avx2F32, gw, d, src, nout, nin, ld)
		outerTotals(&portable, gwant, d, src, nout, nin, ld)
		m := ld/lanes + 4 // products per lane, the lane additions and the roundings
		for j := 0; j < nout; j++ {
			for p := 0; p < nin; p++ {
				mag := 0.0
				for i := 0; i < ld; i++ {
					mag += math.Abs(d[j*ld+i] * src[p*ld+i])
				}
				e := math.Abs(gw[j*nin+p]-gwant[j*nin+p]) / (u * mag)
				worstOut = max(worstOut, e/float64(m))
				if e > 2*float64(m) {
					t.Fatalf("outer %d×%d ld %d [%d,%d]: %v, portable %v: %.1f·u·Σ|terms|", nout, nin, ld, j, p, gw[j*nin+p], gwant[j*nin+p], e)
				}
			}
		}
	}
	t.Logf("largest error / bound: linear %.3f, outer %.3f", worstLin, worstOut)
}

// TestF32TrainingNearFloat64: a net trained for some epochs with the
// float32 set reaches a loss, and predicts probabilities, within a small
// relative distance of the avx2-fma set's, full batch and mini-batches.
func TestF32TrainingNearFloat64(t *testing.T) {
	if !hasAVX2FMA() {
		t.Skip("no AVX2+FMA here")
	}
	defer func(k *kernelSet) { kern = k }(kern)
	for _, tc := range []struct {
		spec Spec
		ts   TrainSpec
	}{
		{Spec{Kind: "mlp", Inputs: 20, Hidden: []int{32, 16}, Outputs: 2}, TrainSpec{Optimizer: "adam", LR: 1e-2, Epochs: 30}},
		{Spec{Kind: "mlp", Inputs: 20, Hidden: []int{32, 16}, Outputs: 2, Dropout: 0.1}, TrainSpec{Optimizer: "adam", LR: 1e-2, Epochs: 10, BatchSize: 64}},
		{Spec{Kind: "mlp", Inputs: 7, Hidden: []int{9}, Outputs: 5, Activation: "tanh"}, TrainSpec{Optimizer: "sgd", LR: 0.1, Momentum: 0.9, Epochs: 30}},
	} {
		rng := rand.New(rand.NewPCG(41, 42))
		const rows = 1001
		x := NewMatrix(rows, tc.spec.Inputs)
		y := make([]int, rows)
		for i := 0; i < rows; i++ {
			y[i] = rng.IntN(tc.spec.Outputs)
			for p := 0; p < tc.spec.Inputs; p++ {
				x.Data[i*tc.spec.Inputs+p] = rng.NormFloat64() + float64(y[i]*(p%3))*0.5
			}
		}
		var losses []float64
		var probs [][]float64
		for _, k := range []*kernelSet{&avx2, &avx2F32} {
			kern = k
			n, err := New(tc.spec)
			if err != nil {
				t.Fatal(err)
			}
			n.Init(rand.New(rand.NewPCG(1, 2)))
			tr, err := NewTrainer(tc.ts)
			if err != nil {
				t.Fatal(err)
			}
			loss, err := tr.Fit(n, x, y, rand.New(rand.NewPCG(3, 4)))
			if err != nil {
				t.Fatal(err)
			}
			var p Matrix
			n.Probs(x, &p)
			losses, probs = append(losses, loss), append(probs, p.Data)
		}
		rel := math.Abs(losses[1]-losses[0]) / losses[0]
		dp := 0.0
		for i := range probs[0] {
			dp = max(dp, math.Abs(probs[1][i]-probs[0][i]))
		}
		name := fmt.Sprintf("%v %s", tc.spec.Hidden, tc.ts.Optimizer)
		t.Logf("%s: loss %.9g (f64) %.9g (f32), relative %.2g; largest probability difference %.2g", name, losses[0], losses[1], rel, dp)
		if rel > 1e-5 || dp > 1e-4 {
			t.Errorf("%s: float32 training is too far from float64: loss relative %.3g, probabilities %.3g", name, rel, dp)
		}
	}
}

// TestF32IsOptIn: the float32 set is listed as opt-in, selectable by name,
// and never the default, which stays the float64 avx2-fma set; Kernels, the
// float64 sets, leaves it out.
func TestF32IsOptIn(t *testing.T) {
	if !hasAVX2FMA() {
		t.Skip("no AVX2+FMA here")
	}
	if got := OptInKernels(); !slices.Equal(got, []string{"avx2-fma-f32"}) {
		t.Fatalf("OptInKernels() = %v", got)
	}
	if slices.Contains(Kernels(), "avx2-fma-f32") || Kernel() != "avx2-fma" {
		t.Fatalf("Kernels() = %v, Kernel() = %q: the float32 set must be opt-in", Kernels(), Kernel())
	}
	defer func(k *kernelSet) { kern = k }(kern)
	if err := SetKernel("avx2-fma-f32"); err != nil || kern != &avx2F32 || Kernel() != "avx2-fma-f32" {
		t.Fatalf("SetKernel(avx2-fma-f32) = %v", err)
	}
	if err := SetKernel("avx2-fma"); err != nil || kern != &avx2 {
		t.Fatalf("SetKernel(avx2-fma) = %v", err)
	}
}

// TestF32BlockedTrainingIsExact: with the float32 set too, training in panels
// of rows gives the bits of one panel holding every row (its lane sums are
// carried as float32 values, four lanes per weight), whatever the panel size.
func TestF32BlockedTrainingIsExact(t *testing.T) {
	if !hasAVX2FMA() {
		t.Skip("no AVX2+FMA here")
	}
	defer func(k *kernelSet) { kern = k }(kern)
	kern = &avx2F32
	testBlockedTrainingIsExact(t)
}

// TestF32OuterCarriesLaneSums: outer of the float32 set over rows cut into
// panels of any multiple of lanes, its lane sums carried, gives the bits of
// one panel of all rows.
func TestF32OuterCarriesLaneSums(t *testing.T) {
	if !hasAVX2FMA() {
		t.Skip("no AVX2+FMA here")
	}
	rng := rand.New(rand.NewPCG(51, 52))
	for _, ld := range []int{8, 20, 36, 68, 200} {
		for _, nout := range []int{1, 2, 3, 5} {
			for _, nin := range []int{1, 4, 5, 9, 17} {
				d, a := randSlice(rng, nout*ld), randSlice(rng, nin*ld)
				whole := make([]float64, nout*nin*lanes)
				outerF32(whole, d, a, nout, nin, ld)
				for _, step := range []int{4, 8, 12, 64} {
					acc := make([]float64, nout*nin*lanes)
					for s := 0; s < ld; s += step {
						w := min(step, ld-s)
						outerF32(acc, panelOf(d, nout, ld, s, w), panelOf(a, nin, ld, s, w), nout, nin, w)
					}
					if !slices.Equal(acc, whole) {
						t.Fatalf("outer %d×%d over %d lanes in panels of %d: lane sums differ", nout, nin, ld, step)
					}
				}
			}
		}
	}
}

// TestF32ReluKeepsNaN: relu keeps a NaN pre-activation in the float32 set.
func TestF32ReluKeepsNaN(t *testing.T) {
	if !hasAVX2FMA() {
		t.Skip("no AVX2+FMA here")
	}
	src := []float64{math.NaN(), math.Inf(1), math.Inf(-1), math.Copysign(0, -1), -1, 2, 0, 3}
	for _, nout := range []int{1, 4, 5} {
		w := make([]float64, nout)
		for o := range w {
			w[o] = 1
		}
		all := make([]float64, nout*len(src))
		linearF32(all, src, w, nil, nout, 1, 8, true)
		for o := range nout {
			got := all[o*8 : o*8+8]
			if !math.IsNaN(got[0]) || !math.IsInf(got[1], 1) || got[2] != 0 || math.Signbit(got[3]) || got[4] != 0 || got[5] != 2 {
				t.Errorf("relu of %v = %v (output %d of %d)", src, got, o, nout)
			}
		}
	}
}

// TestF32CrossDotsStayFloat64: distances keep their float64 error bound under
// the float32 set: CrossDots gives the avx2-fma set's bits.
func TestF32CrossDotsStayFloat64(t *testing.T) {
	if !hasAVX2FMA() {
		t.Skip("no AVX2+FMA here")
	}
	defer func(k *kernelSet) { kern = k }(kern)
	rng := rand.New(rand.NewPCG(61, 62))
	x, c := NewMatrix(77, 13), NewMatrix(5, 13)
	x.Data, c.Data = randSlice(rng, 77*13), randSlice(rng, 5*13)
	rows := make([]int, 50)
	for i := range rows {
		rows[i] = rng.IntN(x.Rows)
	}
	var outs [][]float64
	for _, k := range []*kernelSet{&avx2, &avx2F32} {
		kern = k
		var p CrossDots
		out, _ := p.Rows(x, rows, c, nil)
		outs = append(outs, slices.Clone(out))
	}
	if !slices.Equal(outs[0], outs[1]) {
		t.Fatal("CrossDots under avx2-fma-f32 differs from avx2-fma")
	}
}
