package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"albench/harness"
	"albench/nets"
)

func TestVersion(t *testing.T) {
	want := fmt.Sprintf("albench %s %s %s/%s kernel %s\n", harness.Version, runtime.Version(), runtime.GOOS, runtime.GOARCH, nets.Kernel())
	for _, args := range [][]string{{"--version"}, {"-version"}, {"version"}} {
		code, stdout, stderr := albench(t, args...)
		if code != 0 || stdout != want || stderr != "" {
			t.Errorf("albench %s: exit %d, stdout %q, stderr %q; want 0 and %q", args[0], code, stdout, stderr, want)
		}
	}
	if code, _, _ := albench(t, "version", "extra"); code != exitUsage {
		t.Errorf("albench version extra: exit %d, want 2", code)
	}
}

// TestValidateSummary checks the table after "ok" and the warnings about a
// continuous-looking label and a class too small for the split, which leave the
// exit code 0.
func TestValidateSummary(t *testing.T) {
	dir := t.TempDir()
	var cont, tiny strings.Builder
	cont.WriteString("x1,x2,y\n")
	tiny.WriteString("x1,x2,y\n")
	for i := range 40 {
		fmt.Fprintf(&cont, "%d,%d,%.2f\n", i%7, i%5, float64(i)*0.37)
		label := "a"
		switch {
		case i == 39:
			label = "c"
		case i >= 20:
			label = "b"
		}
		fmt.Fprintf(&tiny, "%d,%d,%s\n", i%7, i%5, label)
	}
	for name, text := range map[string]string{"cont.csv": cont.String(), "tiny.csv": tiny.String()} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, "v.yaml")
	config := `name: v
seeds: 2
datasets:
  - {name: blobs, source: make_blobs, params: {n_samples: 150, n_features: 5, centers: 3}}
  - {name: cont, source: csv, params: {path: cont.csv, label: y}, protocol: {split: random}}
  - {name: tiny, source: csv, params: {path: tiny.csv, label: y}, protocol: {split: random}}
protocol: {initial: 5, batch: 5, budget: 10}
strategies: [random]
`
	if err := os.WriteFile(path, []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := albench(t, "validate", path)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	wantOut := path + ": ok: 3 datasets × 1 strategies × 2 seeds (12 jobs, with the skylines)\n" +
		"  dataset  rows  features  classes  pool  test  initial  budget  rounds\n" +
		"  blobs     150         5        3   105    45        5      10       2\n" +
		"  cont       40         2       40    28    12        5      10       2\n" +
		"  tiny       40         2        3    28    12        5      10       2\n"
	if stdout != wantOut {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout, wantOut)
	}
	wantErr := path + ": warning: dataset cont: 40 distinct labels in 40 rows: the label column looks continuous (albench classifies: each distinct value is a class)\n" +
		path + `: warning: dataset tiny: 1 of 3 classes have fewer than 2 rows, too few for one in the test set and one in the initial set: "c" (1 row)` + "\n"
	if stderr != wantErr {
		t.Errorf("stderr:\n%s\nwant:\n%s", stderr, wantErr)
	}
}
