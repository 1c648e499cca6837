package harness

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// growConfig is a small finished study that TestGrowingAStudyRunsOnlyTheNewTrials
// extends.
const growConfig = `name: grow
description: before
seeds: 4
datasets:
  - name: blobs
    source: make_blobs
    params: {n_samples: 90, n_features: 3, centers: 3}
protocol: {initial: 6, batch: 2, budget: 6, standardize: true}
model:
  hidden: [6]
  train: {optimizer: adam, lr: 0.05, epochs: 10}
strategies:
  - random
  - margin
`

// TestGrowingAStudyRunsOnlyTheNewTrials adds a strategy and two seeds to a
// finished study: only the new trials run, and every result file equals that of
// a fresh run of the new config byte for byte.
func TestGrowingAStudyRunsOnlyTheNewTrials(t *testing.T) {
	cfg, raw := load(t, growConfig)
	dir := t.TempDir()
	if sum := runTo(t, cfg, raw, dir, Options{Jobs: 2}); sum.Done != 4*3 {
		t.Fatalf("first run: %+v", sum)
	}
	bigger := strings.Replace(growConfig, "seeds: 4", "seeds: 6", 1)
	bigger = strings.Replace(bigger, "  - margin\n", "  - margin\n  - {name: entropy, label: ent}\n", 1)
	bigger = strings.Replace(bigger, "description: before", "description: after, with entropy", 1)
	cfg2, raw2 := load(t, bigger)
	sum := runTo(t, cfg2, raw2, dir, Options{Jobs: 2})
	// 6 seeds × (3 strategies + skyline) = 24 jobs, of which 4 × 3 were stored.
	if sum.Total != 24 || sum.Skipped != 12 || sum.Done != 12 || !sum.Complete {
		t.Fatalf("grown run: %+v, want 12 reused and 12 run", sum)
	}
	fresh := t.TempDir()
	runTo(t, cfg2, raw2, fresh, Options{Jobs: 1})
	for _, f := range []string{"trials.csv", "summary.csv", "curves.csv", "queries.csv", "ranks.csv", "pairwise.csv"} {
		if !bytes.Equal(read(t, filepath.Join(dir, f)), read(t, filepath.Join(fresh, f))) {
			t.Errorf("%s of the grown study differs from a fresh run of the new config", f)
		}
	}
}

// TestPresentationKeysReuseEverything: a new name or description reruns nothing.
func TestPresentationKeysReuseEverything(t *testing.T) {
	cfg, raw := load(t, growConfig)
	dir := t.TempDir()
	runTo(t, cfg, raw, dir, Options{Jobs: 2})
	cfg2, raw2 := load(t, strings.Replace(strings.Replace(growConfig, "description: before", "description: renamed", 1), "name: grow", "name: grown", 1))
	if sum := runTo(t, cfg2, raw2, dir, Options{Jobs: 2}); sum.Done != 0 || sum.Skipped != 12 {
		t.Fatalf("after a description edit: %+v, want everything reused", sum)
	}
}

// TestChangedModelRerunsEverything: a changed training setting changes every
// identity, so nothing stored is reused, and the stored files of the old config
// are left unused (counted as discarded).
func TestChangedModelRerunsEverything(t *testing.T) {
	cfg, raw := load(t, growConfig)
	dir := t.TempDir()
	runTo(t, cfg, raw, dir, Options{Jobs: 2})
	cfg2, raw2 := load(t, strings.Replace(growConfig, "lr: 0.05", "lr: 0.04", 1))
	sum := runTo(t, cfg2, raw2, dir, Options{Jobs: 2})
	if sum.Skipped != 0 || sum.Done != 12 || sum.Discarded != 12 {
		t.Fatalf("after an lr edit: %+v, want 12 run and 12 discarded", sum)
	}
	fresh := t.TempDir()
	runTo(t, cfg2, raw2, fresh, Options{Jobs: 2})
	if !bytes.Equal(read(t, filepath.Join(dir, "trials.csv")), read(t, filepath.Join(fresh, "trials.csv"))) {
		t.Error("trials.csv after the edit differs from a fresh run")
	}
}

// TestForeignTrialFileIsNeverUsed copies the trial files of another config into a
// folder whose manifest was removed: the run must compute its own trials.
func TestForeignTrialFileIsNeverUsed(t *testing.T) {
	other := t.TempDir()
	cfgO, rawO := load(t, strings.Replace(growConfig, "lr: 0.05", "lr: 0.03", 1))
	runTo(t, cfgO, rawO, other, Options{Jobs: 2})

	cfg, raw := load(t, growConfig)
	dir := t.TempDir()
	runTo(t, cfg, raw, dir, Options{Jobs: 2})
	want := read(t, filepath.Join(dir, "trials.csv"))
	os.Remove(filepath.Join(dir, "manifest.json"))
	ents, _ := os.ReadDir(filepath.Join(dir, trialsDir))
	for _, e := range ents {
		os.Remove(filepath.Join(dir, trialsDir, e.Name()))
	}
	ents, _ = os.ReadDir(filepath.Join(other, trialsDir))
	for _, e := range ents {
		os.WriteFile(filepath.Join(dir, trialsDir, e.Name()), read(t, filepath.Join(other, trialsDir, e.Name())), 0o644)
	}
	sum := runTo(t, cfg, raw, dir, Options{Jobs: 2, Force: true})
	if sum.Skipped != 0 || sum.Done != 12 {
		t.Fatalf("run over another config's trials: %+v, want all 12 run", sum)
	}
	if !bytes.Equal(want, read(t, filepath.Join(dir, "trials.csv"))) {
		t.Error("trials.csv holds another config's numbers")
	}
}

// TestEditedDataFileChangesIdentity edits a csv dataset between two runs: the
// second run recomputes every trial of it instead of mixing old and new data.
func TestEditedDataFileChangesIdentity(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("a,b,y\n")
	for i := range 40 {
		b.WriteString(strings.Join([]string{itoa(i % 7), itoa(i % 5), itoa(i % 2)}, ",") + "\n")
	}
	data := filepath.Join(dir, "d.csv")
	os.WriteFile(data, []byte(b.String()), 0o644)
	text := `name: csvid
seeds: 2
datasets:
  - {name: d, source: csv, params: {path: d.csv, label: y}}
protocol: {initial: 4, batch: 2, budget: 4}
model: {hidden: [4], train: {epochs: 3}}
strategies: [random]
`
	path := filepath.Join(dir, "c.yaml")
	os.WriteFile(path, []byte(text), 0o644)
	cfg, raw, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	runTo(t, cfg, raw, out, Options{Jobs: 1})
	before := read(t, filepath.Join(out, "trials.csv"))

	os.WriteFile(data, []byte(strings.Replace(b.String(), "a,b,y\n0,0,0\n", "a,b,y\n6,4,0\n", 1)), 0o644)
	cfg, raw, err = Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if sum := runTo(t, cfg, raw, out, Options{Jobs: 1}); sum.Skipped != 0 {
		t.Fatalf("after editing the data file: %+v, want nothing reused", sum)
	}
	if bytes.Equal(before, read(t, filepath.Join(out, "trials.csv"))) {
		t.Log("trials.csv happens to be unchanged by the edit")
	}
}

func itoa(i int) string { return string(rune('0' + i)) }

// TestIdentityDocumentIsCanonicalJSON checks the streamed identity documents
// against json.Marshal of the documented structure.
func TestIdentityDocumentIsCanonicalJSON(t *testing.T) {
	cfg, _ := load(t, growConfig)
	js := jobs(cfg)
	n := 0
	err := identityDocs(cfg, js, func(i int, doc []byte) {
		j := js[i]
		model, _ := modelIdentity(cfg.Model)
		want := trialIdentity{Format: identityFormat, Kind: "skyline", Model: model, Seed: j.seed, Numerics: numericsFingerprint(),
			Dataset: &datasetIdentity{Name: "blobs", Source: "make_blobs", Params: cfg.Datasets[0].Params, Protocol: cfg.ProtocolFor(0)}}
		if j.strategy >= 0 {
			s := cfg.Strategies[j.strategy]
			si, _ := strategyIdentity(s)
			want.Kind, want.Strategy = "trial", si
		}
		b, err := json.Marshal(want)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(doc, b) {
			t.Errorf("job %d: document\n%s\nwant\n%s", i, doc, b)
		}
		n++
	})
	if err != nil || n != len(js) {
		t.Fatalf("%d documents, err %v", n, err)
	}
}

// TestSpelledOutDefaultKeepsTheIdentity: a strategy param written at its default
// gives the identity of leaving it out.
func TestSpelledOutDefaultKeepsTheIdentity(t *testing.T) {
	a, _ := load(t, strings.Replace(growConfig, "  - margin\n", "  - qbc\n", 1))
	b, _ := load(t, strings.Replace(growConfig, "  - margin\n", "  - {name: qbc, params: {committee: 5}}\n", 1))
	c, _ := load(t, strings.Replace(growConfig, "  - margin\n", "  - {name: qbc, params: {committee: 3}}\n", 1))
	ia, _ := identities(a, jobs(a))
	ib, _ := identities(b, jobs(b))
	ic, _ := identities(c, jobs(c))
	if !slices.Equal(ia, ib) {
		t.Error("committee: 5 (the default) changed the identities")
	}
	if slices.Equal(ia, ic) {
		t.Error("committee: 3 kept the identities")
	}
}

// TestQueryModelIsIdentity: a strategy's query model changes that strategy's
// trials and nothing else.
func TestQueryModelIsIdentity(t *testing.T) {
	a, _ := load(t, growConfig)
	b, _ := load(t, strings.Replace(growConfig, "  - margin\n", "  - {name: margin, query_model: {kind: logreg}}\n", 1))
	ia, _ := identities(a, jobs(a))
	ib, _ := identities(b, jobs(b))
	for i, j := range jobs(a) {
		margin := j.strategy >= 0 && a.Strategies[j.strategy].Name == "margin"
		if (ia[i] != ib[i]) != margin {
			t.Errorf("job %+v: identity changed %v, want %v", j, ia[i] != ib[i], margin)
		}
	}
}

// TestDataFileEditedDuringARun edits a csv dataset while its trials run: the run
// fails, keeps none of its trials of that dataset, and the next run equals a
// fresh run of the edited file.
func TestDataFileEditedDuringARun(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("a,b,y\n")
	for i := range 60 {
		b.WriteString(strings.Join([]string{itoa(i % 7), itoa(i % 5), itoa(i % 3)}, ",") + "\n")
	}
	data := filepath.Join(dir, "d.csv")
	os.WriteFile(data, []byte(b.String()), 0o644)
	path := filepath.Join(dir, "c.yaml")
	os.WriteFile(path, []byte(`name: edit
seeds: 40
datasets:
  - {name: d, source: csv, params: {path: d.csv, label: y}}
protocol: {initial: 4, batch: 2, budget: 4}
model: {hidden: [4], train: {epochs: 20}}
strategies: [random]
`), 0o644)
	cfg, raw, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	edited := strings.Replace(b.String(), "a,b,y\n0,0,0\n", "a,b,y\n6,4,0\n", 1)
	done := make(chan bool)
	go func() {
		defer close(done)
		for {
			if ents, _ := os.ReadDir(filepath.Join(out, trialsDir)); len(ents) >= 1 {
				os.WriteFile(data, []byte(edited), 0o644)
				return
			}
			time.Sleep(time.Millisecond)
		}
	}()
	_, err = Run(context.Background(), cfg, raw, Options{Jobs: 1, Out: out})
	<-done
	if err == nil {
		t.Skip("the run finished before the edit")
	}
	if !strings.Contains(err.Error(), "dataset d changed during the run") {
		t.Fatalf("err %v", err)
	}
	if ents, _ := os.ReadDir(filepath.Join(out, trialsDir)); len(ents) != 0 {
		t.Fatalf("%d trials of the run are kept", len(ents))
	}
	cfg, raw, _ = Load(path)
	runTo(t, cfg, raw, out, Options{Jobs: 2})
	fresh := filepath.Join(dir, "fresh")
	runTo(t, cfg, raw, fresh, Options{Jobs: 2})
	if !bytes.Equal(read(t, filepath.Join(out, "trials.csv")), read(t, filepath.Join(fresh, "trials.csv"))) {
		t.Error("trials.csv mixes old and new data")
	}
}
