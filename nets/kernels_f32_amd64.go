//go:build amd64 && !purego

package nets

import "sync"

// The avx2-fma-f32 kernel set: the avx2-fma set except that linear and outer,
// the hot loops of training and inference, compute in float32, eight lanes per
// YMM register, on float32 copies of their float64 operands (kernels_f32_amd64.s).
// Storage stays float64; a result converts back exactly. It is opt-in
// (-kernel avx2-fma-f32), never the default: it trades the last digits
// (about 1e-7 relative per operation instead of 1e-16) for throughput.
//
// Its contracts, in float32 (fl₃₂ the rounding to nearest float32, fma₃₂ a
// fused multiply-add rounded once to float32):
//
//   - linear: s = fl₃₂(bias[o]), then s = fma₃₂(fl₃₂(w[o·nin+r]), fl₃₂(src[r·ld+i]), s)
//     in order of r, relu's max(s, 0) in float32, dst = s exactly as float64.
//   - outer: the running lane sums are float32 values stored as float64
//     (rounded to float32 on loading, exact when only this set has added to
//     them, as in training, where they start at zero): lane k of a weight takes
//     s = fma₃₂(fl₃₂(d[j·ld+i]), fl₃₂(a[p·ld+i]), s) for every i ≡ k mod 4 in
//     order of i. The lane sums then have four float32 lanes per weight, as
//     the four-lane contract of kernels.go asks, so sums carried over panels
//     are those of one panel holding every row, bit for bit, and laneTotals
//     combines them in float64. Eight float32 lanes per YMM register are four
//     lanes of two weights: a register holds lanes i..i+3 of two inputs
//     (interleaved by cvtPairF32) and multiplies the broadcast lanes i..i+3
//     of one delta row.
//
// Each lane's operations are the same in every block and remainder, so the
// bits depend on the inputs and the kernel name only, as for every set:
// results are byte-identical across -j, resume and shards for this set.
var avx2F32 = kernelSet{
	name:        "avx2-fma-f32",
	single:      true,
	wide:        &avx2,
	linear:      linearF32,
	outer:       outerF32,
	sumSq:       sumSqFMA,
	adam:        adamVec,
	reluMask:    avx2.reluMask,
	mul:         avx2.mul,
	transposeIn: transposeInAVX2,
	quadChunks:  quadChunksVec,
}

//go:noescape
func cvtF32(dst *float32, src *float64, n int)

//go:noescape
func cvtPairF32(dst *float32, a0, a1 *float64, ld int)

//go:noescape
func linear4F32(dst *float64, src, w, bias *float32, nin, ld int, relu bool)

//go:noescape
func linear1F32(dst *float64, src, w, bias *float32, nin, ld int, relu bool)

//go:noescape
func outer212F32(acc *float64, d, a *float32, ld, nin int)

//go:noescape
func outer28F32(acc *float64, d, a *float32, ld, nin int)

//go:noescape
func outer24F32(acc *float64, d, a *float32, ld, nin int)

//go:noescape
func outer12F32(lo, hi *float64, d, a *float32, ld int)

// f32Pool holds the float32 copies of the operands, one buffer per kernel
// call in flight (trials run concurrently, each with its own nets). It is a
// free list under a mutex rather than a sync.Pool, which may drop its items
// (always may under the race detector), so a steady state allocates nothing.
var f32Pool f32FreeList

type f32FreeList struct {
	mu   sync.Mutex
	bufs []*[]float32
}

// Put gives a buffer back; beyond 64 buffers (more than calls in flight) it is
// left to the collector.
func (l *f32FreeList) Put(p *[]float32) {
	l.mu.Lock()
	if len(l.bufs) < 64 {
		l.bufs = append(l.bufs, p)
	}
	l.mu.Unlock()
}

// f32Scratch returns a buffer of n float32 from f32Pool; give it back with
// f32Pool.Put.
func f32Scratch(n int) *[]float32 {
	f32Pool.mu.Lock()
	var p *[]float32
	if k := len(f32Pool.bufs); k > 0 {
		p = f32Pool.bufs[k-1]
		f32Pool.bufs = f32Pool.bufs[:k-1]
	}
	f32Pool.mu.Unlock()
	if p == nil {
		p = new([]float32)
	}
	if cap(*p) < n {
		*p = make([]float32, n)
	}
	*p = (*p)[:n]
	return p
}

// toF32 sets dst[i] = float32(src[i]) for i < len(dst): four at a time in
// assembly, the rest in Go (both round to nearest even).
func toF32(dst []float32, src []float64) {
	src = src[:len(dst)]
	n := len(dst) &^ 3
	if n > 0 {
		cvtF32(&dst[0], &src[0], n)
	}
	for i := n; i < len(dst); i++ {
		dst[i] = float32(src[i])
	}
}

// linearF32 is the avx2-fma-f32 set's linear (see avx2F32): the panel, the
// weights and the bias converted to float32, then four outputs at a time in
// assembly, then one at a time.
func linearF32(dst, src, w, bias []float64, nout, nin, ld int, relu bool) {
	if nout == 0 || ld == 0 {
		return
	}
	checkLinear(dst, src, w, bias, nout, nin, ld)
	if nin == 0 { // the bias alone, rounded to float32
		for o := 0; o < nout; o++ {
			var s float32
			if bias != nil {
				s = float32(bias[o])
			}
			if relu {
				s = max(s, 0)
			}
			row := dst[o*ld : o*ld+ld]
			for i := range row {
				row[i] = float64(s)
			}
		}
		return
	}
	buf := f32Scratch(nin*ld + nout*nin + nout)
	s := *buf
	x32, w32, b32 := s[:nin*ld], s[nin*ld:nin*ld+nout*nin], s[nin*ld+nout*nin:]
	toF32(x32, src[:nin*ld])
	toF32(w32, w[:nout*nin])
	if bias != nil {
		toF32(b32, bias[:nout])
	} else {
		clear(b32)
	}
	o := 0
	for ; o+3 < nout; o += 4 {
		linear4F32(&dst[o*ld], &x32[0], &w32[o*nin], &b32[o], nin, ld, relu)
	}
	for ; o < nout; o++ {
		linear1F32(&dst[o*ld], &x32[0], &w32[o*nin], &b32[o], nin, ld, relu)
	}
	f32Pool.Put(buf)
}

// outerF32 is the avx2-fma-f32 set's outer (see avx2F32): the deltas
// converted to float32 rows, the inputs to float32 pairs of rows interleaved
// in groups of four lanes (an odd last input paired with itself, its second
// half's sums going to a discarded buffer), then blocks of two delta rows by
// six pairs, then by four and by two, in assembly, and the rest a delta row
// and a pair at a time.
func outerF32(acc, d, a []float64, nout, nin, ld int) {
	checkOuter(acc, d, a, nout, nin, ld)
	if ld == 0 || nout == 0 || nin == 0 {
		return
	}
	pairs := (nin + 1) / 2
	buf := f32Scratch(nout*ld + pairs*2*ld)
	s := *buf
	d32, a32 := s[:nout*ld], s[nout*ld:]
	toF32(d32, d[:nout*ld])
	for q := 0; q < pairs; q++ {
		p1 := min(2*q+1, nin-1)
		cvtPairF32(&a32[q*2*ld], &a[2*q*ld], &a[p1*ld], ld)
	}
	full := nin / 2 // pairs of two real inputs
	var discard [2 * lanes]float64
	pair := func(j, q int) {
		lo := &acc[(j*nin+2*q)*lanes]
		hi := &discard[0]
		if q < full {
			hi = &acc[(j*nin+2*q+1)*lanes]
		}
		outer12F32(lo, hi, &d32[j*ld], &a32[q*2*ld], ld)
	}
	j := 0
	for ; j+1 < nout; j += 2 {
		q := 0
		for ; q+5 < full; q += 6 {
			outer212F32(&acc[(j*nin+2*q)*lanes], &d32[j*ld], &a32[q*2*ld], ld, nin)
		}
		for ; q+3 < full; q += 4 {
			outer28F32(&acc[(j*nin+2*q)*lanes], &d32[j*ld], &a32[q*2*ld], ld, nin)
		}
		for ; q+1 < full; q += 2 {
			outer24F32(&acc[(j*nin+2*q)*lanes], &d32[j*ld], &a32[q*2*ld], ld, nin)
		}
		for ; q < pairs; q++ {
			pair(j, q)
			pair(j+1, q)
		}
	}
	for ; j < nout; j++ {
		for q := 0; q < pairs; q++ {
			pair(j, q)
		}
	}
	f32Pool.Put(buf)
}
