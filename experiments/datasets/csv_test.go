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

func parse(t *testing.T, text string, label any) *Dataset {
	t.Helper()
	d, probs := ParseCSV(strings.NewReader(text), "t.csv", label)
	if len(probs) > 0 {
		t.Fatalf("ParseCSV(%q): %v", text, Problems(probs))
	}
	return d
}

func TestCSVHeaderAndNoHeader(t *testing.T) {
	h := parse(t, "a,b,label\n1,2,0\n3,4.5,1\n", nil)
	if h.N != 2 || h.D != 2 || !slices.Equal(h.X, []float64{1, 2, 3, 4.5}) || !slices.Equal(h.FeatureNames, []string{"a", "b"}) {
		t.Errorf("with header: %+v", h)
	}
	n := parse(t, "1,2,0\n3,4.5,1\n", nil)
	if n.N != 2 || !slices.Equal(n.X, h.X) || !slices.Equal(n.Y, h.Y) || n.FeatureNames != nil {
		t.Errorf("without header: %+v", n)
	}
	// A non-numeric label in the first row does not make it a header.
	s := parse(t, "1,2,cat\n3,4,dog\n", nil)
	if s.N != 2 || !slices.Equal(s.ClassNames, []string{"cat", "dog"}) {
		t.Errorf("string labels without header: %+v", s)
	}
	// A UTF-8 byte-order mark and CRLF line ends are tolerated.
	b := parse(t, "\uFEFFa,b,label\r\n1,2,0\r\n3,4.5,1\r\n", nil)
	if !slices.Equal(b.X, h.X) || b.FeatureNames[0] != "a" {
		t.Errorf("BOM/CRLF: %+v", b)
	}
}

func TestCSVDelimiters(t *testing.T) {
	want := parse(t, "x,y,label\n1.5,-2,a\n3,4e3,b\n", nil)
	for _, text := range []string{
		"x;y;label\n1.5;-2;a\n3;4e3;b\n",
		"x\ty\tlabel\n1.5\t-2\ta\n3\t4e3\tb\n",
		"\"x,1\";y;label\n1.5;-2;a\n3;4e3;b\n", // a quoted comma does not count
		"x, y, label\n1.5, -2, a\n3, 4e3, b\n", // spaces around fields are trimmed
	} {
		got := parse(t, text, nil)
		if !slices.Equal(got.X, want.X) || !slices.Equal(got.Y, want.Y) || !slices.Equal(got.ClassNames, want.ClassNames) {
			t.Errorf("%q: X %v Y %v names %v, want %v %v %v", text, got.X, got.Y, got.ClassNames, want.X, want.Y, want.ClassNames)
		}
	}
}

func TestCSVLabelsMappedInSortedOrder(t *testing.T) {
	d := parse(t, "f,species\n1,dog\n2,cat\n3,bird\n4,cat\n", nil)
	if !slices.Equal(d.ClassNames, []string{"bird", "cat", "dog"}) || !slices.Equal(d.Y, []int{2, 1, 0, 1}) {
		t.Errorf("string labels: names %v Y %v", d.ClassNames, d.Y)
	}
	// Numeric labels sort numerically, not as strings; 1 and 1.0 are one class.
	d = parse(t, "f,c\n1,10\n2,2\n3,1.0\n4,1\n5,-3\n", nil)
	if !slices.Equal(d.ClassNames, []string{"-3", "1", "2", "10"}) || !slices.Equal(d.Y, []int{3, 2, 1, 1, 0}) {
		t.Errorf("numeric labels: names %v Y %v", d.ClassNames, d.Y)
	}
}

func TestCSVLabelByNameAndIndex(t *testing.T) {
	const text = "id,species,w\n1,b,0.5\n2,a,0.25\n"
	for _, label := range []any{"species", 1} {
		d := parse(t, text, label)
		if d.D != 2 || !slices.Equal(d.X, []float64{1, 0.5, 2, 0.25}) || !slices.Equal(d.Y, []int{1, 0}) ||
			!slices.Equal(d.FeatureNames, []string{"id", "w"}) {
			t.Errorf("label %v: %+v", label, d)
		}
	}
	// By index without a header.
	d := parse(t, "0,1.5,2\n1,2.5,3\n", 0)
	if !slices.Equal(d.X, []float64{1.5, 2, 2.5, 3}) || !slices.Equal(d.ClassNames, []string{"0", "1"}) {
		t.Errorf("label 0 without header: %+v", d)
	}
	// A label named like a number still needs the header row.
	d = parse(t, "a,7\n1,x\n2,y\n", "7")
	if d.N != 2 || !slices.Equal(d.ClassNames, []string{"x", "y"}) {
		t.Errorf("label \"7\": %+v", d)
	}
}

func TestCSVProblemsWithLineAndColumn(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		label      any
		want       []Problem
	}{
		{"ragged short", "a,b,label\n1,2,x\n1,2\n3,4,y\n", nil,
			[]Problem{{Msg: "ragged row: 2 fields, the first row has 3", Line: 3, Col: 3}}},
		{"ragged long", "a,b,label\n1,2,x\n1,2,3,y\n3,4,y\n", nil,
			[]Problem{{Msg: "ragged row: 4 fields, the first row has 3", Line: 3, Col: 4}}},
		{"non-numeric", "a,b,label\n1,2,x\n1,zz,y\n", nil,
			[]Problem{{Msg: "feature is not a number", Got: "zz", Line: 3, Col: 2}}},
		{"empty field", "a,b,label\n1,2,x\n,2,y\n", nil,
			[]Problem{{Msg: "empty feature field", Line: 3, Col: 1}}},
		{"NaN", "a,b,label\n1,NaN,x\n1,2,y\n", nil,
			[]Problem{{Msg: "feature is not finite", Got: "NaN", Line: 2, Col: 2}}},
		{"Inf and overflow", "1,-Inf,x\n1e999,2,y\n", nil, []Problem{
			{Msg: "feature is not finite", Got: "-Inf", Line: 1, Col: 2},
			{Msg: "feature is not finite", Got: "1e999", Line: 2, Col: 1}}},
		{"single class", "a,b,l\n1,2,x\n3,4,x\n", nil,
			[]Problem{{Msg: "a single class: every label is \"x\"", Col: 3}}},
		{"empty file", "", nil, []Problem{{Msg: "empty file"}}},
		{"blank lines only", "\n\n", nil, []Problem{{Msg: "empty file"}}},
		{"header only", "a,b,label\n", nil, []Problem{{Msg: "no data rows"}}},
		{"one column", "1\n2\n", nil, []Problem{{Msg: "no feature columns: the first row has a single field (the delimiter must be a comma, semicolon or tab)", Line: 1}}},
		{"missing label name", "a,b,label\n1,2,x\n", "class",
			[]Problem{{Key: "label", Msg: "missing label column: the first row has no column named \"class\"", Got: "class", Line: 1}}},
		{"missing label index", "\na,b,label\n1,2,x\n", 3,
			[]Problem{{Key: "label", Msg: "missing label column: the first row has 3 columns", Got: "3", Line: 2, Col: 4}}},
		{"empty label", "a,b,label\n1,2,x\n1,2, \n", nil,
			[]Problem{{Msg: "empty label", Line: 3, Col: 3}}},
		{"syntax", "a,b,label\n1,2\"x,y\n", nil,
			[]Problem{{Msg: "CSV syntax: bare \" in non-quoted-field at character 4", Line: 2}}},
		// Lines count blank lines and quoted line breaks; every problem is reported.
		{"several", "a,b,label\n\n1,2,x\n\"1\n\",2,y\n1,q,z\n1,2\n", nil, []Problem{
			{Msg: "feature is not a number", Got: "q", Line: 6, Col: 2},
			{Msg: "ragged row: 2 fields, the first row has 3", Line: 7, Col: 3}}},
	} {
		_, probs := ParseCSV(strings.NewReader(tc.text), "t.csv", tc.label)
		for i := range tc.want {
			tc.want[i].File = "t.csv"
		}
		if !slices.Equal(probs, tc.want) {
			t.Errorf("%s:\n got %v\nwant %v", tc.name, Problems(probs), Problems(tc.want))
		}
	}
}

func TestCSVProblemsAreCapped(t *testing.T) {
	var b strings.Builder
	b.WriteString("a,b,label\n")
	for range 30 {
		b.WriteString("1,x,0\n")
	}
	_, probs := ParseCSV(strings.NewReader(b.String()), "t.csv", nil)
	if len(probs) != maxFileProblems+1 || probs[maxFileProblems].Msg != "10 more problems in this file not shown" {
		t.Fatalf("%d problems, last %v", len(probs), probs[len(probs)-1])
	}
	if probs[19].Line != 21 {
		t.Errorf("problem 20 at line %d, want 21", probs[19].Line)
	}
}

func TestCSVSourceReadsRelativeToDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "data", "d.csv")
	if err := os.WriteFile(file, []byte("a;b;y\n1;2;no\n3;4;yes\n5;6;no\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	params := map[string]any{"path": "data/d.csv", "label": "y"}
	shape, probs := Check("csv", params, dir)
	if len(probs) > 0 || shape != (Shape{3, 2, 2}) {
		t.Fatalf("Check: %+v %v", shape, probs)
	}
	d, err := Build("csv", params, dir, nil)
	if err != nil || !slices.Equal(d.Y, []int{0, 1, 0}) || !slices.Equal(d.ClassNames, []string{"no", "yes"}) {
		t.Fatalf("Build: %+v %v", d, err)
	}

	// Problems inside the file carry the joined path and the params key.
	if err := os.WriteFile(file, []byte("a;b;y\n1;2;no\n3;x;yes\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, probs = Check("csv", params, dir)
	want := []Problem{{Key: "path", Msg: "feature is not a number", Got: "x", File: file, Line: 3, Col: 2}}
	if !slices.Equal(probs, want) {
		t.Errorf("got %v, want %v", probs, want)
	}

	wantProblem(t, problemsFor(t, "csv", map[string]any{"path": "nope.csv"}), "path", "cannot read", "nope.csv")
	wantProblem(t, problemsFor(t, "csv", map[string]any{}), "path", "is required", "")
	wantProblem(t, problemsFor(t, "csv", map[string]any{"path": 3}), "path", "must be a file path", "3")
	wantProblem(t, problemsFor(t, "csv", map[string]any{"path": "d.csv", "label": 1.5}), "label", "column name or a non-negative column index", "1.5")
	wantProblem(t, problemsFor(t, "csv", map[string]any{"path": "d.csv", "label": -1}), "label", "non-negative", "-1")
	wantProblem(t, problemsFor(t, "csv", map[string]any{"path": "d.csv", "lable": "y"}), "lable", "did you mean label?", "")
}

func TestCSVIgnoreDropsColumnsUnread(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The shape of albench data's output: features, label, then a text column.
	write("split.csv", "x0,x1,label,split\n1.5,-2,b,pool\n3,4e3,a,pool\n-0,5e-324,b,test\n")
	for _, ignore := range [][]any{{"split"}, {3}, {"split", 3}} {
		params := map[string]any{"path": "split.csv", "label": "label", "ignore": ignore}
		shape, probs := Check("csv", params, dir)
		if len(probs) > 0 || shape != (Shape{3, 2, 2}) {
			t.Fatalf("ignore %v: Check %+v %v", ignore, shape, probs)
		}
		d, err := Build("csv", params, dir, nil)
		if err != nil {
			t.Fatal(err)
		}
		want := []float64{1.5, -2, 3, 4e3, math.Copysign(0, -1), 5e-324}
		if !slices.EqualFunc(d.X, want, func(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) }) ||
			!slices.Equal(d.Y, []int{1, 0, 1}) || !slices.Equal(d.FeatureNames, []string{"x0", "x1"}) {
			t.Errorf("ignore %v: %+v", ignore, d)
		}
	}
	// Without ignore the text column is a feature that is not a number.
	wantProblem(t, problemsFor(t, "csv", map[string]any{"path": filepath.Join(dir, "split.csv"), "label": "label"}),
		"path", "feature is not a number", "pool")

	// A middle column, ignored by index in a file without header; its fields are
	// not read, so they may be empty or text, and file columns keep their numbers.
	write("mid.csv", "1,,2,x\n3,id7,4,y\n5,id8,q,x\n")
	_, probs := Check("csv", map[string]any{"path": "mid.csv", "ignore": []any{1}}, dir)
	if len(probs) != 1 || probs[0].Msg != "feature is not a number" || probs[0].Line != 3 || probs[0].Col != 3 {
		t.Errorf("problems %v, want feature q at line 3, column 3", probs)
	}
	write("mid.csv", "1,,2,x\n3,id7,4,y\n")
	d, err := Build("csv", map[string]any{"path": "mid.csv", "ignore": []any{1}}, dir, nil)
	if err != nil || d.D != 2 || !slices.Equal(d.X, []float64{1, 2, 3, 4}) || d.FeatureNames != nil {
		t.Errorf("middle column: %+v %v", d, err)
	}
	// An empty list, the documented default, ignores nothing.
	if _, err := Build("csv", map[string]any{"path": "mid.csv", "ignore": []any{}}, dir, nil); err == nil {
		t.Error("ignore: [] dropped a column")
	}
	csvParams := sourceParams(t, "csv")
	if k := slices.IndexFunc(csvParams, func(p Param) bool { return p.Name == "ignore" }); k < 0 || csvParams[k].Default != "[]" {
		t.Errorf("csv params %v lack ignore with default []", csvParams)
	}
}

func TestCSVIgnoreProblems(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "d.csv")
	if err := os.WriteFile(file, []byte("\na,b,y,s\n1,2,no,pool\n3,4,yes,test\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	check := func(params map[string]any) []Problem {
		t.Helper()
		params["path"] = "d.csv"
		_, probs := Check("csv", params, dir)
		if len(probs) == 0 {
			t.Fatalf("Check(%v) found no problem", params)
		}
		if _, err := Build("csv", params, dir, nil); err == nil {
			t.Fatalf("Build(%v) succeeded", params)
		}
		return probs
	}
	// Params: checked before the file is read, every element at once.
	probs := check(map[string]any{"ignore": "s"})
	want := []Problem{{Key: "ignore", Msg: "must be a list of column names or non-negative column indices", Got: "s"}}
	if !slices.Equal(probs, want) {
		t.Errorf("got %v, want %v", Problems(probs), Problems(want))
	}
	wantProblem(t, check(map[string]any{"ignore": nil}), "ignore", "must be a list", "null")
	probs = check(map[string]any{"ignore": []any{"s", -1, " ", 2.5, nil}, "label": true})
	want = []Problem{
		{Key: "label", Msg: "must be a column name or a non-negative column index", Got: "true"},
		{Key: "ignore[1]", Msg: "must be a column name or a non-negative column index", Got: "-1"},
		{Key: "ignore[2]", Msg: "must be a column name or a non-negative column index", Got: " "},
		{Key: "ignore[3]", Msg: "must be a column name or a non-negative column index", Got: "2.5"},
		{Key: "ignore[4]", Msg: "must be a column name or a non-negative column index", Got: "null"},
	}
	if !slices.Equal(probs, want) {
		t.Errorf("got\n%v\nwant\n%v", Problems(probs), Problems(want))
	}

	// Against the file's first row (line 2): missing names and columns, the label.
	probs = check(map[string]any{"label": "y", "ignore": []any{"s", "split", 4, "y", 2}})
	want = []Problem{
		{Key: "ignore[1]", Msg: "missing column: the first row has no column named \"split\"", Got: "split", File: file, Line: 2},
		{Key: "ignore[2]", Msg: "missing column: the first row has 4 columns", Got: "4", File: file, Line: 2, Col: 5},
		{Key: "ignore[3]", Msg: "is the label column", Got: "y", File: file, Line: 2, Col: 3},
		{Key: "ignore[4]", Msg: "is the label column", Got: "2", File: file, Line: 2, Col: 3},
	}
	if !slices.Equal(probs, want) {
		t.Errorf("got\n%v\nwant\n%v", Problems(probs), Problems(want))
	}
	// The default label is the last column; a missing label and an ignore problem
	// are reported together.
	wantProblem(t, check(map[string]any{"ignore": []any{3}}), "ignore[0]", "is the label column", "3")
	probs = check(map[string]any{"label": "class", "ignore": []any{"t"}})
	wantProblem(t, probs, "label", "no column named \"class\"", "class")
	wantProblem(t, probs, "ignore[0]", "no column named \"t\"", "t")
	// Nothing left to learn from.
	probs = check(map[string]any{"label": "y", "ignore": []any{"a", 1, "s"}})
	want = []Problem{{Key: "path", Msg: "no feature columns: every column but the label is ignored", File: file, Line: 2}}
	if !slices.Equal(probs, want) {
		t.Errorf("got %v, want %v", Problems(probs), Problems(want))
	}
	wantProblem(t, check(map[string]any{"ignor": []any{"s"}}), "ignor", "did you mean ignore?", "")
}

// sameBits reports whether two datasets hold the same X bit for bit and the same labels.
func sameBits(a, b *Dataset) bool {
	if a.N != b.N || a.D != b.D || a.Classes != b.Classes || !slices.Equal(a.Y, b.Y) || len(a.X) != len(b.X) {
		return false
	}
	for i := range a.X {
		if math.Float64bits(a.X[i]) != math.Float64bits(b.X[i]) {
			return false
		}
	}
	return true
}

func roundTrip(t *testing.T, d *Dataset) *Dataset {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteCSV(&buf, d); err != nil {
		t.Fatal(err)
	}
	back, probs := ParseCSV(&buf, "w.csv", nil)
	if len(probs) > 0 {
		t.Fatalf("reading WriteCSV's output: %v", Problems(probs))
	}
	if !sameBits(d, back) {
		t.Fatalf("round trip changed the data")
	}
	return back
}

func TestWriteCSVRoundTripsBitForBit(t *testing.T) {
	for _, name := range []string{"iris", "wine", "breast_cancer", "digits"} {
		d := mustBuild(t, name, nil, 0)
		back := roundTrip(t, d)
		if !slices.Equal(back.FeatureNames, d.FeatureNames) {
			t.Errorf("%s: feature names %v, want %v", name, back.FeatureNames, d.FeatureNames)
		}
		// Names that sort in class order survive; malignant/benign become 0/1.
		wantNames := d.ClassNames
		if name == "breast_cancer" {
			wantNames = []string{"0", "1"}
		}
		if !slices.Equal(back.ClassNames, wantNames) {
			t.Errorf("%s: class names %v, want %v", name, back.ClassNames, wantNames)
		}
	}
	for _, src := range []string{"make_classification", "make_moons", "make_blobs", "make_gaussian_quantiles"} {
		roundTrip(t, mustBuild(t, src, map[string]any{"n_samples": 300}, 9))
	}
	// Awkward values: negative zero, subnormals, extremes, many digits.
	odd := &Dataset{
		X: []float64{math.Copysign(0, -1), 5e-324, math.MaxFloat64, -math.SmallestNonzeroFloat64,
			0.1, 1.0 / 3, -2.5e-310, 123456789012345680},
		N: 4, D: 2, Y: []int{0, 1, 1, 0}, Classes: 2, ClassNames: []string{"b", "a"},
		FeatureNames: []string{"1", "2"}, // numeric names cannot head a file: x0, x1 are used
	}
	back := roundTrip(t, odd)
	if !slices.Equal(back.FeatureNames, []string{"x0", "x1"}) || !slices.Equal(back.ClassNames, []string{"0", "1"}) {
		t.Errorf("names after round trip: %v %v", back.FeatureNames, back.ClassNames)
	}
}

// FuzzCSV feeds arbitrary bytes to the loader: it must never panic, every problem
// must be located in the file, and whatever it accepts must be a consistent
// dataset that WriteCSV and the loader carry through bit for bit.
func FuzzCSV(f *testing.F) {
	for _, seed := range []string{
		"a,b,label\n1,2,0\n3,4.5,1\n",
		"1;2;x\n3;4;y\n",
		"x\ty\tc\n1\t2\ta\n3\t4\tb\n",
		"\"q,1\",b,l\n\"1\n\",2,x\n3,4,y\n",
		"a,b\n1,NaN\n2,x\n",
		"a,b,c\n1,2\n3,4,5,6\n",
		"\uFEFFf,c\r\n1,10\r\n2,1.0\r\n",
		"",
		"\n\n,\n",
		"1,\"2\"\"\",3\n",
		"-0,1e-320,a\n0x1p-2,+Inf,b\n",
	} {
		f.Add([]byte(seed), -1)
		f.Add([]byte(seed), 0)
	}
	f.Add([]byte("x0,label,split\n1,a,pool\n2,b,test\n"), 8*2+1)
	f.Add([]byte("1,,2,x\n3,id,4,y\n"), 8*1)
	// label < 0: the last column; otherwise label%8 is the label column and, when
	// label ≥ 8, column (label/8)%8 is ignored.
	f.Fuzz(func(t *testing.T, data []byte, label int) {
		var d *Dataset
		var probs []Problem
		switch {
		case label < 0:
			d, probs = ParseCSV(bytes.NewReader(data), "f.csv", nil)
		case label < 8:
			d, probs = ParseCSV(bytes.NewReader(data), "f.csv", label)
		default:
			lab := labelSpec{index: label % 8, set: true}
			d, probs = parseCSVIgnoring(data, "f.csv", lab, []columnRef{{index: (label / 8) % 8}})
		}
		if len(probs) > 0 {
			if d != nil {
				t.Fatal("a dataset along with problems")
			}
			for _, p := range probs {
				if p.File != "f.csv" || p.Line < 0 || p.Col < 0 || p.Msg == "" {
					t.Fatalf("badly located problem %+v", p)
				}
			}
			return
		}
		if d.N < 1 || d.D < 1 || len(d.X) != d.N*d.D || len(d.Y) != d.N || d.Classes < 2 || len(d.ClassNames) != d.Classes {
			t.Fatalf("inconsistent dataset %+v", d)
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
		if err := WriteCSV(&buf, d); err != nil {
			t.Fatal(err)
		}
		back, probs := ParseCSV(bytes.NewReader(buf.Bytes()), "w.csv", nil)
		if len(probs) > 0 {
			t.Fatalf("reading back %q: %v", buf.String(), Problems(probs))
		}
		if !sameBits(d, back) || !slices.Equal(d.ClassNames, back.ClassNames) {
			t.Fatalf("round trip changed %+v into %+v", d, back)
		}
	})
}
