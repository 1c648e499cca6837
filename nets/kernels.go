package nets

// The kernels below multiply small row-major matrices. They are single-threaded on
// purpose (albench runs one trial per core) and are written so that the compiler
// drops bounds checks from the inner loops: every slice used in an inner loop is
// re-sliced to the loop's length first. Several independent accumulators (or
// several rows per pass) keep the floating-point units busy and load each operand
// once for several multiply-adds.

// gemmNT sets c (m×n) to a (m×k) times the transpose of b (n×k), plus bias[j] in
// column j when bias is not nil. Each element is a dot product of two contiguous
// rows, computed three rows of a by two rows of b at a time: six independent
// accumulators and five loads per six multiply-adds, the most that fits in the
// fifteen SSE registers Go's amd64 ABI leaves free without spilling. Every
// element is summed in the same order whatever block it falls in, so a row's
// result does not depend on the rows computed with it.
func gemmNT(c, a, b, bias []float64, m, n, k int) {
	if m == 0 || n == 0 {
		return
	}
	c = c[:m*n]
	a = a[:m*k]
	b = b[:n*k]
	if bias != nil {
		bias = bias[:n]
	}
	i := 0
	for ; i+2 < m; i += 3 {
		a0 := a[i*k : i*k+k]
		a1 := a[i*k+k : i*k+2*k]
		a2 := a[i*k+2*k : i*k+3*k]
		a1, a2 = a1[:len(a0)], a2[:len(a0)]
		c0 := c[i*n : i*n+n]
		c1 := c[i*n+n : i*n+2*n]
		c2 := c[i*n+2*n : i*n+3*n]
		c1, c2 = c1[:len(c0)], c2[:len(c0)]
		j := 0
		for ; j+1 < n; j += 2 {
			b0 := b[j*k : j*k+k]
			b1 := b[j*k+k : j*k+2*k]
			b0, b1 = b0[:len(a0)], b1[:len(a0)]
			var s00, s01, s10, s11, s20, s21 float64
			for p, x0 := range a0 {
				x1, x2, y0, y1 := a1[p], a2[p], b0[p], b1[p]
				s00 += x0 * y0
				s01 += x0 * y1
				s10 += x1 * y0
				s11 += x1 * y1
				s20 += x2 * y0
				s21 += x2 * y1
			}
			if bias != nil {
				u0, u1 := bias[j], bias[j+1]
				s00, s10, s20 = s00+u0, s10+u0, s20+u0
				s01, s11, s21 = s01+u1, s11+u1, s21+u1
			}
			c0[j], c0[j+1] = s00, s01
			c1[j], c1[j+1] = s10, s11
			c2[j], c2[j+1] = s20, s21
		}
		if j < n {
			b0 := b[j*k : j*k+k]
			b0 = b0[:len(a0)]
			var s0, s1, s2 float64
			for p, y := range b0 {
				s0 += a0[p] * y
				s1 += a1[p] * y
				s2 += a2[p] * y
			}
			if bias != nil {
				u := bias[j]
				s0, s1, s2 = s0+u, s1+u, s2+u
			}
			c0[j], c1[j], c2[j] = s0, s1, s2
		}
	}
	for ; i+1 < m; i += 2 {
		a0 := a[i*k : i*k+k]
		a1 := a[i*k+k : i*k+2*k]
		a1 = a1[:len(a0)]
		c0 := c[i*n : i*n+n]
		c1 := c[i*n+n : i*n+2*n]
		c1 = c1[:len(c0)]
		j := 0
		for ; j+1 < n; j += 2 {
			b0 := b[j*k : j*k+k]
			b1 := b[j*k+k : j*k+2*k]
			b0 = b0[:len(a0)]
			b1 = b1[:len(a0)]
			var s00, s01, s10, s11 float64
			for p, x0 := range a0 {
				x1, y0, y1 := a1[p], b0[p], b1[p]
				s00 += x0 * y0
				s01 += x0 * y1
				s10 += x1 * y0
				s11 += x1 * y1
			}
			if bias != nil {
				s00 += bias[j]
				s10 += bias[j]
				s01 += bias[j+1]
				s11 += bias[j+1]
			}
			c0[j], c0[j+1] = s00, s01
			c1[j], c1[j+1] = s10, s11
		}
		if j < n {
			b0 := b[j*k : j*k+k]
			b0 = b0[:len(a0)]
			var s0, s1 float64
			for p, y := range b0 {
				s0 += a0[p] * y
				s1 += a1[p] * y
			}
			if bias != nil {
				s0 += bias[j]
				s1 += bias[j]
			}
			c0[j], c1[j] = s0, s1
		}
	}
	if i < m {
		a0 := a[i*k : i*k+k]
		c0 := c[i*n : i*n+n]
		for j := range c0 {
			b0 := b[j*k : j*k+k]
			b0 = b0[:len(a0)]
			s := 0.0
			for p, x := range a0 {
				s += x * b0[p]
			}
			if bias != nil {
				s += bias[j]
			}
			c0[j] = s
		}
	}
}

// dot returns Σ x[i]·y[i] over len(x) elements, with four accumulators.
func dot(x, y []float64) float64 {
	y = y[:len(x)]
	var s0, s1, s2, s3 float64
	for len(x) >= 4 && len(y) >= 4 {
		s0 += x[0] * y[0]
		s1 += x[1] * y[1]
		s2 += x[2] * y[2]
		s3 += x[3] * y[3]
		x, y = x[4:], y[4:]
	}
	y = y[:len(x)]
	for i, v := range x {
		s0 += v * y[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// gemmNN sets c (m×n) to a (m×k) times b (k×n). Row i of c is the combination of
// the rows of b weighted by row i of a, accumulated four rows of b at a time.
func gemmNN(c, a, b []float64, m, n, k int) {
	if m == 0 || n == 0 {
		return
	}
	c = c[:m*n]
	a = a[:m*k]
	b = b[:k*n]
	for i := 0; i < m; i++ {
		ci := c[i*n : i*n+n]
		ai := a[i*k : i*k+k]
		clear(ci)
		p := 0
		for ; p+3 < k; p += 4 {
			axpy4(ci, ai[p], ai[p+1], ai[p+2], ai[p+3],
				b[p*n:p*n+n], b[(p+1)*n:(p+1)*n+n], b[(p+2)*n:(p+2)*n+n], b[(p+3)*n:(p+3)*n+n])
		}
		for ; p < k; p++ {
			axpy(ci, ai[p], b[p*n:p*n+n])
		}
	}
}

// gemmTN sets c (m×n) to the transpose of a (k×m) times b (k×n): row j of c is the
// combination of the rows of b weighted by column j of a, accumulated four rows of
// b at a time.
func gemmTN(c, a, b []float64, m, n, k int) {
	if m == 0 || n == 0 {
		return
	}
	c = c[:m*n]
	a = a[:k*m]
	b = b[:k*n]
	for j := 0; j < m; j++ {
		cj := c[j*n : j*n+n]
		clear(cj)
		p := 0
		for ; p+3 < k; p += 4 {
			axpy4(cj, a[p*m+j], a[(p+1)*m+j], a[(p+2)*m+j], a[(p+3)*m+j],
				b[p*n:p*n+n], b[(p+1)*n:(p+1)*n+n], b[(p+2)*n:(p+2)*n+n], b[(p+3)*n:(p+3)*n+n])
		}
		for ; p < k; p++ {
			axpy(cj, a[p*m+j], b[p*n:p*n+n])
		}
	}
}

// axpy4 adds x0·b0 + x1·b1 + x2·b2 + x3·b3 to c.
func axpy4(c []float64, x0, x1, x2, x3 float64, b0, b1, b2, b3 []float64) {
	b0 = b0[:len(c)]
	b1 = b1[:len(c)]
	b2 = b2[:len(c)]
	b3 = b3[:len(c)]
	for j := range c {
		c[j] += x0*b0[j] + x1*b1[j] + x2*b2[j] + x3*b3[j]
	}
}

// axpy adds x·b to c.
func axpy(c []float64, x float64, b []float64) {
	b = b[:len(c)]
	for j := range c {
		c[j] += x * b[j]
	}
}

// colSums sets s (n) to the column sums of a (m×n).
func colSums(s, a []float64, m, n int) {
	s = s[:n]
	clear(s)
	for i := 0; i < m; i++ {
		r := a[i*n : i*n+n]
		r = r[:len(s)]
		for j, v := range r {
			s[j] += v
		}
	}
}
