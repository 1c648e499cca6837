package report

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"albench/results/analysis"
)

// WriteComparison writes the Markdown comparison of two runs A and B (see
// analysis.CompareRuns): one table row per (dataset, strategy) both ran, with
// their mean AULCs over the common seeds, the paired difference B − A with
// its 95% t-interval and Wilcoxon p, and how many seeds gave identical
// records; then what only one of them ran.
func WriteComparison(w io.Writer, nameA, nameB, metric string, diffs []analysis.RunDiff) error {
	bw := bufio.NewWriter(w)
	if metric == "" {
		metric = "accuracy"
	}
	fmt.Fprintf(bw, "# %s vs %s\n\n", nameA, nameB)
	fmt.Fprintf(bw, "A = `%s`, B = `%s`. AULC of %s over the seeds both ran, paired by seed; "+
		"Δ = B − A with its 95%% Student-t interval; p: two-sided Wilcoxon signed-rank test on the paired differences "+
		"(rounded to %d decimals), uncorrected; identical: seeds whose every record agrees.\n\n",
		nameA, nameB, metric, analysis.StoredDecimals)
	head := []string{"dataset", "strategy", "seeds", "AULC A", "AULC B", "Δ", "95% CI", "p", "identical"}
	var rows [][]string
	var onlyA, onlyB []string
	for _, d := range diffs {
		switch {
		case d.Common == 0 && d.SeedsB == 0:
			onlyA = append(onlyA, fmt.Sprintf("%s/%s (%d seeds)", d.Dataset, d.Strategy, d.SeedsA))
			continue
		case d.Common == 0 && d.SeedsA == 0:
			onlyB = append(onlyB, fmt.Sprintf("%s/%s (%d seeds)", d.Dataset, d.Strategy, d.SeedsB))
			continue
		}
		seeds := strconv.Itoa(d.Common)
		if d.SeedsA != d.Common || d.SeedsB != d.Common {
			seeds += fmt.Sprintf(" (A %d, B %d)", d.SeedsA, d.SeedsB)
		}
		ci := "—"
		if d.Common > 1 {
			ci = fmt.Sprintf("[%+.4f, %+.4f]", d.Delta.CILow, d.Delta.CIHigh)
		}
		p := "—"
		if d.Common > 0 {
			p = strconv.FormatFloat(d.PWilcoxon, 'f', 4, 64)
		}
		rows = append(rows, mdAll([]string{d.Dataset, d.Strategy, seeds,
			fmt.Sprintf("%.4f", d.A.Mean), fmt.Sprintf("%.4f", d.B.Mean), fmt.Sprintf("%+.4f", d.Delta.Mean), ci, p,
			fmt.Sprintf("%d/%d", d.Identical, d.Common)}))
	}
	writeTable(bw, head, rows, 2)
	for _, only := range []struct {
		run   string
		cells []string
	}{{"A", onlyA}, {"B", onlyB}} {
		if len(only.cells) > 0 {
			fmt.Fprintf(bw, "\nOnly in %s: %s.\n", only.run, strings.Join(only.cells, ", "))
		}
	}
	return bw.Flush()
}
