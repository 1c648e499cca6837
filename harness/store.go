package harness

import (
	"bytes"
	"io"

	"albench/results"

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

// saveTrial stores a finished trial in dir/trials.d. JSON keeps every float64
// exactly (shortest round-trip form), so assembling from the stored trials gives
// the same bytes as assembling from memory.
func saveTrial(dir string, r TrialResult) error {
	data, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return writeBytes(filepath.Join(dir, trialsDir, r.Key.fileName()), data)
}

// storedTrials lists the trial files of dir by name. Run uses it to skip finished
// trials without reading them, so resuming a large grid costs a directory listing.
// Temporary files left by a killed run are not listed.
func storedTrials(dir string) (map[string]bool, error) {
	out := make(map[string]bool)
	entries, err := os.ReadDir(filepath.Join(dir, trialsDir))
	if errors.Is(err, fs.ErrNotExist) {
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		name := e.Name()
		if !e.IsDir() && !strings.HasPrefix(name, ".") && strings.HasSuffix(name, ".json") {
			out[name] = true
		}
	}
	return out, nil
}

// trialReader reads stored trials, reusing its buffers from one file to the next:
// assembling a grid of many trials then makes little garbage.
type trialReader struct {
	dir string
	buf bytes.Buffer
	r   TrialResult
}

// exists reports whether the trial of key k is stored.
func (tr *trialReader) exists(k TrialKey) bool {
	_, err := os.Stat(filepath.Join(tr.dir, trialsDir, k.fileName()))
	return err == nil
}

// read returns the stored trial of key k; ok is false when there is none. The
// result is valid until the next read. A stored file that does not parse, or
// holds another trial, is an error naming it.
func (tr *trialReader) read(k TrialKey) (r *TrialResult, ok bool, err error) {
	path := filepath.Join(tr.dir, trialsDir, k.fileName())
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	tr.buf.Reset()
	_, err = tr.buf.ReadFrom(f)
	f.Close()
	if err != nil {
		return nil, false, err
	}
	// Unmarshal reuses the slices' capacity.
	tr.r.Records, tr.r.Timings = tr.r.Records[:0], tr.r.Timings[:0]
	if err := json.Unmarshal(tr.buf.Bytes(), &tr.r); err != nil {
		return nil, false, fmt.Errorf("%s: %w", path, err)
	}
	if tr.r.Key != k {
		return nil, false, fmt.Errorf("%s: holds trial (%s), not (%s)", path, tr.r.Key, k)
	}
	return &tr.r, true, nil
}

// writeBytes writes data to path atomically (results.WriteFileAtomic).
func writeBytes(path string, data []byte) error {
	return results.WriteFileAtomic(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}
