package nets

import (
	"math"
	"math/big"
	"slices"
	"testing"
)

// bigDrop is the reference decision for a uniform whose first chunks are c:
// with U = Σ c_k·2^{16(K−k)} and P = ⌊p·2^{16K}⌋ over K = len(c) chunks, by
// exact integer arithmetic, u < p when U < P, u ≥ p when U > P or when
// U = P and p·2^{16K} is an integer; otherwise more chunks are needed
// (decided = false).
func bigDrop(p float64, c []uint64) (drop, decided bool) {
	U := new(big.Int)
	for _, v := range c {
		U.Lsh(U, 16).Add(U, new(big.Int).SetUint64(v))
	}
	scaled := new(big.Float).SetPrec(2000).SetFloat64(p)
	scaled.SetMantExp(scaled, 16*len(c))
	P, acc := scaled.Int(nil)
	integral := acc == big.Exact
	switch cmp := U.Cmp(P); {
	case cmp < 0:
		return true, true
	case cmp > 0:
		return false, true
	default:
		return false, integral
	}
}

// bigChunks returns p's first k chunks, ⌊p·2^{16j}⌋ mod 2^16 for j ≤ k, by
// big-number arithmetic.
func bigChunks(p float64, k int) []uint64 {
	f := new(big.Float).SetPrec(2000).SetFloat64(p)
	f.SetMantExp(f, 16*k)
	P, _ := f.Int(nil)
	out := make([]uint64, k)
	m := big.NewInt(0xffff)
	for j := k - 1; j >= 0; j-- {
		out[j] = new(big.Int).And(P, m).Uint64()
		P.Rsh(P, 16)
	}
	return out
}

// TestDropRuleIsExact: for probabilities with short, long and subnormal
// expansions, the chunk rule (first chunk, then dropTail) decides chunk
// sequences that follow p's expansion for a while and then step one below or
// above it, or follow it to its end, as exact integer comparison does, and
// takes exactly the chunks up to the first that differs.
func TestDropRuleIsExact(t *testing.T) {
	ps := []float64{0.1, 0.5, 1.0 / 3, 0.999, 0.25, 0x1p-16, 0x1.0001p-16, 3 * 0x1p-40,
		math.Nextafter(1, 0), 5e-324, 1e-310, math.SmallestNonzeroFloat64 * 12345, 0.7}
	for _, p := range ps {
		r := newDropRule(p)
		K := len(r.chunks)
		if K == 0 || r.chunks[K-1] == 0 {
			t.Fatalf("p = %v: chunks %v end in zero", p, r.chunks)
		}
		if want := bigChunks(p, K); !slices.Equal(r.chunks, want) {
			t.Fatalf("p = %v: chunks %v, exact %v", p, r.chunks, want)
		}
		if got, _ := bigDrop(p, bigChunks(p, K)); got {
			t.Fatalf("p = %v: reference drops u = p", p)
		}
		if _, decided := bigDrop(p, bigChunks(p, K)); !decided {
			t.Fatalf("p = %v: %d chunks do not hold its expansion", p, K)
		}
		for k := 1; k <= K; k++ {
			for _, delta := range []int{-1, 0, 1} {
				c := append([]uint64(nil), r.chunks[:k]...)
				v := int(c[k-1]) + delta
				if v < 0 || v > 0xffff {
					continue
				}
				c[k-1] = uint64(v)
				if delta == 0 && k < K {
					continue // undecided after k chunks
				}
				want, decided := bigDrop(p, c)
				if !decided {
					t.Fatalf("p = %v, chunks %v: reference undecided", p, c)
				}
				got := c[0] < r.chunks[0]
				used := 1
				if c[0] == r.chunks[0] {
					rest := append(c[1:], 0xdead) // a further chunk would be 0xdead
					src := &maskStream{fixed: rest}
					got = dropTail(&r, src)
					used += len(rest) - len(src.fixed)
				}
				if got != want || used != k {
					t.Fatalf("p = %v, chunks %v: drop %v after %d chunks, exact %v after %d", p, c, got, used, want, k)
				}
			}
		}
	}
}

// TestMaskKeepRate: over many rows the fraction of kept units is 1−p within
// five binomial standard deviations, and kept units carry exactly 1/(1−p).
func TestMaskKeepRate(t *testing.T) {
	for _, p := range []float64{0.1, 0.5, 1.0 / 3, 0.999} {
		n, err := New(Spec{Kind: "mlp", Inputs: 3, Hidden: []int{40, 24}, Outputs: 2, Dropout: p})
		if err != nil {
			t.Fatal(err)
		}
		kept, total := 0, 0
		for pass := range 200 {
			n.drawMasks(61, 64, uint64(pass)*7+1, 0)
			for l, m := range n.ws.mask {
				for j := 0; j < n.sizes[l+1]; j++ {
					for i := 0; i < 64; i++ {
						v := m[j*64+i]
						switch {
						case i >= 61:
							if v != 0 {
								t.Fatalf("p = %v: padding lane %d has mask %v", p, i, v)
							}
							continue
						case v == n.drop.keep:
							kept++
						case v != 0:
							t.Fatalf("p = %v: mask %v, neither 0 nor 1/(1−p)", p, v)
						}
						total++
					}
				}
			}
		}
		mean := float64(total) * (1 - p)
		sd := math.Sqrt(float64(total) * p * (1 - p))
		if math.Abs(float64(kept)-mean) > 5*sd {
			t.Errorf("p = %v: kept %d of %d units, expected %.0f ± %.0f", p, kept, total, mean, sd)
		}
		if n.drop.keep != 1/(1-p) {
			t.Errorf("p = %v: keep %v", p, n.drop.keep)
		}
	}
}

// TestMasksFollowTheRule: drawMasks gives, lane by lane, the masks of the rule
// written out naively (each row's stream from rowKey, chunks low 16 bits
// first: the first chunks of the units layer by layer, then the further
// chunks of tied units in unit order); the same seed gives the same masks, and a
// row's masks depend on its index in the pass, not on the panel it falls in.
func TestMasksFollowTheRule(t *testing.T) {
	spec := Spec{Kind: "mlp", Inputs: 3, Hidden: []int{5, 7, 2}, Outputs: 2, Dropout: 0x1p-16 * 3} // P_1 = 3: equal first chunks happen
	n, err := New(spec)
	if err != nil {
		t.Fatal(err)
	}
	const rows, ld, first = 40003, 40004, 17
	const seed = 0x1234567
	n.drawMasks(rows, ld, seed, first)
	ties := 0
	for i := 0; i < rows; i++ {
		s := maskStream{state: rowKey(seed, first+i)}
		var first []uint64 // the row's first chunks, unit by unit
		for range 5 + 7 + 2 {
			first = append(first, s.next())
		}
		u := 0
		for l, m := range n.ws.mask {
			for j := 0; j < n.sizes[l+1]; j++ {
				c := first[u]
				u++
				want := n.drop.keep
				switch {
				case c < n.drop.chunks[0]:
					want = 0
				case c == n.drop.chunks[0]:
					ties++
					if dropTail(&n.drop, &s) { // further chunks after all first ones
						want = 0
					}
				}
				if m[j*ld+i] != want {
					t.Fatalf("row %d, layer %d, unit %d: mask %v, rule %v", i, l, j, m[j*ld+i], want)
				}
			}
		}
	}
	if ties == 0 {
		t.Fatal("no first chunk equalled P_1: the tail was not exercised")
	}
	whole := make([][]float64, len(n.ws.mask))
	for l, m := range n.ws.mask {
		whole[l] = slices.Clone(m)
	}
	n.drawMasks(rows, ld, seed, first)
	for l := range whole {
		if !slices.Equal(whole[l], n.ws.mask[l]) {
			t.Fatal("the same seed gave different masks")
		}
	}
	// Rows 64..127 drawn as a panel of their own.
	n.drawMasks(64, 64, seed, first+64)
	for l, m := range n.ws.mask {
		for j := 0; j < n.sizes[l+1]; j++ {
			if !slices.Equal(m[j*64:j*64+64], whole[l][j*ld+64:j*ld+128]) {
				t.Fatal("a row's masks depend on its panel")
			}
		}
	}
	n.drawMasks(rows, ld, seed+1, first)
	if slices.Equal(whole[0], n.ws.mask[0]) {
		t.Fatal("different seeds gave the same masks")
	}
}

// TestMaskKernelsAgree: every kernel set draws the same masks, bit for bit,
// with ties (P_1 = 3, so about one unit in 2¹⁶ ties) and unit counts of every
// residue mod 4, and each follows the rule (TestMasksFollowTheRule's check
// under the default set).
func TestMaskKernelsAgree(t *testing.T) {
	defer func(k *kernelSet) { kern = k }(kern)
	for _, hidden := range [][]int{{4}, {5}, {6, 1}, {5, 7, 3}, {32, 16}} {
		spec := Spec{Kind: "mlp", Inputs: 3, Hidden: hidden, Outputs: 2, Dropout: 0x1p-16 * 3}
		n, err := New(spec)
		if err != nil {
			t.Fatal(err)
		}
		const rows, ld = 20003, 20004
		var want [][]float64
		for _, k := range available {
			kern = k
			n.drawMasks(rows, ld, 99, 5)
			if want == nil {
				for _, m := range n.ws.mask {
					want = append(want, slices.Clone(m))
				}
				continue
			}
			for l, m := range n.ws.mask {
				for i := range m {
					if math.Float64bits(m[i]) != math.Float64bits(want[l][i]) {
						t.Fatalf("hidden %v: %s mask[%d][%d] = %v, %s %v", hidden, k.name, l, i, m[i], available[0].name, want[l][i])
					}
				}
			}
		}
	}
}
