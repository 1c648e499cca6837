package strategies

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"syscall"
	"testing"

	"albench/nets"
)

// surveyVariants are the survey strategies with their non-default settings. They
// join the shared property tests (selection properties, shrinking pool, steady-state
// allocations, no aliases) through variants.
var surveyVariants = []struct {
	name   string
	params map[string]any
}{
	{"graph_density", nil},
	{"graph_density", map[string]any{"n_neighbors": 3}},
	{"hierarchical", nil},
	{"hierarchical", map[string]any{"linkage": "average", "beta": 1.5}},
	{"info_diversity", nil},
	{"info_diversity", map[string]any{"clusters": 5}},
	{"mcm", nil},
	{"cluster_margin", nil},
	{"cluster_margin", map[string]any{"epsilon": 0.2, "candidates_factor": 3}},
}

func init() { variants = append(variants, surveyVariants...) }

// featModel hides every capability of a linearModel but probabilities, as a
// logistic regression or random forest offers: no embeddings.
type featModel struct{ m *linearModel }

func (p featModel) Classes() int              { return p.m.Classes() }
func (p featModel) Probs(x, out *nets.Matrix) { p.m.Probs(x, out) }

// col builds a one-feature pool.
func col(v ...float64) *nets.Matrix {
	m := nets.NewMatrix(len(v), 1)
	copy(m.Data, v)
	return m
}

// twoClass returns a table of two-class probabilities with p(class 0) = p[i].
func twoClass(p ...float64) [][]float64 {
	out := make([][]float64, len(p))
	for i, v := range p {
		out[i] = []float64{v, 1 - v}
	}
	return out
}

func TestCoresetOnStandardizedFeatures(t *testing.T) {
	// Labeled centre (0,0). Raw distances make A (1000,0) farthest; z-scored, the
	// x column has σ = √187500 ≈ 433.0 and the y column σ = √1.5, so
	//   A: (1000/433.0)² = 16/3 ≈ 5.33,  B: (3/√1.5)² = 6,  C: (1/√1.5)² ≈ 0.67
	// and B comes first; then A (5.33 from the centre, 11.3 from B) beats C.
	pool := matrix(
		[]float64{0, 0},    // 0 labeled
		[]float64{1000, 0}, // 1 A
		[]float64{0, 3},    // 2 B
		[]float64{0, 1},    // 3 C
	)
	m := &decisionModel{pool: pool, k: 2, dec: [][]float64{{0}, {0}, {0}, {0}}}
	q := Query{Pool: pool, Unlabeled: []int{1, 2, 3}, Labeled: []int{0}, Labels: []int{0},
		Classes: 2, Model: m, Batch: 2}
	if got := selectOnce(t, "coreset", nil, q); !slices.Equal(got, []int{2, 1}) {
		t.Errorf("coreset on features = %v, want [2 1] (standardised, not raw, distances)", got)
	}
	// Rounds reuse the distances to the labeled rows: labeling B then asking again
	// must measure from B too.
	s := mustNew("coreset", nil)
	q.Rand = rand.New(rand.NewPCG(1, 1))
	if _, err := s.Select(context.Background(), q); err != nil {
		t.Fatal(err)
	}
	q.Labeled, q.Labels, q.Unlabeled, q.Batch = []int{0, 2}, []int{0, 1}, []int{1, 3}, 1
	if got, _ := s.Select(context.Background(), q); !slices.Equal(got, []int{1}) {
		t.Errorf("second round = %v, want [1]", got)
	}
	// A labeled set that does not extend the last one is measured from scratch.
	q.Labeled, q.Labels, q.Unlabeled = []int{3}, []int{0}, []int{0, 1, 2}
	if got, _ := s.Select(context.Background(), q); !slices.Equal(got, []int{1}) {
		t.Errorf("after a reset = %v, want [1], the farthest from C", got)
	}
}

func TestGraphDensityHandCase(t *testing.T) {
	// x = 0, 0.1, 3, 3.2, 3.45, 10 with one neighbour each: 0↔0.1, 3↔3.2,
	// 3.45→3.2, 10→3.45, so the symmetric edges are {0,1} {2,3} {3,4} {4,5} and,
	// with s the pool's σ, dens = e^{−0.1/s}, e^{−0.1/s}, e^{−0.2/s},
	// mean(e^{−0.2/s}, e^{−0.25/s}), mean(e^{−0.25/s}, e^{−6.55/s}), e^{−6.55/s}.
	// Row 0 wins the tie with row 1 (lower row), which drops to 0; row 2 is next
	// and pushes row 3 below 0; then row 4 beats row 5 and row 1.
	pool := col(0, 0.1, 3, 3.2, 3.45, 10)
	q := Query{Pool: pool, Unlabeled: seq(0, 6), Classes: 2, Batch: 3}
	nn1 := map[string]any{"n_neighbors": 1}
	if got := selectOnce(t, "graph_density", nn1, q); !slices.Equal(got, []int{0, 2, 4}) {
		t.Errorf("graph_density = %v, want [0 2 4]", got)
	}
	// The tie order decides between rows 0 and 1.
	q.TieRank = []int32{1, 0, 2, 3, 4, 5}
	if got := selectOnce(t, "graph_density", nn1, q); !slices.Equal(got, []int{1, 2, 4}) {
		t.Errorf("graph_density with row 1 first in tie order = %v, want [1 2 4]", got)
	}
	// A labeled row lowers its neighbours as a pick does.
	q.TieRank = nil
	q.Labeled, q.Labels, q.Unlabeled, q.Batch = []int{0}, []int{0}, seq(1, 6), 2
	if got := selectOnce(t, "graph_density", nn1, q); !slices.Equal(got, []int{2, 4}) {
		t.Errorf("graph_density with row 0 labeled = %v, want [2 4]", got)
	}
}

func TestHierarchicalPruningAndWeights(t *testing.T) {
	// Two far blobs of 10 rows: A (rows 0–9 near 0) and B (rows 10–19 near 100).
	// A has 8 rows labeled 0, B 3 rows labeled 1. The root (8 vs 3 of 11) admits
	// label 0: p = 8/11, Δ = 1/11 + √(p(1−p)/11) ≈ 0.2252, so 1 − p^LB ≈ 0.498 <
	// 2(1 − p^UB_1) ≈ 1.004; its error 3/11 is beaten by splitting into A (pure,
	// error 0) and B (pure, error 0). So the pruning is {A, B} with L(A) = 0,
	// L(B) = 1 and weights w(1 − p^LB): A 0.5 × (1 − (1 − 1/8)) = 0.0625,
	// B 0.5 × (1 − (1 − 1/3)) = 1/6.
	v := make([]float64, 20)
	for i := range 10 {
		v[i], v[10+i] = float64(i)/10, 100+float64(i)/10
	}
	pool := col(v...)
	labeled := []int{0, 1, 2, 3, 4, 5, 6, 7, 10, 11, 12}
	labels := []int{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1}
	var unlabeled []int
	for r := range 20 {
		if !slices.Contains(labeled, r) {
			unlabeled = append(unlabeled, r)
		}
	}
	q := Query{Pool: pool, Unlabeled: unlabeled, Labeled: labeled, Labels: labels, Classes: 2,
		Batch: 3, Rand: rand.New(rand.NewPCG(4, 4))}
	s := mustNew("hierarchical", nil).(*hierarchical)
	got, err := s.Select(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.prune) != 2 {
		t.Fatalf("pruning has %d nodes, want the two blobs", len(s.prune))
	}
	for i, v := range s.prune {
		lo, hi := s.lo[v], s.hi[v]
		leaves := slices.Sorted(slices.Values(s.order[lo:hi]))
		want, w := seq(0, 10), 0.0625
		if i == 1 {
			want, w = seq(10, 20), 1.0/6
		}
		if !slices.Equal(leaves, want) {
			t.Errorf("pruning node %d covers %v, want %v", i, leaves, want)
		}
		if d := s.weight[i] - w; d > 1e-12 || d < -1e-12 {
			t.Errorf("pruning node %d weight %v, want %v", i, s.weight[i], w)
		}
	}
	for _, r := range got {
		if !slices.Contains(unlabeled, r) {
			t.Errorf("picked %d, which is labeled", r)
		}
	}
	// Over many draws B (probability (1/6)/(1/6 + 1/16) = 8/11 per node draw, and
	// A has only two rows to give) supplies most picks.
	inB := 0
	for seed := range 200 {
		q.Rand = rand.New(rand.NewPCG(uint64(seed), 1))
		q.Batch = 1
		got, _ := s.Select(context.Background(), q)
		if got[0] >= 10 {
			inB++
		}
	}
	if inB < 120 || inB > 170 { // 200 × 8/11 ≈ 145.5, σ ≈ 6.3
		t.Errorf("%d of 200 single picks from B, want about 145", inB)
	}
}

func TestHierarchicalRefinesWhereLabelsArrive(t *testing.T) {
	// Same blobs. The first round sees only A's labels, all class 0: the one class
	// seen is admissible everywhere with error 0, so nothing beats the root and the
	// pruning is the root alone. Then three labels of class 1 arrive in B: the
	// root holds them, so it is refined, into the two blobs as above.
	v := make([]float64, 20)
	for i := range 10 {
		v[i], v[10+i] = float64(i)/10, 100+float64(i)/10
	}
	pool := col(v...)
	q := Query{Pool: pool, Labeled: seq(0, 8), Labels: make([]int, 8), Unlabeled: seq(8, 20),
		Classes: 2, Batch: 2, Rand: rand.New(rand.NewPCG(1, 1))}
	s := mustNew("hierarchical", nil).(*hierarchical)
	if _, err := s.Select(context.Background(), q); err != nil {
		t.Fatal(err)
	}
	if len(s.prune) != 1 {
		t.Fatalf("first round pruning has %d nodes, want the root alone", len(s.prune))
	}
	q.Labeled = append(q.Labeled, 10, 11, 12)
	q.Labels = append(q.Labels, 1, 1, 1)
	q.Unlabeled = []int{8, 9, 13, 14, 15, 16, 17, 18, 19}
	if _, err := s.Select(context.Background(), q); err != nil {
		t.Fatal(err)
	}
	if len(s.prune) != 2 {
		t.Errorf("after labels in B the pruning has %d nodes, want the two blobs", len(s.prune))
	}
}

func TestInfoDiversityHandCase(t *testing.T) {
	// Two blobs of four rows; two classes, so two k-means clusters, the blobs.
	// Margin order: 0, 1 (blob A), 4 (B), 2 (A), 5 (B), ... With B = 2 each blob's
	// quota is count·8 < 2·4, one row each: [0 4], where margin takes [0 1]. With
	// B = 4, two each: 0, 1, 4, then 2 is over A's quota and 5 fills B: [0 1 4 5].
	pool := col(0, 0.1, 0.2, 0.3, 100, 100.1, 100.2, 100.3)
	m := &tableModel{pool: pool, probs: twoClass(0.5, 0.52, 0.65, 0.95, 0.6, 0.7, 0.9, 0.99)}
	q := Query{Pool: pool, Unlabeled: seq(0, 8), Classes: 2, Model: m, Batch: 2}
	if got := selectOnce(t, "info_diversity", nil, q); !slices.Equal(got, []int{0, 4}) {
		t.Errorf("info_diversity batch 2 = %v, want [0 4]", got)
	}
	q.Batch = 4
	if got := selectOnce(t, "info_diversity", nil, q); !slices.Equal(got, []int{0, 1, 4, 5}) {
		t.Errorf("info_diversity batch 4 = %v, want [0 1 4 5]", got)
	}
	// One cluster: no constraint, margin order.
	if got := selectOnce(t, "info_diversity", map[string]any{"clusters": 1}, q); !slices.Equal(got, []int{0, 1, 4, 2}) {
		t.Errorf("info_diversity with one cluster = %v, want margin's [0 1 4 2]", got)
	}
}

func TestMCMHandCase(t *testing.T) {
	// Decision values of a two-class model; labeled rows 7 and 8 have |f| 0.5 and
	// 0.8, so the margin is |f| < 0.5: rows 0–2 (blob A at 0, 0.3, 0.4) and 3–5
	// (blob B at 50, 50.5, 50.6); row 6 (|f| = 0.9) is outside. Two clusters, the
	// blobs: A's mean 0.233 is nearest row 1, B's mean 50.367 nearest row 4; in
	// margin order [1 4], where margin takes [0 1].
	pool := col(0, 0.3, 0.4, 50, 50.5, 50.6, 50.55, 20, 30)
	m := &decisionModel{pool: pool, k: 2, dec: [][]float64{
		{0.1}, {-0.2}, {0.3}, {-0.4}, {0.45}, {0.48}, {0.9}, {-0.5}, {0.8}}}
	q := Query{Pool: pool, Unlabeled: seq(0, 7), Labeled: []int{7, 8}, Labels: []int{0, 1},
		Classes: 2, Model: m, Batch: 2}
	if got := selectOnce(t, "mcm", nil, q); !slices.Equal(got, []int{1, 4}) {
		t.Errorf("mcm batch 2 = %v, want [1 4]", got)
	}
	// Batch 1: the in-margin mean is 25.3, nearest row 3 (24.7 away; row 2 is
	// 24.9): the most representative uncertain point, not margin's row 0.
	q.Batch = 1
	if got := selectOnce(t, "mcm", nil, q); !slices.Equal(got, []int{3}) {
		t.Errorf("mcm batch 1 = %v, want [3]", got)
	}
	// A labeled row at |f| = 0.15 leaves only row 0 inside: fewer than the batch,
	// so margin sampling.
	m.dec[7] = []float64{0.15}
	q.Batch = 2
	if got := selectOnce(t, "mcm", nil, q); !slices.Equal(got, []int{0, 1}) {
		t.Errorf("mcm with one row in the margin = %v, want margin's [0 1]", got)
	}
}

func TestClusterMarginRoundRobin(t *testing.T) {
	// Groups X = {0}, Y = {1, 2}, Z = {3, 4, 5} far apart, rows 6 and 7 confident.
	// candidates_factor 2 × batch 3 = 6 candidates, rows 0–5; visited smallest
	// group first: X's row, one of Y, one of Z. With batch 5 (10 candidates, capped
	// at 8: rows 6 and 7 join as the group W = {6, 7}, the size of Y but with a
	// less uncertain first member): X, Y, W, Z, Y.
	pool := col(0, 10, 10.1, 20, 20.1, 20.2, 30, 30.1)
	m := &tableModel{pool: pool, probs: twoClass(0.5, 0.51, 0.52, 0.53, 0.54, 0.55, 0.99, 0.98)}
	q := Query{Pool: pool, Unlabeled: seq(0, 8), Classes: 2, Model: m, Batch: 3}
	p := map[string]any{"epsilon": 0.1, "candidates_factor": 2}
	for seed := range 20 {
		q.Rand = rand.New(rand.NewPCG(uint64(seed), 3))
		got := selectOnce(t, "cluster_margin", p, q)
		if len(got) != 3 || got[0] != 0 || (got[1] != 1 && got[1] != 2) || got[2] < 3 || got[2] > 5 {
			t.Fatalf("cluster_margin batch 3 = %v, want [0, one of 1–2, one of 3–5]", got)
		}
		q.Batch = 5
		got = selectOnce(t, "cluster_margin", p, q)
		q.Batch = 3
		if len(got) != 5 || got[0] != 0 || got[1] > 2 || got[1] < 1 || got[2] < 6 ||
			got[3] < 3 || got[3] > 5 || got[4] != 3-got[1] {
			t.Fatalf("cluster_margin batch 5 = %v, want [0, Y, W, Z, the other Y]", got)
		}
	}
	// ε = 0: every point its own cluster, all of size 1, so the round-robin is
	// margin order.
	q.Batch = 4
	if got := selectOnce(t, "cluster_margin", map[string]any{"epsilon": 0.0}, q); !slices.Equal(got, []int{0, 1, 2, 3}) {
		t.Errorf("cluster_margin at ε = 0 = %v, want margin's [0 1 2 3]", got)
	}
}

func TestAgglomerateMatchesGreedy(t *testing.T) {
	// The chain's hierarchy, cut at every merge height, gives the same partitions
	// as merging the closest pair of clusters one step at a time (computed here
	// from the raw points).
	rng := rand.New(rand.NewPCG(8, 8))
	x := randomPool(rng, 30, 3)
	for _, link := range []linkage{averageLink, wardLink} {
		merges := agglomerate(x, link, nil, math.Inf(1))
		heights := make([]float64, len(merges))
		for i, m := range merges {
			heights[i] = m.h
		}
		slices.Sort(heights)
		clusters := make([][]int, 30)
		for i := range clusters {
			clusters[i] = []int{i}
		}
		for step, h := range heights {
			bi, bj, bd := -1, -1, 0.0
			for i := range clusters {
				for j := i + 1; j < len(clusters); j++ {
					if d := linkDist(x, clusters[i], clusters[j], link); bi < 0 || d < bd {
						bi, bj, bd = i, j, d
					}
				}
			}
			if rel := (bd - h) / h; rel > 1e-5 || rel < -1e-5 {
				t.Fatalf("link %d step %d: greedy merges at %v, chain at %v", link, step, bd, h)
			}
			clusters[bi] = append(clusters[bi], clusters[bj]...)
			clusters = slices.Delete(clusters, bj, bj+1)
			// Cut just above this height: the same partition.
			label := cutClusters(30, merges, h*(1+1e-7))
			for _, c := range clusters {
				for _, r := range c {
					if label[r] != label[c[0]] {
						t.Fatalf("link %d step %d: rows %d and %d split by the cut", link, step, r, c[0])
					}
				}
			}
			if n := slices.Max(label) + 1; n != len(clusters) {
				t.Fatalf("link %d step %d: cut has %d clusters, greedy %d", link, step, n, len(clusters))
			}
		}
	}
}

func TestAgglomerateStopsAtTheCut(t *testing.T) {
	// Stopping the chain at ε gives the partition of the whole tree cut at ε.
	x := randomPool(rand.New(rand.NewPCG(6, 6)), 200, 2)
	for _, link := range []linkage{averageLink, wardLink} {
		full := agglomerate(x, link, nil, math.Inf(1))
		for _, eps := range []float64{0, 0.05, 0.2, 0.5, 1, 3, 100} {
			part := agglomerate(x, link, nil, eps)
			if want, got := cutClusters(200, full, eps), cutClusters(200, part, eps); !slices.Equal(got, want) {
				t.Errorf("link %d ε %v: stopped chain cuts %v, whole tree %v", link, eps, got, want)
			}
			if eps < 100 && len(part) >= len(full) {
				t.Errorf("link %d ε %v: %d merges, the whole tree has %d", link, eps, len(part), len(full))
			}
		}
	}
}

// linkDist is the linkage distance of two clusters from their points.
func linkDist(x *nets.Matrix, a, b []int, link linkage) float64 {
	if link == wardLink {
		d := x.Cols
		ma, mb := make([]float64, d), make([]float64, d)
		for _, r := range a {
			for j, v := range x.Row(r) {
				ma[j] += v / float64(len(a))
			}
		}
		for _, r := range b {
			for j, v := range x.Row(r) {
				mb[j] += v / float64(len(b))
			}
		}
		na, nb := float64(len(a)), float64(len(b))
		return 2 * na * nb / (na + nb) * sqDist(ma, mb)
	}
	var s float64
	for _, i := range a {
		for _, j := range b {
			s += math.Sqrt(sqDist(x.Row(i), x.Row(j)))
		}
	}
	return s / float64(len(a)*len(b))
}

func TestKMeansSeparatesBlobs(t *testing.T) {
	// Three tight blobs: k-means with k-means++ seeding finds them, and the same
	// stream gives the same assignment.
	rng := rand.New(rand.NewPCG(2, 2))
	x := nets.NewMatrix(60, 2)
	for i := range 60 {
		x.Data[2*i] = float64(i%3)*10 + 0.1*rng.NormFloat64()
		x.Data[2*i+1] = 0.1 * rng.NormFloat64()
	}
	rows := seq(0, 60)
	assign, centres := kmeans(x, rows, 3, rand.New(rand.NewPCG(5, 5)), kmeansIters)
	for i, c := range assign {
		if c != assign[i%3] {
			t.Fatalf("row %d in cluster %d, row %d (same blob) in %d", i, c, i%3, assign[i%3])
		}
	}
	if centres.Rows != 3 {
		t.Fatalf("%d centres", centres.Rows)
	}
	again, _ := kmeans(x, rows, 3, rand.New(rand.NewPCG(5, 5)), kmeansIters)
	if !slices.Equal(assign, again) {
		t.Error("same stream, different clustering")
	}
}

// Where they reduce to margin sampling, the margin-based strategies pick what
// margin picks: info_diversity at batch 1 always, mcm when no unlabeled row lies
// inside the labeled rows' margin, cluster_margin at ε = 0 on distinct points.
func TestSurveyReducesToMargin(t *testing.T) {
	for seed := range 30 {
		q := randomQuery(uint64(seed), 50, 5, 1)
		q.TieRank = permRank(rand.New(rand.NewPCG(uint64(seed), 7)), 50)
		want := selectOnce(t, "margin", nil, q)
		if got := selectOnce(t, "info_diversity", nil, q); !slices.Equal(got, want) {
			t.Errorf("seed %d: info_diversity batch 1 = %v, margin %v", seed, got, want)
		}
		q.Model = featModel{q.Model.(*linearModel)}
		if got := selectOnce(t, "info_diversity", nil, q); !slices.Equal(got, want) {
			t.Errorf("seed %d: info_diversity (probabilities only) batch 1 = %v, margin %v", seed, got, want)
		}
		q.Batch = 6
		want = selectOnce(t, "margin", nil, q)
		if got := selectOnce(t, "cluster_margin", map[string]any{"epsilon": 0.0}, q); !slices.Equal(got, want) {
			t.Errorf("seed %d: cluster_margin at ε = 0 = %v, margin %v", seed, got, want)
		}
		// Label the most uncertain row: nothing unlabeled is inside its margin.
		all := selectOnce(t, "margin", nil, Query{Pool: q.Pool, Unlabeled: seq(0, 50), Model: q.Model, Batch: 1})
		q.Labeled = append(slices.Clone(q.Labeled), all[0])
		q.Labels = append(slices.Clone(q.Labels), 0)
		q.Unlabeled = slices.DeleteFunc(slices.Clone(q.Unlabeled), func(r int) bool { return r == all[0] })
		want = selectOnce(t, "margin", nil, q)
		if got := selectOnce(t, "mcm", nil, q); !slices.Equal(got, want) {
			t.Errorf("seed %d: mcm with an empty margin = %v, margin %v", seed, got, want)
		}
	}
	// The same on decision values (an SVM without probabilities).
	pool := col(0, 1, 2, 3, 4, 5)
	m := &decisionModel{pool: pool, k: 2, dec: [][]float64{{1.5}, {-0.2}, {0.3}, {-0.05}, {0.7}, {-2}}}
	q := Query{Pool: pool, Unlabeled: seq(0, 6), Classes: 2, Model: m, Batch: 1}
	if got := selectOnce(t, "info_diversity", nil, q); !slices.Equal(got, []int{3}) {
		t.Errorf("info_diversity on decision values = %v, want margin's [3]", got)
	}
}

// permRank returns a random tie order of n rows.
func permRank(rng *rand.Rand, n int) []int32 {
	out := make([]int32, n)
	for i, v := range rng.Perm(n) {
		out[i] = int32(v)
	}
	return out
}

// The survey strategies pick the same points when the pool's rows are permuted
// (with the tie order moving with them) on the same stream: every draw, sum and
// tie runs in tie order, not row order.
func TestSurveyPoolOrderInvariance(t *testing.T) {
	for _, v := range []struct {
		name   string
		params map[string]any
	}{
		{"coreset", nil}, {"graph_density", nil}, {"hierarchical", nil},
		{"hierarchical", map[string]any{"linkage": "average"}}, {"cluster_margin", nil},
		{"info_diversity", nil}, {"mcm", nil},
	} {
		for seed := range 4 {
			q := randomQuery(uint64(seed), 80, 10, 6)
			q.Model = featModel{q.Model.(*linearModel)}
			q.TieRank = permRank(rand.New(rand.NewPCG(uint64(seed), 9)), 80)
			q.Rand = rand.New(rand.NewPCG(uint64(seed), 11))
			want := selectOnce(t, v.name, v.params, q)

			src := rand.New(rand.NewPCG(uint64(seed), 13)).Perm(80) // new row i is old row src[i]
			inv := make([]int, 80)
			for i, r := range src {
				inv[r] = i
			}
			p := q
			p.Pool = nets.NewMatrix(80, q.Pool.Cols)
			p.TieRank = make([]int32, 80)
			for i, r := range src {
				copy(p.Pool.Row(i), q.Pool.Row(r))
				p.TieRank[i] = q.TieRank[r]
			}
			p.Labeled = make([]int, len(q.Labeled))
			for i, r := range q.Labeled {
				p.Labeled[i] = inv[r]
			}
			p.Unlabeled = nil
			for _, r := range q.Unlabeled {
				p.Unlabeled = append(p.Unlabeled, inv[r])
			}
			slices.Sort(p.Unlabeled)
			p.Rand = rand.New(rand.NewPCG(uint64(seed), 11))
			got := selectOnce(t, v.name, v.params, p)
			for i := range got {
				got[i] = src[got[i]]
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s%v seed %d: permuted pool picks %v, original %v", v.name, v.params, seed, got, want)
			}
		}
	}
}

// TestSurveyOnFeatureModels runs every survey strategy (and coreset) on a model
// with probabilities only and on one with decision values only, over successive
// rounds: the capabilities they declare are all they use.
func TestSurveyOnFeatureModels(t *testing.T) {
	for _, v := range append(surveyVariants, struct {
		name   string
		params map[string]any
	}{"coreset", nil}) {
		for _, kind := range []string{"probs", "decision"} {
			q := randomQuery(5, 60, 4, 5)
			lm := q.Model.(*linearModel)
			if kind == "probs" {
				q.Model = featModel{lm}
			} else {
				dec := make([][]float64, 60)
				var p nets.Matrix
				lm.Probs(q.Pool, &p)
				for i := range dec {
					dec[i] = slices.Clone(p.Row(i))
				}
				q.Model = &decisionModel{pool: q.Pool, k: 3, dec: dec}
			}
			q.Rand = rand.New(rand.NewPCG(5, 5))
			s := mustNew(v.name, v.params)
			for round := range 4 {
				got, err := s.Select(context.Background(), q)
				if err != nil {
					t.Fatalf("%s%v on %s round %d: %v", v.name, v.params, kind, round, err)
				}
				if len(got) != 5 {
					t.Fatalf("%s%v on %s round %d: %d rows", v.name, v.params, kind, round, len(got))
				}
				for _, r := range got {
					if _, ok := slices.BinarySearch(q.Unlabeled, r); !ok {
						t.Fatalf("%s%v on %s: row %d not unlabeled", v.name, v.params, kind, r)
					}
					q.Labeled = append(q.Labeled, r)
					q.Labels = append(q.Labels, r%3)
				}
				q.Unlabeled = slices.DeleteFunc(q.Unlabeled, func(r int) bool { return slices.Contains(got, r) })
			}
		}
	}
}

// BenchmarkSurveySelect times one Select at pools of 700 and 7,000 rows (20
// features, 3 classes, 50 labeled, batch 10) on a model with probabilities only:
// first is a fresh strategy (its once-per-trial structures included), steady a
// strategy whose caches are built.
func BenchmarkSurveySelect(b *testing.B) {
	names := []string{"coreset", "graph_density", "hierarchical", "info_diversity", "mcm", "cluster_margin"}
	for _, name := range names {
		for _, n := range []int{700, 7000} {
			rng := rand.New(rand.NewPCG(uint64(n), 1))
			const d, c = 20, 3
			pool := randomPool(rng, n, d)
			perm := rng.Perm(n)
			labeled := perm[:50]
			labels := make([]int, 50)
			for i := range labels {
				labels[i] = rng.IntN(c)
			}
			q := Query{Pool: pool, Unlabeled: slices.Sorted(slices.Values(perm[50:])), Labeled: labeled,
				Labels: labels, Classes: c, Model: featModel{newLinearModel(d, c, 5, rng)}, Batch: 10,
				TieRank: permRank(rng, n), Rand: rand.New(rand.NewPCG(1, 1))}
			b.Run(fmt.Sprintf("%s/pool=%d/first", name, n), func(b *testing.B) {
				defer reportCPU(b)()
				for range b.N {
					if _, err := mustNew(name, nil).Select(context.Background(), q); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run(fmt.Sprintf("%s/pool=%d/steady", name, n), func(b *testing.B) {
				s := mustNew(name, nil)
				if _, err := s.Select(context.Background(), q); err != nil {
					b.Fatal(err)
				}
				b.ResetTimer()
				defer reportCPU(b)()
				for range b.N {
					if _, err := s.Select(context.Background(), q); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// reportCPU returns a function that reports the process CPU time (user + system)
// per op as cpu-ns/op: on a shared machine wall time counts other loads' time too.
func reportCPU(b *testing.B) func() {
	start := cpuTime()
	return func() { b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op") }
}

func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
