package nets

import (
	"math"
	"math/rand/v2"
)

// drawMasksV1 is the mask drawing of numerics before dropout rule 2, kept to
// benchmark the new one against it: it draws inverted-dropout masks for rows samples into panels of ld
// lanes: row by row, and within a row hidden layer by hidden layer and unit by
// unit, a unit is dropped (mask 0) with probability p and kept (mask 1/(1−p))
// otherwise. Each row takes one draw of rng to seed a SplitMix64 sequence; each
// 64-bit output of that decides two units, low half first: a unit is dropped when
// its 32-bit half u satisfies u < ⌊p·2³²⌋, a probability within 2⁻³² of p.
// Random bits are the cost of dropout training, so none are wasted.
// Drawing row by row makes the masks of a sample independent of how rows are
// grouped into chunks. Padding lanes get 0.
// v1tmp is drawMasksV1's scratch.
var v1tmp []float64

func (n *Net) drawMasksV1(rows, ld int, rng *rand.Rand) {
	p := n.spec.Dropout
	scale := 1 / (1 - p)
	thr := uint32(math.MaxUint32)
	if t := p * (1 << 32); t < math.MaxUint32 {
		thr = uint32(t)
	}
	for l := range n.ws.mask {
		n.ws.mask[l] = grow(n.ws.mask[l], n.sizes[l+1]*ld)
		clear(n.ws.mask[l])
	}
	// keepOrDrop[(u − thr) >> 63 over 64 bits] is the mask: index 1 when u < thr.
	// A table instead of a branch: at small p the branch is mispredicted often.
	keepOrDrop := [2]float64{scale, 0}
	units := 0
	for l := range n.ws.mask {
		units += n.sizes[l+1]
	}
	// Masks are drawn row by row but stored four lanes at a time: a panel's lanes
	// are ld apart per unit, and one strided store per unit and row thrashes the
	// cache.
	v1tmp = grow(v1tmp, 4*units)
	tmp := v1tmp
	for i0 := 0; i0 < rows; i0 += 4 {
		clear(tmp)
		for r := 0; r < 4 && i0+r < rows; r++ {
			// One draw of rng per row seeds a SplitMix64 sequence for its units:
			// the row's masks still depend on rng alone, in row order, and the
			// inlined generator costs a fraction of rng's per bit.
			state := rng.Uint64()
			var bits uint64
			left := 0 // 32-bit halves of bits not used yet
			for u := 0; u < units; u++ {
				if left == 0 {
					bits, left = splitMix64(&state), 2
				}
				v := bits & math.MaxUint32
				bits >>= 32
				left--
				tmp[4*u+r] = keepOrDrop[(v-uint64(thr))>>63&1]
			}
		}
		u := 0
		for l, m := range n.ws.mask {
			for j := 0; j < n.sizes[l+1]; j++ {
				d, t := m[j*ld+i0:j*ld+i0+4], tmp[4*u:4*u+4]
				d[0], d[1], d[2], d[3] = t[0], t[1], t[2], t[3] // no memmove call for 32 bytes
				u++
			}
		}
	}
}
