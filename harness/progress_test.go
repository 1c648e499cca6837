package harness

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"albench/experiments"
)

// fakeClock is a clock the test moves; mpb's goroutine reads it too.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func at(s float64) time.Time { return t0.Add(time.Duration(s * float64(time.Second))) }

// twoDatasets is a grid of a cheap and an expensive dataset, two strategies,
// two seeds.
func twoDatasets() (*experiments.Config, []job, []int32) {
	cfg := &experiments.Config{
		Datasets:   []experiments.DatasetSpec{{Name: "iris"}, {Name: "digits"}},
		Strategies: []experiments.StrategySpec{{Label: "random"}, {Label: "margin"}},
	}
	all := grid(2, 2, []int{0, 1}, true)
	todo := make([]int32, len(all))
	for i := range todo {
		todo[i] = int32(i)
	}
	return cfg, all, todo
}

// cost is the synthetic cost of a job: iris skyline 1 s, random 2 s, margin 4 s;
// digits 100 times that.
func cost(j job) float64 {
	c := []float64{1, 2, 4}[j.strategy+1]
	if j.dataset == 1 {
		c *= 100
	}
	return c
}

func near(got time.Duration, want float64) bool {
	return math.Abs(got.Seconds()-want) <= 1e-6*max(want, 1)
}

// One worker runs the jobs one after another; after iris and digits' first
// skyline, the estimate is the five digits trials left, priced from the
// strategy/skyline ratios of iris and digits' skyline: 200+400+100+200+400 s,
// where a trial count would say 114 s / 7 trials × 5 = 81 s.
func TestEstimatorExpensiveAfterCheap(t *testing.T) {
	_, all, _ := twoDatasets()
	e := newEstimator(2, 2, []float64{1, 1}, all, 1, t0)
	if _, _, ok := e.left(t0); ok {
		t.Fatal("an estimate before any trial finished")
	}
	clock := 0.0
	for k := range 6 { // iris
		clock += cost(all[k])
		e.finish(k, at(clock))
	}
	total, per, _ := e.left(at(clock))
	if per[0] != 0 {
		t.Errorf("iris done but %v left", per[0])
	}
	// Before any digits trial finished, the prior prices digits as iris
	// (equal units): 2 × (1+2+4) s.
	if !near(total, 14) {
		t.Errorf("left before digits %v, want 14s (units equal to iris)", total)
	}
	clock += cost(all[6]) // digits' first skyline
	e.finish(6, at(clock))
	total, per, _ = e.left(at(clock))
	if !near(total, 1300) || !near(per[1], 1300) {
		t.Errorf("left %v (digits %v), want 1300s", total, per[1])
	}
	// 50 s into digits' random trial, 150 s of it are left.
	total, _, _ = e.left(at(clock + 50))
	if !near(total, 1250) {
		t.Errorf("left 50 s later %v, want 1250s", total)
	}
}

// With nothing of digits finished, its prior scales iris's measured costs by
// the ratio of pool rows × rounds: 100 times here, so 2 × (100+200+400) s.
func TestEstimatorPriorFromUnits(t *testing.T) {
	_, all, _ := twoDatasets()
	e := newEstimator(2, 2, []float64{840, 84000}, all, 1, t0)
	clock := 0.0
	for k := range 6 {
		clock += cost(all[k])
		e.finish(k, at(clock))
	}
	total, _, _ := e.left(at(clock))
	if !near(total, 1400) {
		t.Errorf("left %v, want 1400s", total)
	}
}

// Two workers: the jobs start two at a time and a freed slot takes the next;
// the time left shares the work between the slots but is never less than the
// longest trial.
func TestEstimatorSlots(t *testing.T) {
	order := []job{{0, -1, 0}, {0, -1, 1}, {0, -1, 2}, {0, -1, 3}, {0, 0, 0}}
	e := newEstimator(1, 1, []float64{1}, order, 2, t0)
	e.finish(1, at(10)) // job 2 starts at 10
	e.finish(0, at(10)) // job 3 starts at 10
	// Skylines cost 10 s; the strategy is priced as the skyline: 10 s. At 14 s
	// jobs 2 and 3 have 6 s left each, job 4 10 s: (6+6+10)/2 = 11 s.
	if total, _, _ := e.left(at(14)); !near(total, 11) {
		t.Errorf("left %v, want 11s", total)
	}
	e.finish(2, at(20)) // job 4 starts at 20
	e.finish(3, at(20))
	// Only job 4 is left, 3 s in: 7 s, not 7/2.
	if total, _, _ := e.left(at(23)); !near(total, 7) {
		t.Errorf("left %v, want 7s", total)
	}
}

// The plain lines: at most one a second and the last, no control characters,
// only on the writer given.
func TestProgressPlainLines(t *testing.T) {
	cfg, all, todo := twoDatasets()
	var buf bytes.Buffer
	clock := &fakeClock{t: t0}
	// Resuming: the first three jobs are stored.
	p := newProgressAt(Options{Progress: &buf, Jobs: 1}, cfg, all, todo[3:], t0, clock.now, []float64{1, 1})
	s := 0.0
	for k := 3; k < len(all); k++ {
		s += cost(all[k]) / 100 // 10 ms .. 4 s
		clock.set(at(s))
		p.step(int32(k))
	}
	p.finish()
	// Trials finish at 0.01, 0.03, 0.07 (iris), 1.07, 3.07, 7.07, 8.07, 10.07
	// and 14.07 s (digits); the lines at 0.03 and 0.07 s are within a second of
	// the one before. From 1.07 s on, digits' skyline priced its strategies:
	// left 2+4+1+2+4 s, then 4+1+2+4 s, ...
	want := "resuming: 3 of 12 trials already done\n" +
		"trials 4/12 (33%)  100.0/s  elapsed 0s  left ~0s\n" +
		"trials 7/12 (58%)  3.7/s  elapsed 1s  left ~13s\n" +
		"trials 8/12 (67%)  1.6/s  elapsed 3s  left ~11s\n" +
		"trials 9/12 (75%)  50.9/min  elapsed 7s  left ~7s\n" +
		"trials 10/12 (83%)  52.0/min  elapsed 8s  left ~6s\n" +
		"trials 11/12 (92%)  47.7/min  elapsed 10s  left ~4s\n" +
		"trials 12/12 (100%)  38.4/min  elapsed 14s  left ~0s\n"
	if got := buf.String(); got != want {
		t.Errorf("lines:\n%s\nwant:\n%s", got, want)
	}
	if strings.ContainsAny(buf.String(), "\r\x1b") {
		t.Error("control characters in the plain lines")
	}
}

// An interrupted run's last plain line says where it stopped.
func TestProgressPlainInterrupted(t *testing.T) {
	cfg, all, todo := twoDatasets()
	var buf bytes.Buffer
	clock := &fakeClock{t: t0}
	p := newProgressAt(Options{Progress: &buf, Jobs: 1}, cfg, all, todo, t0, clock.now, []float64{1, 1})
	for k, s := range []float64{1, 1.5} {
		clock.set(at(s))
		p.step(int32(k))
	}
	clock.set(at(3.5))
	p.finish()
	// The trial at 1.5 s is within a second of the line at 1 s; finish prints
	// it. At 3.5 s: skyline 1 s, random 0.5 s, margin priced as random and
	// running for 2 s already (0 left), then 1+0.5+0.5 s for iris's second seed
	// and twice that for digits (priced as iris: equal units).
	want := "trials 1/12 (8%)  1.0/s  elapsed 1s  left ~11s\n" +
		"trials 2/12 (17%)  34.3/min  elapsed 4s  left ~6s\n"
	if got := buf.String(); got != want {
		t.Errorf("lines:\n%s\nwant:\n%s", got, want)
	}
}

// The terminal path renders the bars through mpb without panicking, and ends
// when the run ends early.
func TestProgressBars(t *testing.T) {
	for _, complete := range []bool{true, false} {
		cfg, all, todo := twoDatasets()
		var buf syncBuffer
		clock := &fakeClock{t: t0}
		p := newProgressAt(Options{Progress: &buf, Terminal: true, Jobs: 2}, cfg, all, todo, t0, clock.now, []float64{1, 1})
		n := len(all)
		if !complete {
			n = 5
		}
		s := 0.0
		for k := range n {
			s += cost(all[k])
			clock.set(at(s))
			p.step(int32(k))
		}
		p.finish()
		out := buf.String()
		for _, w := range []string{"all", "iris", "digits", "/12"} {
			if !strings.Contains(out, w) {
				t.Errorf("complete %v: no %q in the bars:\n%s", complete, w, out)
			}
		}
		if complete && !strings.Contains(out, "12/12  done in") {
			t.Errorf("no final count in the bars:\n%s", out)
		}
	}
}

// mpb shortens the bars to the width (a terminal's, here the one given for a
// writer that is not one): no line wraps.
func TestProgressBarsNarrow(t *testing.T) {
	defer func(w int) { barWidth = w }(barWidth)
	for _, w := range []int{40, 24} {
		barWidth = w
		cfg, all, todo := twoDatasets()
		cfg.Datasets[1].Name = "a_dataset_with_a_long_name"
		var buf syncBuffer
		clock := &fakeClock{t: t0}
		p := newProgressAt(Options{Progress: &buf, Terminal: true, Jobs: 2}, cfg, all, todo, t0, clock.now, []float64{1, 1})
		for k := range 7 {
			clock.set(at(float64(k + 1)))
			p.step(int32(k))
		}
		p.finish()
		lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
		if len(lines) < 3 {
			t.Fatalf("width %d: %d lines:\n%s", w, len(lines), buf.String())
		}
		for _, l := range lines {
			if n := utf8.RuneCountInString(l); n > w {
				t.Errorf("width %d: line of %d runes: %q", w, n, l)
			}
		}
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}
func (b *syncBuffer) String() string { b.mu.Lock(); defer b.mu.Unlock(); return b.b.String() }

func TestRate(t *testing.T) {
	for _, c := range []struct {
		n    int
		d    time.Duration
		want string
	}{{0, time.Second, "-/s"}, {3, time.Second, "3.0/s"}, {3, time.Minute, "3.0/min"}, {3, time.Hour, "3.0/h"}} {
		if got := rate(c.n, c.d); got != c.want {
			t.Errorf("rate(%d, %v) = %q, want %q", c.n, c.d, got, c.want)
		}
	}
}

// A grid of more datasets than maxDatasetBars shows bars only for the datasets
// in flight, each removed when done.
func TestProgressBarsManyDatasets(t *testing.T) {
	cfg := &experiments.Config{Strategies: []experiments.StrategySpec{{Label: "random"}}}
	nd := maxDatasetBars + 2
	for d := range nd {
		cfg.Datasets = append(cfg.Datasets, experiments.DatasetSpec{Name: fmt.Sprintf("set%02d", d)})
	}
	all := grid(nd, 1, []int{0}, true)
	todo := make([]int32, len(all))
	for i := range todo {
		todo[i] = int32(i)
	}
	var buf syncBuffer
	clock := &fakeClock{t: t0}
	p := newProgressAt(Options{Progress: &buf, Terminal: true, Jobs: 2}, cfg, all, todo, t0, clock.now, make([]float64, nd))
	if p.dbars[0] == nil || p.dbars[1] != nil {
		t.Fatalf("bars at the start: set00 %v, set01 %v; want set00's only", p.dbars[0] != nil, p.dbars[1] != nil)
	}
	// Two slots: after five trials, set00 and set01 are done, set02 half done
	// and set03's first job (the seventh) running.
	for k := range 5 {
		clock.set(at(float64(k + 1)))
		p.step(int32(k))
	}
	if p.dbars[2] == nil || p.dbars[3] == nil || p.dbars[4] != nil {
		t.Errorf("bars of set02, set03, set04: %v %v %v; want the running set02 and set03 only",
			p.dbars[2] != nil, p.dbars[3] != nil, p.dbars[4] != nil)
	}
	p.finish()
	out := buf.String()
	last := out[strings.LastIndex(out, "all "):] // the last frame
	if !strings.Contains(last, "set02") || !strings.Contains(last, "set03") || strings.Contains(last, "set00") || strings.Contains(last, "set04") {
		t.Errorf("last frame shows a finished or unstarted dataset, or not a running one:\n%s", last)
	}
}

// The prior's units: pool rows × (rounds + 1), predicted from the config.
func TestDatasetUnits(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.yaml")
	text := `name: u
seeds: 1
datasets:
  - {name: iris, source: iris, protocol: {initial: 6, batch: 3, budget: 30}}
  - {name: wine, source: wine, protocol: {budget: all, batch: 10}}
  - {name: blobs, source: make_blobs, params: {n_samples: 101}}
protocol: {budget: 20, batch: 5}
strategies: [random]
`
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, _, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	// iris: pool 150 − 45 = 105, 10 rounds; wine: pool 178 − 54 = 124, budget
	// 124 − 10 = 114, 12 rounds; blobs: pool 101 − ⌈30.3⌉ = 70, 4 rounds.
	want := []float64{105 * 11, 124 * 13, 70 * 5}
	if got := datasetUnits(cfg); !slices.Equal(got, want) {
		t.Errorf("units %v, want %v", got, want)
	}
}
