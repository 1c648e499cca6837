package logreg

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"

	"albench/nets"
)

// sameModel reports whether a and b have the same weights, bit for bit, and the
// same iteration count.
func sameModel(a, b *Model) bool {
	return a.rows == b.rows && a.nIter == b.nIter && slices.Equal(a.present, b.present) &&
		slices.EqualFunc(a.theta, b.theta, func(u, v float64) bool { return math.Float64bits(u) == math.Float64bits(v) })
}

// TestSessionIsFitFromChain: a session's rounds, growing by one or more rows, a
// round that does not extend the previous one and a class that appears late,
// give bit for bit the models of FitFrom chained on the gathered rows.
func TestSessionIsFitFromChain(t *testing.T) {
	ctx := context.Background()
	for _, fx := range loadFixtures(t) {
		pool := matrix(fx.XTrain)
		// Pool rows sorted by class, so that the last class arrives late.
		order := make([]int, pool.Rows)
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(a, b int) int { return fx.YTrain[a] - fx.YTrain[b] })
		// Start with the first rows of the first two classes.
		var rounds [][]int
		first := []int{order[0], order[len(order)-1]}
		rounds = append(rounds, first)
		cur := slices.Clone(first)
		for _, r := range order[1 : len(order)-1] {
			cur = append(cur, r)
			if len(cur)%3 != 0 {
				rounds = append(rounds, slices.Clone(cur))
			}
		}
		// Not an extension: the rows reversed.
		rev := slices.Clone(cur)
		slices.Reverse(rev)
		rounds = append(rounds, rev, slices.Clone(rev)) // and a round with no new row

		p := Params{C: 0.5}
		s := p.NewSession(pool, fx.Classes)
		var ref *Model
		var x nets.Matrix
		for k, rows := range rounds {
			y := make([]int, len(rows))
			for i, r := range rows {
				y[i] = fx.YTrain[r]
			}
			got, err := s.Fit(ctx, rows, y)
			if err != nil {
				t.Fatal(err)
			}
			x.Gather(pool, rows)
			if ref, err = p.FitFrom(ctx, ref, &x, y, fx.Classes, nil); err != nil {
				t.Fatal(err)
			}
			if !sameModel(got, ref) {
				t.Fatalf("%s round %d (%d rows): session model differs from FitFrom's", fx.Dataset, k, len(rows))
			}
		}
	}
}

// TestSessionChecksNewRows: a non-finite value or a bad label in a row new to the
// round is refused with check's message and absolute index, and the session
// carries on from its last good round.
func TestSessionChecksNewRows(t *testing.T) {
	ctx := context.Background()
	pool := &nets.Matrix{Rows: 5, Cols: 2, Data: []float64{0, 1, 1, 0, 2, 2, math.Inf(1), 0, 3, 1}}
	s := Params{}.NewSession(pool, 2)
	if _, err := s.Fit(ctx, []int{0, 1}, []int{0, 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Fit(ctx, []int{0, 1, 2, 3}, []int{0, 1, 1, 0}); err == nil || !strings.Contains(err.Error(), "x[3][0] = +Inf") {
		t.Errorf("Inf in a new row: %v", err)
	}
	if _, err := s.Fit(ctx, []int{0, 1, 2}, []int{0, 1, 2}); err == nil || !strings.Contains(err.Error(), "label 2 of row 2") {
		t.Errorf("bad label in a new row: %v", err)
	}
	if _, err := s.Fit(ctx, []int{0, 7}, []int{0, 1}); err == nil {
		t.Error("row out of the pool: no error")
	}
	if _, err := s.Fit(ctx, []int{0, 1, 2}, []int{0, 1}); err == nil {
		t.Error("2 labels for 3 rows: no error")
	}
	got, err := s.Fit(ctx, []int{0, 1, 2, 4}, []int{0, 1, 1, 0})
	if err != nil {
		t.Fatal(err)
	}
	var x nets.Matrix
	x.Gather(pool, []int{0, 1, 2, 4})
	want, err := Params{}.Fit(ctx, &x, []int{0, 1, 1, 0}, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	cg, ig := got.Coef()
	cw, iw := want.Coef()
	for i := range cg.Data {
		if math.Abs(cg.Data[i]-cw.Data[i]) > 1e-3 || math.Abs(ig[0]-iw[0]) > 1e-3 {
			t.Fatalf("after refused rounds: coef %v %v, a cold fit %v %v", cg.Data, ig, cw.Data, iw)
		}
	}
}

// TestSessionRoundAllocatesNothing: a round that adds rows to a binary or
// multinomial session, once its buffers have grown, allocates nothing (the
// L-BFGS driver runs gonum's methods without Minimize's goroutines).
func TestSessionRoundAllocatesNothing(t *testing.T) {
	ctx := context.Background()
	for _, fx := range loadFixtures(t) {
		pool := matrix(fx.XTrain)
		order := make([]int, pool.Rows)
		for i := range order {
			order[i] = i
		}
		y := make([]int, pool.Rows)
		for k, r := range order {
			y[k] = fx.YTrain[r]
		}
		s := Params{}.NewSession(pool, fx.Classes)
		n := pool.Rows / 2
		for range 3 {
			if _, err := s.Fit(ctx, order[:n], y[:n]); err != nil {
				t.Fatal(err)
			}
			n++
		}
		iters := 0
		a := testing.AllocsPerRun(10, func() {
			m, err := s.Fit(ctx, order[:n], y[:n])
			if err != nil {
				t.Fatal(err)
			}
			iters += m.NIter()
			n++
		})
		if a != 0 {
			t.Errorf("%s: %v allocations per session round", fx.Dataset, a)
		}
		t.Logf("%s: %v allocations per round, %d iterations in 11 rounds", fx.Dataset, a, iters)
	}
}
