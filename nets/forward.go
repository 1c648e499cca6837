package nets

import (
	"fmt"
	"math"
	"math/rand/v2"

	"albench/internal/fmath"
)

// chunkRows is how many rows the inference methods push through the network at a
// time, so that their scratch stays small and in the first-level cache whatever
// the pool size. A multiple of lanes.
const chunkRows = 64

// hidden runs the rows×Inputs row-major x through the hidden layers, leaving the
// input in ws.x and each layer's output in ws.h, feature-major with ws.ld =
// pad(rows) lanes (and, with dropout, the pre-dropout output in ws.act, using the
// masks drawn by drawMasks). It returns the last hidden panel, or ws.x for logreg.
func (n *Net) hidden(x []float64, rows int, dropout bool) []float64 {
	ld := pad(rows)
	n.ws.ld = ld
	n.ws.x = grow(n.ws.x, n.spec.Inputs*ld)
	kern.transposeIn(n.ws.x, x, rows, n.spec.Inputs, ld)
	return n.layers(0, n.ws.x, ld, dropout)
}

// layers runs the panel a, the input of hidden layer from, through the hidden
// layers from on, as hidden does, and returns the last hidden panel (a itself
// when there are none).
func (n *Net) layers(from int, a []float64, ld int, dropout bool) []float64 {
	for l := from; l < len(n.ws.h); l++ {
		dst := n.preact(l, a, ld, dropout)
		if dropout {
			kern.mul(n.ws.h[l][:len(dst)], dst, n.ws.mask[l])
		}
		a = n.ws.h[l]
	}
	return a
}

// preact sets hidden layer l's activations (before dropout) for the panel a of
// its inputs: into ws.act[l] with dropout, else ws.h[l], which it returns.
// ws.h[l] is sized either way.
func (n *Net) preact(l int, a []float64, ld int, dropout bool) []float64 {
	in, out := n.sizes[l], n.sizes[l+1]
	n.ws.h[l] = grow(n.ws.h[l], out*ld)
	dst := n.ws.h[l]
	if dropout {
		n.ws.act[l] = grow(n.ws.act[l], out*ld)
		dst = n.ws.act[l]
	}
	// relu is fused into the kernel; tanh has no vector form.
	kern.linear(dst, a, n.w[l], n.b[l], out, in, ld, !n.tanh)
	if n.tanh {
		for i, v := range dst {
			dst[i] = fmath.Tanh(v)
		}
	}
	return dst
}

// output sets ws.z (Classes×ld) to the last layer's logits for the panel a and
// returns it.
func (n *Net) output(a []float64, ld int) []float64 {
	L := len(n.w) - 1
	n.ws.z = grow(n.ws.z, n.Classes()*ld)
	kern.linear(n.ws.z, a, n.w[L], n.b[L], n.sizes[L+1], n.sizes[L], ld, false)
	return n.ws.z
}

// softmax turns the first rows lanes of the feature-major logits z (c×ld) into
// softmax probabilities, computed after subtracting each lane's maximum so that
// exp cannot overflow; they go to the row-major out (rows×c) when out is not nil
// and back into z otherwise. When y is not nil it returns loss plus the
// cross-entropies
//
//	ℓ_i = log Σ_j exp(z_ij − m_i) − (z_iy − m_i),  m_i = max_j z_ij,
//
// added one by one in row order (so a sum carried over chunks is the sum of one
// pass).
//
// A logit equal to the maximum contributes exp(0) = 1 without calling exp, which
// for two classes halves the exps.
func softmax(z []float64, rows, c, ld int, y []int, out []float64, loss float64) float64 {
	if c == 2 {
		return softmax2(z, rows, ld, y, out, loss)
	}
	return softmaxRows(z, 0, rows, c, ld, y, out, loss)
}

// softmaxRows is softmax on the lanes from..to−1.
func softmaxRows(z []float64, from, to, c, ld int, y []int, out []float64, loss float64) float64 {
	z = z[:c*ld]
	for i := from; i < to; i++ {
		m := z[i]
		for k := 1; k < c; k++ {
			if v := z[k*ld+i]; v > m {
				m = v
			}
		}
		zy := 0.0
		if y != nil {
			zy = z[y[i]*ld+i]
		}
		var r []float64 // where the probabilities go: a row of out, or nil for z
		if out != nil {
			r = out[i*c : i*c+c]
		}
		s := 0.0
		for k := 0; k < c; k++ {
			e := 1.0
			if d := z[k*ld+i] - m; d != 0 { // NaN included
				e = fmath.Exp(d)
			}
			if r != nil {
				r[k] = e
			} else {
				z[k*ld+i] = e
			}
			s += e
		}
		if r != nil {
			for k := range r {
				r[k] /= s
			}
		} else {
			for k := 0; k < c; k++ {
				z[k*ld+i] /= s
			}
		}
		if y != nil {
			loss += fmath.Log(s) - (zy - m)
		}
	}
	return loss
}

// softmax2 is softmax for two classes, computing what softmaxRows computes
// with the same operations in the same order but without branching on which
// logit is the larger, a coin toss that the branch predictor loses half the
// time, twice a row. With m finite, the larger logit t has z_t − m = +0 and so
// e_t = 1, and only the other one, o, may need exp; each e is then selected by
// the bits of t. A row with an infinite or NaN maximum, where z_t − m is NaN, goes
// to softmaxRows.
func softmax2(z []float64, rows, ld int, y []int, out []float64, loss float64) float64 {
	z = z[:2*ld]
	z0s, z1s := z[:rows], z[ld:ld+rows]
	if out != nil {
		out = out[:2*rows]
	}
	if y != nil {
		y = y[:rows]
	}
	const one = 0x3ff0000000000000 // the bits of 1.0
	for i, z0 := range z0s {
		z1 := z1s[i]
		var t uint64 // 1 when z1 > z0 (softmaxRows's m = z1), else 0
		if z1 > z0 {
			t = 1
		}
		sel := -t // all ones when t = 1
		b0, b1 := math.Float64bits(z0), math.Float64bits(z1)
		mb := b0 ^ (b0^b1)&sel // z_t
		if mb&(0x7ff<<52) == 0x7ff<<52 {
			loss = softmaxRows(z, i, i+1, 2, ld, y, out, loss)
			continue
		}
		m, zo := math.Float64frombits(mb), math.Float64frombits(b0^b1^mb)
		eo := 1.0
		if d := zo - m; d != 0 { // NaN included
			eo = fmath.Exp(d)
		}
		ob := math.Float64bits(eo)
		e0 := math.Float64frombits(one ^ (one^ob)&sel) // 1 when t = 0, else eo
		e1 := math.Float64frombits(ob ^ (one^ob)&sel)  // eo when t = 0, else 1
		s := 0.0
		s += e0
		s += e1
		if out != nil {
			r := out[2*i : 2*i+2 : 2*i+2]
			r[0], r[1] = e0/s, e1/s
		} else {
			z0s[i], z1s[i] = e0/s, e1/s
		}
		if y != nil {
			zy := [2]float64{z0, z1}[y[i]]
			loss += fmath.Log(s) - (zy - m)
		}
	}
	return loss
}

func (n *Net) checkLabels(x *Matrix, y []int) { n.checkLabelsOf(x.Rows, y) }

// checkLabelsOf panics unless y holds rows labels, each a class of n.
func (n *Net) checkLabelsOf(rows int, y []int) {
	if len(y) != rows {
		panic(fmt.Sprintf("nets: %d labels for %d rows", len(y), rows))
	}
	for i, c := range y {
		if c < 0 || c >= n.Classes() {
			panic(fmt.Sprintf("nets: label %d of row %d is outside [0, %d)", c, i, n.Classes()))
		}
	}
}

// Probs sets out (resized to x.Rows×Classes) to the softmax probabilities of each
// row of x in evaluation mode (no dropout).
func (n *Net) Probs(x, out *Matrix) {
	n.probs(x, out, nil)
}

// MCProbs sets out (resized to x.Rows×Classes) to the softmax probabilities of one
// stochastic forward pass in training mode: every hidden activation is dropped
// with probability Dropout and the rest scaled by 1/(1−Dropout), with fresh masks
// drawn from one draw of rng (Gal and Ghahramani 2016, Dropout as a Bayesian
// Approximation). Without dropout it equals Probs and draws nothing.
func (n *Net) MCProbs(x, out *Matrix, rng *rand.Rand) {
	if !n.HasDropout() {
		rng = nil
	}
	n.probs(x, out, rng)
}

func (n *Net) probs(x, out *Matrix, rng *rand.Rand) {
	n.checkInput(x)
	c := n.Classes()
	out.Resize(x.Rows, c)
	var seed uint64
	if rng != nil {
		seed = rng.Uint64()
	}
	for s := 0; s < x.Rows; s += chunkRows {
		e := min(s+chunkRows, x.Rows)
		if rng != nil {
			n.drawMasks(e-s, pad(e-s), seed, s)
		}
		h := n.hidden(x.Data[s*x.Cols:e*x.Cols], e-s, rng != nil)
		z := n.output(h, n.ws.ld)
		softmax(z, e-s, c, n.ws.ld, nil, out.Data[s*c:e*c], 0)
	}
}

// MCPasses runs passes stochastic forward passes over rows of x: the rows
// listed in rows, in that order, or every row of x when rows is nil. The
// probabilities of pass t are those of the t-th of passes calls of
// MCProbs(g, out, rng) in a row, bit for bit, g the gathered rows, but the
// first layer's activations before dropout, which every pass shares, are
// computed once, and the rows are read where they are (no gathered copy).
// Chunk by chunk of rows in order, and within a chunk pass by pass, it calls
// each(t, first, p) with p the probabilities (rows×Classes, row-major) of the
// chunk's rows first, first+1, … (positions in rows), valid until each
// returns. Without dropout every pass is Probs and nothing is drawn.
func (n *Net) MCPasses(x *Matrix, rows []int, passes int, rng *rand.Rand, each func(pass, first int, p []float64)) {
	n.checkRows(x, rows)
	total := x.Rows
	if rows != nil {
		total = len(rows)
	}
	c, in := n.Classes(), n.spec.Inputs
	drop := n.HasDropout()
	n.ws.seeds = n.ws.seeds[:0]
	for range passes {
		if drop {
			n.ws.seeds = append(n.ws.seeds, rng.Uint64()) // MCProbs's one draw per pass
		}
	}
	n.ws.out = grow(n.ws.out, chunkRows*c)
	if rows != nil {
		n.ws.rows = grow(n.ws.rows, chunkRows*in)
	}
	for s := 0; s < total; s += chunkRows {
		e := min(s+chunkRows, total)
		r, ld := e-s, pad(e-s)
		out := n.ws.out[:r*c]
		xs := x.Data[s*in : e*in : e*in]
		if rows != nil {
			xs = n.ws.rows[:r*in]
			for k, i := range rows[s:e] {
				copy(xs[k*in:(k+1)*in], x.Data[i*in:(i+1)*in])
			}
		}
		if !drop {
			h := n.hidden(xs, r, false)
			softmax(n.output(h, ld), r, c, ld, nil, out, 0)
			for t := range passes {
				each(t, s, out)
			}
			continue
		}
		n.ws.ld = ld
		n.ws.x = grow(n.ws.x, in*ld)
		kern.transposeIn(n.ws.x, xs, r, in, ld)
		act0 := n.preact(0, n.ws.x, ld, true) // ws.act[0], kept through the passes
		for t, seed := range n.ws.seeds {
			n.drawMasks(r, ld, seed, s)
			kern.mul(n.ws.h[0][:len(act0)], act0, n.ws.mask[0])
			h := n.layers(1, n.ws.h[0], ld, true)
			softmax(n.output(h, ld), r, c, ld, nil, out, 0)
			each(t, s, out)
		}
	}
}

// Loss returns the mean cross-entropy of the rows of x against the labels y in
// evaluation mode (PyTorch's nn.CrossEntropyLoss):
//
//	L = −(1/N) Σ_i log p(y_i | x_i).
func (n *Net) Loss(x *Matrix, y []int) float64 {
	n.checkInput(x)
	n.checkLabels(x, y)
	if x.Rows == 0 {
		return 0
	}
	c := n.Classes()
	sum := 0.0
	for s := 0; s < x.Rows; s += chunkRows {
		e := min(s+chunkRows, x.Rows)
		h := n.hidden(x.Data[s*x.Cols:e*x.Cols], e-s, false)
		z := n.output(h, n.ws.ld)
		sum = softmax(z, e-s, c, n.ws.ld, y[s:e], nil, sum)
	}
	return sum / float64(x.Rows)
}

// Embed sets out (resized to x.Rows×EmbedDim) to the last hidden layer's
// activations in evaluation mode; for logreg, to x itself.
func (n *Net) Embed(x, out *Matrix) {
	n.checkInput(x)
	d := n.EmbedDim()
	out.Resize(x.Rows, d)
	for s := 0; s < x.Rows; s += chunkRows {
		e := min(s+chunkRows, x.Rows)
		h := n.hidden(x.Data[s*x.Cols:e*x.Cols], e-s, false)
		transposeOut(out.Data[s*d:e*d], h, e-s, d, n.ws.ld)
	}
}

// GradEmbed sets out (resized to x.Rows×GradEmbedDim) to BADGE's gradient
// embedding (Ash et al. 2020, Deep Batch Active Learning by Diverse, Uncertain
// Gradient Lower Bounds): the gradient of the cross-entropy at the predicted label
// with respect to the last layer's weights,
//
//	g_i[c·E + j] = (p_c(x_i) − 1[c = ŷ_i]) · h_j(x_i),  ŷ_i = argmax_c p_c(x_i),
//
// with h the embedding of Embed, E = EmbedDim and ties in the argmax going to the
// lowest class. Evaluation mode. Each element is the one rounded product of the
// factors GradEmbedFactors returns.
func (n *Net) GradEmbed(x, out *Matrix) {
	n.checkInput(x)
	c, d := n.Classes(), n.EmbedDim()
	out.Resize(x.Rows, c*d)
	for s := 0; s < x.Rows; s += chunkRows {
		e := min(s+chunkRows, x.Rows)
		p, h, ld := n.gradChunk(x, s, e)
		for i := 0; i < e-s; i++ {
			top := predicted(p, ld, i, c)
			g := out.Row(s + i)
			for k := 0; k < c; k++ {
				coef := gradCoef(p, ld, i, k, top)
				gk := g[k*d : k*d+d]
				for j := range gk {
					gk[j] = coef * h[j*ld+i]
				}
			}
		}
	}
}

// GradEmbedFactors sets coef (resized to x.Rows×Classes) and h (resized to
// x.Rows×EmbedDim) to the two factors of GradEmbed,
//
//	coef_ic = p_c(x_i) − 1[c = ŷ_i],   h_ij = h_j(x_i),
//
// so that GradEmbed's element g_i[c·E + j] is the rounded product coef_ic·h_ij,
// bit for bit: K + E numbers per row instead of K·E. Evaluation mode.
func (n *Net) GradEmbedFactors(x, coef, h *Matrix) {
	n.checkInput(x)
	c, d := n.Classes(), n.EmbedDim()
	coef.Resize(x.Rows, c)
	h.Resize(x.Rows, d)
	for s := 0; s < x.Rows; s += chunkRows {
		e := min(s+chunkRows, x.Rows)
		p, hc, ld := n.gradChunk(x, s, e)
		for i := 0; i < e-s; i++ {
			top := predicted(p, ld, i, c)
			row := coef.Row(s + i)
			for k := range row {
				row[k] = gradCoef(p, ld, i, k, top)
			}
		}
		transposeOut(h.Data[s*d:e*d], hc, e-s, d, ld)
	}
}

// gradChunk runs rows s..e−1 of x through the net in evaluation mode and returns
// the class probabilities p (class k of row i at p[k·ld + i]) and the embedding h
// (unit j of row i at h[j·ld + i]), both in the workspace.
func (n *Net) gradChunk(x *Matrix, s, e int) (p, h []float64, ld int) {
	h = n.hidden(x.Data[s*x.Cols:e*x.Cols], e-s, false)
	ld = n.ws.ld
	p = n.output(h, ld)
	softmax(p, e-s, n.Classes(), ld, nil, nil, 0)
	return p, h, ld
}

// predicted returns ŷ = argmax_k p[k·ld + i] over the c classes, ties to the
// lowest class.
func predicted(p []float64, ld, i, c int) int {
	top := 0
	for k := 1; k < c; k++ {
		if p[k*ld+i] > p[top*ld+i] {
			top = k
		}
	}
	return top
}

// gradCoef returns the gradient embedding's coefficient p_k − 1[k = top] of
// class k for row i.
func gradCoef(p []float64, ld, i, k, top int) float64 {
	coef := p[k*ld+i]
	if k == top {
		coef--
	}
	return coef
}
