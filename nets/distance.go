package nets

import "fmt"

// CrossDots computes the dot products between rows of a matrix and a few
// "centre" rows as a blocked matrix product on the kernel set in use (in
// float64 under avx2-fma-f32, whose float32 linear would void the bound below): the rows
// are copied feature-major into a panel (the only copy, of the panel's rows), and
// the linear kernel multiplies the centres by it, so every centre's products run
// along the panel's lanes with the centre's weights in registers. Distance
// computations use it for the expansion ‖a − b‖² = ‖a‖² + ‖b‖² − 2a·b.
//
// Each product x·c of length n is summed in order of the features, every
// product rounded or fused by the kernel set, so (with u = 2⁻⁵³, and barring
// underflow) its error is at most
//
//	|fl(x·c) − x·c| ≤ γ_n Σ_p |x_p c_p|,   γ_n = n·u / (1 − n·u)
//
// (Higham 2002, Accuracy and Stability of Numerical Algorithms, §3.1) for every
// kernel set; the values themselves differ between sets in the last bits. A
// zero value of CrossDots is ready to use; it keeps its buffers between calls.
type CrossDots struct {
	panel []float64 // cols × ld, feature-major
	out   []float64 // centres × ld
}

// Rows returns out and ld with out[j·ld + i] = bias[j] + x.Row(rows[i]) · c.Row(j)
// for i < len(rows) and j < c.Rows, the sum starting from bias[j] (0 when bias
// is nil; the bound above then holds for n + 1 terms with bias[j] as one of
// them), ld ≥ len(rows). out is owned by p until its next call. Callers pass a
// few hundred rows at a time so that the panel stays in cache.
func (p *CrossDots) Rows(x *Matrix, rows []int, c *Matrix, bias []float64) (out []float64, ld int) {
	if x.Cols != c.Cols {
		panic(fmt.Sprintf("nets: CrossDots of %d columns with centres of %d", x.Cols, c.Cols))
	}
	n, cols := len(rows), x.Cols
	ld = pad(n)
	p.panel = growPanel(p.panel, cols, ld)
	i := 0
	for ; i+3 < n; i += 4 {
		r0 := x.Row(rows[i])
		r1, r2, r3 := x.Row(rows[i+1]), x.Row(rows[i+2]), x.Row(rows[i+3])
		r1, r2, r3 = r1[:len(r0)], r2[:len(r0)], r3[:len(r0)]
		for f, v := range r0 {
			d := p.panel[f*ld+i : f*ld+i+4 : f*ld+i+4]
			d[0], d[1], d[2], d[3] = v, r1[f], r2[f], r3[f]
		}
	}
	for ; i < ld; i++ {
		if i < n {
			for f, v := range x.Row(rows[i]) {
				p.panel[f*ld+i] = v
			}
		} else {
			for f := range cols {
				p.panel[f*ld+i] = 0
			}
		}
	}
	return p.multiply(c, bias, cols, ld), ld
}

// Range is Rows for the rows lo ≤ r < hi of x, transposed by the kernel set's
// own transposeIn.
func (p *CrossDots) Range(x *Matrix, lo, hi int, c *Matrix, bias []float64) (out []float64, ld int) {
	if x.Cols != c.Cols || lo < 0 || hi < lo || hi > x.Rows {
		panic(fmt.Sprintf("nets: CrossDots of rows [%d, %d) of %d×%d with centres of %d columns", lo, hi, x.Rows, x.Cols, c.Cols))
	}
	n, cols := hi-lo, x.Cols
	ld = pad(n)
	p.panel = growPanel(p.panel, cols, ld)
	kern.transposeIn(p.panel, x.Data[lo*cols:hi*cols], n, cols, ld)
	return p.multiply(c, bias, cols, ld), ld
}

func (p *CrossDots) multiply(c *Matrix, bias []float64, cols, ld int) []float64 {
	if bias != nil && len(bias) < c.Rows {
		panic(fmt.Sprintf("nets: CrossDots with %d biases for %d centres", len(bias), c.Rows))
	}
	p.out = growPanel(p.out, c.Rows, ld)
	if ld == 0 || c.Rows == 0 {
		return p.out
	}
	kern.float64Set().linear(p.out, p.panel, c.Data, bias, c.Rows, cols, ld, false)
	return p.out
}

// growPanel returns s with length rows·ld, its storage made for at least 256
// lanes when it must grow, so that panels of up to 256 rows of varying sizes
// allocate once.
func growPanel(s []float64, rows, ld int) []float64 {
	n := rows * ld
	if cap(s) < n {
		return make([]float64, n, rows*max(ld, 256))
	}
	return s[:n]
}

// MinTwo sets, for each lane i < h, m1[i] ≤ m2[i] to the two smallest of
// w[j·ld + i] over j < k and arg[i] to the first j at m1[i] (as a float64), on
// top of the values they hold (callers start from +Inf, +Inf, 0): in order of j,
//
//	if v < m2 { if v < m1 { m1, m2, arg = v, m1, j } else { m2 = v } }
//
// so a NaN v changes nothing. Comparisons only, so every kernel set gives the
// same bits; the vector sets take four lanes at a time.
func MinTwo(w []float64, ld, k, h int, m1, m2, arg []float64) {
	if h < 0 || ld < h || len(m1) < h || len(m2) < h || len(arg) < h || (k > 0 && h > 0 && len(w) < (k-1)*ld+h) {
		panic(fmt.Sprintf("nets: MinTwo of %d lanes by %d with ld %d out of range", h, k, ld))
	}
	i := minTwoVec(w, ld, k, h, m1, m2, arg)
	for ; i < h; i++ {
		a, b, g := m1[i], m2[i], arg[i]
		for j := range k {
			if v := w[j*ld+i]; v < b {
				if v < a {
					a, b, g = v, a, float64(j)
				} else {
					b = v
				}
			}
		}
		m1[i], m2[i], arg[i] = a, b, g
	}
}
