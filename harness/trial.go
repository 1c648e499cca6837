// Package harness runs active-learning trials: one trial's loop (design §3) and the
// concurrent runner that executes a config's grid, stores each finished trial
// atomically, resumes interrupted runs and assembles the result files.
package harness

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"time"

	"albench/experiments"
	"albench/nets"
	"albench/results"
	"albench/strategies"
	"albench/streams"
)

// TrialKey names one unit of work: a (dataset, strategy, seed) trial, or the
// skyline of a (dataset, seed) when Strategy is results.Skyline.
type TrialKey struct {
	Dataset  string
	Strategy string // the strategy's label, or results.Skyline
	Seed     int
}

func (k TrialKey) String() string {
	return fmt.Sprintf("dataset %s, strategy %s, seed %d", k.Dataset, k.Strategy, k.Seed)
}

// TrialResult is what a finished trial contributes to the result files.
type TrialResult struct {
	Key     TrialKey
	Records []results.Record
	Timings []results.Timing
}

// TrialError reports a failed trial by name.
type TrialError struct {
	Key TrialKey
	Err error
}

func (e *TrialError) Error() string { return fmt.Sprintf("trial (%s): %v", e.Key, e.Err) }
func (e *TrialError) Unwrap() error { return e.Err }

// netSpec is the network a config asks for on a dataset of the given shape.
func netSpec(m experiments.ModelSpec, features, classes int) nets.Spec {
	if m.Kind == "logreg" {
		// Softmax regression has no hidden layer to size or drop out.
		return nets.Spec{Kind: m.Kind, Inputs: features, Outputs: classes}
	}
	return nets.Spec{
		Kind:       m.Kind,
		Inputs:     features,
		Hidden:     m.Hidden,
		Outputs:    classes,
		Activation: m.Activation,
		Dropout:    m.Dropout,
	}
}

func trainSpec(t experiments.TrainSpec) nets.TrainSpec {
	return nets.TrainSpec{
		Optimizer:   t.Optimizer,
		LR:          t.LR,
		Momentum:    t.Momentum,
		WeightDecay: t.WeightDecay,
		Epochs:      t.Epochs,
		BatchSize:   t.BatchSize,
	}
}

// trialData is a Setup wrapped as matrices, plus what every trial of a (dataset,
// seed) shares: the initial weights and the trained round 0. It is shared by the
// goroutines running those trials.
type trialData struct {
	setup      *experiments.Setup
	pool, test nets.Matrix
	init       *nets.Net // initial weights: depend on (dataset, seed) only
	seed       int

	r0once sync.Once
	r0     *round0
	r0err  error
}

// round0 is the first round of every trial of a (dataset, seed): the same data,
// initial labels, weights and training stream (trainStream), hence the same model,
// so it is trained and scored once and each trial continues from a copy. Its
// train_ms in timings.csv is that one shared cost.
type round0 struct {
	net     *nets.Net
	tr      *nets.Trainer
	scores  results.Scores
	trainMS float64
}

// firstRound trains and scores round 0 once; later calls return the same result.
func (td *trialData) firstRound(ts nets.TrainSpec) (*round0, error) {
	td.r0once.Do(func() {
		t0 := time.Now()
		tr, err := nets.NewTrainer(ts)
		if err != nil {
			td.r0err = err
			return
		}
		net := td.init.Clone()
		var xl nets.Matrix
		xl.Gather(&td.pool, td.setup.Initial)
		y := make([]int, len(td.setup.Initial))
		for i, row := range td.setup.Initial {
			y[i] = td.setup.PoolY[row]
		}
		if _, err := tr.Fit(net, &xl, y, trainStream(td.setup.Dataset, td.seed, "", 0)); err != nil {
			td.r0err = fmt.Errorf("round 0: %w", err)
			return
		}
		ev := evaluator{test: &td.test, y: td.setup.TestY}
		sc, err := ev.score(net)
		if err != nil {
			td.r0err = fmt.Errorf("round 0: %w", err)
			return
		}
		td.r0 = &round0{net: net, tr: tr, scores: sc, trainMS: ms(time.Since(t0))}
	})
	return td.r0, td.r0err
}

// fitter returns a trial's Query.Fit: a fresh model of the trial's kind,
// initialised from rng and trained on (x, y) with the trial's settings.
func fitter(spec nets.Spec, ts nets.TrainSpec) func(context.Context, *nets.Matrix, []int, *rand.Rand) (strategies.Model, error) {
	return func(ctx context.Context, x *nets.Matrix, y []int, rng *rand.Rand) (strategies.Model, error) {
		m, err := nets.New(spec)
		if err != nil {
			return nil, err
		}
		m.Init(rng)
		t, err := nets.NewTrainer(ts)
		if err != nil {
			return nil, err
		}
		if _, err := t.Fit(m, x, y, rng); err != nil {
			return nil, err
		}
		return m, ctx.Err()
	}
}

func newTrialData(cfg *experiments.Config, d, seed int, setup *experiments.Setup) (*trialData, error) {
	f := setup.Features
	td := &trialData{
		setup: setup,
		seed:  seed,
		pool:  nets.Matrix{Rows: len(setup.PoolY), Cols: f, Data: setup.PoolX},
		test:  nets.Matrix{Rows: len(setup.TestY), Cols: f, Data: setup.TestX},
	}
	net, err := nets.New(netSpec(cfg.Model, f, setup.Classes))
	if err != nil {
		return nil, err
	}
	net.Init(streams.New("init", setup.Dataset, streams.Seed(seed)))
	td.init = net
	return td, nil
}

// evaluator scores a net on the test set, reusing its buffers.
type evaluator struct {
	test  *nets.Matrix
	y     []int
	probs nets.Matrix
	cm    []int
}

func (e *evaluator) score(net *nets.Net) (results.Scores, error) {
	net.Probs(e.test, &e.probs)
	for _, p := range e.probs.Data {
		if math.IsNaN(p) || math.IsInf(p, 0) {
			return results.Scores{}, fmt.Errorf("test probabilities are not finite: %w", nets.ErrDiverged)
		}
	}
	return results.Evaluate(e.probs.Data, net.Classes(), e.y, e.cm), nil
}

// runSkyline trains the model on the whole labeled pool (design §3). With warm
// start the trial's model sees epochs × (rounds+1) passes in all, so the skyline
// gets as many; otherwise it gets the epochs of one round.
func runSkyline(ctx context.Context, cfg *experiments.Config, d, seed int, td *trialData) (TrialResult, error) {
	key := TrialKey{Dataset: td.setup.Dataset, Strategy: results.Skyline, Seed: seed}
	proto := cfg.ProtocolFor(d)
	ts := trainSpec(cfg.Model.Train)
	if cfg.Model.Train.WarmStart {
		ts.Epochs *= proto.Budget/proto.Batch + 1
	}
	tr, err := nets.NewTrainer(ts)
	if err != nil {
		return TrialResult{}, err
	}
	net := td.init.Clone()
	start := time.Now()
	if _, err := tr.Fit(net, &td.pool, td.setup.PoolY, streams.New("train", key.Dataset, streams.Seed(seed), results.Skyline)); err != nil {
		return TrialResult{}, err
	}
	ev := evaluator{test: &td.test, y: td.setup.TestY}
	s, err := ev.score(net)
	if err != nil {
		return TrialResult{}, err
	}
	return TrialResult{
		Key: key,
		Records: []results.Record{{
			Dataset: key.Dataset, Strategy: key.Strategy, Seed: seed, Round: 0, NLabeled: td.pool.Rows,
			Accuracy: s.Accuracy, MacroF1: s.MacroF1, LogLoss: s.LogLoss,
		}},
		Timings: []results.Timing{{Dataset: key.Dataset, Strategy: key.Strategy, Seed: seed, TrainMS: ms(time.Since(start))}},
	}, ctx.Err()
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// trainStream is the stream of one round's training (mini-batch order, dropout
// masks). Round 0 does not depend on the strategy, so every strategy of a seed
// starts from the same trained model and the comparison is paired from the first
// point of the curve.
func trainStream(dataset string, seed int, label string, round int) *rand.Rand {
	if round == 0 {
		return streams.New("train", dataset, streams.Seed(seed), "round0")
	}
	return streams.New("train", dataset, streams.Seed(seed), label, fmt.Sprint(round))
}

// runTrial runs design §3 step 5 for one strategy.
func runTrial(ctx context.Context, cfg *experiments.Config, d, s, seed int, td *trialData) (TrialResult, error) {
	spec := cfg.Strategies[s]
	key := TrialKey{Dataset: td.setup.Dataset, Strategy: spec.Label, Seed: seed}
	proto := cfg.ProtocolFor(d)
	strat, err := strategies.New(spec.Name, spec.Params)
	if err != nil {
		return TrialResult{}, err
	}
	ts := trainSpec(cfg.Model.Train)
	warm := cfg.Model.Train.WarmStart
	var net *nets.Net
	var tr *nets.Trainer

	labeled := append([]int(nil), td.setup.Initial...)
	labels := make([]int, 0, len(labeled)+proto.Budget)
	for _, i := range labeled {
		labels = append(labels, td.setup.PoolY[i])
	}
	isLabeled := make([]bool, td.pool.Rows)
	for _, i := range labeled {
		isLabeled[i] = true
	}
	unlabeled := make([]int, 0, td.pool.Rows)
	for i := range td.pool.Rows {
		if !isLabeled[i] {
			unlabeled = append(unlabeled, i)
		}
	}

	srng := streams.New("strategy", key.Dataset, streams.Seed(seed), key.Strategy)
	fit := fitter(td.init.Spec(), ts)
	ev := evaluator{test: &td.test, y: td.setup.TestY}
	var xl nets.Matrix
	rounds := proto.Budget / proto.Batch
	res := TrialResult{Key: key}
	for r := 0; r <= rounds; r++ {
		if err := ctx.Err(); err != nil {
			return TrialResult{}, err
		}
		var sc results.Scores
		var trainMS float64
		if r == 0 {
			r0, err := td.firstRound(ts)
			if err != nil {
				return TrialResult{}, err
			}
			net, tr, sc, trainMS = r0.net.Clone(), r0.tr.Clone(), r0.scores, r0.trainMS
		} else {
			t0 := time.Now()
			if !warm {
				net.CopyFrom(td.init)
				tr.Reset()
			}
			xl.Gather(&td.pool, labeled)
			if _, err := tr.Fit(net, &xl, labels, trainStream(key.Dataset, seed, key.Strategy, r)); err != nil {
				return TrialResult{}, fmt.Errorf("round %d: %w", r, err)
			}
			if sc, err = ev.score(net); err != nil {
				return TrialResult{}, fmt.Errorf("round %d: %w", r, err)
			}
			trainMS = ms(time.Since(t0))
		}
		res.Records = append(res.Records, results.Record{
			Dataset: key.Dataset, Strategy: key.Strategy, Seed: seed, Round: r, NLabeled: len(labeled),
			Accuracy: sc.Accuracy, MacroF1: sc.MacroF1, LogLoss: sc.LogLoss,
		})
		timing := results.Timing{Dataset: key.Dataset, Strategy: key.Strategy, Seed: seed, Round: r, TrainMS: trainMS}
		if r == rounds || len(unlabeled) == 0 {
			res.Timings = append(res.Timings, timing)
			break
		}
		t1 := time.Now()
		picks, err := strat.Select(ctx, strategies.Query{
			Pool: &td.pool, Unlabeled: unlabeled, Labeled: labeled, Labels: labels,
			Classes: td.setup.Classes, Model: net, Fit: fit, Batch: proto.Batch, Rand: srng,
		})
		if err != nil {
			return TrialResult{}, fmt.Errorf("round %d: %s: %w", r, spec.Name, err)
		}
		if err := checkPicks(picks, proto.Batch, isLabeled, len(unlabeled)); err != nil {
			return TrialResult{}, fmt.Errorf("round %d: %s: %w", r, spec.Name, err)
		}
		timing.QueryMS = ms(time.Since(t1))
		res.Timings = append(res.Timings, timing)
		for _, p := range picks {
			isLabeled[p] = true
			labeled = append(labeled, p)
			labels = append(labels, td.setup.PoolY[p]) // the oracle answers
		}
		unlabeled = unlabeled[:0]
		for i := range td.pool.Rows {
			if !isLabeled[i] {
				unlabeled = append(unlabeled, i)
			}
		}
	}
	return res, nil
}

// errBadPicks marks a strategy that broke the Select contract.
var errBadPicks = errors.New("strategy broke the Select contract")

func checkPicks(picks []int, batch int, isLabeled []bool, nUnlabeled int) error {
	want := min(batch, nUnlabeled)
	if len(picks) != want {
		return fmt.Errorf("%w: %d picks, want %d", errBadPicks, len(picks), want)
	}
	seen := make(map[int]bool, len(picks))
	for _, p := range picks {
		if p < 0 || p >= len(isLabeled) || isLabeled[p] || seen[p] {
			return fmt.Errorf("%w: row %d is out of range, labeled or repeated", errBadPicks, p)
		}
		seen[p] = true
	}
	return nil
}
