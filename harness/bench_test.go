package harness

import (
	"context"
	"testing"

	"albench/experiments"
	"albench/nets"
	"albench/strategies"
	"albench/streams"
)

// The benchmarks of issue 7 that need a whole trial's context: each strategy's
// Select on the bench data, and one whole trial of each shipped protocol. They read
// the repository's own configs, so they follow any change to them. The kernels'
// benchmarks (one epoch, the probabilities of a 1000-point pool) are in nets.
//
//	go test -run '^$' -bench . -benchmem ./harness/
//
// GFLOP/s counts the matrix products of the model (nets.Net's *FLOPs methods) and
// is reported only where they are the work: not for random, coreset, badge or
// density, whose cost is mostly distances the count leaves out.

// benchConfig loads a repository config and returns it with the index of its
// dataset named "synthetic".
func benchConfig(b *testing.B, path string) (*experiments.Config, int) {
	b.Helper()
	cfg, _, err := Load(path)
	if err != nil {
		b.Fatal(err)
	}
	for d, ds := range cfg.Datasets {
		if ds.Name == "synthetic" {
			return cfg, d
		}
	}
	b.Fatalf("%s has no dataset named synthetic", path)
	return nil, 0
}

func benchTrialData(b *testing.B, cfg *experiments.Config, d, seed int) *trialData {
	b.Helper()
	setup, err := experiments.Prepare(cfg, d, seed)
	if err != nil {
		b.Fatal(err)
	}
	td, err := newTrialData(cfg, d, seed, setup)
	if err != nil {
		b.Fatal(err)
	}
	return td
}

func reportGFLOPs(b *testing.B, flops float64) {
	if flops > 0 {
		b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
	}
}

// selectFLOPs is the model work of one Select of a registered strategy with its
// default params, or 0 where that is not most of the cost.
func selectFLOPs(info strategies.Info, net *nets.Net, epochs, labeled, unlabeled int) float64 {
	param := func(name string) int {
		for _, p := range info.Params {
			if p.Name == name {
				return p.Default.(int)
			}
		}
		panic("harness: strategy " + info.Name + " has no param " + name)
	}
	switch info.Name {
	case "least_confidence", "margin", "entropy":
		return net.ForwardFLOPs(unlabeled)
	case "bald":
		return float64(param("samples")) * net.ForwardFLOPs(unlabeled)
	case "egl":
		return net.GradNormsFLOPs(unlabeled)
	case "qbc":
		// Each member trains on a bootstrap resample of the labeled set, then scores
		// the unlabeled rows.
		return float64(param("committee")) * (float64(epochs)*net.TrainFLOPs(labeled) + net.ForwardFLOPs(unlabeled))
	}
	return 0
}

// BenchmarkSelect times one Select of each registered strategy, with its default
// params, on the synthetic dataset of configs/bench.yaml (seed 0: standardized
// make_classification 1000×20, a pool of 700) with 110 rows labeled and the
// bench's model (20-32-16-2, dropout 0.1) trained on them with the bench's Adam.
// The strategy value is reused across iterations, as across the rounds of a trial,
// so caches keyed on the pool are warm.
func BenchmarkSelect(b *testing.B) {
	cfg, d := benchConfig(b, "../configs/bench.yaml")
	const seed = 0
	td := benchTrialData(b, cfg, d, seed)
	proto := cfg.ProtocolFor(d)
	epochs := trainEpochs(cfg)

	// The initial set plus 100 rows drawn uniformly: the labeled set of the last round.
	rng := streams.New("bench", "select")
	isLabeled := make([]bool, td.pool.Rows)
	labeled := append([]int(nil), td.setup.Initial...)
	for _, i := range labeled {
		isLabeled[i] = true
	}
	for _, i := range rng.Perm(td.pool.Rows) {
		if len(labeled) == 110 {
			break
		}
		if !isLabeled[i] {
			isLabeled[i] = true
			labeled = append(labeled, i)
		}
	}
	labels := make([]int, len(labeled))
	for j, i := range labeled {
		labels[j] = td.setup.PoolY[i]
	}
	var unlabeled []int
	for i := range td.pool.Rows {
		if !isLabeled[i] {
			unlabeled = append(unlabeled, i)
		}
	}

	sess, err := td.learner.NewSession(&td.pool, []*nets.Matrix{&td.test}, td.setup.Classes, initStream(td.setup.Dataset, seed, ""))
	if err != nil {
		b.Fatal(err)
	}
	m, err := sess.Fit(context.Background(), labeled, labels, rng)
	if err != nil {
		b.Fatal(err)
	}
	net := m.(*nets.Net)
	fit := fitter(td.learner, td.setup.Classes)

	for _, info := range strategies.Registry() {
		b.Run(info.Name, func(b *testing.B) {
			strat, err := strategies.New(info.Name, nil)
			if err != nil {
				b.Fatal(err)
			}
			q := strategies.Query{
				Pool: &td.pool, Unlabeled: unlabeled, Labeled: labeled, Labels: labels,
				Classes: td.setup.Classes, Model: net, Fit: fit, Batch: proto.Batch,
				Rand: streams.New("bench", "select", info.Name), TieRank: td.tieRank,
			}
			if info.Oracle {
				q.Oracle = &strategies.Oracle{Test: &td.test, TestY: td.setup.TestY, PoolY: td.setup.PoolY}
			}
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				picks, err := strat.Select(ctx, q)
				if err != nil {
					b.Fatal(err)
				}
				if err := checkPicks(picks, proto.Batch, isLabeled, len(unlabeled)); err != nil {
					b.Fatal(err)
				}
			}
			reportGFLOPs(b, selectFLOPs(info, net, epochs, len(labeled), len(unlabeled)))
		})
	}
}

// trialFLOPs is the model work of a finished trial: per round, the training
// epochs on the labeled set, the test-set evaluation and, but in the last round,
// the strategy's scoring of the unlabeled pool (a forward pass, as least
// confidence does).
func trialFLOPs(res TrialResult, net *nets.Net, epochs, pool, test int) float64 {
	f := 0.0
	for i, r := range res.Records {
		f += float64(epochs)*net.TrainFLOPs(r.NLabeled) + net.ForwardFLOPs(test)
		if i < len(res.Records)-1 {
			f += net.ForwardFLOPs(pool - r.NLabeled)
		}
	}
	return f
}

// benchmarkTrial times runTrial for one strategy of a config's synthetic dataset,
// seed 0; the data, split and initial weights are built once, outside the timer.
func benchmarkTrial(b *testing.B, path, strategy string) {
	cfg, d := benchConfig(b, path)
	benchmarkTrialOf(b, cfg, d, strategy)
}

// benchmarkTrialOf is benchmarkTrial on a loaded config's dataset d.
func benchmarkTrialOf(b *testing.B, cfg *experiments.Config, d int, strategy string) {
	const seed = 0
	s := -1
	for i, spec := range cfg.Strategies {
		if spec.Label == strategy {
			s = i
		}
	}
	if s < 0 {
		b.Fatalf("the config has no strategy %s", strategy)
	}
	td := benchTrialData(b, cfg, d, seed)
	ctx := context.Background()
	var res TrialResult
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if res, err = runTrial(ctx, cfg, d, s, seed, td); err != nil {
			b.Fatal(err)
		}
	}
	init, err := td.learner.Fit(ctx, &nets.Matrix{Rows: 1, Cols: td.pool.Cols, Data: td.pool.Row(0)}, []int{0}, td.setup.Classes, streams.New("bench", "shape"))
	if err != nil {
		b.Fatal(err)
	}
	switch cfg.Strategies[s].Name {
	case "least_confidence", "margin", "entropy": // the strategies whose query is trialFLOPs's forward pass
		reportGFLOPs(b, trialFLOPs(res, init.(*nets.Net), trainEpochs(cfg), td.pool.Rows, td.test.Rows))
	}
}

// One trial of the tutorial protocol (configs/tutorial.yaml): least confidence,
// 30 rounds of one SGD step and one query.
func BenchmarkTrialTutorial(b *testing.B) {
	benchmarkTrial(b, "../configs/tutorial.yaml", "least_confidence")
}

// One trial of the sound protocol (configs/bench.yaml) on its synthetic dataset:
// least confidence, 11 rounds of 200 Adam epochs from the initial weights.
func BenchmarkTrialSound(b *testing.B) {
	benchmarkTrial(b, "../configs/bench.yaml", "least_confidence")
}

// One trial of the sound protocol (configs/bench.yaml's model and protocol) on its
// synthetic dataset grown to a 10,000-row pool (make_classification 14,286 × 20,
// 30% held out), least confidence: issue 16's measure of the share of the CPU's
// FP64 peak (BenchmarkPeakFMA in nets) a whole trial reaches.
//
//	go test -run '^$' -bench 'TrialSoundPool' ./harness/
func BenchmarkTrialSoundPool10k(b *testing.B) {
	cfg, d := benchConfig(b, "../configs/bench.yaml")
	cfg.Datasets[d].Params["n_samples"] = 14286
	benchmarkTrialOf(b, cfg, d, "least_confidence")
}

// One trial of each strategy of compare/large.yaml (the sound protocol on a
// 70,000-row pool), the albench side of make compare-large in a benchmark, for
// profiles (-cpuprofile).
func BenchmarkTrialLarge(b *testing.B) {
	cfg, _, err := Load("../compare/large.yaml")
	if err != nil {
		b.Fatal(err)
	}
	for _, spec := range cfg.Strategies {
		b.Run(spec.Label, func(b *testing.B) { benchmarkTrialOf(b, cfg, 0, spec.Label) })
	}
}

// trainEpochs is the epochs per round of a config's net.
func trainEpochs(cfg *experiments.Config) int {
	return cfg.Model.Params["train"].(map[string]any)["epochs"].(int)
}
