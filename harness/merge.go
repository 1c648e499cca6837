package harness

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"albench/results"
	"albench/results/analysis"
	"albench/results/records"
)

// Report rebuilds curves.csv, summary.csv, the figures and report.md of dir. A
// complete folder is rebuilt from its trials.csv; the manifest and config.yaml,
// when present, give the display order and the config shown in the report
// (without them the order is that of trials.csv). A folder without trials.csv — an
// interrupted run, a single shard — gets a partial report of the trials stored in
// trials.d that belong to its grid, saying so at its top, and the result is an
// *IncompleteError ("36 of 72 trials; resume or merge first"). An unreadable
// manifest.json or trial file is an error naming it.
func Report(dir string) error {
	release, err := lockDir(dir)
	if err != nil {
		return err
	}
	defer release()
	man, err := readManifest(dir)
	hasManifest := err == nil
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%w; a run of its config with -force discards it", err)
	}
	if man.Name == "" {
		man.Name = filepath.Base(filepath.Clean(dir))
	}
	text, err := os.ReadFile(filepath.Join(dir, ConfigFile))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	f, err := os.Open(filepath.Join(dir, "trials.csv"))
	if errors.Is(err, fs.ErrNotExist) && hasManifest {
		return partialReport(dir, man, text)
	}
	if err != nil {
		return err
	}
	recs, err := records.ReadTrials(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("%s: %w", dir, err)
	}
	meta := reportMeta(man, text)
	if meta.Costs, err = storedCosts(dir, man, man.Grid); err != nil {
		return err
	}
	return results.WriteAll(dir, recs, meta)
}

// storedCosts is the cost table of the stored trials of grid.
func storedCosts(dir string, man Manifest, grid []gridTrial) ([]analysis.Cost, error) {
	tr := newTrialReader(dir, man)
	costs := costSums{}
	for _, g := range grid {
		r, ok, err := tr.read(g)
		if err != nil {
			return nil, err
		}
		if ok {
			costs.add(r.Timings)
		}
	}
	return costs.costs(), nil
}

// partialReport writes the report of the stored trials of man's grid; when they
// are all there it assembles the folder instead.
func partialReport(dir string, man Manifest, text []byte) error {
	if len(man.Grid) == 0 {
		return fmt.Errorf("%s: %s lists no grid (written by an older albench?): run the config again with -force", dir, manifestFile)
	}
	tr := newTrialReader(dir, man)
	var have []gridTrial
	for _, g := range sortGrid(man.Grid) {
		_, ok, err := tr.read(g)
		if err != nil {
			return err
		}
		if ok {
			have = append(have, g)
		}
	}
	if len(have) == len(man.Grid) {
		_, err := Assemble(dir)
		return err
	}
	inc := &IncompleteError{Dir: dir, Done: len(have), Total: len(man.Grid), Hint: "resume or merge first"}
	if len(have) == 0 {
		return inc
	}
	meta := reportMeta(man, text)
	meta.Partial = fmt.Sprintf("%d of %d trials; resume or merge first", inc.Done, inc.Total)
	meta.Seeds = nil // the seeds present
	var err error
	if meta.Costs, err = storedCosts(dir, man, have); err != nil {
		return err
	}
	if err := analyse(dir, tr, have, meta); err != nil {
		return err
	}
	return inc
}

// MismatchError is a shard whose trial disagrees with the target's config: the
// shard was run with another config, data file or numeric kernel.
type MismatchError struct {
	Shard string
	Key   TrialKey
	Msg   string
}

func (e *MismatchError) Error() string {
	return fmt.Sprintf("shard %s: trial (%s) %s", e.Shard, e.Key, e.Msg)
}

// Merge joins the stored trials of shard folders into out and assembles the result
// files there, exactly as one run of the whole grid would have. The target's
// config is that of the first shard; a shard whose grid lists a trial with
// another identity (another config, data file or kernel), or a trial the target
// does not have, is refused before anything is written, naming the shard and the
// trial. Only trial files of the target's identities are used, from the shards or
// already in out; out is locked and must be empty or albench's. It returns the
// number of trials of the grid stored in out.
func Merge(out string, shards []string) (int, error) {
	// Check every shard before writing anything.
	mans := make([]Manifest, len(shards))
	var text []byte
	for i, dir := range shards {
		man, err := readManifest(dir)
		if err != nil {
			return 0, fmt.Errorf("shard %s: %w", dir, err)
		}
		if len(man.Grid) == 0 {
			return 0, fmt.Errorf("shard %s: %s lists no grid (written by an older albench?)", dir, manifestFile)
		}
		if i == 0 {
			if text, err = os.ReadFile(filepath.Join(dir, ConfigFile)); err != nil {
				return 0, fmt.Errorf("shard %s: %w", dir, err)
			}
		} else if err := sameGrid(dir, mans[0].Grid, man.Grid); err != nil {
			return 0, err
		}
		mans[i] = man
	}
	release, _, _, err := claim(out, false)
	if err != nil {
		return 0, err
	}
	defer release()
	if err := os.MkdirAll(filepath.Join(out, trialsDir), 0o777); err != nil {
		return 0, err
	}
	first := mans[0]
	first.Shard = ""
	target := newTrialReader(out, first)
	have := make(map[identity]bool, len(first.Grid))
	for _, g := range first.Grid {
		_, ok, err := target.read(g)
		var bad *BadTrialError
		if errors.As(err, &bad) {
			// out's own copy is unusable: take a shard's.
			if err := os.Remove(bad.Path); err != nil {
				return 0, err
			}
		} else if err != nil {
			return 0, err
		}
		have[g.ID] = ok
	}
	for i, dir := range shards {
		tr := newTrialReader(dir, mans[i])
		for _, g := range first.Grid {
			if have[g.ID] {
				continue
			}
			r, ok, err := tr.read(g)
			if err != nil {
				return 0, fmt.Errorf("shard %s: %w", dir, err)
			}
			if ok {
				if err := saveTrial(out, g.ID, *r); err != nil {
					return 0, err
				}
				have[g.ID] = true
			}
		}
		man := mans[i]
		first.DatasetInfo = mergeInfo(first.DatasetInfo, man.DatasetInfo...)
		first.ElapsedSeconds = max(first.ElapsedSeconds, man.ElapsedSeconds)
		if man.Started < first.Started {
			first.Started = man.Started
		}
		if man.Finished > first.Finished {
			first.Finished = man.Finished
		}
	}
	n := 0
	for _, ok := range have {
		if ok {
			n++
		}
	}
	if err := writeBytes(filepath.Join(out, ConfigFile), text); err != nil {
		return 0, err
	}
	first.TrialsTotal = len(first.Grid)
	first.TrialsDone = n
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
		return n, &IncompleteError{Dir: out, Done: n, Total: first.TrialsTotal, Hint: "run the missing shards, then merge again"}
	}
	return n, nil
}

// sameGrid checks that a shard's grid is the target's, trial for trial.
func sameGrid(shard string, target, grid []gridTrial) error {
	want := make(map[TrialKey]identity, len(target))
	for _, g := range target {
		want[g.key()] = g.ID
	}
	got := make(map[TrialKey]bool, len(grid))
	for _, g := range grid {
		got[g.key()] = true
		id, ok := want[g.key()]
		switch {
		case !ok:
			return &MismatchError{Shard: shard, Key: g.key(), Msg: "is not in the target's grid: the shard was run with another config"}
		case id != g.ID:
			return &MismatchError{Shard: shard, Key: g.key(), Msg: fmt.Sprintf("has identity %.16s, the target's config %.16s: the shard was run with another config, data file or numeric kernel", g.ID.String(), id.String())}
		}
	}
	for _, g := range target {
		if !got[g.key()] {
			return &MismatchError{Shard: shard, Key: g.key(), Msg: "is missing from the shard's grid: the shard was run with another config"}
		}
	}
	return nil
}
