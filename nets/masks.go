package nets

import "math"

// Dropout masks. A unit is dropped when a uniform u ∈ [0, 1) falls below p,
// with u's binary expansion drawn 16 bits at a time: u = Σ_k c_k·2⁻¹⁶ᵏ with
// chunks c_k uniform on [0, 2¹⁶). With p's own chunks P_k (p a float64 in
// [0, 1) has finitely many, the last non-zero one P_K),
//
//	u < p  ⟺  at the first k with c_k ≠ P_k, c_k < P_k,
//
// and when c_k = P_k for every k ≤ K, u ≥ p (the rest of p's expansion is
// zero). The first chunk decides all but a fraction 2⁻¹⁶ of units, so a
// unit costs 16 random bits, four units per 64-bit draw, and further chunks
// are drawn only on equality: the unit is dropped with probability exactly p.

// dropRule is the threshold test of a dropout probability p.
type dropRule struct {
	chunks []uint64 // P_1..P_K, each in [0, 2¹⁶); empty when p = 0
	keep   float64  // the mask of a kept unit, 1/(1−p)
}

// newDropRule returns p's rule, its chunks read off p's bits: p = m·2⁻ˢ
// with m the 53-bit significand (implicit bit included) for a normal p, the
// 52-bit fraction with s = 1074 for a subnormal, so P_k = ⌊m·2¹⁶ᵏ⁻ˢ⌋ mod 2¹⁶.
func newDropRule(p float64) dropRule {
	r := dropRule{keep: 1 / (1 - p)}
	if p == 0 {
		return r
	}
	b := math.Float64bits(p)
	m, e := b&(1<<52-1), int(b>>52&0x7ff)
	s := 1074
	if e != 0 {
		m |= 1 << 52
		s = 1075 - e
	}
	for k := 1; 16*(k-1) < s; k++ {
		var c uint64
		if sh := 16*k - s; sh >= 0 {
			if sh < 64 {
				c = m << sh
			}
		} else if -sh < 64 {
			c = m >> -sh
		}
		r.chunks = append(r.chunks, c&0xffff)
	}
	for len(r.chunks) > 0 && r.chunks[len(r.chunks)-1] == 0 {
		r.chunks = r.chunks[:len(r.chunks)-1]
	}
	return r
}

// dropTail decides a unit whose first chunk equals P_1: it compares further
// chunks from s with P_2, P_3, … until one differs, and reports whether the
// unit is dropped (u < p).
func dropTail(r *dropRule, s *maskStream) bool {
	for _, pk := range r.chunks[1:] {
		if c := s.next(); c != pk {
			return c < pk
		}
	}
	return false // u ≥ p: p's expansion has ended
}

// maskStream is a row's chunk stream: the outputs of a SplitMix64 sequence,
// each cut into four 16-bit chunks, low bits first. Tests set fixed to give
// chosen chunks instead.
type maskStream struct {
	state, bits uint64
	left        int // chunks of bits not used yet
	fixed       []uint64
}

// next returns the stream's next chunk.
func (s *maskStream) next() uint64 {
	if s.fixed != nil {
		c := s.fixed[0]
		s.fixed = s.fixed[1:]
		return c
	}
	if s.left == 0 {
		s.bits, s.left = splitMix64(&s.state), 4
	}
	c := s.bits & 0xffff
	s.bits >>= 16
	s.left--
	return c
}

// splitMix64 advances a SplitMix64 state and returns its next output (Steele,
// Lea & Flood 2014, Fast splittable pseudorandom number generators).
func splitMix64(state *uint64) uint64 {
	*state += 0x9e3779b97f4a7c15
	z := *state
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// rowKey returns the SplitMix64 state that starts row i's chunk stream in a
// pass seeded with seed: the (i+1)-th output of the SplitMix64 sequence from
// seed, so that a row's masks depend on the seed and its index alone.
func rowKey(seed uint64, i int) uint64 {
	s := seed + uint64(i)*0x9e3779b97f4a7c15
	return splitMix64(&s)
}

// tieMask marks, during drawMasks, a unit whose first chunk equals P_1 until
// dropTail decides it: a NaN no mask can be.
const tieMask = 0x7ff8_0000_0000_dead

// drawMasks draws inverted-dropout masks for rows samples, rows first..first+
// rows−1 of a pass seeded with seed, into panels of ld lanes: unit by unit
// (hidden layer by hidden layer), a unit is dropped (mask 0) with probability
// exactly p by the chunk rule above and kept (mask 1/(1−p)) otherwise. A
// row's stream (rowKey) gives the first chunks of its units in unit order,
// four to an output; the further chunks of the rare units whose first chunk
// equals P_1 follow in the same stream, in unit order. The masks of a row
// depend on seed and its index only, not on how rows are grouped into
// panels. Padding lanes get 0.
func (n *Net) drawMasks(rows, ld int, seed uint64, first int) {
	units := 0
	for l := range n.ws.mask {
		units += n.sizes[l+1]
	}
	// One buffer for every layer's masks, so that unit u's lanes start at u·ld.
	n.ws.maskAll = grow(n.ws.maskAll, units*ld)
	all := n.ws.maskAll
	off := 0
	for l := range n.ws.mask {
		w := n.sizes[l+1]
		n.ws.mask[l] = all[off*ld : (off+w)*ld : (off+w)*ld]
		off += w
	}
	for u := 0; u < units; u++ {
		clear(all[u*ld+rows : u*ld+ld])
	}
	r := &n.drop
	i := 0
	for ; i+3 < rows; i += 4 {
		var keys [4]uint64
		for q := range keys {
			keys[q] = rowKey(seed, first+i+q)
		}
		last, ties := kern.quadChunks(all[i:], units, ld, keys, r.chunks[0], math.Float64bits(r.keep))
		if ties {
			for q := range keys {
				n.resolveTies(all[i+q:], units, ld, keys[q], last[q])
			}
		}
	}
	for ; i < rows; i++ {
		key := rowKey(seed, first+i)
		state := key
		var w uint64
		for u := 0; u < units; u++ {
			if u%4 == 0 {
				w = splitMix64(&state)
			}
			all[u*ld+i] = math.Float64frombits(firstMask(w>>(16*(u%4))&0xffff, r.chunks[0], math.Float64bits(r.keep)))
		}
		n.resolveTies(all[i:], units, ld, key, w)
	}
}

// firstMask is the mask's bits for a unit whose first chunk is c: keep's bits
// when c > p1 (P_1 − c < 0, no branch: at small p a branch would be
// mispredicted often), 0 when c < p1, tieMask when they are equal.
func firstMask(c, p1, keep uint64) uint64 {
	m := keep & uint64(int64(p1-c)>>63)
	if c == p1 {
		m = tieMask
	}
	return m
}

// quadChunksGo sets the masks of four consecutive rows from their first chunks:
// a[u·ld + q] for u < units and q < 4, row q's stream starting at keys[q]. It
// returns each row's last 64-bit output and whether any unit tied with p1.
// The four streams are independent, so their multiplications overlap, and
// each unit's four lanes are stored together.
func quadChunksGo(a []float64, units, ld int, keys [4]uint64, p1, keep uint64) (last [4]uint64, ties bool) {
	s0, s1, s2, s3 := keys[0], keys[1], keys[2], keys[3]
	var w0, w1, w2, w3 uint64
	a = a[:(units-1)*ld+4]
	tie := uint64(0)
	for u := 0; u < units; u++ {
		sh := 16 * (u % 4)
		if sh == 0 {
			w0, w1, w2, w3 = splitMix64(&s0), splitMix64(&s1), splitMix64(&s2), splitMix64(&s3)
		}
		c0, c1, c2, c3 := w0>>sh&0xffff, w1>>sh&0xffff, w2>>sh&0xffff, w3>>sh&0xffff
		m0 := keep & uint64(int64(p1-c0)>>63)
		m1 := keep & uint64(int64(p1-c1)>>63)
		m2 := keep & uint64(int64(p1-c2)>>63)
		m3 := keep & uint64(int64(p1-c3)>>63)
		if c0 == p1 || c1 == p1 || c2 == p1 || c3 == p1 {
			m0, m1 = firstMask(c0, p1, keep), firstMask(c1, p1, keep)
			m2, m3 = firstMask(c2, p1, keep), firstMask(c3, p1, keep)
			tie = 1
		}
		d := a[u*ld : u*ld+4 : u*ld+4]
		d[0], d[1], d[2], d[3] = math.Float64frombits(m0), math.Float64frombits(m1), math.Float64frombits(m2), math.Float64frombits(m3)
	}
	return [4]uint64{w0, w1, w2, w3}, tie != 0
}

// resolveTies decides the units of one row marked tieMask in a[u·ld], in unit
// order, with the further chunks of the row's stream: the stream from key
// after its first ⌈units/4⌉ outputs, last being the last of them, whose
// chunks beyond the units' go first.
func (n *Net) resolveTies(a []float64, units, ld int, key, last uint64) {
	var s maskStream
	started := false
	r := &n.drop
	for u := 0; u < units; u++ {
		if math.Float64bits(a[u*ld]) != tieMask {
			continue
		}
		if !started {
			s = maskStream{state: key + uint64((units+3)/4)*0x9e3779b97f4a7c15}
			if used := units % 4; used != 0 {
				s.bits, s.left = last>>(16*used), 4-used
			}
			started = true
		}
		a[u*ld] = r.keep
		if dropTail(r, &s) {
			a[u*ld] = 0
		}
	}
}
