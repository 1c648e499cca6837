package logreg

import (
	"context"
	"fmt"

	"albench/learners/internal/check"
	"albench/nets"
)

// Session refits the model round after round on a growing labeled subset of a
// fixed pool, as an active learner's query model is refitted: each fit is FitFrom
// warm-started from the previous round's model, on the same data and so with the
// same result. When a round's labeled rows and labels extend the previous
// round's, only the new rows are copied out of the pool and checked; otherwise
// the labeled rows are gathered and checked anew. Two models are reused in turn,
// so a round allocates nothing once the buffers have grown.
type Session struct {
	p       Params
	pool    *nets.Matrix
	classes int
	x       nets.Matrix // the labeled rows of the last successful round
	labeled []int
	labels  []int
	models  [2]Model
	next    int    // the model the next round fits into
	prev    *Model // the last round's model, nil before the first
}

// NewSession returns a session over the rows of pool for a model of classes
// outputs. pool must not change while the session is used.
func (p Params) NewSession(pool *nets.Matrix, classes int) *Session {
	s := &Session{p: p, pool: pool, classes: classes}
	s.x.Cols = pool.Cols
	s.x.Data = make([]float64, 0, pool.Rows*pool.Cols)
	s.labeled = make([]int, 0, pool.Rows)
	s.labels = make([]int, 0, pool.Rows)
	return s
}

// Fit fits the pool rows labeled (labels[k] the class of labeled[k]), warm
// started from the previous round's model. The returned model belongs to the
// session and stays valid until the call after next.
func (s *Session) Fit(ctx context.Context, labeled, labels []int) (*Model, error) {
	if err := s.p.Validate(); err != nil {
		return nil, err
	}
	for _, r := range labeled {
		if r < 0 || r >= s.pool.Rows {
			return nil, fmt.Errorf("logreg: labeled row %d is out of the pool of %d", r, s.pool.Rows)
		}
	}
	d := s.pool.Cols
	from := len(s.labeled)
	if !s.extends(labeled, labels) {
		from = 0
	}
	// Append the new rows; on an error the session keeps its last good round.
	x := &s.x
	x.Data = x.Data[:from*d]
	for _, r := range labeled[from:] {
		x.Data = append(x.Data, s.pool.Row(r)...)
	}
	x.Rows, x.Cols = len(labeled), d
	if err := check.DataFrom("logreg", x, labels, s.classes, from); err != nil {
		x.Data, x.Rows = x.Data[:len(s.labeled)*d], len(s.labeled)
		if from == 0 {
			s.labeled, s.labels, x.Data, x.Rows = s.labeled[:0], s.labels[:0], x.Data[:0], 0
		}
		return nil, err
	}
	s.labeled = append(s.labeled[:from], labeled[from:]...)
	s.labels = append(s.labels[:from], labels[from:]...)
	m := &s.models[s.next]
	m, err := s.p.fit(ctx, m, s.prev, x, s.labels, s.classes)
	if err != nil {
		return nil, err
	}
	s.prev = m
	s.next ^= 1
	return m, nil
}

// extends reports whether labeled and labels start with the last round's.
func (s *Session) extends(labeled, labels []int) bool {
	if len(labeled) < len(s.labeled) || len(labels) < len(s.labels) {
		return false
	}
	for k, r := range s.labeled {
		if labeled[k] != r || labels[k] != s.labels[k] {
			return false
		}
	}
	return true
}
