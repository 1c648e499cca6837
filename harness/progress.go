package harness

import (
	"fmt"
	"io"
	"time"
)

// progress prints trials done / total, elapsed time and an estimate of the time
// left. On a terminal it rewrites one line; otherwise it prints plain lines, at
// most one a second, with no control characters.
type progress struct {
	w                 io.Writer
	terminal          bool
	total, done, base int
	start, last       time.Time
}

func newProgress(w io.Writer, terminal bool, total, skipped int, start time.Time) *progress {
	p := &progress{w: w, terminal: terminal, total: total, done: skipped, base: skipped, start: start}
	if w != nil && skipped > 0 {
		fmt.Fprintf(w, "resuming: %d of %d trials already done\n", skipped, total)
	}
	return p
}

func (p *progress) step() {
	p.done++
	if p.w == nil {
		return
	}
	now := time.Now()
	if !p.terminal && now.Sub(p.last) < time.Second && p.done < p.total {
		return
	}
	p.last = now
	p.print(now)
}

func (p *progress) print(now time.Time) {
	elapsed := now.Sub(p.start)
	eta := "?"
	if ran := p.done - p.base; ran > 0 {
		left := time.Duration(float64(elapsed) / float64(ran) * float64(p.total-p.done))
		eta = left.Round(time.Second).String()
	}
	pct := 100.0
	if p.total > 0 {
		pct = 100 * float64(p.done) / float64(p.total)
	}
	line := fmt.Sprintf("trials %d/%d (%.0f%%)  elapsed %s  left ~%s", p.done, p.total, pct, elapsed.Round(time.Second), eta)
	if p.terminal {
		fmt.Fprintf(p.w, "\r%-70s", line)
	} else {
		fmt.Fprintln(p.w, line)
	}
}

func (p *progress) finish() {
	if p.w != nil && p.terminal {
		fmt.Fprintln(p.w)
	}
}
