package fmath

import "math/rand/v2"

// zigR is the start of the ziggurat's tail, x_127 in writeZiggurat.
const zigR = 3.442619855899

// NormFloat64 returns a standard normal deviate drawn from r, with the
// ziggurat method of Marsaglia and Tsang (J. Stat. Softw. 5(8), 2000) in the
// form of math/rand/v2's (*Rand).NormFloat64: the same tables (TestTables
// recomputes them, TestNormalMatchesRand compares the draws), the same use of
// r's outputs, and so the same values, except that its exponentials and
// logarithms are this package's and its float32 wedge test rounds the product
// explicitly. The standard library's calls math.Exp and math.Log, whose bits
// depend on the CPU and the architecture, and on arm64 the compiler fuses its
// tail's R + (−log U₁)·(1/R) into one FMA; the value of a draw in the tail
// (|x| > 3.44, about 1 in 1700) then differs in its last bits across
// machines, and a wedge decision may flip.
//
// A draw takes u = r.Uint64(): j = int32(u), i = bits 32..38 of u; x = j·w_i
// is returned when |j| < k_i (the rectangle, over 98% of draws). Otherwise,
// for i = 0 the tail beyond R = 3.44… is sampled by Marsaglia's method (x =
// −log(U₁)/R, y = −log(U₂) until 2y ≥ x², giving ±(R + x)), and for i > 0 the
// wedge accepts x when f_i + U·(f_(i−1) − f_i) < e^(−x²/2) in float32; a
// rejected draw starts over.
func NormFloat64(r *rand.Rand) float64 {
	for {
		u := r.Uint64()
		j := int32(u)
		i := u >> 32 & 0x7F
		x := float64(float64(j) * float64(zigW[i]))
		aj := uint32(j)
		if j < 0 {
			aj = uint32(-j)
		}
		if aj < zigK[i] {
			return x
		}
		if i == 0 {
			for {
				x = float64(-Log(r.Float64()) * (1.0 / zigR))
				y := -Log(r.Float64())
				if y+y >= x*x {
					break
				}
			}
			if j > 0 {
				return zigR + x
			}
			return -zigR - x
		}
		if zigF[i]+float32(float32(r.Float64())*(zigF[i-1]-zigF[i])) < float32(Exp(-.5*x*x)) {
			return x
		}
	}
}
