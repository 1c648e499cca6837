package datasets

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
)

// maxFileProblems caps the problems reported for one file: a file with a wrong
// delimiter would otherwise give one problem per row.
const maxFileProblems = 20

var csvSource = source{
	Source: Source{
		Name: "csv",
		Doc: "A CSV file of numeric features and one label column. The delimiter (comma, semicolon " +
			"or tab) is detected from the first line; the first row is a header when one of its " +
			"feature fields is not a number. String labels become classes in sorted order, " +
			"numeric labels in numeric order. Ignored columns are dropped unread, so " +
			"albench data's output reads back with ignore: [split].",
		Params: []Param{
			{"path", "", "the file, relative to the config file's directory (a regular file of at most " + byteSize(maxFileBytes) + ")"},
			{"label", "last column", "the label column: a header name, or a 0-based column index"},
			{"ignore", "[]", "columns that are not features, dropped before parsing: header names or 0-based column indices"},
		},
	},
	parse: parseCSVSource,
}

// labelSpec says which column holds the labels.
type labelSpec struct {
	name   string // a header name, when byName
	index  int    // a 0-based column index, when !byName and set
	byName bool
	set    bool // false: the last column
}

// columnRef names one column of the first row: by header name or by 0-based index.
type columnRef struct {
	name   string // when byName
	index  int    // when !byName
	byName bool
}

func parseCSVSource(p *params, dir string) (Shape, func(*rand.Rand) *Dataset) {
	path := pathParam(p)
	lab, labOK := readLabelParam(p, p.m)
	ignore, ignoreOK := readIgnoreParam(p, p.m)
	if path == "" || !labOK || !ignoreOK {
		return Shape{}, nil
	}
	data, file, ok := readDataFile(p, dir, path)
	if !ok {
		return Shape{}, nil
	}
	d, probs := parseCSVIgnoring(data, file, lab, ignore)
	for i := range probs {
		if probs[i].Key == "" {
			probs[i].Key = "path"
		}
	}
	p.probs = append(p.probs, probs...)
	if len(probs) > 0 {
		return Shape{}, nil
	}
	return Shape{d.N, d.D, d.Classes}, func(*rand.Rand) *Dataset { return d }
}

// readLabelParam reads the optional label parameter from m.
func readLabelParam(p *params, m map[string]any) (labelSpec, bool) {
	v, ok := m["label"]
	if !ok {
		return labelSpec{}, true
	}
	if s, isStr := v.(string); isStr && strings.TrimSpace(s) != "" {
		return labelSpec{name: strings.TrimSpace(s), byName: true, set: true}, true
	}
	if n, isInt := asInt(v); isInt && n >= 0 {
		return labelSpec{index: n, set: true}, true
	}
	p.addTyped("label", "must be a column name or a non-negative column index", v)
	return labelSpec{}, false
}

// readIgnoreParam reads the optional ignore parameter from m: a list of header
// names and 0-based column indices. Whether they name columns of the file is
// checked when the file is parsed.
func readIgnoreParam(p *params, m map[string]any) ([]columnRef, bool) {
	v, ok := m["ignore"]
	if !ok {
		return nil, true
	}
	list, isList := v.([]any)
	if !isList {
		p.addTyped("ignore", "must be a list of column names or non-negative column indices", v)
		return nil, false
	}
	refs := make([]columnRef, 0, len(list))
	ok = true
	for i, e := range list {
		if s, isStr := e.(string); isStr && strings.TrimSpace(s) != "" {
			refs = append(refs, columnRef{name: strings.TrimSpace(s), byName: true})
			continue
		}
		if n, isInt := asInt(e); isInt && n >= 0 {
			refs = append(refs, columnRef{index: n})
			continue
		}
		p.addTyped(ignoreKey(i), "must be a column name or a non-negative column index", e)
		ok = false
	}
	return refs, ok
}

func ignoreKey(i int) string { return "ignore[" + strconv.Itoa(i) + "]" }

// ParseCSV reads a labeled CSV table from r, as the csv source does. file names the
// data in problems. label selects the label column: nil for the last column, a
// header name (string) or a 0-based index (int). The dataset is nil when there are
// problems.
func ParseCSV(r io.Reader, file string, label any) (*Dataset, []Problem) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, []Problem{{Msg: "cannot read: " + err.Error(), File: file}}
	}
	p := newParams(nil)
	var lab labelSpec
	if label != nil {
		var ok bool
		if lab, ok = readLabelParam(p, map[string]any{"label": label}); !ok {
			return nil, p.probs
		}
	}
	return parseCSV(data, file, lab)
}

// fileProblems collects the problems of one file, keeping the first
// maxFileProblems and counting the rest.
type fileProblems struct {
	file  string
	list  []Problem
	extra int
}

func (fp *fileProblems) add(line, col int, msg, got string) {
	if len(fp.list) == maxFileProblems {
		fp.extra++
		return
	}
	fp.list = append(fp.list, Problem{Msg: msg, Got: got, File: fp.file, Line: line, Col: col})
}

func (fp *fileProblems) result() []Problem {
	if fp.extra > 0 {
		fp.list = append(fp.list, Problem{Msg: fmt.Sprintf("%d more problems in this file not shown", fp.extra), File: fp.file})
	}
	return fp.list
}

func parseCSV(data []byte, file string, lab labelSpec) (*Dataset, []Problem) {
	return parseCSVIgnoring(data, file, lab, nil)
}

// parseCSVIgnoring parses data as parseCSV does, dropping the columns in ignore
// unread: they may hold anything, and they give no feature, no feature name and no
// header evidence. Problems keep the file's own column numbers.
func parseCSVIgnoring(data []byte, file string, lab labelSpec, ignore []columnRef) (*Dataset, []Problem) {
	fp := &fileProblems{file: file}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = detectDelimiter(data)
	r.FieldsPerRecord = -1 // ragged rows are reported with their line below

	first, err := r.Read()
	if err == io.EOF {
		fp.add(0, 0, "empty file", "")
		return nil, fp.result()
	}
	if err != nil {
		addReadError(fp, err)
		return nil, fp.result()
	}
	firstLine, _ := r.FieldPos(0)
	ncols := len(first)
	named := func(name string) int {
		return slices.IndexFunc(first, func(s string) bool { return strings.TrimSpace(s) == name })
	}
	labelCol := ncols - 1
	switch {
	case lab.byName:
		labelCol = named(lab.name)
		if labelCol < 0 {
			fp.list = append(fp.list, Problem{Key: "label", Msg: "missing label column: the first row has no column named " + strconv.Quote(lab.name), Got: lab.name, File: file, Line: firstLine})
		}
	case lab.set:
		labelCol = lab.index
		if labelCol >= ncols {
			fp.list = append(fp.list, Problem{Key: "label", Msg: fmt.Sprintf("missing label column: the first row has %d columns", ncols), Got: strconv.Itoa(lab.index), File: file, Line: firstLine, Col: labelCol + 1})
			labelCol = -1
		}
	}
	// skip marks the columns that are not features: the label and the ignored.
	skip := make([]bool, ncols)
	if labelCol >= 0 {
		skip[labelCol] = true
	}
	header := lab.byName
	for i, c := range ignore {
		j := c.index
		got := strconv.Itoa(c.index)
		if c.byName {
			header = true // a name refers to the first row, which makes it the header
			j, got = named(c.name), c.name
			if j < 0 {
				fp.list = append(fp.list, Problem{Key: ignoreKey(i), Msg: "missing column: the first row has no column named " + strconv.Quote(c.name), Got: got, File: file, Line: firstLine})
				continue
			}
		} else if j >= ncols {
			fp.list = append(fp.list, Problem{Key: ignoreKey(i), Msg: fmt.Sprintf("missing column: the first row has %d columns", ncols), Got: got, File: file, Line: firstLine, Col: j + 1})
			continue
		}
		if j == labelCol {
			fp.list = append(fp.list, Problem{Key: ignoreKey(i), Msg: "is the label column", Got: got, File: file, Line: firstLine, Col: j + 1})
			continue
		}
		skip[j] = true
	}
	if len(fp.list) > 0 {
		return nil, fp.result()
	}
	features := ncols - 1
	for j := range ncols {
		if skip[j] && j != labelCol {
			features--
		}
	}
	if ncols < 2 {
		fp.add(firstLine, 0, "no feature columns: the first row has a single field (the delimiter must be a comma, semicolon or tab)", "")
		return nil, fp.result()
	}
	if features == 0 {
		fp.add(firstLine, 0, "no feature columns: every column but the label is ignored", "")
		return nil, fp.result()
	}

	for j, f := range first {
		if !skip[j] && !isNumber(f) {
			header = true
		}
	}
	d := &Dataset{D: features}
	if header {
		for j, f := range first {
			if !skip[j] {
				d.FeatureNames = append(d.FeatureNames, strings.TrimSpace(f))
			}
		}
	}

	var labels []string
	row := func(rec []string) {
		line, _ := r.FieldPos(0)
		if len(rec) != ncols {
			col := min(len(rec), ncols) + 1
			fp.add(line, col, fmt.Sprintf("ragged row: %d fields, the first row has %d", len(rec), ncols), "")
			return
		}
		ok := true
		for j, f := range rec {
			if skip[j] {
				continue
			}
			fl, _ := r.FieldPos(j)
			t := strings.TrimSpace(f)
			x, err := strconv.ParseFloat(t, 64)
			switch {
			case t == "":
				fp.add(fl, j+1, "empty feature field", "")
				ok = false
			case err != nil && !errors.Is(err, strconv.ErrRange):
				fp.add(fl, j+1, "feature is not a number", f)
				ok = false
			case math.IsNaN(x) || math.IsInf(x, 0):
				// ParseFloat turns out-of-range values such as 1e999 into ±Inf.
				fp.add(fl, j+1, "feature is not finite", f)
				ok = false
			}
			if ok {
				d.X = append(d.X, x)
			}
		}
		y := strings.TrimSpace(rec[labelCol])
		if y == "" {
			ll, _ := r.FieldPos(labelCol)
			fp.add(ll, labelCol+1, "empty label", "")
			ok = false
		}
		if ok {
			labels = append(labels, y)
		}
	}
	if !header {
		row(first)
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			addReadError(fp, err)
			break
		}
		row(rec)
	}
	if len(fp.list) > 0 {
		return nil, fp.result()
	}
	if len(labels) == 0 {
		fp.add(0, 0, "no data rows", "")
		return nil, fp.result()
	}
	d.N = len(labels)
	d.ClassNames, d.Y = encodeLabels(labels)
	d.Classes = len(d.ClassNames)
	if d.Classes < 2 {
		fp.add(0, labelCol+1, "a single class: every label is "+strconv.Quote(d.ClassNames[0]), "")
		return nil, fp.result()
	}
	return d, nil
}

// addReadError reports a CSV syntax error (such as a stray quote) at its line.
// encoding/csv knows the byte column, not the field, so Col is left 0 and the
// byte column is named in the message.
func addReadError(fp *fileProblems, err error) {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		fp.add(pe.Line, 0, fmt.Sprintf("CSV syntax: %v at character %d", pe.Err, pe.Column), "")
		return
	}
	fp.add(0, 0, "CSV syntax: "+err.Error(), "")
}

// isNumber reports whether a field parses as a float64 (NaN and Inf included).
func isNumber(f string) bool {
	_, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
	return err == nil || errors.Is(err, strconv.ErrRange)
}

// detectDelimiter picks whichever of ',', ';' and tab occurs most often outside
// quotes on the first line, preferring them in that order on a tie; ',' when none
// occurs.
func detectDelimiter(data []byte) rune {
	var comma, semi, tab int
	quoted := false
	for _, c := range data {
		if c == '\n' && !quoted {
			break
		}
		switch c {
		case '"':
			quoted = !quoted
		case ',':
			if !quoted {
				comma++
			}
		case ';':
			if !quoted {
				semi++
			}
		case '\t':
			if !quoted {
				tab++
			}
		}
	}
	switch {
	case semi > comma && semi >= tab:
		return ';'
	case tab > comma && tab > semi:
		return '\t'
	}
	return ','
}

// encodeLabels maps label strings to class indices. When every label is a finite
// number the classes are the distinct values in numeric order, named by their
// shortest formatting ("1" and "1.0" are one class, named "1"); otherwise they
// are the distinct strings in byte order.
func encodeLabels(labels []string) (names []string, y []int) {
	values := make([]float64, len(labels))
	numeric := true
	for i, s := range labels {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			numeric = false
			break
		}
		values[i] = v
	}
	y = make([]int, len(labels))
	if numeric {
		distinct := slices.Clone(values)
		slices.Sort(distinct)
		distinct = slices.Compact(distinct) // -0 == 0, so they compact into one class
		names = make([]string, len(distinct))
		for k, v := range distinct {
			names[k] = strconv.FormatFloat(v+0, 'g', -1, 64) // +0 turns -0 into 0
		}
		for i, v := range values {
			y[i], _ = slices.BinarySearch(distinct, v)
		}
		return names, y
	}
	names = slices.Clone(labels)
	slices.Sort(names)
	names = slices.Compact(names)
	for i, s := range labels {
		y[i], _ = slices.BinarySearch(names, s)
	}
	return names, y
}

// WriteCSV writes d as CSV that the csv source reads back to the same X and Y, bit
// for bit: a header row, then one row per sample with the features formatted by
// strconv 'g' -1 (shortest round-trip) and the label last.
//
// The header uses d.FeatureNames when they survive a round trip (and x0, x1, ...
// otherwise). Labels are written as d.ClassNames when the loader's ordering of
// those names is their class order, so they survive too; otherwise as class
// indices. A class with no sample cannot be written: reading such a file back
// gives fewer classes.
func WriteCSV(w io.Writer, d *Dataset) error {
	if len(d.X) != d.N*d.D || len(d.Y) != d.N {
		panic(fmt.Sprintf("datasets: WriteCSV: X has %d values and Y %d for %d×%d", len(d.X), len(d.Y), d.N, d.D))
	}
	cw := csv.NewWriter(w)
	header := make([]string, 0, d.D+1)
	if namesSurvive(d.FeatureNames, d.D) {
		header = append(header, d.FeatureNames...)
	} else {
		for j := range d.D {
			header = append(header, "x"+strconv.Itoa(j))
		}
	}
	header = append(header, "label")
	if err := cw.Write(header); err != nil {
		return err
	}
	classNames := d.ClassNames
	if len(classNames) != d.Classes || !classNamesSurvive(classNames) {
		classNames = indexNames(d.Classes)
	}
	rec := make([]string, d.D+1)
	for i := range d.N {
		for j, x := range d.Row(i) {
			rec[j] = strconv.FormatFloat(x, 'g', -1, 64)
		}
		if d.Y[i] < 0 || d.Y[i] >= d.Classes {
			panic(fmt.Sprintf("datasets: WriteCSV: Y[%d] = %d outside [0, %d)", i, d.Y[i], d.Classes))
		}
		rec[d.D] = classNames[d.Y[i]]
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// namesSurvive reports whether feature names can head a CSV that is read back with
// the same delimiter and is recognised as a header.
func namesSurvive(names []string, d int) bool {
	if len(names) != d {
		return false
	}
	textual := false
	for _, s := range names {
		if s == "" || strings.TrimSpace(s) != s || strings.ContainsAny(s, ";\t\"\r\n") {
			return false
		}
		textual = textual || !isNumber(s)
	}
	return textual
}

// classNamesSurvive reports whether reading names back as labels yields the same
// names in the same order.
func classNamesSurvive(names []string) bool {
	for _, s := range names {
		if s == "" || strings.TrimSpace(s) != s || strings.Contains(s, "\r\n") {
			return false
		}
	}
	got, _ := encodeLabels(names)
	return slices.Equal(got, names)
}
