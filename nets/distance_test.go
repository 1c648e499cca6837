package nets

import (
	"math"
	"math/rand/v2"
	"testing"
)

// CrossDots gives every product (plus its centre's bias) within the documented
// bound of a reference sum, on every kernel set, for Rows and Range, with row
// counts around the lane width and centre counts around the kernels' block of
// four.
func TestCrossDotsWithinBound(t *testing.T) {
	defer func(k *kernelSet) { kern = k }(kern)
	rng := rand.New(rand.NewPCG(3, 4))
	for _, name := range Kernels() {
		if err := SetKernel(name); err != nil {
			t.Fatal(err)
		}
		var p CrossDots
		for _, cols := range []int{1, 5, 20, 33} {
			x := NewMatrix(300, cols)
			for i := range x.Data {
				x.Data[i] = rng.NormFloat64() * math.Exp(4*rng.NormFloat64())
			}
			for _, k := range []int{1, 3, 4, 6} {
				c := NewMatrix(k, cols)
				for i := range c.Data {
					c.Data[i] = rng.NormFloat64()
				}
				bias := make([]float64, k)
				for j := range bias {
					bias[j] = rng.NormFloat64()
				}
				for _, n := range []int{0, 1, 3, 4, 5, 257} {
					lo := rng.IntN(x.Rows - n + 1)
					rows := make([]int, n)
					for i := range rows {
						rows[i] = rng.IntN(x.Rows)
					}
					check := func(how string, out []float64, ld int, row func(i int) int) {
						if ld < n || ld%lanes != 0 || len(out) < k*ld {
							t.Fatalf("%s %s: ld %d, len %d for %d rows, %d centres", name, how, ld, len(out), n, k)
						}
						for j := range k {
							for i := range n {
								a, b := x.Row(row(i)), c.Row(j)
								want, mag := bias[j], math.Abs(bias[j])
								for f := range a {
									want = math.FMA(a[f], b[f], want) // reference; compared with a bound that covers its own error too
									mag += math.Abs(a[f] * b[f])
								}
								g := gamma(2 * (cols + 1))
								if got := out[j*ld+i]; math.Abs(got-want) > g*mag*1.01 {
									t.Errorf("%s %s cols %d: product %d·%d = %v, want %v ± %v", name, how, cols, i, j, got, want, g*mag)
								}
							}
						}
					}
					out, ld := p.Rows(x, rows, c, bias)
					check("Rows", out, ld, func(i int) int { return rows[i] })
					out, ld = p.Range(x, lo, lo+n, c, bias)
					check("Range", out, ld, func(i int) int { return lo + i })
				}
			}
		}
	}
}

func gamma(n int) float64 {
	u := math.Ldexp(1, -53)
	return float64(n) * u / (1 - float64(n)*u)
}

// A hand-computed case: two rows against two centres.
func TestCrossDotsHand(t *testing.T) {
	x := &Matrix{Rows: 2, Cols: 2, Data: []float64{1, 2, 3, 4}}
	c := &Matrix{Rows: 2, Cols: 2, Data: []float64{1, 0, -1, 1}}
	var p CrossDots
	out, ld := p.Rows(x, []int{1, 0}, c, nil)
	want := [][]float64{{3, 1}, {1, 1}} // [centre][row]: (3,4)·(1,0)=3, (1,2)·(1,0)=1, (3,4)·(−1,1)=1, (1,2)·(−1,1)=1
	for j := range 2 {
		for i := range 2 {
			if out[j*ld+i] != want[j][i] {
				t.Errorf("out[%d][%d] = %v, want %v", j, i, out[j*ld+i], want[j][i])
			}
		}
	}
	out, ld = p.Range(x, 0, 2, c, []float64{10, 20})
	want = [][]float64{{11, 13}, {21, 21}} // the same products of rows 0 and 1, plus the centre's bias
	for j := range 2 {
		for i := range 2 {
			if out[j*ld+i] != want[j][i] {
				t.Errorf("with bias: out[%d][%d] = %v, want %v", j, i, out[j*ld+i], want[j][i])
			}
		}
	}
}

// MinTwo gives the scalar loop's bits on every kernel set, with ties, NaNs and
// lane counts around the vector width, on top of given starting values.
func TestMinTwo(t *testing.T) {
	defer func(k *kernelSet) { kern = k }(kern)
	rng := rand.New(rand.NewPCG(5, 6))
	for _, name := range Kernels() {
		if err := SetKernel(name); err != nil {
			t.Fatal(err)
		}
		for _, k := range []int{0, 1, 2, 7} {
			for _, h := range []int{0, 1, 3, 4, 5, 8, 13} {
				ld := h + rng.IntN(3)
				w := make([]float64, max(k*ld, 1))
				for i := range w {
					switch rng.IntN(8) {
					case 0:
						w[i] = math.NaN()
					default:
						w[i] = float64(rng.IntN(5) - 2)
					}
				}
				m1, m2, arg := make([]float64, h), make([]float64, h), make([]float64, h)
				for i := range m1 {
					m1[i], m2[i], arg[i] = math.Inf(1), math.Inf(1), 0
					if rng.IntN(2) == 0 {
						m1[i], m2[i], arg[i] = -1, 1, 9
					}
				}
				w1, w2, wa := append([]float64(nil), m1...), append([]float64(nil), m2...), append([]float64(nil), arg...)
				for i := range h {
					for j := range k {
						if v := w[j*ld+i]; v < w2[i] {
							if v < w1[i] {
								w1[i], w2[i], wa[i] = v, w1[i], float64(j)
							} else {
								w2[i] = v
							}
						}
					}
				}
				MinTwo(w, ld, k, h, m1, m2, arg)
				for i := range h {
					if math.Float64bits(m1[i]) != math.Float64bits(w1[i]) || math.Float64bits(m2[i]) != math.Float64bits(w2[i]) || arg[i] != wa[i] {
						t.Errorf("%s k=%d h=%d lane %d: (%v, %v, %v), want (%v, %v, %v)", name, k, h, i, m1[i], m2[i], arg[i], w1[i], w2[i], wa[i])
					}
				}
			}
		}
	}
}
