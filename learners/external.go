package learners

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"albench/nets"
	"albench/plugin"
)

// The external kind: a model written in any language, run as a subprocess that
// speaks albench's plugin protocol (docs/plugin-protocol.md, package plugin).
// Each session — the task model of a trial, a query model, a skyline — is one
// plugin process, started at the session's first Fit and ended by Release. Its
// capabilities are those the plugin declares in its handshake, which validation
// runs once (Probe) and caches for Caps.

var externalKind = kindSpec{
	info: Info{Kind: "external", Summary: "a model plugin: a subprocess speaking albench's plugin protocol (docs/plugin-protocol.md)",
		Equivalent:   "any model you write (python/albench_plugin.py wraps a scikit-learn estimator)",
		Capabilities: "those its handshake declares: probs (predict_proba), decision (decision_function), embed, grad_embed"},
	params: []param{
		{Param: Param{Name: "command", Doc: "the plugin's argv, such as [python3, my_model.py]; relative paths are relative to the config's directory (required)"}, decode: stringList(1)},
		{Param: Param{Name: "params", Doc: "a mapping sent to the plugin in its hello; default {}"}, decode: jsonMapping},
		{Param: Param{"timeout", 60.0, "seconds each call may take, the handshake included, > 0"}, decode: floatIn(func(f float64) bool { return f > 0 && f <= 1e6 }, "must be in (0, 1e6]")},
		{Param: Param{Name: "files", Doc: "more files whose bytes are part of the trial identity (the modules the plugin imports); default []"}, decode: stringList(0)},
		{Param: Param{Name: "dir", Doc: "the plugin's working directory and the base of relative paths; default the config's directory"}, decode: func(v any) (any, string) {
			s, ok := v.(string)
			if !ok {
				return nil, "must be a path"
			}
			return s, ""
		}},
	},
	check: checkExternal,
	caps:  externalCaps,
	probe: probeExternal,
	build: func(p map[string]any) Learner { return &external{spec: ExternalSpec(p)} },
}

// checkExternal requires command and fills in the defaults of params, files and
// dir (fresh values, since a resolved spec may be changed by its owner).
func checkExternal(p, raw map[string]any) []Problem {
	if _, ok := p["command"]; !ok {
		return []Problem{{Key: "command", Msg: "required key is missing: the plugin's argv, such as [python3, my_model.py]"}}
	}
	if _, ok := p["params"]; !ok {
		p["params"] = map[string]any{}
	}
	if _, ok := p["files"]; !ok {
		p["files"] = []string{}
	}
	if _, ok := p["dir"]; !ok {
		p["dir"] = ""
	}
	return nil
}

// stringList decodes a list of at least n non-empty strings.
func stringList(n int) func(any) (any, string) {
	return func(v any) (any, string) {
		msg := "must be a list of strings"
		if n > 0 {
			msg = "must be a non-empty list of strings, such as [python3, my_model.py]"
		}
		var out []string
		switch l := v.(type) {
		case []any:
			for _, e := range l {
				s, ok := e.(string)
				if !ok || s == "" {
					return nil, msg
				}
				out = append(out, s)
			}
		case []string:
			out = append(out, l...)
		default:
			return nil, msg
		}
		if len(out) < n {
			return nil, msg
		}
		if out == nil {
			out = []string{}
		}
		return out, ""
	}
}

// jsonMapping decodes a mapping whose values JSON can carry, deep-copied.
func jsonMapping(v any) (any, string) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, "must be a mapping"
	}
	c, err := jsonValue(m)
	if err != "" {
		return nil, err
	}
	return c, ""
}

func jsonValue(v any) (any, string) {
	switch x := v.(type) {
	case nil, string, bool, int, int64, uint64:
		return x, ""
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, "must hold finite numbers only (JSON has no NaN or infinity)"
		}
		return x, ""
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			var msg string
			if out[i], msg = jsonValue(e); msg != "" {
				return nil, msg
			}
		}
		return out, ""
	case []string:
		return append([]string{}, x...), ""
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			var msg string
			if out[k], msg = jsonValue(e); msg != "" {
				return nil, msg
			}
		}
		return out, ""
	}
	return nil, fmt.Sprintf("must hold JSON values only (numbers, strings, booleans, null, lists, mappings), not %T", v)
}

// ExternalSpec is the plugin.Spec of a resolved external model spec.
func ExternalSpec(p map[string]any) plugin.Spec {
	cmd, _ := p["command"].([]string)
	params, _ := p["params"].(map[string]any)
	dir, _ := p["dir"].(string)
	timeout, _ := p["timeout"].(float64)
	return plugin.Spec{Command: cmd, Dir: dir, Params: params, Role: plugin.RoleModel, Timeout: time.Duration(timeout * float64(time.Second))}
}

// probeExternal runs the handshake and checks the extra files exist.
func probeExternal(p map[string]any) []Problem {
	s := ExternalSpec(p)
	var probs []Problem
	files, _ := p["files"].([]string)
	for i, f := range files {
		if !filepath.IsAbs(f) {
			f = filepath.Join(s.Dir, f)
		}
		if st, err := os.Stat(f); err != nil || !st.Mode().IsRegular() {
			probs = append(probs, Problem{Key: fmt.Sprintf("files[%d]", i), Msg: "must name a regular file (relative to the config's directory)", Got: files[i]})
		}
	}
	if _, err := plugin.CachedHandshake(s); err != nil {
		probs = append(probs, Problem{Key: "command", Msg: "the plugin failed its handshake: " + err.Error()})
	}
	return probs
}

// capsOf maps a model plugin's declared capabilities to albench's.
func capsOf(h plugin.Hello) Capabilities {
	return Capabilities{Probs: h.Has("predict_proba"), Decision: h.Has("decision_function"), Embed: h.Has("embed"), GradEmbed: h.Has("grad_embed")}
}

// externalCaps is the capabilities of a resolved external spec's handshake.
func externalCaps(p map[string]any) Capabilities { return specCaps(ExternalSpec(p)) }

// specCaps is the capabilities of the plugin's cached handshake; none when it fails.
func specCaps(s plugin.Spec) Capabilities {
	h, err := plugin.CachedHandshake(s)
	if err != nil {
		return Capabilities{}
	}
	return capsOf(h)
}

// Failer is a model whose capability methods can fail — a plugin's, whose process
// may crash or break the protocol. Its methods then return neutral values
// (uniform probabilities, zeros) and Err reports the failure; whoever used the
// model asks ModelErr before trusting the result.
type Failer interface {
	Err() error
}

// ModelErr returns m's failure when it is a Failer, else nil.
func ModelErr(m Model) error {
	if f, ok := m.(Failer); ok {
		return f.Err()
	}
	return nil
}

// PoolEmbedder is the embedding counterpart of PoolProber: embeddings of pool rows
// that the caller does not gather.
type PoolEmbedder interface {
	PoolEmbed(rows []int, out *nets.Matrix)
}

// external is the Learner of an external spec.
type external struct {
	spec plugin.Spec
}

func (l *external) Kind() string { return "external" }

func (l *external) Caps() Capabilities { return specCaps(l.spec) }

// Fit is refused: a plugin model lives in a trial's session, one process each,
// and a model trained outside one would have no process to end.
func (l *external) Fit(context.Context, *nets.Matrix, []int, int, *rand.Rand) (Model, error) {
	return nil, fmt.Errorf("an external model trains only as a trial's task or query model: strategies that train copies of the model (qbc without members, the oracles, eer) cannot use it")
}

func (l *external) NewSession(pool *nets.Matrix, evals []*nets.Matrix, classes int, _ *rand.Rand) (Session, error) {
	s := &extSession{spec: l.spec, pool: pool, classes: classes}
	if len(evals) > 0 {
		s.test = evals[0]
	}
	return s, nil
}

// extSession is one plugin process serving a session.
type extSession struct {
	spec    plugin.Spec
	pool    *nets.Matrix
	test    *nets.Matrix
	classes int
	c       *plugin.ModelClient
	caps    Capabilities
	// ctx is the context of the last Fit: the model's calls, which take none,
	// are cancelled with it.
	ctx  context.Context
	err  error
	gen  int
	rows [2][]int // all pool rows, all test rows
}

func matrixOf(m *nets.Matrix) plugin.Matrix {
	if m == nil {
		return plugin.Matrix{}
	}
	return plugin.Matrix{Rows: m.Rows, Cols: m.Cols, Data: m.Data}
}

func (s *extSession) Fit(ctx context.Context, labeled, labels []int, rng *rand.Rand) (Model, error) {
	if s.err != nil {
		return nil, s.err
	}
	s.ctx = ctx
	if s.c == nil {
		t := plugin.TrialOf(ctx)
		test := matrixOf(s.test)
		if s.test == nil {
			test = plugin.Matrix{Cols: s.pool.Cols}
		}
		c, err := plugin.StartModel(ctx, s.spec, t, t.LogPath(plugin.LogRoleOf(ctx, "model")), s.classes, matrixOf(s.pool), test)
		if err != nil {
			s.err = err
			return nil, err
		}
		s.c = c
		s.caps = capsOf(c.Hello())
	}
	seed := rng.Uint64() >> 11
	calls := rng.Uint64()
	if err := s.c.Fit(ctx, seed, labeled, labels); err != nil {
		s.err = err
		return nil, err
	}
	s.gen++
	m := &extModel{s: s, gen: s.gen, rng: rand.New(rand.NewPCG(seed, calls))}
	return wrapModel(m, s.caps), nil
}

// Release ends the plugin process: at once when the run is being cancelled,
// else after letting it exit on end of input.
func (s *extSession) Release() {
	switch {
	case s.c == nil:
	case s.ctx != nil && s.ctx.Err() != nil:
		s.c.Abort()
	default:
		s.c.Close()
	}
}

// extModel is the model of one Fit; its methods are the plugin's calls on it.
type extModel struct {
	s   *extSession
	gen int
	rng *rand.Rand // each call's stream_seed
	// testProbs caches predict_proba on the test set between EvalPredict and
	// EvalProbs.
	testProbs []float64
}

func (m *extModel) Classes() int { return m.s.classes }

// Err returns the first failure of the session's plugin.
func (m *extModel) Err() error { return m.s.err }

func (m *extModel) seed() uint64 { return m.rng.Uint64() >> 11 }

// usable reports whether a call may be made: the session has not failed and m
// is its latest model.
func (m *extModel) usable() bool {
	if m.s.err == nil && m.gen != m.s.gen {
		m.s.err = fmt.Errorf("an external model was used after its session's next Fit")
	}
	return m.s.err == nil
}

// fail records err as the session's failure.
func (m *extModel) fail(err error) {
	if m.s.err == nil {
		m.s.err = err
	}
}

// all returns 0..n-1 for set i (0 pool, 1 test).
func (s *extSession) all(i, n int) []int {
	if len(s.rows[i]) != n {
		s.rows[i] = make([]int, n)
		for j := range n {
			s.rows[i][j] = j
		}
	}
	return s.rows[i]
}

// same reports whether x is the matrix m (or a copy of its header).
func same(x, m *nets.Matrix) bool {
	return m != nil && (x == m || (x.Rows == m.Rows && x.Cols == m.Cols && len(x.Data) > 0 && len(m.Data) > 0 && &x.Data[0] == &m.Data[0]))
}

// points names x by rows when it is the pool or the test set, else inline.
func (m *extModel) points(x *nets.Matrix) plugin.Points {
	switch {
	case same(x, m.s.pool):
		return plugin.Points{Set: "pool", Rows: m.s.all(0, x.Rows)}
	case same(x, m.s.test):
		return plugin.Points{Set: "test", Rows: m.s.all(1, x.Rows)}
	}
	return plugin.Points{Set: "x", X: plugin.Matrix{Rows: x.Rows, Cols: x.Cols, Data: x.Data}}
}

func (m *extModel) proba(pts plugin.Points, n int, out *nets.Matrix) {
	k := m.s.classes
	out.Resize(n, k)
	if m.usable() {
		p, err := m.s.c.Proba(m.s.ctx, pts, m.seed())
		if err == nil {
			copy(out.Data, p)
			return
		}
		m.fail(err)
	}
	for i := range out.Data {
		out.Data[i] = 1 / float64(k)
	}
}

func (m *extModel) decision(pts plugin.Points, n int, out *nets.Matrix) {
	out.Resize(n, m.s.c.DecisionWidth())
	if m.usable() {
		d, err := m.s.c.Decision(m.s.ctx, pts, m.seed())
		if err == nil {
			copy(out.Data, d)
			return
		}
		m.fail(err)
	}
	clear(out.Data)
}

func (m *extModel) embed(grad bool, pts plugin.Points, n int, out *nets.Matrix) {
	call, dim := m.s.c.Embed, m.s.c.EmbedDim()
	if grad {
		call, dim = m.s.c.GradEmbed, m.s.c.GradEmbedDim()
	}
	out.Resize(n, dim)
	if m.usable() {
		e, err := call(m.s.ctx, pts, m.seed())
		if err == nil {
			copy(out.Data, e)
			return
		}
		m.fail(err)
	}
	clear(out.Data)
}

// predict sets out to the plugin's predictions, else the most probable class
// (the lowest on ties), else the class of the decision values.
func (m *extModel) predict(pts plugin.Points, n int, out []int) {
	clear(out)
	if !m.usable() {
		return
	}
	if m.s.c.Hello().Has("predict") {
		y, err := m.s.c.Predict(m.s.ctx, pts, m.seed())
		if err != nil {
			m.fail(err)
			return
		}
		for i, v := range y {
			out[i] = int(v)
		}
		return
	}
	var buf nets.Matrix
	if m.s.caps.Probs {
		m.proba(pts, n, &buf)
	} else {
		m.decision(pts, n, &buf)
	}
	for i := range n {
		out[i] = DecisionClass(buf.Row(i)) // k ≥ 2 probabilities: the most probable class
	}
}

// Predict is the plugin's predict when declared, else what albench's evaluator
// would predict from its probabilities or decision values.
func (m *extModel) Predict(x *nets.Matrix, out []int) { m.predict(m.points(x), x.Rows, out) }

// EvalPredict predicts the test set (k = 0).
func (m *extModel) EvalPredict(k int, out []int) {
	n := len(out)
	pts := plugin.Points{Set: "test", Rows: m.s.all(1, n)}
	if m.s.caps.Probs && !m.s.c.Hello().Has("predict") {
		var p nets.Matrix
		m.proba(pts, n, &p)
		m.testProbs = p.Data
		for i := range n {
			out[i] = DecisionClass(p.Row(i))
		}
		return
	}
	m.predict(pts, n, out)
}

// EvalProbs gives the test set's probabilities, when the plugin has them.
func (m *extModel) EvalProbs(k int, out *nets.Matrix) bool {
	if !m.s.caps.Probs {
		return false
	}
	n := m.s.test.Rows
	if len(m.testProbs) == n*m.s.classes {
		out.Resize(n, m.s.classes)
		copy(out.Data, m.testProbs)
		m.testProbs = nil
		return true
	}
	m.proba(plugin.Points{Set: "test", Rows: m.s.all(1, n)}, n, out)
	return true
}

// The capability methods, attached by wrapModel as the plugin declares them.

type extProbs struct{ m *extModel }

func (p extProbs) Probs(x, out *nets.Matrix)              { p.m.proba(p.m.points(x), x.Rows, out) }
func (p extProbs) PoolProbs(rows []int, out *nets.Matrix) { p.m.proba(pool(rows), len(rows), out) }

type extDecision struct{ m *extModel }

func (d extDecision) Decision(x, out *nets.Matrix) { d.m.decision(d.m.points(x), x.Rows, out) }
func (d extDecision) PoolDecision(rows []int, out *nets.Matrix) {
	d.m.decision(pool(rows), len(rows), out)
}

type extEmbed struct{ m *extModel }

func (e extEmbed) EmbedDim() int             { return e.m.s.c.EmbedDim() }
func (e extEmbed) Embed(x, out *nets.Matrix) { e.m.embed(false, e.m.points(x), x.Rows, out) }
func (e extEmbed) PoolEmbed(rows []int, out *nets.Matrix) {
	e.m.embed(false, pool(rows), len(rows), out)
}

type extGrad struct{ m *extModel }

func (g extGrad) GradEmbedDim() int             { return g.m.s.c.GradEmbedDim() }
func (g extGrad) GradEmbed(x, out *nets.Matrix) { g.m.embed(true, g.m.points(x), x.Rows, out) }

func pool(rows []int) plugin.Points { return plugin.Points{Set: "pool", Rows: rows} }

// wrapModel returns m with exactly the capability interfaces c has: strategies
// test for them with type assertions, so a model must not offer one its plugin
// did not declare.
func wrapModel(m *extModel, c Capabilities) Model {
	p, d, e, g := extProbs{m}, extDecision{m}, extEmbed{m}, extGrad{m}
	switch [4]bool{c.Probs, c.Decision, c.Embed, c.GradEmbed} {
	case [4]bool{false, false, false, false}:
		return struct{ *extModel }{m}
	case [4]bool{true, false, false, false}:
		return struct {
			*extModel
			extProbs
		}{m, p}
	case [4]bool{false, true, false, false}:
		return struct {
			*extModel
			extDecision
		}{m, d}
	case [4]bool{true, true, false, false}:
		return struct {
			*extModel
			extProbs
			extDecision
		}{m, p, d}
	case [4]bool{false, false, true, false}:
		return struct {
			*extModel
			extEmbed
		}{m, e}
	case [4]bool{true, false, true, false}:
		return struct {
			*extModel
			extProbs
			extEmbed
		}{m, p, e}
	case [4]bool{false, true, true, false}:
		return struct {
			*extModel
			extDecision
			extEmbed
		}{m, d, e}
	case [4]bool{true, true, true, false}:
		return struct {
			*extModel
			extProbs
			extDecision
			extEmbed
		}{m, p, d, e}
	case [4]bool{false, false, false, true}:
		return struct {
			*extModel
			extGrad
		}{m, g}
	case [4]bool{true, false, false, true}:
		return struct {
			*extModel
			extProbs
			extGrad
		}{m, p, g}
	case [4]bool{false, true, false, true}:
		return struct {
			*extModel
			extDecision
			extGrad
		}{m, d, g}
	case [4]bool{true, true, false, true}:
		return struct {
			*extModel
			extProbs
			extDecision
			extGrad
		}{m, p, d, g}
	case [4]bool{false, false, true, true}:
		return struct {
			*extModel
			extEmbed
			extGrad
		}{m, e, g}
	case [4]bool{true, false, true, true}:
		return struct {
			*extModel
			extProbs
			extEmbed
			extGrad
		}{m, p, e, g}
	case [4]bool{false, true, true, true}:
		return struct {
			*extModel
			extDecision
			extEmbed
			extGrad
		}{m, d, e, g}
	default:
		return struct {
			*extModel
			extProbs
			extDecision
			extEmbed
			extGrad
		}{m, p, d, e, g}
	}
}
