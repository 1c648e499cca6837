package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestMain lets a test run the real binary in a subprocess: the test binary re-runs
// itself with ALBENCH_MAIN=1 and behaves as albench.
func TestMain(m *testing.M) {
	if os.Getenv("ALBENCH_MAIN") == "1" {
		main()
	}
	os.Exit(m.Run())
}

const small = `name: small
seeds: 12
datasets:
  - name: blobs
    source: make_blobs
    params: {n_samples: 150, n_features: 5, centers: 3}
protocol: {initial: 6, batch: 3, budget: 30, standardize: true}
model:
  hidden: [16]
  train: {optimizer: adam, lr: 0.02, epochs: 60}
strategies: [random, entropy, margin]
`

func writeConfig(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "c.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func albench(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = run(context.Background(), &o, &e, args)
	return code, o.String(), e.String()
}

func TestBadConfigExits2AndWritesNothing(t *testing.T) {
	path := writeConfig(t, strings.Replace(small, "budget: 30", "budjet: 30", 1))
	out := filepath.Join(t.TempDir(), "out")
	code, _, stderr := albench(t, "run", "-out", out, path)
	if code != exitUsage {
		t.Fatalf("exit %d, want 2; stderr:\n%s", code, stderr)
	}
	if !strings.Contains(stderr, path+":7:") || !strings.Contains(stderr, "budjet") {
		t.Errorf("error does not name the file, line and key:\n%s", stderr)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a bad config wrote %s", out)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{}, {"frobnicate"}, {"run"}, {"run", "-j", "-1", "x.yaml"}, {"run", "-shard", "5/2", "x.yaml"},
		{"list", "colours"}, {"merge", "only-out"},
	} {
		if code, _, stderr := albench(t, args...); code != exitUsage || stderr == "" {
			t.Errorf("albench %q: exit %d, stderr %q; want 2 and a message", args, code, stderr)
		}
	}
	if code, stdout, _ := albench(t, "run", "-help"); code != exitOK || !strings.Contains(stdout, "-shard") {
		t.Errorf("run -help: exit %d, stdout %q", code, stdout)
	}
}

func TestListShowsStrategiesAndSources(t *testing.T) {
	code, stdout, _ := albench(t, "list")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"least_confidence", "qbc", "committee=5", "bald", "make_classification", "iris", "csv"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("albench list lacks %q", want)
		}
	}
}

func TestValidate(t *testing.T) {
	path := writeConfig(t, small)
	code, stdout, stderr := albench(t, "validate", path)
	if code != 0 || !strings.Contains(stdout, "ok") {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
}

// TestKill9ResumesByteIdentical kills a real albench process with SIGKILL while it
// stores trials, runs the same command again, and compares the result with an
// uninterrupted run.
func TestKill9ResumesByteIdentical(t *testing.T) {
	if testing.Short() {
		t.Skip("subprocess test")
	}
	path := writeConfig(t, small)
	ref := filepath.Join(t.TempDir(), "ref")
	if code, _, stderr := albench(t, "run", "-q", "-j", "2", "-out", ref, path); code != 0 {
		t.Fatalf("reference run: %s", stderr)
	}
	out := filepath.Join(t.TempDir(), "out")
	cmd := exec.Command(os.Args[0], "run", "-q", "-j", "2", "-out", out, path)
	cmd.Env = append(os.Environ(), "ALBENCH_MAIN=1")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		ents, _ := os.ReadDir(filepath.Join(out, "trials.d"))
		if len(ents) >= 4 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("no trials stored in 30s")
		}
		time.Sleep(2 * time.Millisecond)
	}
	cmd.Process.Kill() // SIGKILL: no chance to clean up
	cmd.Wait()
	if _, err := os.Stat(filepath.Join(out, "trials.csv")); err == nil {
		t.Skip("the run finished before it could be killed")
	}
	code, stdout, stderr := albench(t, "run", "-j", "2", "-out", out, path)
	if code != 0 {
		t.Fatalf("resume: exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "resuming") || !strings.Contains(stdout, "reused") {
		t.Errorf("resume did not say so:\n%s%s", stdout, stderr)
	}
	for _, f := range []string{"trials.csv", "curves.csv", "summary.csv"} {
		a, _ := os.ReadFile(filepath.Join(ref, f))
		b, _ := os.ReadFile(filepath.Join(out, f))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s after kill -9 and resume differs from the uninterrupted run", f)
		}
	}
}

// TestInterruptStopsCleanlyAndResumes sends SIGINT to a running albench: it must
// exit 1 with a line saying how to resume, keep what finished, and the same
// command must then finish the grid.
func TestInterruptStopsCleanlyAndResumes(t *testing.T) {
	if testing.Short() {
		t.Skip("subprocess test")
	}
	path := writeConfig(t, small)
	out := filepath.Join(t.TempDir(), "out")
	cmd := exec.Command(os.Args[0], "run", "-q", "-j", "2", "-out", out, path)
	cmd.Env = append(os.Environ(), "ALBENCH_MAIN=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		if ents, _ := os.ReadDir(filepath.Join(out, "trials.d")); len(ents) >= 3 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("no trials stored in 30s")
		}
		time.Sleep(2 * time.Millisecond)
	}
	cmd.Process.Signal(os.Interrupt)
	err := cmd.Wait()
	if _, statErr := os.Stat(filepath.Join(out, "trials.csv")); statErr == nil {
		t.Skip("the run finished before the signal arrived")
	}
	if code := cmd.ProcessState.ExitCode(); code != exitFailed {
		t.Fatalf("exit %d (%v), want 1; stderr:\n%s", code, err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "Run the same command again to resume") {
		t.Errorf("no resume hint:\n%s", stderr.String())
	}
	if code, _, serr := albench(t, "run", "-q", "-j", "2", "-out", out, path); code != 0 {
		t.Fatalf("resume: exit %d\n%s", code, serr)
	}
}

func TestUnwritableOutputExits1(t *testing.T) {
	path := writeConfig(t, small)
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o644)
	code, _, stderr := albench(t, "run", "-q", "-out", filepath.Join(file, "out"), path)
	if code != exitFailed || !strings.Contains(stderr, "not a directory") {
		t.Fatalf("exit %d, stderr %q; want 1 and the I/O error", code, stderr)
	}
}
