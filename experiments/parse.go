package experiments

import (
	"albench/internal/suggest"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"albench/experiments/datasets"
)

// StrategyCheck validates one strategy entry against the model: the name is
// registered, the params are known and in range, the model has the capabilities the
// strategy needs. Keys in the returned problems are relative to the entry ("name",
// "params.committee"); Parse positions them in the file.
type StrategyCheck func(s StrategySpec, m ModelSpec) []Problem

// maxSeeds bounds "seeds: N" so that a typo cannot ask for a billion trials.
const maxSeeds = 100000

// YAML keys of each mapping, in the order the design lists them.
var (
	topKeys      = []string{"name", "description", "seeds", "target", "datasets", "protocol", "model", "strategies"}
	datasetKeys  = []string{"name", "source", "params", "protocol"}
	protocolKeys = []string{"test_fraction", "standardize", "initial", "batch", "budget", "initial_sampling"}
	modelKeys    = []string{"kind", "hidden", "activation", "dropout", "train"}
	trainKeys    = []string{"optimizer", "lr", "momentum", "weight_decay", "epochs", "batch_size", "warm_start"}
	strategyKeys = []string{"name", "label", "params"}
)

// Allowed values of the enumerated keys.
var (
	kinds       = []string{"mlp", "logreg"}
	activations = []string{"relu", "tanh"}
	optimizers  = []string{"sgd", "adam"}
	samplings   = []string{"uniform", "stratified", "per_class"}
)

// identRE is what names and labels may look like: they end up in file names.
var identRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.+-]*$`)

// Load reads and validates the config at path; see Parse.
// An unreadable file is an ordinary error; anything wrong inside it is an Errors.
func Load(path string, check StrategyCheck) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("experiments: %w", err)
	}
	return Parse(data, path, check)
}

// Parse decodes and validates a config read from filename, which names the file in
// errors and is the base of relative data paths. It is strict: on any problem —
// syntax, an empty file, a second document, duplicate or unknown keys, wrong types,
// missing required keys (name, datasets, strategies, protocol.budget), impossible
// values, dataset params rejected by datasets.Check, strategies rejected by check —
// it returns a nil Config and an Errors listing all of them, each positioned as
// file:line:col. A nil check skips the strategy checks.
//
// The returned Config has every default filled in (see the field docs) and Path set
// to filename.
func Parse(data []byte, filename string, check StrategyCheck) (*Config, error) {
	p := &parser{file: filename}
	var c *Config
	if doc := p.document(data); doc != nil {
		c = p.config(doc, check)
	}
	if len(p.errs) > 0 {
		return nil, sortErrors(p.errs, filename)
	}
	c.Path = filename
	return c, nil
}

// parser collects the problems of one config.
type parser struct {
	file string
	errs Errors
}

// field is one key/value pair of a mapping.
type field struct {
	key  string
	k, v *yaml.Node
}

// loc is where a key was written: its value node and key path.
type loc struct {
	n    *yaml.Node
	path string
}

// protoSrc is one protocol mapping as written: the valid values, and where each key
// present was written (a present key with a nil value in o was invalid).
type protoSrc struct {
	o  ProtocolOverride
	at map[string]loc
}

// add records a problem at n (which may be nil: position unknown).
func (p *parser) add(n *yaml.Node, key, msg, got string) {
	e := Error{File: p.file, Key: key, Msg: msg, Got: got}
	if n != nil {
		e.Line, e.Col = n.Line, n.Column
	}
	p.errs = append(p.errs, e)
}

var lineRE = regexp.MustCompile(`^line (\d+): (.*)$`)

// syntax records a yaml.v3 error, which carries at most a line.
func (p *parser) syntax(err error) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	e := Error{File: p.file, Msg: msg}
	if m := lineRE.FindStringSubmatch(msg); m != nil {
		e.Line, _ = strconv.Atoi(m[1])
		e.Msg = m[2]
	}
	p.errs = append(p.errs, e)
}

// document decodes the single YAML document of data into a node tree, or returns
// nil having recorded why it cannot.
func (p *parser) document(data []byte) *yaml.Node {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			p.add(&yaml.Node{Line: 1, Column: 1}, "", "config is empty", "")
		} else {
			p.syntax(err)
		}
		return nil
	}
	var second yaml.Node
	switch err := dec.Decode(&second); {
	case errors.Is(err, io.EOF):
	case err != nil:
		p.syntax(err)
		return nil
	default:
		at := &second
		if len(second.Content) > 0 {
			at = second.Content[0]
		}
		p.add(at, "", "a config is one YAML document; found a second", "")
		return nil
	}
	// yaml.v3 rejects anchors that contain themselves and alias bombs only when
	// decoding into values, and the node tree walked below follows aliases: decode
	// once to let it check. Type errors (such as duplicate keys) are reported later,
	// with positions.
	var v any
	if err := doc.Decode(&v); err != nil {
		var te *yaml.TypeError
		if msg := err.Error(); !errors.As(err, &te) &&
			(strings.Contains(msg, "aliasing") || strings.Contains(msg, "contains itself")) {
			p.syntax(err)
			return nil
		}
	}
	if len(doc.Content) == 0 {
		p.add(&yaml.Node{Line: 1, Column: 1}, "", "config is empty", "")
		return nil
	}
	return doc.Content[0]
}

// config walks the root mapping.
func (p *parser) config(root *yaml.Node, check StrategyCheck) *Config {
	top := p.object(root, "", topKeys)
	if top == nil {
		return nil
	}
	root = deref(root)
	c := &Config{Target: DefaultTarget}

	if f, ok := top["name"]; ok {
		if s, ok := p.str(f.v, "name"); ok {
			p.ident(f.v, "name", s)
			c.Name = s
		}
	} else {
		p.add(root, "name", "required key is missing", "")
	}
	if f, ok := top["description"]; ok {
		c.Description, _ = p.str(f.v, "description")
	}
	c.Seeds = p.seeds(top)
	if f, ok := top["target"]; ok {
		if x, ok := p.float(f.v, "target"); ok {
			if x > 0 && x <= 1 {
				c.Target = x
			} else {
				p.add(f.v, "target", "must be in (0, 1]", got(f.v))
			}
		}
	}

	proto := protoSrc{at: map[string]loc{}}
	protoNode := root
	if f, ok := top["protocol"]; ok {
		proto = p.protocol(f.v, "protocol")
		protoNode = f.v
	}
	c.Protocol = apply(Protocol{}, proto.o).WithDefaults()

	c.Model = p.model(top)

	dsrc := p.datasets(c, top, root)
	p.strategies(c, top, root, check)

	dir := "."
	if p.file != "" {
		dir = filepath.Dir(p.file)
	}
	for i, ds := range dsrc {
		p.checkDataset(c, i, ds, proto, protoNode, dir)
	}
	return c
}

// seeds decodes "seeds: N" or "seeds: [a, b, ...]".
func (p *parser) seeds(top map[string]field) []int {
	f, ok := top["seeds"]
	if !ok {
		return seq(DefaultSeeds)
	}
	v := deref(f.v)
	switch {
	case v.Kind == yaml.ScalarNode && v.ShortTag() == "!!int":
		n, ok := p.int(f.v, "seeds")
		if !ok {
			return nil
		}
		if n < 1 || n > maxSeeds {
			p.add(f.v, "seeds", fmt.Sprintf("must be between 1 and %d", maxSeeds), got(f.v))
			return nil
		}
		return seq(n)
	case v.Kind == yaml.SequenceNode:
		if len(v.Content) == 0 {
			p.add(f.v, "seeds", "must not be empty", "")
			return nil
		}
		var out []int
		first := map[int]int{}
		for i, e := range v.Content {
			path := fmt.Sprintf("seeds[%d]", i)
			s, ok := p.int(e, path)
			if !ok {
				continue
			}
			if s < 0 {
				p.add(e, path, "must not be negative", got(e))
				continue
			}
			if j, dup := first[s]; dup {
				p.add(e, path, fmt.Sprintf("duplicate seed (first at seeds[%d])", j), got(e))
				continue
			}
			first[s] = i
			out = append(out, s)
		}
		return out
	default:
		p.add(f.v, "seeds", "must be a number of seeds or a list of seeds", got(f.v))
		return nil
	}
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

// protocol decodes a protocol mapping (top-level or a dataset's override).
func (p *parser) protocol(n *yaml.Node, path string) protoSrc {
	s := protoSrc{at: map[string]loc{}}
	m := p.object(n, path, protocolKeys)
	if m == nil {
		// Not a mapping, already reported: count its budget as written but
		// invalid, so that it is not also reported missing.
		s.at["budget"] = loc{n, join(path, "budget")}
	}
	for _, k := range protocolKeys {
		f, ok := m[k]
		if !ok {
			continue
		}
		kp := join(path, k)
		s.at[k] = loc{f.v, kp}
		switch k {
		case "test_fraction":
			if x, ok := p.float(f.v, kp); ok {
				if x > 0 && x < 1 {
					s.o.TestFraction = &x
				} else {
					p.add(f.v, kp, "must be in (0, 1)", got(f.v))
				}
			}
		case "standardize":
			if b, ok := p.bool(f.v, kp); ok {
				s.o.Standardize = &b
			}
		case "initial", "batch", "budget":
			if i, ok := p.int(f.v, kp); ok {
				if i < 1 {
					p.add(f.v, kp, "must be at least 1", got(f.v))
					break
				}
				switch k {
				case "initial":
					s.o.Initial = &i
				case "batch":
					s.o.Batch = &i
				default:
					s.o.Budget = &i
				}
			}
		case "initial_sampling":
			if v, ok := p.enum(f.v, kp, samplings); ok {
				s.o.InitialSampling = &v
			}
		}
	}
	return s
}

// model decodes the model mapping and fills in its defaults.
func (p *parser) model(top map[string]field) ModelSpec {
	var m ModelSpec
	f, ok := top["model"]
	if !ok {
		return m.WithDefaults()
	}
	mm := p.object(f.v, "model", modelKeys)
	kindOK := true
	if f, ok := mm["kind"]; ok {
		m.Kind, kindOK = p.enum(f.v, "model.kind", kinds)
	}
	kind := orDefault(m.Kind, DefaultKind)
	if f, ok := mm["hidden"]; ok {
		v := deref(f.v)
		if v.Kind != yaml.SequenceNode {
			p.add(f.v, "model.hidden", "must be a list of layer widths", got(f.v))
		} else {
			m.Hidden = []int{}
			for i, e := range v.Content {
				path := fmt.Sprintf("model.hidden[%d]", i)
				if w, ok := p.int(e, path); ok {
					if w < 1 {
						p.add(e, path, "must be at least 1", got(e))
					}
					m.Hidden = append(m.Hidden, w)
				}
			}
			switch {
			case !kindOK:
			case kind == "mlp" && len(v.Content) == 0:
				p.add(f.v, "model.hidden", "an mlp needs at least one hidden layer (kind logreg has none)", got(f.v))
			case kind == "logreg" && len(v.Content) > 0:
				p.add(f.v, "model.hidden", "a logreg has no hidden layers", got(f.v))
			}
			if len(m.Hidden) == 0 {
				m.Hidden = nil
			}
		}
	}
	if f, ok := mm["activation"]; ok {
		m.Activation, _ = p.enum(f.v, "model.activation", activations)
	}
	if f, ok := mm["dropout"]; ok {
		if x, ok := p.float(f.v, "model.dropout"); ok {
			if x >= 0 && x < 1 {
				m.Dropout = x
			} else {
				p.add(f.v, "model.dropout", "must be in [0, 1)", got(f.v))
			}
		}
	}
	if f, ok := mm["train"]; ok {
		m.Train = p.train(f.v)
	}
	return m.WithDefaults()
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// train decodes model.train.
func (p *parser) train(n *yaml.Node) TrainSpec {
	var t TrainSpec
	tm := p.object(n, "model.train", trainKeys)
	if f, ok := tm["optimizer"]; ok {
		t.Optimizer, _ = p.enum(f.v, "model.train.optimizer", optimizers)
	}
	if f, ok := tm["lr"]; ok {
		if x, ok := p.float(f.v, "model.train.lr"); ok {
			if x > 0 {
				t.LR = x
			} else {
				p.add(f.v, "model.train.lr", "must be positive", got(f.v))
			}
		}
	}
	if f, ok := tm["momentum"]; ok {
		if x, ok := p.float(f.v, "model.train.momentum"); ok {
			if x >= 0 && x < 1 {
				t.Momentum = x
			} else {
				p.add(f.v, "model.train.momentum", "must be in [0, 1)", got(f.v))
			}
		}
	}
	if f, ok := tm["weight_decay"]; ok {
		if x, ok := p.float(f.v, "model.train.weight_decay"); ok {
			if x >= 0 {
				t.WeightDecay = x
			} else {
				p.add(f.v, "model.train.weight_decay", "must not be negative", got(f.v))
			}
		}
	}
	if f, ok := tm["epochs"]; ok {
		if i, ok := p.int(f.v, "model.train.epochs"); ok {
			if i >= 1 {
				t.Epochs = i
			} else {
				p.add(f.v, "model.train.epochs", "must be at least 1", got(f.v))
			}
		}
	}
	if f, ok := tm["batch_size"]; ok {
		if i, ok := p.int(f.v, "model.train.batch_size"); ok {
			if i >= 0 {
				t.BatchSize = i
			} else {
				p.add(f.v, "model.train.batch_size", "must not be negative (0 means full batch)", got(f.v))
			}
		}
	}
	if f, ok := tm["warm_start"]; ok {
		t.WarmStart, _ = p.bool(f.v, "model.train.warm_start")
	}
	return t
}

// datasetSrc is what the later checks need of a dataset entry as written.
type datasetSrc struct {
	entry, source, params *yaml.Node
	ok                    bool // name and source decoded
	proto                 protoSrc
}

// datasets decodes the dataset list into c and returns where each entry was written.
func (p *parser) datasets(c *Config, top map[string]field, root *yaml.Node) []datasetSrc {
	f, ok := top["datasets"]
	if !ok {
		p.add(root, "datasets", "required key is missing", "")
		return nil
	}
	v := deref(f.v)
	if v.Kind != yaml.SequenceNode || len(v.Content) == 0 {
		p.add(f.v, "datasets", "must be a non-empty list of datasets", got(f.v))
		return nil
	}
	srcs := make([]datasetSrc, len(v.Content))
	first := map[string]int{}
	for i, e := range v.Content {
		path := fmt.Sprintf("datasets[%d]", i)
		src := &srcs[i]
		src.entry = e
		src.proto = protoSrc{at: map[string]loc{}}
		m := p.object(e, path, datasetKeys)
		var ds DatasetSpec
		if m == nil {
			c.Datasets = append(c.Datasets, ds)
			continue
		}
		sourceOK := false
		if f, ok := m["name"]; ok {
			kp := path + ".name"
			if s, ok := p.str(f.v, kp); ok && p.ident(f.v, kp, s) {
				ds.Name = s
				if j, dup := first[s]; dup {
					p.add(f.v, kp, fmt.Sprintf("duplicate dataset name (first at datasets[%d])", j), got(f.v))
				} else {
					first[s] = i
				}
			}
		} else {
			p.add(e, path+".name", "required key is missing", "")
		}
		if f, ok := m["source"]; ok {
			src.source = f.v
			ds.Source, sourceOK = p.str(f.v, path+".source")
		} else {
			p.add(e, path+".source", "required key is missing", "")
		}
		paramsOK := true
		if f, ok := m["params"]; ok {
			src.params = f.v
			before := len(p.errs)
			ds.Params = p.params(f.v, path+".params")
			paramsOK = len(p.errs) == before
		}
		if f, ok := m["protocol"]; ok {
			src.proto = p.protocol(f.v, path+".protocol")
			ds.Protocol = src.proto.o
		}
		src.ok = sourceOK && paramsOK // else Check would report the same keys again
		c.Datasets = append(c.Datasets, ds)
	}
	return srcs
}

// checkDataset asks the datasets package about dataset i and checks its protocol
// against its shape.
func (p *parser) checkDataset(c *Config, i int, src datasetSrc, top protoSrc, topNode *yaml.Node, dir string) {
	path := fmt.Sprintf("datasets[%d]", i)
	ds := c.Datasets[i]
	name := ds.Name // for messages
	if name == "" {
		name = path
	}

	// Where each protocol key of this dataset comes from, and whether it is valid.
	at := func(k string) (loc, bool) {
		if l, ok := src.proto.at[k]; ok {
			return l, true
		}
		if l, ok := top.at[k]; ok {
			return l, true
		}
		return loc{topNode, "protocol." + k}, false
	}
	valid := func(k string) bool {
		o := top.o
		if _, ok := src.proto.at[k]; ok {
			o = src.proto.o
		} else if _, ok := top.at[k]; !ok {
			return k != "budget" // defaults are valid; budget has none
		}
		switch k {
		case "test_fraction":
			return o.TestFraction != nil
		case "initial":
			return o.Initial != nil
		case "batch":
			return o.Batch != nil
		case "budget":
			return o.Budget != nil
		case "initial_sampling":
			return o.InitialSampling != nil
		}
		return true
	}
	if _, ok := at("budget"); !ok {
		p.add(topNode, "protocol.budget", "required key is missing", "")
	}
	pr := c.ProtocolFor(i)
	if valid("batch") && valid("budget") && pr.Budget%pr.Batch != 0 {
		l, _ := at("batch")
		p.add(l.n, l.path, fmt.Sprintf("must divide budget %d", pr.Budget), got(l.n))
	}

	if !src.ok {
		return
	}
	if !slices.Contains(sourceNames(), ds.Source) {
		p.add(src.source, path+".source", unknownName("source", ds.Source, sourceNames()), got(src.source))
		return
	}
	shape, probs := datasets.Check(ds.Source, ds.Params, dir)
	for _, q := range probs {
		switch {
		case q.File != "":
			key := path + ".params"
			if q.Key != "" {
				key += "." + q.Key
			}
			p.errs = append(p.errs, Error{File: q.File, Line: q.Line, Col: q.Col, Key: key, Msg: q.Msg, Got: q.Got})
		case q.Key == "":
			p.add(src.source, path+".source", q.Msg, q.Got)
		default:
			base := src.params
			if base == nil {
				base = src.entry
			}
			p.add(locate(base, q.Key), path+".params."+q.Key, q.Msg, q.Got)
		}
	}
	if len(probs) > 0 {
		return
	}
	if valid("test_fraction") && valid("initial") && valid("budget") {
		pool := shape.N - testCount(shape.N, pr.TestFraction)
		if pr.Initial+pr.Budget > pool {
			l, _ := at("budget")
			p.add(l.n, l.path, fmt.Sprintf("initial %d + budget %d exceeds the %d-row pool of dataset %s",
				pr.Initial, pr.Budget, pool, name), got(l.n))
		}
	}
	if valid("initial") && valid("initial_sampling") && pr.InitialSampling == "per_class" && pr.Initial < shape.Classes {
		l, _ := at("initial")
		p.add(l.n, l.path, fmt.Sprintf("per_class sampling needs at least one point of each of the %d classes of dataset %s",
			shape.Classes, name), got(l.n))
	}
}

// strategies decodes the strategy list into c and runs check on each entry.
func (p *parser) strategies(c *Config, top map[string]field, root *yaml.Node, check StrategyCheck) {
	f, ok := top["strategies"]
	if !ok {
		p.add(root, "strategies", "required key is missing", "")
		return
	}
	v := deref(f.v)
	if v.Kind != yaml.SequenceNode || len(v.Content) == 0 {
		p.add(f.v, "strategies", "must be a non-empty list of strategies", got(f.v))
		return
	}
	first := map[string]int{}
	for i, e := range v.Content {
		path := fmt.Sprintf("strategies[%d]", i)
		var s StrategySpec
		checkOK := true
		labelAt, labelPath := e, path // where the label came from
		ev := deref(e)
		switch {
		case ev.Kind == yaml.ScalarNode:
			if n, ok := p.str(e, path); ok && p.ident(e, path, n) {
				s.Name = n
			}
		case ev.Kind == yaml.MappingNode:
			m := p.object(e, path, strategyKeys)
			if f, ok := m["name"]; ok {
				labelAt, labelPath = f.v, path+".name"
				if n, ok := p.str(f.v, labelPath); ok && p.ident(f.v, labelPath, n) {
					s.Name = n
				}
			} else {
				p.add(e, path+".name", "required key is missing", "")
			}
			if f, ok := m["label"]; ok {
				labelAt, labelPath = f.v, path+".label"
				if l, ok := p.str(f.v, labelPath); ok && p.ident(f.v, labelPath, l) {
					s.Label = l
				}
			}
			if f, ok := m["params"]; ok {
				before := len(p.errs)
				s.Params = p.params(f.v, path+".params")
				checkOK = len(p.errs) == before
			}
		default:
			p.add(e, path, "must be a strategy name or a mapping with name, label and params", got(e))
		}
		if s.Label == "" {
			s.Label = s.Name
		}
		if s.Label != "" {
			switch j, dup := first[s.Label]; {
			case s.Label == "skyline":
				p.add(labelAt, labelPath, "label skyline is reserved for the skyline rows; give the strategy another label", got(labelAt))
			case dup:
				p.add(labelAt, labelPath, fmt.Sprintf("duplicate strategy label (first at strategies[%d]); give one a label", j), got(labelAt))
			default:
				first[s.Label] = i
			}
		}
		c.Strategies = append(c.Strategies, s)
		if check == nil || s.Name == "" || !checkOK {
			continue
		}
		for _, q := range check(s, c.Model) {
			key := path
			if q.Key != "" {
				key += "." + q.Key
			}
			p.add(locate(e, q.Key), key, q.Msg, q.Got)
		}
	}
}

// object checks that n is a mapping whose keys are all in known and returns its
// fields by key, or nil if n is not a mapping.
func (p *parser) object(n *yaml.Node, path string, known []string) map[string]field {
	v := deref(n)
	if v.Kind != yaml.MappingNode {
		msg := "must be a mapping"
		if path == "" {
			msg = "a config must be a mapping of keys to values"
		}
		p.add(n, path, msg, got(n))
		return nil
	}
	m := map[string]field{}
	for _, f := range p.fields(v, path) {
		if !slices.Contains(known, f.key) {
			p.add(f.k, join(path, f.key), unknownKey(f.key, known), "")
			continue
		}
		m[f.key] = f
	}
	return m
}

// fields returns the pairs of mapping n in order, reporting keys that are not
// strings and keys written twice (the first is kept).
func (p *parser) fields(n *yaml.Node, path string) []field {
	var out []field
	first := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		kv := deref(k)
		switch {
		case kv.Kind == yaml.ScalarNode && kv.ShortTag() == "!!merge":
			p.add(k, path, "merge keys (<<) are not supported", "")
			continue
		case kv.Kind != yaml.ScalarNode || kv.ShortTag() != "!!str":
			p.add(k, path, "keys must be strings", got(k))
			continue
		}
		if f, dup := first[kv.Value]; dup {
			p.add(k, join(path, kv.Value), fmt.Sprintf("duplicate key (first at line %d)", f.Line), "")
			continue
		}
		first[kv.Value] = k
		out = append(out, field{kv.Value, k, v})
	}
	return out
}

// params decodes a params mapping into plain Go values; an empty one is nil.
func (p *parser) params(n *yaml.Node, path string) map[string]any {
	if deref(n).Kind != yaml.MappingNode {
		p.add(n, path, "must be a mapping", got(n))
		return nil
	}
	m, _ := p.value(n, path).(map[string]any)
	if len(m) == 0 {
		return nil
	}
	return m
}

// value decodes any YAML value into nil, bool, int, float64, string, []any or
// map[string]any.
func (p *parser) value(n *yaml.Node, path string) any {
	v := deref(n)
	switch v.Kind {
	case yaml.MappingNode:
		m := map[string]any{}
		for _, f := range p.fields(v, path) {
			m[f.key] = p.value(f.v, join(path, f.key))
		}
		return m
	case yaml.SequenceNode:
		s := make([]any, len(v.Content))
		for i, e := range v.Content {
			s[i] = p.value(e, fmt.Sprintf("%s[%d]", path, i))
		}
		return s
	case yaml.ScalarNode:
		var err error
		switch v.ShortTag() {
		case "!!null":
			return nil
		case "!!bool":
			var b bool
			if err = v.Decode(&b); err == nil {
				return b
			}
		case "!!int":
			var i int
			if err = v.Decode(&i); err == nil {
				return i
			}
		case "!!float":
			var x float64
			if err = v.Decode(&x); err == nil {
				return x
			}
		case "!!str", "!!timestamp":
			return v.Value
		}
		p.add(n, path, "unsupported value "+v.ShortTag(), got(n))
	}
	return nil
}

// str decodes a string.
func (p *parser) str(n *yaml.Node, path string) (string, bool) {
	v := deref(n)
	if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!str" {
		p.add(n, path, "must be a string", got(n))
		return "", false
	}
	return v.Value, true
}

// ident checks that s is a valid name or label.
func (p *parser) ident(n *yaml.Node, path, s string) bool {
	if !identRE.MatchString(s) {
		p.add(n, path, "must be letters, digits, '_', '.', '+' or '-', starting with a letter or digit", got(n))
		return false
	}
	return true
}

// enum decodes a string that must be one of choices.
func (p *parser) enum(n *yaml.Node, path string, choices []string) (string, bool) {
	s, ok := p.str(n, path)
	if !ok {
		return "", false
	}
	if !slices.Contains(choices, s) {
		p.add(n, path, "must be "+orList(choices), got(n))
		return "", false
	}
	return s, true
}

// int decodes an integer.
func (p *parser) int(n *yaml.Node, path string) (int, bool) {
	v := deref(n)
	var i int
	if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!int" || v.Decode(&i) != nil {
		p.add(n, path, "must be an integer", got(n))
		return 0, false
	}
	return i, true
}

// float decodes a finite number.
func (p *parser) float(n *yaml.Node, path string) (float64, bool) {
	v := deref(n)
	var x float64
	if v.Kind != yaml.ScalarNode || (v.ShortTag() != "!!int" && v.ShortTag() != "!!float") || v.Decode(&x) != nil {
		p.add(n, path, "must be a number", got(n))
		return 0, false
	}
	if math.IsNaN(x) || math.IsInf(x, 0) {
		p.add(n, path, "must be a finite number", got(n))
		return 0, false
	}
	return x, true
}

// bool decodes true or false.
func (p *parser) bool(n *yaml.Node, path string) (bool, bool) {
	v := deref(n)
	var b bool
	if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!bool" || v.Decode(&b) != nil {
		p.add(n, path, "must be true or false", got(n))
		return false, false
	}
	return b, true
}

// deref follows aliases to the node they name.
func deref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

// got renders a value for an error message.
func got(n *yaml.Node) string {
	v := deref(n)
	switch v.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		parts := make([]string, len(v.Content))
		for i, e := range v.Content {
			if e = deref(e); e.Kind != yaml.ScalarNode {
				return "a list"
			}
			parts[i] = got(e)
		}
		return clip("[" + strings.Join(parts, ", ") + "]")
	case yaml.ScalarNode:
		switch {
		case v.ShortTag() == "!!null":
			return "null"
		case v.Value == "" || v.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 ||
			strings.ContainsFunc(v.Value, func(r rune) bool { return r < ' ' }):
			// Quoted, so that "20" is not mistaken for 20.
			return clip(strconv.Quote(v.Value))
		}
		return clip(v.Value)
	}
	return ""
}

// clip shortens long values in messages.
func clip(s string) string {
	if r := []rune(s); len(r) > 60 {
		return string(r[:57]) + "..."
	}
	return s
}

// locate finds the node a relative key path ("params.committee", "a[2].b") names
// under base, or the deepest node on the way that exists.
func locate(base *yaml.Node, key string) *yaml.Node {
	n := base
	for seg := range strings.SplitSeq(key, ".") {
		name, rest, _ := strings.Cut(seg, "[")
		if name != "" {
			v := deref(n)
			if v.Kind != yaml.MappingNode {
				return n
			}
			found := false
			for i := 0; i+1 < len(v.Content); i += 2 {
				if deref(v.Content[i]).Value == name {
					n, found = v.Content[i+1], true
					break
				}
			}
			if !found {
				return n
			}
		}
		for rest != "" {
			var idx string
			idx, rest, _ = strings.Cut(rest, "]")
			rest = strings.TrimPrefix(rest, "[")
			i, err := strconv.Atoi(idx)
			v := deref(n)
			if err != nil || v.Kind != yaml.SequenceNode || i < 0 || i >= len(v.Content) {
				return n
			}
			n = v.Content[i]
		}
	}
	return n
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// orList renders choices as "a, b or c".
func orList(choices []string) string {
	if len(choices) == 1 {
		return choices[0]
	}
	return strings.Join(choices[:len(choices)-1], ", ") + " or " + choices[len(choices)-1]
}

// unknownKey says a key is unknown and suggests the nearest known one.
func unknownKey(key string, known []string) string {
	return unknownName("key", key, known)
}

// unknownName says a name of some kind is unknown and suggests the nearest known
// one by edit distance, or lists them all when none is near.
func unknownName(kind, name string, known []string) string {
	if best := suggest.Nearest(name, known); best != "" {
		return fmt.Sprintf("unknown %s (did you mean %s?)", kind, best)
	}
	return fmt.Sprintf("unknown %s (known: %s)", kind, strings.Join(known, ", "))
}

// sourceNames lists the dataset sources.
func sourceNames() []string {
	var names []string
	for _, s := range datasets.Sources() {
		names = append(names, s.Name)
	}
	return names
}
