package experiments

import (
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"albench/experiments/datasets"
	"albench/streams"
)

// parse parses a config or fails the test.
func parse(t *testing.T, yaml string) *Config {
	t.Helper()
	c, err := Parse([]byte(yaml), "c.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

const tutorialData = `name: t
datasets:
  - name: synthetic
    source: make_classification
    params: {n_samples: 1000, n_features: 20, n_informative: 15, n_classes: 2}
protocol: {budget: 30}
strategies: [random, least_confidence]
`

const irisData = `name: t
datasets: [{name: iris, source: iris}]
protocol: {budget: 30}
strategies: [random]
`

func TestTestCount(t *testing.T) {
	for _, tt := range []struct {
		n    int
		f    float64
		want int
	}{
		{1000, 0.3, 300},
		{100, 0.7, 70}, // 0.7·100 is 70.00000000000001 in float64
		{10, 0.25, 3},  // ⌈2.5⌉
		{150, 0.3, 45},
		{7, 0.1, 1},
		{3, 0.999, 3},
	} {
		if got := testCount(tt.n, tt.f); got != tt.want {
			t.Errorf("testCount(%d, %v) = %d, want %d", tt.n, tt.f, got, tt.want)
		}
	}
}

func TestAllocate(t *testing.T) {
	for _, tt := range []struct {
		total         int
		counts, limit []int
		want          []int
	}{
		{3, []int{5, 5, 5}, []int{5, 5, 5}, []int{1, 1, 1}},
		// Equal remainders: the lower classes get the spare units.
		{2, []int{5, 5, 5}, []int{5, 5, 5}, []int{1, 1, 0}},
		// Quotas 0.5, 1, 3.5: class 0 wins the tie with class 2.
		{5, []int{1, 2, 7}, []int{1, 2, 7}, []int{1, 1, 3}},
		// Quotas 1.5, 3.5; class 0 is capped at 1, so its unit goes to class 1.
		{5, []int{3, 7}, []int{1, 6}, []int{1, 4}},
		// The limits sum to 7 < 9: the allocation falls short rather than exceed them.
		{9, []int{2, 3, 5}, []int{1, 2, 4}, []int{1, 2, 4}},
		{0, []int{3, 7}, []int{3, 7}, []int{0, 0}},
	} {
		if got := allocate(tt.total, tt.counts, tt.limit); !slices.Equal(got, tt.want) {
			t.Errorf("allocate(%d, %v, %v) = %v, want %v", tt.total, tt.counts, tt.limit, got, tt.want)
		}
	}
}

func TestPrepareSplit(t *testing.T) {
	c := parse(t, tutorialData)
	s, err := Prepare(c, 0, 3)
	if err != nil {
		t.Fatal(err)
	}
	if s.Dataset != "synthetic" || s.Features != 20 || s.Classes != 2 || len(s.ClassNames) != 2 {
		t.Fatalf("setup %s: %d features, %d classes %v", s.Dataset, s.Features, s.Classes, s.ClassNames)
	}
	if len(s.PoolY) != 700 || len(s.TestY) != 300 || len(s.PoolX) != 700*20 || len(s.TestX) != 300*20 {
		t.Fatalf("pool %d/%d, test %d/%d", len(s.PoolY), len(s.PoolX), len(s.TestY), len(s.TestX))
	}

	// The pool and test set partition the dataset, each in the dataset's row order.
	data, err := datasets.Build("make_classification", c.Datasets[0].Params, ".", streams.New("data", "synthetic", "3"))
	if err != nil {
		t.Fatal(err)
	}
	pi, ti := 0, 0
	for i := range data.N {
		row := data.X[i*data.D : (i+1)*data.D]
		switch {
		case pi < len(s.PoolY) && slices.Equal(row, s.PoolX[pi*20:(pi+1)*20]) && s.PoolY[pi] == data.Y[i]:
			pi++
		case ti < len(s.TestY) && slices.Equal(row, s.TestX[ti*20:(ti+1)*20]) && s.TestY[ti] == data.Y[i]:
			ti++
		default:
			t.Fatalf("dataset row %d is in neither pool (at %d) nor test set (at %d) in order", i, pi, ti)
		}
	}

	// Stratified: each class's share of the test set is its share of the data,
	// rounded down or up.
	all, test := classCounts(data.Y, 2), classCounts(s.TestY, 2)
	for k := range 2 {
		q := float64(300*all[k]) / 1000
		if float64(test[k]) < math.Floor(q) || float64(test[k]) > math.Ceil(q) {
			t.Errorf("class %d: %d of %d rows in the test set, want ⌊%v⌉", k, test[k], all[k], q)
		}
	}

	// iris has 50 rows per class: exactly 15 of each go to the 45-row test set.
	iris, err := Prepare(parse(t, irisData), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := classCounts(iris.TestY, 3); !slices.Equal(got, []int{15, 15, 15}) {
		t.Errorf("iris test classes %v, want [15 15 15]", got)
	}
}

func TestPrepareSmallClasses(t *testing.T) {
	// A class of two keeps one row in the pool even when its quota rounds up to two.
	dir := t.TempDir()
	csv := "x,y\n1,a\n2,a\n3,b\n4,b\n5,b\n6,b\n7,b\n8,b\n"
	if err := os.WriteFile(filepath.Join(dir, "small.csv"), []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := "name: t\ndatasets: [{name: s, source: csv, params: {path: small.csv}}]\n" +
		"protocol: {test_fraction: 0.75, initial: 1, budget: 1}\nstrategies: [random]\n"
	path := filepath.Join(dir, "c.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Load(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Prepare(c, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	// n_test = 6; quotas 1.5 and 4.5 give class a 2 = all of it, capped to 1, so
	// class b takes the unit: 1 + 5.
	if got := classCounts(s.TestY, 2); !slices.Equal(got, []int{1, 5}) {
		t.Errorf("test classes %v, want [1 5]", got)
	}
	if got := classCounts(s.PoolY, 2); !slices.Equal(got, []int{1, 1}) {
		t.Errorf("pool classes %v, want [1 1]", got)
	}
}

func TestPrepareDeterministic(t *testing.T) {
	c := parse(t, tutorialData)
	a, err := Prepare(c, 0, 7)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Prepare(c, 0, 7)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two Prepares of the same (dataset, seed) differ")
	}
	// Other strategies, another dataset listed first, other seeds: the same setup.
	other := strings.Replace(tutorialData, "[random, least_confidence]", "[margin]", 1)
	other = strings.Replace(other, "datasets:\n", "datasets:\n  - {name: iris, source: iris}\n", 1)
	o, err := Prepare(parse(t, other+"seeds: [7]\n"), 1, 7)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, o) {
		t.Error("the setup depends on the strategies or the dataset's position")
	}
	d, err := Prepare(c, 0, 8)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Equal(a.PoolX, d.PoolX) || slices.Equal(a.Initial, d.Initial) {
		t.Error("seeds 7 and 8 give the same data or initial set")
	}
}

func TestPrepareStandardize(t *testing.T) {
	raw, err := Prepare(parse(t, tutorialData), 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	std, err := Prepare(parse(t, strings.Replace(tutorialData, "{budget: 30}", "{budget: 30, standardize: true}", 1)), 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(raw.PoolY, std.PoolY) || !slices.Equal(raw.Initial, std.Initial) {
		t.Fatal("standardizing changed the split or the initial set")
	}
	d, n := raw.Features, len(raw.PoolY)
	for j := range d {
		var mu, ss, zmu, zss float64
		for i := range n {
			mu += raw.PoolX[i*d+j]
			zmu += std.PoolX[i*d+j]
		}
		mu /= float64(n)
		zmu /= float64(n)
		for i := range n {
			ss += (raw.PoolX[i*d+j] - mu) * (raw.PoolX[i*d+j] - mu)
			zss += (std.PoolX[i*d+j] - zmu) * (std.PoolX[i*d+j] - zmu)
		}
		sigma := math.Sqrt(ss / float64(n)) // population std, ddof 0
		if math.Abs(zmu) > 1e-12 || math.Abs(math.Sqrt(zss/float64(n))-1) > 1e-12 {
			t.Errorf("feature %d: pool mean %v, std %v after standardizing", j, zmu, math.Sqrt(zss/float64(n)))
		}
		// The test set is transformed with the pool's statistics.
		for i := range len(raw.TestY) {
			want := (raw.TestX[i*d+j] - mu) / sigma
			if got := std.TestX[i*d+j]; math.Abs(got-want) > 1e-9 {
				t.Fatalf("test row %d feature %d: %v, want %v", i, j, got, want)
			}
		}
	}

	// A feature constant over the pool is centred, not divided.
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("c,x,y\n")
	for i := range 20 {
		b.WriteString("2.5,")
		b.WriteString([]string{"1", "3"}[i%2])
		b.WriteString([]string{",a\n", ",b\n"}[i%2])
	}
	if err := os.WriteFile(filepath.Join(dir, "const.csv"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	c := &Config{
		Datasets: []DatasetSpec{{Name: "k", Source: "csv", Params: map[string]any{"path": "const.csv"}}},
		Protocol: Protocol{Standardize: true, Initial: 2, Budget: 2},
		Path:     filepath.Join(dir, "c.yaml"),
	}
	s, err := Prepare(c, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	for i := range len(s.PoolY) {
		if s.PoolX[2*i] != 0 {
			t.Fatalf("constant feature of pool row %d = %v, want 0", i, s.PoolX[2*i])
		}
		if x := s.PoolX[2*i+1]; x != 1 && x != -1 {
			t.Fatalf("feature of ±1 around 2 = %v, want ±1", x)
		}
	}
}

func TestPrepareInitial(t *testing.T) {
	for _, mode := range []string{"uniform", "stratified", "per_class"} {
		c := parse(t, strings.Replace(irisData, "{budget: 30}", "{budget: 30, initial: 10, initial_sampling: "+mode+"}", 1))
		s, err := Prepare(c, 0, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Initial) != 10 {
			t.Fatalf("%s: %d initial rows, want 10", mode, len(s.Initial))
		}
		seen := map[int]bool{}
		labels := make([]int, len(s.Initial))
		for i, r := range s.Initial {
			if r < 0 || r >= len(s.PoolY) || seen[r] {
				t.Fatalf("%s: initial row %d out of range or repeated in %v", mode, r, s.Initial)
			}
			seen[r] = true
			labels[i] = s.PoolY[r]
		}
		switch mode {
		case "stratified":
			// The pool has 35 rows of each class: quotas 10/3 each, the spare unit
			// to class 0; drawn class by class.
			if want := []int{0, 0, 0, 0, 1, 1, 1, 2, 2, 2}; !slices.Equal(labels, want) {
				t.Errorf("stratified labels %v, want %v", labels, want)
			}
		case "per_class":
			if !slices.Equal(labels[:3], []int{0, 1, 2}) {
				t.Errorf("per_class starts with labels %v, want one of each class in order", labels[:3])
			}
		}
	}

	// Uniform draws cover the pool: over many seeds every class is drawn about
	// equally often, and different seeds give different sets.
	counts := make([]int, 3)
	c := parse(t, irisData)
	for seed := range 30 {
		s, err := Prepare(c, 0, seed)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range s.Initial {
			counts[s.PoolY[r]]++
		}
	}
	for k, n := range counts { // 300 draws, 100 expected per class, sd ≈ 8
		if n < 70 || n > 130 {
			t.Errorf("class %d drawn %d times in 300 uniform draws", k, n)
		}
	}
}

func TestPrepareErrors(t *testing.T) {
	c := &Config{
		Datasets: []DatasetSpec{{Name: "m", Source: "csv", Params: map[string]any{"path": "missing.csv"}}},
		Protocol: Protocol{Budget: 1},
		Path:     filepath.Join(t.TempDir(), "c.yaml"),
	}
	if _, err := Prepare(c, 0, 0); err == nil {
		t.Error("no error for a missing csv file")
	}
	// Hand-built configs skip validation; Prepare still refuses what cannot be done.
	for _, p := range []Protocol{
		{Initial: 106, Budget: 1},                             // the iris pool has 105 rows
		{Initial: 2, Budget: 1, InitialSampling: "per_class"}, // 3 classes
		{Budget: 1, InitialSampling: "everything"},
	} {
		c := &Config{Datasets: []DatasetSpec{{Name: "iris", Source: "iris"}}, Protocol: p}
		if _, err := Prepare(c, 0, 0); err == nil {
			t.Errorf("no error for protocol %+v", p)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("no panic for a dataset index out of range")
		}
	}()
	Prepare(parse(t, irisData), 1, 0)
}

func classCounts(y []int, k int) []int {
	n := make([]int, k)
	for _, c := range y {
		n[c]++
	}
	return n
}
