package datasets

import (
	"albench/internal/suggest"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// maxCells bounds the numbers a generator may draw (about 800 MB of float64), so a
// typo such as n_samples: 100000000000 is a problem, not an out-of-memory crash.
const maxCells = 100_000_000

// params reads a YAML-decoded params map and records every problem it finds.
// ints arrive as int, floats as float64, lists as []any, strings as string and
// null as a present key with a nil value.
type params struct {
	m     map[string]any
	probs []Problem
}

func newParams(m map[string]any) *params { return &params{m: m} }

func (p *params) add(key, msg string, got any) {
	g := ""
	if got != nil {
		g = show(got)
	}
	p.probs = append(p.probs, Problem{Key: key, Msg: msg, Got: g})
}

// addNull records a problem whose offending value is YAML's null.
func (p *params) addNull(key, msg string) {
	p.probs = append(p.probs, Problem{Key: key, Msg: msg, Got: "null"})
}

// lookup returns a parameter's value; present is false when the key is absent.
func (p *params) lookup(name string) (v any, present bool) {
	v, present = p.m[name]
	return v, present
}

// Int reads an integer parameter that must be at least min.
func (p *params) Int(name string, def, min int) int {
	v, ok := p.lookup(name)
	if !ok {
		return def
	}
	n, ok := asInt(v)
	if !ok {
		p.addTyped(name, "must be an integer", v)
		return def
	}
	if n < min {
		p.add(name, "must be at least "+strconv.Itoa(min), v)
		return def
	}
	return n
}

// Float reads a finite number; an int is accepted.
func (p *params) Float(name string, def float64) float64 {
	v, ok := p.lookup(name)
	if !ok {
		return def
	}
	return p.floatValue(name, v, def)
}

func (p *params) floatValue(key string, v any, def float64) float64 {
	f, ok := asFloat(v)
	if !ok {
		p.addTyped(key, "must be a number", v)
		return def
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		p.add(key, "must be a finite number", v)
		return def
	}
	return f
}

// NonNegFloat reads a finite number that must be ≥ 0 (a standard deviation).
func (p *params) NonNegFloat(name string, def float64) float64 {
	f := p.Float(name, def)
	if f < 0 {
		p.add(name, "must not be negative", p.m[name])
		return def
	}
	return f
}

// Bool reads true or false.
func (p *params) Bool(name string, def bool) bool {
	v, ok := p.lookup(name)
	if !ok {
		return def
	}
	b, ok := v.(bool)
	if !ok {
		p.addTyped(name, "must be true or false", v)
		return def
	}
	return b
}

// FloatList reads a list of finite numbers; ok is false when it is not one (a
// problem has then been recorded).
func (p *params) FloatList(key string, v any) (xs []float64, ok bool) {
	list, isList := v.([]any)
	if !isList {
		p.addTyped(key, "must be a list of numbers", v)
		return nil, false
	}
	xs = make([]float64, len(list))
	ok = true
	for i, e := range list {
		n := len(p.probs)
		xs[i] = p.floatValue(key+"["+strconv.Itoa(i)+"]", e, 0)
		ok = ok && len(p.probs) == n
	}
	return xs, ok
}

// addTyped records a wrong-type problem, showing null for a nil value.
func (p *params) addTyped(key, msg string, v any) {
	if v == nil {
		p.addNull(key, msg)
		return
	}
	p.add(key, msg, v)
}

// rejectUnknown records every key that is not a parameter of the source, in
// sorted order, suggesting the nearest known name.
func (p *params) rejectUnknown(known []Param) {
	var keys []string
	for k := range p.m {
		if !slices.ContainsFunc(known, func(q Param) bool { return q.Name == k }) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		msg := "unknown parameter"
		if len(known) == 0 {
			msg += "; this source takes no parameters"
		} else if s := nearest(k, known); s != "" {
			msg += " (did you mean " + s + "?)"
		}
		p.probs = append(p.probs, Problem{Key: k, Msg: msg})
	}
}

// nearest suggests a known name for k (suggest.Nearest).
func nearest(k string, known []Param) string {
	names := make([]string, len(known))
	for i, q := range known {
		names[i] = q.Name
	}
	return suggest.Nearest(k, names)
}

// asInt accepts any Go integer type (yaml.v3 decodes big values to int64/uint64).
func asInt(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int8:
		return int(n), true
	case int16:
		return int(n), true
	case int32:
		return int(n), true
	case int64:
		return int(n), true
	case uint:
		if n > math.MaxInt {
			return 0, false
		}
		return int(n), true
	case uint8:
		return int(n), true
	case uint16:
		return int(n), true
	case uint32:
		return int(n), true
	case uint64:
		if n > math.MaxInt {
			return 0, false
		}
		return int(n), true
	}
	return 0, false
}

// asFloat accepts a float or an integer.
func asFloat(v any) (float64, bool) {
	switch f := v.(type) {
	case float64:
		return f, true
	case float32:
		return float64(f), true
	}
	if n, ok := asInt(v); ok {
		return float64(n), true
	}
	return 0, false
}

// show renders a decoded YAML value for a problem's Got, in YAML flow style.
func show(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case string:
		return v
	case bool:
		return strconv.FormatBool(v)
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(v), 'g', -1, 32)
	case []any:
		s := make([]string, len(v))
		for i, e := range v {
			s[i] = show(e)
		}
		return "[" + strings.Join(s, ", ") + "]"
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		s := make([]string, len(keys))
		for i, k := range keys {
			s[i] = k + ": " + show(v[k])
		}
		return "{" + strings.Join(s, ", ") + "}"
	}
	if n, ok := asInt(v); ok {
		return strconv.Itoa(n)
	}
	return strings.TrimSpace(strings.ReplaceAll(fmt.Sprint(v), "\n", " "))
}
