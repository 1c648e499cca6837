package nets

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// chunkRows is how many rows the inference methods push through the network at a
// time, so that their scratch stays small and in cache whatever the pool size.
const chunkRows = 128

// drawMasks draws inverted-dropout masks for rows samples: row by row, and within
// a row hidden layer by hidden layer and unit by unit, a unit is dropped (mask 0)
// when rng.Float64() < p and kept (mask 1/(1−p)) otherwise. Drawing row by row
// makes the masks of a sample independent of how rows are grouped into chunks.
func (n *Net) drawMasks(rows int, rng *rand.Rand) {
	p := n.spec.Dropout
	scale := 1 / (1 - p)
	for l := range n.ws.mask {
		n.ws.mask[l].Resize(rows, n.sizes[l+1])
	}
	for i := 0; i < rows; i++ {
		for l := range n.ws.mask {
			for j, r := 0, n.ws.mask[l].Row(i); j < len(r); j++ {
				if rng.Float64() < p {
					r[j] = 0
				} else {
					r[j] = scale
				}
			}
		}
	}
}

// hidden runs x (rows×Inputs) through the hidden layers, leaving each layer's
// output in ws.h (and, with dropout, the pre-dropout output in ws.act, using the
// masks drawn by drawMasks). It returns the last hidden output, or x for logreg.
func (n *Net) hidden(x []float64, rows int, dropout bool) []float64 {
	a := x
	for l := range n.ws.h {
		in, out := n.sizes[l], n.sizes[l+1]
		h := &n.ws.h[l]
		h.Resize(rows, out)
		dst := h.Data
		if dropout {
			n.ws.act[l].Resize(rows, out)
			dst = n.ws.act[l].Data
		}
		gemmNT(dst, a, n.w[l], n.b[l], rows, out, in)
		if n.tanh {
			for i, v := range dst {
				dst[i] = math.Tanh(v)
			}
		} else {
			for i, v := range dst {
				dst[i] = max(v, 0) // branch-free; a NaN propagates to the loss
			}
		}
		if dropout {
			m := n.ws.mask[l].Data[:len(dst)]
			hd := h.Data[:len(dst)]
			for i, v := range dst {
				hd[i] = v * m[i]
			}
		}
		a = h.Data
	}
	return a
}

// output sets z (rows×Classes) to the last layer's logits for the inputs a.
func (n *Net) output(a []float64, rows int, z []float64) {
	L := len(n.w) - 1
	gemmNT(z, a, n.w[L], n.b[L], rows, n.sizes[L+1], n.sizes[L])
}

// softmax replaces each row of z (rows×c) by its softmax, computed after
// subtracting the row's maximum so that exp cannot overflow. When y is not nil it
// returns the summed cross-entropy
//
//	ℓ_i = log Σ_j exp(z_ij − m_i) − (z_iy − m_i),  m_i = max_j z_ij.
func softmax(z []float64, rows, c int, y []int) float64 {
	loss := 0.0
	for i := 0; i < rows; i++ {
		r := z[i*c : i*c+c]
		m := r[0]
		for _, v := range r[1:] {
			if v > m {
				m = v
			}
		}
		zy := 0.0
		if y != nil {
			zy = r[y[i]]
		}
		s := 0.0
		for j, v := range r {
			e := math.Exp(v - m)
			r[j] = e
			s += e
		}
		for j := range r {
			r[j] /= s
		}
		if y != nil {
			loss += math.Log(s) - (zy - m)
		}
	}
	return loss
}

func (n *Net) checkLabels(x *Matrix, y []int) {
	if len(y) != x.Rows {
		panic(fmt.Sprintf("nets: %d labels for %d rows", len(y), x.Rows))
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
// drawn from rng (Gal and Ghahramani 2016, Dropout as a Bayesian Approximation).
// Without dropout it equals Probs and draws nothing.
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
	for s := 0; s < x.Rows; s += chunkRows {
		e := min(s+chunkRows, x.Rows)
		if rng != nil {
			n.drawMasks(e-s, rng)
		}
		h := n.hidden(x.Data[s*x.Cols:e*x.Cols], e-s, rng != nil)
		z := out.Data[s*c : e*c]
		n.output(h, e-s, z)
		softmax(z, e-s, c, nil)
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
		n.ws.z.Resize(e-s, c)
		n.output(h, e-s, n.ws.z.Data)
		sum += softmax(n.ws.z.Data, e-s, c, y[s:e])
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
		copy(out.Data[s*d:e*d], n.hidden(x.Data[s*x.Cols:e*x.Cols], e-s, false))
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
// lowest class. Evaluation mode.
func (n *Net) GradEmbed(x, out *Matrix) {
	n.checkInput(x)
	c, d := n.Classes(), n.EmbedDim()
	out.Resize(x.Rows, c*d)
	for s := 0; s < x.Rows; s += chunkRows {
		e := min(s+chunkRows, x.Rows)
		h := n.hidden(x.Data[s*x.Cols:e*x.Cols], e-s, false)
		n.ws.z.Resize(e-s, c)
		p := n.ws.z.Data
		n.output(h, e-s, p)
		softmax(p, e-s, c, nil)
		for i := 0; i < e-s; i++ {
			pi, hi := p[i*c:i*c+c], h[i*d:i*d+d]
			top := argmax(pi)
			g := out.Row(s + i)
			for k, pk := range pi {
				coef := pk
				if k == top {
					coef--
				}
				gk := g[k*d : k*d+d]
				gk = gk[:len(hi)]
				for j, v := range hi {
					gk[j] = coef * v
				}
			}
		}
	}
}

// argmax returns the index of the largest element, the lowest on ties.
func argmax(r []float64) int {
	best := 0
	for j, v := range r {
		if v > r[best] {
			best = j
		}
	}
	return best
}
