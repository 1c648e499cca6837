package nets

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"albench/internal/fmath"
)

// ErrDiverged is returned (wrapped) when a training loss is NaN or infinite.
var ErrDiverged = errors.New("nets: loss is not finite")

// TrainSpec holds the training settings of a Trainer.
type TrainSpec struct {
	// Optimizer is "sgd" (torch.optim.SGD) or "adam" (torch.optim.Adam with
	// betas 0.9 and 0.999 and eps 1e-8).
	Optimizer string
	// LR is the learning rate (> 0).
	LR float64
	// Momentum is SGD's momentum in [0, 1); Adam ignores it.
	Momentum float64
	// WeightDecay is the L2 penalty (≥ 0) added to the gradient as WeightDecay·θ,
	// for every parameter, biases included.
	WeightDecay float64
	// Epochs is the number of passes over the data per Fit (≥ 1).
	Epochs int
	// BatchSize is the mini-batch size; 0 (or at least the number of rows) means
	// one full batch per epoch.
	BatchSize int
}

// Adam's constants, PyTorch's defaults.
const (
	beta1   = 0.9
	beta2   = 0.999
	adamEps = 1e-8
)

// Trainer runs an optimizer over a Net. It holds the optimizer's state (SGD's
// momentum buffer, Adam's moments and step count), sized from the first Net it
// trains; using it with a Net of another shape panics until Reset. Like a Net, a
// Trainer belongs to one goroutine at a time.
type Trainer struct {
	spec  TrainSpec
	adam  bool
	sizes []int // shape of the bound net; nil when unbound

	steps int       // optimizer steps taken since Reset
	m, v  []float64 // SGD momentum buffer (m); Adam first and second moments
	grad  []float64

	perm []int
	bidx []int // a mini-batch's rows of x
	yb   []int
}

// NewTrainer validates spec and returns a Trainer with empty optimizer state.
func NewTrainer(spec TrainSpec) (*Trainer, error) {
	switch {
	case spec.Optimizer != "sgd" && spec.Optimizer != "adam":
		return nil, fmt.Errorf("nets: optimizer must be sgd or adam (got %q)", spec.Optimizer)
	case !(spec.LR > 0) || math.IsInf(spec.LR, 0):
		return nil, fmt.Errorf("nets: learning rate must be positive and finite (got %v)", spec.LR)
	case !(spec.Momentum >= 0 && spec.Momentum < 1):
		return nil, fmt.Errorf("nets: momentum must be in [0, 1) (got %v)", spec.Momentum)
	case !(spec.WeightDecay >= 0) || math.IsInf(spec.WeightDecay, 0):
		return nil, fmt.Errorf("nets: weight decay must be non-negative and finite (got %v)", spec.WeightDecay)
	case spec.Epochs < 1:
		return nil, fmt.Errorf("nets: epochs must be at least 1 (got %d)", spec.Epochs)
	case spec.BatchSize < 0:
		return nil, fmt.Errorf("nets: batch size must be non-negative (got %d)", spec.BatchSize)
	}
	return &Trainer{spec: spec, adam: spec.Optimizer == "adam"}, nil
}

// Clone returns an independent copy of t: the same settings and the same
// optimizer state (Adam's moments and step count, SGD's momentum buffer, the
// shape of the net it is bound to), with its own scratch. Training a clone and t
// from copies of the same net gives bit-identical results, so a caller can train
// a shared prefix once and branch from it.
func (t *Trainer) Clone() *Trainer {
	return &Trainer{
		spec:  t.spec,
		adam:  t.adam,
		sizes: slices.Clone(t.sizes),
		steps: t.steps,
		m:     slices.Clone(t.m),
		v:     slices.Clone(t.v),
		grad:  make([]float64, len(t.grad)),
	}
}

// Reset forgets the optimizer state: momentum buffers, Adam's moments and step
// count, and the shape of the net it was sized for.
func (t *Trainer) Reset() {
	t.sizes = t.sizes[:0]
	t.steps = 0
	clear(t.m)
	clear(t.v)
}

// bind sizes the optimizer state for n on first use and checks n's shape after.
func (t *Trainer) bind(n *Net) {
	if len(t.sizes) > 0 {
		if !slices.Equal(t.sizes, n.sizes) {
			panic(fmt.Sprintf("nets: trainer sized for a %v net used with a %v net", t.sizes, n.sizes))
		}
		return
	}
	t.sizes = append(t.sizes[:0], n.sizes...)
	p := len(n.params)
	t.grad = resize(t.grad, p)
	t.m = resize(t.m, p)
	clear(t.m)
	if t.adam {
		t.v = resize(t.v, p)
		clear(t.v)
	}
}

func resize(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}

// Fit runs Epochs passes of Epoch and returns the loss of the last pass.
func (t *Trainer) Fit(n *Net, x *Matrix, y []int, rng *rand.Rand) (float64, error) {
	return t.FitContext(context.Background(), n, x, y, rng)
}

// FitContext is Fit that checks ctx before every epoch and returns its error once
// it is done, so a cancelled run does not wait for a long fit to finish.
func (t *Trainer) FitContext(ctx context.Context, n *Net, x *Matrix, y []int, rng *rand.Rand) (float64, error) {
	return t.FitRows(ctx, n, x, nil, y, rng)
}

// FitRows is FitContext on the rows of x listed in rows, in that order (every
// row when rows is nil), y[k] the label of row rows[k]: the bits of FitContext
// on the gathered rows, without the gathered copy (the rows are read where
// they are, a panel or a batch at a time).
func (t *Trainer) FitRows(ctx context.Context, n *Net, x *Matrix, rows, y []int, rng *rand.Rand) (float64, error) {
	var loss float64
	for e := 0; e < t.spec.Epochs; e++ {
		if err := ctx.Err(); err != nil {
			return loss, err
		}
		var err error
		// Only the last pass's loss is returned: the others need one only to
		// check for divergence, which Net.passGrad decides without it.
		if loss, err = t.epochRows(n, x, rows, y, rng, e == t.spec.Epochs-1, e > 0); err != nil {
			return loss, fmt.Errorf("epoch %d: %w", e+1, err)
		}
	}
	return loss, nil
}

// Epoch makes one pass over the rows of x with labels y and returns the mean
// cross-entropy over the pass, each sample's loss taken in the forward pass just
// before the update it contributes to (so with dropout, in training mode).
//
// With mini-batches (0 < BatchSize < rows), the rows are visited in a fresh
// permutation drawn from rng and cut into batches of BatchSize, the last one
// smaller, as PyTorch's DataLoader(shuffle=True, drop_last=False) does. A full
// batch keeps the rows' order and draws nothing from rng except dropout masks;
// rng may be nil when there is nothing to draw.
//
// A non-finite loss stops the pass before its update and returns an error wrapping
// ErrDiverged.
func (t *Trainer) Epoch(n *Net, x *Matrix, y []int, rng *rand.Rand) (float64, error) {
	return t.EpochRows(n, x, nil, y, rng)
}

// EpochRows is Epoch on the rows of x listed in rows (every row when rows is
// nil), y[k] the label of row rows[k], with the bits of Epoch on the gathered
// rows.
func (t *Trainer) EpochRows(n *Net, x *Matrix, rows, y []int, rng *rand.Rand) (float64, error) {
	return t.epochRows(n, x, rows, y, rng, true, false)
}

// epochRows is EpochRows; without wantLoss the passes take the gradient
// without the loss (see Net.passGrad), which returns the same errors (a non-finite
// loss is computed and reported as EpochRows would) and a loss of 0
// otherwise, and the same bits of the parameters. again says that the
// previous call was an epoch of this fit on the same rows, whose full-batch
// pass left its input transposed in the net's workspace.
func (t *Trainer) epochRows(n *Net, x *Matrix, rows, y []int, rng *rand.Rand, wantLoss, again bool) (float64, error) {
	n.checkRows(x, rows)
	count := x.Rows
	if rows != nil {
		count = len(rows)
	}
	n.checkLabelsOf(count, y)
	if count == 0 {
		panic("nets: training on no rows")
	}
	bs := t.spec.BatchSize
	if rng == nil && (n.HasDropout() || (bs > 0 && bs < count)) {
		panic("nets: training with dropout or mini-batches needs a random stream")
	}
	t.bind(n)
	if bs <= 0 || bs >= count {
		loss := t.gradient(n, x.Data, rows, count, y, rng, wantLoss, again)
		if math.IsNaN(loss) || math.IsInf(loss, 0) {
			return loss, fmt.Errorf("%w (got %v)", ErrDiverged, loss)
		}
		t.step(n)
		return loss, nil
	}

	// A fresh permutation each epoch (Fisher–Yates on the identity), so the order
	// depends only on rng, not on earlier epochs.
	if cap(t.perm) < count {
		t.perm = make([]int, count)
	}
	t.perm = t.perm[:count]
	for i := range t.perm {
		t.perm[i] = i
	}
	for i := len(t.perm) - 1; i > 0; i-- {
		j := rng.IntN(i + 1)
		t.perm[i], t.perm[j] = t.perm[j], t.perm[i]
	}
	sum := 0.0
	for s := 0; s < count; s += bs {
		batch := t.perm[s:min(s+bs, count)]
		t.bidx, t.yb = t.bidx[:0], t.yb[:0]
		for _, k := range batch {
			i := k
			if rows != nil {
				i = rows[k]
			}
			t.bidx = append(t.bidx, i)
			t.yb = append(t.yb, y[k])
		}
		loss := t.gradient(n, x.Data, t.bidx, len(batch), t.yb, rng, wantLoss, false)
		if math.IsNaN(loss) || math.IsInf(loss, 0) {
			return loss, fmt.Errorf("%w (got %v in the batch at row %d of the pass)", ErrDiverged, loss, s)
		}
		sum += float64(loss * float64(len(batch)))
		t.step(n)
	}
	return sum / float64(count), nil
}

// gradient sets t.grad to the gradient of the training objective on rows of x
// (x's rows idx, or its first rows when idx is nil; see lossGrad) with labels y, the mean cross-entropy plus the L2 penalty (λ/2)‖θ‖² that weight
// decay λ amounts to,
//
//	g = ∇L + λθ,
//
// and returns the cross-entropy alone (what PyTorch's loss reports); without
// wantLoss, Net.passGrad's loss-free result (0 unless the loss may be
// non-finite); sameInput is Net.passGrad's.
func (t *Trainer) gradient(n *Net, x []float64, idx []int, rows int, y []int, rng *rand.Rand, wantLoss, sameInput bool) float64 {
	loss := n.passGrad(x, idx, rows, y, rng, t.grad, wantLoss, sameInput)
	if wd := t.spec.WeightDecay; wd != 0 {
		w := n.params
		g := t.grad[:len(w)]
		for i, v := range w {
			g[i] += float64(wd * v)
		}
	}
	return loss
}

// step applies one optimizer update from the gradient g in t.grad, as torch.optim
// does. SGD with momentum μ does
//
//	b ← g on the first step, b ← μ·b + g after;  θ ← θ − η·b
//
// (θ ← θ − η·g without momentum), and Adam (Kingma and Ba 2015) does
//
//	m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²,
//	θ ← θ − (η/(1−β₁ᵗ)) · m / (√v/√(1−β₂ᵗ) + ε).
func (t *Trainer) step(n *Net) {
	lr := t.spec.LR
	w := n.params
	g := t.grad[:len(w)]
	t.steps++
	if t.adam {
		stepSize := lr / (1 - fmath.Pow(beta1, float64(t.steps)))
		bc2 := math.Sqrt(1 - fmath.Pow(beta2, float64(t.steps)))
		kern.adam(w, g, t.m[:len(w)], t.v[:len(w)], stepSize, bc2)
		return
	}
	mu := t.spec.Momentum
	if mu == 0 {
		for i, gi := range g {
			w[i] -= float64(lr * gi)
		}
		return
	}
	b := t.m[:len(w)]
	first := t.steps == 1
	for i, gi := range g {
		if first {
			b[i] = gi
		} else {
			b[i] = float64(mu*b[i]) + gi
		}
		w[i] -= float64(lr * b[i])
	}
}
