package harness

import (
	"path/filepath"
	"reflect"
	"testing"
)

// TestDatasetInfoIndependentOfScheduling: the report's dataset table comes
// from the setups the trials prepare, and is the same (the smallest seed's)
// with one worker, three, and two shards merged; a resumed run that prepares
// nothing keeps it.
func TestDatasetInfoIndependentOfScheduling(t *testing.T) {
	cfg, raw := load(t, tiny)
	info := func(dir string) []any {
		t.Helper()
		m, err := readManifest(dir)
		if err != nil {
			t.Fatal(err)
		}
		out := make([]any, len(m.DatasetInfo))
		for i, d := range m.DatasetInfo {
			out[i] = d
		}
		return out
	}
	one := t.TempDir()
	runTo(t, cfg, raw, one, Options{Jobs: 1})
	want := info(one)
	if len(want) != 2 {
		t.Fatalf("dataset table %v, want blobs and moons", want)
	}
	m, _ := readManifest(one)
	if d := m.DatasetInfo[0]; d.Name != "blobs" || d.Seed != 0 || d.Rows != 120 || d.Pool+d.Test != 120 || d.Features != 4 || d.Classes != 3 {
		t.Errorf("blobs: %+v", d)
	}
	three := t.TempDir()
	runTo(t, cfg, raw, three, Options{Jobs: 3})
	var shards []string
	for i := range 2 {
		d := t.TempDir()
		runTo(t, cfg, raw, d, Options{Jobs: 2, Shard: Shard{Index: i, Count: 2}})
		shards = append(shards, d)
	}
	merged := filepath.Join(t.TempDir(), "merged")
	if _, err := Merge(merged, shards); err != nil {
		t.Fatal(err)
	}
	for name, dir := range map[string]string{"-j 3": three, "merged shards": merged} {
		if got := info(dir); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: dataset table %v, want %v", name, got, want)
		}
	}
	sum := runTo(t, cfg, raw, one, Options{Jobs: 2}) // everything reused
	if sum.Done != 0 {
		t.Fatalf("rerun ran %d trials", sum.Done)
	}
	if got := info(one); !reflect.DeepEqual(got, want) {
		t.Errorf("after a rerun that prepared nothing: %v, want %v", got, want)
	}
}
