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
	return n.lossGrad(x.Data, x.Rows, y, nil, grad)
}

// lossGrad sets grad to the gradient of the mean cross-entropy of the rows of x
// (rows×Inputs) against y, by back-propagation, and returns the loss. With rng not
// nil and dropout in the spec the pass is in training mode, with masks drawn from
// rng. For a layer z = a Wᵀ + b with output delta δ = ∂L/∂z,
//
//	∂L/∂W = δᵀ a,  ∂L/∂b = Σ_rows δ,  ∂L/∂a = δ W,
//
// and the delta of the last layer is (softmax(z) − onehot(y)) / rows.
func (n *Net) lossGrad(x []float64, rows int, y []int, rng *rand.Rand, grad []float64) float64 {
	drop := rng != nil && n.HasDropout()
	if drop {
		n.drawMasks(rows, rng)
	}
	h := n.hidden(x, rows, drop)
	c := n.Classes()
	z := &n.ws.z
	z.Resize(rows, c)
	n.output(h, rows, z.Data)
	loss := softmax(z.Data, rows, c, y) / float64(rows)

	inv := 1 / float64(rows)
	d := &n.ws.d[0]
	d.Resize(rows, c)
	for i := 0; i < rows; i++ {
		p, di := z.Data[i*c:i*c+c], d.Data[i*c:i*c+c]
		di = di[:len(p)]
		for j, v := range p {
			di[j] = v * inv
		}
		di[y[i]] = (p[y[i]] - 1) * inv
	}
	cur := 0
	for l := len(n.w) - 1; l >= 0; l-- {
		in, out := n.sizes[l], n.sizes[l+1]
		a := x
		if l > 0 {
			a = n.ws.h[l-1].Data
		}
		dl := n.ws.d[cur].Data
		gw := grad[n.off[l] : n.off[l]+out*in]
		gemmTN(gw, dl, a, out, in, rows)
		colSums(grad[n.off[l]+out*in:n.off[l]+out*in+out], dl, rows, out)
		if l == 0 {
			break
		}
		next := &n.ws.d[1-cur]
		next.Resize(rows, in)
		gemmNN(next.Data, dl, n.w[l], rows, in, out)
		if drop {
			m, act := n.ws.mask[l-1].Data, n.ws.act[l-1].Data
			nd := next.Data[:len(m)]
			for i := range nd {
				nd[i] *= m[i]
			}
			n.deriv(nd, act)
		} else {
			n.deriv(next.Data, n.ws.h[l-1].Data)
		}
		cur = 1 - cur
	}
	return loss
}

// deriv multiplies the deltas d of a hidden layer by the activation's derivative,
// given the layer's activations h (before dropout): 1[h > 0] for relu, 1 − h² for
// tanh.
func (n *Net) deriv(d, h []float64) {
	h = h[:len(d)]
	if n.tanh {
		for i, v := range h {
			d[i] *= 1 - v*v
		}
		return
	}
	// relu outputs are +0 or positive (max(−0, 0) is +0), so h > 0 exactly when
	// h's bits are not all zero; masking with the bits avoids a branch that
	// random signs would mispredict half the time.
	for i, v := range h {
		b := math.Float64bits(v)
		keep := -((b | -b) >> 63) // all ones if b ≠ 0, else zero
		d[i] = math.Float64frombits(math.Float64bits(d[i]) & keep)
	}
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
		xs := x.Data[s*x.Cols : e*x.Cols]
		h := n.hidden(xs, rows, false)
		n.ws.z.Resize(rows, c)
		p := n.ws.z.Data
		n.output(h, rows, p)
		softmax(p, rows, c, nil)

		// Squared norms accumulate in out; row r = i·c + y of the deltas is the
		// back-propagation of sample i with label y.
		sq := out.Data[s*c : e*c]
		an := n.inputNorms(h, rows, n.sizes[L])
		d := &n.ws.d[0]
		d.Resize(rows*c, c)
		for i := 0; i < rows; i++ {
			pi := p[i*c : i*c+c]
			for y := 0; y < c; y++ {
				r := d.Data[(i*c+y)*c : (i*c+y)*c+c]
				copy(r, pi)
				r[y]--
				sq[i*c+y] = dot(r, r) * an[i]
			}
		}
		cur := 0
		for l := L; l >= 1; l-- {
			in, outw := n.sizes[l], n.sizes[l+1]
			next := &n.ws.d[1-cur]
			next.Resize(rows*c, in)
			gemmNN(next.Data, n.ws.d[cur].Data, n.w[l], rows*c, in, outw)
			a := xs
			if l > 1 {
				a = n.ws.h[l-2].Data
			}
			an := n.inputNorms(a, rows, n.sizes[l-1])
			hl := n.ws.h[l-1].Data
			for i := 0; i < rows; i++ {
				for y := 0; y < c; y++ {
					r := next.Data[(i*c+y)*in : (i*c+y+1)*in]
					n.deriv(r, hl[i*in:(i+1)*in])
					sq[i*c+y] += dot(r, r) * an[i]
				}
			}
			cur = 1 - cur
		}
		for i, v := range sq {
			sq[i] = math.Sqrt(v)
		}
	}
}

// inputNorms returns ‖a_i‖² + 1 for each row of a (rows×w), in reused scratch.
func (n *Net) inputNorms(a []float64, rows, w int) []float64 {
	if cap(n.ws.v) < rows {
		n.ws.v = make([]float64, rows)
	}
	v := n.ws.v[:rows]
	for i := range v {
		r := a[i*w : i*w+w]
		v[i] = dot(r, r) + 1
	}
	return v
}
