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

// Defaults filled in by Parse for keys a config leaves out.
const (
	DefaultSeeds        = 10   // seeds 0..9
	DefaultTarget       = 0.95 // labels-to-target fraction of the skyline
	DefaultTestFraction = 0.3
	DefaultInitial      = 10
	DefaultBatch        = 1
	DefaultSampling     = "uniform"
	DefaultKind         = "mlp"
	DefaultActivation   = "relu"
	DefaultOptimizer    = "sgd"
	DefaultLR           = 0.01
	DefaultEpochs       = 1
)

// DefaultHidden is the hidden-layer widths of an mlp whose config omits hidden:
// the 20-32-16-2 network of the PyTorch tutorial.
var DefaultHidden = []int{32, 16}

// Config is one experiment: datasets × strategies × seeds under one protocol and model.
// Parse fills in every default, so a parsed Config holds concrete values.
type Config struct {
	// Name labels the experiment; results go to results/<Name>/. Required.
	// Names, dataset names and strategy labels are letters, digits, '_', '.', '+'
	// and '-', starting with a letter or digit, since they end up in file names.
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
	// Model is the classifier and how it is trained.
	Model ModelSpec
	// Strategies lists the query strategies, at least one, with distinct labels.
	// Required. YAML item: a name ("margin") or {name, label, params}.
	Strategies []StrategySpec
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
	// TestFraction is the stratified hold-out taken first, in (0, 1).
	// Zero means DefaultTestFraction, 0.3.
	TestFraction float64
	// Standardize z-scores every feature with the pool's mean and population std.
	// Default false.
	Standardize bool
	// Initial is the number of pool points labeled before the first round, ≥ 1.
	// Zero means DefaultInitial, 10.
	Initial int
	// Batch is the number of points queried per round, ≥ 1, dividing Budget.
	// Zero means DefaultBatch, 1.
	Batch int
	// Budget is the number of points queried in total, ≥ 1; rounds = Budget/Batch.
	// Required: initial + budget must fit in the pool.
	Budget int
	// InitialSampling is how the initial set is drawn: "uniform", "stratified" or
	// "per_class" (see Prepare). "" means DefaultSampling, "uniform".
	InitialSampling string
}

// ProtocolOverride holds a dataset's own protocol keys; nil means "as Config.Protocol".
type ProtocolOverride struct {
	TestFraction    *float64
	Standardize     *bool
	Initial         *int
	Batch           *int
	Budget          *int
	InitialSampling *string
}

// ModelSpec is the classifier. The zero value of each field means its default;
// Parse fills them in.
type ModelSpec struct {
	// Kind is "mlp" or "logreg" (softmax regression). "" means DefaultKind, "mlp".
	Kind string
	// Hidden lists the hidden-layer widths of an mlp, each ≥ 1; an mlp has at least
	// one hidden layer and a logreg none. Omitted for an mlp: DefaultHidden, [32, 16].
	Hidden []int
	// Activation is "relu" or "tanh". "" means DefaultActivation, "relu".
	Activation string
	// Dropout is the dropout probability of the hidden layers, in [0, 1); bald needs
	// it above zero. Default 0.
	Dropout float64
	// Train is how the model is trained each round.
	Train TrainSpec
}

// TrainSpec is how a model is trained. The zero value of each field means its
// default; Parse fills them in.
type TrainSpec struct {
	// Optimizer is "sgd" or "adam". "" means DefaultOptimizer, "sgd".
	Optimizer string
	// LR is the learning rate, > 0. Zero means DefaultLR, 0.01.
	LR float64
	// Momentum is the SGD momentum, in [0, 1). Default 0.
	Momentum float64
	// WeightDecay is the L2 penalty, ≥ 0. Default 0.
	WeightDecay float64
	// Epochs is the number of passes over the labeled set per round, ≥ 1.
	// Zero means DefaultEpochs, 1.
	Epochs int
	// BatchSize is the minibatch size, ≥ 0; 0 means full batch. Default 0.
	BatchSize int
	// WarmStart keeps the weights between rounds (the tutorial does); false
	// re-initialises them from the trial's seed each round. Default false.
	WarmStart bool
}

// StrategySpec is one strategy entry.
type StrategySpec struct {
	// Name is the registered strategy name, such as "margin". Required.
	Name string
	// Label names the strategy in outputs; it defaults to Name. Labels are distinct
	// and never "skyline", which is reserved for the skyline rows.
	Label string
	// Params are the strategy's parameters, checked by the StrategyCheck given to
	// Parse. Values are as in DatasetSpec.Params.
	Params map[string]any
}

// WithDefaults returns p with every zero field that has a default filled in.
func (p Protocol) WithDefaults() Protocol {
	if p.TestFraction == 0 {
		p.TestFraction = DefaultTestFraction
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

// WithDefaults returns m with every zero field that has a default filled in.
// Hidden is filled only for an mlp whose Hidden is nil.
func (m ModelSpec) WithDefaults() ModelSpec {
	if m.Kind == "" {
		m.Kind = DefaultKind
	}
	if m.Kind == "mlp" && m.Hidden == nil {
		m.Hidden = slices.Clone(DefaultHidden)
	}
	if m.Activation == "" {
		m.Activation = DefaultActivation
	}
	if m.Train.Optimizer == "" {
		m.Train.Optimizer = DefaultOptimizer
	}
	if m.Train.LR == 0 {
		m.Train.LR = DefaultLR
	}
	if m.Train.Epochs == 0 {
		m.Train.Epochs = DefaultEpochs
	}
	return m
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
