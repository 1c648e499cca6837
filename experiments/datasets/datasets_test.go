package datasets

import (
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func newRNG(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15)) }

// mustBuild builds an entry that must be valid and checks the dataset's
// invariants and that Check predicted its shape.
func mustBuild(t *testing.T, src string, params map[string]any, seed uint64) *Dataset {
	t.Helper()
	shape, probs := Check(src, params, ".")
	if len(probs) > 0 {
		t.Fatalf("Check(%s, %v): %v", src, params, Problems(probs))
	}
	d, err := Build(src, params, ".", newRNG(seed))
	if err != nil {
		t.Fatalf("Build(%s, %v): %v", src, params, err)
	}
	if got := (Shape{d.N, d.D, d.Classes}); got != shape {
		t.Fatalf("%s: Build gave shape %+v, Check predicted %+v", src, got, shape)
	}
	if len(d.X) != d.N*d.D || len(d.Y) != d.N || len(d.ClassNames) != d.Classes {
		t.Fatalf("%s: inconsistent dataset: len X %d, len Y %d, %d names for %d×%d, %d classes",
			src, len(d.X), len(d.Y), len(d.ClassNames), d.N, d.D, d.Classes)
	}
	for i, y := range d.Y {
		if y < 0 || y >= d.Classes {
			t.Fatalf("%s: Y[%d] = %d outside [0, %d)", src, i, y, d.Classes)
		}
	}
	return d
}

// classCounts counts the samples of each class.
func classCounts(d *Dataset) []int {
	c := make([]int, d.Classes)
	for _, y := range d.Y {
		c[y]++
	}
	return c
}

// problemsFor checks an entry that must be rejected and returns its problems.
func problemsFor(t *testing.T, src string, params map[string]any) []Problem {
	t.Helper()
	_, probs := Check(src, params, ".")
	if len(probs) == 0 {
		t.Fatalf("Check(%s, %v) found no problem", src, params)
	}
	_, err := Build(src, params, ".", newRNG(1))
	var ps Problems
	if !errors.As(err, &ps) || !slices.Equal(ps, probs) {
		t.Fatalf("Build(%s, %v) error %v, want Check's problems %v", src, params, err, Problems(probs))
	}
	return probs
}

// wantProblem asserts that probs holds a problem at key whose message contains msg.
func wantProblem(t *testing.T, probs []Problem, key, msg, got string) {
	t.Helper()
	for _, p := range probs {
		if p.Key == key && strings.Contains(p.Msg, msg) && (got == "" || p.Got == got) {
			return
		}
	}
	t.Errorf("no problem %s: %q (got %q) among\n%v", key, msg, got, Problems(probs))
}

func TestSourcesListEveryBuildableSource(t *testing.T) {
	var names []string
	for _, s := range Sources() {
		names = append(names, s.Name)
		if s.Doc == "" {
			t.Errorf("%s has no doc", s.Name)
		}
		for _, p := range s.Params {
			if p.Name == "" || p.Doc == "" {
				t.Errorf("%s: undocumented param %+v", s.Name, p)
			}
		}
	}
	want := []string{"iris", "wine", "breast_cancer", "digits", "make_classification", "make_moons",
		"make_circles", "make_blobs", "make_gaussian_quantiles", "csv", "libsvm",
		// The survey sets (zhan2021.go), in the order of data/zhan2021/SOURCES.md.
		"appendicitis", "australian", "banana", "breast", "checkerboard", "clean1", "diabetes",
		"ex8a", "ex8b", "gcloudb", "gcloudub", "german", "haberman", "heart", "ionosphere",
		"mammographic", "parkinsons", "phishing", "phoneme", "ringnorm", "sonar", "spambase",
		"splice", "tictactoe", "twonorm", "wdbc", "d31", "glass", "r15", "seeds", "thyroid", "vehicle"}
	if !slices.Equal(names, want) {
		t.Fatalf("Sources() = %v, want %v", names, want)
	}
	// Every source but the file loaders (which need a path) is valid with no params.
	for _, name := range want {
		if name != "csv" && name != "libsvm" {
			mustBuild(t, name, nil, 1)
		}
	}
}

func TestDefaultsFollowScikitLearn(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want Shape
	}{
		{"make_classification", Shape{100, 20, 2}},
		{"make_moons", Shape{100, 2, 2}},
		{"make_circles", Shape{100, 2, 2}},
		{"make_blobs", Shape{100, 2, 3}},
		{"make_gaussian_quantiles", Shape{100, 2, 3}},
	} {
		got, probs := Check(tc.src, map[string]any{}, "")
		if len(probs) > 0 || got != tc.want {
			t.Errorf("Check(%s) = %+v %v, want %+v", tc.src, got, probs, tc.want)
		}
	}
}

func TestUnknownSource(t *testing.T) {
	_, probs := Check("make_moon", nil, ".")
	if want := []Problem{{Key: "", Msg: "unknown source", Got: "make_moon"}}; !slices.Equal(probs, want) {
		t.Fatalf("Check(make_moon) = %v, want %v", probs, want)
	}
	if _, err := Build("make_moon", nil, ".", newRNG(1)); err == nil {
		t.Fatal("Build of an unknown source succeeded")
	}
}

func TestParamProblemsAllAtOnce(t *testing.T) {
	probs := problemsFor(t, "make_classification", map[string]any{
		"n_samples":    "many",
		"n_featurs":    10,
		"flip_y":       1.5,
		"hypercube":    "yes",
		"class_sep":    nil,
		"n_clusters":   2,
		"zzz_whatever": 1,
	})
	wantProblem(t, probs, "n_samples", "must be an integer", "many")
	wantProblem(t, probs, "n_featurs", "did you mean n_features?", "")
	wantProblem(t, probs, "flip_y", "between 0 and 1", "1.5")
	wantProblem(t, probs, "hypercube", "must be true or false", "yes")
	wantProblem(t, probs, "class_sep", "must be a number", "null")
	wantProblem(t, probs, "n_clusters", "did you mean n_clusters_per_class?", "")
	wantProblem(t, probs, "zzz_whatever", "unknown parameter", "")
	if len(probs) != 7 {
		t.Errorf("want 7 problems, got %d:\n%v", len(probs), Problems(probs))
	}
	if strings.Contains(probs[len(probs)-1].Msg, "did you mean") {
		t.Errorf("zzz_whatever is not close to any name, yet: %v", probs[len(probs)-1])
	}
	// Floats are not integers; ints are numbers.
	wantProblem(t, problemsFor(t, "make_moons", map[string]any{"n_samples": 10.0}), "n_samples", "must be an integer", "10")
	mustBuild(t, "make_classification", map[string]any{"class_sep": 2, "flip_y": 0}, 1)
}

func TestEmbeddedSetsTakeNoParams(t *testing.T) {
	probs := problemsFor(t, "iris", map[string]any{"n_samples": 10})
	wantProblem(t, probs, "n_samples", "takes no parameters", "")
}

func TestProblemString(t *testing.T) {
	for _, tc := range []struct {
		p    Problem
		want string
	}{
		{Problem{Key: "flip_y", Msg: "must be between 0 and 1", Got: "2"}, "flip_y: must be between 0 and 1 (got 2)"},
		{Problem{Key: "path", Msg: "feature is not a number", Got: "x", File: "d.csv", Line: 3, Col: 2}, "d.csv:3:2: path: feature is not a number (got x)"},
		{Problem{Msg: "empty file", File: "d.csv"}, "d.csv: empty file"},
	} {
		if got := tc.p.String(); got != tc.want {
			t.Errorf("String() = %q, want %q", got, tc.want)
		}
	}
}

func TestBuildNeedsRNGForGenerators(t *testing.T) {
	defer func() {
		if r := recover(); r == nil || !strings.HasPrefix(r.(string), "datasets: ") {
			t.Fatalf("want a datasets: panic, got %v", r)
		}
	}()
	Build("make_moons", nil, ".", nil)
}
