package harness

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"albench/internal/atomicfile"
	"albench/results"
)

// An output folder is albench's when it holds manifest.json, or only the names
// albench itself creates before writing one (ownNames). Everything albench writes
// there besides the trials, config.yaml and manifest.json is derived from the
// trials and rebuilt by every run (derivedNames); a run removes those first, so an
// interrupted run never leaves an older config's results beside the new
// manifest.

// ErrFolder marks an output folder albench refuses to write: one holding files
// albench did not write, a project's root, or an unreadable manifest.json. The CLI
// exits 2 for it.
var ErrFolder = errors.New("refusing the output folder")

// discardDir is where -force moves a folder's old contents before removing them.
const discardDir = ".albench-discard"

// manifestFile records what wrote a folder.
const manifestFile = "manifest.json"

// logsDir holds the stderr of the trials' plugins (docs/plugin-protocol.md §8).
const logsDir = "logs"

// ownNames may be in a folder without a manifest: albench made them.
var ownNames = []string{lockFile, trialsDir, discardDir, ConfigFile, logsDir}

// derivedNames are the files of a run folder assembled from its trials. A test
// checks that a run writes nothing else besides ownNames and the manifest.
var derivedNames = []string{
	"trials.csv", "timings.csv", "queries.csv",
	"curves.csv", "summary.csv", "ranks.csv", "pairwise.csv", "friedman.csv", "penalty.csv", "efficiency.csv",
	results.DeltaCurvesFile, "report.md", "figures",
}

// projectMarkers are files of a source tree, never of a run folder: a folder
// holding one is refused even with -force, which would move the project aside.
var projectMarkers = []string{".git", "go.mod", ".hg", ".svn"}

// claim makes dir albench's for the caller's lifetime: it creates dir, refuses it
// if it is a file system root, the home folder or a project root, holds files albench did not write or has an
// unreadable manifest (unless force), takes the lock, and tidies it: with force,
// everything but the lock goes; otherwise the derived files, temporary files a
// killed process left and any leftover of an interrupted -force. It returns the
// old manifest (ok false if none) and the function that releases the lock.
func claim(dir string, force bool) (release func(), old Manifest, ok bool, err error) {
	if abs, err := filepath.Abs(dir); err == nil {
		home, _ := os.UserHomeDir()
		if abs == filepath.Dir(abs) || (home != "" && abs == filepath.Clean(home)) {
			return nil, old, false, fmt.Errorf("%s: %w: a file system root or home folder is never a run folder; choose another -out (runs/NAME is the default)", dir, ErrFolder)
		}
	}
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return nil, old, false, err
	}
	check := func() error {
		ents, err := os.ReadDir(dir)
		if err != nil {
			return err
		}
		var foreign []string
		for _, e := range ents {
			if slices.Contains(projectMarkers, e.Name()) {
				return fmt.Errorf("%s: %w: it holds %s, so it is a source tree, not a run folder; choose another -out (runs/NAME is the default)", dir, ErrFolder, e.Name())
			}
			if e.Name() != manifestFile && !slices.Contains(ownNames, e.Name()) {
				foreign = append(foreign, e.Name())
			}
		}
		m, err := readManifest(dir)
		switch {
		case err == nil:
			old, ok = m, true
		case errors.Is(err, fs.ErrNotExist):
			if len(foreign) > 0 && !force {
				if len(foreign) > 3 {
					foreign = append(foreign[:3], "…")
				}
				return fmt.Errorf("%s: %w: it is neither empty nor written by albench (no %s, holds %s); use -force to discard its contents", dir, ErrFolder, manifestFile, strings.Join(foreign, ", "))
			}
		default:
			if !force {
				return fmt.Errorf("%w: %w; use -force to discard the folder's contents", ErrFolder, err)
			}
		}
		return nil
	}
	if err := check(); err != nil { // before creating the lock file in it
		return nil, old, false, err
	}
	release, err = lockDir(dir)
	if err != nil {
		return nil, old, false, err
	}
	defer func() {
		if err != nil {
			release()
		}
	}()
	old, ok = Manifest{}, false
	if err := check(); err != nil { // what the previous holder left
		return nil, old, false, err
	}
	if force {
		return release, Manifest{}, false, discardAll(dir)
	}
	if err := tidy(dir); err != nil {
		return nil, old, false, err
	}
	return release, old, ok, nil
}

// discardAll removes everything in dir but the lock. It first moves each entry
// into discardDir, manifest.json last, so that at every instant the folder holds
// either the old manifest with (some of) its files, or no manifest and only
// albench's names: an interrupted -force is finished by the next run.
func discardAll(dir string) error {
	trash := filepath.Join(dir, discardDir)
	if err := os.RemoveAll(trash); err != nil {
		return err
	}
	if err := os.Mkdir(trash, 0o777); err != nil {
		return err
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	slices.SortStableFunc(ents, func(a, b fs.DirEntry) int {
		return boolInt(a.Name() == manifestFile) - boolInt(b.Name() == manifestFile)
	})
	for _, e := range ents {
		if e.Name() == lockFile || e.Name() == discardDir {
			continue
		}
		if err := os.Rename(filepath.Join(dir, e.Name()), filepath.Join(trash, e.Name())); err != nil {
			return err
		}
	}
	return os.RemoveAll(trash)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// tidy removes from dir the derived files, the temporary files of a killed
// process (in dir and trials.d) and what an interrupted -force left.
func tidy(dir string) error {
	if err := os.RemoveAll(filepath.Join(dir, discardDir)); err != nil {
		return err
	}
	for _, name := range derivedNames {
		if err := os.RemoveAll(filepath.Join(dir, name)); err != nil {
			return err
		}
	}
	for _, d := range []string{dir, filepath.Join(dir, trialsDir)} {
		ents, err := os.ReadDir(d)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
		for _, e := range ents {
			if atomicfile.IsTemp(e.Name()) {
				if err := os.Remove(filepath.Join(d, e.Name())); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
