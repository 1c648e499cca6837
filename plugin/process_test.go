package plugin_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"albench/internal/plugintest"
	"albench/plugin"
)

var (
	binOnce sync.Once
	binPath string
	binDir  string
)

// goplugin builds the test plugin once for the package's tests.
func goplugin(t testing.TB) string {
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "albench-plugin-test")
		if err != nil {
			t.Fatal(err)
		}
		binDir = dir
		binPath = plugintest.BuildInto(t, dir)
	})
	if binPath == "" {
		t.Fatal("goplugin did not build")
	}
	return binPath
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

func spec(t testing.TB, role string, params map[string]any) plugin.Spec {
	return plugin.Spec{Command: []string{goplugin(t)}, Role: role, Params: params, Timeout: 10 * time.Second}
}

// toy is a pool of 6 points in 2-D, two clusters, and a test set of 2.
var (
	pool = plugin.Matrix{Rows: 6, Cols: 2, Data: []float64{0, 0, 0, 1, 1, 0, 5, 5, 5, 6, 6, 5}}
	test = plugin.Matrix{Rows: 2, Cols: 2, Data: []float64{0.5, 0.5, 5.5, 5.5}}
)

func TestHandshake(t *testing.T) {
	h, err := plugin.Handshake(context.Background(), spec(t, plugin.RoleModel, map[string]any{"capabilities": []string{"predict_proba", "embed"}}))
	if err != nil {
		t.Fatal(err)
	}
	if h.Name != "goplugin-model" || !slices.Equal(h.Capabilities, []string{"predict_proba", "embed"}) {
		t.Fatalf("hello %+v", h)
	}
	h, err = plugin.Handshake(context.Background(), spec(t, plugin.RoleStrategy, map[string]any{"needs": []string{}}))
	if err != nil || h.Name != "goplugin-strategy" || len(h.Needs) != 0 {
		t.Fatalf("hello %+v, %v", h, err)
	}
}

// TestHandshakeRejects covers every way a hello can be wrong, and a command that
// does not run.
func TestHandshakeRejects(t *testing.T) {
	for _, c := range []struct {
		name   string
		role   string
		params map[string]any
		want   string
	}{
		{"protocol 2", plugin.RoleModel, map[string]any{"protocol": 2}, "protocol 2, albench speaks 1"},
		{"wrong role", plugin.RoleModel, map[string]any{"role": "strategy"}, `role "strategy", want "model"`},
		{"unknown capability", plugin.RoleModel, map[string]any{"capabilities": []string{"predict_proba", "fly"}}, `unknown "fly"`},
		{"no prediction", plugin.RoleModel, map[string]any{"capabilities": []string{"embed"}}, "at least one of"},
		{"twice", plugin.RoleStrategy, map[string]any{"needs": []string{"decision", "decision"}}, "twice"},
		{"crash", plugin.RoleModel, map[string]any{"fail": "crash", "at": "hello"}, "exit status 3"},
		{"garbage", plugin.RoleModel, map[string]any{"fail": "garbage", "at": "hello"}, "header length"},
		{"error", plugin.RoleModel, map[string]any{"fail": "error", "at": "hello"}, "refusing hello as asked"},
		{"wrong type", plugin.RoleModel, map[string]any{"fail": "wrongtype", "at": "hello"}, `type "ok", want "hello"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := plugin.Handshake(context.Background(), spec(t, c.role, c.params))
			var ce *plugin.CallError
			if !errors.As(err, &ce) || ce.Call != 1 || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want call 1 saying %q", err, c.want)
			}
		})
	}
	_, err := plugin.Handshake(context.Background(), plugin.Spec{Command: []string{"albench-no-such-plugin"}, Role: plugin.RoleModel})
	if err == nil || !strings.Contains(err.Error(), "[albench-no-such-plugin]: call 1 (start)") {
		t.Fatalf("missing command: %v", err)
	}
}

// TestCrashNamesCall: a plugin that dies mid-trial is an error naming the call
// and quoting its stderr, and the log holds the stderr.
func TestCrashNamesCall(t *testing.T) {
	log := filepath.Join(t.TempDir(), "logs", "d", "s", "seed-0.model.log")
	c, err := plugin.StartModel(context.Background(), spec(t, "", map[string]any{"fail": "crash", "at": "predict_proba", "after": 2}),
		plugin.Trial{Dataset: "d", Label: "s"}, log, 2, pool, test)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()
	if err := c.Fit(ctx, 1, []int{0, 3}, []int{0, 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Proba(ctx, plugin.Points{Set: "test", Rows: []int{0, 1}}, 2); err != nil {
		t.Fatal(err)
	}
	_, err = c.Proba(ctx, plugin.Points{Set: "pool", Rows: []int{1}}, 3)
	re := regexp.MustCompile(`call 5 \(predict_proba set=pool\): reading the reply: .*exit status 3; its stderr ends: goplugin: crashing at predict_proba as asked \(stderr: .*seed-0.model.log\)`)
	if err == nil || !re.MatchString(err.Error()) {
		t.Fatalf("error %v\nwant it to match %s", err, re)
	}
	// A broken process fails every later call at once, with the same error.
	if _, err2 := c.Proba(ctx, plugin.Points{Set: "pool", Rows: []int{1}}, 3); err2 == nil || err2.Error() != err.Error() {
		t.Fatalf("later call: %v", err2)
	}
	c.Close()
	b, _ := os.ReadFile(log)
	if !strings.Contains(string(b), "crashing at predict_proba") {
		t.Fatalf("log holds %q", b)
	}
}

// TestReplyChecks: each broken contract of a prediction reply is refused.
func TestReplyChecks(t *testing.T) {
	for _, c := range []struct {
		fail, want string
	}{
		{"nan", "probabilities row 1 holds NaN"},
		{"shape", "must hold one array probabilities f8 [2 2], not probabilities f8 [2]"},
		{"short", "unexpected EOF"},
		{"error", "the plugin answered error: refusing predict_proba as asked"},
		{"hang", "no reply within 300ms"},
	} {
		t.Run(c.fail, func(t *testing.T) {
			s := spec(t, "", map[string]any{"fail": c.fail, "at": "predict_proba"})
			s.Timeout = 300 * time.Millisecond
			m, err := plugin.StartModel(context.Background(), s, plugin.Trial{}, "", 2, pool, test)
			if err != nil {
				t.Fatal(err)
			}
			defer m.Close()
			ctx := context.Background()
			if err := m.Fit(ctx, 1, []int{0, 3}, []int{0, 1}); err != nil {
				t.Fatal(err)
			}
			_, err = m.Proba(ctx, plugin.Points{Set: "test", Rows: []int{0, 1}}, 2)
			if err == nil || !strings.Contains(err.Error(), "call 4 (predict_proba set=test)") || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want call 4 saying %q", err, c.want)
			}
		})
	}
}

// TestModelCalls checks the nearest-centroid answers by hand: the pool's two
// clusters, points given by rows and inline.
func TestModelCalls(t *testing.T) {
	s := spec(t, "", map[string]any{"capabilities": []string{"predict_proba", "decision_function", "predict", "embed", "grad_embed"}})
	m, err := plugin.StartModel(context.Background(), s, plugin.Trial{}, "", 2, pool, test)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	ctx := context.Background()
	if err := m.Fit(ctx, 1, []int{0, 1, 3, 4}, []int{0, 0, 1, 1}); err != nil {
		t.Fatal(err)
	}
	// Centroids (0, 0.5) and (5, 5.5): test point (0.5, 0.5) is at squared
	// distances 0.25 and 45.5, so p1 = 1/(1+e^45.25), below 1e-19.
	p, err := m.Proba(ctx, plugin.Points{Set: "test", Rows: []int{0, 1}}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if p[0] != 1 || p[1] > 1e-19 || p[1] <= 0 || p[3] != 1 {
		t.Fatalf("probabilities %v", p)
	}
	y, err := m.Predict(ctx, plugin.Points{Set: "x", X: plugin.Matrix{Rows: 2, Cols: 2, Data: []float64{6, 6, -1, 0}}}, 3)
	if err != nil || !slices.Equal(y, []int64{1, 0}) {
		t.Fatalf("predict %v, %v", y, err)
	}
	d, err := m.Decision(ctx, plugin.Points{Set: "pool", Rows: []int{5}}, 4)
	if err != nil || len(d) != 1 || d[0] != 1 {
		t.Fatalf("decision %v, %v", d, err)
	}
	e, err := m.Embed(ctx, plugin.Points{Set: "pool", Rows: []int{2}}, 5)
	if err != nil || m.EmbedDim() != 2 || !slices.Equal(e, []float64{1, 0}) {
		t.Fatalf("embed %v (dim %d), %v", e, m.EmbedDim(), err)
	}
	g, err := m.GradEmbed(ctx, plugin.Points{Set: "pool", Rows: []int{0}}, 6)
	if err != nil || m.GradEmbedDim() != 4 || len(g) != 4 {
		t.Fatalf("grad_embed %v (dim %d), %v", g, m.GradEmbedDim(), err)
	}
}

// TestSelectChecks: duplicate, labeled and miscounted selections are refused
// with the call named; a good one is least confidence, ties by lowest row.
func TestSelectChecks(t *testing.T) {
	probs := []float64{0.9, 0.1, 0.5, 0.5, 0.5, 0.5, 0.2, 0.8}
	sel := plugin.Select{Batch: 2, Round: 1, Seed: 9, Unlabeled: []int{1, 2, 4, 5}, Labeled: []int{0, 3}, Labels: []int{0, 1}, Probabilities: probs}
	for _, c := range []struct {
		fail, want string
	}{
		{"", ""},
		{"dup", "rows[1] = 2 is picked twice"},
		{"labeled", "rows[0] = 0 is not an unlabeled pool row"},
		{"count", "3 rows, want 2"},
	} {
		t.Run(c.fail, func(t *testing.T) {
			s, err := plugin.StartStrategy(context.Background(), spec(t, "", map[string]any{"fail": c.fail, "at": "select"}), plugin.Trial{}, "", 2, pool)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			rows, err := s.Select(context.Background(), sel)
			if c.want == "" {
				if err != nil || !slices.Equal(rows, []int{2, 4}) {
					t.Fatalf("selected %v, %v; want [2 4]", rows, err)
				}
				return
			}
			if !errors.Is(err, plugin.ErrSelection) || !strings.Contains(err.Error(), "call 3 (select)") || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want call 3 saying %q", err, c.want)
			}
		})
	}
}

// TestCloseEndsPlugin: Close after a normal trial lets the plugin exit 0 on end
// of input (a plugin killed after the grace period has "albench: the plugin
// ended with signal: killed" in its log), and a second Close does nothing.
func TestCloseEndsPlugin(t *testing.T) {
	log := filepath.Join(t.TempDir(), "p.log")
	m, err := plugin.StartModel(context.Background(), spec(t, "", nil), plugin.Trial{}, log, 2, pool, test)
	if err != nil {
		t.Fatal(err)
	}
	m.Close()
	m.Close()
	if b, err := os.ReadFile(log); err != nil || strings.Contains(string(b), "albench:") {
		t.Fatalf("log %q, %v: the plugin did not exit 0 on its own", b, err)
	}
}
