package harness

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"albench/results/analysis"
	"albench/results/records"
	"albench/results/report"
)

// CompareRuns writes to w the Markdown comparison of the finished runs in
// folders a and b (`albench report A B`): their trials.csv paired by
// (dataset, strategy, seed), AULCs on metric ("" takes A's report.metric,
// else accuracy). A folder without trials.csv (a run not finished or not
// merged) is an error naming it.
func CompareRuns(w io.Writer, a, b, metric string) error {
	ra, ma, err := finishedRun(a)
	if err != nil {
		return err
	}
	rb, _, err := finishedRun(b)
	if err != nil {
		return err
	}
	if metric == "" {
		metric = ma.Report.Metric
	}
	diffs, err := analysis.CompareRuns(ra, rb, metric)
	if err != nil {
		return fmt.Errorf("%s vs %s: %w", a, b, err)
	}
	return report.WriteComparison(w, a, b, metric, diffs)
}

// finishedRun reads dir's trials.csv and, when there is one, its manifest.
func finishedRun(dir string) ([]records.Record, Manifest, error) {
	man, err := readManifest(dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, man, err
	}
	f, err := os.Open(filepath.Join(dir, "trials.csv"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, man, fmt.Errorf("%s: no trials.csv: not a finished run (resume or merge it first)", dir)
	}
	if err != nil {
		return nil, man, err
	}
	defer f.Close()
	recs, err := records.ReadTrials(f)
	if err != nil {
		return nil, man, fmt.Errorf("%s: %w", dir, err)
	}
	return recs, man, nil
}
