package strategies

import (
	"context"
	"errors"
	"fmt"

	"albench/learners"
	"albench/nets"
	"albench/plugin"
)

// externalSpecs is the strategy plugin (docs/plugin-protocol.md): a subprocess,
// one per trial, that receives the pool once and answers select each round. Its
// entry's params go to the plugin as they are; the command, timeout and files
// are keys of the entry (experiments.StrategySpec.Plugin), so the registry only
// knows the name: a trial builds it with NewExternal and validation checks it
// with CheckExternal.
var externalSpecs = []spec{
	{
		info: Info{Name: "external", Summary: "a strategy plugin: a subprocess speaking albench's plugin protocol, which picks the rows itself",
			Formula: "whatever the plugin computes from the pool, the labeled set and the model outputs it asks for",
			Paper:   "— (docs/plugin-protocol.md)"},
		anyParams: true,
		build:     func(map[string]any) Strategy { return &external{} },
	},
}

// needCaps maps a strategy plugin's needs to model capabilities.
var needCaps = map[string]Capability{"probabilities": CapProbs, "decision": CapDecision, "embeddings": CapEmbed}

// NewExternal returns the external strategy of one trial, running spec (its Role
// is set here). The plugin starts at the first Select; Close ends it.
func NewExternal(spec plugin.Spec) Strategy {
	spec.Role = plugin.RoleStrategy
	return &external{spec: spec}
}

// CheckExternal validates an external strategy entry against the model it
// scores with: the plugin is started once for its handshake (cached for the life
// of the process), and every need it declares must be a capability of the model.
func CheckExternal(spec plugin.Spec, caps learners.Capabilities) []Problem {
	spec.Role = plugin.RoleStrategy
	if len(spec.Command) == 0 {
		return []Problem{{Key: "command", Msg: "required key is missing: the plugin's argv, such as [python3, my_strategy.py]"}}
	}
	hello, err := plugin.CachedHandshake(spec)
	if err != nil {
		return []Problem{{Key: "command", Msg: "the plugin failed its handshake: " + err.Error()}}
	}
	var probs []Problem
	for _, n := range hello.Needs {
		if c := needCaps[n]; !has(caps, c) {
			probs = append(probs, Problem{Key: "name", Msg: fmt.Sprintf("the plugin %s needs %s: it %s", hello.Name, n, capabilityMsg[c]), Got: "external"})
		}
	}
	return probs
}

// external is one trial's strategy plugin.
type external struct {
	spec  plugin.Spec
	c     *plugin.StrategyClient
	ctx   context.Context // of the last Select
	err   error
	round int
	x     nets.Matrix
	p, d  nets.Matrix
	e     nets.Matrix
}

func (*external) Name() string { return "external" }

// Close ends the plugin process — at once when the run is being cancelled —;
// the trial calls it when it ends.
func (s *external) Close() error {
	switch {
	case s.c == nil:
	case s.ctx != nil && s.ctx.Err() != nil:
		s.c.Abort()
	default:
		return s.c.Close()
	}
	return nil
}

func (s *external) Select(ctx context.Context, q Query) ([]int, error) {
	if s.err != nil {
		return nil, s.err
	}
	if len(s.spec.Command) == 0 {
		return nil, errors.New("an external strategy needs a command (build it with NewExternal)")
	}
	s.round++
	s.ctx = ctx
	if s.c == nil {
		t := plugin.TrialOf(ctx)
		c, err := plugin.StartStrategy(ctx, s.spec, t, t.LogPath("strategy"), q.Classes,
			plugin.Matrix{Rows: q.Pool.Rows, Cols: q.Pool.Cols, Data: q.Pool.Data})
		if err != nil {
			s.err = err
			return nil, err
		}
		s.c = c
	}
	sel := plugin.Select{Batch: q.Batch, Round: s.round, Seed: q.Rand.Uint64() >> 11,
		Unlabeled: q.Unlabeled, Labeled: q.Labeled, Labels: q.Labels}
	for _, n := range s.c.Hello().Needs {
		var err error
		switch n {
		case "probabilities":
			sel.Probabilities, err = s.probabilities(q)
		case "decision":
			sel.Decision, sel.DecisionCols, err = s.decision(q)
		case "embeddings":
			sel.Embeddings, sel.EmbedCols, err = s.embeddings(q)
		}
		if err != nil {
			return nil, err
		}
	}
	if err := learners.ModelErr(q.Model); err != nil {
		return nil, fmt.Errorf("the model, for the plugin's %v: %w", s.c.Hello().Needs, err)
	}
	rows, err := s.c.Select(ctx, sel)
	if err != nil {
		s.err = err
	}
	return rows, err
}

// gather copies the unlabeled rows of the pool into s.x.
func (s *external) gather(q Query) *nets.Matrix {
	s.x.Gather(q.Pool, q.Unlabeled)
	return &s.x
}

func (s *external) probabilities(q Query) ([]float64, error) {
	switch m := q.Model.(type) {
	case learners.PoolProber:
		m.PoolProbs(q.Unlabeled, &s.p)
	case learners.Prober:
		m.Probs(s.gather(q), &s.p)
	default:
		return nil, errors.New("the plugin needs probabilities, which the model lacks")
	}
	return s.p.Data, nil
}

func (s *external) decision(q Query) ([]float64, int, error) {
	switch m := q.Model.(type) {
	case learners.PoolDecider:
		m.PoolDecision(q.Unlabeled, &s.d)
	case learners.Decider:
		m.Decision(s.gather(q), &s.d)
	default:
		return nil, 0, errors.New("the plugin needs decision values, which the model lacks")
	}
	return s.d.Data, s.d.Cols, nil
}

func (s *external) embeddings(q Query) ([]float64, int, error) {
	switch m := q.Model.(type) {
	case learners.PoolEmbedder:
		m.PoolEmbed(q.Unlabeled, &s.e)
	case learners.Embedder:
		m.Embed(s.gather(q), &s.e)
	default:
		return nil, 0, errors.New("the plugin needs embeddings, which the model lacks")
	}
	return s.e.Data, s.e.Cols, nil
}
