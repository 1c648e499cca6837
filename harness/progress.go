package harness

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/vbauerster/cupwriter"
	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"

	"albench/experiments"
)

// maxDatasetBars is the number of datasets up to which the terminal shows a bar
// for each from the start; a larger grid shows bars only for the datasets in
// flight, each removed when done, so the bars fit a terminal.
const maxDatasetBars = 12

// barWidth is the width of a bar on a terminal (mpb shortens it, and cuts the
// text after it, to fit the terminal's width) and of a whole line on any other
// writer.
var barWidth = 40

// progress reports trials done / total, the rate and an estimate of the time
// left (estimator: from the measured cost of finished trials). On a terminal it
// draws an overall bar and one per dataset with mpb, which shortens lines to
// the terminal's width; otherwise it prints plain lines, at most one a second
// (and the last), with no control characters. It writes only to its writer
// (stderr), never to a result file.
type progress struct {
	w        io.Writer
	terminal bool
	now      func() time.Time

	mu            sync.Mutex
	names         []string
	total, done   []int // by dataset, this run's shard
	allTotal      int
	allDone, base int
	start, last   time.Time
	printed       int     // allDone at the last plain line
	todo          []int32 // grid positions of the jobs run, ascending
	est           *estimator
	// The last estimate, made at etaAt: left overall and per dataset.
	etaOK    bool
	eta      time.Duration
	etaD     []time.Duration
	etaAt    time.Time
	runDone  []int       // by dataset: trials finished in this run
	firstRun []time.Time // by dataset: when its first job of this run started

	bars  *mpb.Progress
	all   *mpb.Bar
	dbars []*mpb.Bar // nil where not (yet) shown
}

// newProgress starts the progress of a run of the jobs todo (grid positions in
// all, ascending) of the config's grid, the other jobs of opts.Shard being
// stored already. A nil opts.Progress is silent.
func newProgress(opts Options, cfg *experiments.Config, all []job, todo []int32, start time.Time) *progress {
	var units []float64 // a silent run estimates nothing: no need to predict shapes
	if opts.Progress != nil {
		units = datasetUnits(cfg)
	}
	return newProgressAt(opts, cfg, all, todo, start, time.Now, units)
}

func newProgressAt(opts Options, cfg *experiments.Config, all []job, todo []int32, start time.Time, now func() time.Time, units []float64) *progress {
	nd := len(cfg.Datasets)
	if len(units) != nd {
		units = make([]float64, nd) // unknown: the prior falls back to the mean
	}
	p := &progress{
		w: opts.Progress, terminal: opts.Terminal, now: now, start: start, todo: todo,
		total: make([]int, nd), done: make([]int, nd), runDone: make([]int, nd), firstRun: make([]time.Time, nd),
		etaD: make([]time.Duration, nd),
	}
	for _, ds := range cfg.Datasets {
		p.names = append(p.names, ds.Name)
	}
	for i, j := range all {
		if opts.Shard.Count > 1 && i%opts.Shard.Count != opts.Shard.Index {
			continue
		}
		p.total[j.dataset]++
		p.done[j.dataset]++
		p.allTotal++
	}
	order := make([]job, len(todo))
	for k, at := range todo {
		order[k] = all[at]
		p.done[all[at].dataset]--
	}
	for _, n := range p.done {
		p.allDone += n
	}
	p.base, p.printed = p.allDone, p.allDone
	slots := opts.Jobs
	if slots <= 0 {
		slots = runtime.NumCPU() // as Run does
	}
	p.est = newEstimator(nd, len(cfg.Strategies), units, order, slots, start)
	for k := range p.est.started {
		p.noteStart(p.est.dataset(k), start)
	}
	if p.w == nil {
		return p
	}
	if p.base > 0 {
		fmt.Fprintf(p.w, "resuming: %d of %d trials already done\n", p.base, p.allTotal)
	}
	if p.terminal {
		p.startBars()
	}
	return p
}

func (p *progress) noteStart(d int, t time.Time) {
	if p.firstRun[d].IsZero() {
		p.firstRun[d] = t
	}
}

// step records that the job at grid position at finished and stored its trial.
func (p *progress) step(at int32) {
	now := p.now()
	p.mu.Lock()
	k := sortedIndex(p.todo, at)
	if k < 0 {
		p.mu.Unlock()
		return
	}
	before := p.est.started
	p.est.finish(k, now)
	var newStarts []int
	for i := before; i < p.est.started; i++ {
		d := p.est.dataset(i)
		if p.firstRun[d].IsZero() {
			newStarts = append(newStarts, d)
		}
		p.noteStart(d, now)
	}
	d := p.est.dataset(k)
	p.done[d]++
	p.runDone[d]++
	p.allDone++
	printLine := false
	if p.w != nil {
		final := p.allDone == p.allTotal
		if p.terminal {
			if final || now.Sub(p.etaAt) >= 250*time.Millisecond {
				p.estimate(now)
			}
		} else if final || now.Sub(p.last) >= time.Second {
			p.last = now
			p.estimate(now)
			printLine = true
		}
	}
	p.mu.Unlock()
	if p.w == nil {
		return
	}
	if printLine {
		fmt.Fprintln(p.w, p.line(now))
		return
	}
	if p.bars != nil {
		for _, nd := range newStarts {
			p.addDatasetBar(nd)
		}
		if b := p.dbars[d]; b != nil {
			b.Increment()
		}
		p.all.Increment()
	}
}

// estimate refreshes the estimate of the time left; p.mu is held.
func (p *progress) estimate(now time.Time) {
	total, per, ok := p.est.left(now)
	p.etaOK, p.eta, p.etaAt = ok, total, now
	if ok {
		copy(p.etaD, per)
	}
}

// line is the plain progress line.
func (p *progress) line(now time.Time) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	elapsed := now.Sub(p.start)
	pct := 100.0
	if p.allTotal > 0 {
		pct = float64(100*p.allDone) / float64(p.allTotal)
	}
	p.printed = p.allDone
	return fmt.Sprintf("trials %d/%d (%.0f%%)  %s  elapsed %s  left ~%s", p.allDone, p.allTotal, pct,
		rate(p.allDone-p.base, elapsed), elapsed.Round(time.Second), p.leftString(-1, now))
}

// leftString is the estimate for dataset d (-1: overall), counted down since
// it was made; p.mu is held.
func (p *progress) leftString(d int, now time.Time) string {
	if !p.etaOK {
		return "?"
	}
	left := p.eta
	if d >= 0 {
		left = p.etaD[d]
	}
	left = max(left-now.Sub(p.etaAt), 0)
	return left.Round(time.Second).String()
}

// rate formats n trials in elapsed as trials a second, minute or hour.
func rate(n int, elapsed time.Duration) string {
	if n <= 0 || elapsed <= 0 {
		return "-/s"
	}
	r := float64(n) / elapsed.Seconds()
	switch {
	case r >= 1:
		return fmt.Sprintf("%.1f/s", r)
	case r*60 >= 1:
		return fmt.Sprintf("%.1f/min", r*60)
	}
	return fmt.Sprintf("%.1f/h", r*3600)
}

// startBars draws the overall bar and the dataset bars through mpb.
func (p *progress) startBars() {
	cw := cupwriter.New(p.w, false)
	if f, ok := p.w.(*os.File); ok && cw.IsTerminal() {
		// Each frame starts by moving the cursor up over the last one; a ^C the
		// terminal echoed has moved it off column 0, so return there first.
		cw = cupwriter.New(crWriter{f}, false)
		cw.SetTermFd(int(f.Fd()))
	}
	p.bars = mpb.New(mpb.WithConsoleWriter(cw), mpb.WithAutoRefresh(), mpb.WithRefreshRate(200*time.Millisecond), mpb.WithWidth(barWidth))
	p.dbars = make([]*mpb.Bar, len(p.names))
	p.all = p.newBar(-1, "all")
	for d := range p.names {
		if len(p.names) <= maxDatasetBars || !p.firstRun[d].IsZero() {
			p.addDatasetBar(d)
		}
	}
}

func (p *progress) addDatasetBar(d int) {
	if p.dbars[d] == nil && p.total[d] > 0 {
		p.dbars[d] = p.newBar(d, p.names[d])
	}
}

func (p *progress) nameWidth() int {
	w := len("all")
	for _, n := range p.names {
		w = max(w, len(n))
	}
	return min(w, 24)
}

// newBar adds the bar of dataset d (-1: overall).
func (p *progress) newBar(d int, name string) *mpb.Bar {
	total, done := p.allTotal, p.allDone
	if d >= 0 {
		total, done = p.total[d], p.done[d]
	}
	opts := []mpb.BarOption{
		mpb.PrependDecorators(decor.Name(name, decor.WC{W: p.nameWidth(), C: decor.DindentRight})),
		mpb.AppendDecorators(decor.Any(func(decor.Statistics) string { return p.barText(d) })),
	}
	if d >= 0 && len(p.names) > maxDatasetBars {
		opts = append(opts, mpb.BarRemoveOnComplete())
	}
	b := p.bars.New(int64(total), mpb.BarStyle(), opts...)
	b.SetCurrent(int64(done))
	return b
}

// barText is the text after bar d (-1: overall): done/total, rate, time left.
func (p *progress) barText(d int) string {
	now := p.now()
	p.mu.Lock()
	defer p.mu.Unlock()
	done, total, ran, since := p.allDone, p.allTotal, p.allDone-p.base, p.start
	if d >= 0 {
		done, total, ran, since = p.done[d], p.total[d], p.runDone[d], p.firstRun[d]
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d/%d", done, total)
	if done == total {
		if d < 0 {
			fmt.Fprintf(&b, "  done in %s", now.Sub(p.start).Round(time.Second))
		} else {
			b.WriteString("  done")
		}
		return b.String()
	}
	r := "-/s"
	if !since.IsZero() {
		r = rate(ran, now.Sub(since))
	}
	fmt.Fprintf(&b, "  %s  ~%s left", r, p.leftString(d, now))
	return b.String()
}

// finish ends the progress: the last plain line, or the bars' last frame.
func (p *progress) finish() {
	if p.w == nil {
		return
	}
	if p.bars == nil {
		// The last trial printed its line; an interrupted run prints where it
		// stopped.
		p.mu.Lock()
		more := p.printed != p.allDone
		if more {
			p.estimate(p.now())
		}
		p.mu.Unlock()
		if more {
			fmt.Fprintln(p.w, p.line(p.now()))
		}
		return
	}
	// Bars of an interrupted run are aborted, leaving their last state drawn.
	for _, b := range append([]*mpb.Bar{p.all}, p.dbars...) {
		if b != nil && !b.Completed() {
			b.Abort(false)
		}
	}
	p.bars.Wait()
}

// crWriter writes a carriage return before every write to a terminal.
type crWriter struct{ w io.Writer }

func (c crWriter) Write(b []byte) (int, error) {
	if _, err := io.WriteString(c.w, "\r"); err != nil {
		return 0, err
	}
	return c.w.Write(b)
}
