package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"albench/nets"
)

const f32Config = `name: f32
seeds: 3
datasets:
  - name: blobs
    source: make_blobs
    params: {n_samples: 120, n_features: 4, centers: 3}
protocol: {initial: 6, batch: 3, budget: 12, standardize: true}
model:
  hidden: [8]
  train: {optimizer: adam, lr: 0.05, epochs: 20}
strategies: [random, margin, coreset]
`

// TestF32KernelRunsAreByteIdentical runs a grid through the real runner with
// -kernel avx2-fma-f32: trials.csv and curves.csv are the same bytes with -j 1
// and -j 2, the manifest records the kernel and its numerics fingerprint, and
// the trials' identities differ from those of the avx2-fma kernel, so that
// neither set's trials are ever reused for the other's.
func TestF32KernelRunsAreByteIdentical(t *testing.T) {
	if !slices.Contains(nets.OptInKernels(), "avx2-fma-f32") {
		t.Skip("no avx2-fma-f32 on this CPU")
	}
	defer nets.SetKernel(nets.Kernel())
	path := writeConfig(t, f32Config)
	runWith := func(kernel, jobs string) string {
		out := filepath.Join(t.TempDir(), kernel+"-j"+jobs)
		if code, _, stderr := albench(t, "run", "-q", "-kernel", kernel, "-j", jobs, "-out", out, path); code != 0 {
			t.Fatalf("run -kernel %s -j %s: exit %d\n%s", kernel, jobs, code, stderr)
		}
		return out
	}
	one, two := runWith("avx2-fma-f32", "1"), runWith("avx2-fma-f32", "2")
	wide := runWith("avx2-fma", "2")
	for _, f := range []string{"trials.csv", "curves.csv"} {
		a, _ := os.ReadFile(filepath.Join(one, f))
		b, _ := os.ReadFile(filepath.Join(two, f))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s with -kernel avx2-fma-f32 differs between -j 1 and -j 2", f)
		}
	}
	manifest := func(dir string) (m struct{ Kernel, Numerics string }) {
		b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	m32, m64 := manifest(two), manifest(wide)
	if m32.Kernel != "avx2-fma-f32" || !strings.Contains(m32.Numerics, "kernel=avx2-fma-f32;") || m32.Numerics == m64.Numerics {
		t.Errorf("manifest of the f32 run: kernel %q, numerics %q (avx2-fma: %q)", m32.Kernel, m32.Numerics, m64.Numerics)
	}
	names := func(dir string) []string {
		ents, err := os.ReadDir(filepath.Join(dir, "trials.d"))
		if err != nil {
			t.Fatal(err)
		}
		var s []string
		for _, e := range ents {
			s = append(s, e.Name())
		}
		return s
	}
	n32, n64 := names(two), names(wide)
	if len(n32) == 0 || len(n32) != len(n64) {
		t.Fatalf("trials.d holds %d trials with avx2-fma-f32, %d with avx2-fma", len(n32), len(n64))
	}
	for _, n := range n32 {
		if slices.Contains(n64, n) {
			t.Errorf("trial %s has the same identity under avx2-fma-f32 and avx2-fma", n)
		}
	}
}
