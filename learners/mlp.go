package learners

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"

	"albench/nets"
)

// The nets learners: kind mlp, and kind logreg without a solver (softmax regression
// trained by the same optimizers). They keep the semantics of PyTorch's nn.Linear,
// nn.CrossEntropyLoss, torch.optim.SGD and Adam (package nets).

var mlpKind = kindSpec{
	info: Info{Kind: "mlp", Summary: "multi-layer perceptron, softmax output, trained by SGD or Adam each round",
		Equivalent:   "PyTorch nn.Sequential(Linear, ReLU, ...) with CrossEntropyLoss",
		Capabilities: "probs, embed, grad_embed, grad_norms; mc_dropout when dropout > 0"},
	params: []param{
		{Param: Param{"hidden", []int{32, 16}, "hidden-layer widths, at least one layer, each ≥ 1"}, decode: widths},
		{Param: Param{"activation", "relu", "relu or tanh"}, decode: enum("relu", "tanh")},
		{Param: Param{"dropout", 0.0, "dropout probability of the hidden layers in [0, 1); bald needs it > 0"},
			decode: floatIn(func(f float64) bool { return f >= 0 && f < 1 }, "must be in [0, 1)")},
		{Param: Param{Name: "train", Doc: "how the net is trained each round"}, nested: trainParams},
	},
	caps: func(p map[string]any) Capabilities {
		return Capabilities{Probs: true, Embed: true, GradEmbed: true, GradNorms: true, MCDropout: p["dropout"].(float64) > 0}
	},
	build: func(p map[string]any) Learner { return newNetLearner("mlp", p) },
}

// trainParams are the keys of an mlp's (or a softmax logreg's) train mapping.
var trainParams = []param{
	{Param: Param{"optimizer", "sgd", "sgd (torch.optim.SGD) or adam (torch.optim.Adam)"}, decode: enum("sgd", "adam")},
	{Param: Param{"lr", 0.01, "learning rate, > 0"}, decode: floatIn(positive, "must be positive")},
	{Param: Param{"momentum", 0.0, "SGD momentum in [0, 1)"},
		decode: floatIn(func(f float64) bool { return f >= 0 && f < 1 }, "must be in [0, 1)")},
	{Param: Param{"weight_decay", 0.0, "L2 penalty added to the gradient, ≥ 0"},
		decode: floatIn(func(f float64) bool { return f >= 0 }, "must not be negative")},
	{Param: Param{"epochs", 1, "passes over the labeled set per round, ≥ 1"},
		decode: intIn(1, maxEpochs, fmt.Sprintf("must be in [1, %d]", maxEpochs))},
	{Param: Param{"batch_size", 0, "mini-batch size; 0 = full batch"},
		decode: intIn(0, maxWidth, fmt.Sprintf("must be in [0, %d] (0 means full batch)", maxWidth))},
	{Param: Param{"warm_start", false, "keep weights and optimizer state between rounds; false restarts from the trial's initial weights"},
		decode: boolean},
}

// Bounds that keep a config from asking for more than any machine can do; the
// harness checks the memory of the actual shapes against the data.
const (
	maxWidth  = 1 << 20
	maxEpochs = 1 << 24
)

// widths decodes a list of hidden-layer widths.
func widths(v any) (any, string) {
	list, ok := v.([]any)
	if !ok {
		if w, ok := v.([]int); ok {
			list = make([]any, len(w))
			for i, x := range w {
				list[i] = x
			}
		} else {
			return nil, "must be a list of layer widths"
		}
	}
	out := make([]int, len(list))
	for i, e := range list {
		w, ok := asInt(e)
		if !ok || w < 1 || w > maxWidth {
			return nil, fmt.Sprintf("hidden[%d] must be an integer in [1, %d]", i, maxWidth)
		}
		out[i] = w
	}
	if len(out) == 0 {
		return nil, "an mlp needs at least one hidden layer (kind logreg has none)"
	}
	return out, ""
}

// trainSpec is the nets.TrainSpec of a resolved train mapping.
func trainSpec(t map[string]any) (nets.TrainSpec, bool) {
	return nets.TrainSpec{
		Optimizer:   t["optimizer"].(string),
		LR:          t["lr"].(float64),
		Momentum:    t["momentum"].(float64),
		WeightDecay: t["weight_decay"].(float64),
		Epochs:      t["epochs"].(int),
		BatchSize:   t["batch_size"].(int),
	}, t["warm_start"].(bool)
}

// netLearner trains nets of one shape (inputs and outputs come from the data).
type netLearner struct {
	kind  string
	spec  nets.Spec // Inputs and Outputs unset
	train nets.TrainSpec
	warm  bool
}

func newNetLearner(kind string, p map[string]any) *netLearner {
	l := &netLearner{kind: kind, spec: nets.Spec{Kind: kind}}
	if kind == "mlp" {
		l.spec.Hidden = slices.Clone(p["hidden"].([]int))
		l.spec.Activation = p["activation"].(string)
		l.spec.Dropout = p["dropout"].(float64)
	}
	l.train, l.warm = trainSpec(p["train"].(map[string]any))
	return l
}

func (l *netLearner) Kind() string { return l.kind }

func (l *netLearner) Caps() Capabilities {
	return Capabilities{Probs: true, Embed: true, GradEmbed: true, GradNorms: true, MCDropout: l.spec.Dropout > 0}
}

func (l *netLearner) shape(features, classes int) nets.Spec {
	s := l.spec
	s.Inputs, s.Outputs = features, classes
	return s
}

// Fit initialises a net from rng (PyTorch's nn.Linear default) and trains it on
// (x, y) with the same rng.
func (l *netLearner) Fit(ctx context.Context, x *nets.Matrix, y []int, classes int, rng *rand.Rand) (Model, error) {
	n, err := nets.New(l.shape(x.Cols, classes))
	if err != nil {
		return nil, err
	}
	n.Init(rng)
	t, err := nets.NewTrainer(l.train)
	if err != nil {
		return nil, err
	}
	if _, err := t.FitContext(ctx, n, x, y, rng); err != nil {
		return nil, err
	}
	return n, nil
}

// ForSkyline gives a warm-started net's skyline the passes of every round at once:
// epochs × (rounds + 1). Without warm start a round trains from the initial weights,
// so the skyline gets the epochs of one round.
func (l *netLearner) ForSkyline(rounds int) Learner {
	if !l.warm {
		return l
	}
	s := *l
	s.train.Epochs *= rounds + 1
	return &s
}

// NewSession draws the trial's initial weights from init; every round starts from
// them unless warm_start keeps the previous round's weights and optimizer state.
func (l *netLearner) NewSession(pool *nets.Matrix, _ []*nets.Matrix, classes int, init *rand.Rand) (Session, error) {
	n, err := nets.New(l.shape(pool.Cols, classes))
	if err != nil {
		return nil, err
	}
	n.Init(init)
	return &netSession{l: l, pool: pool, init: n}, nil
}

type netSession struct {
	l    *netLearner
	pool *nets.Matrix
	init *nets.Net
	net  *nets.Net
	tr   *nets.Trainer
}

func (s *netSession) Fit(ctx context.Context, labeled, labels []int, rng *rand.Rand) (Model, error) {
	switch {
	case s.net == nil:
		tr, err := nets.NewTrainer(s.l.train)
		if err != nil {
			return nil, err
		}
		s.net, s.tr = s.init.Clone(), tr
	case !s.l.warm:
		s.net.CopyFrom(s.init)
		s.tr.Reset()
	}
	// The labeled rows are read where they are in the pool (the same bits as
	// training on a gathered copy), so the skyline does not copy the pool.
	if _, err := s.tr.FitRows(ctx, s.net, s.pool, labeled, labels, rng); err != nil {
		return nil, err
	}
	return s.net, nil
}

// Fork copies the trained net and the optimizer state; training the copy gives the
// same bits as training the original would have.
func (s *netSession) Fork() (Session, Model) {
	c := &netSession{l: s.l, pool: s.pool, init: s.init}
	if s.net != nil {
		c.net, c.tr = s.net.Clone(), s.tr.Clone()
	}
	return c, c.net
}
