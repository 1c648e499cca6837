// Command lu2023 compares an albench run of configs/lu2023.yaml with the
// summary table of Lu, Chen, Lin et al., "Re-benchmarking Pool-Based Active
// Learning for Binary Classification" (TMLR 2023, arXiv:2306.08954).
//
// Usage:
//
//	go run ./compare/lu2023 -run DIR [-paper compare/lu2023/paper.csv]
//	go run ./compare/lu2023 -run DIR -paper compare/survey/paper.csv -columns random=uniform,us-c=us_c,...
//
// It reads DIR/trials.csv, computes per (dataset, strategy, seed) the AUBC of
// the accuracy curve in both normalisations (albench's AULC and the paper's,
// see paperAUBC) and prints Markdown tables, one row per dataset of paper.csv
// in its order: the paper's mean ± std, albench's in both normalisations, the
// difference albench (paper-style) − paper in units of the combined standard
// error, an "agree" flag (|difference| ≤ 3·SE + 0.005), and albench's paired
// ΔAUBC against Uniform (paper-style) with its Wilcoxon signed-rank p,
// Holm-corrected over the run's strategies of that dataset.
//
// The strategy labels are those of configs/lu2023.yaml: random (the paper's
// Uniform), us-c and us-nc. The paper's number of trials per dataset comes
// from paper.csv's n_trials column (100 on the small sets and 10 on the large
// ones, as the authors' results/analysis.py aligns them); without the column
// every dataset counts as -paper-n trials.
//
// With -columns label=prefix,... (configs/survey.yaml's strategies against every
// column of the paper's table, compare/survey/paper.csv) it prints instead one
// row per strategy and one column per dataset (writeByStrategy).
package main

import (
	"fmt"
	"io"
	"os"
)

func main() {
	if err := run(os.Stdout, os.Stderr, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "lu2023:", err)
		os.Exit(1)
	}
}

// run is main without the process: flags in args, the tables on stdout.
func run(stdout, stderr io.Writer, args []string) error {
	opt, err := parseFlags(stderr, args)
	if err != nil {
		return err
	}
	paper, err := readPaper(opt.paper, opt.paperN, opt.columns)
	if err != nil {
		return err
	}
	f, err := os.Open(opt.runDir + "/trials.csv")
	if err != nil {
		return err
	}
	defer f.Close()
	trials, err := readCurves(f)
	if err != nil {
		return err
	}
	if opt.columns != nil {
		return writeByStrategy(stdout, paper, trials, opt.order)
	}
	return writeTables(stdout, paper, trials)
}
