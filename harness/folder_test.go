package harness

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"albench/experiments"
)

func TestLockRefusesASecondWriter(t *testing.T) {
	cfg, raw := load(t, growConfig)
	dir := t.TempDir()
	release, err := lockDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Run(context.Background(), cfg, raw, Options{Out: dir})
	var le *LockedError
	if !errors.As(err, &le) || !strings.Contains(err.Error(), "is being written by another albench process (pid "+strconv.Itoa(os.Getpid())+")") {
		t.Fatalf("err %v, want a LockedError naming this pid", err)
	}
	if _, err := Merge(dir, []string{t.TempDir()}); err == nil {
		t.Error("merge into a locked folder succeeded")
	}
	release()
	if sum := runTo(t, cfg, raw, dir, Options{Jobs: 2}); !sum.Complete {
		t.Fatalf("after the lock is released: %+v", sum)
	}
}

func TestForeignFolderIsRefusedUnlessForced(t *testing.T) {
	cfg, raw := load(t, growConfig)
	dir := t.TempDir()
	for _, f := range []string{"report.md", "summary.csv", "figures/plot.png"} {
		os.MkdirAll(filepath.Dir(filepath.Join(dir, f)), 0o755)
		os.WriteFile(filepath.Join(dir, f), []byte("someone else's"), 0o644)
	}
	_, err := Run(context.Background(), cfg, raw, Options{Out: dir})
	if !errors.Is(err, ErrFolder) || !strings.Contains(err.Error(), "-force") {
		t.Fatalf("err %v, want ErrFolder with the -force hint", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "report.md")); string(b) != "someone else's" {
		t.Fatal("a refused run touched the folder")
	}
	if _, err := os.Stat(filepath.Join(dir, lockFile)); err == nil {
		t.Error("a refused run left its lock file in the folder")
	}
	if sum := runTo(t, cfg, raw, dir, Options{Jobs: 2, Force: true}); !sum.Complete {
		t.Fatalf("forced: %+v", sum)
	}
	if _, err := os.Stat(filepath.Join(dir, "figures", "plot.png")); err == nil {
		t.Error("-force kept a file of the old folder")
	}
}

func TestSourceTreeIsRefusedEvenForced(t *testing.T) {
	cfg, raw := load(t, growConfig)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module x\n"), 0o644)
	for _, force := range []bool{false, true} {
		if _, err := Run(context.Background(), cfg, raw, Options{Out: dir, Force: force}); !errors.Is(err, ErrFolder) || !strings.Contains(err.Error(), "go.mod") {
			t.Fatalf("force %v: err %v, want ErrFolder naming go.mod", force, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
		t.Fatal(err)
	}
}

func TestHomeAndRootAreRefused(t *testing.T) {
	cfg, raw := load(t, growConfig)
	home := t.TempDir()
	t.Setenv("HOME", home)
	os.WriteFile(filepath.Join(home, "letter.txt"), []byte("dear"), 0o644)
	for _, dir := range []string{home, "/"} {
		if _, err := Run(context.Background(), cfg, raw, Options{Out: dir, Force: true}); !errors.Is(err, ErrFolder) {
			t.Fatalf("-out %s -force: err %v, want ErrFolder", dir, err)
		}
	}
	if _, err := os.Stat(filepath.Join(home, "letter.txt")); err != nil {
		t.Fatal(err)
	}
}

func TestCorruptManifest(t *testing.T) {
	cfg, raw := load(t, growConfig)
	dir := t.TempDir()
	runTo(t, cfg, raw, dir, Options{Jobs: 2})
	os.Remove(filepath.Join(dir, "trials.csv"))
	os.WriteFile(filepath.Join(dir, manifestFile), []byte(`{"name": "gr`), 0o644)
	if err := Report(dir); err == nil || !strings.Contains(err.Error(), manifestFile) {
		t.Fatalf("report: err %v, want one naming %s", err, manifestFile)
	}
	if _, err := Run(context.Background(), cfg, raw, Options{Out: dir}); !errors.Is(err, ErrFolder) || !strings.Contains(err.Error(), "-force") {
		t.Fatalf("run: err %v, want ErrFolder with the -force hint", err)
	}
	if sum := runTo(t, cfg, raw, dir, Options{Jobs: 2, Force: true}); !sum.Complete || sum.Skipped != 0 {
		t.Fatalf("forced: %+v", sum)
	}
}

// TestRunWritesOnlyKnownFiles: what a run writes is albench's own names and the
// derived files, which the next run removes first; a new result file must be
// added to derivedNames.
func TestRunWritesOnlyKnownFiles(t *testing.T) {
	cfg, raw := load(t, growConfig)
	dir := t.TempDir()
	runTo(t, cfg, raw, dir, Options{Jobs: 2})
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if !slices.Contains(derivedNames, e.Name()) && !slices.Contains(ownNames, e.Name()) && e.Name() != manifestFile {
			t.Errorf("a run wrote %s, which is not in derivedNames", e.Name())
		}
	}
}

// TestNewConfigNeverLeavesOldResults: a run of another config over a finished
// folder that is interrupted at once leaves no result file of the old config.
func TestNewConfigNeverLeavesOldResults(t *testing.T) {
	cfg, raw := load(t, growConfig)
	dir := t.TempDir()
	runTo(t, cfg, raw, dir, Options{Jobs: 2})
	os.MkdirAll(filepath.Join(dir, discardDir, "x"), 0o755) // as an interrupted -force leaves it
	cfg2, raw2 := load(t, strings.Replace(growConfig, "lr: 0.05", "lr: 0.04", 1))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, cfg2, raw2, Options{Out: dir}); !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v", err)
	}
	for _, f := range append(slices.Clone(derivedNames), discardDir) {
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			t.Errorf("%s of the old config is still there", f)
		}
	}
	if !bytes.Equal(read(t, filepath.Join(dir, ConfigFile)), raw2) {
		t.Error("config.yaml is not the new config")
	}
}

// TestUnusableTrialFileIsNamedAndRecomputed truncates one trial file and empties
// the records of another: report names them with the command that recomputes
// them, and a run recomputes exactly those.
func TestUnusableTrialFileIsNamedAndRecomputed(t *testing.T) {
	cfg, raw := load(t, growConfig)
	dir := t.TempDir()
	runTo(t, cfg, raw, dir, Options{Jobs: 2})
	want := read(t, filepath.Join(dir, "trials.csv"))
	ents, _ := os.ReadDir(filepath.Join(dir, trialsDir))
	trunc := filepath.Join(dir, trialsDir, ents[0].Name())
	empty := filepath.Join(dir, trialsDir, ents[1].Name())
	b := read(t, trunc)
	os.WriteFile(trunc, b[:len(b)/2], 0o644)
	var st storedTrial
	if err := json.Unmarshal(read(t, empty), &st); err != nil {
		t.Fatal(err)
	}
	st.Records, st.Timings = nil, nil
	b, _ = json.Marshal(st)
	os.WriteFile(empty, b, 0o644)

	os.Remove(filepath.Join(dir, "trials.csv"))
	err := Report(dir)
	var bad *BadTrialError
	if !errors.As(err, &bad) || !strings.Contains(err.Error(), "albench run -out "+dir) {
		t.Fatalf("report: err %v, want a BadTrialError with the command", err)
	}
	if bad.Path != trunc && bad.Path != empty {
		t.Errorf("error names %s", bad.Path)
	}
	sum := runTo(t, cfg, raw, dir, Options{Jobs: 2})
	if sum.Recomputed != 2 || sum.Done != 2 || sum.Skipped != 10 {
		t.Fatalf("resume: %+v, want the 2 unusable trials recomputed", sum)
	}
	if !bytes.Equal(want, read(t, filepath.Join(dir, "trials.csv"))) {
		t.Error("trials.csv after recomputing differs")
	}
}

func TestTempFilesOfAKilledRunAreRemoved(t *testing.T) {
	cfg, raw := load(t, growConfig)
	dir := t.TempDir()
	runTo(t, cfg, raw, dir, Options{Jobs: 2})
	left := []string{filepath.Join(dir, trialsDir, ".0123abcd.json.tmp77"), filepath.Join(dir, ".trials.csv.tmp12345")}
	for _, f := range left {
		os.WriteFile(f, []byte("half"), 0o600)
	}
	runTo(t, cfg, raw, dir, Options{Jobs: 2})
	for _, f := range left {
		if _, err := os.Stat(f); err == nil {
			t.Errorf("%s is still there", f)
		}
	}
}

// TestPartialReport cancels a run half-way: report writes a partial report that
// says how many trials it has, and fails with an IncompleteError.
func TestPartialReport(t *testing.T) {
	cfg, raw := load(t, growConfig)
	dir := t.TempDir()
	// One shard of two is half the grid.
	runTo(t, cfg, raw, dir, Options{Jobs: 2, Shard: Shard{Index: 0, Count: 2}})
	err := Report(dir)
	var inc *IncompleteError
	if !errors.As(err, &inc) || inc.Done != 6 || inc.Total != 12 || !strings.Contains(err.Error(), "6 of 12 trials; resume or merge first") {
		t.Fatalf("report of a shard: err %v", err)
	}
	rep := string(read(t, filepath.Join(dir, "report.md")))
	if !strings.Contains(rep, "Partial report:** 6 of 12 trials; resume or merge first") {
		t.Errorf("report.md does not say it is partial:\n%.400s", rep)
	}
	if _, err := os.Stat(filepath.Join(dir, "trials.csv")); err == nil {
		t.Error("a partial report wrote trials.csv")
	}
}

// TestIncompleteRunIsNotSuccess: an unsharded run that ends with trials missing
// is an IncompleteError, never a silent success.
func TestIncompleteRunIsNotSuccess(t *testing.T) {
	cfg, raw := load(t, growConfig)
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for ctx.Err() == nil {
			if ents, _ := os.ReadDir(filepath.Join(dir, trialsDir)); len(ents) >= 2 {
				cancel()
			}
			time.Sleep(time.Millisecond)
		}
	}()
	sum, err := Run(ctx, cfg, raw, Options{Jobs: 1, Out: dir})
	cancel()
	if err == nil || sum.Complete {
		t.Fatalf("cancelled run: %+v, err %v", sum, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "trials.csv")); err == nil {
		t.Error("an incomplete run wrote trials.csv")
	}
}

func TestMergeRefusesAShardOfAnotherConfig(t *testing.T) {
	cfg, raw := load(t, growConfig)
	cfg2, raw2 := load(t, strings.Replace(growConfig, "lr: 0.05", "lr: 0.04", 1))
	a, b := t.TempDir(), t.TempDir()
	runTo(t, cfg, raw, a, Options{Jobs: 2, Shard: Shard{Index: 0, Count: 2}})
	runTo(t, cfg2, raw2, b, Options{Jobs: 2, Shard: Shard{Index: 1, Count: 2}})
	out := t.TempDir()
	_, err := Merge(out, []string{a, b})
	var me *MismatchError
	if !errors.As(err, &me) || me.Shard != b || !strings.Contains(err.Error(), "shard "+b+": trial (dataset blobs") {
		t.Fatalf("err %v, want a MismatchError naming shard %s and a trial", err, b)
	}
	if ents, _ := os.ReadDir(out); len(ents) != 0 {
		t.Error("a refused merge wrote into the target")
	}
}

// TestMergeDoesNotFillGapsWithAnotherConfig merges half a grid into a folder that
// holds the whole grid of another config: the gaps stay gaps.
func TestMergeDoesNotFillGapsWithAnotherConfig(t *testing.T) {
	cfg, raw := load(t, growConfig)
	cfg2, raw2 := load(t, strings.Replace(growConfig, "lr: 0.05", "lr: 0.04", 1))
	out := t.TempDir()
	runTo(t, cfg2, raw2, out, Options{Jobs: 2})
	shard := t.TempDir()
	runTo(t, cfg, raw, shard, Options{Jobs: 2, Shard: Shard{Index: 0, Count: 2}})
	n, err := Merge(out, []string{shard})
	var inc *IncompleteError
	if !errors.As(err, &inc) || n != 6 || !strings.Contains(err.Error(), "6 of 12") {
		t.Fatalf("merge: %d, err %v; want 6 of 12", n, err)
	}
	if _, err := os.Stat(filepath.Join(out, "trials.csv")); err == nil {
		t.Error("the merge assembled a grid it does not have")
	}
}

// TestQueriesRecordEveryLabel checks queries.csv: per trial the initial set as
// round 0 and batch picks per round, each with its dataset row and label.
func TestQueriesRecordEveryLabel(t *testing.T) {
	cfg, raw := load(t, growConfig)
	dir := t.TempDir()
	runTo(t, cfg, raw, dir, Options{Jobs: 2})
	lines := strings.Split(strings.TrimSpace(string(read(t, filepath.Join(dir, "queries.csv")))), "\n")
	if lines[0] != "dataset,strategy,seed,round,pool_row,row,label" {
		t.Fatalf("header %q", lines[0])
	}
	// 4 seeds × 2 strategies × (6 initial + 6 queried).
	if len(lines)-1 != 4*2*12 {
		t.Fatalf("%d rows, want %d", len(lines)-1, 4*2*12)
	}
	setup, err := experiments.Prepare(cfg, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	perRound := map[string]int{}
	for _, l := range lines[1:] {
		f := strings.Split(l, ",")
		perRound[f[1]+"/"+f[2]+"/"+f[3]]++
		if f[2] != "0" {
			continue
		}
		p, _ := strconv.Atoi(f[4])
		if f[5] != strconv.Itoa(setup.PoolRows[p]) || f[6] != setup.ClassNames[setup.PoolY[p]] {
			t.Errorf("%s: want row %d, label %s", l, setup.PoolRows[p], setup.ClassNames[setup.PoolY[p]])
		}
	}
	for k, n := range perRound {
		want := 2
		if strings.HasSuffix(k, "/0") {
			want = 6
		}
		if n != want {
			t.Errorf("%s: %d queries, want %d", k, n, want)
		}
	}
}
