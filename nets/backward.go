package nets

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Gradient sets grad (len(Params()) elements, in Params order) to the gradient of
// the mean cross-entropy of the rows of x against y in evaluation mode, and returns
// that loss. Training uses the same computation with dropout masks drawn.
func (n *Net) Gradient(x *Matrix, y []int, grad []float64) float64 {
	n.checkInput(x)
	n.checkLabels(x, y)
	if len(grad) != len(n.params) {
		panic(fmt.Sprintf("nets: gradient buffer has %d elements, the net has %d parameters", len(grad), len(n.params)))
	}
	return n.lossGrad(x.Data, nil, x.Rows, y, nil, grad)
}

// lossGrad sets grad to the gradient of the mean cross-entropy of the rows of x
// (rows×Inputs, row-major) against y, by back-propagation, and returns the loss.
// When idx is not nil, x is a bigger row-major matrix and the rows are its rows
// idx[0], idx[1], … (rows = len(idx)), read where they are a panel at a time. With rng not
// nil and dropout in the spec the pass is in training mode, with masks drawn
// from one draw of rng, the seed of drawMasks. For a layer z = a Wᵀ + b with output delta δ = ∂L/∂z,
//
//	∂L/∂W = δᵀ a,  ∂L/∂b = Σ_rows δ,  ∂L/∂a = δ W,
//
// and the delta of the last layer is (softmax(z) − onehot(y)) / rows.
//
// The rows go through forward and backward passes in panels of trainPanel rows,
// so that the activations and deltas stay in cache whatever the batch size. A
// sample's activations and deltas do not depend on the panel it falls in, and
// the sums over samples (the loss, outer's running lane sums, colSums's) are
// carried from panel to panel in row order, so the gradient has the bits of one
// pass over all rows at once.
func (n *Net) lossGrad(x []float64, idx []int, rows int, y []int, rng *rand.Rand, grad []float64) float64 {
	return n.passGrad(x, idx, rows, y, rng, grad, true, false)
}

// passGrad is lossGrad, or without wantLoss its loss-free form. With sameInput, the
// caller promises that the previous pass on n (in this Trainer's fit) had the
// same x, idx and rows: a pass of one panel then reuses the transposed panel
// that pass left in the workspace instead of gathering and transposing it
// again (the training set of a round's 200 epochs is one panel of rows that
// does not change).
//
// Without wantLoss (a pass whose loss nobody reads but the divergence check)
// it sets grad to the same bits and returns the same loss when that loss may
// be non-finite; otherwise it skips the logarithms and returns 0. The
// cross-entropy of a row is log Σ_k e^(z_k − m) + (m − z_y), m = max_k z_k, at
// most log C + 2·max|z|. When every logit of the pass is finite and below
// tameLogit = 2⁵⁰⁰ in magnitude, the mean over any number of rows is finite
// (below log C + 2⁵⁰¹), so the pass cannot diverge and its loss is not needed.
// A pass with a larger or non-finite logit is run again from the start with the
// loss, the same rows and the same masks (the seed is drawn once, here), so the
// gradient, the loss and the divergence decision are lossGrad's.
func (n *Net) passGrad(x []float64, idx []int, rows int, y []int, rng *rand.Rand, grad []float64, wantLoss, sameInput bool) float64 {
	drop := rng != nil && n.HasDropout()
	var seed uint64
	if drop {
		seed = rng.Uint64()
	}
	if !wantLoss {
		if _, tame := n.lossGradSeeded(x, idx, rows, y, drop, seed, grad, false, sameInput); tame {
			return 0
		}
		sameInput = true // the pass just made had the same input
	}
	loss, _ := n.lossGradSeeded(x, idx, rows, y, drop, seed, grad, true, sameInput)
	return loss
}

// tameLogit bounds the logits under which passGrad may skip the loss.
const tameLogit = 0x1p500

// lossGradSeeded is lossGrad with the dropout seed given (drop: masks drawn from
// it). With wantLoss false it computes no cross-entropy and returns 0 and
// whether every logit was finite and below tameLogit in magnitude; the
// gradient is the same either way. sameInput is passGrad's.
func (n *Net) lossGradSeeded(x []float64, idx []int, rows int, y []int, drop bool, seed uint64, grad []float64, wantLoss, sameInput bool) (float64, bool) {
	n.ws.acc = grow(n.ws.acc, len(n.params)*lanes)
	clear(n.ws.acc)
	for l := 1; l < len(n.w); l++ {
		n.ws.wt[l] = grow(n.ws.wt[l], len(n.w[l]))
		transpose(n.ws.wt[l], n.w[l], n.sizes[l+1], n.sizes[l])
	}
	inv := 1 / float64(rows)
	loss := 0.0
	step := n.trainPanel()
	in := n.spec.Inputs
	tame := true
	if idx != nil {
		n.ws.rows = grow(n.ws.rows, min(step, rows)*in)
	}
	for s := 0; s < rows; s += step {
		e := min(s+step, rows)
		if drop {
			n.drawMasks(e-s, pad(e-s), seed, s)
		}
		var xs []float64 // nil: the panel is in ws.x already
		if !sameInput || rows > step {
			xs = x[s*in : e*in : e*in]
			if idx != nil {
				xs = panelRows(x, idx[s:e], in, n.ws.rows)
			}
		}
		if wantLoss {
			loss = n.panelGrad(xs, e-s, y[s:e], inv, drop, loss)
		} else if !n.panelGradOnly(xs, e-s, y[s:e], inv, drop) {
			tame = false
		}
	}
	laneTotals(grad[:len(n.params)], n.ws.acc)
	if !wantLoss {
		return 0, tame
	}
	return loss / float64(rows), true
}

// panelGrad runs one panel of rows through lossGrad's forward and backward
// passes, adding its share of the gradient to ws.acc (deltas scaled by inv,
// 1 over the rows of the whole batch), and returns loss plus its
// cross-entropies.
func (n *Net) panelGrad(x []float64, rows int, y []int, inv float64, drop bool, loss float64) float64 {
	ld := pad(rows)
	h := n.panelHidden(x, rows, drop)
	z := n.output(h, ld)
	loss = softmax(z, rows, n.Classes(), ld, y, nil, loss)
	n.backward(z, rows, y, inv, drop)
	return loss
}

// panelGradOnly is panelGrad without the cross-entropies: it reports whether
// every logit of the panel was finite and below tameLogit in magnitude (see
// passGrad). The probabilities, hence the gradient, are panelGrad's: softmax
// computes them the same way with or without labels.
func (n *Net) panelGradOnly(x []float64, rows int, y []int, inv float64, drop bool) bool {
	ld := pad(rows)
	h := n.panelHidden(x, rows, drop)
	c := n.Classes()
	z := n.output(h, ld)
	tame := true
	for k := range c {
		for _, v := range z[k*ld : k*ld+rows] {
			if !(math.Abs(v) < tameLogit) {
				tame = false // NaN included
			}
		}
	}
	softmax(z, rows, c, ld, nil, nil, 0)
	n.backward(z, rows, y, inv, drop)
	return tame
}

// panelHidden is hidden for a training panel; with x nil, the panel's
// transposed input is the one ws.x holds from the previous pass (see passGrad).
func (n *Net) panelHidden(x []float64, rows int, drop bool) []float64 {
	if x != nil {
		return n.hidden(x, rows, drop)
	}
	ld := pad(rows)
	n.ws.ld = ld
	return n.layers(0, n.ws.x[:n.spec.Inputs*ld], ld, drop)
}

// backward adds the panel's share of the gradient to ws.acc from its
// probabilities z (softmax of the logits, in place; see panelGrad).
func (n *Net) backward(z []float64, rows int, y []int, inv float64, drop bool) {
	ld := pad(rows)
	c := n.Classes()

	// The padding lanes' deltas are zero, so they add nothing to the sums over
	// samples below.
	n.ws.d[0] = grow(n.ws.d[0], c*ld)
	d := n.ws.d[0]
	for k := 0; k < c; k++ {
		dk, pk := d[k*ld:k*ld+ld], z[k*ld:k*ld+ld]
		for i := 0; i < rows; i++ {
			dk[i] = pk[i] * inv
		}
		clear(dk[rows:])
	}
	for i, yi := range y[:rows] {
		d[yi*ld+i] = (z[yi*ld+i] - 1) * inv
	}
	cur := 0
	acc := n.ws.acc
	for l := len(n.w) - 1; l >= 0; l-- {
		in, out := n.sizes[l], n.sizes[l+1]
		a := n.ws.x
		if l > 0 {
			a = n.ws.h[l-1]
		}
		dl := n.ws.d[cur]
		o := n.off[l] * lanes
		kern.outer(acc[o:o+out*in*lanes], dl, a, out, in, ld)
		colSums(acc[o+out*in*lanes:o+(out*in+out)*lanes], dl, out, ld)
		if l == 0 {
			break
		}
		n.ws.d[1-cur] = grow(n.ws.d[1-cur], in*ld)
		next := n.ws.d[1-cur]
		kern.linear(next, dl, n.ws.wt[l], nil, in, out, ld, false)
		if drop {
			kern.mul(next, next, n.ws.mask[l-1])
			n.deriv(next, n.ws.act[l-1])
		} else {
			n.deriv(next, n.ws.h[l-1])
		}
		cur = 1 - cur
	}
}

// trainCache is the cache, in bytes, that one panel of lossGrad's activations,
// masks and deltas is sized to fit: about a quarter of a second-level cache,
// leaving room for the weights, their running lane sums and the input. The
// panel size changes speed only, never bits (tests vary it).
var trainCache = 128 << 10

// trainPanel returns the rows per panel of lossGrad: as many as fit trainCache,
// a multiple of chunkRows when that many fit, else of lanes, at least lanes.
func (n *Net) trainPanel() int {
	floats := n.spec.Inputs + n.Classes() // the input and the logits
	widest := n.Classes()
	for _, w := range n.sizes[1 : len(n.sizes)-1] {
		floats += w
		if n.HasDropout() {
			floats += 2 * w // pre-dropout activations and masks
		}
		widest = max(widest, w)
	}
	floats += 2 * widest // the two delta panels
	r := trainCache / (8 * floats)
	if r >= chunkRows {
		return r / chunkRows * chunkRows
	}
	return max(r/lanes*lanes, lanes)
}

// transposed returns layer l's weight transposed (in×out), copied afresh into
// scratch since the parameters may have changed since the last call.
func (n *Net) transposed(l int) []float64 {
	in, out := n.sizes[l], n.sizes[l+1]
	n.ws.gt = grow(n.ws.gt, in*out)
	transpose(n.ws.gt, n.w[l], out, in)
	return n.ws.gt
}

// deriv multiplies the deltas d of a hidden layer by the activation's derivative,
// given the layer's activations h (before dropout): 1[h > 0] for relu, 1 − h² for
// tanh.
func (n *Net) deriv(d, h []float64) {
	h = h[:len(d)]
	if n.tanh {
		for i, v := range h {
			d[i] *= 1 - float64(v*v)
		}
		return
	}
	kern.reluMask(d, h)
}

// GradNorms sets out (resized to x.Rows×Classes) to the norm of the gradient of
// the cross-entropy of each row with respect to every parameter, for each possible
// label, in evaluation mode:
//
//	out(i, y) = ‖∇θ ℓ(x_i, y)‖₂.
//
// For one sample, a linear layer's gradient is the outer product δ aᵀ (weights)
// and δ (bias), so its squared norm is ‖δ‖²(‖a‖² + 1) without forming the outer
// product: one back-propagation of a delta vector per (row, label) suffices. This
// is the gradient length of Expected Gradient Length (Settles, Craven and Ray 2008,
// Multiple-Instance Active Learning).
func (n *Net) GradNorms(x, out *Matrix) {
	n.checkInput(x)
	c := n.Classes()
	out.Resize(x.Rows, c)
	L := len(n.w) - 1
	for s := 0; s < x.Rows; s += chunkRows {
		e := min(s+chunkRows, x.Rows)
		rows := e - s
		h := n.hidden(x.Data[s*x.Cols:e*x.Cols], rows, false)
		ld := n.ws.ld
		p := n.output(h, ld)
		softmax(p, rows, c, ld, nil, nil, 0)

		// The deltas have c·ld lanes: lane y·ld + i is the back-propagation of
		// sample i with label y. Their squared norms accumulate in out.
		cl := c * ld
		n.ws.d[0] = grow(n.ws.d[0], c*cl)
		d := n.ws.d[0]
		for k := 0; k < c; k++ {
			for y := 0; y < c; y++ {
				r := d[k*cl+y*ld : k*cl+y*ld+ld]
				copy(r, p[k*ld:k*ld+ld])
				if k == y {
					for i := range r {
						r[i]--
					}
				}
			}
		}
		n.ws.u = grow(n.ws.u, cl)
		ss := n.ws.u
		kern.sumSq(ss, d, c, cl)
		an := n.inputNorms(h, n.sizes[L], ld)
		sq := out.Data[s*c : e*c]
		for i := 0; i < rows; i++ {
			for y := 0; y < c; y++ {
				sq[i*c+y] = ss[y*ld+i] * an[i]
			}
		}
		cur := 0
		for l := L; l >= 1; l-- {
			in, outw := n.sizes[l], n.sizes[l+1]
			n.ws.d[1-cur] = grow(n.ws.d[1-cur], in*cl)
			next := n.ws.d[1-cur]
			kern.linear(next, n.ws.d[cur], n.transposed(l), nil, in, outw, cl, false)
			hl := n.ws.h[l-1]
			for q := 0; q < in; q++ {
				for y := 0; y < c; y++ {
					n.deriv(next[q*cl+y*ld:q*cl+y*ld+ld], hl[q*ld:q*ld+ld])
				}
			}
			kern.sumSq(ss, next, in, cl)
			a := n.ws.x
			if l > 1 {
				a = n.ws.h[l-2]
			}
			an := n.inputNorms(a, n.sizes[l-1], ld)
			for i := 0; i < rows; i++ {
				for y := 0; y < c; y++ {
					sq[i*c+y] += float64(ss[y*ld+i] * an[i])
				}
			}
			cur = 1 - cur
		}
		for i, v := range sq {
			sq[i] = math.Sqrt(v)
		}
	}
}

// inputNorms returns ‖a_i‖² + 1 for each lane of the w×ld panel a, in reused
// scratch.
func (n *Net) inputNorms(a []float64, w, ld int) []float64 {
	n.ws.v = grow(n.ws.v, ld)
	v := n.ws.v
	kern.sumSq(v, a, w, ld)
	for i := range v {
		v[i]++
	}
	return v
}

// panelRows returns the rows idx of the row-major x (in columns each), in that
// order: x's own storage when they are consecutive (the skyline trains on
// every pool row), else a copy in buf, which must hold len(idx)·in values.
func panelRows(x []float64, idx []int, in int, buf []float64) []float64 {
	if consecutive(idx) {
		lo, hi := idx[0]*in, (idx[0]+len(idx))*in
		return x[lo:hi:hi]
	}
	xs := buf[:len(idx)*in]
	for k, i := range idx {
		copy(xs[k*in:(k+1)*in], x[i*in:(i+1)*in])
	}
	return xs
}
