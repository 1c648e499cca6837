// Package datasets provides albench's labeled data: the real sets that ship with
// scikit-learn (embedded), the 32 further real and synthetic sets of the survey by
// Zhan et al. (2021) (embedded, see zhan2021.go), scikit-learn's synthetic
// generators with its parameter names and defaults, and CSV and LIBSVM loaders.
//
// A dataset entry of a config is a source name and a params map as decoded from
// YAML. Check validates an entry without building big data and reports every
// problem at once; Build makes the data, drawing every random number from the
// injected stream, so a (source, params, stream) triple always gives the same
// dataset.
package datasets

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
)

// Dataset is a labeled table: X is N×D row-major and Y[i] in [0, Classes).
type Dataset struct {
	X       []float64
	N, D    int
	Y       []int
	Classes int
	// ClassNames[k] names class k ("setosa", or "0" for a generator's class 0).
	ClassNames []string
	// FeatureNames names the D columns; nil for generated data.
	FeatureNames []string
}

// Row returns row i of X, sharing its storage.
func (d *Dataset) Row(i int) []float64 { return d.X[i*d.D : (i+1)*d.D] }

// Shape is the size of a dataset as Check predicts it.
type Shape struct{ N, D, Classes int }

// Problem is one thing wrong with a dataset entry.
//
// Key is relative to the params map: a parameter name ("n_informative"), followed
// by "[i]" for element i of a list ("weights[1]", "centers[0][1]"), or "" for the
// source itself. When File is set the problem lies inside that data file: Line is
// its 1-based line and Col the 1-based CSV column (field) number, or in a LIBSVM
// file the 1-based byte column of the offending text; either is 0 when
// the problem concerns the whole file or the whole line. Got is the offending
// value as written, or "" when there is none to show.
type Problem struct {
	Key, Msg, Got string
	File          string
	Line, Col     int
}

// String formats p as "file:line:col: key: msg (got X)", leaving out empty parts.
func (p Problem) String() string {
	var b strings.Builder
	if p.File != "" {
		b.WriteString(p.File)
		if p.Line > 0 {
			b.WriteString(":" + strconv.Itoa(p.Line))
			if p.Col > 0 {
				b.WriteString(":" + strconv.Itoa(p.Col))
			}
		}
		b.WriteString(": ")
	}
	if p.Key != "" {
		b.WriteString(p.Key + ": ")
	}
	b.WriteString(p.Msg)
	if p.Got != "" {
		b.WriteString(" (got " + p.Got + ")")
	}
	return b.String()
}

// Problems is the error Build returns for an entry that Check rejects.
type Problems []Problem

// Error lists the problems one per line.
func (ps Problems) Error() string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.String()
	}
	return strings.Join(s, "\n")
}

// Param documents one parameter of a source. Default is written as in YAML
// ("100", "null", "[-10, 10]"); "" marks a required parameter.
type Param struct{ Name, Default, Doc string }

// Source documents one dataset source.
type Source struct {
	Name, Doc string
	Params    []Param
}

// source is a registered source. parse validates params (recording problems in p)
// and returns the predicted shape and, when there were no problems, a function
// that builds the data.
type source struct {
	Source
	parse func(p *params, dir string) (Shape, func(rng *rand.Rand) *Dataset)
	// random reports whether build draws random numbers (and so needs an rng).
	random bool
}

var registry = append([]source{
	embeddedSource("iris", "Fisher's iris plants: 150 samples, 4 features, 3 classes (scikit-learn's load_iris)."),
	embeddedSource("wine", "UCI wine recognition: 178 samples, 13 features, 3 classes (load_wine)."),
	embeddedSource("breast_cancer", "UCI breast cancer Wisconsin (diagnostic): 569 samples, 30 features, 2 classes (load_breast_cancer)."),
	embeddedSource("digits", "UCI optical handwritten digits, 8×8 images: 1797 samples, 64 features, 10 classes (load_digits)."),
	classificationSource,
	moonsSource,
	circlesSource,
	blobsSource,
	quantilesSource,
	csvSource,
	libsvmSource,
}, zhanSources()...)

// Sources lists every source with its parameters, in a stable order.
func Sources() []Source {
	out := make([]Source, len(registry))
	for i, s := range registry {
		out[i] = s.Source
		out[i].Params = append([]Param(nil), s.Params...)
	}
	return out
}

func lookupSource(name string) (source, bool) {
	for _, s := range registry {
		if s.Name == name {
			return s, true
		}
	}
	return source{}, false
}

// Check validates a dataset entry and predicts its shape. It reports every problem
// at once; the Shape is meaningful only when there are none. Generators are checked
// from their params alone; csv files and embedded sets are parsed. dir is the
// directory that a csv path is relative to (the config file's directory).
func Check(src string, params map[string]any, dir string) (Shape, []Problem) {
	s, ok := lookupSource(src)
	if !ok {
		return Shape{}, []Problem{{Key: "", Msg: "unknown source", Got: src}}
	}
	p := newParams(params)
	shape, _ := s.parse(p, dir)
	p.rejectUnknown(s.Params)
	return shape, p.probs
}

// Build makes the dataset of an entry, drawing random numbers from rng only
// (generators need a non-nil rng; embedded sets and csv ignore it). An entry that
// Check rejects gives a Problems error; after a clean Check, Build does not fail
// unless a csv file changed in between.
func Build(src string, params map[string]any, dir string, rng *rand.Rand) (*Dataset, error) {
	s, ok := lookupSource(src)
	if !ok {
		return nil, Problems{{Key: "", Msg: "unknown source", Got: src}}
	}
	p := newParams(params)
	_, build := s.parse(p, dir)
	p.rejectUnknown(s.Params)
	if len(p.probs) > 0 {
		return nil, Problems(p.probs)
	}
	if s.random && rng == nil {
		panic(fmt.Sprintf("datasets: Build(%q) needs a non-nil rng", src))
	}
	return build(rng), nil
}

// indexNames returns "0", "1", ..., k-1: the class names of generated data.
func indexNames(k int) []string {
	names := make([]string, k)
	for i := range names {
		names[i] = strconv.Itoa(i)
	}
	return names
}

// shuffleRows permutes the rows of X (n×d) and y together with one uniform
// permutation, as sklearn.utils.shuffle does.
func shuffleRows(x []float64, y []int, d int, rng *rand.Rand) {
	n := len(y)
	// Fisher–Yates, swapping whole rows.
	for i := n - 1; i > 0; i-- {
		j := rng.IntN(i + 1)
		y[i], y[j] = y[j], y[i]
		ri, rj := x[i*d:(i+1)*d], x[j*d:(j+1)*d]
		for c := range ri {
			ri[c], rj[c] = rj[c], ri[c]
		}
	}
}
