package experiments

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"albench/experiments/datasets"
	"albench/learners"
)

// Problem is one thing wrong with a config entry, found by a check that does not
// know where the entry sits in the file (a StrategyCheck, the learners registry,
// the datasets package). It is the one problem type of this package: the others'
// problems are converted to it at the boundary (fromLearners, fromDatasets), and
// Parse turns every Problem into a positioned Error.
type Problem struct {
	// Key is the offending key relative to the entry, such as "params.committee"
	// or "params.members[1].C"; "" means the entry itself.
	Key string
	// Msg says what is wrong, such as "must be at least 2".
	Msg string
	// Got is the offending value as written, or "".
	Got string
	// File is set when the problem lies inside a data file the entry names: Line
	// is its 1-based line and Col its 1-based column (field), either 0 when the
	// problem concerns the whole file or line. Parse positions a problem without
	// a line at the config key that names the file.
	File      string
	Line, Col int
}

// fromLearners converts a model spec's problems.
func fromLearners(ps []learners.Problem) []Problem {
	out := make([]Problem, len(ps))
	for i, p := range ps {
		out[i] = Problem{Key: p.Key, Msg: p.Msg, Got: p.Got}
	}
	return out
}

// fromDatasets converts a dataset entry's problems.
func fromDatasets(ps []datasets.Problem) []Problem {
	out := make([]Problem, len(ps))
	for i, p := range ps {
		out[i] = Problem{Key: p.Key, Msg: p.Msg, Got: p.Got, File: p.File, Line: p.Line, Col: p.Col}
	}
	return out
}

// Error is one positioned config problem.
type Error struct {
	// File, Line and Col locate the problem (1-based). Line 0 means the position
	// is unknown; Col 0 means only the line is known.
	File      string
	Line, Col int
	// Key is the path of the offending key, such as "datasets[1].params.n_informative";
	// "" for the file as a whole.
	Key string
	// Msg says what is wrong; Got is the offending value as written, or "".
	Msg, Got string
}

// Error formats e as
//
//	file:line:col: key: msg (got X)
//
// leaving out ":col" when Col is 0, ":line:col" when Line is 0, "key: " when Key is
// "" and " (got X)" when Got is "".
func (e Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Col > 0 {
			fmt.Fprintf(&b, ":%d", e.Col)
		}
	}
	b.WriteString(": ")
	if e.Key != "" {
		b.WriteString(e.Key)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	if e.Got != "" {
		fmt.Fprintf(&b, " (got %s)", e.Got)
	}
	return b.String()
}

// Errors is every problem found in a config, sorted by position: the config file's
// own problems first by line and column, then those inside data files it names.
// The CLI exits 2 on an Errors, whatever it holds.
type Errors []Error

// Error joins the errors' lines with newlines; it is exactly what the CLI prints.
func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// sortErrors orders es as documented on Errors, keeps the first of any identical
// errors and returns the result.
func sortErrors(es Errors, file string) Errors {
	slices.SortStableFunc(es, func(a, b Error) int {
		return cmp.Or(
			cmp.Compare(b2i(a.File != file), b2i(b.File != file)),
			cmp.Compare(a.File, b.File),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Col, b.Col),
		)
	})
	out := es[:0]
	seen := make(map[Error]bool, len(es))
	for _, e := range es {
		if !seen[e] {
			seen[e] = true
			out = append(out, e)
		}
	}
	return out
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
