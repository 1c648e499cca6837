package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"albench/internal/plugintest"
)

// pluginRun is a config whose task model and strategy lc are the Go test plugin;
// MODEL and STRATEGY are the params that make them misbehave.
const pluginRun = `name: plug
seeds: 1
datasets:
  - name: blobs
    source: make_blobs
    params: {n_samples: 60, n_features: 3, centers: 2}
protocol: {initial: 6, batch: 2, budget: 6}
model: {kind: external, command: [BIN], params: MODEL, timeout: TIMEOUT}
strategies:
  - random
  - {name: external, label: lc, command: [BIN], params: STRATEGY}
`

func pluginConfig(t *testing.T, bin, model, strategy, timeout string) string {
	r := strings.NewReplacer("BIN", bin, "MODEL", model, "STRATEGY", strategy, "TIMEOUT", timeout)
	return writeConfig(t, r.Replace(pluginRun))
}

// TestPluginFailuresExit1: a plugin that crashes, hangs, writes garbage, cuts a
// reply short, returns NaN or picks a row twice fails its trial, named with the
// call, and albench exits 1 keeping what finished; a handshake that fails at
// validation is a config error, exit 2.
func TestPluginFailuresExit1(t *testing.T) {
	bin := plugintest.Build(t)
	for _, c := range []struct {
		name, model, strategy, timeout string
		code                           int
		want                           []string
	}{
		{"crash", "{fail: crash, at: predict_proba, after: 2}", "{}", "60", exitFailed,
			[]string{"trial (dataset blobs, strategy random, seed 0): round 1: plugin [", "call 6 (predict_proba set=test): reading the reply: the plugin closed its stdout; the plugin exited: exit status 3; its stderr ends: goplugin: crashing at predict_proba as asked"}},
		{"hang", "{fail: hang, at: fit, after: 2}", "{}", "0.5", exitFailed,
			[]string{"trial (dataset blobs, strategy random, seed 0): round 1: plugin [", "call 5 (fit): no reply within 500ms (the timeout); the plugin was killed"}},
		{"garbage", "{fail: garbage, at: predict_proba}", "{}", "60", exitFailed,
			[]string{"trial (dataset blobs, strategy skyline, seed 0): plugin [", "call 4 (predict_proba set=test): reading the reply: bad frame: header length"}},
		{"short", "{fail: short, at: fit}", "{}", "60", exitFailed,
			[]string{"trial (dataset blobs, strategy skyline, seed 0): plugin [", "call 3 (fit): reading the reply: unexpected EOF"}},
		{"nan", "{fail: nan, at: predict_proba, after: 2}", "{}", "60", exitFailed,
			[]string{"trial (dataset blobs, strategy random, seed 0): round 1: plugin [", "call 6 (predict_proba set=test): probabilities row 17 holds NaN"}},
		{"duplicate pick", "{}", "{fail: dup, at: select}", "60", exitFailed,
			[]string{"trial (dataset blobs, strategy lc, seed 0): round 0: external: plugin [", "call 3 (select): bad selection: rows[1] = "}},
		{"handshake", "{protocol: 2}", "{}", "60", exitUsage,
			[]string{"model.command: the plugin failed its handshake: plugin [", "call 1 (hello): protocol 2, albench speaks 1"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := pluginConfig(t, bin, c.model, c.strategy, c.timeout)
			out := filepath.Join(t.TempDir(), "out")
			code, _, stderr := albench(t, "run", "-q", "-j", "1", "-out", out, path)
			if code != c.code {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, c.code, stderr)
			}
			for _, w := range c.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr does not say %q:\n%s", w, stderr)
				}
			}
		})
	}
}

// TestPluginInterruptKillsIt: cancelling a run (what the first SIGINT does)
// while a plugin hangs ends the run at once, exit 1, the plugin killed.
func TestPluginInterruptKillsIt(t *testing.T) {
	bin := plugintest.Build(t)
	path := pluginConfig(t, bin, "{fail: hang, at: fit, after: 2}", "{}", "600")
	out := filepath.Join(t.TempDir(), "out")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		log := filepath.Join(out, "logs", "blobs", "random", "seed-0.model.log")
		for {
			if b, _ := os.ReadFile(log); bytes.Contains(b, []byte("hanging at fit")) {
				cancel()
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
	}()
	var o, e bytes.Buffer
	code := run(ctx, &o, &e, []string{"run", "-q", "-j", "1", "-out", out, path})
	if code != exitFailed || !strings.Contains(e.String(), "resume") {
		t.Fatalf("exit %d, want 1 with the resume hint; stderr:\n%s", code, e.String())
	}
}
