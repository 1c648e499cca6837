package harness

import (
	"bytes"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

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
	all := grid(2, 2, []int{0, 1})
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
