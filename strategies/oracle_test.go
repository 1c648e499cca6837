package strategies

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"albench/nets"
)

// centroidModel is nearest-centroid classification: a row gets the class of the
// nearest class mean of its training rows (classes without rows are never
// predicted; ties go to the lower class; no rows at all predicts class 0).
type centroidModel struct {
	classes   int
	centroids [][]float64 // nil: class absent
}

func (m *centroidModel) Classes() int { return m.classes }

func (m *centroidModel) Predict(x *nets.Matrix, out []int) {
	for i := range x.Rows {
		best, bestD := 0, -1.0
		for c, mu := range m.centroids {
			if mu == nil {
				continue
			}
			if d := sqDist(x.Row(i), mu); bestD < 0 || d < bestD {
				best, bestD = c, d
			}
		}
		out[i] = best
	}
}

// fitCentroids is a Query.Fit training centroidModels; it counts its calls in
// *fits and, when cancelAt > 0, calls cancel on the cancelAt-th.
func fitCentroids(classes int, fits *int, cancelAt int, cancel func()) func(context.Context, *nets.Matrix, []int, *rand.Rand) (Model, error) {
	return func(_ context.Context, x *nets.Matrix, y []int, _ *rand.Rand) (Model, error) {
		*fits++
		if *fits == cancelAt {
			cancel()
		}
		m := &centroidModel{classes: classes, centroids: make([][]float64, classes)}
		count := make([]int, classes)
		for i, c := range y {
			if m.centroids[c] == nil {
				m.centroids[c] = make([]float64, x.Cols)
			}
			for j, v := range x.Row(i) {
				m.centroids[c][j] += v
			}
			count[c]++
		}
		for c, mu := range m.centroids {
			for j := range mu {
				mu[j] /= float64(count[c])
			}
		}
		return m, nil
	}
}

// line builds a one-feature matrix.
func line(xs ...float64) *nets.Matrix {
	m := nets.NewMatrix(len(xs), 1)
	copy(m.Data, xs)
	return m
}

// trapQuery is a one-feature case where the best single point is not the start of
// the best pair. L = {0: class 0, 3: class 1}, so the boundary is 1.5; the test set
// is 1 (0), 2 (1), 5 (0), 5.5 (0), and 2 of its 4 rows are right. Candidates:
//
//	row 2, x = −0.1, class 0 (K): boundary 1.475, 2 right
//	row 3, x = 16, class 1 (P):   centroid 9.5, boundary 4.75, 1 right
//	row 4, x = 16.2, class 1 (Q): centroid 9.6, boundary 4.8, 1 right
//	K+P, K+Q: boundary ≈ 4.7, 1 right; P+Q: centroid 35.2/3, boundary ≈ 5.87, 3 right
func trapQuery(batch int, fits *int) Query {
	return Query{
		Pool:      line(0, 3, -0.1, 16, 16.2),
		Unlabeled: []int{2, 3, 4},
		Labeled:   []int{0, 1}, Labels: []int{0, 1},
		Classes: 2, Model: &centroidModel{classes: 2}, Fit: fitCentroids(2, fits, 0, nil),
		Batch: batch, Rand: rand.New(rand.NewPCG(1, 2)),
		Oracle: &Oracle{Test: line(1, 2, 5, 5.5), TestY: []int{0, 1, 0, 0}, PoolY: []int{0, 1, 0, 1, 1}},
	}
}

func TestOracleHandComputed(t *testing.T) {
	for _, c := range []struct {
		name   string
		params map[string]any
		batch  int
		want   []int
		fits   int
	}{
		// Greedy: K (2 right) first; then K+P and K+Q tie at 1, the lower row wins.
		{"oracle_greedy", nil, 1, []int{2}, 3},
		{"oracle_greedy", nil, 2, []int{2, 3}, 3 + 2},
		// Beam 3, two steps: K, P, Q all kept; P+Q (3 right) is the best pair, so P first.
		{"oracle_bso", map[string]any{"beam": 3}, 1, []int{3}, 3 + 6},
		// Beam 1 keeps only K and never sees P+Q.
		{"oracle_bso", map[string]any{"beam": 1}, 1, []int{2}, 3 + 2},
		// One batch of two ahead with beam 3: the pair P, Q itself.
		{"oracle_bso", map[string]any{"beam": 3, "depth": 1}, 2, []int{3, 4}, 3 + 6},
		// With beam 1 and depth 1 the beam search is the greedy oracle.
		{"oracle_bso", map[string]any{"beam": 1, "depth": 1}, 2, []int{2, 3}, 3 + 2},
		// The whole pool: the last step has a lone extension, which is not scored.
		{"oracle_greedy", nil, 3, []int{2, 3, 4}, 3 + 2},
	} {
		fits := 0
		got, err := mustNew(c.name, c.params).Select(context.Background(), trapQuery(c.batch, &fits))
		if err != nil {
			t.Fatalf("%s%v batch %d: %v", c.name, c.params, c.batch, err)
		}
		if !slices.Equal(got, c.want) || fits != c.fits {
			t.Errorf("%s%v batch %d: picked %v with %d fits, want %v with %d", c.name, c.params, c.batch, got, fits, c.want, c.fits)
		}
	}
}

// TestOracleGreedyBestSingle is a second hand-computed greedy case: L = {−3: 0,
// 5: 1} (boundary 1), test −2, −1 (0) and 0.5, 2, 4 (1), 4 of 5 right. Adding
// row 2 (x = 1, class 1) moves the boundary to 0: 5 right; rows 3 (−4, 0), 4 (0, 0)
// and 5 (7, 1) move it to 0.75, 1.75 and 1.5: 4 right. Given row 2, row 3 moves it
// to −0.25 (5 right), row 4 to 0.75 and row 5 to 2/3 (4 right).
func TestOracleGreedyBestSingle(t *testing.T) {
	fits := 0
	q := Query{
		Pool:      line(-3, 5, 1, -4, 0, 7),
		Unlabeled: []int{2, 3, 4, 5}, Labeled: []int{0, 1}, Labels: []int{0, 1},
		Classes: 2, Model: &centroidModel{classes: 2}, Fit: fitCentroids(2, &fits, 0, nil),
		Rand: rand.New(rand.NewPCG(3, 4)),
		// Ties by TieRank would put row 5 first; no tie decides here.
		TieRank: []int32{0, 1, 5, 4, 3, 2},
		Oracle:  &Oracle{Test: line(-2, -1, 0.5, 2, 4), TestY: []int{0, 0, 1, 1, 1}, PoolY: []int{0, 1, 1, 0, 0, 1}},
	}
	for batch, want := range map[int][]int{1: {2}, 2: {2, 3}} {
		q.Batch = batch
		got, err := mustNew("oracle_greedy", nil).Select(context.Background(), q)
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("batch %d: %v, %v; want %v", batch, got, err, want)
		}
	}
}

// TestOracleTieRank: with no test row that any candidate changes, every candidate
// ties and the lowest TieRank wins, not the lowest row.
func TestOracleTieRank(t *testing.T) {
	fits := 0
	q := trapQuery(1, &fits)
	q.Oracle.Test, q.Oracle.TestY = line(-50), []int{0}
	q.TieRank = []int32{0, 1, 4, 2, 3}
	for _, name := range []string{"oracle_greedy", "oracle_bso"} {
		got, err := mustNew(name, nil).Select(context.Background(), q)
		if err != nil || !slices.Equal(got, []int{3}) {
			t.Errorf("%s: %v, %v; want [3], the lowest TieRank", name, got, err)
		}
	}
}

func oracleQuery(seed uint64, n, l, batch int) Query {
	q := randomQuery(seed, n, l, batch)
	rng := rand.New(rand.NewPCG(seed, 7))
	poolY := make([]int, n)
	for i := range poolY {
		poolY[i] = rng.IntN(q.Classes)
	}
	for i, r := range q.Labeled {
		poolY[r] = q.Labels[i]
	}
	test := randomPool(rng, 20, q.Pool.Cols)
	testY := make([]int, test.Rows)
	for i := range testY {
		testY[i] = rng.IntN(q.Classes)
	}
	q.Oracle = &Oracle{Test: test, TestY: testY, PoolY: poolY}
	return q
}

var oracleVariants = []struct {
	name   string
	params map[string]any
}{
	{"oracle_greedy", nil},
	{"oracle_greedy", map[string]any{"candidates": 4}},
	{"oracle_greedy", map[string]any{"candidates": 0}},
	{"oracle_bso", map[string]any{"candidates": 6}},
	{"oracle_bso", map[string]any{"beam": 2, "depth": 1, "candidates": 0}},
}

// TestOracleSelectionProperties: the Select contract (size, distinct, unlabeled,
// same stream same rows) on random pools, with the Prober path of linearModel and
// the Predictor path of centroidModel.
func TestOracleSelectionProperties(t *testing.T) {
	for _, v := range oracleVariants {
		for _, n := range []int{1, 5, 23} {
			for _, batch := range []int{0, 1, 3, 30} {
				for _, l := range []int{0, 1, n / 3} {
					if l >= n {
						continue
					}
					q := oracleQuery(uint64(n*100+l), n, l, batch)
					checkSelection(t, fmt.Sprintf("%s%v/n=%d/l=%d/batch=%d", v.name, v.params, n, l, batch), v.name, v.params, q)
					fits := 0
					q.Fit = fitCentroids(q.Classes, &fits, 0, nil)
					checkSelection(t, fmt.Sprintf("%s%v/centroids/n=%d/l=%d/batch=%d", v.name, v.params, n, l, batch), v.name, v.params, q)
				}
			}
		}
	}
}

// TestOracleRounds runs the oracles through rounds until the pool is exhausted.
func TestOracleRounds(t *testing.T) {
	for _, v := range oracleVariants {
		q := oracleQuery(5, 30, 4, 4)
		q.Rand = rand.New(rand.NewPCG(5, 5))
		s := mustNew(v.name, v.params)
		taken := map[int]bool{}
		for round := 0; len(q.Unlabeled) > 0; round++ {
			got, err := s.Select(context.Background(), q)
			if err != nil {
				t.Fatalf("%s round %d: %v", v.name, round, err)
			}
			if want := min(4, len(q.Unlabeled)); len(got) != want {
				t.Fatalf("%s round %d: %d rows, want %d", v.name, round, len(got), want)
			}
			for _, r := range got {
				if taken[r] || slices.Contains(q.Labeled, r) {
					t.Fatalf("%s round %d: row %d picked again", v.name, round, r)
				}
				taken[r] = true
				q.Labeled = append(q.Labeled, r)
				q.Labels = append(q.Labels, q.Oracle.PoolY[r])
			}
			q.Unlabeled = slices.DeleteFunc(q.Unlabeled, func(r int) bool { return taken[r] })
		}
	}
}

// TestOracleCandidatesBoundFits: a round of the greedy oracle fits at most
// batch × candidates models, whatever the pool size.
func TestOracleCandidatesBoundFits(t *testing.T) {
	fits := 0
	q := oracleQuery(9, 200, 5, 3)
	q.Fit = fitCentroids(q.Classes, &fits, 0, nil)
	q.Rand = rand.New(rand.NewPCG(9, 9))
	if _, err := mustNew("oracle_greedy", map[string]any{"candidates": 10}).Select(context.Background(), q); err != nil {
		t.Fatal(err)
	}
	if want := 10 + 9 + 8; fits != want {
		t.Errorf("%d fits, want %d (10, 9 and 8 candidates left at the three steps)", fits, want)
	}
}

func TestOracleStopsOnCancel(t *testing.T) {
	for _, name := range []string{"oracle_greedy", "oracle_bso"} {
		ctx, cancel := context.WithCancel(context.Background())
		fits := 0
		q := oracleQuery(11, 40, 4, 2)
		q.Rand = rand.New(rand.NewPCG(1, 1))
		q.Fit = fitCentroids(q.Classes, &fits, 3, cancel)
		_, err := mustNew(name, nil).Select(ctx, q)
		if !errors.Is(err, context.Canceled) || fits != 3 {
			t.Errorf("%s: error %v after %d fits, want context.Canceled after 3", name, err, fits)
		}
		cancel()
	}
}

func TestOracleNeedsOracle(t *testing.T) {
	fits := 0
	q := trapQuery(1, &fits)
	q.Oracle = nil
	if _, err := mustNew("oracle_greedy", nil).Select(context.Background(), q); err == nil {
		t.Error("oracle_greedy without Query.Oracle: no error")
	}
	q = trapQuery(1, &fits)
	q.Oracle.PoolY = nil
	if _, err := mustNew("oracle_bso", nil).Select(context.Background(), q); err == nil {
		t.Error("oracle_bso without pool labels: no error")
	}
	for _, name := range []string{"oracle_greedy", "oracle_bso"} {
		if !IsOracle(name) {
			t.Errorf("%s is not registered as an oracle", name)
		}
	}
	if IsOracle("random") || IsOracle("nope") {
		t.Error("IsOracle is true for a strategy that is none")
	}
}

// TestOracleBeatsRandom: on two Gaussian blobs with nearest-centroid models, the
// oracles' learning curves lie above random's, summed over rounds and seeds.
func TestOracleBeatsRandom(t *testing.T) {
	const pool, test, rounds = 60, 40, 8
	area := map[string]int{}
	for seed := range uint64(6) {
		rng := rand.New(rand.NewPCG(seed, 77))
		blobs := func(n int) (*nets.Matrix, []int) {
			x, y := nets.NewMatrix(n, 2), make([]int, n)
			for i := range n {
				y[i] = i % 2
				x.Row(i)[0] = float64(rng.NormFloat64()*1.5) + float64(2*y[i])
				x.Row(i)[1] = rng.NormFloat64() * 1.5
			}
			return x, y
		}
		px, py := blobs(pool)
		tx, ty := blobs(test)
		for _, name := range []string{"random", "oracle_greedy", "oracle_bso"} {
			fits := 0
			fit := fitCentroids(2, &fits, 0, nil)
			q := Query{Pool: px, Labeled: []int{0, 1}, Labels: []int{py[0], py[1]}, Classes: 2,
				Fit: fit, Batch: 1, Rand: rand.New(rand.NewPCG(seed, 1)),
				Oracle: &Oracle{Test: tx, TestY: ty, PoolY: py}}
			q.Unlabeled = seq(2, pool)
			s := mustNew(name, nil)
			var x nets.Matrix
			for range rounds {
				x.Gather(px, q.Labeled)
				q.Model, _ = fit(context.Background(), &x, q.Labels, nil)
				got, err := s.Select(context.Background(), q)
				if err != nil {
					t.Fatal(err)
				}
				q.Labeled = append(q.Labeled, got...)
				for _, r := range got {
					q.Labels = append(q.Labels, py[r])
				}
				q.Unlabeled = slices.DeleteFunc(q.Unlabeled, func(r int) bool { return slices.Contains(got, r) })
				x.Gather(px, q.Labeled)
				m, _ := fit(context.Background(), &x, q.Labels, nil)
				var o oracle
				n, _ := o.correct(m, tx, ty)
				area[name] += n
			}
		}
	}
	if area["oracle_greedy"] <= area["random"] || area["oracle_bso"] <= area["random"] {
		t.Errorf("correct test predictions summed over rounds and seeds: %v; the oracles should beat random", area)
	}
	t.Logf("summed correct test predictions: %v", area)
}

// TestOracleBeamDistinctSets: two orders of the same rows take one beam slot. In
// the trap with beam 3 and a horizon of 2, P+Q and Q+P both get 3 right; the beams
// kept are P+Q, K+P and K+Q, not Q+P.
func TestOracleBeamDistinctSets(t *testing.T) {
	fits := 0
	s := mustNew("oracle_bso", map[string]any{"beam": 3, "depth": 1}).(*oracle)
	if _, err := s.Select(context.Background(), trapQuery(2, &fits)); err != nil {
		t.Fatal(err)
	}
	if want := []int{3, 4, 2, 3, 2, 4}; !slices.Equal(s.seqs[:6], want) {
		t.Errorf("kept sequences %v, want %v", s.seqs[:6], want)
	}
}
