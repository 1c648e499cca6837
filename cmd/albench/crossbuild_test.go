package main

import (
	"bytes"
	"crypto/sha256"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

var updateGolden = flag.Bool("update-golden", false, "rewrite testdata/golden/trials.csv and data.sha256 from the GOAMD64=v1 build")

// goldenDatasets are the datasets of testdata/golden/golden.yaml, whose
// `albench data` outputs (seed 0) are hashed together into data.sha256.
var goldenDatasets = []string{"cls", "iris", "moons", "blobs"}

// goldenFiles are the run outputs compared across builds: the per-round
// metrics (the contract of the issue), the queried rows (which any change of
// a score's bits would reorder) and the curves.
var goldenFiles = []string{"trials.csv", "queries.csv", "curves.csv"}

// TestCrossBuild proves that the portable kernel gives the same bytes whatever
// the build and the CPU: it builds albench with GOAMD64=v1 and v3 (the latter
// lets the compiler fuse multiply-adds), runs the golden config with -kernel
// portable under each, and once more under v1 with GODEBUG=cpu.fma=off (which
// changes what the math package's assembly does), and compares trials.csv,
// queries.csv, curves.csv and the `albench data` output of every dataset byte
// for byte across the runs and with the committed goldens. `make test-arm64`
// does the same for an arm64 build under qemu-user.
func TestCrossBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs albench several times")
	}
	if runtime.GOARCH != "amd64" {
		t.Skip("the GOAMD64 variants need amd64; make test-arm64 covers arm64")
	}
	config, err := filepath.Abs("testdata/golden/golden.yaml")
	if err != nil {
		t.Fatal(err)
	}
	type variant struct{ name, goamd64, godebug string }
	variants := []variant{{"v1", "v1", ""}, {"v1-nofma", "v1", "cpu.fma=off"}}
	if missing := missingV3Features(); missing != "" {
		t.Logf("GOAMD64=v3 skipped: this CPU lacks %s", missing)
	} else {
		variants = append(variants, variant{"v3", "v3", ""})
	}
	dir := t.TempDir()
	bins := map[string]string{}
	results := map[string]map[string][]byte{}
	for _, v := range variants {
		bin, ok := bins[v.goamd64]
		if !ok {
			bin = filepath.Join(dir, "albench-"+v.goamd64)
			build := exec.Command("go", "build", "-o", bin, ".")
			build.Env = append(os.Environ(), "GOAMD64="+v.goamd64, "CGO_ENABLED=0")
			if out, err := build.CombinedOutput(); err != nil {
				t.Fatalf("GOAMD64=%s go build: %v\n%s", v.goamd64, err, out)
			}
			bins[v.goamd64] = bin
		}
		env := append(os.Environ(), "GODEBUG="+v.godebug)
		out := filepath.Join(dir, "run-"+v.name)
		runBin(t, env, bin, "run", "-q", "-j", "2", "-kernel", "portable", "-out", out, config)
		got := map[string][]byte{}
		for _, f := range goldenFiles {
			b, err := os.ReadFile(filepath.Join(out, f))
			if err != nil {
				t.Fatal(err)
			}
			got[f] = b
		}
		var data bytes.Buffer
		for _, d := range goldenDatasets {
			data.Write(runBin(t, env, bin, "data", "-dataset", d, config))
		}
		got["data.sha256"] = fmt.Appendf(nil, "%x\n", sha256.Sum256(data.Bytes()))
		results[v.name] = got
	}
	ref := results["v1"]
	for _, v := range variants[1:] {
		for f, b := range results[v.name] {
			if !bytes.Equal(b, ref[f]) {
				t.Errorf("%s: %s differs from the v1 build's", v.name, f)
			}
		}
	}
	for _, f := range []string{"trials.csv", "data.sha256"} {
		golden := filepath.Join("testdata", "golden", f)
		if *updateGolden {
			if err := os.WriteFile(golden, ref[f], 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(ref[f], want) {
			t.Errorf("%s differs from %s: the numerics changed (bump fmath.NumericVersion and rerun with -update-golden)", f, golden)
		}
	}
	t.Logf("byte-identical across %d builds: %s", len(variants), strings.Join(append(goldenFiles, "albench data"), ", "))
}

// runBin runs bin with args and env and returns its standard output.
func runBin(t *testing.T, env []string, bin string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s", filepath.Base(bin), strings.Join(args, " "), err, stderr.String())
	}
	return stdout.Bytes()
}

// missingV3Features returns the x86-64-v3 features that /proc/cpuinfo does not
// list (a GOAMD64=v3 binary refuses to start without them), or "" when it
// has them all, or a reason when it cannot tell.
func missingV3Features() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "a readable /proc/cpuinfo"
	}
	var flags map[string]bool
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "flags" {
			flags = map[string]bool{}
			for _, f := range strings.Fields(v) {
				flags[f] = true
			}
			break
		}
	}
	var missing []string
	for _, f := range []string{"avx", "avx2", "bmi1", "bmi2", "fma", "f16c", "movbe", "abm"} {
		if !flags[f] {
			missing = append(missing, f)
		}
	}
	return strings.Join(missing, ", ")
}
