// Package experiments defines what an albench experiment is: the YAML config, its
// strict validation, the grid of (dataset, strategy, seed) trials and the data each
// trial starts from (design §2 and §3, steps 1–3).
//
// A config is read with Load or Parse, which report every problem at once as
// positioned Errors. A parsed Config has every default filled in, so its fields can
// be read directly. Prepare builds, splits, standardizes and seeds one trial's data;
// it depends only on (dataset, seed), so every strategy sees the same start.
package experiments

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"reflect"
	"slices"
	"strconv"
)

// Defaults filled in by Parse for keys a config leaves out. The model's defaults
// belong to its kind and live in the learners registry (learners.Resolve).
const (
	DefaultSeeds        = 10   // seeds 0..9
	DefaultTarget       = 0.95 // labels-to-target fraction of the skyline
	DefaultTestFraction = 0.3
	DefaultSplit        = "stratified"
	DefaultInitial      = 10
	DefaultBatch        = 1
	DefaultSampling     = "uniform"
)

// Config is one experiment: datasets × strategies × seeds under one protocol and model.
// Parse fills in every default, so a parsed Config holds concrete values.
type Config struct {
	// Name labels the experiment; results go to results/<Name>/. Required.
	// Names, dataset names and strategy labels are letters, digits, '_', '.', '+'
	// and '-', starting with a letter or digit, at most 100 bytes, since they end
	// up in file names.
	Name string
	// Description is free text for the report.
	Description string
	// Seeds lists the trial seeds. YAML: an int N means 0..N-1 (1 ≤ N ≤ 100000), or
	// a list of distinct non-negative ints. Omitted: DefaultSeeds, i.e. 0..9.
	Seeds []int
	// Target is the fraction of a seed's skyline accuracy that labels-to-target
	// waits for, in (0, 1]. Zero means DefaultTarget, 0.95.
	Target float64
	// Datasets lists the datasets, at least one, with distinct names. Required.
	Datasets []DatasetSpec
	// Protocol is the active-learning protocol shared by all datasets; a dataset may
	// override any key (see ProtocolFor).
	Protocol Protocol
	// Model is the task model: the classifier trained every round and scored on
	// the test set. YAML: a mapping with kind (default mlp) and the kind's keys
	// (learners.Registry); omitted, the default mlp.
	Model ModelSpec
	// Strategies lists the query strategies, at least one, with distinct labels.
	// Required. YAML item: a name ("margin") or {name, label, params, query_model}.
	Strategies []StrategySpec
	// Report is how the results are analysed and drawn (metric, band, figure
	// width, strategies drawn); omitted, DefaultReport. Not part of any trial's
	// identity.
	Report Report
	// Path is the file the config came from ("" if none). Relative data paths
	// (csv sources) are resolved against its directory. Not part of the YAML.
	Path string
}

// DatasetSpec is one dataset entry.
type DatasetSpec struct {
	// Name labels the dataset in every output and keys its random streams. Required.
	Name string
	// Source is the generator or data set: make_classification, make_moons,
	// make_circles, make_blobs, iris, wine, breast_cancer, digits or csv. Required.
	Source string
	// Params are the source's parameters (scikit-learn's names and defaults for the
	// generators; path and label for csv). Values are int, float64, string, bool,
	// nil, []any or map[string]any.
	Params map[string]any
	// Protocol overrides keys of Config.Protocol for this dataset alone.
	Protocol ProtocolOverride
}

// Protocol is the active-learning protocol of a trial (design §3).
// The zero value of each field means its default; Parse and ProtocolFor fill them in.
type Protocol struct {
	// TestFraction is the hold-out taken first, in (0, 1): ⌈TestFraction·N⌉ rows
	// (see Prepare). Zero means DefaultTestFraction, 0.3.
	TestFraction float64
	// Split is how the hold-out is drawn: "stratified" (by class, like
	// StratifiedShuffleSplit) or "random" (a plain shuffle of all rows, like
	// train_test_split without stratify). "" means DefaultSplit, "stratified".
	Split string
	// Standardize z-scores every feature with the pool's mean and population std.
	// Default false.
	Standardize bool
	// Initial is the number of pool points labeled before the first round, ≥ 1.
	// Zero means DefaultInitial, 10.
	Initial int
	// Batch is the number of points queried per round, ≥ 1. With a numeric Budget
	// it divides Budget. Zero means DefaultBatch, 1.
	Batch int
	// Budget is the number of points queried in total, ≥ 1, when BudgetAll is
	// false; rounds = Budget/Batch. YAML: an integer, or "all". Required:
	// initial + budget must fit in the pool.
	Budget int
	// BudgetAll (YAML "budget: all") queries the whole pool after the initial
	// set: the budget of a trial is then its pool size minus Initial, known only
	// once the data is split (Setup.Budget), and Budget is 0. The trial runs
	// ⌈budget/Batch⌉ rounds, the last one querying what is left (fewer than
	// Batch points when Batch does not divide the budget).
	BudgetAll bool
	// InitialSampling is how the initial set is drawn: "uniform", "stratified",
	// "per_class" or "uniform_all_classes" (see Prepare). "" means
	// DefaultSampling, "uniform".
	InitialSampling string
}

// ProtocolOverride holds a dataset's own protocol keys; nil means "as Config.Protocol".
// Budget and BudgetAll are set together: a dataset's budget replaces the shared
// one whether either is a number or all.
type ProtocolOverride struct {
	TestFraction    *float64
	Split           *string
	Standardize     *bool
	Initial         *int
	Batch           *int
	Budget          *int
	BudgetAll       *bool
	InitialSampling *string
}

// ModelSpec is a model as the learners registry resolved it: the kind and every
// one of its keys, with defaults filled in and values in canonical types. It is
// what `model:` and a strategy's `query_model:` decode to.
type ModelSpec struct {
	// Kind is a registered kind (learners.Kinds), such as "mlp" or "svm";
	// Params["kind"] holds the same value.
	Kind string
	// Params is learners.Resolve's output for the spec as written, "kind"
	// included, so it can be passed as is to learners.New and learners.Caps.
	// Values are int, float64, string, bool, []int or map[string]any (an mlp's
	// train mapping, resolved in the same way).
	Params map[string]any
}

// StrategySpec is one strategy entry.
type StrategySpec struct {
	// Name is the registered strategy name, such as "margin". Required.
	Name string
	// Label names the strategy in outputs; it defaults to Name. Labels are distinct
	// and never "skyline", which is reserved for the skyline rows.
	Label string
	// Params are the strategy's parameters, checked by the StrategyCheck given to
	// Parse. Values are as in DatasetSpec.Params, nested lists and mappings
	// included (qbc's members: [{kind: logreg, ...}, ...]).
	Params map[string]any
	// QueryModel is the model the strategy scores with, trained on the same
	// labeled set as the task model (YAML query_model, same schema as model); nil
	// means the task model (Config.Model). Accuracy is always the task model's.
	QueryModel *ModelSpec
	// Plugin is the program of the external strategy (name external, YAML keys
	// command, timeout and files of the entry); nil for every other strategy.
	Plugin *PluginSpec `json:",omitempty"`
}

// PluginSpec is how to run a strategy plugin (docs/plugin-protocol.md). An
// external model's are keys of its ModelSpec.Params instead, with the same names.
type PluginSpec struct {
	// Command is the plugin's argv, at least one element. Required.
	Command []string
	// Files lists more files whose bytes are part of the trial identity.
	Files []string
	// Timeout bounds each call, in seconds (DefaultPluginTimeout). It does not
	// change a trial's result, so it is not part of its identity.
	Timeout float64 `json:"-"`
	// Dir is the config's directory: the plugin's working directory and the base
	// of relative paths in Command and Files. Not part of the identity.
	Dir string `json:"-"`
}

// DefaultPluginTimeout is a plugin's timeout per call, in seconds, when the
// config gives none.
const DefaultPluginTimeout = 60.0

// WithDefaults returns p with every zero field that has a default filled in.
func (p Protocol) WithDefaults() Protocol {
	if p.TestFraction == 0 {
		p.TestFraction = DefaultTestFraction
	}
	if p.Split == "" {
		p.Split = DefaultSplit
	}
	if p.Initial == 0 {
		p.Initial = DefaultInitial
	}
	if p.Batch == 0 {
		p.Batch = DefaultBatch
	}
	if p.InitialSampling == "" {
		p.InitialSampling = DefaultSampling
	}
	return p
}

// Rounds is the number of query rounds of a trial whose budget (Setup.Budget)
// is budget: ⌈budget/batch⌉, the last round querying budget − (rounds−1)·batch
// points. It panics if batch < 1.
func Rounds(budget, batch int) int {
	if batch < 1 {
		panic(fmt.Sprintf("experiments: batch %d < 1", batch))
	}
	if budget <= 0 {
		return 0
	}
	return (budget-1)/batch + 1
}

// ProtocolFor returns the protocol of dataset d: Config.Protocol with the dataset's
// overrides applied and defaults filled in. It panics if d is out of range.
func (c *Config) ProtocolFor(d int) Protocol {
	if d < 0 || d >= len(c.Datasets) {
		panic(fmt.Sprintf("experiments: dataset index %d out of range [0, %d)", d, len(c.Datasets)))
	}
	return apply(c.Protocol, c.Datasets[d].Protocol).WithDefaults()
}

// apply returns p with the fields set in o replaced.
func apply(p Protocol, o ProtocolOverride) Protocol {
	if o.TestFraction != nil {
		p.TestFraction = *o.TestFraction
	}
	if o.Split != nil {
		p.Split = *o.Split
	}
	if o.Standardize != nil {
		p.Standardize = *o.Standardize
	}
	if o.Initial != nil {
		p.Initial = *o.Initial
	}
	if o.Batch != nil {
		p.Batch = *o.Batch
	}
	if o.Budget != nil {
		p.Budget = *o.Budget
	}
	if o.BudgetAll != nil {
		p.BudgetAll = *o.BudgetAll
	}
	if o.InitialSampling != nil {
		p.InitialSampling = *o.InitialSampling
	}
	return p
}

// Trial is one (dataset, strategy, seed) run: indices into Config.Datasets and
// Config.Strategies, and the seed value itself.
type Trial struct {
	Dataset, Strategy int
	Seed              int
}

// Grid lists every trial in a fixed order: dataset-major, then strategy, then seed,
// each in config order.
func (c *Config) Grid() []Trial {
	g := make([]Trial, 0, len(c.Datasets)*len(c.Strategies)*len(c.Seeds))
	for d := range c.Datasets {
		for s := range c.Strategies {
			for _, seed := range c.Seeds {
				g = append(g, Trial{Dataset: d, Strategy: s, Seed: seed})
			}
		}
	}
	return g
}

// Hash returns the hex SHA-256 of a canonical encoding of the parsed config: every
// field but Path, map keys sorted, values tagged with their types. Comments, key
// order, spelling (seeds: 3 or [0, 1, 2]) and defaults written out or left implicit
// do not change it; any changed value does.
func (c *Config) Hash() string {
	h := sha256.New()
	b := []byte("albench-config-v1\n")
	b = canon(b, reflect.ValueOf(*c))
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil))
}

// canon appends a canonical, type-tagged encoding of v to b.
func canon(b []byte, v reflect.Value) []byte {
	switch v.Kind() {
	case reflect.Invalid:
		return append(b, "nil"...)
	case reflect.Interface, reflect.Pointer:
		if v.IsNil() {
			return append(b, "nil"...)
		}
		return canon(b, v.Elem())
	case reflect.Struct:
		b = append(b, '{')
		t := v.Type()
		for i := range t.NumField() {
			if t == reflect.TypeFor[Config]() && t.Field(i).Name == "Path" {
				continue
			}
			b = append(b, t.Field(i).Name...)
			b = append(b, ':')
			b = canon(b, v.Field(i))
			b = append(b, ';')
		}
		return append(b, '}')
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			return append(b, "nil"...)
		}
		b = append(b, '[')
		for i := range v.Len() {
			b = canon(b, v.Index(i))
			b = append(b, ',')
		}
		return append(b, ']')
	case reflect.Map:
		if v.IsNil() {
			return append(b, "nil"...)
		}
		type kv struct {
			k string
			v reflect.Value
		}
		var kvs []kv
		for it := v.MapRange(); it.Next(); {
			kvs = append(kvs, kv{string(canon(nil, it.Key())), it.Value()})
		}
		slices.SortFunc(kvs, func(x, y kv) int {
			switch {
			case x.k < y.k:
				return -1
			case x.k > y.k:
				return 1
			}
			return 0
		})
		b = append(b, "map{"...)
		for _, e := range kvs {
			b = append(b, e.k...)
			b = append(b, ':')
			b = canon(b, e.v)
			b = append(b, ';')
		}
		return append(b, '}')
	case reflect.String:
		return strconv.AppendQuote(append(b, 's'), v.String())
	case reflect.Bool:
		return strconv.AppendBool(append(b, 'b'), v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.AppendInt(append(b, 'i'), v.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.AppendUint(append(b, 'u'), v.Uint(), 10)
	case reflect.Float32, reflect.Float64:
		return strconv.AppendFloat(append(b, 'f'), v.Float(), 'g', -1, 64)
	default:
		return fmt.Appendf(append(b, '?'), "%#v", v.Interface())
	}
}
