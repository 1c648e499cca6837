package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"albench/experiments"
	"albench/experiments/datasets"
	"albench/harness"
	"albench/internal/atomicfile"
	"albench/learners"
	"albench/nets"
	"albench/results/analysis"
	"albench/strategies"
)

func cmdRun(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	const synopsis = "albench run [-j N] [-out DIR] [-shard I/N|auto] [-force] [-kernel K] CONFIG"
	fs := newFlags("run")
	jobs := fs.Int("j", 0, "trials run at once (0: the number of CPUs)")
	out := fs.String("out", "", "output folder (default runs/<config name>); albench locks it while it runs")
	shard := fs.String("shard", "", "run every N-th job starting at I: I/N, or auto (Slurm array or Kubernetes Indexed Job)")
	force := fs.Bool("force", false, "discard everything in the output folder first (its stored trials too); needed for a folder albench did not write or whose manifest.json cannot be read")
	quiet := fs.Bool("q", false, "no progress lines")
	kernel := fs.String("kernel", "", "numeric kernel: "+strings.Join(append(nets.Kernels(), nets.OptInKernels()...), ", ")+" (default: the fastest this CPU has, "+nets.Kernel()+"; the -f32 sets compute in float32, by name only); results are byte-identical for a given kernel")
	pos, err := parse(fs, synopsis, stdout, args)
	if err != nil {
		return err
	}
	path, err := oneArg("run", pos, "CONFIG")
	if err != nil {
		return err
	}
	if *jobs < 0 {
		return usagef("albench run: -j must be >= 0 (got %d)", *jobs)
	}
	if *kernel != "" {
		if err := nets.SetKernel(*kernel); err != nil {
			return usagef("albench run: -kernel: %v", err)
		}
	}
	sh, err := harness.ParseShard(*shard, os.Getenv)
	if err != nil {
		return usageError{err}
	}
	cfg, text, err := harness.Load(path)
	if err != nil {
		return err
	}
	opts := harness.Options{Jobs: *jobs, Out: *out, Shard: sh, Force: *force}
	if !*quiet {
		opts.Progress, opts.Terminal = stderr, isTerminal(stderr)
	}
	sum, err := harness.Run(ctx, cfg, text, opts)
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("interrupted; %d of %d trials are stored in %s. Run the same command again to resume",
				sum.Skipped+sum.Done, sum.Total, sum.Dir)
		}
		return err
	}
	counts := fmt.Sprintf("%d run, %d reused, %d discarded", sum.Done, sum.Skipped, sum.Discarded)
	if sum.Recomputed > 0 {
		counts += fmt.Sprintf(", %d unusable files recomputed", sum.Recomputed)
	}
	if sum.Discarded > 0 {
		fmt.Fprintf(stderr, "%s/trials.d: %d stored trials are not in this config's grid: kept but unused (-force deletes them)\n", sum.Dir, sum.Discarded)
	}
	if sh.Count > 1 {
		fmt.Fprintf(stdout, "shard %s: %d trials (%s) stored in %s; join the shards with 'albench merge'\n", sh, sum.Total, counts, sum.Dir)
		return nil
	}
	fmt.Fprintf(stdout, "%d trials (%s) -> %s: trials.csv timings.csv queries.csv curves.csv summary.csv report.md figures/\n",
		sum.Total, counts, sum.Dir)
	return nil
}

func cmdValidate(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	const synopsis = "albench validate CONFIG"
	pos, err := parse(newFlags("validate"), synopsis, stdout, args)
	if err != nil {
		return err
	}
	path, err := oneArg("validate", pos, "CONFIG")
	if err != nil {
		return err
	}
	cfg, _, err := harness.Load(path)
	if err != nil {
		return err
	}
	sums := make([]datasetSummary, len(cfg.Datasets))
	for d := range cfg.Datasets {
		if sums[d], err = summarize(cfg, d); err != nil {
			return err
		}
	}
	perSeed, with := len(cfg.Strategies), "no skylines (report.skyline: false)"
	if cfg.Report.Skyline {
		perSeed, with = perSeed+1, "with the skylines"
	}
	n := len(cfg.Datasets) * len(cfg.Seeds) * perSeed
	fmt.Fprintf(stdout, "%s: ok: %d datasets × %d strategies × %d seeds (%d jobs, %s)\n",
		path, len(cfg.Datasets), len(cfg.Strategies), len(cfg.Seeds), n, with)
	// Names left-aligned (padded here), numbers right-aligned.
	nw := len("dataset")
	for _, s := range sums {
		nw = max(nw, len(s.name))
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%-*s\trows\tfeatures\tclasses\tpool\ttest\tinitial\tbudget\trounds\t\n", nw, "dataset")
	for _, s := range sums {
		fmt.Fprintf(tw, "%-*s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t\n", nw, s.name, s.pool+s.test, s.features, s.classes,
			s.pool, s.test, s.initial, s.budget, s.rounds)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, s := range sums {
		for _, w := range s.warnings {
			fmt.Fprintf(stderr, "%s: warning: dataset %s: %s\n", path, s.name, w)
		}
	}
	return nil
}

// datasetSummary is one row of validate's table, with its warnings.
type datasetSummary struct {
	name                                                   string
	pool, test, features, classes, initial, budget, rounds int
	warnings                                               []string
}

// summarize prepares dataset d with the config's first seed (as the run's first
// trial does) and describes it: sizes, and warnings about data that validates
// but is probably not what was meant: a label column that looks continuous
// (more distinct labels than half the rows: each distinct value is a class),
// and a class with fewer rows than it takes to put one in the test set and one
// in the initial set. A generator's class sizes are those of the first seed.
func summarize(cfg *experiments.Config, d int) (datasetSummary, error) {
	seed := 0
	if len(cfg.Seeds) > 0 {
		seed = cfg.Seeds[0]
	}
	s, err := experiments.Prepare(cfg, d, seed)
	if err != nil {
		return datasetSummary{}, fmt.Errorf("dataset %s: %w", cfg.Datasets[d].Name, err)
	}
	out := datasetSummary{
		name: s.Dataset, pool: len(s.PoolY), test: len(s.TestY), features: s.Features, classes: s.Classes,
		initial: len(s.Initial), budget: s.Budget, rounds: s.Rounds,
	}
	rows := out.pool + out.test
	if 2*s.Classes > rows {
		out.warnings = append(out.warnings, fmt.Sprintf(
			"%d distinct labels in %d rows: the label column looks continuous (albench classifies: each distinct value is a class)",
			s.Classes, rows))
	}
	count := make([]int, s.Classes)
	for _, y := range s.PoolY {
		count[y]++
	}
	for _, y := range s.TestY {
		count[y]++
	}
	var small []string // "name (rows)" of the classes with fewer than 2 rows
	for k, c := range count {
		if c < 2 {
			name := strconv.Itoa(k)
			if k < len(s.ClassNames) {
				name = strconv.Quote(s.ClassNames[k])
			}
			small = append(small, fmt.Sprintf("%s (%d row)", name, c))
		}
	}
	// A continuous label explains its small classes: one warning is enough.
	if len(small) > 0 && 2*s.Classes <= rows {
		const show = 5
		list := strings.Join(small[:min(len(small), show)], ", ")
		if len(small) > show {
			list += fmt.Sprintf(", and %d more", len(small)-show)
		}
		out.warnings = append(out.warnings, fmt.Sprintf(
			"%d of %d classes have fewer than 2 rows, too few for one in the test set and one in the initial set: %s",
			len(small), s.Classes, list))
	}
	return out, nil
}

// cmdVersion prints albench's version, the Go version it was built with, the
// platform and the numeric kernel in use.
func cmdVersion(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	const synopsis = "albench version"
	pos, err := parse(newFlags("version"), synopsis, stdout, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("albench version: want no arguments (got %s)", strings.Join(pos, " "))
	}
	fmt.Fprintf(stdout, "albench %s %s %s/%s kernel %s\n", harness.Version, runtime.Version(), runtime.GOOS, runtime.GOARCH, nets.Kernel())
	return nil
}

func cmdList(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	const synopsis = "albench list [models|strategies|sources]"
	pos, err := parse(newFlags("list"), synopsis, stdout, args)
	if err != nil {
		return err
	}
	what := "all"
	if len(pos) == 1 {
		what = pos[0]
	} else if len(pos) > 1 {
		return usagef("albench list: want at most one of models, strategies, sources (got %s)", strings.Join(pos, " "))
	}
	sections := map[string]func(io.Writer){"models": listModels, "strategies": listStrategies, "sources": listSources}
	if what == "all" {
		for i, name := range []string{"models", "strategies", "sources"} {
			if i > 0 {
				fmt.Fprintln(stdout)
			}
			sections[name](stdout)
		}
		return nil
	}
	list, ok := sections[what]
	if !ok {
		return usagef("albench list: unknown list %q (want models, strategies or sources)", what)
	}
	list(stdout)
	return nil
}

// listModels prints every model kind with its keys, defaults and capabilities.
func listModels(w io.Writer) {
	fmt.Fprintln(w, "MODELS (model: {kind: K, key: value, ...}; keys with their defaults)")
	for _, in := range learners.Registry() {
		fmt.Fprintf(w, "%s\n    %s; as %s\n    capabilities: %s\n", in.Kind, in.Summary, in.Equivalent, in.Capabilities)
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		for _, p := range in.Params {
			def := "(none)"
			if p.Default != nil {
				def = fmt.Sprint(p.Default)
			}
			fmt.Fprintf(tw, "    %s=%s\t%s\n", p.Name, def, p.Doc)
		}
		tw.Flush()
	}
}

func listStrategies(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "STRATEGY\tPARAMS (default)\tNEEDS\tPICKS")
	for _, in := range strategies.Registry() {
		var ps, needs []string
		for _, p := range in.Params {
			def := "(none)"
			if p.Default != nil {
				def = fmt.Sprint(p.Default)
			}
			ps = append(ps, p.Name+"="+def)
		}
		for _, c := range in.Needs {
			needs = append(needs, string(c))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", in.Name, dash(strings.Join(ps, " ")), dash(strings.Join(needs, ",")), in.Summary)
	}
	tw.Flush()
}

func listSources(w io.Writer) {
	fmt.Fprintln(w, "SOURCES (params with their defaults)")
	for _, s := range datasets.Sources() {
		var ps []string
		for _, p := range s.Params {
			ps = append(ps, fmt.Sprintf("%s=%s", p.Name, p.Default))
		}
		fmt.Fprintf(w, "%s\n    %s\n    params: %s\n", s.Name, s.Doc, dash(strings.Join(ps, " ")))
	}
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func cmdReport(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	const synopsis = "albench report DIR\n  albench report [-metric M] A B"
	fs := newFlags("report")
	metric := fs.String("metric", "", "with two folders: the metric compared, accuracy, macro_f1 or log_loss (default: A's report.metric)")
	pos, err := parse(fs, synopsis, stdout, args)
	if err != nil {
		return err
	}
	if len(pos) == 2 {
		if *metric != "" && !slices.Contains(analysis.Metrics, *metric) {
			return usagef("albench report: -metric must be accuracy, macro_f1 or log_loss (got %q)", *metric)
		}
		for _, d := range pos {
			if fi, err := os.Stat(d); err != nil || !fi.IsDir() {
				return usagef("albench report: %s is not a folder", d)
			}
		}
		return harness.CompareRuns(stdout, pos[0], pos[1], *metric)
	}
	if *metric != "" {
		return usagef("albench report: -metric compares two folders; DIR's report uses its config's report.metric")
	}
	dir, err := oneArg("report", pos, "DIR")
	if err != nil {
		return err
	}
	if err := harness.Report(dir); err != nil {
		var inc *harness.IncompleteError
		if errors.As(err, &inc) && inc.Done > 0 {
			return fmt.Errorf("partial report of %s: %d of %d trials; resume or merge first", dir, inc.Done, inc.Total)
		}
		return err
	}
	fmt.Fprintf(stdout, "%s: curves.csv summary.csv report.md figures/ rebuilt from trials.csv\n", dir)
	return nil
}

func cmdMerge(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	const synopsis = "albench merge OUT SHARD_DIR..."
	pos, err := parse(newFlags("merge"), synopsis, stdout, args)
	if err != nil {
		return err
	}
	if len(pos) < 2 {
		return usagef("albench merge: want OUT and at least one SHARD_DIR (got %d arguments)", len(pos))
	}
	n, err := harness.Merge(pos[0], pos[1:])
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d trials from %d shards -> %s\n", n, len(pos)-1, pos[0])
	return nil
}

func cmdData(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	const synopsis = "albench data [-dataset NAME] [-seed S] [-out FILE] CONFIG"
	fs := newFlags("data")
	name := fs.String("dataset", "", "dataset name (default: the config's first)")
	seed := fs.Int("seed", 0, "seed")
	out := fs.String("out", "", "output CSV file (default: standard output)")
	pos, err := parse(fs, synopsis, stdout, args)
	if err != nil {
		return err
	}
	path, err := oneArg("data", pos, "CONFIG")
	if err != nil {
		return err
	}
	cfg, _, err := harness.Load(path)
	if err != nil {
		return err
	}
	d := 0
	if *name != "" {
		d = -1
		var names []string
		for i, ds := range cfg.Datasets {
			names = append(names, ds.Name)
			if ds.Name == *name {
				d = i
			}
		}
		if d < 0 {
			return usagef("albench data: -dataset: no dataset %q in %s (have %s)", *name, path, strings.Join(names, ", "))
		}
	}
	setup, err := experiments.Prepare(cfg, d, *seed)
	if err != nil {
		return err
	}
	if *out == "" {
		return experiments.WriteSetupCSV(stdout, setup)
	}
	if err := os.MkdirAll(filepath.Dir(*out), 0o755); err != nil {
		return err
	}
	return atomicfile.Write(*out, func(w io.Writer) error { return experiments.WriteSetupCSV(w, setup) })
}
