package harness

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"albench/results"
)

// Report rebuilds curves.csv, summary.csv, the figures and report.md of dir from
// its trials.csv. The manifest and config.yaml, when present, give the display order
// and the config shown in the report; without them the order is that of trials.csv.
func Report(dir string) error {
	f, err := os.Open(filepath.Join(dir, "trials.csv"))
	if err != nil {
		return err
	}
	recs, err := results.ReadTrials(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("%s: %w", dir, err)
	}
	man, err := readManifest(dir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if man.Name == "" {
		man.Name = filepath.Base(filepath.Clean(dir))
	}
	text, err := os.ReadFile(filepath.Join(dir, ConfigFile))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return results.WriteAll(dir, recs, reportMeta(man, text))
}

// Merge joins the stored trials of shard folders into out and assembles the result
// files there, exactly as one run of the whole grid would have. Every shard must
// come from the same config. It returns the number of trials merged.
func Merge(out string, shards []string) (int, error) {
	var first Manifest
	var text []byte
	all := make(map[TrialKey]TrialResult)
	for i, dir := range shards {
		man, err := readManifest(dir)
		if err != nil {
			return 0, fmt.Errorf("shard %s: %w", dir, err)
		}
		t, err := os.ReadFile(filepath.Join(dir, ConfigFile))
		if err != nil {
			return 0, fmt.Errorf("shard %s: %w", dir, err)
		}
		if i == 0 {
			first, text = man, t
		} else if man.ConfigHash != first.ConfigHash {
			return 0, fmt.Errorf("shard %s: %w (hash %.12s, %s has %.12s)", dir, ErrConfigChanged, man.ConfigHash, shards[0], first.ConfigHash)
		}
		done, err := loadTrials(dir)
		if err != nil {
			return 0, err
		}
		for k, r := range done {
			all[k] = r
		}
		first.ElapsedSeconds = max(first.ElapsedSeconds, man.ElapsedSeconds)
		if man.Started < first.Started {
			first.Started = man.Started
		}
		if man.Finished > first.Finished {
			first.Finished = man.Finished
		}
	}
	if err := os.MkdirAll(filepath.Join(out, trialsDir), 0o755); err != nil {
		return 0, err
	}
	keys := make([]TrialKey, 0, len(all))
	for k := range all {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b TrialKey) int { return results.CompareRecords(recordOf(a), recordOf(b)) })
	for _, k := range keys {
		if err := saveTrial(out, all[k]); err != nil {
			return 0, err
		}
	}
	if err := WriteFileAtomic(filepath.Join(out, ConfigFile), text); err != nil {
		return 0, err
	}
	first.Shard = ""
	first.TrialsTotal = len(gridKeys(first.Datasets, first.Strategies, first.Seeds))
	first.TrialsDone = len(all)
	if first.Finished == "" {
		first.Finished = time.Now().UTC().Format(time.RFC3339)
	}
	if err := writeManifest(out, first); err != nil {
		return 0, err
	}
	complete, err := Assemble(out)
	if err != nil {
		return 0, err
	}
	if !complete {
		return len(all), fmt.Errorf("%d of %d trials are in the shards: run the missing shards, then merge again", len(all), first.TrialsTotal)
	}
	return len(all), nil
}

func recordOf(k TrialKey) results.Record {
	return results.Record{Dataset: k.Dataset, Strategy: k.Strategy, Seed: k.Seed}
}
