package plugin

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
)

// Matrix is a row-major float64 matrix handed to a plugin.
type Matrix struct {
	Rows, Cols int
	Data       []float64
}

// probTol is how far from 1 a row of probabilities may sum.
const probTol = 1e-5

// Points names the points of a prediction call: rows of the pool or of the test
// set (Set "pool" or "test"), or the points themselves (Set "x", X with Cols
// features).
type Points struct {
	Set  string
	Rows []int
	X    Matrix
}

// n is the number of points.
func (p Points) n() int {
	if p.Set == "x" {
		return p.X.Rows
	}
	return len(p.Rows)
}

// ModelClient is a model plugin that has received its trial: fit and the
// prediction calls, each reply checked against the contract.
type ModelClient struct {
	p                 *Process
	classes, features int
	poolRows, test    int
	embedDim, gradDim int
	ints              []int64
	ys                []int64
}

// trialFields is the header of a trial message.
func trialFields(t Trial, classes, features int) map[string]any {
	return map[string]any{"dataset": t.Dataset, "label": t.Label, "seed": t.Seed, "classes": classes, "features": features}
}

// StartModel starts a model plugin for a trial and sends it the pool and test
// matrices (test may be empty: a query model is never scored).
func StartModel(ctx context.Context, spec Spec, t Trial, logPath string, classes int, pool, test Matrix) (*ModelClient, error) {
	spec.Role = RoleModel
	p, err := Start(ctx, spec, logPath)
	if err != nil {
		return nil, err
	}
	c := &ModelClient{p: p, classes: classes, features: pool.Cols, poolRows: pool.Rows, test: test.Rows}
	req := &Message{Type: "trial", Fields: trialFields(t, classes, pool.Cols), Arrays: []Array{
		Floats("pool", pool.Data, pool.Rows, pool.Cols),
		Floats("test", test.Data, test.Rows, pool.Cols),
	}}
	rep, err := p.Call(ctx, req, "ok", "trial", 1)
	if err == nil {
		err = c.dims(rep)
	}
	if err != nil {
		p.Close()
		return nil, err
	}
	return c, nil
}

// dims reads embed_dim and grad_embed_dim from the trial's reply.
func (c *ModelClient) dims(rep *Message) error {
	h := c.p.Hello()
	for _, d := range []struct {
		cap, key string
		dst      *int
	}{{"embed", "embed_dim", &c.embedDim}, {"grad_embed", "grad_embed_dim", &c.gradDim}} {
		if !h.Has(d.cap) {
			continue
		}
		if err := rep.Get(d.key, d.dst); err != nil || *d.dst < 1 {
			return c.p.Reject("trial", fmt.Errorf("the plugin declares %s: its reply to trial must give %s, a positive integer", d.cap, d.key))
		}
	}
	return nil
}

// Hello returns the plugin's handshake.
func (c *ModelClient) Hello() Hello { return c.p.Hello() }

// EmbedDim and GradEmbedDim are the widths the plugin announced for the trial.
func (c *ModelClient) EmbedDim() int     { return c.embedDim }
func (c *ModelClient) GradEmbedDim() int { return c.gradDim }

// Close ends the plugin (Process.Close).
func (c *ModelClient) Close() error { return c.p.Close() }

// Abort kills the plugin at once (Process.Abort).
func (c *ModelClient) Abort() { c.p.Abort() }

// toInts converts rows into dst.
func toInts(dst []int64, rows []int) []int64 {
	dst = dst[:0]
	for _, r := range rows {
		dst = append(dst, int64(r))
	}
	return dst
}

// Fit sends fit on the pool rows with labels y.
func (c *ModelClient) Fit(ctx context.Context, seed uint64, rows, y []int) error {
	c.ints = toInts(c.ints, rows)
	c.ys = toInts(c.ys, y)
	req := &Message{Type: "fit", Fields: map[string]any{"stream_seed": seed}, Arrays: []Array{
		Ints("rows", c.ints, len(rows)), Ints("y", c.ys, len(y)),
	}}
	_, err := c.p.Call(ctx, req, "ok", "fit", 1)
	return err
}

// call sends a prediction call and returns the single array of its reply,
// checked for name, dtype and shape.
func (c *ModelClient) call(ctx context.Context, typ string, pts Points, seed uint64, name, dtype string, cols int) (*Array, string, error) {
	op := typ + " set=" + pts.Set
	req := &Message{Type: typ, Fields: map[string]any{"set": pts.Set, "stream_seed": seed}}
	switch pts.Set {
	case "pool", "test":
		c.ints = toInts(c.ints, pts.Rows)
		req.Arrays = []Array{Ints("rows", c.ints, len(pts.Rows))}
	case "x":
		req.Arrays = []Array{Floats("x", pts.X.Data, pts.X.Rows, pts.X.Cols)}
	default:
		return nil, op, fmt.Errorf("plugin: unknown set %q", pts.Set)
	}
	n := pts.n()
	shape := []int{n}
	if cols > 0 {
		shape = append(shape, cols)
	}
	rep, err := c.p.Call(ctx, req, "result", op, int64(16*n*max(cols, 1)+4096))
	if err != nil {
		return nil, op, err
	}
	if len(rep.Arrays) != 1 || rep.Arrays[0].Name != name || rep.Arrays[0].DType != dtype || !slices.Equal(rep.Arrays[0].Shape, shape) {
		return nil, op, c.p.Reject(op, fmt.Errorf("the reply must hold one array %s %s %v, not %s", name, dtype, shape, describe(rep.Arrays)))
	}
	a := &rep.Arrays[0]
	if dtype == F8 {
		if i := slices.IndexFunc(a.F, func(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) }); i >= 0 {
			return nil, op, c.p.Reject(op, fmt.Errorf("%s row %d holds %v", name, i/max(cols, 1), a.F[i]))
		}
	}
	return a, op, nil
}

// describe renders arrays for messages.
func describe(as []Array) string {
	if len(as) == 0 {
		return "none"
	}
	s := ""
	for i, a := range as {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("%s %s %v", a.Name, a.DType, a.Shape)
	}
	return s
}

// Proba returns predict_proba of the points: len × classes, each row in [0, 1]
// summing to 1 within 1e-5.
func (c *ModelClient) Proba(ctx context.Context, pts Points, seed uint64) ([]float64, error) {
	a, op, err := c.call(ctx, "predict_proba", pts, seed, "probabilities", F8, c.classes)
	if err != nil {
		return nil, err
	}
	k := c.classes
	for i := 0; i < len(a.F); i += k {
		s := 0.0
		for _, v := range a.F[i : i+k] {
			if v < 0 || v > 1 {
				return nil, c.p.Reject(op, fmt.Errorf("probabilities row %d holds %v, outside [0, 1]", i/k, v))
			}
			s += v
		}
		if math.Abs(s-1) > probTol {
			return nil, c.p.Reject(op, fmt.Errorf("probabilities row %d sums to %v, not 1", i/k, s))
		}
	}
	return a.F, nil
}

// DecisionWidth is the width of decision values: 1 for two classes, else classes.
func (c *ModelClient) DecisionWidth() int {
	if c.classes == 2 {
		return 1
	}
	return c.classes
}

// Decision returns decision_function of the points: len × DecisionWidth.
func (c *ModelClient) Decision(ctx context.Context, pts Points, seed uint64) ([]float64, error) {
	a, _, err := c.call(ctx, "decision_function", pts, seed, "decision", F8, c.DecisionWidth())
	if err != nil {
		return nil, err
	}
	return a.F, nil
}

// Predict returns predict of the points: classes in [0, classes).
func (c *ModelClient) Predict(ctx context.Context, pts Points, seed uint64) ([]int64, error) {
	a, op, err := c.call(ctx, "predict", pts, seed, "predictions", I8, 0)
	if err != nil {
		return nil, err
	}
	for i, v := range a.I {
		if v < 0 || v >= int64(c.classes) {
			return nil, c.p.Reject(op, fmt.Errorf("predictions[%d] is %d, not a class in [0, %d)", i, v, c.classes))
		}
	}
	return a.I, nil
}

// Embed returns embed of the points: len × EmbedDim.
func (c *ModelClient) Embed(ctx context.Context, pts Points, seed uint64) ([]float64, error) {
	a, _, err := c.call(ctx, "embed", pts, seed, "embeddings", F8, c.embedDim)
	if err != nil {
		return nil, err
	}
	return a.F, nil
}

// GradEmbed returns grad_embed of the points: len × GradEmbedDim.
func (c *ModelClient) GradEmbed(ctx context.Context, pts Points, seed uint64) ([]float64, error) {
	a, _, err := c.call(ctx, "grad_embed", pts, seed, "grad_embeddings", F8, c.gradDim)
	if err != nil {
		return nil, err
	}
	return a.F, nil
}

// Reject breaks the process over a reply that broke the contract of call op (the
// last call) and returns the *CallError.
func (p *Process) Reject(op string, err error) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.broken != nil {
		return p.broken
	}
	p.kill()
	p.broken = p.fail(p.calls, op, err)
	return p.broken
}

// StrategyClient is a strategy plugin that has received its trial's pool.
type StrategyClient struct {
	p        *Process
	classes  int
	poolRows int
	ints     [3][]int64
}

// StartStrategy starts a strategy plugin for a trial and sends it the pool.
func StartStrategy(ctx context.Context, spec Spec, t Trial, logPath string, classes int, pool Matrix) (*StrategyClient, error) {
	spec.Role = RoleStrategy
	p, err := Start(ctx, spec, logPath)
	if err != nil {
		return nil, err
	}
	req := &Message{Type: "trial", Fields: trialFields(t, classes, pool.Cols), Arrays: []Array{
		Floats("pool", pool.Data, pool.Rows, pool.Cols),
	}}
	if _, err := p.Call(ctx, req, "ok", "trial", 1); err != nil {
		p.Close()
		return nil, err
	}
	return &StrategyClient{p: p, classes: classes, poolRows: pool.Rows}, nil
}

// Hello returns the plugin's handshake.
func (c *StrategyClient) Hello() Hello { return c.p.Hello() }

// Close ends the plugin (Process.Close).
func (c *StrategyClient) Close() error { return c.p.Close() }

// Abort kills the plugin at once (Process.Abort).
func (c *StrategyClient) Abort() { c.p.Abort() }

// Select is one select call: what albench sends, the model's outputs on the
// unlabeled rows for the plugin's needs included (nil when not needed; Decision
// has DecisionCols columns, Embeddings EmbedCols).
type Select struct {
	Batch, Round               int
	Seed                       uint64
	Unlabeled, Labeled, Labels []int
	Probabilities              []float64
	Decision, Embeddings       []float64
	DecisionCols, EmbedCols    int
}

// ErrSelection marks a selection that breaks the contract.
var ErrSelection = errors.New("bad selection")

// Select sends select and returns the rows picked, checked: min(batch, unlabeled)
// distinct rows, each unlabeled.
func (c *StrategyClient) Select(ctx context.Context, s Select) ([]int, error) {
	u := len(s.Unlabeled)
	req := &Message{Type: "select", Fields: map[string]any{"batch": s.Batch, "round": s.Round, "stream_seed": s.Seed}}
	c.ints[0] = toInts(c.ints[0], s.Unlabeled)
	c.ints[1] = toInts(c.ints[1], s.Labeled)
	c.ints[2] = toInts(c.ints[2], s.Labels)
	req.Arrays = []Array{Ints("unlabeled", c.ints[0], u), Ints("labeled", c.ints[1], len(s.Labeled)), Ints("labels", c.ints[2], len(s.Labels))}
	if s.Probabilities != nil {
		req.Arrays = append(req.Arrays, Floats("probabilities", s.Probabilities, u, c.classes))
	}
	if s.Decision != nil {
		req.Arrays = append(req.Arrays, Floats("decision", s.Decision, u, s.DecisionCols))
	}
	if s.Embeddings != nil {
		req.Arrays = append(req.Arrays, Floats("embeddings", s.Embeddings, u, s.EmbedCols))
	}
	const op = "select"
	want := min(s.Batch, u)
	rep, err := c.p.Call(ctx, req, "selected", op, int64(16*u+4096))
	if err != nil {
		return nil, err
	}
	if len(rep.Arrays) != 1 || rep.Arrays[0].Name != "rows" || rep.Arrays[0].DType != I8 || len(rep.Arrays[0].Shape) != 1 {
		return nil, c.p.Reject(op, fmt.Errorf("the reply must hold one array rows i8 [%d], not %s", want, describe(rep.Arrays)))
	}
	got := rep.Arrays[0].I
	if len(got) != want {
		return nil, c.p.Reject(op, fmt.Errorf("%w: %d rows, want %d (batch %d, %d unlabeled)", ErrSelection, len(got), want, s.Batch, u))
	}
	out := make([]int, len(got))
	seen := make(map[int64]bool, len(got))
	for i, r := range got {
		if _, ok := slices.BinarySearch(s.Unlabeled, int(r)); !ok || r < 0 || r >= int64(c.poolRows) {
			return nil, c.p.Reject(op, fmt.Errorf("%w: rows[%d] = %d is not an unlabeled pool row", ErrSelection, i, r))
		}
		if seen[r] {
			return nil, c.p.Reject(op, fmt.Errorf("%w: rows[%d] = %d is picked twice", ErrSelection, i, r))
		}
		seen[r] = true
		out[i] = int(r)
	}
	return out, nil
}
