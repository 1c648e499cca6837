package experiments

import (
	"path/filepath"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"albench/learners"
)

// This file decodes model specs (the task model and the strategies' query
// models): the mapping is read generically, learners.Resolve checks it against
// the registry of model kinds and fills in the defaults, and its problems are
// positioned at the nodes their keys name.

// modelSrc is a decoded model spec and where it was written.
type modelSrc struct {
	spec ModelSpec
	// n is the spec's mapping node (the root when `model:` is omitted); path its
	// key path ("model", "strategies[2].query_model").
	n    *yaml.Node
	path string
	ok   bool
}

// taskModel decodes the top-level model into c.Model; an omitted model is the
// registry's default kind with its defaults.
func (p *parser) taskModel(c *Config, top map[string]field, root *yaml.Node) modelSrc {
	f, ok := top["model"]
	if !ok {
		src := p.resolve(map[string]any{}, root, "model")
		c.Model = src.spec
		return src
	}
	src := p.modelSpec(f.v, "model")
	c.Model = src.spec
	return src
}

// modelSpec decodes one model mapping at n.
func (p *parser) modelSpec(n *yaml.Node, path string) modelSrc {
	raw, ok := p.mapping(n, path)
	if !ok {
		return modelSrc{n: n, path: path}
	}
	if raw == nil {
		raw = map[string]any{}
	}
	return p.resolve(raw, n, path)
}

// resolve runs learners.Resolve on a spec written at n and positions its problems.
func (p *parser) resolve(raw map[string]any, n *yaml.Node, path string) modelSrc {
	src := modelSrc{n: n, path: path}
	resolved, probs := learners.Resolve(raw)
	for _, q := range fromLearners(probs) {
		p.place(n, path, refineIndex(q), true)
	}
	if len(probs) > 0 {
		return src
	}
	kind, _ := resolved["kind"].(string)
	if kind == "external" {
		// A plugin runs in the config's directory, the base of its relative
		// paths, as a csv dataset's path is.
		if d, _ := resolved["dir"].(string); !filepath.IsAbs(d) {
			resolved["dir"] = filepath.Join(p.dir(), d)
		}
	}
	if p.probe {
		if probs := learners.Probe(resolved); len(probs) > 0 {
			for _, q := range fromLearners(probs) {
				p.place(n, path, refineIndex(q), true)
			}
			return src
		}
	}
	src.spec = ModelSpec{Kind: kind, Params: resolved}
	src.ok = true
	return src
}

// indexMsgRE matches a message that names a list element of its key itself:
// "hidden[1] must be an integer in [1, 1048576]".
var indexMsgRE = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*)((?:\[\d+\])+) (.*)$`)

// refineIndex moves a list index named in a problem's message into its key, so
// that the problem is positioned at the element: key "hidden" with message
// "hidden[1] must be …" becomes key "hidden[1]" with message "must be …".
func refineIndex(q Problem) Problem {
	m := indexMsgRE.FindStringSubmatch(q.Msg)
	if m == nil {
		return q
	}
	last := q.Key
	if i := strings.LastIndexByte(last, '.'); i >= 0 {
		last = last[i+1:]
	}
	if last != m[1] {
		return q
	}
	q.Key += m[2]
	q.Msg = m[3]
	return q
}

// defaultModel is the model of a config without `model:`.
func defaultModel() ModelSpec {
	r, probs := learners.Resolve(map[string]any{})
	if len(probs) > 0 {
		panic("experiments: the default model does not resolve: " + probs[0].String())
	}
	return ModelSpec{Kind: r["kind"].(string), Params: r}
}
