// Package nets holds small neural networks for tabular data in pure Go: a
// multi-layer perceptron and softmax regression, their training with SGD or Adam,
// and the capabilities that query strategies ask of a model (probabilities,
// embeddings, gradient embeddings, per-sample gradient norms, MC-dropout passes).
//
// The semantics follow PyTorch (nn.Linear, nn.Dropout, nn.CrossEntropyLoss,
// torch.optim.SGD and torch.optim.Adam) up to floating-point rounding. The matrix
// kernels are hand-written and single-threaded, since albench already runs one
// trial per core, and every hot path reuses buffers owned by the Net or Trainer, so
// training and inference do not allocate in steady state. On amd64 CPUs with
// AVX2 and FMA the kernels run in assembly; Kernel names the kernel set in use,
// since results are bit-identical per kernel set but not across sets.
package nets

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// Spec describes a network. Zero values mean defaults where noted.
type Spec struct {
	// Kind is "mlp" or "logreg" (softmax regression: one Linear(Inputs, Outputs)).
	Kind string
	// Inputs is the number of features.
	Inputs int
	// Hidden lists the hidden widths of an mlp, such as [32, 16]; empty for logreg.
	Hidden []int
	// Outputs is the number of classes, at least 2.
	Outputs int
	// Activation is "relu" (the default when empty) or "tanh".
	Activation string
	// Dropout is the probability in [0, 1) of zeroing each hidden activation
	// (after the activation) in training and in MCProbs. Only an mlp has hidden
	// activations to drop.
	Dropout float64
}

// Net is a feed-forward network: Linear layers with an activation (and dropout)
// between them, softmax at the end.
//
// A Net owns scratch buffers that its methods reuse, so a Net must be used by one
// goroutine at a time; give other goroutines a Clone.
type Net struct {
	spec  Spec
	tanh  bool
	sizes []int // sizes[0] = Inputs, then the hidden widths, then Outputs

	// params holds every layer's weight (out×in, row-major) then bias, layer by
	// layer; w[l] and b[l] are views into it.
	params []float64
	w, b   [][]float64
	off    []int // off[l]: index in params of layer l's weight

	drop dropRule // the threshold test of spec.Dropout

	ws work
}

// work is the scratch a forward or backward pass uses, grown on demand. Panels
// are feature-major with ld lanes (see kernels.go).
type work struct {
	ld      int          // lanes of the current panels: the chunk's rows padded
	x       []float64    // the input chunk, Inputs×ld
	h       [][]float64  // h[l]: hidden layer l after activation and dropout
	act     [][]float64  // act[l]: hidden layer l before dropout (dropout only)
	mask    [][]float64  // mask[l]: 0 or 1/(1−p) per unit and lane (dropout only)
	maskAll []float64    // every mask[l] is a view of it
	seeds   []uint64     // MCPasses's seed per pass
	out     []float64    // MCPasses's probabilities of a chunk, row-major
	rows    []float64    // a chunk or panel of listed rows, row-major (MCPasses, lossGrad)
	z       []float64    // logits, then probabilities, Classes×ld
	d       [2][]float64 // back-propagated deltas, ping-ponged between layers
	v, u    []float64    // per-lane scratch
	gt      []float64    // a weight transposed, for GradNorms
	wt      [][]float64  // wt[l]: layer l's weight transposed, for lossGrad
	acc     []float64    // lossGrad's running lane sums, lanes per parameter
}

// New returns a network of the given shape with all weights zero; call Init.
func New(spec Spec) (*Net, error) {
	if err := validate(&spec); err != nil {
		return nil, err
	}
	n := &Net{spec: spec, tanh: spec.Activation == "tanh", drop: newDropRule(spec.Dropout)}
	n.sizes = append(append([]int{spec.Inputs}, spec.Hidden...), spec.Outputs)
	total := 0
	for l := 0; l+1 < len(n.sizes); l++ {
		total += n.sizes[l+1]*n.sizes[l] + n.sizes[l+1]
	}
	n.params = make([]float64, total)
	off := 0
	for l := 0; l+1 < len(n.sizes); l++ {
		in, out := n.sizes[l], n.sizes[l+1]
		n.off = append(n.off, off)
		n.w = append(n.w, n.params[off:off+out*in:off+out*in])
		off += out * in
		n.b = append(n.b, n.params[off:off+out:off+out])
		off += out
	}
	hidden := len(n.sizes) - 2
	n.ws.h = make([][]float64, hidden)
	n.ws.act = make([][]float64, hidden)
	n.ws.mask = make([][]float64, hidden)
	n.ws.wt = make([][]float64, len(n.w))
	return n, nil
}

// validate checks spec and fills in its defaults.
func validate(s *Spec) error {
	if s.Activation == "" {
		s.Activation = "relu"
	}
	s.Hidden = slices.Clone(s.Hidden)
	switch {
	case s.Kind != "mlp" && s.Kind != "logreg":
		return fmt.Errorf("nets: kind must be mlp or logreg (got %q)", s.Kind)
	case s.Inputs < 1:
		return fmt.Errorf("nets: inputs must be at least 1 (got %d)", s.Inputs)
	case s.Outputs < 2:
		return fmt.Errorf("nets: outputs must be at least 2 (got %d)", s.Outputs)
	case s.Activation != "relu" && s.Activation != "tanh":
		return fmt.Errorf("nets: activation must be relu or tanh (got %q)", s.Activation)
	case !(s.Dropout >= 0 && s.Dropout < 1):
		return fmt.Errorf("nets: dropout must be in [0, 1) (got %v)", s.Dropout)
	case s.Kind == "mlp" && len(s.Hidden) == 0:
		return fmt.Errorf("nets: an mlp needs at least one hidden layer")
	case s.Kind == "logreg" && len(s.Hidden) > 0:
		return fmt.Errorf("nets: logreg has no hidden layers (got %v)", s.Hidden)
	case s.Kind == "logreg" && s.Dropout != 0:
		return fmt.Errorf("nets: logreg has no hidden activations to drop out (got dropout %v)", s.Dropout)
	}
	for _, h := range s.Hidden {
		if h < 1 {
			return fmt.Errorf("nets: hidden widths must be at least 1 (got %v)", s.Hidden)
		}
	}
	return nil
}

// Spec returns the network's spec with defaults filled in.
func (n *Net) Spec() Spec {
	s := n.spec
	s.Hidden = slices.Clone(s.Hidden)
	return s
}

// Init draws every parameter the way PyTorch's nn.Linear does by default: layer by
// layer, the weight (out×in, row-major) and then the bias, each element
//
//	θ = β·(2u − 1),  u = rng.Float64(),  β = 1/√fan_in
//
// in that order, so the same stream always gives the same network.
func (n *Net) Init(rng *rand.Rand) {
	for l := range n.w {
		bound := 1 / math.Sqrt(float64(n.sizes[l]))
		for i := range n.w[l] {
			n.w[l][i] = bound * (float64(2*rng.Float64()) - 1)
		}
		for i := range n.b[l] {
			n.b[l][i] = bound * (float64(2*rng.Float64()) - 1)
		}
	}
}

// CopyFrom sets n's parameters to src's. It panics if their specs differ.
func (n *Net) CopyFrom(src *Net) {
	if !sameSpec(n.spec, src.spec) {
		panic(fmt.Sprintf("nets: CopyFrom between different specs %+v and %+v", src.spec, n.spec))
	}
	copy(n.params, src.params)
}

func sameSpec(a, b Spec) bool {
	return a.Kind == b.Kind && a.Inputs == b.Inputs && a.Outputs == b.Outputs &&
		a.Activation == b.Activation && a.Dropout == b.Dropout && slices.Equal(a.Hidden, b.Hidden)
}

// Clone returns an independent copy of n with its own scratch buffers.
func (n *Net) Clone() *Net {
	c, err := New(n.spec)
	if err != nil {
		panic("nets: clone of an invalid net: " + err.Error())
	}
	copy(c.params, n.params)
	return c
}

// Params returns all parameters as one slice in Init order (for each layer the
// weight, row-major, then the bias). It is a view, not a copy: writing to it
// changes the network.
func (n *Net) Params() []float64 { return n.params }

// Classes returns the number of outputs.
func (n *Net) Classes() int { return n.spec.Outputs }

// HasDropout reports whether the network drops hidden activations in training.
func (n *Net) HasDropout() bool { return n.spec.Dropout > 0 }

// EmbedDim returns the width of Embed's rows: the last hidden width, or Inputs for
// logreg.
func (n *Net) EmbedDim() int { return n.sizes[len(n.sizes)-2] }

// GradEmbedDim returns the width of GradEmbed's rows: Classes·EmbedDim.
func (n *Net) GradEmbedDim() int { return n.Classes() * n.EmbedDim() }

// ForwardFLOPs returns the floating-point operations of the matrix products of one
// forward pass over rows samples (2 per multiply-add; activations and softmax are
// not counted).
func (n *Net) ForwardFLOPs(rows int) float64 {
	f := 0.0
	for l := 0; l+1 < len(n.sizes); l++ {
		f += float64(2 * float64(rows) * float64(n.sizes[l]*n.sizes[l+1]))
	}
	return f
}

// TrainFLOPs returns the floating-point operations of the matrix products of one
// training pass over rows samples: the forward pass, the weight gradients and the
// back-propagated deltas (none below the first layer).
func (n *Net) TrainFLOPs(rows int) float64 {
	first := float64(2 * float64(rows) * float64(n.sizes[0]*n.sizes[1]))
	return float64(3*n.ForwardFLOPs(rows)) - first
}

// GradNormsFLOPs returns the floating-point operations of the matrix products of
// GradNorms over rows samples: one forward pass and, per class, one back-propagation
// of deltas.
func (n *Net) GradNormsFLOPs(rows int) float64 {
	first := float64(2 * float64(rows) * float64(n.sizes[0]*n.sizes[1]))
	return n.ForwardFLOPs(rows) + float64(float64(n.Classes())*(n.ForwardFLOPs(rows)-first))
}

func (n *Net) checkInput(x *Matrix) {
	x.check()
	if x.Cols != n.spec.Inputs {
		panic(fmt.Sprintf("nets: input has %d columns, the net takes %d", x.Cols, n.spec.Inputs))
	}
}
