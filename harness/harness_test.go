package harness

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"albench/experiments"
	"albench/nets"
	"albench/results"
	"albench/results/figures"
)

// tiny is a small but complete config: two datasets, three strategies, three
// seeds, an MLP retrained each round.
const tiny = `name: tiny
seeds: 3
datasets:
  - name: blobs
    source: make_blobs
    params: {n_samples: 120, n_features: 4, centers: 3}
  - name: moons
    source: make_moons
    params: {n_samples: 100, noise: 0.2}
    protocol: {budget: 8}
protocol:
  test_fraction: 0.3
  standardize: true
  initial: 6
  batch: 2
  budget: 10
model:
  kind: mlp
  hidden: [8]
  activation: tanh
  train: {optimizer: adam, lr: 0.05, epochs: 20}
strategies:
  - random
  - margin
  - {name: entropy, label: ent}
`

func load(t *testing.T, text string) (*experiments.Config, []byte) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "c.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, raw, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return cfg, raw
}

func runTo(t *testing.T, cfg *experiments.Config, raw []byte, dir string, opts Options) Summary {
	t.Helper()
	opts.Out = dir
	sum, err := Run(context.Background(), cfg, raw, opts)
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

func read(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRunWritesEveryRound(t *testing.T) {
	cfg, raw := load(t, tiny)
	dir := t.TempDir()
	sum := runTo(t, cfg, raw, dir, Options{Jobs: 2})
	// 2 datasets × 3 seeds × (3 strategies + skyline)
	if sum.Total != 24 || sum.Done != 24 || !sum.Complete {
		t.Fatalf("summary %+v", sum)
	}
	lines := strings.Split(strings.TrimSpace(string(read(t, filepath.Join(dir, "trials.csv")))), "\n")
	// blobs: 10/2+1 = 6 rounds, moons: 8/2+1 = 5 rounds; per seed and strategy; plus one skyline row per dataset and seed.
	want := 1 + 3*3*(6+5) + 2*3
	if len(lines) != want {
		t.Fatalf("trials.csv has %d lines, want %d", len(lines), want)
	}
	if lines[0] != "dataset,strategy,seed,round,n_labeled,accuracy,macro_f1,log_loss" {
		t.Fatalf("header %q", lines[0])
	}
	for _, f := range []string{"timings.csv", "curves.csv", "summary.csv", "report.md", "manifest.json", "config.yaml"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
}

// TestRound0IsPaired checks design §3: every strategy of a seed starts from the
// same data, initial set and weights, so round 0 is the same row for all of them.
func TestRound0IsPaired(t *testing.T) {
	cfg, raw := load(t, tiny)
	dir := t.TempDir()
	runTo(t, cfg, raw, dir, Options{Jobs: 2})
	round0 := map[string]string{}
	for _, l := range strings.Split(string(read(t, filepath.Join(dir, "trials.csv"))), "\n")[1:] {
		f := strings.Split(l, ",")
		if len(f) < 8 || f[3] != "0" || f[1] == "skyline" {
			continue
		}
		k := f[0] + "/" + f[2]
		v := strings.Join(f[4:], ",")
		if old, ok := round0[k]; ok && old != v {
			t.Errorf("%s: round 0 differs between strategies: %s vs %s", k, old, v)
		}
		round0[k] = v
	}
	if len(round0) != 6 {
		t.Fatalf("found round 0 for %d (dataset, seed) pairs, want 6", len(round0))
	}
}

func TestByteIdenticalAcrossJobs(t *testing.T) {
	cfg, raw := load(t, tiny)
	a, b := t.TempDir(), t.TempDir()
	runTo(t, cfg, raw, a, Options{Jobs: 1})
	runTo(t, cfg, raw, b, Options{Jobs: 8})
	for _, f := range []string{"trials.csv", "queries.csv", "curves.csv", "summary.csv"} {
		if !bytes.Equal(read(t, filepath.Join(a, f)), read(t, filepath.Join(b, f))) {
			t.Errorf("%s differs between -j 1 and -j 8", f)
		}
	}
}

func TestShardsMergeToTheSingleRun(t *testing.T) {
	cfg, raw := load(t, tiny)
	single := t.TempDir()
	runTo(t, cfg, raw, single, Options{Jobs: 2})
	var dirs []string
	for i := range 4 {
		d := t.TempDir()
		sum := runTo(t, cfg, raw, d, Options{Jobs: 1, Shard: Shard{Index: i, Count: 4}})
		if sum.Complete {
			t.Fatalf("shard %d claims the whole grid", i)
		}
		dirs = append(dirs, d)
	}
	out := t.TempDir()
	n, err := Merge(out, dirs)
	if err != nil {
		t.Fatal(err)
	}
	if n != 24 {
		t.Fatalf("merged %d trials, want 24", n)
	}
	for _, f := range []string{"trials.csv", "queries.csv", "curves.csv", "summary.csv"} {
		if !bytes.Equal(read(t, filepath.Join(single, f)), read(t, filepath.Join(out, f))) {
			t.Errorf("%s of the merged shards differs from the single run", f)
		}
	}
	if _, err := Merge(t.TempDir(), dirs[:3]); err == nil || !strings.Contains(err.Error(), "18 of 24") {
		t.Errorf("merging 3 of 4 shards: err %v, want a count of the missing trials", err)
	}
}

func TestResumeAfterCancelIsByteIdentical(t *testing.T) {
	cfg, raw := load(t, tiny)
	full := t.TempDir()
	runTo(t, cfg, raw, full, Options{Jobs: 2})

	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	go func() { // cancel once a few trials are stored
		for {
			ents, _ := os.ReadDir(filepath.Join(dir, trialsDir))
			if len(ents) >= 5 {
				cancel()
				return
			}
			time.Sleep(time.Millisecond)
		}
	}()
	sum, err := Run(ctx, cfg, raw, Options{Jobs: 2, Out: dir})
	if err == nil || !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled run: err %v", err)
	}
	if sum.Complete {
		t.Fatal("a cancelled run assembled its results")
	}
	sum = runTo(t, cfg, raw, dir, Options{Jobs: 2})
	if sum.Skipped < 5 || sum.Skipped+sum.Done != 24 {
		t.Fatalf("resume: %+v", sum)
	}
	for _, f := range []string{"trials.csv", "queries.csv"} {
		if !bytes.Equal(read(t, filepath.Join(full, f)), read(t, filepath.Join(dir, f))) {
			t.Errorf("resumed %s differs from an uninterrupted run", f)
		}
	}
}

// TestForceStartsAfresh: -force discards the folder's stored trials and files.
func TestForceStartsAfresh(t *testing.T) {
	cfg, raw := load(t, tiny)
	dir := t.TempDir()
	runTo(t, cfg, raw, dir, Options{Jobs: 2})
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644)
	sum := runTo(t, cfg, raw, dir, Options{Jobs: 2, Force: true})
	if sum.Skipped != 0 || sum.Done != 24 {
		t.Fatalf("forced run reused old trials: %+v", sum)
	}
	if _, err := os.Stat(filepath.Join(dir, "notes.txt")); err == nil {
		t.Error("-force kept a file of the old folder")
	}
}

func TestDivergingTrialIsNamed(t *testing.T) {
	cfg, raw := load(t, `name: diverge
seeds: 2
datasets:
  - {name: synthetic, source: make_classification, params: {n_samples: 1000, n_features: 20, n_informative: 15}}
protocol: {initial: 10, batch: 10, budget: 20}
model: {hidden: [32, 16], train: {optimizer: sgd, lr: 1e6, epochs: 50}}
strategies: [random]
`)
	_, err := Run(context.Background(), cfg, raw, Options{Jobs: 1, Out: t.TempDir()})
	var te *TrialError
	if !errors.As(err, &te) || !errors.Is(err, nets.ErrDiverged) {
		t.Fatalf("err %v, want a TrialError wrapping nets.ErrDiverged", err)
	}
	if !strings.Contains(err.Error(), "dataset synthetic") || !strings.Contains(err.Error(), "seed ") {
		t.Fatalf("error does not name the trial: %v", err)
	}
}

func TestUnwritableOutput(t *testing.T) {
	cfg, raw := load(t, tiny)
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o644)
	if _, err := Run(context.Background(), cfg, raw, Options{Out: filepath.Join(file, "sub")}); err == nil {
		t.Fatal("no error for an output folder inside a file")
	}
}

func TestParseShard(t *testing.T) {
	env := map[string]string{}
	get := func(k string) string { return env[k] }
	for _, c := range []struct {
		in   string
		env  map[string]string
		want Shard
		bad  bool
	}{
		{in: "", want: Shard{}},
		{in: "2/4", want: Shard{2, 4}},
		{in: "4/4", bad: true},
		{in: "x", bad: true},
		{in: "auto", bad: true},
		{in: "auto", env: map[string]string{"SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_COUNT": "8"}, want: Shard{3, 8}},
		{in: "auto", env: map[string]string{"SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_COUNT": "8", "SLURM_ARRAY_TASK_MIN": "1"}, want: Shard{2, 8}},
		{in: "auto", env: map[string]string{"JOB_COMPLETION_INDEX": "1", "ALBENCH_SHARDS": "2"}, want: Shard{1, 2}},
	} {
		env = c.env
		got, err := ParseShard(c.in, get)
		if (err != nil) != c.bad || (!c.bad && got != c.want) {
			t.Errorf("ParseShard(%q, %v) = %v, %v", c.in, c.env, got, err)
		}
	}
}

func TestRandomBaselineIsAlwaysThere(t *testing.T) {
	cfg, _ := load(t, strings.Replace(tiny, "  - random\n", "", 1))
	if got := Baseline(cfg); got != "random" {
		t.Fatalf("baseline %q, want random added", got)
	}
	cfg, _ = load(t, strings.Replace(tiny, "  - random\n", "  - {name: random, label: rnd}\n", 1))
	if got := Baseline(cfg); got != "rnd" || len(cfg.Strategies) != 3 {
		t.Fatalf("baseline %q with %d strategies, want the configured rnd and no extra", got, len(cfg.Strategies))
	}
}

// TestAnotherKernelGivesOtherIdentities: trials of another numeric kernel are
// never reused; they stay in trials.d unused.
func TestAnotherKernelGivesOtherIdentities(t *testing.T) {
	if len(nets.Kernels()) < 2 {
		t.Skip("this CPU has one kernel")
	}
	defer nets.SetKernel(nets.Kernel())
	cfg, raw := load(t, tiny)
	dir := t.TempDir()
	runTo(t, cfg, raw, dir, Options{Jobs: 2})
	other := nets.Kernels()[0]
	if other == nets.Kernel() {
		other = nets.Kernels()[1]
	}
	if err := nets.SetKernel(other); err != nil {
		t.Fatal(err)
	}
	if sum := runTo(t, cfg, raw, dir, Options{Jobs: 2}); sum.Skipped != 0 || sum.Discarded != 24 {
		t.Fatalf("run with another kernel: %+v, want nothing reused and 24 discarded", sum)
	}
}

// TestReportRebuildsTheRunsFiles checks that `albench report` (Report), which
// has only trials.csv, writes the very files the run wrote.
func TestReportRebuildsTheRunsFiles(t *testing.T) {
	// Every format here (TestMain keeps SVG alone for the other tests).
	defer func(f []string) { results.FigureFormats = f }(results.FigureFormats)
	results.FigureFormats = figures.Formats
	cfg, raw := load(t, tiny)
	dir := t.TempDir()
	runTo(t, cfg, raw, dir, Options{Jobs: 2})
	files := []string{"curves.csv", "summary.csv", "ranks.csv", "pairwise.csv", "report.md", "figures/grid.png", "figures/delta-aulc.svg", "figures/cd-wilcoxon.pdf"}
	before := map[string][]byte{}
	for _, f := range files {
		before[f] = read(t, filepath.Join(dir, f))
		os.Remove(filepath.Join(dir, f))
	}
	if err := Report(dir); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if !bytes.Equal(before[f], read(t, filepath.Join(dir, f))) {
			t.Errorf("%s rebuilt from trials.csv differs from the run's", f)
		}
	}
}
