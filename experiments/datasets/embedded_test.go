package datasets

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"testing"
)

// The checksums, shapes and class counts below are copied from data/SOURCES.md.
var embeddedWant = []struct {
	name   string
	sha256 string
	n, d   int
	counts []int
	names  []string
}{
	{"iris", "e078f2c5dff0a7079d76ebc0f42a1e775a072dc927e54e86d9518b12c1e695c1", 150, 4,
		[]int{50, 50, 50}, []string{"setosa", "versicolor", "virginica"}},
	{"wine", "1432127a61b20dadcb6ecc67649461c2c6e99283022295e3fdcc590b0678388b", 178, 13,
		[]int{59, 71, 48}, []string{"class_0", "class_1", "class_2"}},
	{"breast_cancer", "43584b3806cc61afce3c9b3158dd8e56bc7fd734507f95639126fcd572dc7233", 569, 30,
		[]int{212, 357}, []string{"malignant", "benign"}},
	{"digits", "7a93e51f73dadeb4429b4fc0718b334d12864332b906bdf44f9da7599a7e0e01", 1797, 64,
		[]int{178, 182, 177, 183, 181, 182, 181, 179, 174, 180}, []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}},
}

func TestEmbeddedChecksums(t *testing.T) {
	sources, err := Embedded("SOURCES.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range embeddedWant {
		data, err := Embedded(w.name + ".csv")
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(data)
		if got := hex.EncodeToString(sum[:]); got != w.sha256 {
			t.Errorf("%s.csv: sha256 %s, want %s", w.name, got, w.sha256)
		}
		// SOURCES.md travels with the data and must state the same checksum.
		if !strings.Contains(string(sources), w.sha256+"  "+w.name+".csv") {
			t.Errorf("SOURCES.md does not list %s for %s.csv", w.sha256, w.name)
		}
	}
}

func TestEmbeddedShapes(t *testing.T) {
	for _, w := range embeddedWant {
		d := mustBuild(t, w.name, nil, 0)
		if d.N != w.n || d.D != w.d || d.Classes != len(w.counts) {
			t.Errorf("%s: %d×%d with %d classes, want %d×%d with %d", w.name, d.N, d.D, d.Classes, w.n, w.d, len(w.counts))
		}
		if got := classCounts(d); !slices.Equal(got, w.counts) {
			t.Errorf("%s: class counts %v, want %v", w.name, got, w.counts)
		}
		if !slices.Equal(d.ClassNames, w.names) {
			t.Errorf("%s: class names %v, want %v", w.name, d.ClassNames, w.names)
		}
		if len(d.FeatureNames) != w.d {
			t.Errorf("%s: %d feature names for %d features", w.name, len(d.FeatureNames), w.d)
		}
	}
	// Spot values: iris row 0 is Fisher's 5.1, 3.5, 1.4, 0.2 (setosa); the last
	// digits pixel of row 0 is 0.
	iris := mustBuild(t, "iris", nil, 0)
	if got := iris.Row(0); !slices.Equal(got, []float64{5.1, 3.5, 1.4, 0.2}) || iris.Y[0] != 0 {
		t.Errorf("iris row 0 = %v label %d", got, iris.Y[0])
	}
	if iris.FeatureNames[0] != "sepal length (cm)" {
		t.Errorf("iris feature 0 is %q", iris.FeatureNames[0])
	}
}

func TestEmbeddedBuildReturnsACopy(t *testing.T) {
	a := mustBuild(t, "wine", nil, 0)
	a.X[0], a.Y[0], a.ClassNames[0] = -1, 2, "changed"
	b := mustBuild(t, "wine", nil, 0)
	if b.X[0] != 14.23 || b.Y[0] != 0 || b.ClassNames[0] != "class_0" {
		t.Fatalf("changing one Build's result changed the next: %v %v %v", b.X[0], b.Y[0], b.ClassNames[0])
	}
}
