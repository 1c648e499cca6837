package harness

import (
	"math"
	"path/filepath"
	"sort"
	"time"

	"albench/experiments"
	"albench/experiments/datasets"
	"albench/internal/fmath"
)

// estimator predicts the time a run has left from the measured cost of the
// trials it has finished, not from a trial count: trials of one grid differ in
// cost by three orders of magnitude (a digits trial costs 60 iris trials; a
// phishing trial of configs/lu2023.yaml ~1000 appendicitis trials).
//
// Cost. The cost of a finished trial is its wall time in its slot, from the
// moment it started to the moment it finished. Jobs start in grid order, at most
// J at once, and a slot frees only when a trial finishes, so the first J jobs of
// the run start at its start and job k ≥ J starts when the (k−J+1)-th trial
// finishes; the estimator infers start times from the finish times it is told.
// Wall time in a slot includes the shared setup, evaluation and contention
// among the J workers, which is what the remaining trials will pay too.
//
// Model. The cost of a trial of dataset d and strategy s (the skyline is a
// strategy of its own) is modelled as c(d,s) = a_d · b_s, fitted in logs by
// weighted least squares, log c ≈ α_d + β_s, over the cells (d,s) with finished
// trials (weight: their number), by alternating updates warm-started from the
// previous fit. A trial of a cell is then estimated by
//
//  1. the cell's mean measured cost, when it has finished trials;
//  2. else exp(α_d + β_s) when dataset d has a finished trial (of any strategy)
//     and strategy s has one (on any dataset): e.g. once the expensive dataset's
//     skyline finished, its strategies cost the skyline's cost times the
//     strategy/skyline ratio measured on the cheap datasets;
//  3. else, for a dataset with nothing finished, the prior α_d = log u_d + m,
//     with u_d = pool rows × (rounds + 1) (predicted from the config without
//     building the data), m the mean of α_d' − log u_d' over the datasets with
//     finished trials: cost grows with the pool scored and the rounds trained;
//  4. a strategy with nothing finished anywhere gets β the mean β of the
//     measured strategies other than the skyline (the skyline's if it is the
//     only one measured).
//
// Time left. A running trial has left max(estimate − its age, 0); the time
// left is max(Σ left / min(J, trials left), the largest single left): the work
// shared by the slots, but never less than the longest trial. Per dataset the
// same bound counts the trials of that dataset and of every dataset before it
// in grid order (the slots work through the grid in order), which is when the
// dataset is done. Before any trial finishes the estimate is unknown.
//
// An estimate costs O(jobs + datasets × strategies × 30); progress makes one at
// most four times a second on a terminal and once a second otherwise.
type estimator struct {
	slots int
	// cells[k] is the cell (dataset·ns + strategy+1) of the run's job k, in
	// start order; start[k] is its start time after begin once started (jobs
	// 0..started-1). 13 bytes a job.
	cells   []int32
	start   []time.Duration
	started int
	doneAt  []bool
	nDone   int
	begin   time.Time

	nd, ns      int       // datasets, strategies + 1 (column 0 is the skyline)
	units       []float64 // u_d; 0 when unknown
	sum         []float64 // by cell: Σ measured seconds
	n           []int     // by cell: finished trials
	alpha, beta []float64
	fitN        int // nDone when alpha and beta were last fitted
}

func newEstimator(nd, ns int, units []float64, order []job, slots int, begin time.Time) *estimator {
	e := &estimator{
		slots: max(slots, 1), cells: make([]int32, len(order)), start: make([]time.Duration, len(order)), doneAt: make([]bool, len(order)),
		begin: begin, nd: nd, ns: ns + 1, units: units,
		sum: make([]float64, nd*(ns+1)), n: make([]int, nd*(ns+1)),
		alpha: make([]float64, nd), beta: make([]float64, ns+1), fitN: -1,
	}
	for k, j := range order {
		e.cells[k] = int32(j.dataset*e.ns + j.strategy + 1)
	}
	e.started = min(e.slots, len(order)) // starting at begin
	return e
}

// dataset is the dataset of job k.
func (e *estimator) dataset(k int) int { return int(e.cells[k]) / e.ns }

// finish records that job k of the run's order finished at now.
func (e *estimator) finish(k int, now time.Time) {
	if k < 0 || k >= len(e.cells) || e.doneAt[k] {
		return
	}
	e.doneAt[k] = true
	e.nDone++
	c := e.cells[k]
	e.sum[c] += max((now.Sub(e.begin) - e.start[k]).Seconds(), 1e-6)
	e.n[c]++
	if e.started < len(e.cells) { // the freed slot takes the next job
		e.start[e.started] = now.Sub(e.begin)
		e.started++
	}
}

// fit refits α and β (log-additive model) on the finished cells.
func (e *estimator) fit() {
	if e.fitN == e.nDone {
		return
	}
	e.fitN = e.nDone
	logMean := func(c int) float64 { return fmath.Log(e.sum[c] / float64(e.n[c])) }
	for range 30 {
		for d := range e.nd {
			var num, den float64
			for s := range e.ns {
				if c := d*e.ns + s; e.n[c] > 0 {
					w := float64(e.n[c])
					num += float64(w * (logMean(c) - e.beta[s]))
					den += w
				}
			}
			if den > 0 {
				e.alpha[d] = num / den
			}
		}
		for s := range e.ns {
			var num, den float64
			for d := range e.nd {
				if c := d*e.ns + s; e.n[c] > 0 {
					w := float64(e.n[c])
					num += float64(w * (logMean(c) - e.alpha[d]))
					den += w
				}
			}
			if den > 0 {
				e.beta[s] = num / den
			}
		}
	}
}

// costs returns the estimated cost in seconds of a trial of every cell, or nil
// when no trial has finished.
func (e *estimator) costs() []float64 {
	if e.nDone == 0 {
		return nil
	}
	e.fit()
	dSeen := make([]bool, e.nd)
	sSeen := make([]bool, e.ns)
	for d := range e.nd {
		for s := range e.ns {
			if e.n[d*e.ns+s] > 0 {
				dSeen[d], sSeen[s] = true, true
			}
		}
	}
	// Priors for unseen strategies and datasets.
	var bSum float64
	bN := 0
	for s := 1; s < e.ns; s++ {
		if sSeen[s] {
			bSum += e.beta[s]
			bN++
		}
	}
	bPrior := e.beta[0]
	if bN > 0 {
		bPrior = bSum / float64(bN)
	}
	var mSum, aSum float64
	mN, aN := 0, 0
	for d := range e.nd {
		if dSeen[d] {
			aSum += e.alpha[d]
			aN++
			if e.units[d] > 0 {
				mSum += e.alpha[d] - fmath.Log(e.units[d])
				mN++
			}
		}
	}
	out := make([]float64, e.nd*e.ns)
	for d := range e.nd {
		a := e.alpha[d]
		if !dSeen[d] {
			a = aSum / float64(aN)
			if mN > 0 && e.units[d] > 0 {
				a = fmath.Log(e.units[d]) + mSum/float64(mN)
			}
		}
		for s := range e.ns {
			c := d*e.ns + s
			if e.n[c] > 0 {
				out[c] = e.sum[c] / float64(e.n[c])
				continue
			}
			b := e.beta[s]
			if !sSeen[s] {
				b = bPrior
			}
			out[c] = fmath.Exp(a + b)
		}
	}
	return out
}

// left returns the estimated time left of the run and of each dataset (0 for a
// finished one); ok is false before any trial has finished.
func (e *estimator) left(now time.Time) (total time.Duration, perDataset []time.Duration, ok bool) {
	cost := e.costs()
	if cost == nil {
		return 0, nil, false
	}
	work := make([]float64, e.nd) // Σ left of the dataset's unfinished trials
	longest := make([]float64, e.nd)
	count := make([]int, e.nd)
	for k, c := range e.cells {
		if e.doneAt[k] {
			continue
		}
		w := cost[c]
		if k < e.started {
			w = max(w-(now.Sub(e.begin)-e.start[k]).Seconds(), 0)
		}
		d := int(c) / e.ns
		work[d] += w
		longest[d] = max(longest[d], w)
		count[d]++
	}
	perDataset = make([]time.Duration, e.nd)
	var cumWork, cumLongest float64
	cumCount := 0
	for d := range e.nd {
		cumWork += work[d]
		cumLongest = max(cumLongest, longest[d])
		cumCount += count[d]
		if count[d] == 0 {
			continue
		}
		perDataset[d] = seconds(max(cumWork/float64(min(e.slots, cumCount)), cumLongest))
	}
	if cumCount > 0 {
		total = seconds(max(cumWork/float64(min(e.slots, cumCount)), cumLongest))
	}
	return total, perDataset, true
}

func seconds(s float64) time.Duration {
	if s > float64(math.MaxInt64/int64(time.Second)) {
		return time.Duration(math.MaxInt64)
	}
	return time.Duration(float64(s * float64(time.Second)))
}

// datasetUnits predicts pool rows × (rounds + 1) of every dataset of cfg from
// the config alone (datasets.Check parses csv files but builds nothing); 0 where
// the shape cannot be predicted.
func datasetUnits(cfg *experiments.Config) []float64 {
	dir := ""
	if cfg.Path != "" {
		dir = filepath.Dir(cfg.Path)
	}
	out := make([]float64, len(cfg.Datasets))
	for d, ds := range cfg.Datasets {
		shape, probs := datasets.Check(ds.Source, ds.Params, dir)
		if len(probs) > 0 || shape.N < 2 {
			continue
		}
		pr := cfg.ProtocolFor(d)
		// ⌈fraction·N⌉ test rows, as Prepare counts them (a product within 1e-9
		// of an integer is that integer).
		x := float64(pr.TestFraction * float64(shape.N))
		nTest := math.Ceil(x)
		if r := math.Round(x); math.Abs(x-r) <= 1e-9*max(1, math.Abs(x)) {
			nTest = r
		}
		pool := shape.N - int(nTest)
		if pool < 1 {
			continue
		}
		budget := pr.Budget
		if pr.BudgetAll {
			budget = pool - pr.Initial
		}
		batch := max(pr.Batch, 1)
		out[d] = float64(pool) * float64(experiments.Rounds(budget, batch)+1)
	}
	return out
}

// sortedIndex returns the position of x in the ascending slice xs, or -1.
func sortedIndex(xs []int32, x int32) int {
	i := sort.Search(len(xs), func(i int) bool { return xs[i] >= x })
	if i < len(xs) && xs[i] == x {
		return i
	}
	return -1
}
