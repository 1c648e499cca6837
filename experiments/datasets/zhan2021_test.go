package datasets

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// zhanRow is one row of the table in data/zhan2021/SOURCES.md.
type zhanRow struct {
	name       string
	n, d, k    int
	counts     []int
	classNames []string
	sha256     string
}

// zhanTable reads the "## Sets" table of data/zhan2021/SOURCES.md: the documented
// shape, class counts, label spelling and checksum of every embedded survey set.
func zhanTable(t *testing.T) []zhanRow {
	t.Helper()
	doc, err := Embedded("zhan2021/SOURCES.md")
	if err != nil {
		t.Fatal(err)
	}
	_, sets, ok := strings.Cut(string(doc), "\n## Sets\n")
	if !ok {
		t.Fatal("SOURCES.md has no ## Sets section")
	}
	var rows []zhanRow
	atoi := func(s string) int {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			t.Fatalf("SOURCES.md: %v", err)
		}
		return n
	}
	for _, line := range strings.Split(sets, "\n") {
		if strings.HasPrefix(line, "## ") {
			break
		}
		cells := strings.Split(line, "|")
		if len(cells) != 9 || strings.HasPrefix(cells[2], "---") || strings.TrimSpace(cells[1]) == "source" {
			continue
		}
		r := zhanRow{
			name:   strings.TrimSpace(cells[1]),
			n:      atoi(cells[2]),
			d:      atoi(cells[3]),
			k:      atoi(cells[4]),
			sha256: strings.Trim(strings.TrimSpace(cells[7]), "`"),
		}
		for _, c := range strings.Fields(cells[5]) {
			r.counts = append(r.counts, atoi(c))
		}
		// "-1/+1", "0/1", "1/2/3" or "1..31": the labels as written, in class order.
		labels := strings.TrimSpace(cells[6])
		if lo, hi, isRange := strings.Cut(labels, ".."); isRange {
			for c := atoi(lo); c <= atoi(hi); c++ {
				r.classNames = append(r.classNames, strconv.Itoa(c))
			}
		} else {
			for _, l := range strings.Split(labels, "/") {
				r.classNames = append(r.classNames, strconv.Itoa(atoi(strings.TrimPrefix(l, "+"))))
			}
		}
		rows = append(rows, r)
	}
	return rows
}

func TestZhanTableMatchesTheRegistry(t *testing.T) {
	rows := zhanTable(t)
	if len(rows) != 32 || len(zhanSets) != 32 {
		t.Fatalf("%d rows in SOURCES.md, %d sets in zhanSets, want 32", len(rows), len(zhanSets))
	}
	for i, r := range rows {
		s := zhanSets[i]
		if s.name != r.name || s.n != r.n || s.d != r.d || s.k != r.k {
			t.Errorf("zhanSets[%d] = %s %d×%d×%d, SOURCES.md says %s %d×%d×%d", i, s.name, s.n, s.d, s.k, r.name, r.n, r.d, r.k)
		}
		if len(r.counts) != r.k || len(r.classNames) != r.k {
			t.Errorf("%s: SOURCES.md lists %d counts and %d labels for %d classes", r.name, len(r.counts), len(r.classNames), r.k)
		}
		sum := 0
		for _, c := range r.counts {
			sum += c
		}
		if sum != r.n {
			t.Errorf("%s: class counts add up to %d, not %d", r.name, sum, r.n)
		}
	}
	// Nothing embedded but the listed files, the licence and SOURCES.md (compress.sh
	// stays out of the binary).
	files, err := fs.Glob(dataFS, "data/zhan2021/*")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"data/zhan2021/LICENSE", "data/zhan2021/SOURCES.md"}
	for _, r := range rows {
		want = append(want, zhanFile(r.name))
	}
	slices.Sort(want)
	if !slices.Equal(files, want) {
		t.Errorf("embedded %v, want %v", files, want)
	}
	if lic, err := Embedded("zhan2021/LICENSE"); err != nil || !strings.HasPrefix(string(lic), "MIT License\n\nCopyright (c) 2023 SineZHAN") {
		t.Errorf("LICENSE: %.40q %v", lic, err)
	}
}

func TestZhanChecksumsAndShapes(t *testing.T) {
	for _, r := range zhanTable(t) {
		raw, err := zhanRaw(r.name)
		if err != nil {
			t.Fatalf("%s: %v", r.name, err)
		}
		sum := sha256.Sum256(raw)
		if got := hex.EncodeToString(sum[:]); got != r.sha256 {
			t.Errorf("%s: sha256 %s, SOURCES.md says %s", r.name, got, r.sha256)
		}
		// The shape comes from the file alone: no n_features is given.
		d := mustBuild(t, r.name, nil, 0)
		if d.N != r.n || d.D != r.d || d.Classes != r.k {
			t.Errorf("%s: %d×%d×%d, want %d×%d×%d", r.name, d.N, d.D, d.Classes, r.n, r.d, r.k)
		}
		if got := classCounts(d); !slices.Equal(got, r.counts) {
			t.Errorf("%s: class counts %v, want %v", r.name, got, r.counts)
		}
		if !slices.Equal(d.ClassNames, r.classNames) {
			t.Errorf("%s: class names %v, want %v", r.name, d.ClassNames, r.classNames)
		}
		if d.FeatureNames != nil {
			t.Errorf("%s: feature names %v from a LIBSVM file", r.name, d.FeatureNames)
		}
	}
	// Spot values, read off the files: haberman's first line is "-1 1:30 2:64 3:1",
	// ionosphere's feature 2 is absent (0) everywhere.
	h := mustBuild(t, "haberman", nil, 0)
	if !slices.Equal(h.Row(0), []float64{30, 64, 1}) || h.ClassNames[h.Y[0]] != "-1" {
		t.Errorf("haberman row 0 = %v, class %s", h.Row(0), h.ClassNames[h.Y[0]])
	}
	ion := mustBuild(t, "ionosphere", nil, 0)
	for i := range ion.N {
		if ion.Row(i)[1] != 0 {
			t.Fatalf("ionosphere row %d feature 2 = %g", i, ion.Row(i)[1])
		}
	}
	// wdbc is breast_cancer standardised, with malignant (breast_cancer's class 0)
	// as class "1".
	w, bc := mustBuild(t, "wdbc", nil, 0), mustBuild(t, "breast_cancer", nil, 0)
	for i := range w.N {
		if (w.Y[i] == 1) != (bc.Y[i] == 0) {
			t.Fatalf("wdbc row %d: class %d, breast_cancer class %d", i, w.Y[i], bc.Y[i])
		}
	}
}

func TestZhanDocsShowTheShape(t *testing.T) {
	for _, r := range zhanTable(t) {
		var doc string
		for _, s := range Sources() {
			if s.Name == r.name {
				doc = s.Doc
			}
		}
		shape := fmt.Sprintf("%d × %d × %d (rows × features × classes)", r.n, r.d, r.k)
		if !strings.Contains(doc, shape) || !strings.Contains(doc, "data/zhan2021/SOURCES.md") {
			t.Errorf("%s: doc %q lacks %q", r.name, doc, shape)
		}
		if probs := problemsFor(t, r.name, map[string]any{"path": "x"}); len(probs) != 1 || !strings.Contains(probs[0].Msg, "takes no parameters") {
			t.Errorf("%s with a param: %v", r.name, Problems(probs))
		}
	}
}

func TestZhanBuildIsConcurrentAndReturnsACopy(t *testing.T) {
	// Several first uses at once: one decompression, the same data for all
	// (the race detector watches the cache).
	const workers = 4
	got := make([]*Dataset, workers)
	var wg sync.WaitGroup
	for i := range workers {
		wg.Go(func() {
			d, err := Build("thyroid", nil, ".", nil)
			if err != nil {
				t.Error(err)
				return
			}
			got[i] = d
		})
	}
	wg.Wait()
	for _, d := range got[1:] {
		if d == nil || got[0] == nil || !sameBits(d, got[0]) || &d.X[0] == &got[0].X[0] {
			t.Fatal("concurrent Builds differ or share storage")
		}
	}
	a := got[0]
	x0, y0 := a.X[0], a.Y[0]
	a.X[0], a.Y[0], a.ClassNames[0] = -1e9, 2, "changed"
	b := mustBuild(t, "thyroid", nil, 0)
	if b.X[0] != x0 || b.Y[0] != y0 || b.ClassNames[0] != "1" {
		t.Fatalf("changing one Build's result changed the next: %v %v %v", b.X[0], b.Y[0], b.ClassNames[0])
	}
}

func TestZhanCompressedSize(t *testing.T) {
	var total int64
	for _, s := range zhanSets {
		info, err := fs.Stat(dataFS, zhanFile(s.name))
		if err != nil {
			t.Fatal(err)
		}
		total += info.Size()
	}
	// The embedded survey files make the binary this much larger; keep it small.
	if total > 4<<20 {
		t.Errorf("the compressed survey files take %d bytes, more than 4 MiB", total)
	}
}
