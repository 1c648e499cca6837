package experiments

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"albench/streams"
)

// Tests of the protocol keys of Lu et al.'s re-benchmark (split random, budget
// all, uniform_all_classes), of the checks that guard sizes, and of Load.

func TestPrepareRandomSplit(t *testing.T) {
	c := parse(t, strings.Replace(irisData, "{budget: 30}", "{budget: 30, split: random, test_fraction: 0.4}", 1))
	if got := c.ProtocolFor(0).Split; got != "random" {
		t.Fatalf("split %q", got)
	}
	differs := false
	for seed := range 5 {
		s, err := Prepare(c, 0, seed)
		if err != nil {
			t.Fatal(err)
		}
		if len(s.TestY) != 60 || len(s.PoolY) != 90 {
			t.Fatalf("seed %d: %d test and %d pool rows, want 60 and 90", seed, len(s.TestY), len(s.PoolY))
		}
		// The test set is the first ⌈0.4·150⌉ rows of one permutation of the
		// split stream, and both sets keep the dataset's order.
		perm := streams.New("split", "iris", streams.Seed(seed)).Perm(150)
		want := slices.Sorted(slices.Values(perm[:60]))
		if !slices.Equal(s.TestRows, want) {
			t.Errorf("seed %d: test rows %v, want %v", seed, s.TestRows[:5], want[:5])
		}
		if !slices.IsSorted(s.PoolRows) {
			t.Errorf("seed %d: pool rows out of dataset order", seed)
		}
		if got := classCounts(s.TestY, 3); !slices.Equal(got, []int{20, 20, 20}) {
			differs = true
		}
	}
	if !differs {
		t.Error("the random split gave the stratified class counts on every seed")
	}
}

func TestPrepareBudgetAll(t *testing.T) {
	c := parse(t, strings.Replace(irisData, "{budget: 30}", "{budget: all, batch: 7}", 1))
	if p := c.ProtocolFor(0); !p.BudgetAll || p.Budget != 0 {
		t.Fatalf("protocol %+v", p)
	}
	s, err := Prepare(c, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	// 150 rows, 45 in the test set, 10 initial: 95 queries in ⌈95/7⌉ = 14 rounds.
	if s.Budget != 95 || s.Rounds != 14 {
		t.Errorf("budget %d in %d rounds, want 95 in 14", s.Budget, s.Rounds)
	}
	s, err = Prepare(parse(t, irisData), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if s.Budget != 30 || s.Rounds != 30 {
		t.Errorf("numeric budget: %d in %d rounds, want 30 in 30", s.Budget, s.Rounds)
	}
	// A dataset's numeric budget overrides a shared budget all, and back.
	c = parse(t, "name: t\ndatasets: [{name: a, source: iris, protocol: {budget: 5}}, {name: b, source: wine}]\n"+
		"protocol: {budget: all}\nstrategies: [random]\n")
	if p := c.ProtocolFor(0); p.BudgetAll || p.Budget != 5 {
		t.Errorf("override of budget all: %+v", p)
	}
	if p := c.ProtocolFor(1); !p.BudgetAll {
		t.Errorf("shared budget all: %+v", p)
	}
	c = parse(t, "name: t\ndatasets: [{name: a, source: iris, protocol: {budget: all}}]\nprotocol: {budget: 5}\nstrategies: [random]\n")
	if p := c.ProtocolFor(0); !p.BudgetAll || p.Budget != 0 {
		t.Errorf("budget all over a shared number: %+v", p)
	}
}

func TestRounds(t *testing.T) {
	for _, tt := range []struct{ budget, batch, want int }{
		{30, 1, 30}, {30, 10, 3}, {95, 7, 14}, {1, 5, 1}, {0, 3, 0}, {math.MaxInt, 1, math.MaxInt}, {math.MaxInt, 2, math.MaxInt/2 + 1},
	} {
		if got := Rounds(tt.budget, tt.batch); got != tt.want {
			t.Errorf("Rounds(%d, %d) = %d, want %d", tt.budget, tt.batch, got, tt.want)
		}
	}
}

// TestDrawAllClassesIsConditionedUniform checks that uniform_all_classes draws
// every initial set holding all classes equally often, and no other: with pool
// classes [0 0 0 1 1] and k = 2 those are the 6 pairs of a 0 and a 1.
func TestDrawAllClassesIsConditionedUniform(t *testing.T) {
	y := []int{0, 0, 0, 1, 1}
	rows := byClass(y, 2)
	rng := streams.New("test", "all-classes")
	count := map[[2]int]int{}
	const n = 60000
	for range n {
		s, err := drawAllClasses(y, rows, 2, rng)
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(s)
		if y[s[0]] != 0 || y[s[1]] != 1 {
			t.Fatalf("draw %v misses a class", s)
		}
		count[[2]int{s[0], s[1]}]++
	}
	if len(count) != 6 {
		t.Fatalf("%d distinct sets, want 6: %v", len(count), count)
	}
	// Each count is Binomial(n, 1/6): std ≈ 91; allow 5 std.
	for set, k := range count {
		if math.Abs(float64(k)-n/6) > 5*math.Sqrt(n*(1.0/6)*(5.0/6)) {
			t.Errorf("set %v drawn %d times of %d, want about %d", set, k, n, n/6)
		}
	}
}

func TestPrepareUniformAllClasses(t *testing.T) {
	all := parse(t, strings.Replace(digitsData, "initial_sampling: uniform", "initial_sampling: uniform_all_classes", 1))
	uni := parse(t, digitsData)
	same := 0
	for seed := range 20 {
		a, err := Prepare(all, 0, seed)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[int]bool{}
		for _, i := range a.Initial {
			seen[a.PoolY[i]] = true
		}
		if len(seen) != 10 || len(a.Initial) != 10 {
			t.Errorf("seed %d: initial set %v has %d classes", seed, a.Initial, len(seen))
		}
		u, err := Prepare(uni, 0, seed)
		if err != nil {
			t.Fatal(err)
		}
		if len(classesOf(u)) == 10 {
			same++
			if !slices.Equal(a.Initial, u.Initial) {
				t.Errorf("seed %d: the uniform draw has every class but uniform_all_classes drew another set", seed)
			}
		}
	}
	t.Logf("%d of 20 uniform draws had every class", same)
}

const digitsData = `name: t
datasets: [{name: digits, source: digits}]
protocol: {budget: 10, initial: 10, initial_sampling: uniform}
strategies: [random]
`

func classesOf(s *Setup) map[int]bool {
	seen := map[int]bool{}
	for _, i := range s.Initial {
		seen[s.PoolY[i]] = true
	}
	return seen
}

func TestDrawAllClassesGivesUp(t *testing.T) {
	// One row of class 1 among a million: a uniform pair holds it with
	// probability 2e-6, so 100000 draws fail (for this stream) and say so.
	y := make([]int, 1_000_000)
	y[123456] = 1
	_, err := drawAllClasses(y, byClass(y, 2), 2, streams.New("test", "give-up"))
	if err == nil || !strings.Contains(err.Error(), "none of 100000 uniform draws of 2 of the 1000000 pool rows had all 2 classes; use per_class") {
		t.Errorf("got %v", err)
	}
	if _, err := drawAllClasses(y, byClass(y, 2), 1, streams.New("test")); err == nil {
		t.Error("no error for initial below the classes")
	}
}

func TestPrepareStratifiedTestMissesClass(t *testing.T) {
	// 97 a, 2 b, 1 c with 3 test rows: the largest remainders give all three to a.
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("x,y\n")
	for i := range 100 {
		label := "a"
		switch {
		case i >= 99:
			label = "c"
		case i >= 97:
			label = "b"
		}
		fmt.Fprintf(&b, "%d,%s\n", i, label)
	}
	if err := os.WriteFile(filepath.Join(dir, "d.csv"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	c := &Config{
		Datasets: []DatasetSpec{{Name: "d", Source: "csv", Params: map[string]any{"path": "d.csv"}}},
		Protocol: Protocol{TestFraction: 0.03, Initial: 1, Budget: 1},
		Path:     filepath.Join(dir, "c.yaml"),
	}
	c.Protocol = c.Protocol.WithDefaults()
	_, err := Prepare(c, 0, 0)
	if err == nil || !strings.Contains(err.Error(), "protocol.test_fraction 0.03 gives class 1 no test row") {
		t.Errorf("got %v", err)
	}
	c.Protocol.Split = "random"
	if _, err := Prepare(c, 0, 0); err != nil {
		t.Errorf("random split: %v", err)
	}
}

func TestParseSingleClassCSV(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "one.csv"), []byte("a,y\n1,0\n2,0\n3,0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "c.yaml")
	cfg := "name: t\ndatasets: [{name: r, source: csv, params: {path: one.csv}}]\nprotocol: {budget: 1, initial: 1}\nstrategies: [random]\n"
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(path, nil)
	want := path + `:2:50: datasets[0].params.path: ` + filepath.Join(dir, "one.csv") + `, column 2: a single class: every label is "0"`
	if err == nil || err.Error() != want {
		t.Errorf("got\n%v\nwant\n%s", err, want)
	}
}

func TestLoadRefusesWhatIsNotAConfig(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no FIFO:", err)
	}
	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, []byte("name: t\n"+strings.Repeat("#", maxConfigBytes)), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ path, want string }{
		{filepath.Join(dir, "missing.yaml"), "missing.yaml: cannot read the config: no such file or directory"},
		{dir, ": the config must be a regular file (this is a directory)"},
		{fifo, "fifo: the config must be a regular file (this is a named pipe)"},
		{big, "big.yaml: the config is larger than 4194304 bytes"},
	} {
		_, err := Load(tt.path, nil)
		var es Errors
		if !errors.As(err, &es) || !strings.HasSuffix(err.Error(), tt.want) {
			t.Errorf("%s: got %v (%T), want Errors ending in %q", tt.path, err, err, tt.want)
		}
	}
}

func TestParseGridTooLarge(t *testing.T) {
	var labels []string
	for i := range 101 {
		labels = append(labels, fmt.Sprintf("{name: random, label: r%d}", i))
	}
	cfg := strings.Replace(base, "[random]", "["+strings.Join(labels, ", ")+"]", 1) + "seeds: 100000\n"
	_, err := Parse([]byte(cfg), "c.yaml", nil)
	want := "c.yaml:9:8: seeds: 1 datasets × 101 strategies × 100000 seeds make more than 10000000 trials"
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

func TestParseQueryModelAndMembers(t *testing.T) {
	cfg := strings.Replace(base, "[random]", `
  - random
  - {name: margin, label: us-nc, query_model: {kind: logreg, solver: lbfgs, C: 0.1}}
  - {name: qbc, params: {members: [{kind: logreg, solver: lbfgs}, {kind: svm, kernel: linear}]}}`, 1) +
		"model: {kind: svm, gamma: auto}\n"
	c, err := Parse([]byte(cfg), "c.yaml", committeeCheck)
	if err != nil {
		t.Fatal(err)
	}
	if c.Model.Kind != "svm" || c.Model.Params["gamma"] != "auto" || c.Model.Params["C"] != 1.0 || c.Model.Params["kind"] != "svm" {
		t.Errorf("task model %+v", c.Model)
	}
	q := c.Strategies[1].QueryModel
	if q == nil || q.Kind != "logreg" || q.Params["C"] != 0.1 || q.Params["max_iter"] != 100 {
		t.Errorf("query model %+v", q)
	}
	if c.Strategies[0].QueryModel != nil || c.Strategies[2].QueryModel != nil {
		t.Error("a query model where none was written")
	}
	members, ok := c.Strategies[2].Params["members"].([]any)
	if !ok || len(members) != 2 {
		t.Fatalf("members %#v", c.Strategies[2].Params["members"])
	}
	if m, ok := members[1].(map[string]any); !ok || m["kind"] != "svm" || m["kernel"] != "linear" {
		t.Errorf("member %#v", members[1])
	}
	// A query model is part of the config's hash.
	other := strings.Replace(cfg, "C: 0.1", "C: 0.2", 1)
	c2, err := Parse([]byte(other), "c.yaml", committeeCheck)
	if err != nil {
		t.Fatal(err)
	}
	if c.Hash() == c2.Hash() {
		t.Error("a changed query model left the hash unchanged")
	}
}

func TestLocate(t *testing.T) {
	p := &parser{file: "c.yaml"}
	root := p.document([]byte("params:\n  members:\n    - {kind: svm}\n    - kind: logreg\n      C: 2\n  w: [[1, 2], [3, 4]]\n"))
	for _, tt := range []struct {
		key       string
		line, col int
		exact     bool
	}{
		{"params.members[1].C", 5, 10, true},
		{"params.members[0].kind", 3, 14, true},
		{"params.w[1][0]", 6, 16, true},
		{"params.members[2].C", 3, 5, false}, // no third member: the list
		{"params.nope", 2, 3, false},         // the mapping
		{"", 1, 1, true},
	} {
		n, _, exact := locate(root, tt.key)
		if n.Line != tt.line || n.Column != tt.col || exact != tt.exact {
			t.Errorf("%q: %d:%d exact %v, want %d:%d %v", tt.key, n.Line, n.Column, exact, tt.line, tt.col, tt.exact)
		}
	}
}

func TestParseStratifiedTestMissesClass(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("x,y\n")
	for i := range 100 {
		label := "a"
		switch {
		case i >= 99:
			label = "c"
		case i >= 97:
			label = "b"
		}
		fmt.Fprintf(&b, "%d,%s\n", i, label)
	}
	if err := os.WriteFile(filepath.Join(dir, "d.csv"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "c.yaml")
	cfg := "name: t\ndatasets: [{name: d, source: csv, params: {path: d.csv}}]\nprotocol: {budget: 1, initial: 1, test_fraction: 0.03}\nstrategies: [random]\n"
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(path, nil)
	want := path + `:3:50: protocol.test_fraction: gives class "b" (2 of 100 rows) no row of the 3-row test set of dataset d; the stratified split needs one of each class (got 0.03)`
	if err == nil || err.Error() != want {
		t.Errorf("got\n%v\nwant\n%s", err, want)
	}
	// The random split does not promise every class a test row.
	if err := os.WriteFile(path, []byte(strings.Replace(cfg, "test_fraction: 0.03", "test_fraction: 0.03, split: random", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path, nil); err != nil {
		t.Errorf("random split: %v", err)
	}
}
