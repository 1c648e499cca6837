// Package results writes everything albench derives from a run's records:
// the tables of albench/results/analysis, the figures and the report of
// albench/results/report, each file atomically. Its packages split the work:
// records (the rows of trials.csv, timings.csv and queries.csv), metrics
// (scoring a prediction), analysis (curves, summaries and tests), stats (the
// statistical tests) and report (report.md).
package results

import (
	"errors"
	"io"
	"io/fs"
	"iter"
	"os"
	"path/filepath"
	"runtime"

	"albench/internal/atomicfile"
	"albench/results/analysis"
	"albench/results/records"
	"albench/results/report"
)

// WriteAll analyses recs and writes into dir: curves.csv, summary.csv,
// ranks.csv, pairwise.csv, friedman.csv, penalty.csv, efficiency.csv,
// delta_curves.csv (when meta.Delta), figures/ and report.md, each file
// atomically (temporary file and rename). It is the one entry point of
// `albench run` and `albench report DIR`; trials.csv itself is the caller's.
//
// When meta.Strategies or meta.Datasets is empty, as when a report is rebuilt
// from trials.csv alone, names are shown in sorted order (see analysis.Meta).
func WriteAll(dir string, recs []records.Record, meta analysis.Meta) error {
	a, err := analysis.Analyze(recs, meta)
	if err != nil {
		return err
	}
	return write(dir, a, meta)
}

// WriteAllSorted is WriteAll for records streamed in trials.csv order (see
// analysis.AnalyzeSorted), so that a large grid is never held in memory whole.
func WriteAllSorted(dir string, recs iter.Seq[records.Record], meta analysis.Meta) error {
	a, err := analysis.AnalyzeSorted(recs, meta)
	if err != nil {
		return err
	}
	return write(dir, a, meta)
}

// DeltaCurvesFile holds the paired Δ-vs-baseline curves when Meta.Delta asks
// for them.
const DeltaCurvesFile = "delta_curves.csv"

// write writes the files of an analysis into dir.
func write(dir string, a *analysis.Analysis, meta analysis.Meta) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, f := range []struct {
		name  string
		write func(io.Writer) error
	}{
		{"curves.csv", func(w io.Writer) error { return analysis.WriteCurves(w, a.Curves) }},
		{"summary.csv", func(w io.Writer) error { return analysis.WriteSummary(w, a.Summary, a.Metric) }},
		{"ranks.csv", func(w io.Writer) error { return analysis.WriteRanks(w, a.Ranks) }},
		{"pairwise.csv", func(w io.Writer) error { return analysis.WritePairwise(w, a.Pairwise) }},
		{"friedman.csv", func(w io.Writer) error { return analysis.WriteFriedman(w, a.CrossDataset()) }},
		{"penalty.csv", func(w io.Writer) error { return analysis.WritePenalty(w, a.Penalty) }},
		{"efficiency.csv", func(w io.Writer) error { return analysis.WriteEfficiency(w, a.Efficiency) }},
		{DeltaCurvesFile, func(w io.Writer) error { return analysis.WriteDeltaCurves(w, a.DeltaCurves) }},
	} {
		if f.name == DeltaCurvesFile && !meta.Delta {
			// An earlier report's, with report.delta since turned off: it would
			// no longer match the rest.
			if err := os.Remove(filepath.Join(dir, f.name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
			continue
		}
		if err := atomicfile.Write(filepath.Join(dir, f.name), f.write); err != nil {
			return err
		}
	}
	// Rendering allocates large canvases; collect what the analysis left first, so
	// a large grid's garbage is not still around when they come (one GC of a few
	// milliseconds).
	runtime.GC()
	if err := WriteFigures(dir, a, meta); err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(dir, "report.md"), func(w io.Writer) error { return report.WriteReport(w, a, meta) })
}
