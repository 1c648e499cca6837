package nets

import (
	"fmt"
	"math"
)

// Activations are stored feature-major inside a Net: a layer of width w over a
// chunk of rows is a w×ld panel whose row f holds feature f of every sample, one
// sample per lane, with ld the row count rounded up to a multiple of lanes (the
// padding lanes are kept at zero or at least finite, so that they add nothing
// to the sums over samples of the gradient). Every kernel below then runs along
// the samples: a sample's result is computed by the same operations in the same
// order whatever other samples share its panel, which makes rows independent by
// construction, and the vector kernels need no column remainders whatever the
// layer widths.
//
// The kernels come in sets, selected once at init by the CPU's features: the
// portable set in plain Go, and on amd64 the AVX2 set in assembly
// (kernels_amd64.s, left out with -tags purego). A vector set fuses
// multiply-adds, which rounds once where the portable set rounds twice, so
// results are bit-identical for a given kernel set but only close (about 1e-15
// relative per operation) across sets. Kernel names the set in use, so that a
// record can say which produced it.

// lanes is the padding unit of the sample dimension: a multiple of every vector
// width in use (4 float64 for AVX2).
const lanes = 4

// pad returns rows rounded up to a multiple of lanes.
func pad(rows int) int { return (rows + lanes - 1) / lanes * lanes }

// kernelSet holds the hot loops that a vector implementation replaces.
type kernelSet struct {
	name string

	// single is set when linear and outer compute in float32 (the
	// avx2-fma-f32 set): results within float32 rounding of the float64
	// sets', bit-identical for the set itself.
	single bool

	// wide, when not nil, is the float64 set whose linear CrossDots uses,
	// so that distances keep their float64 error bound under a single set.
	wide *kernelSet

	// linear sets, for o < nout and i < ld,
	//
	//	dst[o·ld + i] = act(bias[o] + Σ_r w[o·nin + r] · src[r·ld + i]),
	//
	// the sum taken in order of r starting from the bias (0 when bias is nil),
	// and act the identity or, when relu is set, max(·, 0) (NaN kept, −0 made
	// +0). It is a layer's forward pass, or with the weight transposed the
	// back-propagation of its deltas.
	linear func(dst, src, w, bias []float64, nout, nin, ld int, relu bool)

	// outer adds, for j < nout, p < nin and lane k < lanes, a panel's share
	// of the weight gradient to its running lane sums,
	//
	//	acc[(j·nin + p)·lanes + k] += Σ_{i ≡ k mod lanes} d[j·ld + i] · a[p·ld + i],
	//
	// one multiply-add per i in order of i. Rows go through training in
	// panels of a multiple of lanes rows, so a lane keeps its residue class
	// across panels and sums carried over panels are, operation for
	// operation, the sums over one panel holding every row; laneTotals then
	// combines each weight's lanes as (s₀ + s₁) + (s₂ + s₃).
	outer func(acc, d, a []float64, nout, nin, ld int)

	// sumSq sets dst[i] = Σ_p a[p·ld + i]² for i < ld, in order of p.
	sumSq func(dst, a []float64, n, ld int)

	// reluMask zeroes d[i] where h[i] is +0: the derivative of relu applied to
	// deltas, given relu's outputs h (which are +0, positive or NaN). Exact, so
	// every implementation gives the same bits.
	reluMask func(d, h []float64)

	// mul sets dst[i] = a[i]·b[i] (applying dropout masks). Exact per element.
	mul func(dst, a, b []float64)

	// adam applies Adam's update elementwise (see Trainer.step); every
	// implementation rounds each operation the same way, so it is bit-identical
	// across sets.
	adam func(w, g, m, v []float64, stepSize, bc2 float64)

	// transposeIn sets dst (cols×ld, feature-major) to the rows×cols row-major
	// x, dst[p·ld + i] = x[i·cols + p], with the padding lanes rows ≤ i < ld
	// zero. Data movement only, so every implementation gives the same bits.
	transposeIn func(dst, x []float64, rows, cols, ld int)

	// quadChunks sets the dropout masks that the first chunks of four rows'
	// streams give (see quadChunksGo). Integer operations only, so every
	// implementation gives the same bits.
	quadChunks func(a []float64, units, ld int, keys [4]uint64, p1, keep uint64) (last [4]uint64, ties bool)
}

// portable is the plain-Go kernel set, available everywhere.
var portable = kernelSet{
	name:        "portable",
	linear:      linearGo,
	outer:       outerGo,
	sumSq:       sumSqGo,
	adam:        adamGo,
	reluMask:    reluMaskGo,
	mul:         mulGo,
	transposeIn: transposeInGo,
	quadChunks:  quadChunksGo,
}

// reluMaskGo is reluMask. relu outputs are +0 or positive (max(−0, 0) is +0), so
// h > 0 exactly when h's bits are not all zero; masking with the bits avoids a
// branch that random signs would mispredict half the time.
func reluMaskGo(d, h []float64) {
	h = h[:len(d)]
	for i, v := range h {
		b := math.Float64bits(v)
		keep := -((b | -b) >> 63) // all ones if b ≠ 0, else zero
		d[i] = math.Float64frombits(math.Float64bits(d[i]) & keep)
	}
}

// mulGo is mul.
func mulGo(dst, a, b []float64) {
	a, b = a[:len(dst)], b[:len(dst)]
	for i := range dst {
		dst[i] = a[i] * b[i]
	}
}

// available lists the kernel sets this binary and CPU can run, the preferred
// last; kern is the one in use.
var (
	available = []*kernelSet{&portable}
	kern      = &portable
)

// register adds a vector kernel set at init and makes it the one in use.
func register(k *kernelSet) {
	available = append(available, k)
	kern = k
}

// optIn lists the kernel sets that this binary and CPU can run but that are
// chosen only by name (SetKernel, albench run -kernel): they trade accuracy
// for speed (avx2-fma-f32 computes linear and outer in float32), so they are
// never the default and stay out of available, whose sets all meet the
// float64 contracts above.
var optIn []*kernelSet

// registerOptIn adds an opt-in kernel set at init (see optIn).
func registerOptIn(k *kernelSet) {
	optIn = append(optIn, k)
}

// OptInKernels returns the names of the kernel sets that this binary can run
// on this CPU but that SetKernel selects only when asked, since they compute
// in float32: "avx2-fma-f32" where the CPU has AVX2 and FMA. Their results are
// bit-identical for a given kernel too, and within float32 rounding of the
// float64 sets'.
func OptInKernels() []string {
	var names []string
	for _, k := range optIn {
		names = append(names, k.name)
	}
	return names
}

// float64Set returns the set whose linear keeps float64 accuracy: k itself,
// or its wide set when k computes in float32.
func (k *kernelSet) float64Set() *kernelSet {
	if k.wide != nil {
		return k.wide
	}
	return k
}

// Kernel returns the name of the kernel set in use: "portable" for plain Go, or
// the vector set chosen at start-up from the CPU's features, such as
// "avx2-fma". Results are bit-identical for a given kernel, so records should
// carry it.
func Kernel() string { return kern.name }

// Kernels returns the names of the kernel sets this binary can run on this CPU,
// "portable" first.
func Kernels() []string {
	var names []string
	for _, k := range available {
		names = append(names, k.name)
	}
	return names
}

// SetKernel selects the kernel set by name (one of Kernels or OptInKernels),
// for reproducing results made with another kernel or comparing kernels. It
// affects every Net and Trainer and must not be called while any is in use.
func SetKernel(name string) error {
	for _, k := range append(available[:len(available):len(available)], optIn...) {
		if k.name == name {
			kern = k
			return nil
		}
	}
	return fmt.Errorf("nets: kernel %q is not available here (have %v, opt-in %v)", name, Kernels(), OptInKernels())
}

// linearGo is the portable linear kernel: four outputs by two lanes at a time,
// eight independent accumulators fed by two loads of the input and four of the
// weights, which is what fits in the sixteen SSE registers without spilling.
// The float64 conversions forbid the compiler from fusing a multiply and an add
// (which it may do on GOAMD64=v3), so the portable kernel rounds the same way on
// every machine.
func linearGo(dst, src, w, bias []float64, nout, nin, ld int, relu bool) {
	if nout == 0 || ld == 0 {
		return
	}
	checkLinear(dst, src, w, bias, nout, nin, ld)
	o := 0
	for ; o+3 < nout; o += 4 {
		var b0, b1, b2, b3 float64
		if bias != nil {
			b0, b1, b2, b3 = bias[o], bias[o+1], bias[o+2], bias[o+3]
		}
		w0 := w[o*nin : o*nin+nin]
		w1 := w[(o+1)*nin : (o+1)*nin+nin]
		w2 := w[(o+2)*nin : (o+2)*nin+nin]
		w3 := w[(o+3)*nin : (o+3)*nin+nin]
		w1, w2, w3 = w1[:len(w0)], w2[:len(w0)], w3[:len(w0)]
		for i := 0; i+1 < ld; i += 2 {
			s00, s01 := b0, b0
			s10, s11 := b1, b1
			s20, s21 := b2, b2
			s30, s31 := b3, b3
			off := i
			for r, u := range w0 {
				x := src[off : off+2 : off+2]
				x0, x1 := x[0], x[1]
				s00 += float64(u * x0)
				s01 += float64(u * x1)
				u = w1[r]
				s10 += float64(u * x0)
				s11 += float64(u * x1)
				u = w2[r]
				s20 += float64(u * x0)
				s21 += float64(u * x1)
				u = w3[r]
				s30 += float64(u * x0)
				s31 += float64(u * x1)
				off += ld
			}
			if relu {
				s00, s01, s10, s11 = max(s00, 0), max(s01, 0), max(s10, 0), max(s11, 0)
				s20, s21, s30, s31 = max(s20, 0), max(s21, 0), max(s30, 0), max(s31, 0)
			}
			dst[o*ld+i], dst[o*ld+i+1] = s00, s01
			dst[(o+1)*ld+i], dst[(o+1)*ld+i+1] = s10, s11
			dst[(o+2)*ld+i], dst[(o+2)*ld+i+1] = s20, s21
			dst[(o+3)*ld+i], dst[(o+3)*ld+i+1] = s30, s31
		}
	}
	for ; o < nout; o++ {
		var b0 float64
		if bias != nil {
			b0 = bias[o]
		}
		w0 := w[o*nin : o*nin+nin]
		for i := 0; i+3 < ld; i += 4 {
			s0, s1, s2, s3 := b0, b0, b0, b0
			off := i
			for _, u := range w0 {
				x := src[off : off+4 : off+4]
				s0 += float64(u * x[0])
				s1 += float64(u * x[1])
				s2 += float64(u * x[2])
				s3 += float64(u * x[3])
				off += ld
			}
			if relu {
				s0, s1, s2, s3 = max(s0, 0), max(s1, 0), max(s2, 0), max(s3, 0)
			}
			p := dst[o*ld+i : o*ld+i+4 : o*ld+i+4]
			p[0], p[1], p[2], p[3] = s0, s1, s2, s3
		}
	}
}

// checkLinear panics unless every index linear touches is inside its slices,
// which also lets the vector kernels index without bounds checks.
func checkLinear(dst, src, w, bias []float64, nout, nin, ld int) {
	if ld%lanes != 0 || nout < 0 || nin < 0 ||
		len(dst) < nout*ld || len(src) < nin*ld || len(w) < nout*nin ||
		(bias != nil && len(bias) < nout) {
		panic(fmt.Sprintf("nets: linear kernel on %d×%d with ld %d out of range", nout, nin, ld))
	}
}

// transpose sets dst (cols×rows) to the transpose of the row-major src (rows×cols).
func transpose(dst, src []float64, rows, cols int) {
	dst = dst[:rows*cols]
	src = src[:rows*cols]
	for i := 0; i < rows; i++ {
		r := src[i*cols : i*cols+cols]
		for j, v := range r {
			dst[j*rows+i] = v
		}
	}
}

// outerGo is the portable weight-gradient kernel: one (j, p) at a time, on
// the running lane sums of the contract.
func outerGo(acc, d, a []float64, nout, nin, ld int) {
	checkOuter(acc, d, a, nout, nin, ld)
	for j := 0; j < nout; j++ {
		dj := d[j*ld : j*ld+ld]
		for p := 0; p < nin; p++ {
			ap := a[p*ld : p*ld+ld]
			ap = ap[:len(dj)]
			s := acc[(j*nin+p)*lanes : (j*nin+p)*lanes+lanes : (j*nin+p)*lanes+lanes]
			s0, s1, s2, s3 := s[0], s[1], s[2], s[3]
			for i := 0; i+3 < len(dj); i += 4 {
				x, y := dj[i:i+4], ap[i:i+4]
				s0 += float64(x[0] * y[0])
				s1 += float64(x[1] * y[1])
				s2 += float64(x[2] * y[2])
				s3 += float64(x[3] * y[3])
			}
			s[0], s[1], s[2], s[3] = s0, s1, s2, s3
		}
	}
}

func checkOuter(acc, d, a []float64, nout, nin, ld int) {
	if ld%lanes != 0 || nout < 0 || nin < 0 || len(acc) < nout*nin*lanes || len(d) < nout*ld || len(a) < nin*ld {
		panic(fmt.Sprintf("nets: outer kernel on %d×%d with ld %d out of range", nout, nin, ld))
	}
}

// laneTotals4, when the CPU has it, is laneTotals on 4·quads weights at once,
// bit for bit (set at init on amd64 with AVX2).
var laneTotals4 func(g, s *float64, quads int)

// laneTotals sets g[q] = (s[4q] + s[4q+1]) + (s[4q+2] + s[4q+3]) for q < len(g):
// the running lane sums of outer and colSums combined. Where the CPU has AVX2
// (laneTotals4, in every kernel set: the additions are the same) four weights
// go at a time; it runs once per training pass over every parameter.
func laneTotals(g, s []float64) {
	s = s[:len(g)*lanes]
	done := 0
	if laneTotals4 != nil && len(g) >= 4 {
		done = len(g) &^ 3
		laneTotals4(&g[0], &s[0], done/4)
	}
	for q := done; q < len(g); q++ {
		r := s[q*lanes : q*lanes+lanes : q*lanes+lanes]
		g[q] = (r[0] + r[1]) + (r[2] + r[3])
	}
}

// sumSqGo is the portable sum-of-squares kernel.
func sumSqGo(dst, a []float64, n, ld int) {
	checkSumSq(dst, a, n, ld)
	dst = dst[:ld]
	clear(dst)
	for p := 0; p < n; p++ {
		r := a[p*ld : p*ld+ld]
		r = r[:len(dst)]
		for i, v := range r {
			dst[i] += float64(v * v)
		}
	}
}

func checkSumSq(dst, a []float64, n, ld int) {
	if ld%lanes != 0 || n < 0 || len(dst) < ld || len(a) < n*ld {
		panic(fmt.Sprintf("nets: sumSq kernel on %d×%d out of range", n, ld))
	}
}

// adamGo is Adam's update in plain Go, with every product rounded before it is
// added so that no machine fuses it.
func adamGo(w, g, m, v []float64, stepSize, bc2 float64) {
	g = g[:len(w)]
	m = m[:len(w)]
	v = v[:len(w)]
	for i, gi := range g {
		mi := float64(m[i]*beta1) + float64(gi*(1-beta1))
		vi := float64(v[i]*beta2) + float64(float64(gi*gi)*(1-beta2))
		m[i], v[i] = mi, vi
		w[i] -= float64(stepSize * (mi / (math.Sqrt(vi)/bc2 + adamEps)))
	}
}

// colSums adds Σ_{i ≡ k mod lanes} a[j·ld + i] to the running lane sums
// acc[j·lanes + k] for j < n, in order of i (outer's contract for a bias). It
// only adds, so every kernel set shares it.
func colSums(acc, a []float64, n, ld int) {
	acc = acc[:n*lanes]
	for j := 0; j < n; j++ {
		r := a[j*ld : j*ld+ld]
		s := acc[j*lanes : j*lanes+lanes : j*lanes+lanes]
		s0, s1, s2, s3 := s[0], s[1], s[2], s[3]
		for i := 0; i+3 < len(r); i += 4 {
			x := r[i : i+4]
			s0 += x[0]
			s1 += x[1]
			s2 += x[2]
			s3 += x[3]
		}
		s[0], s[1], s[2], s[3] = s0, s1, s2, s3
	}
}

// transposeInGo is the portable transposeIn (see kernelSet): four rows at a
// time, so that each write fills four adjacent lanes.
func transposeInGo(dst, x []float64, rows, cols, ld int) {
	checkTransposeIn(dst, x, rows, cols, ld)
	dst = dst[:cols*ld]
	x = x[:rows*cols]
	i := 0
	for ; i+3 < rows; i += 4 {
		r0 := x[i*cols : i*cols+cols]
		r1 := x[(i+1)*cols : (i+1)*cols+cols]
		r2 := x[(i+2)*cols : (i+2)*cols+cols]
		r3 := x[(i+3)*cols : (i+3)*cols+cols]
		r1, r2, r3 = r1[:len(r0)], r2[:len(r0)], r3[:len(r0)]
		for p, v := range r0 {
			d := dst[p*ld+i : p*ld+i+4 : p*ld+i+4]
			d[0], d[1], d[2], d[3] = v, r1[p], r2[p], r3[p]
		}
	}
	transposeInTail(dst, x, i, rows, cols, ld)
}

// transposeInTail does transposeIn's work for the lanes from..ld−1: the rows
// left over from a kernel's blocks, then the zero padding.
func transposeInTail(dst, x []float64, from, rows, cols, ld int) {
	for i := from; i < ld; i++ {
		if i < rows {
			for p, v := range x[i*cols : i*cols+cols] {
				dst[p*ld+i] = v
			}
		} else {
			for p := 0; p < cols; p++ {
				dst[p*ld+i] = 0
			}
		}
	}
}

func checkTransposeIn(dst, x []float64, rows, cols, ld int) {
	if rows < 0 || cols < 0 || ld < rows || len(dst) < cols*ld || len(x) < rows*cols {
		panic(fmt.Sprintf("nets: transposeIn of %d×%d into ld %d out of range", rows, cols, ld))
	}
}

// transposeOut sets the rows×cols row-major out to the first rows lanes of the
// feature-major src (cols×ld).
func transposeOut(out, src []float64, rows, cols, ld int) {
	out = out[:rows*cols]
	src = src[:cols*ld]
	for i := 0; i < rows; i++ {
		o := out[i*cols : i*cols+cols]
		for p := range o {
			o[p] = src[p*ld+i]
		}
	}
}

// grow returns s with length n, reusing its storage when it suffices.
func grow(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}

// dot returns Σ x[i]·y[i] over len(x) elements, with four accumulators.
func dot(x, y []float64) float64 {
	y = y[:len(x)]
	var s0, s1, s2, s3 float64
	for len(x) >= 4 && len(y) >= 4 {
		s0 += float64(x[0] * y[0])
		s1 += float64(x[1] * y[1])
		s2 += float64(x[2] * y[2])
		s3 += float64(x[3] * y[3])
		x, y = x[4:], y[4:]
	}
	y = y[:len(x)]
	for i, v := range x {
		s0 += float64(v * y[i])
	}
	return (s0 + s1) + (s2 + s3)
}
