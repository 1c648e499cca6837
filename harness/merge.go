package harness

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
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
	// Check every shard before writing anything.
	mans := make([]Manifest, len(shards))
	var text []byte
	for i, dir := range shards {
		man, err := readManifest(dir)
		if err != nil {
			return 0, fmt.Errorf("shard %s: %w", dir, err)
		}
		if i == 0 {
			if text, err = os.ReadFile(filepath.Join(dir, ConfigFile)); err != nil {
				return 0, fmt.Errorf("shard %s: %w", dir, err)
			}
		} else if man.ConfigHash != mans[0].ConfigHash {
			return 0, fmt.Errorf("shard %s: %w (hash %.12s, %s has %.12s)", dir, ErrConfigChanged, man.ConfigHash, shards[0], mans[0].ConfigHash)
		}
		mans[i] = man
	}
	if err := os.MkdirAll(filepath.Join(out, trialsDir), 0o755); err != nil {
		return 0, err
	}
	first := mans[0]
	keys := gridKeys(first.Datasets, first.Strategies, first.Seeds)
	all := make(map[TrialKey]bool)
	for i, dir := range shards {
		tr := trialReader{dir: dir}
		for _, k := range keys {
			if all[k] {
				continue
			}
			r, ok, err := tr.read(k)
			if err != nil {
				return 0, err
			}
			if ok {
				if err := saveTrial(out, *r); err != nil {
					return 0, err
				}
				all[k] = true
			}
		}
		man := mans[i]
		first.ElapsedSeconds = max(first.ElapsedSeconds, man.ElapsedSeconds)
		if man.Started < first.Started {
			first.Started = man.Started
		}
		if man.Finished > first.Finished {
			first.Finished = man.Finished
		}
	}
	if err := writeBytes(filepath.Join(out, ConfigFile), text); err != nil {
		return 0, err
	}
	first.Shard = ""
	first.TrialsTotal = len(keys)
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
