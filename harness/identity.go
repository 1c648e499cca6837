package harness

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"albench/experiments"
	"albench/internal/fmath"
	"albench/nets"
	"albench/strategies"
)

// A trial's identity is the hex SHA-256 of a canonical JSON document holding
// everything that determines the bytes of its stored result:
//
//	{"format": identityFormat, "kind": "trial" | "skyline",
//	 "dataset": {name, source, params, protocol (resolved), files: {param: sha256}},
//	 "model": the resolved experiments.ModelSpec,
//	 "strategy": the strategy entry, params' defaults filled in,  (trials only)
//	             its query model included
//	 "seed": S, "numerics": numericsFingerprint()}
//
// Canonical: encoding/json writes struct fields in declaration order, map keys
// sorted and floats in their shortest exact form, so equal specs give equal bytes.
// The label is part of it because it keys the trial's random streams. Left out on
// purpose, since they do not change a trial's bytes: the config's name,
// description, target, the other datasets, strategies and seeds, key order,
// comments and the config's own path. The model is marshalled whole, so every
// field experiments.ModelSpec has counts; a presentation-only key added there
// would have to be cleared in modelIdentity. Dataset params count as written: a
// default spelled out gives another identity (a rerun, never a wrong reuse).
//
// A plugin (docs/plugin-protocol.md §9) counts by its command, its params and
// the SHA-256 of the files its command and `files` name, not by its timeout or
// the config's directory: see modelIdentity and strategyIdentity.
//
// Trial files are named by identity (trials.d/<identity>.json), so a trial is
// reused exactly when its identity is unchanged, and a file of another config
// or of an edited data file is never taken for it.
const identityFormat = "albench-trial-v1"

// dataFileParams are the params that name a file the source reads, relative to
// the config's directory.
var dataFileParams = map[string][]string{"csv": {"path"}, "libsvm": {"path"}}

type datasetIdentity struct {
	Name     string               `json:"name"`
	Source   string               `json:"source"`
	Params   map[string]any       `json:"params"`
	Protocol experiments.Protocol `json:"protocol"`
	Files    map[string]string    `json:"files,omitempty"`
}

// strategyIdentity is the strategy entry whole (experiments.StrategySpec: name,
// label, params and query model, whatever fields it has) with its params'
// defaults filled in; a plugin's part is pluginIdentity, and an external query
// model's is as modelIdentity gives it.
func strategyIdentity(s experiments.StrategySpec) (any, error) {
	s.Params = resolvedParams(s)
	if s.QueryModel != nil && s.QueryModel.Kind == "external" {
		qm, err := modelIdentity(*s.QueryModel)
		if err != nil {
			return nil, fmt.Errorf("query_model: %w", err)
		}
		q := qm.(experiments.ModelSpec)
		s.QueryModel = &q
	}
	if s.Plugin == nil {
		return s, nil
	}
	h, err := pluginFiles(s.Plugin.Command, s.Plugin.Files, s.Plugin.Dir)
	if err != nil {
		return nil, err
	}
	return struct {
		experiments.StrategySpec
		Plugin pluginIdentity // replaces the entry's own Plugin in the JSON
	}{s, pluginIdentity{Command: s.Plugin.Command, Files: s.Plugin.Files, FileSHA256: h}}, nil
}

// pluginIdentity is what identifies a strategy plugin: its command, its extra
// files and the SHA-256 of the files they name (pluginFiles). Its timeout and
// the config's directory are left out: they do not change a trial's bytes.
type pluginIdentity struct {
	Command    []string
	Files      []string
	FileSHA256 map[string]string `json:"file_sha256"`
}

// pluginFiles returns the hex SHA-256 of each element of a plugin's command
// that names an existing regular file, and of each of files, which must exist,
// keyed by the path as written. Relative paths are relative to dir, as the
// plugin sees them (it runs there); command[0] counts only when it has a '/',
// since a bare name (python3) is looked up in PATH.
func pluginFiles(command, files []string, dir string) (map[string]string, error) {
	out := map[string]string{}
	abs := func(p string) string {
		if filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(dir, p)
	}
	for i, a := range command {
		if i == 0 && !strings.Contains(a, "/") {
			continue
		}
		if st, err := os.Stat(abs(a)); err != nil || !st.Mode().IsRegular() {
			continue
		}
		h, err := hashFile(abs(a))
		if err != nil {
			return nil, fmt.Errorf("plugin command: %w", err)
		}
		out[a] = h
	}
	for _, f := range files {
		h, err := hashFile(abs(f))
		if err != nil {
			return nil, fmt.Errorf("plugin files: %w", err)
		}
		out[f] = h
	}
	return out, nil
}

type trialIdentity struct {
	Format   string           `json:"format"`
	Kind     string           `json:"kind"`
	Dataset  *datasetIdentity `json:"dataset"`
	Model    any              `json:"model"`
	Strategy any              `json:"strategy,omitempty"`
	Seed     int              `json:"seed"`
	Numerics string           `json:"numerics"`
}

// numericsFingerprint names what the floating-point results depend on besides the
// config: fmath.Fingerprint of the kernel set in use (kernel set, GOARCH, whether
// it fuses multiply-adds, albench's numeric version).
func numericsFingerprint() string { return fmath.Fingerprint(nets.Kernel()) }

// identity is a trial's identity: the SHA-256 of its identity document. It is
// kept as 32 bytes (a grid of 10,000 trials holds 320 KB of them, not 800 KB of
// hex strings) and written as lowercase hex: in file names, trial files and the
// manifest.
type identity [sha256.Size]byte

func (id identity) String() string { return hex.EncodeToString(id[:]) }

// MarshalText writes id as hex, for JSON.
func (id identity) MarshalText() ([]byte, error) { return hex.AppendEncode(nil, id[:]), nil }

// UnmarshalText reads 64 hex digits.
func (id *identity) UnmarshalText(b []byte) error {
	if len(b) != hex.EncodedLen(len(id)) {
		return fmt.Errorf("identity %.20q: want %d hex digits", b, hex.EncodedLen(len(id)))
	}
	if _, err := hex.Decode(id[:], b); err != nil {
		return fmt.Errorf("identity %.20q: %w", b, err)
	}
	return nil
}

// identities computes the identity of every job of cfg's grid, hashing each data
// file once. It fails if a data file cannot be read or is not a regular file.
func identities(cfg *experiments.Config, js []job) ([]identity, error) {
	out := make([]identity, len(js))
	err := identityDocs(cfg, js, func(i int, doc []byte) { out[i] = sha256.Sum256(doc) })
	return out, err
}

// identityDocs calls fn with the identity document of each job (valid during the
// call only).
func identityDocs(cfg *experiments.Config, js []job, fn func(i int, doc []byte)) error {
	dir := "."
	if cfg.Path != "" {
		dir = filepath.Dir(cfg.Path)
	}
	num := numericsFingerprint()
	model, err := modelIdentity(cfg.Model)
	if err != nil {
		return fmt.Errorf("model: %w", err)
	}
	ds := make([]*datasetIdentity, len(cfg.Datasets))
	for d, spec := range cfg.Datasets {
		di := &datasetIdentity{Name: spec.Name, Source: spec.Source, Params: spec.Params, Protocol: cfg.ProtocolFor(d)}
		for _, key := range dataFileParams[spec.Source] {
			p, ok := spec.Params[key].(string)
			if !ok {
				continue
			}
			if !filepath.IsAbs(p) {
				p = filepath.Join(dir, p)
			}
			h, err := hashFile(p)
			if err != nil {
				return fmt.Errorf("dataset %s: %w", spec.Name, err)
			}
			if di.Files == nil {
				di.Files = map[string]string{}
			}
			di.Files[key] = h
		}
		ds[d] = di
	}
	// Marshal the parts once and write each job's document from them: the same
	// bytes as json.Marshal(trialIdentity{...}), without a grid's worth of garbage.
	part := func(v any) ([]byte, error) { return json.Marshal(v) }
	dsJSON := make([][]byte, len(ds))
	for d := range ds {
		if dsJSON[d], err = part(ds[d]); err != nil {
			return fmt.Errorf("dataset %s: %w", cfg.Datasets[d].Name, err)
		}
	}
	stJSON := make([][]byte, len(cfg.Strategies))
	for s, spec := range cfg.Strategies {
		si, err := strategyIdentity(spec)
		if err == nil {
			stJSON[s], err = part(si)
		}
		if err != nil {
			return fmt.Errorf("strategy %s: %w", spec.Label, err)
		}
	}
	modelJSON, err := part(model)
	if err != nil {
		return fmt.Errorf("model: %w", err)
	}
	numJSON, _ := part(num)
	formatJSON, _ := part(identityFormat)
	var buf []byte
	for i, j := range js {
		buf = append(buf[:0], `{"format":`...)
		buf = append(buf, formatJSON...)
		if j.strategy >= 0 {
			buf = append(buf, `,"kind":"trial"`...)
		} else {
			buf = append(buf, `,"kind":"skyline"`...)
		}
		buf = append(append(buf, `,"dataset":`...), dsJSON[j.dataset]...)
		buf = append(append(buf, `,"model":`...), modelJSON...)
		if j.strategy >= 0 {
			buf = append(append(buf, `,"strategy":`...), stJSON[j.strategy]...)
		}
		buf = strconv.AppendInt(append(buf, `,"seed":`...), int64(j.seed), 10)
		buf = append(append(append(buf, `,"numerics":`...), numJSON...), '}')
		fn(i, buf)
	}
	return nil
}

// modelIdentity is the part of the model spec that counts for identity: all of
// it, except for an external model, whose timeout and directory are dropped and
// which gains "file_sha256", the hashes of the files its command and files name
// (pluginFiles).
func modelIdentity(m experiments.ModelSpec) (any, error) {
	if m.Kind != "external" {
		return m, nil
	}
	p := maps.Clone(m.Params)
	dir, _ := p["dir"].(string)
	delete(p, "dir")
	delete(p, "timeout")
	command, _ := p["command"].([]string)
	files, _ := p["files"].([]string)
	h, err := pluginFiles(command, files, dir)
	if err != nil {
		return nil, err
	}
	p["file_sha256"] = h
	return experiments.ModelSpec{Kind: m.Kind, Params: p}, nil
}

// resolvedParams returns a strategy's params with the registry's defaults filled
// in for absent keys, so that spelling out a default keeps the identity.
func resolvedParams(s experiments.StrategySpec) map[string]any {
	out := map[string]any{}
	for _, in := range strategies.Registry() {
		if in.Name == s.Name {
			for _, p := range in.Params {
				out[p.Name] = p.Default
			}
		}
	}
	for k, v := range s.Params {
		out[k] = v
	}
	return out
}

// maxDataFile bounds the data files hashed for identity.
const maxDataFile = 1 << 34

// hashFile returns the hex SHA-256 of a regular file's bytes.
func hashFile(path string) (string, error) {
	f, err := openRegular(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, io.LimitReader(f, maxDataFile+1))
	if err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	if n > maxDataFile {
		return "", fmt.Errorf("%s: larger than %d bytes", path, int64(maxDataFile))
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// identityOf is the grid entry of a trial in the manifest.
type gridTrial struct {
	Dataset  string `json:"dataset"`
	Strategy string `json:"strategy"`
	Seed     int    `json:"seed"`
	ID       identity
}

func (g gridTrial) key() TrialKey {
	return TrialKey{Dataset: g.Dataset, Strategy: g.Strategy, Seed: g.Seed}
}

// sortGrid sorts g in place into trials.csv order (dataset, strategy, seed) and
// returns it.
func sortGrid(g []gridTrial) []gridTrial {
	slices.SortFunc(g, func(a, b gridTrial) int { return compareKeys(a.key(), b.key()) })
	return g
}
