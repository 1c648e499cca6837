package main

import (
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"albench/experiments"
	"albench/experiments/datasets"
	"albench/harness"
)

const generatedConfig = `name: gen
seeds: 5
datasets:
  - name: cls
    source: make_classification
    params: {n_samples: 120, n_features: 6, n_informative: 3, n_classes: 3}
protocol: {initial: 6, batch: 3, budget: 30, standardize: true}
model:
  hidden: [8]
  train: {optimizer: adam, lr: 0.02, epochs: 10}
strategies: [random]
`

const twoDatasetsConfig = `name: real
seeds: 5
datasets:
  - name: moons
    source: make_moons
    params: {n_samples: 80, noise: 0.2}
  - name: flowers
    source: iris
protocol: {test_fraction: 0.3, initial: 6, batch: 3, budget: 30, standardize: false}
model:
  hidden: [8]
  train: {optimizer: adam, lr: 0.02, epochs: 10}
strategies: [random]
`

// TestDataRoundTripsThroughCSVSource runs albench data and reads its output back
// with the csv source: a user who exports a trial's data and loads it as a csv
// dataset must get the very numbers the trial saw, pool rows first.
func TestDataRoundTripsThroughCSVSource(t *testing.T) {
	for _, tc := range []struct {
		name, config, dataset string
		d                     int
	}{
		{"make_classification standardized", generatedConfig, "", 0},
		{"iris as the second dataset", twoDatasetsConfig, "flowers", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeConfig(t, tc.config)
			dir := filepath.Dir(path)
			file := filepath.Join(dir, "out", "data.csv")
			args := []string{"data", "-seed", "3", "-out", file}
			if tc.dataset != "" {
				args = append(args, "-dataset", tc.dataset)
			}
			if code, stdout, stderr := albench(t, append(args, path)...); code != exitOK {
				t.Fatalf("albench %q: exit %d\n%s%s", args, code, stdout, stderr)
			}

			cfg, _, err := harness.Load(path)
			if err != nil {
				t.Fatal(err)
			}
			setup, err := experiments.Prepare(cfg, tc.d, 3)
			if err != nil {
				t.Fatal(err)
			}
			got, err := datasets.Build("csv", map[string]any{"path": file, "label": "label", "ignore": []any{"row", "split"}}, dir, nil)
			if err != nil {
				t.Fatalf("reading back %s: %v", file, err)
			}

			wantX := slices.Concat(setup.PoolX, setup.TestX)
			wantY := slices.Concat(setup.PoolY, setup.TestY)
			if got.N != len(wantY) || got.D != setup.Features || len(got.X) != len(wantX) {
				t.Fatalf("read back %d×%d (%d values), want %d×%d", got.N, got.D, len(got.X), len(wantY), setup.Features)
			}
			for i, x := range got.X {
				if math.Float64bits(x) != math.Float64bits(wantX[i]) {
					t.Fatalf("X[%d] (row %d) = %v, want %v bit for bit", i, i/got.D, x, wantX[i])
				}
			}
			if !slices.Equal(got.Y, wantY) || !slices.Equal(got.ClassNames, setup.ClassNames) {
				t.Errorf("labels read back as %v %v, want %v %v", got.ClassNames, got.Y, setup.ClassNames, wantY)
			}

			f, err := os.Open(file)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			rows, err := csv.NewReader(f).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if head := rows[0]; head[len(head)-1] != "split" || head[0] != "row" {
				t.Fatalf("columns %q, want row first and split last", head)
			}
			// The row column is each point's row in the dataset as built.
			wantRows := slices.Concat(setup.PoolRows, setup.TestRows)
			for i, r := range rows[1:] {
				if r[0] != strconv.Itoa(wantRows[i]) {
					t.Fatalf("line %d: row %s, want %d", i+2, r[0], wantRows[i])
				}
			}
			if tc.dataset == "flowers" && rows[0][1] != "sepal length (cm)" {
				t.Errorf("iris columns %q, want its feature names", rows[0])
			}
			// Pool rows first, then test rows.
			var splits []string
			count := map[string]int{}
			for _, r := range rows[1:] {
				splits = append(splits, r[len(r)-1])
				count[r[len(r)-1]]++
			}
			if len(count) != 2 || count["pool"] != len(setup.PoolY) || count["test"] != len(setup.TestY) {
				t.Errorf("split column counts %v, want %d pool and %d test", count, len(setup.PoolY), len(setup.TestY))
			}
			if k := slices.Index(splits, "test"); k >= 0 && slices.Contains(splits[k:], "pool") {
				t.Errorf("a pool row after a test row: %v", splits)
			}
		})
	}
}

func TestDataUnknownDatasetNamesTheAvailableOnes(t *testing.T) {
	path := writeConfig(t, twoDatasetsConfig)
	out := filepath.Join(t.TempDir(), "data.csv")
	code, stdout, stderr := albench(t, "data", "-dataset", "iris", "-out", out, path)
	if code != exitUsage {
		t.Fatalf("exit %d, want 2\n%s%s", code, stdout, stderr)
	}
	if !strings.Contains(stderr, `"iris"`) || !strings.Contains(stderr, "moons, flowers") {
		t.Errorf("message does not name the unknown and the available datasets:\n%s", stderr)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a usage error wrote %s", out)
	}
}
