package main

import (
	"bytes"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/table.golden")

func near(a, b float64) bool { return math.Abs(a-b) < 1e-12 }

// TestAUBCByHand checks both normalisations on a curve summed by hand.
func TestAUBCByHand(t *testing.T) {
	x := []float64{20, 21, 22, 23}
	a := []float64{0.5, 0.6, 0.8, 0.7}
	// albench: ((.5+.6)/2 + (.6+.8)/2 + (.8+.7)/2) / 3 = (.55 + .7 + .75) / 3
	if got, want := albenchAULC(x, a), (0.55+0.7+0.75)/3; !near(got, want) {
		t.Errorf("albenchAULC = %v, want %v", got, want)
	}
	// paper: the initial .5 is off the curve: ((.6+.8)/2 + (.8+.7)/2) / 3
	if got, want := paperAUBC(x, a), (0.7+0.75)/3; !near(got, want) {
		t.Errorf("paperAUBC = %v, want %v", got, want)
	}
	// One query: the paper's curve is one point, area 0 over 1 query.
	if got := paperAUBC([]float64{20, 21}, []float64{0.5, 0.9}); got != 0 {
		t.Errorf("paperAUBC of one query = %v, want 0", got)
	}
	if got := paperAUBC([]float64{20}, []float64{0.5}); !math.IsNaN(got) {
		t.Errorf("paperAUBC without queries = %v, want NaN", got)
	}
	// Batch 2: x steps by 2, the range is x_q − x_0 = 4.
	if got, want := paperAUBC([]float64{20, 22, 24}, []float64{0.5, 0.6, 0.8}), 2*(0.6+0.8)/2/4; !near(got, want) {
		t.Errorf("paperAUBC batch 2 = %v, want %v", got, want)
	}
}

// TestReadCurvesByHand reads a tiny trials.csv (with a skyline row and rows
// out of order) and checks the per-seed scores.
func TestReadCurvesByHand(t *testing.T) {
	const in = `dataset,strategy,seed,round,n_labeled,accuracy,macro_f1,log_loss
d,random,0,1,21,0.600000,0.5,
d,random,0,0,20,0.500000,0.5,
d,random,0,2,22,0.800000,0.5,
d,skyline,0,0,30,0.900000,0.9,
d,random,1,0,20,0.400000,0.5,
d,random,1,1,21,0.400000,0.5,
d,random,1,2,22,0.600000,0.5,
`
	tr, err := readCurves(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(tr) != 1 {
		t.Fatalf("got %d (dataset, strategy) groups, want 1 (the skyline is left out)", len(tr))
	}
	ts := tr["d\x00random"]
	if ts == nil || len(ts.seeds) != 2 || ts.seeds[0] != 0 || ts.seeds[1] != 1 {
		t.Fatalf("random: %+v", ts)
	}
	// seed 0: AULC = (.55 + .7)/2, paper = .7/2; seed 1: AULC = (.4 + .5)/2, paper = .5/2
	for i, want := range [][2]float64{{0.625, 0.35}, {0.45, 0.25}} {
		if !near(ts.aulc[i], want[0]) || !near(ts.paper[i], want[1]) {
			t.Errorf("seed %d: aulc %v paper %v, want %v", i, ts.aulc[i], ts.paper[i], want)
		}
	}

	for _, bad := range []string{
		"dataset,strategy,seed,round,n_labeled,accuracy,macro_f1,log_loss\nd,random,0,0,20,0.5,0.5,\nd,random,0,2,22,0.5,0.5,\n", // round 1 missing
		"dataset,strategy,seed,round,n_labeled,accuracy,macro_f1,log_loss\nd,random,0,0,20,0.5,0.5,\nd,random,0,1,20,0.5,0.5,\n", // n_labeled stalls
		"dataset,strategy,seed,round,n_labeled,accuracy,macro_f1,log_loss\nd,random,0,0,20,0.5,0.5,\n",                           // no queries
	} {
		if _, err := readCurves(strings.NewReader(bad)); err == nil {
			t.Errorf("readCurves accepted\n%s", bad)
		}
	}
}

// TestSEAndAgreement checks the combined standard error, z and the agree flag
// against hand arithmetic.
func TestSEAndAgreement(t *testing.T) {
	// √(.03²/9 + .04²/16) = √(.0001 + .0001)
	if got, want := combinedSE(0.03, 9, 0.04, 16), math.Sqrt(0.0002); !near(got, want) {
		t.Errorf("combinedSE = %v, want %v", got, want)
	}
	se := 0.01
	if !agrees(0.80, 0.80+0.035-1e-9, se) || !agrees(0.80, 0.80-0.035+1e-9, se) {
		t.Error("agrees is false inside 3·SE + 0.005")
	}
	if agrees(0.80, 0.80+0.035+1e-6, se) || agrees(0.80, 0.80-0.035-1e-6, se) {
		t.Error("agrees is true outside 3·SE + 0.005")
	}

	// Two seeds with paper-style AUBC .35 and .45: mean .4, std √.005; the
	// paper's .5 ± .1 over 2 trials: SE = √(.005/2 + .01/2) = √.0075.
	tr := map[string]*trialScores{"d\x00random": {seeds: []int{0, 1}, aulc: []float64{0.4, 0.5}, paper: []float64{0.35, 0.45}}}
	pr := paperRow{dataset: "d", n: 2, cols: map[string]published{uniform: {0.5, 0.1}}}
	c := compareCell(tr, pr, uniform)
	if !near(c.paper.Mean, 0.4) || !near(c.paper.Std, math.Sqrt(0.005)) {
		t.Errorf("albench paper-style %v ± %v, want .4 ± %v", c.paper.Mean, c.paper.Std, math.Sqrt(0.005))
	}
	if want := -0.1 / math.Sqrt(0.0075); !near(c.z, want) {
		t.Errorf("z = %v, want %v", c.z, want)
	}
	if !c.agree { // .1 ≤ 3·.0866 + .005
		t.Error("agree = false, want true")
	}
	pr.cols[uniform] = published{0.7, 0.1} // .3 > 3·.0866 + .005
	if compareCell(tr, pr, uniform).agree {
		t.Error("agree = true at 3.5 SE, want false")
	}
}

// TestPairedWilcoxonHolm checks ΔAUBC and the Holm-corrected p on a case
// with the exact null distribution: 5 seeds, all differences positive, so
// the raw p is 2/2⁵ for each of two strategies and Holm doubles the smaller.
func TestPairedWilcoxonHolm(t *testing.T) {
	seeds := []int{0, 1, 2, 3, 4}
	tr := map[string]*trialScores{
		"d\x00random": {seeds: seeds, paper: []float64{0.5, 0.5, 0.5, 0.5, 0.5}},
		"d\x00us-c":   {seeds: seeds, paper: []float64{0.51, 0.52, 0.53, 0.54, 0.55}},
		"d\x00us-nc":  {seeds: seeds, paper: []float64{0.49, 0.52, 0.53, 0.54, 0.55}},
	}
	vs := compareWithUniform(tr, "d")
	if v := vs[usC]; !near(v.delta, 0.03) || v.n != 5 || !near(v.p, 2*2.0/32) {
		t.Errorf("us-c: %+v, want Δ .03, n 5, p %v", v, 2*2.0/32)
	}
	// us-nc: ranks 1..5, R− = 1, exact p = 2·2/32 = .125; Holm keeps it (max(2·.0625, 1·.125)).
	if v := vs[usNC]; !near(v.delta, 0.026) || !near(v.p, 0.125) {
		t.Errorf("us-nc: %+v, want Δ .026, p .125", v)
	}
}

// TestGolden runs the command on testdata/trials.csv against the package's
// paper.csv and compares the output with testdata/table.golden.
func TestGolden(t *testing.T) {
	dir := t.TempDir()
	data, err := os.ReadFile("testdata/trials.csv")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "trials.csv"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if err := run(&out, &errb, []string{"-run", dir, "-paper", "paper.csv"}); err != nil {
		t.Fatalf("run: %v (%s)", err, errb.String())
	}
	const golden = "testdata/table.golden"
	if *update {
		if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), want) {
		got := filepath.Join(t.TempDir(), "table.got")
		os.WriteFile(got, out.Bytes(), 0o644)
		t.Errorf("output differs from %s; got written to %s", golden, got)
	}
	// Twice the same bytes: map order must not leak into the output.
	var again bytes.Buffer
	if err := run(&again, &errb, []string{"-run", dir, "-paper", "paper.csv"}); err != nil || !bytes.Equal(again.Bytes(), out.Bytes()) {
		t.Error("a second run gave different output")
	}
}

func TestFlags(t *testing.T) {
	var errb bytes.Buffer
	for _, args := range [][]string{{}, {"-run", "x", "extra"}, {"-run", "x", "-paper-n", "1"}} {
		if err := run(&bytes.Buffer{}, &errb, args); err == nil {
			t.Errorf("run(%q) succeeded", args)
		}
	}
}

// TestByStrategy checks the -columns mode: the paper's columns are read under
// the given labels, one row per strategy in the flag's order, a cell compares
// albench's paper-style mean with the paper's, and a strategy the paper lacks
// shows albench's numbers alone.
func TestByStrategy(t *testing.T) {
	dir := t.TempDir()
	paper := "dataset,uniform_mean,uniform_std,core_set_mean,core_set_std,n_trials\nd,0.5,0.1,0.6,0.1,2\n"
	trials := `dataset,strategy,seed,round,n_labeled,accuracy,macro_f1,log_loss
d,random,0,0,20,0.5,0.5,
d,random,0,1,21,0.5,0.5,
d,random,0,2,22,0.5,0.5,
d,random,1,0,20,0.5,0.5,
d,random,1,1,21,0.5,0.5,
d,random,1,2,22,0.5,0.5,
d,coreset,0,0,20,0.5,0.5,
d,coreset,0,1,21,0.6,0.5,
d,coreset,0,2,22,0.6,0.5,
d,coreset,1,0,20,0.5,0.5,
d,coreset,1,1,21,0.6,0.5,
d,coreset,1,2,22,0.6,0.5,
d,typiclust,0,0,20,0.5,0.5,
d,typiclust,0,1,21,0.7,0.5,
d,typiclust,0,2,22,0.7,0.5,
d,typiclust,1,0,20,0.5,0.5,
d,typiclust,1,1,21,0.7,0.5,
d,typiclust,1,2,22,0.7,0.5,
`
	os.WriteFile(filepath.Join(dir, "paper.csv"), []byte(paper), 0o644)
	os.WriteFile(filepath.Join(dir, "trials.csv"), []byte(trials), 0o644)
	var out, errb bytes.Buffer
	args := []string{"-run", dir, "-paper", filepath.Join(dir, "paper.csv"), "-columns", "random=uniform,coreset=core_set,typiclust=typiclust"}
	if err := run(&out, &errb, args); err != nil {
		t.Fatalf("run: %v (%s)", err, errb.String())
	}
	lines := strings.Split(out.String(), "\n")
	// Paper-style AUBC: random (.5+.5)/2/2 = .25, coreset (.6+.6)/2/2 = .3 on both seeds
	// (std 0, so z is the difference over the paper's SE √(.01/2) alone). The two
	// equal differences tie, so the signed-rank p is the normal approximation
	// with the tie correction: W+ = 3, mean 1.5, var 30/24 − 6/48 = 1.125,
	// z = 1.414, p = .157, Holm over the two strategies ×2 = .31.
	wantRows := []string{
		"| random | 0.2500 / 0.5000 (-3.5 ✗) | 0/1 |",
		"| coreset | 0.3000 / 0.6000 (-4.2 ✗)<br>Δ +0.0500, p 0.31 | 0/1 |",
		"| typiclust | 0.3500<br>Δ +0.1000, p 0.31 | — |",
	}
	for i, want := range wantRows {
		if lines[2+i] != want {
			t.Errorf("row %d:\n got %s\nwant %s", i, lines[2+i], want)
		}
	}
	for _, bad := range []string{"random", "coreset=core_set", "random=uniform,random=uniform"} {
		if err := run(&bytes.Buffer{}, &errb, []string{"-run", dir, "-columns", bad}); err == nil {
			t.Errorf("-columns %q accepted", bad)
		}
	}
}
