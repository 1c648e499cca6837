//go:build amd64 && !purego

package nets

import "math"

// The AVX2 kernel set: four float64 lanes per vector and fused multiply-adds,
// in assembly (kernels_amd64.s), chosen at init when the CPU and the operating
// system support AVX2 and FMA. Build with -tags purego to leave it out.
//
// Go 1.26's simd/archsimd (GOEXPERIMENT=simd) was tried first: its compiler
// spilled the eight accumulators of the blocked loops to the stack and ran no
// faster than the portable kernels, so the blocks are written by hand here and
// only the loops around them are Go. The scalar remainders use math.FMA, which
// rounds exactly as the vector instruction does, so a lane's result does not
// depend on whether it fell in a vector block.

//go:noescape
func linear4AVX2(dst, src, w, bias *float64, nin, ld int, relu bool)

//go:noescape
func linear1AVX2(dst, src, w, bias *float64, nin, ld int, relu bool)

//go:noescape
func linear4AVX512(dst, src, w, bias *float64, nin, ld int, relu bool)

//go:noescape
func linear1AVX512(dst, src, w, bias *float64, nin, ld int, relu bool)

//go:noescape
func outer24AVX2(acc, d, a *float64, ld, nin int)

//go:noescape
func adamAVX2(w, grad, m, v *float64, n int, c *[7]float64)

//go:noescape
func reluMaskAVX2(d, h *float64, n int)

//go:noescape
func mulAVX2(dst, a, b *float64, n int)

//go:noescape
func transposeIn4AVX2(dst, x *float64, blocks, cols, ld int)

//go:noescape
func quadChunksAVX2(a *float64, units, ld int, keys *[4]uint64, c *[8]uint64, last *[4]uint64) bool

//go:noescape
func laneTotals4AVX2(dst, s *float64, quads int)

func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)

func xgetbv0() (eax uint32)

func init() {
	if hasAVX2FMA() {
		laneTotals4 = laneTotals4AVX2
		registerOptIn(&avx2F32) // by name only, never the default: see kernels_f32_amd64.go
		register(&avx2)
		useAVX512 = hasAVX512F()
	}
}

// useAVX512 makes linearAVX2 run its lanes eight to a ZMM register. The fused
// multiply-adds per lane are the same, in the same order, so the bits are the
// same and the kernel set keeps its name; only the speed differs. Set at init
// when the CPU and the operating system support AVX-512F; tests turn it off to
// compare both paths.
var useAVX512 bool

// hasAVX512F reports whether the CPU has AVX-512F and the operating system
// saves the ZMM registers and opmasks (Intel SDM vol. 1, 15.2:
// CPUID.(7,0):EBX.AVX512F, XCR0 bits 1, 2, 5, 6 and 7). It assumes
// hasAVX2FMA, which has checked OSXSAVE.
func hasAVX512F() bool {
	const xcr0ZMM = 1<<1 | 1<<2 | 1<<5 | 1<<6 | 1<<7
	if xgetbv0()&xcr0ZMM != xcr0ZMM {
		return false
	}
	_, ebx7, _, _ := cpuid(7, 0)
	return ebx7&(1<<16) != 0
}

// hasAVX2FMA reports whether the CPU has AVX2 and FMA and the operating system
// saves the YMM registers (Intel SDM vol. 1, 14.3: CPUID.1:ECX.OSXSAVE, AVX and
// FMA, XCR0 bits 1 and 2, CPUID.(7,0):EBX.AVX2).
func hasAVX2FMA() bool {
	maxID, _, _, _ := cpuid(0, 0)
	if maxID < 7 {
		return false
	}
	_, _, ecx1, _ := cpuid(1, 0)
	const fma, osxsave, avx = 1 << 12, 1 << 27, 1 << 28
	if ecx1&(fma|osxsave|avx) != fma|osxsave|avx {
		return false
	}
	if xgetbv0()&6 != 6 {
		return false
	}
	_, ebx7, _, _ := cpuid(7, 0)
	return ebx7&(1<<5) != 0
}

var avx2 = kernelSet{
	name:   "avx2-fma",
	linear: linearAVX2,
	outer:  outerAVX2,
	sumSq:  sumSqFMA,
	adam:   adamVec,
	reluMask: func(d, h []float64) {
		h = h[:len(d)]
		n := len(d) &^ 3
		if n > 0 {
			reluMaskAVX2(&d[0], &h[0], n)
		}
		reluMaskGo(d[n:], h[n:])
	},
	mul: func(dst, a, b []float64) {
		a, b = a[:len(dst)], b[:len(dst)]
		n := len(dst) &^ 3
		if n > 0 {
			mulAVX2(&dst[0], &a[0], &b[0], n)
		}
		mulGo(dst[n:], a[n:], b[n:])
	},
	transposeIn: transposeInAVX2,
	quadChunks:  quadChunksVec,
}

// quadChunksVec is quadChunks (see kernelSet): the four rows' streams in the
// lanes of a vector, in assembly; rows with a tie, rare, are redone by
// quadChunksGo, which marks the ties. Integer operations only, so the masks
// are quadChunksGo's bit for bit.
func quadChunksVec(a []float64, units, ld int, keys [4]uint64, p1, keep uint64) ([4]uint64, bool) {
	a = a[:(units-1)*ld+4]
	const m1, m2 = 0xbf58476d1ce4e5b9, 0x94d049bb133111eb
	c := [8]uint64{0x9e3779b97f4a7c15, m1 & 0xffffffff, m1 >> 32, m2 & 0xffffffff, m2 >> 32, p1, keep, 0xffff}
	var last [4]uint64
	if quadChunksAVX2(&a[0], units, ld, &keys, &c, &last) {
		return quadChunksGo(a, units, ld, keys, p1, keep)
	}
	return last, false
}

// transposeInAVX2 is transposeIn (see kernelSet): blocks of four rows in
// assembly, the rows left over and the padding in Go.
func transposeInAVX2(dst, x []float64, rows, cols, ld int) {
	checkTransposeIn(dst, x, rows, cols, ld)
	blocks := rows / 4
	if blocks > 0 && cols > 0 {
		transposeIn4AVX2(&dst[0], &x[0], blocks, cols, ld)
	}
	transposeInTail(dst, x, 4*blocks, rows, cols, ld)
}

// zeros stands in for a nil bias.
var zeros [4]float64

// linearAVX2 is linear (see kernelSet): four outputs at a time in assembly,
// then one at a time, with eight lanes per vector where useAVX512 allows.
func linearAVX2(dst, src, w, bias []float64, nout, nin, ld int, relu bool) {
	if nout == 0 || ld == 0 {
		return
	}
	checkLinear(dst, src, w, bias, nout, nin, ld)
	if nin == 0 {
		linearGo(dst, src, w, bias, nout, nin, ld, relu) // the bias alone: nothing to fuse
		return
	}
	linear4, linear1 := linear4AVX2, linear1AVX2
	if useAVX512 {
		linear4, linear1 = linear4AVX512, linear1AVX512
	}
	o := 0
	for ; o+3 < nout; o += 4 {
		b := &zeros[0]
		if bias != nil {
			b = &bias[o]
		}
		linear4(&dst[o*ld], &src[0], &w[o*nin], b, nin, ld, relu)
	}
	for ; o < nout; o++ {
		b := &zeros[0]
		if bias != nil {
			b = &bias[o]
		}
		linear1(&dst[o*ld], &src[0], &w[o*nin], b, nin, ld, relu)
	}
}

// outerAVX2 is outer (see kernelSet): blocks of two outputs by four inputs in
// assembly, the rest with math.FMA on the same running lane sums.
func outerAVX2(acc, d, a []float64, nout, nin, ld int) {
	checkOuter(acc, d, a, nout, nin, ld)
	if ld == 0 {
		return
	}
	j := 0
	for ; j+1 < nout; j += 2 {
		p := 0
		for ; p+3 < nin; p += 4 {
			outer24AVX2(&acc[(j*nin+p)*lanes], &d[j*ld], &a[p*ld], ld, nin)
		}
		for ; p < nin; p++ {
			dotFMA(acc[(j*nin+p)*lanes:], d[j*ld:j*ld+ld], a[p*ld:p*ld+ld])
			dotFMA(acc[((j+1)*nin+p)*lanes:], d[(j+1)*ld:(j+1)*ld+ld], a[p*ld:p*ld+ld])
		}
	}
	for ; j < nout; j++ {
		for p := 0; p < nin; p++ {
			dotFMA(acc[(j*nin+p)*lanes:], d[j*ld:j*ld+ld], a[p*ld:p*ld+ld])
		}
	}
}

// dotFMA adds Σ x[i]·y[i] to the running lane sums s[0..3] (lane k taking
// i ≡ k mod 4) with fused multiply-adds, bit-identical to a vector block of
// outer24AVX2.
func dotFMA(s, x, y []float64) {
	s = s[:lanes]
	y = y[:len(x)]
	s0, s1, s2, s3 := s[0], s[1], s[2], s[3]
	for i := 0; i+3 < len(x); i += 4 {
		s0 = math.FMA(x[i], y[i], s0)
		s1 = math.FMA(x[i+1], y[i+1], s1)
		s2 = math.FMA(x[i+2], y[i+2], s2)
		s3 = math.FMA(x[i+3], y[i+3], s3)
	}
	s[0], s[1], s[2], s[3] = s0, s1, s2, s3
}

// sumSqFMA is sumSq (see kernelSet) with fused multiply-adds.
func sumSqFMA(dst, a []float64, n, ld int) {
	checkSumSq(dst, a, n, ld)
	dst = dst[:ld]
	clear(dst)
	for p := 0; p < n; p++ {
		r := a[p*ld : p*ld+ld]
		r = r[:len(dst)]
		for i, v := range r {
			dst[i] = math.FMA(v, v, dst[i])
		}
	}
}

// adamVec is Adam's update with adamAVX2 on the largest multiple of four
// parameters and adamGo on the rest; both round every operation separately, in
// the same order, so the result is bit-identical to adamGo's.
func adamVec(w, g, m, v []float64, stepSize, bc2 float64) {
	n := len(w)
	g, m, v = g[:n], m[:n], v[:n]
	k := n &^ 3
	if k > 0 {
		c := [7]float64{beta1, 1 - beta1, beta2, 1 - beta2, stepSize, bc2, adamEps}
		adamAVX2(&w[0], &g[0], &m[0], &v[0], k, &c)
	}
	adamGo(w[k:], g[k:], m[k:], v[k:], stepSize, bc2)
}
