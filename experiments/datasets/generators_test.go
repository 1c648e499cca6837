package datasets

import (
	"math"
	"slices"
	"testing"
)

// radius is the distance of row i of a 2-D dataset from (cx, cy).
func radius(d *Dataset, i int, cx, cy float64) float64 {
	return math.Hypot(d.X[2*i]-cx, d.X[2*i+1]-cy)
}

func TestMoonsGeometry(t *testing.T) {
	// Shuffled, noise-free: labels still match the geometry row by row.
	d := mustBuild(t, "make_moons", map[string]any{"n_samples": 101}, 1)
	if got := classCounts(d); !slices.Equal(got, []int{50, 51}) {
		t.Fatalf("class counts %v, want [50 51] (the odd point goes to the inner moon)", got)
	}
	for i, y := range d.Y {
		var r float64
		if y == 0 { // upper moon: unit circle about the origin, y ≥ 0
			r = radius(d, i, 0, 0)
			if d.X[2*i+1] < 0 {
				t.Errorf("outer point %d below the axis: %v", i, d.Row(i))
			}
		} else { // lower moon: unit circle about (1, 0.5), y ≤ 0.5
			r = radius(d, i, 1, 0.5)
			if d.X[2*i+1] > 0.5+1e-12 {
				t.Errorf("inner point %d above 0.5: %v", i, d.Row(i))
			}
		}
		if math.Abs(r-1) > 1e-12 {
			t.Errorf("point %d of class %d at radius %.15f, want exactly 1", i, y, r)
		}
	}
	// Unshuffled, the first point of each moon is at angle 0 and the last at π.
	u := mustBuild(t, "make_moons", map[string]any{"n_samples": []any{3, 4}, "shuffle": false}, 1)
	for _, tc := range []struct {
		row  int
		want []float64
	}{{0, []float64{1, 0}}, {2, []float64{-1, 0}}, {3, []float64{0, 0.5}}, {6, []float64{2, 0.5}}} {
		if got := u.Row(tc.row); math.Abs(got[0]-tc.want[0]) > 1e-15 || math.Abs(got[1]-tc.want[1]) > 1e-15 {
			t.Errorf("row %d = %v, want %v", tc.row, got, tc.want)
		}
	}
}

// noiseSD returns the sample std of the difference between a noisy and a clean
// unshuffled build of the same entry.
func noiseSD(t *testing.T, src string, params map[string]any, noise float64) float64 {
	t.Helper()
	params["shuffle"] = false
	clean := mustBuild(t, src, params, 1)
	params["noise"] = noise
	noisy := mustBuild(t, src, params, 2)
	diff := make([]float64, len(clean.X))
	for i := range diff {
		diff[i] = noisy.X[i] - clean.X[i]
	}
	m, s := meanStd(diff)
	if math.Abs(m) > 4*noise/math.Sqrt(float64(len(diff))) {
		t.Errorf("%s: noise mean %g, want 0", src, m)
	}
	return s
}

func TestMoonsAndCirclesNoiseScale(t *testing.T) {
	for _, src := range []string{"make_moons", "make_circles"} {
		for _, noise := range []float64{0.05, 0.3} {
			s := noiseSD(t, src, map[string]any{"n_samples": 10000}, noise)
			// The sample std of 20000 normals is within 2% of σ with overwhelming odds.
			if math.Abs(s/noise-1) > 0.02 {
				t.Errorf("%s noise %g: std %g", src, noise, s)
			}
		}
	}
	// noise: null means none.
	a := mustBuild(t, "make_moons", map[string]any{"noise": nil, "shuffle": false}, 1)
	b := mustBuild(t, "make_moons", map[string]any{"shuffle": false}, 2)
	if !slices.Equal(a.X, b.X) {
		t.Error("noise: null is not noise-free")
	}
}

func TestCirclesGeometry(t *testing.T) {
	d := mustBuild(t, "make_circles", map[string]any{"n_samples": 51, "factor": 0.3}, 1)
	if got := classCounts(d); !slices.Equal(got, []int{25, 26}) {
		t.Fatalf("class counts %v, want [25 26]", got)
	}
	for i, y := range d.Y {
		want := 1.0
		if y == 1 {
			want = 0.3
		}
		if r := radius(d, i, 0, 0); math.Abs(r-want) > 1e-12 {
			t.Errorf("point %d of class %d at radius %.15f, want %g", i, y, r, want)
		}
	}
	// The end point is excluded, so no two points coincide.
	u := mustBuild(t, "make_circles", map[string]any{"n_samples": 8, "shuffle": false}, 1)
	if got := u.Row(1); math.Abs(got[0]) > 1e-15 || got[1] != 1 {
		t.Errorf("outer point 1 of 4 = %v, want (0, 1)", got)
	}
	for _, f := range []any{1.0, -0.1, 1} {
		wantProblem(t, problemsFor(t, "make_circles", map[string]any{"factor": f}), "factor", "[0, 1)", "")
	}
	mustBuild(t, "make_circles", map[string]any{"factor": 0}, 1)
}

func TestMoonsCirclesProblems(t *testing.T) {
	for _, src := range []string{"make_moons", "make_circles"} {
		wantProblem(t, problemsFor(t, src, map[string]any{"noise": -0.1}), "noise", "must not be negative", "-0.1")
		wantProblem(t, problemsFor(t, src, map[string]any{"n_samples": 1}), "n_samples", "between 2", "1")
		wantProblem(t, problemsFor(t, src, map[string]any{"n_samples": []any{3}}), "n_samples", "list of two", "[3]")
		wantProblem(t, problemsFor(t, src, map[string]any{"n_samples": []any{3, 0}}), "n_samples[1]", "between 1", "0")
		wantProblem(t, problemsFor(t, src, map[string]any{"shuffle": 1}), "shuffle", "true or false", "1")
	}
}

func TestBlobsCentersAndSpreads(t *testing.T) {
	centers := [][]float64{{0, 0}, {10, 10}, {-5, 5}}
	stds := []float64{0.5, 1, 2}
	const n = 30000
	d := mustBuild(t, "make_blobs", map[string]any{
		"n_samples":   n,
		"centers":     []any{[]any{0, 0}, []any{10, 10}, []any{-5, 5.0}},
		"cluster_std": []any{0.5, 1, 2},
	}, 1)
	if got := classCounts(d); !slices.Equal(got, []int{10000, 10000, 10000}) {
		t.Fatalf("class counts %v", got)
	}
	for k := range centers {
		for j := range 2 {
			var xs []float64
			for i, y := range d.Y {
				if y == k {
					xs = append(xs, d.X[i*2+j])
				}
			}
			m, s := meanStd(xs)
			if math.Abs(m-centers[k][j]) > 5*stds[k]/math.Sqrt(float64(len(xs))) || math.Abs(s/stds[k]-1) > 0.04 {
				t.Errorf("cluster %d coordinate %d: mean %.4f std %.4f, want %g and %g", k, j, m, s, centers[k][j], stds[k])
			}
		}
	}
	// Random centers lie in center_box; 100 points over 3 centers: 34, 33, 33.
	d = mustBuild(t, "make_blobs", map[string]any{"n_features": 3, "center_box": []any{2, 4}, "cluster_std": 0.001}, 2)
	if got := classCounts(d); !slices.Equal(got, []int{34, 33, 33}) {
		t.Errorf("class counts %v, want [34 33 33]", got)
	}
	for _, x := range d.X {
		if x < 2-0.01 || x > 4+0.01 {
			t.Fatalf("a point at %g, outside center_box [2, 4] by more than the spread", x)
		}
	}
	// Counts per center.
	d = mustBuild(t, "make_blobs", map[string]any{"n_samples": []any{5, 10, 20, 1}}, 3)
	if got := classCounts(d); !slices.Equal(got, []int{5, 10, 20, 1}) || d.Classes != 4 {
		t.Errorf("class counts %v, want [5 10 20 1]", got)
	}
	// Zero spread puts every point on its center.
	d = mustBuild(t, "make_blobs", map[string]any{"centers": []any{[]any{1, 2, 3}, []any{4, 5, 6}}, "cluster_std": 0}, 4)
	for i, y := range d.Y {
		if want := []float64{1 + 3*float64(y), 2 + 3*float64(y), 3 + 3*float64(y)}; !slices.Equal(d.Row(i), want) {
			t.Fatalf("row %d = %v, want its center %v", i, d.Row(i), want)
		}
	}
}

func TestBlobsProblems(t *testing.T) {
	for _, tc := range []struct {
		params        map[string]any
		key, msg, got string
	}{
		{map[string]any{"cluster_std": -1}, "cluster_std", "must not be negative", "-1"},
		{map[string]any{"cluster_std": []any{1, -2, 1}}, "cluster_std[1]", "must not be negative", "-2"},
		{map[string]any{"cluster_std": []any{1, 2}}, "cluster_std", "one value per center (3)", "[1, 2]"},
		{map[string]any{"centers": 0}, "centers", "at least 1", "0"},
		{map[string]any{"centers": "three"}, "centers", "integer or a list", "three"},
		{map[string]any{"centers": []any{[]any{1, 2}, []any{1}}}, "centers[1]", "as many coordinates", "[1]"},
		{map[string]any{"centers": []any{[]any{1, 2}}, "n_features": 3}, "centers[0]", "n_features (3)", "[1, 2]"},
		{map[string]any{"n_samples": []any{5, 5}, "centers": 3}, "centers", "number of n_samples counts (2)", "3"},
		{map[string]any{"n_samples": []any{5, 0}}, "n_samples[1]", "positive", "0"},
		{map[string]any{"n_samples": 2}, "n_samples", "number of centers (3)", "2"},
		{map[string]any{"center_box": []any{10, -10}}, "center_box", "min must not exceed max", ""},
		{map[string]any{"center_box": []any{1}}, "center_box", "[min, max]", "[1]"},
	} {
		wantProblem(t, problemsFor(t, "make_blobs", tc.params), tc.key, tc.msg, tc.got)
	}
}

func TestGaussianQuantilesBalancedShells(t *testing.T) {
	d := mustBuild(t, "make_gaussian_quantiles", map[string]any{"n_samples": 300, "n_features": 3, "mean": []any{5, -5, 0}}, 1)
	if got := classCounts(d); !slices.Equal(got, []int{100, 100, 100}) {
		t.Fatalf("class counts %v, want equal classes", got)
	}
	// Class k is the k-th shell: all its radii lie between those of k−1 and k+1.
	lo := []float64{math.Inf(1), math.Inf(1), math.Inf(1)}
	hi := make([]float64, 3)
	for i, y := range d.Y {
		r := d.Row(i)
		dist := math.Sqrt((r[0]-5)*(r[0]-5) + (r[1]+5)*(r[1]+5) + r[2]*r[2])
		lo[y], hi[y] = min(lo[y], dist), max(hi[y], dist)
	}
	if hi[0] > lo[1] || hi[1] > lo[2] {
		t.Errorf("shells overlap: [%g, %g] [%g, %g] [%g, %g]", lo[0], hi[0], lo[1], hi[1], lo[2], hi[2])
	}
	// The remainder goes to the last class; cov scales the spread.
	d = mustBuild(t, "make_gaussian_quantiles", map[string]any{"n_samples": 5000, "n_classes": 4, "cov": 4}, 2)
	if got := classCounts(d); !slices.Equal(got, []int{1250, 1250, 1250, 1250}) {
		t.Errorf("class counts %v", got)
	}
	if _, s := meanStd(column(d, 0)); math.Abs(s-2) > 0.1 {
		t.Errorf("std %g with cov 4, want 2", s)
	}
	d = mustBuild(t, "make_gaussian_quantiles", map[string]any{"n_samples": 101}, 2)
	if got := classCounts(d); !slices.Equal(got, []int{33, 33, 35}) {
		t.Errorf("class counts %v, want [33 33 35]", got)
	}
	for _, tc := range []struct {
		params        map[string]any
		key, msg, got string
	}{
		{map[string]any{"n_samples": 2}, "n_samples", "at least n_classes (3)", "2"},
		{map[string]any{"cov": 0}, "cov", "positive", "0"},
		{map[string]any{"mean": []any{1, 2, 3}}, "mean", "n_features (2)", "[1, 2, 3]"},
		{map[string]any{"n_classes": 1}, "n_classes", "at least 2", "1"},
	} {
		wantProblem(t, problemsFor(t, "make_gaussian_quantiles", tc.params), tc.key, tc.msg, tc.got)
	}
}
