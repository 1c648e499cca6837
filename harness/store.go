package harness

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// trialsDir is the folder of DIR that holds one file per finished trial. The
// result files are assembled from it, so a run that stops half-way loses nothing
// that finished.
const trialsDir = "trials.d"

// fileName is a trial's file: a hash of its key, so any dataset or strategy name
// gives a portable file name.
func (k TrialKey) fileName() string {
	h := sha256.Sum256([]byte(fmt.Sprintf("%q/%q/%d", k.Dataset, k.Strategy, k.Seed)))
	return hex.EncodeToString(h[:8]) + ".json"
}

// WriteFileAtomic writes data to path so that a reader, or a run killed at any
// instant, sees either the old file or the whole new one: it writes a temporary
// file in the same folder, syncs it and renames it over path.
func WriteFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// saveTrial stores a finished trial in dir/trials.d. JSON keeps every float64
// exactly (shortest round-trip form), so assembling from the stored trials gives
// the same bytes as assembling from memory.
func saveTrial(dir string, r TrialResult) error {
	data, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return WriteFileAtomic(filepath.Join(dir, trialsDir, r.Key.fileName()), data)
}

// loadTrials reads every stored trial of dir, keyed by TrialKey. Temporary files
// left by a killed run are ignored; a stored file that does not parse is an error
// naming it.
func loadTrials(dir string) (map[TrialKey]TrialResult, error) {
	out := make(map[TrialKey]TrialResult)
	entries, err := os.ReadDir(filepath.Join(dir, trialsDir))
	if errors.Is(err, fs.ErrNotExist) {
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || strings.HasPrefix(name, ".") || !strings.HasSuffix(name, ".json") {
			continue
		}
		path := filepath.Join(dir, trialsDir, name)
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		var r TrialResult
		if err := json.Unmarshal(data, &r); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if r.Key.fileName() != name {
			return nil, fmt.Errorf("%s: holds trial (%s), which belongs in %s", path, r.Key, r.Key.fileName())
		}
		out[r.Key] = r
	}
	return out, nil
}
