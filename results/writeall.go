package results

import (
	"io"
	"iter"
	"os"
	"path/filepath"
	"runtime"
)

// WriteAll analyses recs and writes into dir: curves.csv, summary.csv,
// ranks.csv, pairwise.csv, friedman.csv, figures/ (PNG and SVG) and report.md, each file
// atomically (temporary file and rename). It is the one entry point of
// `albench run` and `albench report DIR`; trials.csv itself is the caller's.
//
// When meta.Strategies or meta.Datasets is empty, as when a report is rebuilt
// from trials.csv alone, names are shown in sorted order (see Meta).
func WriteAll(dir string, recs []Record, meta Meta) error {
	a, err := Analyze(recs, meta)
	if err != nil {
		return err
	}
	return write(dir, a, meta)
}

// WriteAllSorted is WriteAll for records streamed in trials.csv order (see
// AnalyzeSorted), so that a large grid is never held in memory whole.
func WriteAllSorted(dir string, recs iter.Seq[Record], meta Meta) error {
	a, err := AnalyzeSorted(recs, meta)
	if err != nil {
		return err
	}
	return write(dir, a, meta)
}

// write writes the files of an analysis into dir.
func write(dir string, a *Analysis, meta Meta) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, f := range []struct {
		name  string
		write func(io.Writer) error
	}{
		{"curves.csv", func(w io.Writer) error { return WriteCurves(w, a.Curves) }},
		{"summary.csv", func(w io.Writer) error { return WriteSummary(w, a.Summary) }},
		{"ranks.csv", func(w io.Writer) error { return WriteRanks(w, a.Ranks) }},
		{"pairwise.csv", func(w io.Writer) error { return WritePairwise(w, a.Pairwise) }},
		{"friedman.csv", func(w io.Writer) error { return WriteFriedman(w, a.CrossDataset()) }},
	} {
		if err := WriteFileAtomic(filepath.Join(dir, f.name), f.write); err != nil {
			return err
		}
	}
	// Rendering allocates large canvases; collect what the analysis left first, so
	// a large grid's garbage is not still around when they come (one GC of a few
	// milliseconds).
	runtime.GC()
	if err := WriteFigures(dir, a); err != nil {
		return err
	}
	if err := WriteCDFigures(dir, a); err != nil {
		return err
	}
	return WriteFileAtomic(filepath.Join(dir, "report.md"), func(w io.Writer) error { return WriteReport(w, a, meta) })
}
