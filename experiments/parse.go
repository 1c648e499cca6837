package experiments

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"gopkg.in/yaml.v3"
)

// This file walks the config schema: the top-level keys, seeds, the protocol,
// the dataset and strategy lists. The YAML helpers are in node.go, the model
// specs in model.go and the checks that involve several keys or the data in
// checks.go.

// StrategyCheck validates one strategy entry against the model it scores with
// (m is s.QueryModel when set, else the task model — the check may also look at
// s.QueryModel itself): the name is registered, the params are known and in
// range, the model has the capabilities the strategy needs. Keys in the returned
// problems are relative to the entry ("name", "params.committee",
// "params.members[1].C"); Parse positions them in the file.
type StrategyCheck func(s StrategySpec, m ModelSpec) []Problem

// maxSeeds bounds "seeds: N" so that a typo cannot ask for a billion trials.
const maxSeeds = 100000

// maxTrials bounds the grid, datasets × strategies × seeds.
const maxTrials = 10_000_000

// maxConfigBytes bounds the size of a config file Load reads.
const maxConfigBytes = 4 << 20

// YAML keys of each mapping, in the order the design lists them.
var (
	topKeys      = []string{"name", "description", "seeds", "target", "datasets", "protocol", "model", "strategies", "report"}
	datasetKeys  = []string{"name", "source", "params", "protocol"}
	protocolKeys = []string{"test_fraction", "split", "standardize", "initial", "batch", "budget", "initial_sampling"}
	strategyKeys = []string{"name", "label", "params", "query_model", "command", "timeout", "files"}
)

// Allowed values of the enumerated keys.
var (
	splits    = []string{"stratified", "random"}
	samplings = []string{"uniform", "stratified", "per_class", "uniform_all_classes"}
)

// Load reads and validates the config at path; see Parse. Every problem is an
// Errors, including a file that cannot be read, is not a regular file or is
// larger than 4 MiB (then positioned at the file alone).
func Load(path string, check StrategyCheck) (*Config, error) {
	data, err := readConfig(path)
	if err != nil {
		return nil, Errors{{File: path, Msg: err.Error()}}
	}
	return Parse(data, path, check)
}

// readConfig reads a regular file of at most maxConfigBytes.
func readConfig(path string) ([]byte, error) {
	// Stat before opening: opening a named pipe blocks until a writer comes.
	if st, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("cannot read the config: %w", unwrapPath(err))
	} else if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("the config must be a regular file (this is a %s)", fileKind(st.Mode()))
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read the config: %w", unwrapPath(err))
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("cannot read the config: %w", unwrapPath(err))
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("the config must be a regular file (this is a %s)", fileKind(st.Mode()))
	}
	data, err := io.ReadAll(io.LimitReader(f, maxConfigBytes+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read the config: %w", unwrapPath(err))
	}
	if len(data) > maxConfigBytes {
		return nil, fmt.Errorf("the config is larger than %d bytes", maxConfigBytes)
	}
	return data, nil
}

// unwrapPath drops the path of a *PathError, which the Error names already.
func unwrapPath(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

func fileKind(m os.FileMode) string {
	switch {
	case m.IsDir():
		return "directory"
	case m&os.ModeNamedPipe != 0:
		return "named pipe"
	case m&os.ModeDevice != 0:
		return "device"
	case m&os.ModeSocket != 0:
		return "socket"
	}
	return "special file"
}

// Parse decodes and validates a config read from filename, which names the file in
// errors and is the base of relative data paths. It is strict: on any problem —
// syntax, an empty file, a second document, duplicate or unknown keys, wrong types,
// missing required keys (name, datasets, strategies, protocol.budget), impossible
// values, model specs rejected by learners.Resolve, dataset params rejected by
// datasets.Check, sizes whose memory estimate exceeds the limit, strategies
// rejected by check, plugins that fail their handshake — it returns a nil Config
// and an Errors listing all of them, each positioned as file:line:col (line ≥ 1
// for every problem in the config itself). A nil check skips the strategy checks
// and starts no plugin (learners.Probe).
//
// The returned Config has every default filled in (see the field docs) and Path set
// to filename.
func Parse(data []byte, filename string, check StrategyCheck) (*Config, error) {
	p := &parser{file: filename, probe: check != nil}
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

// protoSrc is one protocol mapping as written: the valid values, and where each key
// present was written (a present key with a nil value in o was invalid).
type protoSrc struct {
	o  ProtocolOverride
	at map[string]loc
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
				p.add(f.v, "target", "must be in (0, 1]", gotNode(f.v))
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

	model := p.taskModel(c, top, root)

	dsrc := p.datasets(c, top, root)
	ssrc := p.strategies(c, top, root, check, model.ok)
	c.Report = DefaultReport
	if f, ok := top["report"]; ok {
		labels := make([]string, len(c.Strategies))
		for i, s := range c.Strategies {
			labels[i] = s.Label
		}
		c.Report = p.report(f.v, labels)
	}
	p.checkGrid(c, top, root)

	dir := "."
	if p.file != "" {
		dir = filepath.Dir(p.file)
	}
	for i, ds := range dsrc {
		p.checkDataset(c, i, ds, proto, protoNode, dir, model, ssrc)
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
			p.add(f.v, "seeds", fmt.Sprintf("must be between 1 and %d", maxSeeds), gotNode(f.v))
			return nil
		}
		return seq(n)
	case v.Kind == yaml.SequenceNode:
		if len(v.Content) == 0 {
			p.add(f.v, "seeds", "must not be empty", "")
			return nil
		}
		if len(v.Content) > maxSeeds {
			p.add(f.v, "seeds", fmt.Sprintf("must list at most %d seeds (it has %d)", maxSeeds, len(v.Content)), "")
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
				p.add(e, path, "must not be negative", gotNode(e))
				continue
			}
			if j, dup := first[s]; dup {
				p.add(e, path, fmt.Sprintf("duplicate seed (first at seeds[%d])", j), gotNode(e))
				continue
			}
			first[s] = i
			out = append(out, s)
		}
		return out
	default:
		p.add(f.v, "seeds", "must be a number of seeds or a list of seeds", gotNode(f.v))
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
					p.add(f.v, kp, "must be in (0, 1)", gotNode(f.v))
				}
			}
		case "split":
			if v, ok := p.enum(f.v, kp, splits); ok {
				s.o.Split = &v
			}
		case "standardize":
			if b, ok := p.bool(f.v, kp); ok {
				s.o.Standardize = &b
			}
		case "budget":
			if v := deref(f.v); v.Kind == yaml.ScalarNode && v.ShortTag() == "!!str" && v.Value == "all" {
				zero, all := 0, true
				s.o.Budget, s.o.BudgetAll = &zero, &all
				break
			}
			if v := deref(f.v); v.Kind != yaml.ScalarNode || v.ShortTag() != "!!int" {
				p.add(f.v, kp, "must be an integer or all", gotNode(f.v))
				break
			}
			if i, ok := p.int(f.v, kp); ok {
				if i < 1 {
					p.add(f.v, kp, "must be at least 1", gotNode(f.v))
					break
				}
				all := false
				s.o.Budget, s.o.BudgetAll = &i, &all
			}
		case "initial", "batch":
			if i, ok := p.int(f.v, kp); ok {
				if i < 1 {
					p.add(f.v, kp, "must be at least 1", gotNode(f.v))
					break
				}
				if k == "initial" {
					s.o.Initial = &i
				} else {
					s.o.Batch = &i
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
		p.add(f.v, "datasets", "must be a non-empty list of datasets", gotNode(f.v))
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
					p.add(f.v, kp, fmt.Sprintf("duplicate dataset name (first at datasets[%d])", j), gotNode(f.v))
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
			ds.Params, paramsOK = p.mapping(f.v, path+".params")
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

// pluginKeys are the strategy entry keys of the external strategy alone.
var pluginKeys = []string{"command", "timeout", "files"}

// strategyPlugin decodes the command, timeout and files of an external strategy
// entry into s.Plugin, and refuses them in any other entry; it reports whether
// everything was valid.
func (p *parser) strategyPlugin(s *StrategySpec, m map[string]field, e *yaml.Node, path string) bool {
	if s.Name != "external" {
		ok := true
		for _, k := range pluginKeys {
			if f, given := m[k]; given {
				p.add(f.v, path+"."+k, "applies to name: external only (a strategy plugin)", gotNode(f.v))
				ok = false
			}
		}
		return ok
	}
	before := len(p.errs)
	ps := &PluginSpec{Timeout: DefaultPluginTimeout, Dir: p.dir()}
	if f, given := m["command"]; given {
		ps.Command = p.strings(f.v, path+".command", 1)
	} else {
		p.add(e, path+".command", "required key is missing: the plugin's argv, such as [python3, my_strategy.py]", "")
	}
	if f, given := m["files"]; given {
		ps.Files = p.strings(f.v, path+".files", 0)
	}
	if f, given := m["timeout"]; given {
		if x, ok := p.float(f.v, path+".timeout"); ok {
			if x > 0 && x <= 1e6 {
				ps.Timeout = x
			} else {
				p.add(f.v, path+".timeout", "must be in (0, 1e6] seconds", gotNode(f.v))
			}
		}
	}
	if len(p.errs) > before {
		return false
	}
	s.Plugin = ps
	return true
}

// strings decodes a list of at least n non-empty strings.
func (p *parser) strings(n *yaml.Node, path string, least int) []string {
	v := deref(n)
	msg := "must be a list of strings"
	if least > 0 {
		msg = "must be a non-empty list of strings, such as [python3, my_strategy.py]"
	}
	if v.Kind != yaml.SequenceNode || len(v.Content) < least {
		p.add(n, path, msg, gotNode(n))
		return nil
	}
	out := []string{}
	for i, e := range v.Content {
		s, ok := p.str(e, fmt.Sprintf("%s[%d]", path, i))
		if !ok {
			return nil
		}
		if s == "" {
			p.add(e, fmt.Sprintf("%s[%d]", path, i), "must not be empty", gotNode(e))
			return nil
		}
		out = append(out, s)
	}
	return out
}

// dir is the config's directory, the base of relative paths ("." without a file).
func (p *parser) dir() string {
	if p.file == "" {
		return "."
	}
	return filepath.Dir(p.file)
}

// strategySrc is where a strategy entry's query model was written, for the
// memory checks against each dataset.
type strategySrc struct {
	query *modelSrc
}

// strategies decodes the strategy list into c and runs check on each entry
// (unless the task model is invalid, which check would need).
func (p *parser) strategies(c *Config, top map[string]field, root *yaml.Node, check StrategyCheck, modelOK bool) []strategySrc {
	f, ok := top["strategies"]
	if !ok {
		p.add(root, "strategies", "required key is missing", "")
		return nil
	}
	v := deref(f.v)
	if v.Kind != yaml.SequenceNode || len(v.Content) == 0 {
		p.add(f.v, "strategies", "must be a non-empty list of strategies", gotNode(f.v))
		return nil
	}
	srcs := make([]strategySrc, len(v.Content))
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
				var ok bool
				s.Params, ok = p.mapping(f.v, path+".params")
				checkOK = checkOK && ok
			}
			if f, ok := m["query_model"]; ok {
				ms := p.modelSpec(f.v, path+".query_model")
				if ms.ok {
					s.QueryModel = &ModelSpec{Kind: ms.spec.Kind, Params: ms.spec.Params}
					srcs[i].query = &ms
				}
				checkOK = checkOK && ms.ok
			}
			checkOK = p.strategyPlugin(&s, m, e, path) && checkOK
		default:
			p.add(e, path, "must be a strategy name or a mapping with name, label, params and query_model", gotNode(e))
		}
		if s.Name == "external" && s.Plugin == nil && ev.Kind == yaml.ScalarNode {
			p.add(e, path, "the external strategy needs a mapping with command: [name: external, label: ..., command: [...]]", gotNode(e))
			checkOK = false
		}
		if s.Label == "" {
			s.Label = s.Name
		}
		if s.Label != "" {
			switch j, dup := first[s.Label]; {
			case s.Label == "skyline":
				p.add(labelAt, labelPath, "label skyline is reserved for the skyline rows; give the strategy another label", gotNode(labelAt))
			case dup:
				p.add(labelAt, labelPath, fmt.Sprintf("duplicate strategy label (first at strategies[%d]); give one a label", j), gotNode(labelAt))
			default:
				first[s.Label] = i
			}
		}
		c.Strategies = append(c.Strategies, s)
		if check == nil || s.Name == "" || !checkOK {
			continue
		}
		m := c.Model
		if s.QueryModel != nil {
			m = *s.QueryModel
		}
		if !modelOK && s.QueryModel == nil {
			// The task model is invalid (reported): check the name and params
			// against the default model, but not the capabilities, which would
			// be those of the wrong model.
			m = defaultModel()
		}
		for _, q := range check(s, m) {
			if !modelOK && s.QueryModel == nil && q.Key == "" {
				continue
			}
			p.place(e, path, q, false)
		}
	}
	return srcs
}
