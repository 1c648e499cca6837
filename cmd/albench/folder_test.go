package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// quick is a small grid of fast trials.
const quick = `name: quick
seeds: 4
datasets:
  - name: blobs
    source: make_blobs
    params: {n_samples: 90, n_features: 3, centers: 3}
protocol: {initial: 6, batch: 2, budget: 6}
model:
  hidden: [6]
  train: {optimizer: adam, lr: 0.05, epochs: 10}
strategies: [random, margin]
`

func TestMissingConfigExits2(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope.yaml")
	for _, cmd := range []string{"run", "validate", "data"} {
		code, _, stderr := albench(t, cmd, missing)
		if code != exitUsage || !strings.Contains(stderr, missing) {
			t.Errorf("%s of a missing config: exit %d, stderr %q; want 2 naming it", cmd, code, stderr)
		}
	}
}

// TestNonRegularConfigIsRefusedAtOnce: a FIFO (which would block until a writer
// comes), a directory and /dev/zero (endless) are refused with exit 2 at once.
func TestNonRegularConfigIsRefusedAtOnce(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "fifo.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	for _, path := range []string{fifo, t.TempDir(), "/dev/zero"} {
		done := make(chan struct{})
		var code int
		var stderr string
		go func() {
			code, _, stderr = albench(t, "validate", path)
			close(done)
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("validate %s hangs", path)
		}
		if code != exitUsage || !strings.Contains(stderr, "not a") {
			t.Errorf("validate %s: exit %d, stderr %q; want 2 and a message", path, code, stderr)
		}
	}
}

func TestOversizedConfigIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.yaml")
	if err := os.WriteFile(path, bytes.Repeat([]byte("# padding\n"), 17<<20/10), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := albench(t, "validate", path); code != exitUsage || !strings.Contains(stderr, "MiB") {
		t.Errorf("exit %d, stderr %q; want 2 and the limit", code, stderr)
	}
}

// TestOutDotInAProjectRootIsRefused runs with -out . in a folder holding go.mod.
func TestOutDotInAProjectRootIsRefused(t *testing.T) {
	path := writeConfig(t, quick)
	root := t.TempDir()
	os.WriteFile(filepath.Join(root, "go.mod"), []byte("module x\n"), 0o644)
	os.WriteFile(filepath.Join(root, "main.go"), []byte("package main\n"), 0o644)
	t.Chdir(root)
	for _, force := range []string{"-force=false", "-force"} {
		code, _, stderr := albench(t, "run", "-q", force, "-out", ".", path)
		if code != exitUsage || !strings.Contains(stderr, "go.mod") {
			t.Errorf("run %s -out . in a project root: exit %d, stderr %q; want 2", force, code, stderr)
		}
	}
	if ents, _ := os.ReadDir(root); len(ents) != 2 {
		t.Errorf("the project root now holds %d entries", len(ents))
	}
}

func TestForeignFolderExits2(t *testing.T) {
	path := writeConfig(t, quick)
	out := t.TempDir()
	os.WriteFile(filepath.Join(out, "report.md"), []byte("mine"), 0o644)
	code, _, stderr := albench(t, "run", "-q", "-out", out, path)
	if code != exitUsage || !strings.Contains(stderr, "neither empty nor written by albench") {
		t.Fatalf("exit %d, stderr %q; want 2", code, stderr)
	}
	if b, _ := os.ReadFile(filepath.Join(out, "report.md")); string(b) != "mine" {
		t.Error("the refused run changed report.md")
	}
}

// TestSecondWriterFailsAtOnce starts a run in a subprocess and a second on the
// same -out: the second exits 1 at once, naming the first's pid; the first
// finishes with trials.csv.
func TestSecondWriterFailsAtOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("subprocess test")
	}
	path := writeConfig(t, small)
	out := filepath.Join(t.TempDir(), "out")
	cmd := exec.Command(os.Args[0], "run", "-q", "-j", "1", "-out", out, path)
	cmd.Env = append(os.Environ(), "ALBENCH_MAIN=1")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		if ents, _ := os.ReadDir(filepath.Join(out, "trials.d")); len(ents) >= 1 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("no trial stored in 30s")
		}
		time.Sleep(2 * time.Millisecond)
	}
	start := time.Now()
	code, _, stderr := albench(t, "run", "-q", "-force", "-out", out, path)
	if code != exitFailed || !strings.Contains(stderr, "is being written by another albench process (pid "+strconv.Itoa(cmd.Process.Pid)+")") {
		t.Errorf("second run: exit %d, stderr %q; want 1 naming pid %d", code, stderr, cmd.Process.Pid)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("the second run took %v to fail", d)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("first run: %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, "trials.csv")); err != nil {
		t.Errorf("first run: %v", err)
	}
}

// TestSecondInterruptExitsAtOnce: the first signal cancels the run, the second
// exits with 130 at once. (A real process cancels too fast for a second signal
// to find it still running, so the handler is tested by itself.)
func TestSecondInterruptExitsAtOnce(t *testing.T) {
	sig := make(chan os.Signal, 2)
	cancelled, exited := make(chan bool, 1), make(chan int, 1)
	var stderr bytes.Buffer
	go onSignals(sig, func() { cancelled <- true }, func(code int) { exited <- code }, &stderr)
	sig <- os.Interrupt
	select {
	case <-cancelled:
	case <-time.After(5 * time.Second):
		t.Fatal("the first signal did not cancel")
	}
	select {
	case code := <-exited:
		t.Fatalf("exit %d after one signal", code)
	case <-time.After(20 * time.Millisecond):
	}
	sig <- os.Interrupt
	select {
	case code := <-exited:
		if code != exitSignal {
			t.Fatalf("exit %d, want %d", code, exitSignal)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the second signal did not exit")
	}
	if !strings.Contains(stderr.String(), "second interrupt") {
		t.Errorf("stderr %q", stderr.String())
	}
}

// TestShardRunAndPartialReport: a shard says which shard it is, and report on it
// writes a partial report, exits 1 and says how far the grid is.
func TestShardRunAndPartialReport(t *testing.T) {
	path := writeConfig(t, quick)
	out := filepath.Join(t.TempDir(), "s0")
	code, stdout, stderr := albench(t, "run", "-q", "-shard", "0/2", "-out", out, path)
	if code != exitOK || !strings.HasPrefix(stdout, "shard 0/2: 6 trials") {
		t.Fatalf("shard run: exit %d\n%s%s", code, stdout, stderr)
	}
	code, _, stderr = albench(t, "report", out)
	if code != exitFailed || !strings.Contains(stderr, "6 of 12 trials; resume or merge first") {
		t.Fatalf("report of a shard: exit %d, stderr %q", code, stderr)
	}
	if b, _ := os.ReadFile(filepath.Join(out, "report.md")); !bytes.Contains(b, []byte("6 of 12 trials; resume or merge first")) {
		t.Error("report.md does not say it is partial")
	}
}

// TestGrownConfigSaysWhatItReused runs a config, then one more seed and a new
// strategy over the same folder.
func TestGrownConfigSaysWhatItReused(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := albench(t, "run", "-q", "-out", out, writeConfig(t, quick)); code != 0 {
		t.Fatal(stderr)
	}
	grown := strings.Replace(strings.Replace(quick, "seeds: 4", "seeds: 5", 1), "[random, margin]", "[random, margin, entropy]", 1)
	code, stdout, stderr := albench(t, "run", "-q", "-out", out, writeConfig(t, grown))
	if code != 0 || !strings.Contains(stdout, "20 trials (8 run, 12 reused, 0 discarded)") {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
}

func TestDefaultOutputIsRuns(t *testing.T) {
	path := writeConfig(t, quick)
	t.Chdir(t.TempDir())
	code, stdout, stderr := albench(t, "run", "-q", path)
	if code != 0 || !strings.Contains(stdout, filepath.Join("runs", "quick")) {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	if _, err := os.Stat(filepath.Join("runs", "quick", "trials.csv")); err != nil {
		t.Fatal(err)
	}
}
