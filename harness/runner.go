package harness

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"albench/experiments"
	"albench/nets"
	"albench/results"
)

// Version is albench's version, recorded in manifest.json and the report.
const Version = "0.1.0"

// Options control a run. The zero value runs the whole grid on every CPU into
// results/<name>/.
type Options struct {
	// Jobs bounds the trials run at once; 0 means runtime.NumCPU().
	Jobs int
	// Out is the output folder; "" means results/<config name>.
	Out string
	// Shard selects every Count-th job starting at Index; the zero value is the
	// whole grid.
	Shard Shard
	// Force lets a run reuse a folder written by a different config, discarding
	// its stored trials.
	Force bool
	// Progress receives progress lines; nil is silent.
	Progress io.Writer
	// Terminal makes progress rewrite one line with a carriage return.
	Terminal bool
}

// Shard is a deterministic slice of a grid: the jobs whose position i in the job
// list has i mod Count == Index.
type Shard struct{ Index, Count int }

func (s Shard) String() string {
	if s.Count <= 1 {
		return ""
	}
	return fmt.Sprintf("%d/%d", s.Index, s.Count)
}

// ParseShard reads "I/N", or "auto": I and N from a Slurm job array
// (SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT) or a Kubernetes Indexed Job
// (JOB_COMPLETION_INDEX, with the count in ALBENCH_SHARDS). getenv is os.Getenv in
// the CLI.
func ParseShard(s string, getenv func(string) string) (Shard, error) {
	if s == "" {
		return Shard{}, nil
	}
	var is, ns string
	switch {
	case s == "auto" && getenv("SLURM_ARRAY_TASK_ID") != "":
		is, ns = getenv("SLURM_ARRAY_TASK_ID"), getenv("SLURM_ARRAY_TASK_COUNT")
		if min := getenv("SLURM_ARRAY_TASK_MIN"); min != "" && min != "0" {
			// Arrays declared 1-N number their tasks from 1.
			i, err1 := strconv.Atoi(is)
			m, err2 := strconv.Atoi(min)
			if err1 == nil && err2 == nil {
				is = strconv.Itoa(i - m)
			}
		}
	case s == "auto" && getenv("JOB_COMPLETION_INDEX") != "":
		is, ns = getenv("JOB_COMPLETION_INDEX"), getenv("ALBENCH_SHARDS")
	case s == "auto":
		return Shard{}, errors.New("-shard auto: neither SLURM_ARRAY_TASK_ID nor JOB_COMPLETION_INDEX is set")
	default:
		var ok bool
		is, ns, ok = strings.Cut(s, "/")
		if !ok {
			return Shard{}, fmt.Errorf("-shard: want I/N or auto (got %q)", s)
		}
	}
	i, err1 := strconv.Atoi(is)
	n, err2 := strconv.Atoi(ns)
	if err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
		return Shard{}, fmt.Errorf("-shard: want 0 <= I < N (got index %q, count %q)", is, ns)
	}
	return Shard{Index: i, Count: n}, nil
}

// job is one unit of the grid: a trial, or a skyline when strategy < 0.
type job struct {
	dataset, strategy, seed int
}

// grid lists the jobs of a grid in its one fixed order: per dataset, per seed, the
// skyline and then each strategy. Sharding and assembly both rely on it. Jobs of
// one (dataset, seed) are adjacent so their shared setup is built once and dropped
// soon after, keeping memory bounded by the jobs in flight.
func grid(datasets, strategies int, seeds []int) []job {
	var out []job
	for d := range datasets {
		for _, seed := range seeds {
			out = append(out, job{d, -1, seed})
			for s := range strategies {
				out = append(out, job{d, s, seed})
			}
		}
	}
	return out
}

// jobs lists the config's grid.
func jobs(cfg *experiments.Config) []job {
	return grid(len(cfg.Datasets), len(cfg.Strategies), cfg.Seeds)
}

// gridKeys lists the keys of a grid given by names (from a manifest), in the
// order of grid.
func gridKeys(datasets, strategies []string, seeds []int) []TrialKey {
	js := grid(len(datasets), len(strategies), seeds)
	out := make([]TrialKey, len(js))
	for i, j := range js {
		out[i] = TrialKey{Dataset: datasets[j.dataset], Strategy: results.Skyline, Seed: j.seed}
		if j.strategy >= 0 {
			out[i].Strategy = strategies[j.strategy]
		}
	}
	return out
}

func (j job) key(cfg *experiments.Config) TrialKey {
	k := TrialKey{Dataset: cfg.Datasets[j.dataset].Name, Strategy: results.Skyline, Seed: j.seed}
	if j.strategy >= 0 {
		k.Strategy = cfg.Strategies[j.strategy].Label
	}
	return k
}

// Manifest is manifest.json: what wrote a result folder and how far it got.
type Manifest struct {
	Name           string  `json:"name"`
	ConfigHash     string  `json:"config_hash"`
	AlbenchVersion string  `json:"albench_version"`
	GoVersion      string  `json:"go_version"`
	Kernel         string  `json:"kernel"`
	Shard          string  `json:"shard,omitempty"`
	Started        string  `json:"started"`
	Finished       string  `json:"finished,omitempty"`
	ElapsedSeconds float64 `json:"elapsed_seconds"`
	TrialsTotal    int     `json:"trials_total"`
	TrialsDone     int     `json:"trials_done"`
	// What the report needs besides trials.csv: display order and settings.
	Description string   `json:"description"`
	Datasets    []string `json:"datasets"`
	Strategies  []string `json:"strategies"`
	Seeds       []int    `json:"seeds"`
	Target      float64  `json:"target"`
	Baseline    string   `json:"baseline"`
}

// ErrKernelChanged refuses to resume a folder whose trials were computed with
// another numeric kernel: results are byte-identical for a given kernel only.
var ErrKernelChanged = errors.New("the output folder was written with a different numeric kernel")

// ConfigFile is the copy of the config kept in a result folder, so that report and
// merge know what was run.
const ConfigFile = "config.yaml"

// ErrConfigChanged refuses a folder written by a different config.
var ErrConfigChanged = errors.New("the output folder was written by a different config")

// Summary tells what a run did.
type Summary struct {
	Dir                  string
	Total, Done, Skipped int
	Complete             bool // every job of the grid is stored and the files are assembled
}

// Run executes the config's grid (or the shard's slice of it) with at most
// opts.Jobs trials at once, storing each finished trial as it finishes and skipping
// those a previous run stored. The first failing trial cancels the others; the
// trials already finished stay stored. When every job of the grid is stored, Run
// assembles trials.csv, timings.csv and the report.
func Run(ctx context.Context, cfg *experiments.Config, configText []byte, opts Options) (Summary, error) {
	dir := opts.Out
	if dir == "" {
		dir = filepath.Join("results", cfg.Name)
	}
	sum := Summary{Dir: dir}
	if err := os.MkdirAll(filepath.Join(dir, trialsDir), 0o755); err != nil {
		return sum, err
	}
	hash := cfg.Hash()
	old, err := readManifest(dir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return sum, err
	}
	// resuming: the folder holds trials of this very config and kernel.
	resuming := err == nil && old.ConfigHash == hash && old.Kernel == nets.Kernel()
	switch {
	case err != nil || resuming:
	case old.ConfigHash != hash && !opts.Force:
		return sum, fmt.Errorf("%s: %w (hash %.12s, this config %.12s); use -force to discard its trials", dir, ErrConfigChanged, old.ConfigHash, hash)
	case old.Kernel != nets.Kernel() && !opts.Force:
		return sum, fmt.Errorf("%s: %w (%s, this run %s); run with -kernel %s, or -force to discard its trials",
			dir, ErrKernelChanged, old.Kernel, nets.Kernel(), old.Kernel)
	default: // forced: start afresh
		if err := os.RemoveAll(filepath.Join(dir, trialsDir)); err != nil {
			return sum, err
		}
		if err := os.MkdirAll(filepath.Join(dir, trialsDir), 0o755); err != nil {
			return sum, err
		}
	}
	if err := writeBytes(filepath.Join(dir, ConfigFile), configText); err != nil {
		return sum, err
	}
	stored, err := storedTrials(dir)
	if err != nil {
		return sum, err
	}
	all := jobs(cfg)
	var todo []job
	for i, j := range all {
		if opts.Shard.Count > 1 && i%opts.Shard.Count != opts.Shard.Index {
			continue
		}
		sum.Total++
		if stored[j.key(cfg).fileName()] {
			sum.Skipped++
			continue
		}
		todo = append(todo, j)
	}
	start := time.Now()
	man := Manifest{
		Name: cfg.Name, ConfigHash: hash, AlbenchVersion: Version, GoVersion: runtime.Version(),
		Kernel: nets.Kernel(), Shard: opts.Shard.String(), Started: start.UTC().Format(time.RFC3339),
		TrialsTotal: sum.Total, TrialsDone: sum.Skipped,
		Description: cfg.Description, Seeds: cfg.Seeds, Target: cfg.Target, Baseline: Baseline(cfg),
	}
	for _, d := range cfg.Datasets {
		man.Datasets = append(man.Datasets, d.Name)
	}
	for _, s := range cfg.Strategies {
		man.Strategies = append(man.Strategies, s.Label)
	}
	if err := writeManifest(dir, man); err != nil {
		return sum, err
	}

	prog := newProgress(opts.Progress, opts.Terminal, sum.Total, sum.Skipped, start)
	jobsN := opts.Jobs
	if jobsN <= 0 {
		jobsN = runtime.NumCPU()
	}
	cache := newSetupCache(cfg, todo)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(jobsN)
	var mu sync.Mutex
	for _, j := range todo {
		if gctx.Err() != nil {
			break
		}
		g.Go(func() (err error) {
			key := j.key(cfg)
			defer func() {
				if p := recover(); p != nil {
					err = &TrialError{Key: key, Err: fmt.Errorf("panic: %v\n%s", p, debug.Stack())}
				}
			}()
			td, err := cache.get(j)
			if err != nil {
				return &TrialError{Key: key, Err: err}
			}
			defer cache.release(j)
			var res TrialResult
			if j.strategy < 0 {
				res, err = runSkyline(gctx, cfg, j.dataset, j.seed, td)
			} else {
				res, err = runTrial(gctx, cfg, j.dataset, j.strategy, j.seed, td)
			}
			if err != nil {
				if gctx.Err() != nil && errors.Is(err, context.Canceled) {
					return err
				}
				return &TrialError{Key: key, Err: err}
			}
			if err := saveTrial(dir, res); err != nil {
				return &TrialError{Key: key, Err: fmt.Errorf("storing the result: %w", err)}
			}
			mu.Lock()
			sum.Done++
			prog.step()
			mu.Unlock()
			return nil
		})
	}
	err = g.Wait()
	if err == nil {
		err = ctx.Err()
	}
	prog.finish()
	man.TrialsDone = sum.Skipped + sum.Done
	end := time.Now()
	man.Finished = end.UTC().Format(time.RFC3339)
	if resuming {
		man.ElapsedSeconds = old.ElapsedSeconds // resumed: count the earlier runs too
	}
	man.ElapsedSeconds += end.Sub(start).Seconds()
	if werr := writeManifest(dir, man); err == nil {
		err = werr
	}
	if err != nil {
		return sum, err
	}
	complete, err := Assemble(dir)
	sum.Complete = complete
	return sum, err
}

// Assemble writes trials.csv, timings.csv and the report of dir when every job of
// the grid its manifest describes is stored there; it reports whether it did.
func Assemble(dir string) (bool, error) {
	man, err := readManifest(dir)
	if err != nil {
		return false, err
	}
	text, err := os.ReadFile(filepath.Join(dir, ConfigFile))
	if err != nil {
		return false, err
	}
	// Two passes over the stored trials in trials.csv order, never holding the
	// grid: the first streams trials.csv and timings.csv, the second the analysis.
	// The analysis keeps a little per trial (its accuracy curve, for AULC and
	// labels-to-target); collect garbage eagerly meanwhile, so the peak stays near
	// that rather than at twice it.
	defer debug.SetGCPercent(debug.SetGCPercent(25))
	keys := gridKeys(man.Datasets, man.Strategies, man.Seeds)
	slices.SortFunc(keys, func(a, b TrialKey) int {
		return cmp.Or(cmp.Compare(a.Dataset, b.Dataset), cmp.Compare(a.Strategy, b.Strategy), cmp.Compare(a.Seed, b.Seed))
	})
	tr := trialReader{dir: dir}
	for _, k := range keys {
		if !tr.exists(k) {
			return false, nil
		}
	}
	err = results.WriteFileAtomic(filepath.Join(dir, "trials.csv"), func(tw io.Writer) error {
		return results.WriteFileAtomic(filepath.Join(dir, "timings.csv"), func(mw io.Writer) error {
			trials, timings := results.NewTrialsWriter(tw), results.NewTimingsWriter(mw)
			for _, k := range keys {
				r, _, err := tr.read(k)
				if err != nil {
					return err
				}
				trials.Write(r.Records)
				timings.Write(r.Timings)
			}
			if err := trials.Flush(); err != nil {
				return err
			}
			return timings.Flush()
		})
	})
	if err != nil {
		return false, err
	}
	var readErr error
	recs := func(yield func(results.Record) bool) {
		for _, k := range keys {
			r, _, err := tr.read(k)
			if err != nil {
				readErr = err
				return
			}
			for _, rec := range r.Records {
				// Analyse what trials.csv holds, so `albench report` rebuilds
				// the same files.
				if !yield(results.AsStored(rec)) {
					return
				}
			}
		}
	}
	err = results.WriteAllSorted(dir, recs, reportMeta(man, text))
	if readErr != nil {
		return false, readErr
	}
	return true, err
}

// reportMeta describes the run for the report, from its manifest.
func reportMeta(man Manifest, configText []byte) results.Meta {
	m := results.Meta{
		Name: man.Name, Description: man.Description, ConfigText: string(configText),
		AlbenchVersion: man.AlbenchVersion, GoVersion: man.GoVersion, Kernel: man.Kernel,
		Seeds: man.Seeds, Target: man.Target, Baseline: man.Baseline,
		Datasets: man.Datasets, Strategies: man.Strategies,
		Elapsed: time.Duration(man.ElapsedSeconds * float64(time.Second)),
	}
	if t, err := time.Parse(time.RFC3339, man.Started); err == nil {
		m.Started = t
	}
	return m
}

func readManifest(dir string) (Manifest, error) {
	var m Manifest
	data, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return m, fmt.Errorf("%s: %w", filepath.Join(dir, "manifest.json"), err)
	}
	return m, nil
}

func writeManifest(dir string, m Manifest) error {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return writeBytes(filepath.Join(dir, "manifest.json"), append(data, '\n'))
}

// setupCache builds each (dataset, seed) setup once and drops it when its last job
// has finished.
type setupCache struct {
	cfg     *experiments.Config
	mu      sync.Mutex
	entries map[[2]int]*cacheEntry
}

type cacheEntry struct {
	once    sync.Once
	td      *trialData
	err     error
	pending int
}

func newSetupCache(cfg *experiments.Config, todo []job) *setupCache {
	c := &setupCache{cfg: cfg, entries: make(map[[2]int]*cacheEntry)}
	for _, j := range todo {
		k := [2]int{j.dataset, j.seed}
		if c.entries[k] == nil {
			c.entries[k] = &cacheEntry{}
		}
		c.entries[k].pending++
	}
	return c
}

func (c *setupCache) get(j job) (*trialData, error) {
	c.mu.Lock()
	e := c.entries[[2]int{j.dataset, j.seed}]
	c.mu.Unlock()
	e.once.Do(func() {
		setup, err := experiments.Prepare(c.cfg, j.dataset, j.seed)
		if err != nil {
			e.err = err
			return
		}
		e.td, e.err = newTrialData(c.cfg, j.dataset, j.seed, setup)
	})
	return e.td, e.err
}

func (c *setupCache) release(j job) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := [2]int{j.dataset, j.seed}
	if e := c.entries[k]; e != nil {
		e.pending--
		if e.pending == 0 {
			delete(c.entries, k)
		}
	}
}
