//go:build pythonplugins

package plugins

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"albench/plugin"
)

// albenchBin is the albench binary the tests run: $ALBENCH when set (make
// test-python passes bin/albench), else one built into a temporary folder.
var albenchBin string

// python is the interpreter the example configs' `python3` runs: $PYTHON when
// set, else the first of PATH's python3 and /usr/bin/python3 that imports numpy
// and scikit-learn (a pyenv or virtualenv python3 first in PATH may lack them;
// Debian's has them after apt-get install python3-numpy python3-sklearn).
var python string

func TestMain(m *testing.M) {
	tmp, err := os.MkdirTemp("", "albench-plugins")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := setup(tmp)
	if code == 0 {
		code = m.Run()
	}
	os.RemoveAll(tmp)
	os.Exit(code)
}

// setup finds python, puts it first in PATH as python3 (a symlink in tmp/bin)
// and builds albench into tmp unless $ALBENCH names one.
func setup(tmp string) int {
	python = os.Getenv("PYTHON")
	if python == "" {
		var cands []string
		if p, err := exec.LookPath("python3"); err == nil {
			cands = append(cands, p)
		}
		python = "/usr/bin/python3"
		for _, c := range append(cands, python) {
			if exec.Command(c, "-c", "import numpy, sklearn").Run() == nil {
				python = c
				break
			}
		}
	}
	bin := filepath.Join(tmp, "bin")
	if err := os.Mkdir(bin, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if abs, err := exec.LookPath(python); err == nil {
		if err := os.Symlink(abs, filepath.Join(bin, "python3")); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	os.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	albenchBin = os.Getenv("ALBENCH")
	if albenchBin == "" {
		albenchBin = filepath.Join(tmp, "albench")
		build := exec.Command("go", "build", "-o", albenchBin, "albench/cmd/albench")
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			fmt.Fprintln(os.Stderr, "building albench:", err)
			return 1
		}
	}
	return 0
}

// requirePython fails the test unless python imports the modules.
func requirePython(t *testing.T, modules string) {
	t.Helper()
	if out, err := exec.Command(python, "-c", "import "+modules).CombinedOutput(); err != nil {
		t.Fatalf("%s cannot import %s (Debian: apt-get install python3-numpy python3-sklearn; or set PYTHON): %v\n%s",
			python, modules, err, out)
	}
}

// run runs albench run -q on config into out and fails the test on a non-zero exit.
func run(t *testing.T, config, out string, args ...string) {
	t.Helper()
	if msg, code := runCode(config, out, args...); code != 0 {
		t.Fatalf("albench run %s: exit status %d\n%s", config, code, msg)
	}
}

// runCode runs albench run -q on config into out: its output and exit status
// (-1 when it could not be started or was killed).
func runCode(config, out string, args ...string) (string, int) {
	cmd := exec.Command(albenchBin, append(append([]string{"run", "-q", "-out", out}, args...), config)...)
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	if err := cmd.Run(); err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			return buf.String(), ee.ExitCode()
		}
		return buf.String() + err.Error(), -1
	}
	return buf.String(), 0
}

// table reads a CSV file: its header and rows.
func table(t *testing.T, path string) ([]string, [][]string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil || len(rows) == 0 {
		t.Fatalf("%s: %v (%d rows)", path, err, len(rows))
	}
	return rows[0], rows[1:]
}

func column(t *testing.T, header []string, name string) int {
	t.Helper()
	for i, h := range header {
		if h == name {
			return i
		}
	}
	t.Fatalf("no column %q in %v", name, header)
	return -1
}

// sameFile fails the test unless the two files are byte for byte equal, showing
// the first differing line.
func sameFile(t *testing.T, a, b string) {
	t.Helper()
	x, err := os.ReadFile(a)
	if err != nil {
		t.Fatal(err)
	}
	y, err := os.ReadFile(b)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(x, y) {
		return
	}
	xl, yl := strings.Split(string(x), "\n"), strings.Split(string(y), "\n")
	for i := 0; i < len(xl) || i < len(yl); i++ {
		var u, v string
		if i < len(xl) {
			u = xl[i]
		}
		if i < len(yl) {
			v = yl[i]
		}
		if u != v {
			t.Fatalf("%s and %s differ first at line %d:\n  %s\n  %s", a, b, i+1, u, v)
		}
	}
}

func TestPythonUnitTests(t *testing.T) {
	requirePython(t, "numpy")
	cmd := exec.Command(python, "-m", "unittest", "discover", "-s", filepath.Join("..", "..", "python"), "-v")
	out, err := cmd.CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		t.Fatal(err)
	}
}

// TestSVCPluginMatchesSVM: svc.yaml through the scikit-learn SVC plugin and the same
// config with albench's svm learner given the plugin's params (model: {kind: svm,
// kernel: rbf, ...}) give byte-identical trials.csv and queries.csv: the same
// margin picks and the same accuracy and macro-F1 to the stored 6 decimals, every
// round of every trial. Tolerance: none. The plugin answers with libsvm's decision
// values, which albench's learner matches within 5e-14 relative on cold fits
// (learners/svm fixtures), and with libsvm's own predictions; svc.yaml says why its
// tol is 1e-9.
func TestSVCPluginMatchesSVM(t *testing.T) {
	requirePython(t, "numpy, sklearn")
	dir := t.TempDir()
	run(t, "svc.yaml", filepath.Join(dir, "plugin"))
	src, err := os.ReadFile("svc.yaml")
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile(`(?m)^model:\n(?:  .*\n)+`)
	blocks := block.FindAll(src, -1)
	if len(blocks) != 1 {
		t.Fatalf("svc.yaml: %d model blocks, want 1", len(blocks))
	}
	params := regexp.MustCompile(`(?m)^  params: \{(.*)\}$`).FindSubmatch(blocks[0])
	if params == nil {
		t.Fatalf("svc.yaml: no params: {...} line in\n%s", blocks[0])
	}
	model := "model: {kind: svm, " + string(params[1]) + "}\n"
	builtin := filepath.Join(dir, "builtin.yaml")
	if err := os.WriteFile(builtin, block.ReplaceAll(src, []byte(model)), 0o644); err != nil {
		t.Fatal(err)
	}
	run(t, builtin, filepath.Join(dir, "builtin"))
	for _, f := range []string{"trials.csv", "queries.csv"} {
		sameFile(t, filepath.Join(dir, "builtin", f), filepath.Join(dir, "plugin", f))
	}
	if _, err := os.Stat(filepath.Join(dir, "plugin", "logs", "iris", "margin", "seed-0.model.log")); err != nil {
		t.Errorf("the plugin's stderr log: %v", err)
	}
}

// picks reads queries.csv as trial (dataset, strategy, seed) → its picks, one
// string per round: the round's pool rows sorted. Within a round the order may
// differ: iris has duplicate rows, whose scores tie, and albench orders ties by a
// random permutation of the pool (Query.TieRank) that a plugin is not sent.
func picks(t *testing.T, path string) map[[3]string][]string {
	t.Helper()
	h, rows := table(t, path)
	ds, st, sd := column(t, h, "dataset"), column(t, h, "strategy"), column(t, h, "seed")
	rd, pr := column(t, h, "round"), column(t, h, "pool_row")
	byRound := map[[3]string]map[int][]int{}
	for _, r := range rows {
		k := [3]string{r[ds], r[st], r[sd]}
		round, err1 := strconv.Atoi(r[rd])
		row, err2 := strconv.Atoi(r[pr])
		if err1 != nil || err2 != nil {
			t.Fatalf("%s: bad row %v", path, r)
		}
		if byRound[k] == nil {
			byRound[k] = map[int][]int{}
		}
		byRound[k][round] = append(byRound[k][round], row)
	}
	out := map[[3]string][]string{}
	for k, rounds := range byRound {
		for r := 0; r < len(rounds); r++ {
			rows, ok := rounds[r]
			if !ok {
				t.Fatalf("%s: %v has no round %d", path, k, r)
			}
			slices.Sort(rows)
			out[k] = append(out[k], fmt.Sprint(rows))
		}
	}
	return out
}

// TestModalMatchesBuiltin: the modAL-style strategy picks what albench's own
// least_confidence and margin pick under the same logistic regression, every
// round of every trial of modal.yaml (as sets per round, see picks); and the two
// measures differ somewhere (three classes), so the check tells them apart.
func TestModalMatchesBuiltin(t *testing.T) {
	requirePython(t, "numpy")
	dir := t.TempDir()
	run(t, "modal.yaml", dir)
	q := picks(t, filepath.Join(dir, "queries.csv"))
	pairs := [][2]string{{"least_confidence", "modal-uncertainty"}, {"margin", "modal-margin"}}
	compared, measuresDiffer := 0, false
	for _, ds := range []string{"iris", "wine"} {
		for seed := range 3 {
			s := strconv.Itoa(seed)
			for _, p := range pairs {
				want, got := q[[3]string{ds, p[0], s}], q[[3]string{ds, p[1], s}]
				if len(want) != 11 {
					t.Fatalf("%s seed %s: %d rounds of %s, want 11", ds, s, len(want), p[0])
				}
				if !slices.Equal(want, got) {
					t.Errorf("%s seed %s: %s picked %v, %s %v", ds, s, p[0], want, p[1], got)
				}
				compared++
			}
			lc, m := q[[3]string{ds, "least_confidence", s}], q[[3]string{ds, "margin", s}]
			measuresDiffer = measuresDiffer || !slices.Equal(lc, m)
		}
	}
	if !measuresDiffer {
		t.Errorf("least_confidence and margin picked the same everywhere: the comparison cannot tell the measures apart")
	}
	t.Logf("%d trials' picks compared", compared)
}

// TestPluginErrorReachesAlbench: an exception in the plugin code (an unknown
// measure: a KeyError in select) is an error reply that fails the run with exit
// status 1 and a message naming the trial, the call and the exception.
func TestPluginErrorReachesAlbench(t *testing.T) {
	requirePython(t, "numpy")
	dir := t.TempDir()
	script, err := filepath.Abs("modal_uncertainty.py")
	if err != nil {
		t.Fatal(err)
	}
	cfg := fmt.Sprintf(`name: broken
seeds: 1
datasets: [{name: iris, source: iris}]
protocol: {test_fraction: 0.3, initial: 6, batch: 3, budget: 6}
model: {kind: logreg, solver: lbfgs}
strategies:
  - {name: external, label: broken, command: [python3, %q], params: {measure: nonexistent}}
`, script)
	path := filepath.Join(dir, "broken.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	out, code := runCode(path, filepath.Join(dir, "out"))
	if code != 1 {
		t.Fatalf("albench run: exit status %d, want 1\n%s", code, out)
	}
	for _, want := range []string{"broken", "select", "KeyError", "nonexistent"} {
		if !strings.Contains(out, want) {
			t.Errorf("albench's error does not mention %q:\n%s", want, out)
		}
	}
}

// TestTorchMLP: torch_mlp.yaml runs (margin on its probabilities, coreset on its
// embeddings, badge on its gradient embeddings), gives byte-identical results
// with -j 1 and -j 2, and learns (final accuracy well above iris's 1/3).
func TestTorchMLP(t *testing.T) {
	requirePython(t, "numpy")
	if out, err := exec.Command(python, "-c", "import torch").CombinedOutput(); err != nil {
		t.Skipf("SKIP torch_mlp.yaml: %s cannot import torch (Debian: apt-get install python3-torch): %v\n%s", python, err, out)
	}
	dir := t.TempDir()
	a, b := filepath.Join(dir, "j2"), filepath.Join(dir, "j1")
	run(t, "torch_mlp.yaml", a, "-j", "2")
	run(t, "torch_mlp.yaml", b, "-j", "1")
	for _, f := range []string{"trials.csv", "queries.csv"} {
		sameFile(t, filepath.Join(a, f), filepath.Join(b, f))
	}
	h, rows := table(t, filepath.Join(a, "trials.csv"))
	st, nl, acc := column(t, h, "strategy"), column(t, h, "n_labeled"), column(t, h, "accuracy")
	final := map[string]int{}
	sum, n := 0.0, 0
	for _, r := range rows {
		if r[nl] != "30" {
			continue
		}
		final[r[st]]++
		v, err := strconv.ParseFloat(r[acc], 64)
		if err != nil {
			t.Fatal(err)
		}
		sum += v
		n++
	}
	for _, s := range []string{"margin", "coreset", "badge", "random"} {
		if final[s] != 2 {
			t.Errorf("%s: %d trials reached 30 labels, want 2", s, final[s])
		}
	}
	if n == 0 || sum/float64(n) < 0.7 {
		t.Errorf("mean accuracy at 30 labels %.3f over %d trials, want ≥ 0.7", sum/float64(max(n, 1)), n)
	}
}

// BenchmarkPythonRoundTrip times the protocol with the Python helper on the other
// side, a model that does no work (testdata/trivial_model.py) on a 10,000 × 50
// pool with 3 classes: "round" is what a round of margin costs beyond the model
// (fit on 100 rows, then predict_proba of the 9,900 unlabeled pool rows and of a
// 4,000-row test set, as package plugin's BenchmarkRoundTrip does with a Go plugin);
// "predict_proba" is one call on all 10,000 pool rows. The helper's share includes
// gathering the rows (pool[rows], as a scikit-learn model needs them).
//
//	go test -tags pythonplugins -run '^$' -bench PythonRoundTrip ./examples/plugins/
func BenchmarkPythonRoundTrip(b *testing.B) {
	if err := exec.Command(python, "-c", "import numpy").Run(); err != nil {
		b.Skipf("%s cannot import numpy", python)
	}
	const n, d, m, k, l = 10000, 50, 4000, 3, 100
	pool := plugin.Matrix{Rows: n, Cols: d, Data: make([]float64, n*d)}
	test := plugin.Matrix{Rows: m, Cols: d, Data: make([]float64, m*d)}
	for i := range pool.Data {
		pool.Data[i] = float64(i%97) / 97
	}
	copy(test.Data, pool.Data)
	script, err := filepath.Abs(filepath.Join("testdata", "trivial_model.py"))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	spec := plugin.Spec{Command: []string{python, script}, Params: map[string]any{}}
	c, err := plugin.StartModel(ctx, spec, plugin.Trial{Dataset: "bench", Label: "bench"}, "", k, pool, test)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	labeled, labels := make([]int, l), make([]int, l)
	for i := range labeled {
		labeled[i], labels[i] = i, i%k
	}
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	unlabeled, testRows := all[l:], all[:m]
	b.Run("round", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			if err := c.Fit(ctx, uint64(i), labeled, labels); err != nil {
				b.Fatal(err)
			}
			if _, err := c.Proba(ctx, plugin.Points{Set: "pool", Rows: unlabeled}, 1); err != nil {
				b.Fatal(err)
			}
			if _, err := c.Proba(ctx, plugin.Points{Set: "test", Rows: testRows}, 2); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("predict_proba", func(b *testing.B) {
		if err := c.Fit(ctx, 0, labeled, labels); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := c.Proba(ctx, plugin.Points{Set: "pool", Rows: all}, 1); err != nil {
				b.Fatal(err)
			}
		}
	})
}
