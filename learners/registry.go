package learners

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"albench/internal/suggest"
)

// Param documents one key of a model kind, written directly under `model:`.
type Param struct {
	// Name is the key, scikit-learn's parameter name where there is one.
	Name string
	// Default is the value used when the key is absent (shown by `albench list
	// models`); nil means the key has no default and is optional.
	Default any
	// Doc says what the key does and which values are allowed.
	Doc string
}

// Info describes a registered model kind.
type Info struct {
	// Kind is the name used as model.kind.
	Kind string
	// Summary is one line on the model.
	Summary string
	// Equivalent names the scikit-learn (or PyTorch) estimator it reproduces.
	Equivalent string
	// Params lists the accepted keys besides kind, with their defaults.
	Params []Param
	// Capabilities says in words what its models offer and when.
	Capabilities string
}

// Problem is one thing wrong with a model spec.
type Problem struct {
	// Key locates the problem relative to the spec: "kind", "C", "train.lr".
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

// param is a Param with its decoder: decode returns the value in its canonical type
// (int, float64, string, bool or []int) or a message saying what is wrong. A param
// with nested keys (an mlp's train) is a mapping decoded against nested instead.
type param struct {
	Param
	decode func(v any) (any, string)
	nested []param
}

// kindSpec is a registry entry.
type kindSpec struct {
	info   Info
	params []param
	// check reports problems that involve several keys, given the resolved values
	// and the spec as written; it may drop resolved keys that do not apply.
	check func(p, raw map[string]any) []Problem
	caps  func(p map[string]any) Capabilities
	// probe, when set, runs the checks validation makes beyond Resolve (an
	// external model's handshake); see Probe.
	probe func(p map[string]any) []Problem
	build func(p map[string]any) Learner
}

// DefaultKind is the kind of a model spec without one: the tutorial's MLP.
const DefaultKind = "mlp"

// kinds is the registry, in the order of the README's table; each learner's file
// adds itself in an init function so that a learner is one file plus its entry.
var kinds []kindSpec

func register(k kindSpec) {
	for _, p := range k.params {
		if p.nested == nil {
			k.info.Params = append(k.info.Params, p.Param)
			continue
		}
		for _, q := range p.nested {
			q.Name = p.Name + "." + q.Name
			k.info.Params = append(k.info.Params, q.Param)
		}
	}
	kinds = append(kinds, k)
}

// Registry returns every registered kind, in a stable order. The result is a copy.
func Registry() []Info {
	out := make([]Info, len(kinds))
	for i, k := range kinds {
		out[i] = k.info
		out[i].Params = slices.Clone(k.info.Params)
	}
	return out
}

// Kinds returns the registered kind names in Registry order.
func Kinds() []string {
	out := make([]string, len(kinds))
	for i, k := range kinds {
		out[i] = k.info.Kind
	}
	return out
}

func lookup(kind string) *kindSpec {
	for i := range kinds {
		if kinds[i].info.Kind == kind {
			return &kinds[i]
		}
	}
	return nil
}

// Resolve checks a model spec as decoded from YAML (kind plus the learner's keys;
// values int, float64, string, bool, []any or map[string]any) and returns it with
// every key of its kind present: the value given, in canonical type, or the
// default. The resolved spec is what a trial's identity hashes, so a default written
// out or left implicit is the same model. Problems come in a stable order: kind,
// then keys in sorted order, then cross-key checks.
func Resolve(spec map[string]any) (map[string]any, []Problem) {
	kind := DefaultKind
	if v, ok := spec["kind"]; ok {
		s, isStr := v.(string)
		if !isStr {
			return nil, []Problem{{Key: "kind", Msg: "must be a model kind (" + strings.Join(Kinds(), ", ") + ")", Got: show(v)}}
		}
		kind = s
	}
	k := lookup(kind)
	if k == nil {
		msg := "unknown model kind"
		if g := suggest.Nearest(kind, Kinds()); g != "" {
			msg += fmt.Sprintf(" (did you mean %s?)", g)
		} else {
			msg += " (known: " + strings.Join(Kinds(), ", ") + ")"
		}
		return nil, []Problem{{Key: "kind", Msg: msg, Got: kind}}
	}
	out, probs := decodeParams(k.params, spec, "", kind, true)
	if len(probs) == 0 && k.check != nil {
		probs = k.check(out, spec)
	}
	if len(probs) > 0 {
		return nil, probs
	}
	out["kind"] = kind
	return out, nil
}

// decodeParams decodes the keys of spec against params, prefixing problem keys with
// prefix; skipKind ignores the "kind" key.
func decodeParams(params []param, spec map[string]any, prefix, owner string, skipKind bool) (map[string]any, []Problem) {
	var probs []Problem
	keys := make([]string, 0, len(spec))
	for key := range spec {
		if skipKind && key == "kind" {
			continue
		}
		keys = append(keys, key)
	}
	slices.Sort(keys)
	out := make(map[string]any, len(params))
	for _, key := range keys {
		i := slices.IndexFunc(params, func(p param) bool { return p.Name == key })
		if i < 0 {
			probs = append(probs, Problem{Key: prefix + key, Msg: unknownKey(params, key, owner), Got: show(spec[key])})
			continue
		}
		if params[i].nested != nil {
			m, ok := spec[key].(map[string]any)
			if !ok {
				probs = append(probs, Problem{Key: prefix + key, Msg: "must be a mapping", Got: show(spec[key])})
				continue
			}
			sub, subProbs := decodeParams(params[i].nested, m, prefix+key+".", owner+" "+key, false)
			probs = append(probs, subProbs...)
			out[key] = sub
			continue
		}
		v, msg := params[i].decode(spec[key])
		if msg != "" {
			probs = append(probs, Problem{Key: prefix + key, Msg: msg, Got: show(spec[key])})
			continue
		}
		out[key] = v
	}
	for _, p := range params {
		if _, given := spec[p.Name]; given {
			continue
		}
		switch {
		case p.nested != nil:
			out[p.Name], _ = decodeParams(p.nested, nil, "", "", false)
		case p.Default != nil:
			out[p.Name] = p.Default
			if d, ok := p.Default.([]int); ok {
				out[p.Name] = slices.Clone(d)
			}
		}
	}
	return out, probs
}

func unknownKey(params []param, key, owner string) string {
	if len(params) == 0 {
		return "unknown key: " + owner + " takes no parameters"
	}
	names := make([]string, len(params))
	for i, p := range params {
		names[i] = p.Name
	}
	msg := "unknown key of " + owner
	if g := suggest.Nearest(key, names); g != "" {
		return msg + fmt.Sprintf(" (did you mean %s?)", g)
	}
	return msg + " (known: " + strings.Join(names, ", ") + ")"
}

// Probe runs the checks of a resolved spec that Resolve leaves out because they
// run something: an external model's command is started for its handshake, whose
// capabilities Caps then reports (cached for the life of the process). Other
// kinds have none. Problems have keys as Resolve's.
func Probe(resolved map[string]any) []Problem {
	k := lookup(resolved["kind"].(string))
	if k == nil || k.probe == nil {
		return nil
	}
	return k.probe(resolved)
}

// Caps returns the capabilities of the models of a resolved spec.
func Caps(resolved map[string]any) Capabilities {
	k := lookup(resolved["kind"].(string))
	if k == nil {
		panic("learners: Caps of an unresolved spec")
	}
	return k.caps(resolved)
}

// New returns the Learner of a model spec, resolving it first.
func New(spec map[string]any) (Learner, error) {
	r, probs := Resolve(spec)
	if len(probs) > 0 {
		errs := make([]error, len(probs))
		for i, p := range probs {
			errs[i] = fmt.Errorf("learners: model.%s", p)
		}
		return nil, errors.Join(errs...)
	}
	return lookup(r["kind"].(string)).build(r), nil
}

// The decoders of the parameter types.

func intIn(lo, hi int, msg string) func(any) (any, string) {
	return func(v any) (any, string) {
		i, ok := asInt(v)
		if !ok {
			return nil, "must be an integer"
		}
		if i < lo || i > hi {
			return nil, msg
		}
		return i, ""
	}
}

func floatIn(ok func(float64) bool, msg string) func(any) (any, string) {
	return func(v any) (any, string) {
		f, isNum := asFloat(v)
		if !isNum {
			return nil, "must be a number"
		}
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, "must be a finite number"
		}
		if !ok(f) {
			return nil, msg
		}
		return f, ""
	}
}

func positive(f float64) bool { return f > 0 }

func enum(choices ...string) func(any) (any, string) {
	return func(v any) (any, string) {
		s, ok := v.(string)
		if !ok || !slices.Contains(choices, s) {
			return nil, "must be " + orList(choices)
		}
		return s, ""
	}
}

func boolean(v any) (any, string) {
	b, ok := v.(bool)
	if !ok {
		return nil, "must be true or false"
	}
	return b, ""
}

// asInt accepts what YAML decoders produce for an integer, and an integral float.
func asInt(v any) (int, bool) {
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
	return 0, false
}

func asFloat(v any) (float64, bool) {
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
	return 0, false
}

func orList(choices []string) string {
	switch len(choices) {
	case 1:
		return choices[0]
	case 2:
		return choices[0] + " or " + choices[1]
	}
	return strings.Join(choices[:len(choices)-1], ", ") + " or " + choices[len(choices)-1]
}

func show(v any) string {
	if v == nil {
		return "nothing"
	}
	return fmt.Sprint(v)
}
