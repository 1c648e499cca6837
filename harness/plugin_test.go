package harness

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"albench/experiments"
	"albench/internal/plugintest"
)

// pluginConfig runs the Go test plugin as the task model, as a query model and
// as two strategies, beside albench's own strategies on the plugin's model.
const pluginConfig = `name: plug
seeds: 2
datasets:
  - name: blobs
    source: make_blobs
    params: {n_samples: 80, n_features: 3, centers: 3}
protocol: {initial: 6, batch: 2, budget: 8, standardize: true}
model:
  kind: external
  command: [BIN]
  params: {capabilities: [predict_proba, decision_function, embed]}
  files: [helper.txt]
strategies:
  - random
  - margin
  - coreset
  - {name: external, label: lc, command: [./goplugin], params: {needs: [probabilities]}}
  - {name: external, label: lc-q, command: [BIN], query_model: {kind: logreg, solver: lbfgs}}
  - {name: entropy, label: ent-q, query_model: {kind: external, command: [BIN]}}
`

// loadPlugin writes text with BIN replaced by the test plugin, a helper.txt and
// a copy of the plugin (./goplugin, the command of strategy lc) into a fresh
// directory and loads it.
func loadPlugin(t *testing.T, bin, text string) (*experiments.Config, []byte, string) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "helper.txt"), []byte("v1"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "goplugin"), read(t, bin), 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "c.yaml")
	if err := os.WriteFile(path, []byte(strings.ReplaceAll(text, "BIN", bin)), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, raw, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return cfg, raw, dir
}

// TestPluginRun runs the grid through the real runner at -j 1 and -j 2: the
// results are byte-identical, every plugin has its log, and a second run reuses
// every trial.
func TestPluginRun(t *testing.T) {
	bin := plugintest.Build(t)
	cfg, raw, _ := loadPlugin(t, bin, pluginConfig)
	a, b := t.TempDir(), t.TempDir()
	sum := runTo(t, cfg, raw, a, Options{Jobs: 1})
	if sum.Done != 14 || !sum.Complete {
		t.Fatalf("summary %+v, want 14 trials done", sum)
	}
	runTo(t, cfg, raw, b, Options{Jobs: 2})
	for _, f := range []string{"trials.csv", "queries.csv"} {
		if !bytes.Equal(read(t, filepath.Join(a, f)), read(t, filepath.Join(b, f))) {
			t.Errorf("%s differs between -j 1 and -j 2", f)
		}
	}
	for _, log := range []string{"blobs/skyline/seed-0.model.log", "blobs/lc/seed-1.strategy.log", "blobs/lc/seed-1.model.log",
		"blobs/ent-q/seed-0.query_model.log", "blobs/ent-q/seed-0.model.log"} {
		if _, err := os.Stat(filepath.Join(a, logsDir, log)); err != nil {
			t.Errorf("log %s: %v", log, err)
		}
	}
	if _, err := os.Stat(filepath.Join(a, logsDir, "blobs/lc-q/seed-0.query_model.log")); err == nil {
		t.Error("a Go query model has a plugin log")
	}
	again := runTo(t, cfg, raw, a, Options{Jobs: 1})
	if again.Skipped != 14 || again.Done != 0 {
		t.Fatalf("second run %+v, want all 14 reused", again)
	}
	// The plugin strategy's rounds are recorded like any strategy's.
	if !bytes.Contains(read(t, filepath.Join(a, "trials.csv")), []byte("blobs,lc,1,4,14,")) {
		t.Error("trials.csv has no round 4 of lc, seed 1, at 14 labels")
	}
}

// TestPluginIdentity: the bytes of the files a plugin names count, its timeout
// does not.
func TestPluginIdentity(t *testing.T) {
	bin := plugintest.Build(t)
	cfg, _, dir := loadPlugin(t, bin, pluginConfig)
	base, err := identities(cfg, jobs(cfg))
	if err != nil {
		t.Fatal(err)
	}
	cfg2, _, _ := loadPlugin(t, bin, strings.Replace(pluginConfig, "files: [helper.txt]", "files: [helper.txt]\n  timeout: 5", 1))
	ids, err := identities(cfg2, jobs(cfg2))
	if err != nil || ids[0] != base[0] {
		t.Fatalf("a timeout changed the identity (%v)", err)
	}
	// A changed ./goplugin changes the trials of lc (strategy 3) alone.
	f, err := os.OpenFile(filepath.Join(dir, "goplugin"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte{0})
	f.Close()
	js := jobs(cfg)
	ids, err = identities(cfg, js)
	if err != nil {
		t.Fatal(err)
	}
	for i, j := range js {
		if (ids[i] != base[i]) != (j.strategy == 3) {
			t.Fatalf("job %+v: identity changed %v after ./goplugin changed", j, ids[i] != base[i])
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "helper.txt"), []byte("v2"), 0o644); err != nil {
		t.Fatal(err)
	}
	ids, err = identities(cfg, jobs(cfg))
	if err != nil {
		t.Fatal(err)
	}
	for i := range ids {
		if ids[i] == base[i] {
			t.Fatalf("job %d kept its identity after helper.txt changed", i)
		}
	}
	os.Remove(filepath.Join(dir, "helper.txt"))
	if _, err := identities(cfg, jobs(cfg)); err == nil || !strings.Contains(err.Error(), "helper.txt") {
		t.Fatalf("a missing file: %v", err)
	}
}

// TestPluginFailureKeepsOtherTrials: a strategy plugin that breaks the contract
// fails its trial with the trial, round and call named; the trials finished
// before stay stored and a resumed run reuses them.
func TestPluginFailureKeepsOtherTrials(t *testing.T) {
	bin := plugintest.Build(t)
	text := strings.Replace(pluginConfig, "params: {needs: [probabilities]}", "params: {needs: [probabilities], fail: dup, at: select, after: 2}", 1)
	cfg, raw, _ := loadPlugin(t, bin, text)
	out := t.TempDir()
	_, err := Run(context.Background(), cfg, raw, Options{Out: out, Jobs: 1})
	var te *TrialError
	re := regexp.MustCompile(`^trial \(dataset blobs, strategy lc, seed 0\): round 1: external: plugin \[\./goplugin\]: call 4 \(select\): bad selection: rows\[1\] = \d+ is picked twice \(stderr: .*blobs/lc/seed-0.strategy.log\)$`)
	if !errors.As(err, &te) || !re.MatchString(err.Error()) {
		t.Fatalf("error %v\nwant it to match %s", err, re)
	}
	stored, err := storedTrials(out)
	if err != nil || len(stored) != 4 {
		t.Fatalf("%d trials stored (%v), want the 4 before lc seed 0", len(stored), err)
	}
	cfg, raw, _ = loadPlugin(t, bin, pluginConfig)
	sum := runTo(t, cfg, raw, out, Options{Jobs: 1})
	if sum.Skipped != 4 || sum.Done != 10 {
		t.Fatalf("resumed run %+v, want 4 reused", sum)
	}
}

// TestPluginValidation: a strategy that needs what the plugin model does not
// declare, and a plugin that fails its handshake, are config errors.
func TestPluginValidation(t *testing.T) {
	bin := plugintest.Build(t)
	for _, c := range []struct {
		edit [2]string
		want string
	}{
		{[2]string{"  - coreset\n", "  - badge\n"}, "strategies[2].name: badge needs last-layer gradient embeddings"},
		{[2]string{"params: {needs: [probabilities]}", "params: {needs: [decision, embeddings]}"}, ""},
		{[2]string{"  params: {capabilities: [predict_proba, decision_function, embed]}", "  params: {capabilities: [decision_function]}"},
			"strategies[3].name: the plugin goplugin-strategy needs probabilities"},
		{[2]string{"  params: {capabilities: [predict_proba, decision_function, embed]}", "  params: {protocol: 7}"},
			"model.command: the plugin failed its handshake: plugin [" + bin + "]: call 1 (hello): protocol 7, albench speaks 1"},
		{[2]string{"label: lc, command: [./goplugin]", "label: lc"}, "strategies[3].command: required key is missing"},
		{[2]string{"  - margin\n", "  - {name: margin, timeout: 3}\n"}, "strategies[1].timeout: applies to name: external only"},
	} {
		text := strings.Replace(pluginConfig, c.edit[0], c.edit[1], 1)
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "helper.txt"), nil, 0o644)
		os.WriteFile(filepath.Join(dir, "goplugin"), read(t, bin), 0o755)
		path := filepath.Join(dir, "c.yaml")
		os.WriteFile(path, []byte(strings.ReplaceAll(text, "BIN", bin)), 0o644)
		_, _, err := Load(path)
		if c.want == "" {
			if err != nil {
				t.Errorf("%v: %v", c.edit, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v, want %q", c.edit, err, c.want)
		}
	}
}
