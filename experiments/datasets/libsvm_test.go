package datasets

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// sourceParams returns the documented params of a registered source.
func sourceParams(t *testing.T, name string) []Param {
	t.Helper()
	for _, s := range Sources() {
		if s.Name == name {
			return s.Params
		}
	}
	t.Fatalf("no source %s", name)
	return nil
}

func parseSVM(t *testing.T, text string, opts LIBSVMOptions) *Dataset {
	t.Helper()
	d, probs := ParseLIBSVM(strings.NewReader(text), "t.svm", opts)
	if len(probs) > 0 {
		t.Fatalf("ParseLIBSVM(%q): %v", text, Problems(probs))
	}
	return d
}

func TestLIBSVMLabelEncodings(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		names      []string
		y          []int
	}{
		{"+1/-1", "+1 1:1\n-1 1:2\n+1 1:3\n", []string{"-1", "1"}, []int{1, 0, 1}},
		{"1/-1", "1 1:1\n-1 1:2\n-1 1:3\n", []string{"-1", "1"}, []int{1, 0, 0}},
		{"0/1", "0 1:1\n1 1:2\n0 1:3\n", []string{"0", "1"}, []int{0, 1, 0}},
		// Class numbers sort numerically, not as strings; 2 and 2.0 are one class.
		{"class numbers", "10 1:1\n2 1:2\n1 1:3\n2.0 1:4\n3e0 1:5\n", []string{"1", "2", "3", "10"}, []int{3, 1, 0, 1, 2}},
		{"-0 is 0", "-0 1:1\n0 1:2\n1 1:3\n", []string{"0", "1"}, []int{0, 0, 1}},
	} {
		d := parseSVM(t, tc.text, LIBSVMOptions{})
		if !slices.Equal(d.ClassNames, tc.names) || !slices.Equal(d.Y, tc.y) || d.Classes != len(tc.names) {
			t.Errorf("%s: names %v Y %v, want %v %v", tc.name, d.ClassNames, d.Y, tc.names, tc.y)
		}
	}
}

func TestLIBSVMSparseRowsCommentsAndBlanks(t *testing.T) {
	const text = "# a whole-line comment\n" +
		"\n" +
		"+1 1:0.5 3:-2 # trailing comment 4:9\n" +
		"   \t\n" +
		"-1\t2:7e1\r\n" + // a tab and CRLF
		"+1 #only a label: every feature is 0\n" +
		"-1 1:1 2:2 3:3"
	d := parseSVM(t, text, LIBSVMOptions{})
	want := []float64{
		0.5, 0, -2,
		0, 70, 0,
		0, 0, 0,
		1, 2, 3,
	}
	if d.N != 4 || d.D != 3 || !slices.Equal(d.X, want) || !slices.Equal(d.Y, []int{1, 0, 1, 0}) || d.FeatureNames != nil {
		t.Fatalf("got %d×%d X %v Y %v", d.N, d.D, d.X, d.Y)
	}
	// n_features adds trailing zero features; zero_based shifts the columns.
	d = parseSVM(t, "1 2:5\n0 1:4\n", LIBSVMOptions{NFeatures: 4})
	if d.D != 4 || !slices.Equal(d.X, []float64{0, 5, 0, 0, 4, 0, 0, 0}) {
		t.Errorf("n_features 4: %d features, X %v", d.D, d.X)
	}
	d = parseSVM(t, "1 0:3 2:5\n0 1:4\n", LIBSVMOptions{ZeroBased: true})
	if d.D != 3 || !slices.Equal(d.X, []float64{3, 0, 5, 0, 4, 0}) {
		t.Errorf("zero_based: %d features, X %v", d.D, d.X)
	}
	// Negative zero survives as written; an absent feature is +0.
	d = parseSVM(t, "1 1:-0\n0 2:1\n", LIBSVMOptions{})
	if math.Float64bits(d.X[0]) != math.Float64bits(math.Copysign(0, -1)) || math.Float64bits(d.X[2]) != 0 {
		t.Errorf("zeros: %v", d.X)
	}
}

func TestLIBSVMProblemsWithLineAndColumn(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		opts       LIBSVMOptions
		want       []Problem
	}{
		{"bad label", "+1 1:1\nyes 1:2\n", LIBSVMOptions{},
			[]Problem{{Msg: "label is not a number", Got: "yes", Line: 2, Col: 1}}},
		{"fractional label", "+1 1:1\n  1.5 1:2\n", LIBSVMOptions{},
			[]Problem{{Msg: "label is not a whole number: classes are integers (a regression target?)", Got: "1.5", Line: 2, Col: 3}}},
		{"NaN and Inf labels", "nan 1:1\n-Inf 1:1\n1e999 1:2\n", LIBSVMOptions{}, []Problem{
			{Msg: "label is not finite", Got: "nan", Line: 1, Col: 1},
			{Msg: "label is not finite", Got: "-Inf", Line: 2, Col: 1},
			{Msg: "label is not finite", Got: "1e999", Line: 3, Col: 1}}},
		{"missing label", "+1 1:1\n1:2 2:3\n", LIBSVMOptions{},
			[]Problem{{Msg: "missing label: a line starts with its label, then index:value pairs", Got: "1:2", Line: 2, Col: 1}}},
		{"multi-label", "1,2 1:1\n-1 1:2\n", LIBSVMOptions{},
			[]Problem{{Msg: "multi-label samples are not supported: the label must be one class number", Got: "1,2", Line: 1, Col: 1}}},
		{"no colon", "+1 1:1 3\n-1 1:2\n", LIBSVMOptions{},
			[]Problem{{Msg: "expected index:value", Got: "3", Line: 1, Col: 8}}},
		{"bad index", "+1 a:1\n-1 1.5:2 -2:3\n", LIBSVMOptions{}, []Problem{
			{Msg: "feature index is not an integer", Got: "a", Line: 1, Col: 4},
			{Msg: "feature index is not an integer", Got: "1.5", Line: 2, Col: 4},
			{Msg: "feature index is negative", Got: "-2", Line: 2, Col: 10}}},
		{"qid", "3 qid:1 1:2\n", LIBSVMOptions{},
			[]Problem{{Msg: "query ids (svmlight's qid:) are not supported", Got: "qid", Line: 1, Col: 3}}},
		{"empty index", "+1 :1\n-1 1:2\n", LIBSVMOptions{},
			[]Problem{{Msg: "empty feature index", Line: 1, Col: 4}}},
		{"huge index", "+1 99999999999999999999:1\n-1 1:2\n", LIBSVMOptions{},
			[]Problem{{Msg: "feature index is too large", Got: "99999999999999999999", Line: 1, Col: 4}}},
		{"index beyond a dense matrix", "+1 100000001:1\n-1 1:2\n", LIBSVMOptions{},
			[]Problem{{Msg: "feature index is too large: a dense matrix holds at most 100000000 features", Got: "100000001", Line: 1, Col: 4}}},
		{"non-increasing", "+1 2:1 2:3\n-1 3:1 1:2 4:1 3:0\n", LIBSVMOptions{}, []Problem{
			{Msg: "feature indices must increase strictly along a line: 2 follows 2", Got: "2", Line: 1, Col: 8},
			{Msg: "feature indices must increase strictly along a line: 1 follows 3", Got: "1", Line: 2, Col: 8},
			{Msg: "feature indices must increase strictly along a line: 3 follows 4", Got: "3", Line: 2, Col: 16}}},
		{"beyond n_features", "+1 1:1 3:2\n-1 2:1\n", LIBSVMOptions{NFeatures: 2},
			[]Problem{{Msg: "feature index beyond n_features = 2", Got: "3", Line: 1, Col: 8}}},
		{"beyond n_features, 0-based", "+1 0:1 2:2\n-1 1:1\n", LIBSVMOptions{NFeatures: 2, ZeroBased: true},
			[]Problem{{Msg: "feature index beyond n_features = 2 (0-based indices run to 1)", Got: "2", Line: 1, Col: 8}}},
		{"index 0 when 1-based", "+1 0:1 1:2\n-1 1:1\n", LIBSVMOptions{},
			[]Problem{{Msg: "feature index 0 in a 1-based file (set zero_based: true if its indices start at 0)", Got: "0", Line: 1, Col: 4}}},
		{"bad value", "+1 1:abc\n-1 12:\n", LIBSVMOptions{}, []Problem{
			{Msg: "feature value is not a number", Got: "abc", Line: 1, Col: 6},
			{Msg: "empty feature value", Line: 2, Col: 7}}},
		{"NaN and Inf values", "+1 1:NaN\n-1\t1:inf 2:-1e999\n", LIBSVMOptions{}, []Problem{
			{Msg: "feature value is not finite", Got: "NaN", Line: 1, Col: 6},
			{Msg: "feature value is not finite", Got: "inf", Line: 2, Col: 6},
			{Msg: "feature value is not finite", Got: "-1e999", Line: 2, Col: 12}}},
		{"empty file", "", LIBSVMOptions{}, []Problem{{Msg: "empty file"}}},
		{"comments and blanks only", "# header\n\n  \t\r\n#\n", LIBSVMOptions{}, []Problem{{Msg: "empty file"}}},
		{"single class", "+1 1:1\n1 1:2\n# -1 1:3\n1.0 2:1\n", LIBSVMOptions{},
			[]Problem{{Msg: "a single class: every label is \"1\""}}},
		{"labels only", "+1\n-1\n", LIBSVMOptions{},
			[]Problem{{Msg: "no features: no sample has an index:value pair (give n_features for all-zero samples)"}}},
		{"too large", "+1 100000000:1\n-1 1:2\n", LIBSVMOptions{},
			[]Problem{{Msg: "too large for a dense matrix: 2 samples × 100000000 features is more than 100000000 values"}}},
	} {
		d, probs := ParseLIBSVM(strings.NewReader(tc.text), "t.svm", tc.opts)
		for i := range tc.want {
			tc.want[i].File = "t.svm"
		}
		if d != nil || !slices.Equal(probs, tc.want) {
			t.Errorf("%s:\n got %v\nwant %v", tc.name, Problems(probs), Problems(tc.want))
		}
	}
	// A file with all-zero samples is fine when n_features says how many.
	d := parseSVM(t, "+1\n-1\n", LIBSVMOptions{NFeatures: 2})
	if d.N != 2 || d.D != 2 || !slices.Equal(d.X, []float64{0, 0, 0, 0}) {
		t.Errorf("all-zero samples: %+v", d)
	}
}

func TestLIBSVMProblemsAreCapped(t *testing.T) {
	var b strings.Builder
	for range 30 {
		b.WriteString("1 1:x\n")
	}
	_, probs := ParseLIBSVM(strings.NewReader(b.String()), "t.svm", LIBSVMOptions{})
	if len(probs) != maxFileProblems+1 || probs[maxFileProblems].Msg != "10 more problems in this file not shown" {
		t.Fatalf("%d problems, last %v", len(probs), probs[len(probs)-1])
	}
}

func TestLIBSVMSource(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		t.Helper()
		file := filepath.Join(dir, name)
		if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return file
	}
	if err := os.MkdirAll(filepath.Join(dir, "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	file := write("data/d.svm", "+1 1:1 2:2\n-1 2:3\n+1 1:4\n")
	params := map[string]any{"path": "data/d.svm"}
	shape, probs := Check("libsvm", params, dir)
	if len(probs) > 0 || shape != (Shape{3, 2, 2}) {
		t.Fatalf("Check: %+v %v", shape, probs)
	}
	d, err := Build("libsvm", params, dir, nil)
	if err != nil || !slices.Equal(d.X, []float64{1, 2, 0, 3, 4, 0}) || !slices.Equal(d.Y, []int{1, 0, 1}) ||
		!slices.Equal(d.ClassNames, []string{"-1", "1"}) {
		t.Fatalf("Build: %+v %v", d, err)
	}
	for _, tc := range []struct {
		params map[string]any
		want   Shape
	}{
		{map[string]any{"path": "data/d.svm", "n_features": 5}, Shape{3, 5, 2}},
		{map[string]any{"path": "data/d.svm", "n_features": nil}, Shape{3, 2, 2}}, // null: the default
		{map[string]any{"path": "data/d.svm", "zero_based": true}, Shape{3, 3, 2}},
		{map[string]any{"path": file, "zero_based": false}, Shape{3, 2, 2}},
	} {
		shape, probs := Check("libsvm", tc.params, dir)
		if len(probs) > 0 || shape != tc.want {
			t.Errorf("Check(%v) = %+v %v, want %+v", tc.params, shape, Problems(probs), tc.want)
		}
	}

	// Problems inside the file carry the joined path and the params key.
	_, probs = Check("libsvm", map[string]any{"path": "data/d.svm", "n_features": 1}, dir)
	want := []Problem{
		{Key: "path", Msg: "feature index beyond n_features = 1", Got: "2", File: file, Line: 1, Col: 8},
		{Key: "path", Msg: "feature index beyond n_features = 1", Got: "2", File: file, Line: 2, Col: 4},
	}
	if !slices.Equal(probs, want) {
		t.Errorf("got %v, want %v", Problems(probs), Problems(want))
	}

	wantProblem(t, problemsFor(t, "libsvm", map[string]any{"path": "nope.svm"}), "path", "cannot read", "nope.svm")
	wantProblem(t, problemsFor(t, "libsvm", map[string]any{}), "path", "is required", "")
	wantProblem(t, problemsFor(t, "libsvm", map[string]any{"path": nil}), "path", "must be a file path", "null")
	wantProblem(t, problemsFor(t, "libsvm", map[string]any{"path": file, "n_features": 0}), "n_features", "must be at least 1", "0")
	wantProblem(t, problemsFor(t, "libsvm", map[string]any{"path": file, "n_features": 2.5}), "n_features", "must be an integer", "2.5")
	wantProblem(t, problemsFor(t, "libsvm", map[string]any{"path": file, "n_features": 100000001}), "n_features", "must be at most 100000000", "100000001")
	wantProblem(t, problemsFor(t, "libsvm", map[string]any{"path": file, "zero_based": "yes"}), "zero_based", "must be true or false", "yes")
	wantProblem(t, problemsFor(t, "libsvm", map[string]any{"path": file, "zerobased": true}), "zerobased", "did you mean zero_based?", "")
	// Param problems are reported together, before the file is read.
	probs = problemsFor(t, "libsvm", map[string]any{"path": "nope.svm", "n_features": -1, "zero_based": 1})
	if len(probs) != 2 {
		t.Errorf("want the n_features and zero_based problems only, got %v", Problems(probs))
	}

	ps := sourceParams(t, "libsvm")
	if len(ps) != 3 || ps[0].Name != "path" || ps[0].Default != "" || ps[1].Name != "n_features" || ps[1].Default != "null" ||
		ps[2].Name != "zero_based" || ps[2].Default != "false" {
		t.Errorf("libsvm params %+v", ps)
	}
}

func TestDataFilesMustBeRegularAndSmall(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "d.svm"), []byte("+1 1:1\n-1 1:2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "d.csv"), []byte("a,y\n1,x\n2,y\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, src := range []string{"csv", "libsvm"} {
		_, probs := Check(src, map[string]any{"path": "."}, dir)
		want := []Problem{{Key: "path", Msg: "cannot read " + dir + ": is a directory", Got: "."}}
		if !slices.Equal(probs, want) {
			t.Errorf("%s of a directory: %v, want %v", src, Problems(probs), Problems(want))
		}
	}
	if _, err := os.Stat("/dev/null"); err == nil {
		_, probs := Check("libsvm", map[string]any{"path": "/dev/null"}, dir)
		want := []Problem{{Key: "path", Msg: "cannot read /dev/null: not a regular file", Got: "/dev/null"}}
		if !slices.Equal(probs, want) {
			t.Errorf("a device: %v, want %v", Problems(probs), Problems(want))
		}
	}

	defer func(n int64) { maxFileBytes = n }(maxFileBytes)
	maxFileBytes = 8
	for _, tc := range []struct{ src, path, size string }{{"libsvm", "d.svm", "14"}, {"csv", "d.csv", "12"}} {
		_, probs := Check(tc.src, map[string]any{"path": tc.path}, dir)
		want := []Problem{{Key: "path", Msg: "cannot read " + filepath.Join(dir, tc.path) + ": " + tc.size + " bytes is more than the 8 bytes a data file may have", Got: tc.path}}
		if !slices.Equal(probs, want) {
			t.Errorf("%s too large: %v, want %v", tc.src, Problems(probs), Problems(want))
		}
	}
	maxFileBytes = 14
	if _, probs := Check("libsvm", map[string]any{"path": "d.svm"}, dir); len(probs) > 0 {
		t.Errorf("a file of exactly the limit: %v", Problems(probs))
	}
	if got := byteSize(1 << 30); got != "1 GiB" {
		t.Errorf("byteSize(1 GiB) = %q", got)
	}
	if got := byteSize(3 << 19); got != "1536 KiB" {
		t.Errorf("byteSize(1.5 MiB) = %q", got)
	}
}

func roundTripLIBSVM(t *testing.T, d *Dataset) *Dataset {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteLIBSVM(&buf, d); err != nil {
		t.Fatal(err)
	}
	back, probs := ParseLIBSVM(&buf, "w.svm", LIBSVMOptions{NFeatures: d.D})
	if len(probs) > 0 {
		t.Fatalf("reading WriteLIBSVM's output: %v", Problems(probs))
	}
	if !sameBits(d, back) {
		t.Fatalf("round trip changed the data")
	}
	return back
}

func TestWriteLIBSVMRoundTripsBitForBit(t *testing.T) {
	for _, name := range []string{"iris", "digits", "banana", "ionosphere", "parkinsons", "glass"} {
		d := mustBuild(t, name, nil, 0)
		back := roundTripLIBSVM(t, d)
		// Class numbers survive; iris's names are not numbers and become 0, 1, 2.
		wantNames := d.ClassNames
		if name == "iris" {
			wantNames = []string{"0", "1", "2"}
		}
		if !slices.Equal(back.ClassNames, wantNames) {
			t.Errorf("%s: class names %v, want %v", name, back.ClassNames, wantNames)
		}
	}
	roundTripLIBSVM(t, mustBuild(t, "make_classification", map[string]any{"n_samples": 300, "n_classes": 3, "n_informative": 3}, 4))
	odd := &Dataset{
		X: []float64{math.Copysign(0, -1), 5e-324, math.MaxFloat64, -math.SmallestNonzeroFloat64,
			0, 0, -2.5e-310, 0},
		N: 4, D: 2, Y: []int{0, 1, 1, 0}, Classes: 2,
		ClassNames: []string{"1.0", "2"}, // "1.0" reads back as "1": indices are written
	}
	back := roundTripLIBSVM(t, odd)
	if !slices.Equal(back.ClassNames, []string{"0", "1"}) {
		t.Errorf("names after round trip: %v", back.ClassNames)
	}
	var buf bytes.Buffer
	if err := WriteLIBSVM(&buf, odd); err != nil {
		t.Fatal(err)
	}
	if want := "0 1:-0 2:5e-324\n1 1:1.7976931348623157e+308 2:-5e-324\n1\n0 1:-2.5e-310\n"; buf.String() != want {
		t.Errorf("WriteLIBSVM wrote %q, want %q", buf.String(), want)
	}
}

// FuzzLIBSVM feeds arbitrary bytes to the loader: it must never panic, every
// problem must be located in the file, and whatever it accepts must be a
// consistent dataset that WriteLIBSVM and the loader carry through bit for bit.
func FuzzLIBSVM(f *testing.F) {
	for _, seed := range []string{
		"+1 1:0.5 3:-2\n-1 2:7e1\n",
		"1 1:1\n-1 1:2 # c\n",
		"0 1:1\n1\t2:2\r\n",
		"10 1:1\n2 2:2\n2.0 3:3\n",
		"# only\n\n",
		"",
		"+1 2:1 2:3\n",
		"1:2 3:4\n",
		"+1 0:1\n-1 1:-0\n",
		"1 1:nan\n0 1:1e999\n",
		"1,2 1:1\n",
		"1e300 1:1\n-1e300 1:0x1p-3\n",
		"+1\n-1 5:1\n",
	} {
		f.Add([]byte(seed), uint8(0))
		f.Add([]byte(seed), uint8(3))
		f.Add([]byte(seed), uint8(0x80|2))
	}
	// A short input with a huge index would make an 800 MB matrix and stall the
	// fuzzer; the bound's own problems are tested above.
	defer func(n int) { maxDenseCells = n }(maxDenseCells)
	maxDenseCells = 1 << 16
	// opts: the low 7 bits are n_features (0: from the file), the high bit zero_based.
	f.Fuzz(func(t *testing.T, data []byte, opts uint8) {
		o := LIBSVMOptions{NFeatures: int(opts & 0x7f), ZeroBased: opts&0x80 != 0}
		d, probs := ParseLIBSVM(bytes.NewReader(data), "f.svm", o)
		if len(probs) > 0 {
			if d != nil {
				t.Fatal("a dataset along with problems")
			}
			for _, p := range probs {
				if p.File != "f.svm" || p.Line < 0 || p.Col < 0 || p.Msg == "" || (p.Col > 0 && p.Line == 0) {
					t.Fatalf("badly located problem %+v", p)
				}
			}
			return
		}
		if d.N < 1 || d.D < 1 || len(d.X) != d.N*d.D || len(d.Y) != d.N || d.Classes < 2 || len(d.ClassNames) != d.Classes {
			t.Fatalf("inconsistent dataset %+v", d)
		}
		if o.NFeatures > 0 && d.D != o.NFeatures {
			t.Fatalf("%d features, n_features %d", d.D, o.NFeatures)
		}
		seen := make([]bool, d.Classes)
		for _, y := range d.Y {
			seen[y] = true
		}
		if slices.Contains(seen, false) {
			t.Fatalf("a class without samples: %v", d.Y)
		}
		for _, x := range d.X {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				t.Fatalf("non-finite feature %g", x)
			}
		}
		var buf bytes.Buffer
		if err := WriteLIBSVM(&buf, d); err != nil {
			t.Fatal(err)
		}
		back, probs := ParseLIBSVM(bytes.NewReader(buf.Bytes()), "w.svm", LIBSVMOptions{NFeatures: d.D})
		if len(probs) > 0 {
			t.Fatalf("reading back %q: %v", buf.String(), Problems(probs))
		}
		if !sameBits(d, back) || !slices.Equal(d.ClassNames, back.ClassNames) {
			t.Fatalf("round trip changed %+v into %+v", d, back)
		}
	})
}
