package datasets

import (
	"embed"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
)

// The real datasets, exported from scikit-learn 1.2.1; data/SOURCES.md gives their
// origin, citation, licence notes and checksums. data/zhan2021 holds the survey
// sets (zhan2021.go), bzip2-compressed, with their own SOURCES.md and LICENSE.
//
//go:embed data/iris.csv data/wine.csv data/breast_cancer.csv data/digits.csv data/SOURCES.md
//go:embed data/zhan2021/*.bz2 data/zhan2021/SOURCES.md data/zhan2021/LICENSE
var dataFS embed.FS

// classNames are sklearn's target_names for each embedded set (digits: "0".."9").
var classNames = map[string][]string{
	"iris":          {"setosa", "versicolor", "virginica"},
	"wine":          {"class_0", "class_1", "class_2"},
	"breast_cancer": {"malignant", "benign"},
	"digits":        indexNames(10),
}

// embedded caches each parsed set; Build hands out copies.
var embedded = map[string]func() *Dataset{}

func init() {
	for name := range classNames {
		embedded[name] = sync.OnceValue(func() *Dataset { return loadEmbedded(name) })
	}
}

// loadEmbedded parses an embedded file. The files are fixed and tested, so a
// problem here is a broken build, not bad input.
func loadEmbedded(name string) *Dataset {
	file := "data/" + name + ".csv"
	data, err := dataFS.ReadFile(file)
	if err != nil {
		panic("datasets: " + err.Error())
	}
	d, probs := parseCSV(data, file, labelSpec{})
	if len(probs) > 0 {
		panic(fmt.Sprintf("datasets: embedded %s: %v", file, Problems(probs)))
	}
	if len(d.ClassNames) != len(classNames[name]) {
		panic(fmt.Sprintf("datasets: embedded %s has %d classes, want %d", file, len(d.ClassNames), len(classNames[name])))
	}
	d.ClassNames = classNames[name]
	return d
}

// Embedded returns the raw bytes of an embedded file: "iris.csv", ..., "SOURCES.md",
// "zhan2021/SOURCES.md", "zhan2021/LICENSE", or a survey set's compressed file
// "zhan2021/NAME-svmstyle.txt.bz2".
func Embedded(file string) ([]byte, error) { return dataFS.ReadFile("data/" + file) }

func embeddedSource(name, doc string) source {
	return source{
		Source: Source{Name: name, Doc: doc + " Embedded; takes no parameters; see data/SOURCES.md for origin and citation."},
		parse: func(*params, string) (Shape, func(*rand.Rand) *Dataset) {
			d := embedded[name]()
			return Shape{d.N, d.D, d.Classes}, func(*rand.Rand) *Dataset { return clone(d) }
		},
	}
}

// clone deep-copies d so callers may modify what Build returns.
func clone(d *Dataset) *Dataset {
	c := *d
	c.X = slices.Clone(d.X)
	c.Y = slices.Clone(d.Y)
	c.ClassNames = slices.Clone(d.ClassNames)
	c.FeatureNames = slices.Clone(d.FeatureNames)
	return &c
}
