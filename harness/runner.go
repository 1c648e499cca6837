package harness

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
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
	"albench/internal/atomicfile"
	"albench/nets"
	"albench/plugin"
	"albench/results"
	"albench/results/analysis"
	"albench/results/records"
	"albench/strategies"
)

// Version is albench's version, recorded in manifest.json and the report.
const Version = "0.1.0"

// Options control a run. The zero value runs the whole grid on every CPU into
// runs/<name>/.
type Options struct {
	// Jobs bounds the trials run at once; 0 means runtime.NumCPU().
	Jobs int
	// Out is the output folder; "" means runs/<config name> (DefaultRoot).
	Out string
	// Shard selects every Count-th job starting at Index; the zero value is the
	// whole grid.
	Shard Shard
	// Force discards everything in the output folder first (its stored trials
	// too), and lets a run take a folder that is not albench's or whose manifest
	// cannot be read. Without it, a folder written by another config is reused:
	// its trials whose identity is in this grid count as done, the others are
	// left unused.
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
//
// Without skylines (report.skyline: false) the grid has no skyline jobs.
func grid(datasets, strategies int, seeds []int, skyline bool) []job {
	var out []job
	for d := range datasets {
		for _, seed := range seeds {
			if skyline {
				out = append(out, job{d, -1, seed})
			}
			for s := range strategies {
				out = append(out, job{d, s, seed})
			}
		}
	}
	return out
}

// jobs lists the config's grid.
func jobs(cfg *experiments.Config) []job {
	return grid(len(cfg.Datasets), len(cfg.Strategies), cfg.Seeds, cfg.Report.Skyline)
}

// gridOf lists the jobs of a manifest's grid with their identities, in grid
// order.
func gridOf(m *Manifest) []gridTrial {
	js := grid(len(m.Datasets), len(m.Strategies), m.Seeds, m.Report.Skyline)
	out := make([]gridTrial, len(js))
	for i, j := range js {
		out[i] = m.trial(i, j)
	}
	return out
}

// trial is the grid entry of job j, at position i of m's grid.
func (m *Manifest) trial(i int, j job) gridTrial {
	g := gridTrial{Dataset: m.Datasets[j.dataset], Strategy: records.Skyline, Seed: j.seed, ID: m.Identities[i]}
	if j.strategy >= 0 {
		g.Strategy = m.Strategies[j.strategy]
	}
	return g
}

func (j job) key(cfg *experiments.Config) TrialKey {
	k := TrialKey{Dataset: cfg.Datasets[j.dataset].Name, Strategy: records.Skyline, Seed: j.seed}
	if j.strategy >= 0 {
		k.Strategy = cfg.Strategies[j.strategy].Label
	}
	return k
}

// Manifest is manifest.json: what wrote a result folder and how far it got.
type Manifest struct {
	Name string `json:"name"`
	// ConfigHash is experiments.Config.Hash of the config that wrote the folder
	// last, for information: trials are matched by identity (Grid), not by it.
	ConfigHash     string  `json:"config_hash"`
	AlbenchVersion string  `json:"albench_version"`
	GoVersion      string  `json:"go_version"`
	Kernel         string  `json:"kernel"`
	Numerics       string  `json:"numerics"`
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
	// Oracles are the labels of Strategies that are oracles (strategies.IsOracle):
	// reported apart, never ranked.
	Oracles []string `json:"oracles,omitempty"`
	// Report is the config's report section; DatasetInfo the datasets' sizes
	// for the report's table.
	Report      experiments.Report     `json:"report"`
	DatasetInfo []analysis.DatasetInfo `json:"dataset_info,omitempty"`
	// Identities lists the identity of every job of the config's whole grid (not
	// only a shard's), in grid order (see grid): the trial files that belong to
	// the folder.
	// It is written last, streamed (see writeManifest).
	Identities []identity `json:"-"`
	// Grid is the grid's jobs with their identities, built from the above by
	// readManifest.
	Grid []gridTrial `json:"-"`
}

// ConfigFile is the copy of the config kept in a result folder, so that report and
// merge know what was run.
const ConfigFile = "config.yaml"

// DefaultRoot is the folder under which a run without -out writes: runs/<name>/.
const DefaultRoot = "runs"

// IncompleteError is a result folder whose grid is not all stored: an
// interrupted run, a single shard, or a merge missing shards.
type IncompleteError struct {
	Dir         string
	Done, Total int
	Hint        string // what to do: "resume", "resume or merge first", …
}

func (e *IncompleteError) Error() string {
	return fmt.Sprintf("%s: %d of %d trials; %s", e.Dir, e.Done, e.Total, e.Hint)
}

// Summary tells what a run did.
type Summary struct {
	Dir string
	// Total is the number of jobs of the grid (or of the shard's slice); Skipped
	// of them were reused from the folder and Done were run now.
	Total, Done, Skipped int
	// Recomputed counts reused-looking trial files that were unusable (truncated,
	// empty) and were computed again; Discarded counts stored trial files whose
	// identity is not in this config's grid: kept in trials.d, never used.
	Recomputed, Discarded int
	Complete              bool // every job of the grid is stored and the files are assembled
}

// Run executes the config's grid (or the shard's slice of it) with at most
// opts.Jobs trials at once, storing each finished trial as it finishes under its
// identity and reusing every trial the folder holds with the same identity. The
// folder is locked for the run (a *LockedError if another process has it), and
// refused (ErrFolder) if it is not albench's, unless opts.Force, which discards
// its contents first. The first failing trial cancels the others; the trials
// already finished stay stored. When every job of the grid is stored, Run
// assembles trials.csv, timings.csv, queries.csv and the report; an unsharded run
// that ends without every trial is an *IncompleteError.
func Run(ctx context.Context, cfg *experiments.Config, configText []byte, opts Options) (Summary, error) {
	dir := opts.Out
	if dir == "" {
		dir = filepath.Join(DefaultRoot, cfg.Name)
	}
	sum := Summary{Dir: dir}
	all := jobs(cfg)
	ids, err := identities(cfg, all)
	if err != nil {
		return sum, err
	}
	release, old, resuming, err := claim(dir, opts.Force)
	if err != nil {
		return sum, err
	}
	defer release()
	if err := os.MkdirAll(filepath.Join(dir, trialsDir), 0o777); err != nil {
		return sum, err
	}
	if err := writeBytes(filepath.Join(dir, ConfigFile), configText); err != nil {
		return sum, err
	}
	start := time.Now()
	man := Manifest{
		Name: cfg.Name, ConfigHash: cfg.Hash(), AlbenchVersion: Version, GoVersion: runtime.Version(),
		Kernel: nets.Kernel(), Numerics: numericsFingerprint(), Shard: opts.Shard.String(),
		Started:     start.UTC().Format(time.RFC3339),
		Description: cfg.Description, Seeds: cfg.Seeds, Target: cfg.Target, Baseline: Baseline(cfg),
		Report: cfg.Report,
	}
	for _, d := range cfg.Datasets {
		man.Datasets = append(man.Datasets, d.Name)
	}
	for _, s := range cfg.Strategies {
		man.Strategies = append(man.Strategies, s.Label)
		if strategies.IsOracle(s.Name) {
			man.Oracles = append(man.Oracles, s.Label)
		}
	}
	// The run keeps the grid as jobs and identities (56 bytes a job) and builds
	// each grid entry when it needs it.
	man.Identities = ids
	infos := &datasetInfos{}
	if resuming {
		man.ElapsedSeconds = old.ElapsedSeconds // count the earlier runs in this folder too
		// The table of the setups earlier runs prepared, for the datasets still
		// in the config.
		for _, in := range old.DatasetInfo {
			if slices.Contains(man.Datasets, in.Name) {
				infos.add(in)
			}
		}
		man.DatasetInfo = infos.get()
	}
	// The manifest is written before any trial: from here on the folder is this
	// config's.
	if err := writeManifest(dir, man); err != nil {
		return sum, err
	}
	stored, err := storedTrials(dir)
	if err != nil {
		return sum, err
	}
	sum.Discarded = len(stored)
	for _, id := range ids {
		if stored[trialFile(id)] {
			sum.Discarded--
		}
	}
	tr := newTrialReader(dir, man)
	var todo []int32 // the grid positions of the jobs to run
	for i, j := range all {
		if opts.Shard.Count > 1 && i%opts.Shard.Count != opts.Shard.Index {
			continue
		}
		sum.Total++
		g := man.trial(i, j)
		if stored[trialFile(g.ID)] {
			_, ok, err := tr.read(g)
			var bad *BadTrialError
			switch {
			case ok:
				sum.Skipped++
				continue
			case errors.As(err, &bad):
				// A truncated or empty trial file is not a finished trial.
				if opts.Progress != nil {
					fmt.Fprintf(opts.Progress, "recomputing trial (%s): %s: %v\n", g.key(), bad.Path, bad.Err)
				}
				if err := os.Remove(bad.Path); err != nil {
					return sum, err
				}
				sum.Recomputed++
			case err != nil:
				return sum, err
			}
		}
		todo = append(todo, int32(i))
	}
	man.TrialsTotal, man.TrialsDone = sum.Total, sum.Skipped
	if err := writeManifest(dir, man); err != nil {
		return sum, err
	}

	prog := newProgress(opts, cfg, all, todo, start)
	jobsN := opts.Jobs
	if jobsN <= 0 {
		jobsN = runtime.NumCPU()
	}
	cache := newSetupCache(cfg, all, todo)
	cache.infos = infos
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(jobsN)
	var mu sync.Mutex
	saved := make([]bool, len(all)) // by grid position: the trials this run stored
	for _, at := range todo {
		if gctx.Err() != nil {
			break
		}
		j, id := all[at], ids[at]
		g.Go(func() (err error) {
			key := j.key(cfg)
			defer func() {
				if p := recover(); p != nil {
					err = &TrialError{Key: key, Err: fmt.Errorf("panic: %v\n%s", p, debug.Stack())}
				}
			}()
			defer cache.release(j)
			if err := gctx.Err(); err != nil {
				return err // cancelled while queued
			}
			td, err := cache.get(j)
			if err != nil {
				return &TrialError{Key: key, Err: err}
			}
			var res TrialResult
			// A plugin of the trial learns which trial it serves and where its
			// stderr goes from the context.
			tctx := plugin.WithTrial(gctx, plugin.Trial{Dataset: key.Dataset, Label: key.Strategy, Seed: key.Seed, LogDir: filepath.Join(dir, logsDir)})
			if j.strategy < 0 {
				res, err = runSkyline(tctx, cfg, j.dataset, j.seed, td)
			} else {
				res, err = runTrial(tctx, cfg, j.dataset, j.strategy, j.seed, td)
			}
			collect() // the trial's buffers are garbage now
			if err != nil {
				if gctx.Err() != nil && errors.Is(err, context.Canceled) {
					return err
				}
				return &TrialError{Key: key, Err: err}
			}
			// A finished trial is stored even when the run is being cancelled.
			if err := saveTrial(dir, id, res); err != nil {
				return &TrialError{Key: key, Err: fmt.Errorf("storing the result: %w", err)}
			}
			mu.Lock()
			saved[at] = true
			sum.Done++
			prog.step(at)
			mu.Unlock()
			return nil
		})
	}
	err = g.Wait()
	if err == nil {
		err = ctx.Err()
	}
	prog.finish()
	if removed, cerr := recheckData(dir, cfg, all, ids, saved); cerr != nil {
		sum.Done -= removed
		err = cerr
	}
	man.TrialsDone = sum.Skipped + sum.Done
	man.DatasetInfo = infos.get()
	end := time.Now()
	man.Finished = end.UTC().Format(time.RFC3339)
	man.ElapsedSeconds += end.Sub(start).Seconds()
	if werr := writeManifest(dir, man); err == nil {
		err = werr
	}
	if err != nil {
		return sum, err
	}
	if opts.Shard.Count > 1 {
		return sum, nil // a shard never assembles: merge does
	}
	complete, err := Assemble(dir)
	sum.Complete = complete
	if err == nil && !complete {
		err = &IncompleteError{Dir: dir, Done: man.TrialsDone, Total: sum.Total, Hint: "resume with the same command"}
	}
	return sum, err
}

// recheckData hashes the data files again after the trials ran: a file edited
// meanwhile may have given some trials the new data under the old identity. The
// trials this run stored (saved, by grid position) for a dataset whose identity
// changed are removed, and the run fails naming the dataset; removed counts them.
func recheckData(dir string, cfg *experiments.Config, all []job, ids []identity, saved []bool) (removed int, err error) {
	if !slices.Contains(saved, true) {
		return 0, nil
	}
	now, err := identities(cfg, all)
	if err != nil {
		return 0, err
	}
	var changed []string
	for i, j := range all {
		if now[i] == ids[i] {
			continue
		}
		if name := cfg.Datasets[j.dataset].Name; !slices.Contains(changed, name) {
			changed = append(changed, name)
		}
		if saved[i] {
			if err := os.Remove(filepath.Join(dir, trialsDir, trialFile(ids[i]))); err != nil {
				return removed, err
			}
			saved[i] = false
			removed++
		}
	}
	if len(changed) > 0 {
		return removed, fmt.Errorf("the data file of dataset %s changed during the run: its trials of this run were removed; run again", strings.Join(changed, ", "))
	}
	return 0, nil
}

// Assemble writes trials.csv, timings.csv, queries.csv and the report of dir when
// every job of the grid its manifest describes is stored there; it reports
// whether it did. A trial file that cannot be used is a *BadTrialError.
func Assemble(dir string) (bool, error) {
	man, err := readManifest(dir)
	if err != nil {
		return false, err
	}
	if len(man.Grid) == 0 {
		return false, fmt.Errorf("%s: %s lists no grid (written by an older albench?): run the config again with -force", dir, manifestFile)
	}
	text, err := os.ReadFile(filepath.Join(dir, ConfigFile))
	if err != nil {
		return false, err
	}
	// Two passes over the stored trials in trials.csv order, never holding the
	// grid: the first streams trials.csv, timings.csv and queries.csv, the second
	// the analysis. The analysis keeps a little per trial (its accuracy curve, for
	// AULC and labels-to-target); collect garbage eagerly meanwhile, so the peak
	// stays near that rather than at twice it.
	defer debug.SetGCPercent(debug.SetGCPercent(25))
	grid := sortGrid(man.Grid)
	tr := newTrialReader(dir, man)
	for _, g := range grid {
		if !tr.exists(g) {
			return false, nil
		}
	}
	costs := costSums{}
	err = atomicfile.Write(filepath.Join(dir, "trials.csv"), func(tw io.Writer) error {
		return atomicfile.Write(filepath.Join(dir, "timings.csv"), func(mw io.Writer) error {
			return atomicfile.Write(filepath.Join(dir, "queries.csv"), func(qw io.Writer) error {
				trials, timings, queries := records.NewWriter[records.Record](tw), records.NewWriter[records.Timing](mw), records.NewWriter[records.Query](qw)
				clear(costs)
				for _, g := range grid {
					r, ok, err := tr.read(g)
					if err != nil {
						return err
					}
					if !ok {
						return fmt.Errorf("%s: trial (%s) vanished while assembling", dir, g.key())
					}
					trials.Write(r.Records)
					timings.Write(r.Timings)
					costs.add(r.Timings)
					queries.Write(r.Queries)
				}
				if err := trials.Flush(); err != nil {
					return err
				}
				if err := timings.Flush(); err != nil {
					return err
				}
				return queries.Flush()
			})
		})
	})
	if err != nil {
		return false, err
	}
	meta := reportMeta(man, text)
	meta.Costs = costs.costs()
	if err := analyse(dir, tr, grid, meta); err != nil {
		return false, err
	}
	return true, nil
}

// analyse writes the analysis of the stored trials of grid (in trials.csv order),
// streamed from their files.
func analyse(dir string, tr *trialReader, grid []gridTrial, meta analysis.Meta) error {
	var readErr error
	recs := func(yield func(records.Record) bool) {
		for _, g := range grid {
			r, _, err := tr.read(g)
			if err != nil {
				readErr = err
				return
			}
			for _, rec := range r.Records {
				// Analyse what trials.csv holds, so `albench report` rebuilds
				// the same files.
				if !yield(records.AsStored(rec)) {
					return
				}
			}
		}
	}
	err := results.WriteAllSorted(dir, recs, meta)
	if readErr != nil {
		return readErr
	}
	return err
}

func compareKeys(a, b TrialKey) int {
	return cmp.Or(cmp.Compare(a.Dataset, b.Dataset), cmp.Compare(a.Strategy, b.Strategy), cmp.Compare(a.Seed, b.Seed))
}

// reportMeta describes the run for the report, from its manifest.
func reportMeta(man Manifest, configText []byte) analysis.Meta {
	m := analysis.Meta{
		Name: man.Name, Description: man.Description, ConfigText: string(configText),
		AlbenchVersion: man.AlbenchVersion, GoVersion: man.GoVersion, Kernel: man.Kernel,
		Seeds: man.Seeds, Target: man.Target, Baseline: man.Baseline,
		Datasets: man.Datasets, Strategies: man.Strategies, Oracles: man.Oracles,
		Elapsed:          time.Duration(man.ElapsedSeconds * float64(time.Second)),
		Metric:           man.Report.Metric,
		Band:             man.Report.Band,
		WidthIn:          man.Report.WidthIn,
		Delta:            man.Report.Delta,
		DatasetInfo:      man.DatasetInfo,
		FigureStrategies: man.Report.Strategies,
	}
	if t, err := time.Parse(time.RFC3339, man.Started); err == nil {
		m.Started = t
	}
	return m
}

func readManifest(dir string) (Manifest, error) {
	// A manifest without a report section (albench before it had one) had the
	// default: skylines, accuracy.
	m := Manifest{Report: experiments.DefaultReport}
	path := filepath.Join(dir, manifestFile)
	data, err := os.ReadFile(path)
	if err != nil {
		return m, err
	}
	var ids struct {
		Identities []identity `json:"identities"`
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return m, fmt.Errorf("%s cannot be read: %w", path, err)
	}
	if err := json.Unmarshal(data, &ids); err != nil {
		return m, fmt.Errorf("%s cannot be read: %w", path, err)
	}
	m.Identities = ids.Identities
	if len(m.Identities) > 0 {
		perSeed := len(m.Strategies)
		if m.Report.Skyline {
			perSeed++
		}
		if n := len(m.Datasets) * len(m.Seeds) * perSeed; n != len(m.Identities) {
			return m, fmt.Errorf("%s cannot be read: %d identities for a grid of %d jobs", path, len(m.Identities), n)
		}
		m.Grid = gridOf(&m)
	}
	return m, nil
}

// writeManifest writes m to dir/manifest.json: its fields, then "identities", a
// grid's worth of them, streamed to the file rather than marshalled into memory
// with the rest.
func writeManifest(dir string, m Manifest) error {
	head, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	head = bytes.TrimSuffix(head, []byte("\n}"))
	return atomicfile.Write(filepath.Join(dir, manifestFile), func(f io.Writer) error {
		w := bufio.NewWriter(f)
		w.Write(head)
		w.WriteString(",\n  \"identities\": [")
		var buf [2*sha256.Size + 8]byte
		for i, id := range m.Identities {
			b := append(buf[:0], ',')
			if i == 0 {
				b = b[:0]
			}
			b = append(b, "\n    \""...)
			b = hex.AppendEncode(b, id[:])
			w.Write(append(b, '"'))
		}
		if len(m.Identities) > 0 {
			w.WriteString("\n  ")
		}
		w.WriteString("]\n}\n")
		return w.Flush()
	})
}

// setupCache builds each (dataset, seed) setup once and drops it when its last job
// has finished.
type setupCache struct {
	cfg     *experiments.Config
	mu      sync.Mutex
	entries map[[2]int]*cacheEntry
	infos   *datasetInfos // the report's dataset table, from the setups built
}

type cacheEntry struct {
	once    sync.Once
	td      *trialData
	err     error
	pending int
}

func newSetupCache(cfg *experiments.Config, all []job, todo []int32) *setupCache {
	c := &setupCache{cfg: cfg, entries: make(map[[2]int]*cacheEntry)}
	for _, at := range todo {
		j := all[at]
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
		collect() // Prepare's temporaries are garbage now
		if e.err == nil && c.infos != nil {
			c.infos.add(infoOf(setup, j.seed))
		}
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
