package strategies

import (
	"albench/internal/suggest"
	"albench/learners"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
)

// Capability names a model capability that a strategy needs.
type Capability string

// The capabilities a model may offer, each matching an interface of package learners.
const (
	CapProbs     Capability = "probs"      // learners.Prober: class probabilities
	CapDecision  Capability = "decision"   // learners.Decider: decision values
	CapScores    Capability = "scores"     // probabilities or decision values, either will do
	CapEmbed     Capability = "embed"      // learners.Embedder: penultimate-layer embeddings
	CapGradEmbed Capability = "grad_embed" // learners.GradEmbedder: last-layer gradient embeddings
	CapGradNorms Capability = "grad_norms" // learners.GradNormer: per-sample gradient norms
	CapMCDropout Capability = "mc_dropout" // learners.MCSampler with HasDropout: MC-dropout passes
)

// has reports whether c offers capability n.
func has(c learners.Capabilities, n Capability) bool {
	switch n {
	case CapProbs:
		return c.Probs
	case CapDecision:
		return c.Decision
	case CapScores:
		return c.Probs || c.Decision
	case CapEmbed:
		return c.Embed
	case CapGradEmbed:
		return c.GradEmbed
	case CapGradNorms:
		return c.GradNorms
	case CapMCDropout:
		return c.MCDropout
	}
	panic("strategies: unknown capability " + string(n))
}

// Param documents one parameter of a strategy.
type Param struct {
	// Name is the key under the strategy's params in the config.
	Name string
	// Default is the value used when the key is absent: an int, float64 or string,
	// which is also the parameter's type.
	Default any
	// Doc says what the parameter does and which values are allowed.
	Doc string
}

// Info describes a registered strategy, for listing and validation.
type Info struct {
	// Name is the registered name used in configs.
	Name string
	// Summary is one line on what the strategy picks.
	Summary string
	// Formula is the strategy's score or rule in one line.
	Formula string
	// Paper cites the method's source.
	Paper string
	// Params lists the accepted parameters with their defaults.
	Params []Param
	// Needs lists the model capabilities the strategy uses.
	Needs []Capability
	// Oracle marks an upper bound that reads the test labels (Query.Oracle): it is
	// reported apart from the strategies, never ranked with them.
	Oracle bool
}

// Problem is one thing wrong with a strategy entry of a config.
type Problem struct {
	// Key locates the problem relative to the entry: "name" or "params.committee".
	Key string
	// Msg says what is wrong.
	Msg string
	// Got is the offending value as written, or "" when there is none to show.
	Got string
}

// String formats p as "key: msg (got X)".
func (p Problem) String() string {
	if p.Got == "" {
		return p.Key + ": " + p.Msg
	}
	return fmt.Sprintf("%s: %s (got %s)", p.Key, p.Msg, p.Got)
}

// param is a Param with its range check; valid returns "" or what is wrong with v,
// which already has the parameter's type. A param whose values are not scalars
// (qbc's members) has decode instead, returning the canonical value or problems with
// keys relative to the param.
type param struct {
	Param
	valid  func(v any) string
	decode func(v any) (any, []Problem)
}

type spec struct {
	info   Info // Params filled from params
	params []param
	// needs, when set, gives the capabilities of the task or query model that the
	// resolved params need (qbc's kl needs probabilities, its vote only predictions);
	// otherwise info.Needs.
	needs func(p map[string]any) []Capability
	// check, when set, reports problems that involve several resolved params.
	check func(p map[string]any) []Problem
	// anyParams passes every param through unchecked (the external strategy's
	// go to its plugin).
	anyParams bool
	build     func(p map[string]any) Strategy
}

var probsOnly = []Capability{CapProbs}

func oneOf(set ...string) func(any) string {
	return func(v any) string {
		if slices.Contains(set, v.(string)) {
			return ""
		}
		return "must be one of " + strings.Join(set, ", ")
	}
}

// specs is the registry: the deep-AL set in the order of the design's table, then
// the survey strategies, the low-budget and Bayesian ones, the kernel-machine ones,
// the oracles and the strategy plugin, each group in its own file.
var specs = slices.Concat(coreSpecs, surveySpecs, lowBudgetSpecs, kernelSpecs, oracleSpecs, externalSpecs)

// coreSpecs are the strategies of the design's table.
var coreSpecs = []spec{
	{
		info: Info{Name: "random", Summary: "uniform sample without replacement; the baseline",
			Formula: "x ~ Uniform(U)", Paper: "—"},
		build: func(map[string]any) Strategy { return &random{} },
	},
	{
		info: Info{Name: "least_confidence", Summary: "the points whose most probable class is least probable",
			Formula: "argmax_x 1 − max_y p(y|x)", Paper: "Lewis & Gale 1994; Settles 2009 §3.1", Needs: probsOnly},
		build: func(map[string]any) Strategy { return &uncertainty{name: "least_confidence", measure: leastConfidence} },
	},
	{
		info: Info{Name: "margin", Summary: "the points with the smallest gap between the two most probable classes (or the smallest |f(x)| of a model with decision values only)",
			Formula: "argmin_x p(ŷ1|x) − p(ŷ2|x); without probabilities argmin_x |f(x)| (two classes) or f_(1)(x) − f_(2)(x)",
			Paper:   "Scheffer, Decomain & Wrobel 2001; Tong & Koller 2001; Settles 2009 §3.1", Needs: []Capability{CapScores}},
		build: func(map[string]any) Strategy {
			return &uncertainty{name: "margin", measure: smallMargin, decision: true}
		},
	},
	{
		info: Info{Name: "entropy", Summary: "the points of highest predictive entropy",
			Formula: "argmax_x −Σ_y p(y|x) log p(y|x)", Paper: "Shannon 1948; Settles 2009 §3.1", Needs: probsOnly},
		build: func(map[string]any) Strategy { return &uncertainty{name: "entropy", measure: entropy} },
	},
	{
		info: Info{Name: "qbc", Summary: "disagreement of a committee: copies of the model on bootstrap resamples, or the listed members",
			Formula: "vote_entropy: −Σ_y (V(y)/C) log(V(y)/C); kl: (1/C) Σ_c KL(p_c ‖ p̄)",
			Paper:   "Seung et al. 1992; Abe & Mamitsuka 1998; Dagan & Engelson 1995; McCallum & Nigam 1998", Needs: []Capability{CapScores}},
		params: []param{
			{Param: Param{"committee", 5, "number of committee members, each trained from scratch every round (≥ 2); ignored with members"},
				valid: func(v any) string {
					if v.(int) < 2 {
						return "a committee needs at least 2 members"
					}
					return ""
				}},
			{Param: Param{"measure", VoteEntropy, "disagreement measure: vote_entropy or kl"}, valid: oneOf(VoteEntropy, KL)},
			{Param: Param{"members", nil, "a list of model specs (same schema as model), one member each, e.g. [{kind: logreg, solver: lbfgs}, {kind: svm, kernel: linear}]; omitted: `committee` copies of the query model"},
				decode: decodeMembers},
			{Param: Param{"bootstrap", nil, "train each member on a bootstrap resample of the labeled set: true or false; omitted: true for copies of the model, false for listed members"},
				decode: decodeBool},
		},
		needs: func(p map[string]any) []Capability {
			if p["members"] != nil {
				return nil // the members are checked by decodeMembers
			}
			if p["measure"] == KL {
				return probsOnly
			}
			return []Capability{CapScores}
		},
		check: checkMembers,
		build: buildQBC,
	},
	{
		info: Info{Name: "egl", Summary: "the points whose label would move the parameters most",
			Formula: "argmax_x Σ_y p(y|x) ‖∇θ ℓ(x,y)‖", Paper: "Settles, Craven & Ray 2008",
			Needs: []Capability{CapProbs, CapGradNorms}},
		build: func(map[string]any) Strategy { return &egl{} },
	},
	{
		info: Info{Name: "bald", Summary: "mutual information between label and weights under MC dropout",
			Formula: "argmax_x H[(1/T) Σ_t p_t] − (1/T) Σ_t H[p_t]",
			Paper:   "Houlsby et al. 2011; Gal, Islam & Ghahramani 2017", Needs: []Capability{CapProbs, CapMCDropout}},
		params: []param{
			{Param: Param{"samples", 20, "number T of stochastic forward passes (≥ 1)"},
				valid: func(v any) string {
					if v.(int) < 1 {
						return "must be at least 1"
					}
					return ""
				}},
		},
		build: func(p map[string]any) Strategy { return &bald{samples: p["samples"].(int)} },
	},
	{
		info: Info{Name: "coreset", Summary: "k-center greedy cover of the penultimate embeddings when the model has them, else of the input features z-scored over the pool",
			Formula: "argmax_u min_c ‖φ(u) − φ(c)‖, labeled and picked rows as centres; φ = embedding, or z-scored features",
			Paper:   "Sener & Savarese 2018"},
		build: func(map[string]any) Strategy { return &coreset{} },
	},
	{
		info: Info{Name: "badge", Summary: "k-means++ seeding on last-layer gradient embeddings at ŷ",
			Formula: "first argmax ‖g_x‖, then P(x) ∝ min_c ‖g_x − g_c‖²",
			Paper:   "Ash et al. 2020", Needs: []Capability{CapGradEmbed}},
		build: func(map[string]any) Strategy { return &badge{} },
	},
	{
		info: Info{Name: "density", Summary: "uncertainty weighted by mean cosine similarity to the pool",
			Formula: "argmax_x φ(x) × max(0, (1/N) Σ_u cos(x,u))^β", Paper: "Settles & Craven 2008", Needs: probsOnly},
		params: []param{
			{Param: Param{"base", "entropy", "base uncertainty φ: entropy, least_confidence or margin (as 1 − margin)"},
				valid: oneOf("entropy", "least_confidence", "margin")},
			{Param: Param{"beta", 1.0, "exponent β of the similarity term (≥ 0; 0 is the base alone)"},
				valid: func(v any) string {
					if f := v.(float64); !(f >= 0) || math.IsInf(f, 1) {
						return "must be finite and at least 0"
					}
					return ""
				}},
		},
		build: func(p map[string]any) Strategy {
			measure := map[string]func([]float64) float64{
				"entropy": entropy, "least_confidence": leastConfidence, "margin": smallMargin,
			}[p["base"].(string)]
			return &density{beta: p["beta"].(float64), measure: measure}
		},
	},
}

// Registry returns every registered strategy in a stable order, that of the design's
// table. The result is a fresh copy.
func Registry() []Info {
	out := make([]Info, len(specs))
	for i, s := range specs {
		out[i] = s.info
		out[i].Needs = slices.Clone(s.info.Needs)
		for _, p := range s.params {
			out[i].Params = append(out[i].Params, p.Param)
		}
	}
	return out
}

// IsOracle reports whether name is a registered oracle (Info.Oracle).
func IsOracle(name string) bool {
	s := lookup(name)
	return s != nil && s.info.Oracle
}

// Names returns the registered names in Registry order.
func Names() []string {
	out := make([]string, len(specs))
	for i, s := range specs {
		out[i] = s.info.Name
	}
	return out
}

func lookup(name string) *spec {
	for i := range specs {
		if specs[i].info.Name == name {
			return &specs[i]
		}
	}
	return nil
}

// capabilityMsg says what a missing capability means in config terms.
var capabilityMsg = map[Capability]string{
	CapProbs:     "needs class probabilities, which the configured model lacks (an svm has them with probability: true)",
	CapDecision:  "needs decision values, which the configured model lacks",
	CapScores:    "needs class probabilities or decision values, which the configured model lacks",
	CapEmbed:     "needs penultimate-layer embeddings, which the configured model lacks (use an mlp with a hidden layer)",
	CapGradEmbed: "needs last-layer gradient embeddings, which the configured model lacks",
	CapGradNorms: "needs per-sample gradient norms, which the configured model lacks",
	CapMCDropout: "needs model.dropout > 0",
}

// Check reports everything wrong with a strategy entry: an unknown name (with a
// suggestion), unknown parameters, values of the wrong type or out of range, and
// capabilities the configured model lacks. Params are as decoded from YAML (int,
// float64, string); an int is accepted where a float is expected and an integral
// float where an int is. Problems come in a stable order: name, then params by key,
// then capabilities.
func Check(name string, params map[string]any, caps learners.Capabilities) []Problem {
	s := lookup(name)
	if s == nil {
		msg := "unknown strategy"
		if g := suggest.Nearest(name, Names()); g != "" {
			msg += fmt.Sprintf(" (did you mean %s?)", g)
		} else {
			msg += " (known: " + strings.Join(Names(), ", ") + ")"
		}
		return []Problem{{Key: "name", Msg: msg, Got: name}}
	}
	var probs []Problem
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if s.anyParams {
			break
		}
		v := params[k]
		i := slices.IndexFunc(s.params, func(p param) bool { return p.Name == k })
		if i < 0 {
			probs = append(probs, Problem{Key: "params." + k, Msg: unknownParam(s, k), Got: show(v)})
			continue
		}
		p := s.params[i]
		if p.decode != nil {
			_, sub := p.decode(v)
			for _, q := range sub {
				q.Key = join("params."+k, q.Key)
				probs = append(probs, q)
			}
			continue
		}
		cv, ok := convert(v, p.Default)
		if !ok {
			probs = append(probs, Problem{Key: "params." + k, Msg: "must be " + typeName(p.Default), Got: show(v)})
			continue
		}
		if msg := p.valid(cv); msg != "" {
			probs = append(probs, Problem{Key: "params." + k, Msg: msg, Got: show(v)})
		}
	}
	full := s.resolve(params)
	if s.check != nil && len(probs) == 0 {
		probs = s.check(full)
	}
	for _, n := range s.needsOf(full) {
		if !has(caps, n) {
			probs = append(probs, Problem{Key: "name", Msg: name + " " + capabilityMsg[n], Got: name})
		}
	}
	return probs
}

// join appends a sub-key to a key: "params.members" + "[1].C".
func join(key, sub string) string {
	switch {
	case sub == "":
		return key
	case sub[0] == '[':
		return key + sub
	}
	return key + "." + sub
}

func (s *spec) needsOf(p map[string]any) []Capability {
	if s.needs != nil {
		return s.needs(p)
	}
	return s.info.Needs
}

// resolve returns params with defaults filled in, each value in its canonical type;
// a value that does not decode counts as absent (Check reports it).
func (s *spec) resolve(params map[string]any) map[string]any {
	if s.anyParams {
		return maps.Clone(params)
	}
	full := make(map[string]any, len(s.params))
	for _, p := range s.params {
		full[p.Name] = p.Default
		v, given := params[p.Name]
		if !given {
			continue
		}
		if p.decode != nil {
			if x, probs := p.decode(v); len(probs) == 0 {
				full[p.Name] = x
			}
		} else if x, ok := convert(v, p.Default); ok && p.valid(x) == "" {
			full[p.Name] = x
		}
	}
	return full
}

// Resolve returns a strategy entry's params with every default filled in, in
// canonical types (a trial's identity hashes them), or the problems Check reports
// without the capability checks.
func Resolve(name string, params map[string]any) (map[string]any, []Problem) {
	all := learners.Capabilities{Probs: true, Decision: true, Embed: true, GradEmbed: true, GradNorms: true, MCDropout: true}
	if probs := Check(name, params, all); len(probs) > 0 {
		return nil, probs
	}
	return lookup(name).resolve(params), nil
}

// New returns a fresh strategy value for one trial, with params as decoded from YAML
// and defaults filled in for absent keys. It reports the problems Check would, except
// missing model capabilities, which Select reports if the configuration slipped past
// Check.
func New(name string, params map[string]any) (Strategy, error) {
	full, probs := Resolve(name, params)
	if len(probs) > 0 {
		errs := make([]error, len(probs))
		for i, p := range probs {
			errs[i] = fmt.Errorf("strategies: %s: %s", name, p)
		}
		return nil, errors.Join(errs...)
	}
	return lookup(name).build(full), nil
}

func unknownParam(s *spec, k string) string {
	if len(s.params) == 0 {
		return s.info.Name + " takes no parameters"
	}
	names := make([]string, len(s.params))
	for i, p := range s.params {
		names[i] = p.Name
	}
	msg := "unknown parameter of " + s.info.Name
	if g := suggest.Nearest(k, names); g != "" {
		return msg + fmt.Sprintf(" (did you mean %s?)", g)
	}
	return msg + " (known: " + strings.Join(names, ", ") + ")"
}

// convert returns v as the type of def, accepting what YAML decoders produce for
// a number written either way.
func convert(v any, def any) (any, bool) {
	switch def.(type) {
	case int:
		switch x := v.(type) {
		case int:
			return x, true
		case int64:
			if x == int64(int(x)) {
				return int(x), true
			}
		case uint64:
			if x <= math.MaxInt {
				return int(x), true
			}
		case float64:
			if x == math.Trunc(x) && math.Abs(x) <= 1<<53 {
				return int(x), true
			}
		}
	case float64:
		switch x := v.(type) {
		case float64:
			return x, true
		case int:
			return float64(x), true
		case int64:
			return float64(x), true
		case uint64:
			return float64(x), true
		}
	case string:
		if x, ok := v.(string); ok {
			return x, true
		}
	}
	return nil, false
}

func typeName(def any) string {
	switch def.(type) {
	case int:
		return "an integer"
	case float64:
		return "a number"
	}
	return "a string"
}

func show(v any) string {
	if v == nil {
		return "nothing"
	}
	return fmt.Sprint(v)
}
