package datasets

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
)

var libsvmSource = source{
	Source: Source{
		Name: "libsvm",
		Doc: "A LIBSVM / svmlight file: one sample a line, \"label index:value ...\" with strictly " +
			"increasing indices; absent features are 0 (the result is dense); # starts a comment. " +
			"Labels are class numbers (+1/-1, 0/1, 1, 2, ... or 2.0), mapped to classes in numeric order.",
		Params: []Param{
			{"path", "", "the file, relative to the config file's directory (a regular file of at most " + byteSize(maxFileBytes) + ")"},
			{"n_features", "null", "the number of features; an index beyond it is a problem (null: the largest index in the file)"},
			{"zero_based", "false", "whether feature indices start at 0 (true) or at 1 (false, as LIBSVM's tools write them)"},
		},
	},
	parse: parseLIBSVMSource,
}

// maxDenseCells bounds the samples × features of the dense matrix a LIBSVM file
// makes: a short file with one huge index would otherwise ask for gigabytes. It
// is maxCells, the generators' bound; a variable so that the fuzz test can lower it.
var maxDenseCells = maxCells

// LIBSVMOptions says how to read a LIBSVM file. The zero value reads a file with
// 1-based indices and as many features as its largest index.
type LIBSVMOptions struct {
	// NFeatures is the number of features D; an index beyond it is a problem.
	// 0 means the largest index in the file (a trailing feature that is zero in
	// every sample is then lost: give D when the file may have one).
	NFeatures int
	// ZeroBased says that the indices run 0..D-1 rather than LIBSVM's 1..D.
	ZeroBased bool
}

func parseLIBSVMSource(p *params, dir string) (Shape, func(*rand.Rand) *Dataset) {
	path := pathParam(p)
	var opts LIBSVMOptions
	nOK := true
	if v, ok := p.lookup("n_features"); ok && v != nil {
		n := len(p.probs)
		opts.NFeatures = p.Int("n_features", 0, 1)
		nOK = len(p.probs) == n
		if nOK && opts.NFeatures > maxDenseCells {
			p.add("n_features", "must be at most "+strconv.Itoa(maxDenseCells), v)
			nOK = false
		}
	}
	opts.ZeroBased = p.Bool("zero_based", false)
	if path == "" || !nOK {
		return Shape{}, nil
	}
	data, file, ok := readDataFile(p, dir, path)
	if !ok {
		return Shape{}, nil
	}
	d, probs := parseLIBSVM(data, file, opts)
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

// ParseLIBSVM reads a labeled LIBSVM / svmlight file from r, as the libsvm source
// does; file names the data in problems. The dataset is nil when there are
// problems.
//
// A line is "label index:value index:value ...", fields separated by spaces or
// tabs; "#" starts a comment that runs to the end of the line, and lines with
// nothing but blanks and a comment are skipped. The indices of a line must
// increase strictly; a feature a line does not name is 0. The label is a class
// number written as any float that is a whole number ("+1", "-1", "0", "3",
// "2.0"); the distinct values, in numeric order, are classes 0..k-1, named by
// their shortest formatting ("+1" and "1.0" are both class "1"). Problems carry
// the 1-based line and the 1-based byte column of the offending text.
func ParseLIBSVM(r io.Reader, file string, opts LIBSVMOptions) (*Dataset, []Problem) {
	if opts.NFeatures < 0 || opts.NFeatures > maxDenseCells {
		panic(fmt.Sprintf("datasets: ParseLIBSVM: NFeatures = %d outside [0, %d]", opts.NFeatures, maxDenseCells))
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, []Problem{{Msg: "cannot read: " + err.Error(), File: file}}
	}
	return parseLIBSVM(data, file, opts)
}

// isBlank reports whether c separates the fields of a LIBSVM line.
func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' }

func parseLIBSVM(data []byte, file string, opts LIBSVMOptions) (*Dataset, []Problem) {
	fp := &fileProblems{file: file}
	// The samples in sparse form: row i's entries are cols/vals[start[i]:start[i+1]].
	var (
		labels []string
		start  = []int{0}
		cols   []int
		vals   []float64
		maxCol = -1
	)
	limit := opts.NFeatures
	for lineNo := 1; len(data) > 0; lineNo++ {
		line := data
		if k := bytes.IndexByte(data, '\n'); k >= 0 {
			line, data = data[:k], data[k+1:]
		} else {
			data = nil
		}
		if k := bytes.IndexByte(line, '#'); k >= 0 {
			line = line[:k]
		}
		// field returns the next blank-separated field at or after position at
		// and its 1-based column; "" at the end of the line.
		at := 0
		field := func() (string, int) {
			for at < len(line) && isBlank(line[at]) {
				at++
			}
			begin := at
			for at < len(line) && !isBlank(line[at]) {
				at++
			}
			return string(line[begin:at]), begin + 1
		}
		lab, col := field()
		if lab == "" {
			continue
		}
		ok := true
		if msg := checkLabel(lab); msg != "" {
			fp.add(lineNo, col, msg, lab)
			ok = false
		}
		prev, prevText := -1, ""
		for {
			tok, col := field()
			if tok == "" {
				break
			}
			idxText, valText, found := strings.Cut(tok, ":")
			if !found {
				fp.add(lineNo, col, "expected index:value", tok)
				ok = false
				continue
			}
			j, msg := featureColumn(idxText, opts.ZeroBased, limit)
			if msg != "" {
				fp.add(lineNo, col, msg, idxText)
				ok = false
			} else if j <= prev {
				fp.add(lineNo, col, "feature indices must increase strictly along a line: "+idxText+" follows "+prevText, idxText)
				ok = false
			}
			if msg == "" && j > prev {
				prev, prevText = j, idxText
			}
			vcol := col + len(idxText) + 1
			x, err := strconv.ParseFloat(valText, 64)
			switch {
			case valText == "":
				fp.add(lineNo, vcol, "empty feature value", "")
				ok = false
			case err != nil && !errors.Is(err, strconv.ErrRange):
				fp.add(lineNo, vcol, "feature value is not a number", valText)
				ok = false
			case math.IsNaN(x) || math.IsInf(x, 0):
				// ParseFloat turns out-of-range values such as 1e999 into ±Inf.
				fp.add(lineNo, vcol, "feature value is not finite", valText)
				ok = false
			}
			if ok {
				cols = append(cols, j)
				vals = append(vals, x)
				maxCol = max(maxCol, j)
			}
		}
		if !ok { // drop the line's entries stored before its first problem
			cols, vals = cols[:start[len(start)-1]], vals[:start[len(start)-1]]
			continue
		}
		labels = append(labels, lab)
		start = append(start, len(cols))
	}
	if len(fp.list) > 0 {
		return nil, fp.result()
	}
	if len(labels) == 0 {
		fp.add(0, 0, "empty file", "")
		return nil, fp.result()
	}
	d := &Dataset{N: len(labels), D: limit}
	if d.D == 0 {
		d.D = maxCol + 1
	}
	if d.D == 0 {
		fp.add(0, 0, "no features: no sample has an index:value pair (give n_features for all-zero samples)", "")
		return nil, fp.result()
	}
	if d.N > maxDenseCells/d.D {
		fp.add(0, 0, fmt.Sprintf("too large for a dense matrix: %d samples × %d features is more than %d values", d.N, d.D, maxDenseCells), "")
		return nil, fp.result()
	}
	d.X = make([]float64, d.N*d.D)
	for i := range d.N {
		row := d.Row(i)
		for k := start[i]; k < start[i+1]; k++ {
			row[cols[k]] = vals[k]
		}
	}
	d.ClassNames, d.Y = encodeLabels(labels)
	d.Classes = len(d.ClassNames)
	if d.Classes < 2 {
		fp.add(0, 0, "a single class: every label is "+strconv.Quote(d.ClassNames[0]), "")
		return nil, fp.result()
	}
	return d, nil
}

// checkLabel returns what is wrong with a label field, or "" when it is a class
// number: a finite float that is a whole number.
func checkLabel(s string) string {
	y, err := strconv.ParseFloat(s, 64)
	switch {
	case err != nil && !errors.Is(err, strconv.ErrRange):
		switch {
		case strings.Contains(s, ":"):
			return "missing label: a line starts with its label, then index:value pairs"
		case strings.Contains(s, ","):
			return "multi-label samples are not supported: the label must be one class number"
		}
		return "label is not a number"
	case math.IsNaN(y) || math.IsInf(y, 0):
		return "label is not finite"
	case y != math.Trunc(y):
		return "label is not a whole number: classes are integers (a regression target?)"
	}
	return ""
}

// featureColumn turns an index field into a 0-based column, or returns what is
// wrong with it. limit is n_features (0: none).
func featureColumn(s string, zeroBased bool, limit int) (int, string) {
	idx, err := strconv.Atoi(s)
	switch {
	case s == "":
		return 0, "empty feature index"
	case s == "qid":
		return 0, "query ids (svmlight's qid:) are not supported"
	case err != nil:
		if errors.Is(err, strconv.ErrRange) {
			return 0, "feature index is too large"
		}
		return 0, "feature index is not an integer"
	case idx < 0:
		return 0, "feature index is negative"
	case idx == 0 && !zeroBased:
		return 0, "feature index 0 in a 1-based file (set zero_based: true if its indices start at 0)"
	}
	j := idx
	if !zeroBased {
		j--
	}
	switch {
	case limit > 0 && j >= limit:
		if zeroBased {
			return 0, fmt.Sprintf("feature index beyond n_features = %d (0-based indices run to %d)", limit, limit-1)
		}
		return 0, fmt.Sprintf("feature index beyond n_features = %d", limit)
	case j >= maxDenseCells:
		return 0, fmt.Sprintf("feature index is too large: a dense matrix holds at most %d features", maxDenseCells)
	}
	return j, ""
}

// WriteLIBSVM writes d in LIBSVM format, 1-based, one sample a line, naming every
// feature whose value is not +0 (so -0 survives) in the shortest formatting that
// reads back to the same float64 (strconv 'g' -1). ParseLIBSVM with NFeatures =
// d.D reads the output back to the same X and Y, bit for bit (without NFeatures a
// trailing feature that is 0 in every sample is lost).
//
// Labels are d.ClassNames when they are class numbers in increasing order, so they
// survive too; otherwise class indices 0..k-1. A class with no sample cannot be
// written: reading such a file back gives fewer classes.
func WriteLIBSVM(w io.Writer, d *Dataset) error {
	if len(d.X) != d.N*d.D || len(d.Y) != d.N {
		panic(fmt.Sprintf("datasets: WriteLIBSVM: X has %d values and Y %d for %d×%d", len(d.X), len(d.Y), d.N, d.D))
	}
	names := d.ClassNames
	if len(names) != d.Classes || !classNumbersSurvive(names) {
		names = indexNames(d.Classes)
	}
	var buf []byte
	for i := range d.N {
		if d.Y[i] < 0 || d.Y[i] >= d.Classes {
			panic(fmt.Sprintf("datasets: WriteLIBSVM: Y[%d] = %d outside [0, %d)", i, d.Y[i], d.Classes))
		}
		buf = append(buf[:0], names[d.Y[i]]...)
		for j, x := range d.Row(i) {
			if math.Float64bits(x) == 0 {
				continue
			}
			buf = append(buf, ' ')
			buf = strconv.AppendInt(buf, int64(j+1), 10)
			buf = append(buf, ':')
			buf = strconv.AppendFloat(buf, x, 'g', -1, 64)
		}
		buf = append(buf, '\n')
		if _, err := w.Write(buf); err != nil {
			return err
		}
	}
	return nil
}

// classNumbersSurvive reports whether names can be written as LIBSVM labels that
// read back to the same names in the same order.
func classNumbersSurvive(names []string) bool {
	for _, s := range names {
		if checkLabel(s) != "" { // a blank or a # fails too: ParseFloat rejects them
			return false
		}
	}
	got, _ := encodeLabels(names)
	return slices.Equal(got, names)
}
