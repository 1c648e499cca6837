// Package harness runs active-learning trials: one trial's loop (design §3) and the
// concurrent runner that executes a config's grid, stores each finished trial
// atomically, resumes interrupted runs and assembles the result files.
package harness

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"sync"
	"time"

	"albench/experiments"
	"albench/learners"
	"albench/nets"
	"albench/results/metrics"
	"albench/results/records"
	"albench/strategies"
	"albench/streams"
)

// TrialKey names one unit of work: a (dataset, strategy, seed) trial, or the
// skyline of a (dataset, seed) when Strategy is records.Skyline.
type TrialKey struct {
	Dataset  string
	Strategy string // the strategy's label, or records.Skyline
	Seed     int
}

func (k TrialKey) String() string {
	return fmt.Sprintf("dataset %s, strategy %s, seed %d", k.Dataset, k.Strategy, k.Seed)
}

// TrialResult is what a finished trial contributes to the result files.
type TrialResult struct {
	Key     TrialKey
	Records []records.Record
	Timings []records.Timing
	// Queries lists every labeled point in the order labeled: the initial set as
	// round 0, then each round's picks (queries.csv). A skyline has none.
	Queries []records.Query
}

// TrialError reports a failed trial by name.
type TrialError struct {
	Key TrialKey
	Err error
}

func (e *TrialError) Error() string { return fmt.Sprintf("trial (%s): %v", e.Key, e.Err) }
func (e *TrialError) Unwrap() error { return e.Err }

// trialData is a Setup wrapped as matrices, plus what every trial of a (dataset,
// seed) shares: the task model's learner and, when its sessions can be forked, the
// trained round 0. It is shared by the goroutines running those trials.
type trialData struct {
	setup      *experiments.Setup
	pool, test nets.Matrix
	seed       int
	learner    learners.Learner
	// tieRank is strategies.Query.TieRank: a permutation of the pool rows drawn
	// from the (dataset, seed) stream "ties", shared by the seed's strategies.
	tieRank []int32

	r0once sync.Once
	r0     *round0
	r0err  error
	// spare is the round 0 that r0once trained for a learner whose sessions do
	// not fork: the first trial to ask takes it rather than training its own.
	spareMu sync.Mutex
	spare   *round0
}

// round0 is the first round of every trial of a (dataset, seed): the same data,
// initial labels, initial weights and training stream (trainStream), hence the same
// model, so a learner whose sessions fork trains and scores it once and each trial
// continues from a copy. Its train_ms in timings.csv is that one shared cost. Other
// learners train round 0 in each trial, from the same streams, so the result is the
// same either way.
type round0 struct {
	sess    learners.Session
	model   learners.Model
	scores  metrics.Scores
	trainMS float64
}

// initStream seeds what a (dataset, seed) trial's model keeps across rounds (a net's
// initial weights); a query model gets its own, keyed by the strategy's label.
func initStream(dataset string, seed int, queryLabel string) *rand.Rand {
	if queryLabel == "" {
		return streams.New("init", dataset, streams.Seed(seed))
	}
	return streams.New("init", dataset, streams.Seed(seed), "query", queryLabel)
}

// labelsOf returns the pool labels of rows.
func (td *trialData) labelsOf(rows []int, dst []int) []int {
	for _, i := range rows {
		dst = append(dst, td.setup.PoolY[i])
	}
	return dst
}

// startSession trains round 0 of a trial's task model in a new session.
func (td *trialData) startSession(ctx context.Context) (*round0, error) {
	t0 := time.Now()
	sess, err := td.learner.NewSession(&td.pool, []*nets.Matrix{&td.test}, td.setup.Classes, initStream(td.setup.Dataset, td.seed, ""))
	if err != nil {
		return nil, err
	}
	m, err := sess.Fit(ctx, td.setup.Initial, td.labelsOf(td.setup.Initial, nil), trainStream(td.setup.Dataset, td.seed, "", 0))
	if err != nil {
		learners.Release(sess)
		return nil, fmt.Errorf("round 0: %w", err)
	}
	ev := evaluator{test: &td.test, y: td.setup.TestY}
	sc, err := ev.score(m)
	if err != nil {
		learners.Release(sess)
		return nil, fmt.Errorf("round 0: %w", err)
	}
	return &round0{sess: sess, model: m, scores: sc, trainMS: ms(time.Since(t0))}, nil
}

// firstRound returns a trial's session after round 0 and round 0's scores: a fork of
// the shared round 0 when the learner's sessions fork, else a round 0 of its own.
func (td *trialData) firstRound(ctx context.Context) (*round0, error) {
	td.r0once.Do(func() {
		r0, err := td.startSession(ctx)
		if err != nil {
			td.r0err = err
			return
		}
		if _, ok := r0.sess.(learners.Forker); ok {
			td.r0 = r0
		} else {
			td.spare = r0
		}
	})
	if td.r0err != nil {
		return nil, td.r0err
	}
	if td.r0 == nil {
		td.spareMu.Lock()
		r0 := td.spare
		td.spare = nil
		td.spareMu.Unlock()
		if r0 != nil {
			return r0, nil
		}
		return td.startSession(ctx)
	}
	r0 := *td.r0
	r0.sess, r0.model = td.r0.sess.(learners.Forker).Fork()
	return &r0, nil
}

// fitter returns a Query.Fit: a fresh model of the learner's kind trained on (x, y).
func fitter(l learners.Learner, classes int) func(context.Context, *nets.Matrix, []int, *rand.Rand) (learners.Model, error) {
	return func(ctx context.Context, x *nets.Matrix, y []int, rng *rand.Rand) (learners.Model, error) {
		return l.Fit(ctx, x, y, classes, rng)
	}
}

func newTrialData(cfg *experiments.Config, d, seed int, setup *experiments.Setup) (*trialData, error) {
	f := setup.Features
	l, err := learners.New(modelSpec(cfg.Model))
	if err != nil {
		return nil, err
	}
	return &trialData{
		setup:   setup,
		seed:    seed,
		learner: l,
		pool:    nets.Matrix{Rows: len(setup.PoolY), Cols: f, Data: setup.PoolX},
		test:    nets.Matrix{Rows: len(setup.TestY), Cols: f, Data: setup.TestX},
		tieRank: tieRanks(setup.Dataset, seed, len(setup.PoolY)),
	}, nil
}

// tieRanks is the tie order of a (dataset, seed): rank[row] is the row's position
// in a permutation of the pool rows drawn from the stream "ties".
func tieRanks(dataset string, seed, rows int) []int32 {
	perm := streams.New("ties", dataset, streams.Seed(seed)).Perm(rows)
	rank := make([]int32, rows)
	for pos, row := range perm {
		rank[row] = int32(pos)
	}
	return rank
}

// evaluator scores a model on the test set, reusing its buffers.
type evaluator struct {
	test  *nets.Matrix
	y     []int
	probs nets.Matrix
	pred  []int
	cm    []int
}

// score measures a model on the test set: predictions from the model's own rule
// (an SVM's sign or vote) where it has one, else the most probable class, else the
// largest decision value; log-loss from its probabilities, NaN (an empty cell)
// for a model without them.
func (e *evaluator) score(m learners.Model) (metrics.Scores, error) {
	n, c := len(e.y), m.Classes()
	e.pred = grow(e.pred, n)
	var probs []float64
	predicted := false
	if es, ok := m.(learners.EvalScorer); ok {
		es.EvalPredict(0, e.pred)
		predicted = true
		if es.EvalProbs(0, &e.probs) {
			probs = e.probs.Data
		}
	} else {
		if pr, ok := m.(learners.Prober); ok {
			pr.Probs(e.test, &e.probs)
			probs = e.probs.Data
		}
		switch pm := m.(type) {
		case learners.Predictor:
			pm.Predict(e.test, e.pred)
			predicted = true
		case learners.Prober:
		case learners.Decider:
			pm.Decision(e.test, &e.probs)
			for _, v := range e.probs.Data {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return metrics.Scores{}, fmt.Errorf("test decision values are not finite: %w", nets.ErrDiverged)
				}
			}
			w := e.probs.Cols
			for i := range n {
				e.pred[i] = learners.DecisionClass(e.probs.Data[i*w : (i+1)*w])
			}
			predicted = true
		default:
			return metrics.Scores{}, fmt.Errorf("the model offers neither predictions, probabilities nor decision values")
		}
	}
	for _, p := range probs {
		if math.IsNaN(p) || math.IsInf(p, 0) {
			return metrics.Scores{}, fmt.Errorf("test probabilities are not finite: %w", nets.ErrDiverged)
		}
	}
	if err := learners.ModelErr(m); err != nil {
		return metrics.Scores{}, err // a plugin failed while answering
	}
	if !predicted {
		return metrics.Evaluate(probs, c, e.y, e.cm), nil
	}
	return metrics.EvaluatePredictions(e.pred, probs, c, e.y, e.cm), nil
}

func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// runSkyline trains the model on the whole labeled pool (design §3). A learner may
// train its skyline differently from a round (learners.Skyliner: a warm-started net
// gets the passes of every round at once).
func runSkyline(ctx context.Context, cfg *experiments.Config, d, seed int, td *trialData) (TrialResult, error) {
	key := TrialKey{Dataset: td.setup.Dataset, Strategy: records.Skyline, Seed: seed}
	l := td.learner
	if s, ok := l.(learners.Skyliner); ok {
		l = s.ForSkyline(rounds(cfg.ProtocolFor(d), td.setup))
	}
	start := time.Now()
	sess, err := l.NewSession(&td.pool, []*nets.Matrix{&td.test}, td.setup.Classes, initStream(key.Dataset, seed, ""))
	if err != nil {
		return TrialResult{}, err
	}
	defer learners.Release(sess)
	all := make([]int, td.pool.Rows)
	for i := range all {
		all[i] = i
	}
	m, err := sess.Fit(ctx, all, td.setup.PoolY, streams.New("train", key.Dataset, streams.Seed(seed), records.Skyline))
	if err != nil {
		return TrialResult{}, err
	}
	ev := evaluator{test: &td.test, y: td.setup.TestY}
	s, err := ev.score(m)
	if err != nil {
		return TrialResult{}, err
	}
	return TrialResult{
		Key: key,
		Records: []records.Record{{
			Key: records.Key{Dataset: key.Dataset, Strategy: key.Strategy, Seed: seed, Round: 0}, NLabeled: td.pool.Rows,
			Accuracy: s.Accuracy, MacroF1: s.MacroF1, LogLoss: s.LogLoss,
		}},
		Timings: []records.Timing{{Key: records.Key{Dataset: key.Dataset, Strategy: key.Strategy, Seed: seed}, TrainMS: ms(time.Since(start))}},
	}, nil // finished: kept even if the run is being cancelled
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
	strat, err := newStrategy(spec)
	if err != nil {
		return TrialResult{}, err
	}
	if c, ok := strat.(io.Closer); ok {
		defer c.Close() // a strategy plugin's process
	}
	labeled := append([]int(nil), td.setup.Initial...)
	labels := td.labelsOf(labeled, make([]int, 0, td.pool.Rows))
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

	// The strategy scores with its query model where its entry has one, trained on
	// the same labeled set each round; accuracy is always the task model's.
	var query *queryModel
	fit := fitter(td.learner, td.setup.Classes)
	if qs := queryModelOf(spec); qs != nil {
		if query, err = newQueryModel(*qs, td, key); err != nil {
			return TrialResult{}, err
		}
		defer learners.Release(query.sess)
		fit = fitter(query.learner, td.setup.Classes)
	}
	srng := streams.New("strategy", key.Dataset, streams.Seed(seed), key.Strategy)
	kind := cfg.Model.Kind
	if qs := queryModelOf(spec); qs != nil {
		kind = qs.Kind
	}
	var oracle *strategies.Oracle
	if strategies.IsOracle(spec.Name) {
		oracle = &strategies.Oracle{Test: &td.test, TestY: td.setup.TestY, PoolY: td.setup.PoolY}
	}
	ev := evaluator{test: &td.test, y: td.setup.TestY}
	nRounds := rounds(proto, td.setup)
	res := TrialResult{Key: key}
	res.recordQueries(td.setup, 0, labeled)
	var sess learners.Session
	var model learners.Model
	defer func() {
		if sess != nil {
			learners.Release(sess)
		}
	}()
	for r := 0; r <= nRounds; r++ {
		if err := ctx.Err(); err != nil {
			return TrialResult{}, err
		}
		var sc metrics.Scores
		var trainMS float64
		if r == 0 {
			r0, err := td.firstRound(ctx)
			if err != nil {
				return TrialResult{}, err
			}
			sess, model, sc, trainMS = r0.sess, r0.model, r0.scores, r0.trainMS
		} else {
			t0 := time.Now()
			if model, err = sess.Fit(ctx, labeled, labels, trainStream(key.Dataset, seed, key.Strategy, r)); err != nil {
				return TrialResult{}, fmt.Errorf("round %d: %w", r, err)
			}
			if sc, err = ev.score(model); err != nil {
				return TrialResult{}, fmt.Errorf("round %d: %w", r, err)
			}
			trainMS = ms(time.Since(t0))
		}
		res.Records = append(res.Records, records.Record{
			Key: records.Key{Dataset: key.Dataset, Strategy: key.Strategy, Seed: seed, Round: r}, NLabeled: len(labeled),
			Accuracy: sc.Accuracy, MacroF1: sc.MacroF1, LogLoss: sc.LogLoss,
		})
		timing := records.Timing{Key: records.Key{Dataset: key.Dataset, Strategy: key.Strategy, Seed: seed, Round: r}, TrainMS: trainMS}
		if r == nRounds || len(unlabeled) == 0 {
			res.Timings = append(res.Timings, timing)
			break
		}
		t1 := time.Now()
		qm := model
		if query != nil {
			if qm, err = query.fit(ctx, labeled, labels, r); err != nil {
				return TrialResult{}, fmt.Errorf("round %d: query model: %w", r, err)
			}
		}
		picks, err := strat.Select(ctx, strategies.Query{
			Pool: &td.pool, Unlabeled: unlabeled, Labeled: labeled, Labels: labels,
			Classes: td.setup.Classes, Model: qm, Fit: fit, Batch: proto.Batch, Rand: srng,
			TieRank: td.tieRank, Oracle: oracle, ModelKind: kind,
		})
		if err == nil {
			if merr := learners.ModelErr(qm); merr != nil {
				err = fmt.Errorf("model: %w", merr)
			}
		}
		if err != nil {
			return TrialResult{}, fmt.Errorf("round %d: %s: %w", r, spec.Name, err)
		}
		if err := checkPicks(picks, proto.Batch, isLabeled, len(unlabeled)); err != nil {
			return TrialResult{}, fmt.Errorf("round %d: %s: %w", r, spec.Name, err)
		}
		timing.QueryMS = ms(time.Since(t1))
		res.Timings = append(res.Timings, timing)
		res.recordQueries(td.setup, r+1, picks)
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

// recordQueries appends the pool rows picked to join round r's training set.
func (res *TrialResult) recordQueries(s *experiments.Setup, r int, picks []int) {
	for _, p := range picks {
		res.Queries = append(res.Queries, records.Query{
			Key:     records.Key{Dataset: res.Key.Dataset, Strategy: res.Key.Strategy, Seed: res.Key.Seed, Round: r},
			PoolRow: p, Row: s.PoolRows[p], Label: s.ClassNames[s.PoolY[p]],
		})
	}
}
