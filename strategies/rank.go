package strategies

import (
	"fmt"
	"math"

	"albench/internal/fmath"
	"albench/learners"
	"albench/nets"
)

// ranker returns the k best-scoring candidates. It keeps its heap between calls so a
// strategy that ranks once per round does not allocate for it in steady state.
type ranker struct {
	heap   []int // positions into rows/scores; heap[0] is the worst kept
	rows   []int
	scores []float64
	tie    []int32
}

// topK returns the rows[i] of the k largest scores[i], best first, as a new slice.
// Equal scores rank by tie (Query.TieRank; nil: the lower row first), and NaN
// ranks below every number, so the answer is a function of the scores and the
// tie order alone. NaN entries of scores are overwritten
// with -Inf. k is clamped to len(rows).
//
// A bounded min-heap makes this O(n log k): the batch is usually tiny next to the pool.
func (r *ranker) topK(tie []int32, rows []int, scores []float64, k int) []int {
	if len(rows) != len(scores) {
		panic(fmt.Sprintf("strategies: %d rows for %d scores", len(rows), len(scores)))
	}
	k = min(k, len(rows))
	if k <= 0 {
		return []int{}
	}
	for i, s := range scores {
		if math.IsNaN(s) {
			scores[i] = math.Inf(-1)
		}
	}
	r.rows, r.scores, r.tie = rows, scores, tie
	r.heap = r.heap[:0]
	for i := range rows {
		switch {
		case len(r.heap) < k:
			r.heap = append(r.heap, i)
			r.up(len(r.heap) - 1)
		case r.better(i, r.heap[0]):
			r.heap[0] = i
			r.down(0, len(r.heap))
		}
	}
	// Pop the worst to the back until the heap is empty: best first, no sort closure.
	out := make([]int, k)
	for n := len(r.heap); n > 0; n-- {
		out[n-1] = rows[r.heap[0]]
		r.heap[0] = r.heap[n-1]
		r.down(0, n-1)
	}
	r.rows, r.scores, r.tie = nil, nil, nil
	return out
}

// better reports whether candidate i ranks above candidate j.
func (r *ranker) better(i, j int) bool {
	si, sj := r.scores[i], r.scores[j]
	if si != sj {
		return si > sj
	}
	return tieLess(r.tie, r.rows[i], r.rows[j])
}

func (r *ranker) up(c int) {
	for c > 0 {
		p := (c - 1) / 2
		if !r.better(r.heap[p], r.heap[c]) {
			return
		}
		r.heap[p], r.heap[c] = r.heap[c], r.heap[p]
		c = p
	}
}

func (r *ranker) down(p, n int) {
	for {
		c := 2*p + 1
		if c >= n {
			return
		}
		if c+1 < n && r.better(r.heap[c], r.heap[c+1]) {
			c++ // the worse child
		}
		if !r.better(r.heap[p], r.heap[c]) {
			return
		}
		r.heap[p], r.heap[c] = r.heap[c], r.heap[p]
		p = c
	}
}

// batchSize is the number of rows Select must return, min(q.Batch, len(q.Unlabeled)).
func batchSize(q Query) int {
	if q.Batch < 0 {
		panic(fmt.Sprintf("strategies: negative batch %d", q.Batch))
	}
	return min(q.Batch, len(q.Unlabeled))
}

// grow returns s resized to n, reusing its storage when it suffices.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// checkShape panics unless m is rows×cols: a model that breaks its contract is a bug.
func checkShape(what string, m *nets.Matrix, rows, cols int) {
	if m.Rows != rows || m.Cols != cols || len(m.Data) != rows*cols {
		panic(fmt.Sprintf("strategies: %s is %d×%d (%d elements), want %d×%d",
			what, m.Rows, m.Cols, len(m.Data), rows, cols))
	}
}

// probScratch computes the model's probabilities (or decision values) on the
// unlabeled rows into reused buffers. x holds the gathered unlabeled rows when
// gathered is true (the model could not read them in the pool).
type probScratch struct {
	x, p     nets.Matrix
	gathered bool
}

// rowsProber is a model that computes Probs of listed rows of a matrix where they
// are, a chunk at a time (nets.Net.ProbsRows), with the bits of Probs on the
// gathered rows.
type rowsProber interface {
	ProbsRows(x *nets.Matrix, rows []int, out *nets.Matrix)
}

// rowsGradEmbedder is a model that computes GradEmbed of listed rows of a matrix
// where they are (nets.Net.GradEmbedRows), with the bits of GradEmbed on the
// gathered rows.
type rowsGradEmbedder interface {
	GradEmbedRows(x *nets.Matrix, rows []int, out *nets.Matrix)
}

// probs returns the model's probabilities on the unlabeled rows, asking the model
// for pool rows directly when it can answer without a gathered copy (a gathered
// copy of a million-row pool is as large as the pool).
func (s *probScratch) probs(q Query) *nets.Matrix {
	if q.Model == nil {
		panic("strategies: query has no model")
	}
	s.gathered = false
	switch m := q.Model.(type) {
	case learners.PoolProber:
		m.PoolProbs(q.Unlabeled, &s.p)
	case rowsProber:
		m.ProbsRows(q.Pool, q.Unlabeled, &s.p)
	default:
		pr, ok := q.Model.(learners.Prober)
		if !ok {
			panic("strategies: the model has no probabilities (validation should have refused this strategy)")
		}
		s.gather(q)
		pr.Probs(&s.x, &s.p)
	}
	checkShape("probabilities", &s.p, len(q.Unlabeled), q.Model.Classes())
	return &s.p
}

// decisions returns the model's decision values on the unlabeled rows: one column
// for two classes, one per class otherwise.
func (s *probScratch) decisions(q Query) *nets.Matrix {
	s.gathered = false
	if pd, ok := q.Model.(learners.PoolDecider); ok {
		pd.PoolDecision(q.Unlabeled, &s.p)
	} else {
		d, ok := q.Model.(learners.Decider)
		if !ok {
			panic("strategies: the model has neither probabilities nor decision values")
		}
		s.gather(q)
		d.Decision(&s.x, &s.p)
	}
	want := q.Model.Classes()
	if want == 2 {
		want = 1
	}
	checkShape("decision values", &s.p, len(q.Unlabeled), want)
	return &s.p
}

// gather copies the unlabeled rows of the pool into s.x.
func (s *probScratch) gather(q Query) {
	s.x.Gather(q.Pool, q.Unlabeled)
	s.gathered = true
}

// entropy returns the Shannon entropy of a probability vector in nats, with 0 log 0 = 0:
//
//	H(p) = −Σ_y p(y) log p(y)
func entropy(p []float64) float64 {
	var h float64
	for _, v := range p {
		if v > 0 {
			h -= float64(v * fmath.Log(v))
		} else if v != v {
			return v // NaN in, NaN out: the ranker puts it last, as for the other scores
		}
	}
	return h
}

// leastConfidence returns 1 − max_y p(y).
func leastConfidence(p []float64) float64 {
	best := math.Inf(-1)
	for _, v := range p {
		best = max(best, v)
	}
	return 1 - best
}

// smallMargin returns 1 − (p(ŷ1) − p(ŷ2)), ŷ1 and ŷ2 the two most probable classes,
// so that larger is more uncertain; with one class the runner-up probability is 0.
func smallMargin(p []float64) float64 {
	first, second := math.Inf(-1), 0.0
	for i, v := range p {
		switch {
		case i == 0 || v > first:
			if i > 0 {
				second = first
			}
			first = v
		case i == 1 || v > second:
			second = v
		}
	}
	return 1 - (first - second)
}

// argmax returns the index of the largest entry, the lowest index on ties.
func argmax(p []float64) int {
	best := 0
	for i, v := range p {
		if v > p[best] {
			best = i
		}
	}
	return best
}

// sqDist returns the squared Euclidean distance between a and b.
func sqDist(a, b []float64) float64 {
	var d float64
	for i, v := range a {
		e := v - b[i]
		d += float64(e * e)
	}
	return d
}

// classes is the number of classes of the query: q.Classes, or the model's when unset.
func classes(q Query) int {
	if q.Classes == 0 && q.Model != nil {
		return q.Model.Classes()
	}
	return q.Classes
}
