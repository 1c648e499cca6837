//go:build amd64 && !purego

package nets

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestLinearAVX512Bits: the AVX-512 path of the avx2-fma linear kernel gives
// the same bits as its AVX2 path on every shape, block and remainder, with
// and without bias and relu, including NaN, ±Inf and −0 in inputs, weights
// and biases. The two paths share the kernel set's name, so any difference
// would make results depend on the machine without the record saying so.
func TestLinearAVX512Bits(t *testing.T) {
	if !hasAVX2FMA() || !hasAVX512F() {
		t.Skip("no AVX-512F here")
	}
	defer func(v bool) { useAVX512 = v }(useAVX512)
	rng := rand.New(rand.NewPCG(5, 6))
	special := []float64{math.NaN(), math.Inf(1), math.Inf(-1), math.Copysign(0, -1), 0}
	fill := func(n int, specials bool) []float64 {
		s := randSlice(rng, n)
		if specials {
			for i := range s {
				if rng.IntN(16) == 0 {
					s[i] = special[rng.IntN(len(special))]
				}
			}
		}
		return s
	}
	for nout := 1; nout <= 9; nout++ {
		for nin := 1; nin <= 70; nin++ {
			for ld := 4; ld <= 80; ld += 4 {
				specials := (nout+nin+ld/4)%3 == 0
				src, w, bias := fill(nin*ld, specials), fill(nout*nin, specials), fill(nout, specials)
				if !specials {
					// One output (which one varies, to reach every accumulator)
					// sums to −0 in the even lanes, which relu must make +0:
					// a bias of −0 plus products −0 · x with x > 0.
					o := nin % nout
					bias[o] = math.Copysign(0, -1)
					for r := range nin {
						w[o*nin+r] = math.Copysign(0, -1)
						for i := 0; i < ld; i += 2 {
							src[r*ld+i] = math.Abs(src[r*ld+i])
						}
					}
				}
				for _, withBias := range []bool{false, true} {
					b := bias
					if !withBias {
						b = nil
					}
					for _, relu := range []bool{false, true} {
						useAVX512 = false
						want := fill(nout*ld, false)
						linearAVX2(want, src, w, b, nout, nin, ld, relu)
						useAVX512 = true
						got := fill(nout*ld, false)
						linearAVX2(got, src, w, b, nout, nin, ld, relu)
						for i := range got {
							if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
								t.Fatalf("%d×%d ld %d bias %v relu %v: [%d] = %v (%#x) with AVX-512, %v (%#x) without",
									nout, nin, ld, withBias, relu, i, got[i], math.Float64bits(got[i]), want[i], math.Float64bits(want[i]))
							}
						}
					}
				}
			}
		}
	}
}
