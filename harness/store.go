package harness

import (
	"albench/internal/atomicfile"
	"albench/results/records"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// trialsDir is the folder of DIR that holds one file per finished trial. The
// result files are assembled from it, so a run that stops half-way loses nothing
// that finished.
const trialsDir = "trials.d"

// storedTrial is the content of a trial file: the trial's identity (see
// identityFormat) and its result.
type storedTrial struct {
	ID identity `json:"id"`
	TrialResult
}

// trialFile is the name of the file of the trial with identity id.
func trialFile(id identity) string { return id.String() + ".json" }

// saveTrial stores a finished trial in dir/trials.d under its identity. JSON keeps
// every float64 exactly (shortest round-trip form), so assembling from the stored
// trials gives the same bytes as assembling from memory.
func saveTrial(dir string, id identity, r TrialResult) error {
	data, err := json.Marshal(storedTrial{ID: id, TrialResult: r})
	if err != nil {
		return err
	}
	return writeBytes(filepath.Join(dir, trialsDir, trialFile(id)), data)
}

// storedTrials lists the trial files of dir by name. Temporary files are not
// listed.
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

// BadTrialError is a stored trial file that cannot be used: it does not parse (a
// truncated file), holds no records, or holds another trial. It names the file
// and the command that recomputes it: a run over the folder removes such a file
// and computes the trial again.
type BadTrialError struct {
	Path string
	Key  TrialKey
	// Rerun is the command that recomputes the trial.
	Rerun string
	Err   error
}

func (e *BadTrialError) Error() string {
	return fmt.Sprintf("%s: trial (%s) is unusable: %v; '%s' recomputes it", e.Path, e.Key, e.Err, e.Rerun)
}

func (e *BadTrialError) Unwrap() error { return e.Err }

// trialReader reads stored trials, reusing its buffers from one file to the next:
// assembling a grid of many trials then makes little garbage.
type trialReader struct {
	dir   string
	rerun string // the command that recomputes a trial of dir, for errors
	buf   bytes.Buffer
	r     storedTrial
}

func newTrialReader(dir string, man Manifest) *trialReader {
	cmd := "albench run -out " + dir
	if man.Shard != "" {
		cmd += " -shard " + man.Shard
	}
	return &trialReader{dir: dir, rerun: cmd + " CONFIG"}
}

// exists reports whether the trial file of g is there, without reading it.
func (tr *trialReader) exists(g gridTrial) bool {
	st, err := os.Stat(filepath.Join(tr.dir, trialsDir, trialFile(g.ID)))
	return err == nil && st.Mode().IsRegular()
}

// read returns the stored trial g; ok is false when there is none. The result is
// valid until the next read. A file that cannot be used is a *BadTrialError.
func (tr *trialReader) read(g gridTrial) (r *TrialResult, ok bool, err error) {
	path := filepath.Join(tr.dir, trialsDir, trialFile(g.ID))
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
	tr.r.ID = identity{}
	tr.r.Key = TrialKey{}
	tr.r.Records, tr.r.Timings, tr.r.Queries = tr.r.Records[:0], tr.r.Timings[:0], tr.r.Queries[:0]
	bad := func(err error) (*TrialResult, bool, error) {
		return nil, false, &BadTrialError{Path: path, Key: g.key(), Rerun: tr.rerun, Err: err}
	}
	if err := json.Unmarshal(tr.buf.Bytes(), &tr.r); err != nil {
		return bad(err)
	}
	if err := checkStored(&tr.r, g); err != nil {
		return bad(err)
	}
	return &tr.r.TrialResult, true, nil
}

// checkStored checks that a parsed trial file is the whole trial g: its identity
// and key, a record per round from 0 on, all of the trial, and a timing per
// record.
func checkStored(st *storedTrial, g gridTrial) error {
	k := g.key()
	switch {
	case st.ID != g.ID:
		return fmt.Errorf("holds identity %.16s, want %.16s", st.ID.String(), g.ID.String())
	case st.Key != k:
		return fmt.Errorf("holds trial (%s)", st.Key)
	case len(st.Records) == 0:
		return errors.New("holds no records")
	case len(st.Timings) != len(st.Records):
		return fmt.Errorf("holds %d timings for %d records", len(st.Timings), len(st.Records))
	case k.Strategy == records.Skyline && len(st.Records) != 1:
		return fmt.Errorf("a skyline holds %d records", len(st.Records))
	}
	for i, r := range st.Records {
		if r.Dataset != k.Dataset || r.Strategy != k.Strategy || r.Seed != k.Seed || r.Round != i {
			return fmt.Errorf("record %d is (%s, %s, %d, round %d)", i, r.Dataset, r.Strategy, r.Seed, r.Round)
		}
	}
	for i, q := range st.Queries {
		if q.Dataset != k.Dataset || q.Strategy != k.Strategy || q.Seed != k.Seed || q.Round < 0 || q.Round >= len(st.Records) {
			return fmt.Errorf("query %d is (%s, %s, %d, round %d)", i, q.Dataset, q.Strategy, q.Seed, q.Round)
		}
	}
	return nil
}

// writeBytes writes data to path atomically (atomicfile.Write).
func writeBytes(path string, data []byte) error {
	return atomicfile.Write(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}
