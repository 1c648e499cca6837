package svm

import "albench/nets"

// coldQ is Q for one training problem with libsvm's LRU kernel cache: rows of
// float32 in the solver's order, each holding a prefix [0, len) of its columns,
// evicted least recently used first when the budget (in floats, libsvm's
// accounting) would be exceeded; swapIndex keeps every cached row consistent with
// the solver's permutation, dropping the rows too short to hold both columns.
type coldQ struct {
	x    *nets.Matrix
	sq   []float64 // ‖x_r‖² by original row
	kern *kernel
	perm []int  // solver position → row of x
	y    []int8 // labels in the solver's order
	l    int

	rows       [][]float32 // per position: cached row (capacity l) or nil
	lens       []int       // valid prefix of rows[i]
	prev, next []int       // circular LRU list over positions, sentinel l
	spare      [][]float32 // released row buffers, reused
	size       int         // floats still available
}

// newColdQ builds Q over the rows of x with labels y, with a budget of cacheMB MiB.
func newColdQ(x *nets.Matrix, y []int8, kern *kernel, cacheMB float64) *coldQ {
	l := x.Rows
	q := &coldQ{x: x, kern: kern, l: l, y: append([]int8(nil), y...)}
	q.sq = sqNorms(x, nil)
	q.perm = make([]int, l)
	for i := range q.perm {
		q.perm[i] = i
	}
	q.rows = make([][]float32, l)
	q.lens = make([]int, l)
	q.prev = make([]int, l+1)
	q.next = make([]int, l+1)
	q.prev[l], q.next[l] = l, l
	size := int(cacheMB * (1 << 20) / 4)
	size -= l * 4 // libsvm charges 16 bytes of head per row
	q.size = max(size, 2*l)
	return q
}

func (q *coldQ) lruDelete(h int) {
	q.next[q.prev[h]] = q.next[h]
	q.prev[q.next[h]] = q.prev[h]
}

func (q *coldQ) lruInsert(h int) {
	s := q.l
	q.next[h] = s
	q.prev[h] = q.prev[s]
	q.next[q.prev[h]] = h
	q.prev[s] = h
}

func (q *coldQ) release(h int) {
	q.spare = append(q.spare, q.rows[h])
	q.rows[h] = nil
	q.size += q.lens[h]
	q.lens[h] = 0
}

func (q *coldQ) getQ(i, n int) []float32 {
	if q.lens[i] > 0 {
		q.lruDelete(i)
	}
	start := q.lens[i]
	if more := n - start; more > 0 {
		for q.size < more {
			old := q.next[q.l]
			q.lruDelete(old)
			q.release(old)
		}
		if q.rows[i] == nil {
			if k := len(q.spare); k > 0 {
				q.rows[i] = q.spare[k-1]
				q.spare = q.spare[:k-1]
			} else {
				q.rows[i] = make([]float32, q.l)
			}
		}
		q.size -= more
		q.lens[i] = n
		q.fill(i, start, n)
	}
	q.lruInsert(i)
	return q.rows[i][:n]
}

// fill computes entries [start, n) of row i: float32(y_i y_c K(x_i, x_c)).
func (q *coldQ) fill(i, start, n int) {
	row := q.rows[i]
	ri := q.perm[i]
	xi, si, yi := q.x.Row(ri), q.sq[ri], q.y[i]
	if q.kern.kind == kernRBF {
		q.fillRBF(row[:n], xi, si, yi, start)
		return
	}
	for c := start; c < n; c++ {
		rc := q.perm[c]
		v := q.kern.eval(xi, q.x.Row(rc), si, q.sq[rc])
		if yi != q.y[c] {
			v = -v
		}
		row[c] = float32(v)
	}
}

// fillRBF is fill for the rbf kernel with the dot product written inline: the
// same operations in the same order as kernel.eval and dot, so the same bits.
func (q *coldQ) fillRBF(row []float32, xi []float64, si float64, yi int8, start int) {
	d := len(xi)
	g := q.kern.gamma
	data, perm, sq, ys := q.x.Data, q.perm[:len(row)], q.sq, q.y[:len(row)]
	for c := start; c < len(row); c++ {
		rc := perm[c]
		xc := data[rc*d : rc*d+d]
		xc = xc[:len(xi)]
		var s0, s1, s2, s3 float64
		k := 0
		for ; k+4 <= d; k += 4 {
			s0 += float64(xi[k] * xc[k])
			s1 += float64(xi[k+1] * xc[k+1])
			s2 += float64(xi[k+2] * xc[k+2])
			s3 += float64(xi[k+3] * xc[k+3])
		}
		s := (s0 + s1) + (s2 + s3)
		for ; k < d; k++ {
			s += float64(xi[k] * xc[k])
		}
		v := exp(-g * ((si + sq[rc]) - float64(2*s)))
		if yi != ys[c] {
			v = -v
		}
		row[c] = float32(v)
	}
}

func (q *coldQ) swapIndex(i, j int) {
	if i == j {
		return
	}
	if q.lens[i] > 0 {
		q.lruDelete(i)
	}
	if q.lens[j] > 0 {
		q.lruDelete(j)
	}
	q.rows[i], q.rows[j] = q.rows[j], q.rows[i]
	q.lens[i], q.lens[j] = q.lens[j], q.lens[i]
	if q.lens[i] > 0 {
		q.lruInsert(i)
	}
	if q.lens[j] > 0 {
		q.lruInsert(j)
	}
	q.perm[i], q.perm[j] = q.perm[j], q.perm[i]
	q.y[i], q.y[j] = q.y[j], q.y[i]
	lo, hi := min(i, j), max(i, j)
	for h := q.next[q.l]; h != q.l; {
		nx := q.next[h]
		if q.lens[h] > lo {
			if q.lens[h] > hi {
				r := q.rows[h]
				r[lo], r[hi] = r[hi], r[lo]
			} else {
				q.lruDelete(h)
				q.release(h)
			}
		}
		h = nx
	}
}
