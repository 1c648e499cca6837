package nets

import "fmt"

// The rows variants of the inference methods read the listed rows of a matrix
// where they are, a chunk of chunkRows at a time, instead of asking the caller for
// a gathered copy: on a pool of a million rows that copy is as large as the pool.
// Each chunk goes through the method of the same name, which processes a matrix
// in chunks of chunkRows from its first row, so the values are those of the
// method on the gathered rows, bit for bit.

// ProbsRows sets out (resized to len(rows)×Classes) to Probs of the rows of x
// listed in rows, in that order: out.Row(k) is p(y | x.Row(rows[k])).
func (n *Net) ProbsRows(x *Matrix, rows []int, out *Matrix) {
	n.eachChunk(x, rows, out, n.Classes(), n.Probs)
}

// EmbedRows sets out (resized to len(rows)×EmbedDim) to Embed of the listed rows
// of x.
func (n *Net) EmbedRows(x *Matrix, rows []int, out *Matrix) {
	n.eachChunk(x, rows, out, n.EmbedDim(), n.Embed)
}

// GradEmbedRows sets out (resized to len(rows)×GradEmbedDim) to GradEmbed of the
// listed rows of x.
func (n *Net) GradEmbedRows(x *Matrix, rows []int, out *Matrix) {
	n.eachChunk(x, rows, out, n.GradEmbedDim(), n.GradEmbed)
}

// GradEmbedFactorsRows sets coef (resized to len(rows)×Classes) and h (resized
// to len(rows)×EmbedDim) to GradEmbedFactors of the listed rows of x: the
// factors of GradEmbedRows, in K + E numbers per row instead of K·E.
func (n *Net) GradEmbedFactorsRows(x *Matrix, rows []int, coef, h *Matrix) {
	n.checkRows(x, rows)
	c, d := n.Classes(), n.EmbedDim()
	coef.Resize(len(rows), c)
	h.Resize(len(rows), d)
	var buf, view Matrix
	for s := 0; s < len(rows); s += chunkRows {
		e := min(s+chunkRows, len(rows))
		pc, ph := within(coef, s, e), within(h, s, e)
		n.GradEmbedFactors(x.rowsOf(rows[s:e], &buf, &view), &pc, &ph)
	}
}

// within returns rows s..e−1 of m as a matrix on m's storage, its capacity
// capped there, so that a method resizing it to e−s rows writes into m.
func within(m *Matrix, s, e int) Matrix {
	return Matrix{Rows: e - s, Cols: m.Cols, Data: m.Data[s*m.Cols : e*m.Cols : e*m.Cols]}
}

// checkRows panics unless x fits the net and every listed row is one of x's.
func (n *Net) checkRows(x *Matrix, rows []int) {
	n.checkInput(x)
	for _, i := range rows {
		if i < 0 || i >= x.Rows {
			panic(fmt.Sprintf("nets: row %d of a %d-row matrix", i, x.Rows))
		}
	}
}

// eachChunk resizes out to len(rows)×width and fills it chunk by chunk with
// f(chunk of rows, chunk of out), f writing into out's storage. A chunk of
// consecutive rows (most of them: the unlabeled rows of a pool are runs
// between the few labeled ones) is read in place, the others gathered.
func (n *Net) eachChunk(x *Matrix, rows []int, out *Matrix, width int, f func(x, out *Matrix)) {
	n.checkRows(x, rows)
	out.Resize(len(rows), width)
	var buf, view, part Matrix
	for s := 0; s < len(rows); s += chunkRows {
		e := min(s+chunkRows, len(rows))
		part = within(out, s, e)
		f(x.rowsOf(rows[s:e], &buf, &view), &part)
	}
}
