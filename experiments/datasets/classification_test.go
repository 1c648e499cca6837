package datasets

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// column returns column j of d.
func column(d *Dataset, j int) []float64 {
	c := make([]float64, d.N)
	for i := range c {
		c[i] = d.X[i*d.D+j]
	}
	return c
}

func meanStd(xs []float64) (m, s float64) {
	for _, x := range xs {
		m += x
	}
	m /= float64(len(xs))
	for _, x := range xs {
		s += (x - m) * (x - m)
	}
	return m, math.Sqrt(s / float64(len(xs)-1))
}

// numericalRank counts the singular values of the n×d matrix above 1e-9 of the largest.
func numericalRank(t *testing.T, x []float64, n, d int) int {
	var svd mat.SVD
	if !svd.Factorize(mat.NewDense(n, d, x), mat.SVDNone) {
		t.Fatal("SVD failed")
	}
	sv := svd.Values(nil)
	r := 0
	for _, s := range sv {
		if s > 1e-9*sv[0] {
			r++
		}
	}
	return r
}

func TestClassificationDeterministicPerStream(t *testing.T) {
	params := map[string]any{"n_samples": 200, "n_features": 8, "n_informative": 3}
	a := mustBuild(t, "make_classification", params, 7)
	b := mustBuild(t, "make_classification", params, 7)
	c := mustBuild(t, "make_classification", params, 8)
	if !slices.Equal(a.X, b.X) || !slices.Equal(a.Y, b.Y) {
		t.Fatal("the same stream gave different datasets")
	}
	if slices.Equal(a.X, c.X) {
		t.Fatal("different streams gave the same features")
	}
	if a.N != 200 || a.D != 8 || a.Classes != 2 {
		t.Fatalf("shape %d×%d, %d classes", a.N, a.D, a.Classes)
	}
}

func TestClassificationClassCountsFromWeights(t *testing.T) {
	// sklearn: cluster j gets int(n·w[j mod k]/c) samples and the remainder goes
	// to clusters 0, 1, ... one by one.
	for _, tc := range []struct {
		params map[string]any
		want   []int
	}{
		// Balanced: 100/2/2 = 25 per cluster.
		{map[string]any{}, []int{50, 50}},
		// The last weight is inferred: 1 − (0.7 + 0.2) = 0.10000000000000009.
		{map[string]any{"n_samples": 1000, "n_classes": 3, "n_informative": 3, "weights": []any{0.7, 0.2}}, []int{700, 200, 100}},
		// int(101·0.5/2) = 25, int(101·0.3/2) = 15, int(101·0.2/2) = 10: 100, so
		// cluster 0 (class 0) takes the one left over.
		{map[string]any{"n_samples": 101, "n_classes": 3, "n_informative": 3, "weights": []any{0.5, 0.3, 0.2}}, []int{51, 30, 20}},
		// Weights summing to less than 1: int(10·0.2/1) = 2 each, and the 6 left
		// are dealt round-robin to clusters 0, 1, 0, 1, 0, 1.
		{map[string]any{"n_samples": 10, "n_classes": 2, "n_clusters_per_class": 1, "weights": []any{0.2, 0.2}}, []int{5, 5}},
		// A zero weight leaves its class empty (Classes stays n_classes).
		{map[string]any{"n_samples": 60, "n_classes": 3, "n_informative": 3, "weights": []any{0.5, 0.5, 0}}, []int{30, 30, 0}},
	} {
		tc.params["flip_y"] = 0
		d := mustBuild(t, "make_classification", tc.params, 1)
		if got := classCounts(d); !slices.Equal(got, tc.want) {
			t.Errorf("%v: class counts %v, want %v", tc.params, got, tc.want)
		}
	}
}

func TestClassificationFlipRate(t *testing.T) {
	const n, k, flip = 20000, 4, 0.2
	d := mustBuild(t, "make_classification", map[string]any{
		"n_samples": n, "n_features": 2, "n_informative": 2, "n_redundant": 0,
		"n_classes": k, "n_clusters_per_class": 1, "flip_y": flip, "shuffle": false,
	}, 3)
	// Unshuffled, cluster j (class j) fills rows [j·n/k, (j+1)·n/k).
	changed := 0
	for i, y := range d.Y {
		if y != i/(n/k) {
			changed++
		}
	}
	// A flipped label is uniform over all k classes, so it changes w.p. (k−1)/k.
	p := flip * (k - 1) / float64(k)
	want, sd := n*p, math.Sqrt(n*p*(1-p))
	if math.Abs(float64(changed)-want) > 5*sd {
		t.Fatalf("%d labels changed, want %.0f ± %.0f", changed, want, 5*sd)
	}
}

// classMean2 is the mean of class c's points in a two-feature dataset.
func classMean2(d *Dataset, c int) [2]float64 {
	var sum [2]float64
	cnt := 0
	for i, y := range d.Y {
		if y == c {
			sum[0] += d.X[2*i]
			sum[1] += d.X[2*i+1]
			cnt++
		}
	}
	return [2]float64{sum[0] / float64(cnt), sum[1] / float64(cnt)}
}

func TestClassificationClustersSitOnHypercubeVertices(t *testing.T) {
	const sep = 5.0
	d := mustBuild(t, "make_classification", map[string]any{
		"n_samples": 4000, "n_features": 2, "n_informative": 2, "n_redundant": 0,
		"n_classes": 4, "n_clusters_per_class": 1, "flip_y": 0, "class_sep": sep,
	}, 5)
	seen := map[[2]float64]bool{}
	for c := range 4 {
		mean := classMean2(d, c)
		var vertex [2]float64
		for a := range 2 {
			m := mean[a]
			// Each coordinate of z·A has variance ≤ n_informative = 2; 1000 samples.
			if math.Abs(math.Abs(m)-sep) > 0.3 {
				t.Errorf("class %d mean[%d] = %.3f, want ±%g", c, a, m, sep)
			}
			vertex[a] = math.Copysign(sep, m)
		}
		seen[vertex] = true
	}
	if len(seen) != 4 {
		t.Errorf("the 4 classes share vertices: %v", seen)
	}
	// On a random polytope the centroids shrink toward the origin: centroid j is
	// the vertex scaled by u_j per cluster and v_a per axis, so every class mean
	// lies inside the hypercube and |μ_j[0]|/|μ_j[1]| = v_0/v_1 for every class.
	// (The overall column means are near 0 on the hypercube too, so they cannot
	// tell the two apart.)
	d = mustBuild(t, "make_classification", map[string]any{
		"n_samples": 4000, "n_features": 2, "n_informative": 2, "n_redundant": 0,
		"n_classes": 4, "n_clusters_per_class": 1, "flip_y": 0, "class_sep": sep, "hypercube": false,
	}, 5)
	var ratios, first []float64
	for c := range 4 {
		mean := classMean2(d, c)
		m0, m1 := mean[0], mean[1]
		if math.Abs(m0) > sep-0.3 || math.Abs(m1) > sep-0.3 {
			t.Errorf("polytope: class %d mean (%.3f, %.3f) not inside the hypercube ±%g", c, m0, m1, sep)
		}
		ratios = append(ratios, math.Abs(m0)/math.Abs(m1))
		first = append(first, math.Abs(m0))
	}
	if lo, hi := slices.Min(ratios), slices.Max(ratios); hi-lo > 0.15 {
		t.Errorf("polytope: |μ[0]|/|μ[1]| over classes %v, want one axis scale for all", ratios)
	}
	if lo, hi := slices.Min(first), slices.Max(first); hi-lo < 0.5 {
		t.Errorf("polytope: |μ[0]| over classes %v, want a scale of its own per cluster", first)
	}
}

func TestClassificationFeatureStructure(t *testing.T) {
	const ni, nr, nrep, useless = 3, 2, 2, 3
	params := map[string]any{
		"n_samples": 500, "n_features": ni + nr + nrep + useless, "n_informative": ni,
		"n_redundant": nr, "n_repeated": nrep, "shuffle": false,
	}
	d := mustBuild(t, "make_classification", params, 11)
	// Redundant columns are exact linear combinations of the informative ones.
	inf := mat.NewDense(d.N, ni, nil)
	for i := range d.N {
		inf.SetRow(i, d.Row(i)[:ni])
	}
	for j := ni; j < ni+nr; j++ {
		col := mat.NewVecDense(d.N, column(d, j))
		var b, fit mat.VecDense
		if err := b.SolveVec(inf, col); err != nil {
			t.Fatal(err)
		}
		fit.MulVec(inf, &b)
		fit.SubVec(&fit, col)
		if r := mat.Norm(&fit, math.Inf(1)); r > 1e-9 {
			t.Errorf("redundant column %d is off a linear combination by %g", j, r)
		}
	}
	// Repeated columns copy an informative or redundant one exactly.
	for j := ni + nr; j < ni+nr+nrep; j++ {
		col := column(d, j)
		if !slices.ContainsFunc([]int{0, 1, 2, 3, 4}, func(s int) bool { return slices.Equal(column(d, s), col) }) {
			t.Errorf("repeated column %d copies no useful column", j)
		}
	}
	// Useless columns are N(0, 1) noise.
	for j := ni + nr + nrep; j < d.D; j++ {
		m, s := meanStd(column(d, j))
		if math.Abs(m) > 0.2 || math.Abs(s-1) > 0.15 {
			t.Errorf("useless column %d: mean %.3f std %.3f, want N(0, 1)", j, m, s)
		}
	}
	if r := numericalRank(t, d.X, d.N, d.D); r != ni+useless {
		t.Errorf("rank %d, want n_informative + useless = %d", r, ni+useless)
	}

	// Shuffling samples and features keeps the structure: same rank, and the
	// repeated columns still have exact twins.
	params["shuffle"] = true
	s := mustBuild(t, "make_classification", params, 11)
	if r := numericalRank(t, s.X, s.N, s.D); r != ni+useless {
		t.Errorf("shuffled: rank %d, want %d", r, ni+useless)
	}
	twins := 0
	for a := range s.D {
		for b := a + 1; b < s.D; b++ {
			if slices.Equal(column(s, a), column(s, b)) {
				twins++
			}
		}
	}
	if twins < nrep {
		t.Errorf("shuffled: %d pairs of identical columns, want at least %d", twins, nrep)
	}
	// The shuffle comes last, so with the same stream the shuffled set is the
	// unshuffled one with rows and columns permuted: every row, as a multiset of
	// values, appears with its label.
	rows := map[string]int{}
	key := func(r []float64, y int) string {
		r = slices.Clone(r)
		slices.Sort(r)
		return fmt.Sprint(r, y)
	}
	for i := range d.N {
		rows[key(d.Row(i), d.Y[i])]++
	}
	for i := range s.N {
		k := key(s.Row(i), s.Y[i])
		if rows[k] == 0 {
			t.Fatalf("shuffled row %d (label %d) is no row of the unshuffled data", i, s.Y[i])
		}
		rows[k]--
	}
}

func TestClassificationShiftAndScale(t *testing.T) {
	d := mustBuild(t, "make_classification", map[string]any{
		"n_samples": 4000, "n_features": 3, "n_informative": 1, "n_redundant": 0,
		"n_clusters_per_class": 1, "shift": 3, "scale": []any{1, 2, 0.5}, "shuffle": false,
	}, 2)
	for j, want := range []float64{2, 0.5} {
		m, s := meanStd(column(d, j+1))
		if math.Abs(m-3*want) > 0.15*want || math.Abs(s-want) > 0.05*want {
			t.Errorf("useless column %d: mean %.3f std %.3f, want %g and %g", j+1, m, s, 3*want, want)
		}
	}
	// null draws a scale in [1, 101) per feature.
	d = mustBuild(t, "make_classification", map[string]any{
		"n_samples": 2000, "n_features": 5, "n_informative": 1, "n_redundant": 0,
		"n_clusters_per_class": 1, "shift": nil, "scale": nil, "shuffle": false,
	}, 2)
	// Useless columns are (z + shift)·scale: std = scale, mean = shift·scale.
	shifted, scaled := false, false
	for j := 1; j < 5; j++ {
		m, s := meanStd(column(d, j))
		if s < 0.9 || s > 101*1.1 {
			t.Errorf("column %d std %.3f outside the range of random scales", j, s)
		}
		// With 2000 rows, |mean| > 0.3·std is a 13σ event without a shift, and
		// four scales all below 2 have odds 1e-8.
		shifted = shifted || math.Abs(m) > 0.3*s
		scaled = scaled || s > 2
	}
	if !shifted || !scaled {
		t.Errorf("null shift and scale: random shift drawn %v, random scale drawn %v; want both", shifted, scaled)
	}
}

func TestClassificationManyInformativeFeatures(t *testing.T) {
	// Above 30 dimensions the first coordinates of the vertices are free bits.
	d := mustBuild(t, "make_classification", map[string]any{
		"n_samples": 64, "n_features": 40, "n_informative": 35, "n_redundant": 0, "n_classes": 8, "flip_y": 0,
	}, 4)
	if got := classCounts(d); !slices.Equal(got, []int{8, 8, 8, 8, 8, 8, 8, 8}) {
		t.Fatalf("class counts %v, want 8 each", got)
	}
	seen := map[[4]float64]bool{}
	for _, row := range hypercube(16, 4, newRNG(1)) {
		seen[[4]float64(row)] = true
	}
	if len(seen) != 16 {
		t.Errorf("16 vertices of the 4-cube drawn without replacement: only %d distinct", len(seen))
	}
	// In 35 dimensions the last 30 coordinates alone are distinct, the rest bits.
	last := map[string]bool{}
	for _, row := range hypercube(64, 35, newRNG(2)) {
		for _, v := range row {
			if v != 0 && v != 1 {
				t.Fatalf("vertex coordinate %v, want 0 or 1", v)
			}
		}
		last[fmt.Sprint(row[5:])] = true
	}
	if len(last) != 64 {
		t.Errorf("64 vertices of the 35-cube: only %d distinct in the last 30 coordinates", len(last))
	}
}

func TestClassificationProblems(t *testing.T) {
	for _, tc := range []struct {
		params        map[string]any
		key, msg, got string
	}{
		{map[string]any{"n_features": 4, "n_informative": 3, "n_redundant": 2}, "n_informative", "must not exceed n_features", "3"},
		{map[string]any{"n_informative": 2, "n_classes": 3}, "n_informative", "2^n_informative", "2"},
		{map[string]any{"n_classes": 3, "weights": []any{0.5}}, "weights", "n_classes (3) or n_classes-1", "[0.5]"},
		{map[string]any{"weights": []any{-0.1, 0.5}}, "weights[0]", "must not be negative", "-0.1"},
		{map[string]any{"weights": []any{0.8, 0.5}}, "weights", "sum to at most 1", "[0.8, 0.5]"},
		{map[string]any{"n_classes": 3, "n_informative": 3, "weights": []any{0.8, 0.5}}, "weights", "sum to at most 1", ""},
		{map[string]any{"weights": []any{"a", 0.5}}, "weights[0]", "must be a number", "a"},
		{map[string]any{"weights": 0.5}, "weights", "must be a list", "0.5"},
		{map[string]any{"flip_y": -0.01}, "flip_y", "between 0 and 1", "-0.01"},
		{map[string]any{"n_samples": 0}, "n_samples", "at least 1", "0"},
		{map[string]any{"n_samples": 1}, "n_samples", "at least n_classes", "1"},
		{map[string]any{"n_classes": 1}, "n_classes", "at least 2", "1"},
		{map[string]any{"n_informative": 2.5}, "n_informative", "must be an integer", "2.5"},
		{map[string]any{"shift": []any{1, 2}}, "shift", "n_features (20) values", ""},
		{map[string]any{"scale": "big"}, "scale", "must be a number", "big"},
		{map[string]any{"class_sep": math.Inf(1)}, "class_sep", "finite", "+Inf"},
		{map[string]any{"n_samples": 1_000_000_000}, "n_samples", "too large", ""},
	} {
		wantProblem(t, problemsFor(t, "make_classification", tc.params), tc.key, tc.msg, tc.got)
	}
}

// TestMulRowsMatchesRowByRow: the blocked product gives the row-by-row dot
// products to the bit, for block-straddling row ranges, in place (z·A) and
// into other columns (the redundant features).
func TestMulRowsMatchesRowByRow(t *testing.T) {
	rng := newRNG(5)
	const n, d = 53, 13
	for _, c := range []struct{ start, stop, in, k, w, out int }{
		{0, n, 0, 7, 7, 0},   // in place, as the clusters' z·A
		{5, 38, 0, 7, 7, 0},  // a cluster's rows, not block aligned
		{0, n, 0, 7, 4, 7},   // redundant features after the informative ones
		{17, 18, 0, 3, 3, 0}, // one row
	} {
		x := make([]float64, n*d)
		for i := range x {
			x[i] = rng.NormFloat64()
		}
		m := make([]float64, c.k*c.w)
		for i := range m {
			m[i] = 2*rng.Float64() - 1
		}
		want := slices.Clone(x)
		for i := c.start; i < c.stop; i++ {
			z := slices.Clone(want[i*d+c.in : i*d+c.in+c.k])
			for b := range c.w {
				s := 0.0
				for a := range c.k {
					s += float64(z[a] * m[a*c.w+b])
				}
				want[i*d+c.out+b] = s
			}
		}
		mulRows(x, d, c.start, c.stop, c.in, c.k, m, c.w, c.out, make([]float64, mulBlock*c.w))
		for i := range x {
			if math.Float64bits(x[i]) != math.Float64bits(want[i]) {
				t.Fatalf("%+v: x[%d] = %v, row by row %v", c, i, x[i], want[i])
			}
		}
	}
}

// BenchmarkMakeClassification784 generates an MNIST-sized make_classification
// (10,000 × 784, every feature informative), whose z·A product dominates.
func BenchmarkMakeClassification784(b *testing.B) {
	p := map[string]any{"n_samples": 10000, "n_features": 784, "n_informative": 784, "n_redundant": 0}
	for b.Loop() {
		if _, err := Build("make_classification", p, ".", newRNG(1)); err != nil {
			b.Fatal(err)
		}
	}
}
