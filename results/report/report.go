// Package report writes report.md, the Markdown report of a run, from its
// analysis (albench/results/analysis).
package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"albench/results/analysis"
)

// WriteReport writes report.md: the run's description, versions and datasets;
// the AULC, ΔAULC, final-metric, labels-to-target, rank, pairwise, penalty,
// labeling-efficiency and cost tables; the comparison across datasets; the
// figures (relative links into figures/, see Figures) and the config.
// Everything it shows comes from a and meta, so the same inputs give the same
// bytes.
func WriteReport(w io.Writer, a *analysis.Analysis, meta analysis.Meta) error {
	bw := bufio.NewWriter(w)
	newReporter(bw, a, meta).write()
	return bw.Flush()
}

// Figures returns the figure files, without directory and extension, that
// WriteReport links to for a and meta, in the order it links them: the list
// the figure writer must draw.
func Figures(a *analysis.Analysis, meta analysis.Meta) []string {
	r := newReporter(bufio.NewWriter(io.Discard), a, meta)
	var links []string
	r.links = &links
	r.write()
	return links
}

type reporter struct {
	w     *bufio.Writer
	a     *analysis.Analysis
	meta  analysis.Meta
	m     metric
	links *[]string // when not nil, collects the figures linked
}

func newReporter(w *bufio.Writer, a *analysis.Analysis, meta analysis.Meta) reporter {
	return reporter{w: w, a: a, meta: meta, m: metricOf(a)}
}

func (r reporter) write() {
	r.header()
	r.datasets()
	r.aulc()
	r.delta()
	r.figures()
	r.final()
	r.labelsToTarget()
	r.ranks()
	r.pairwise()
	r.penalty()
	r.efficiency()
	r.acrossDatasets()
	r.costs()
	r.config()
}

func (r reporter) p(format string, args ...any) { fmt.Fprintf(r.w, format, args...) }

// md escapes the characters of a name that would break a table cell.
func md(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

func mdAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = md(s)
	}
	return out
}

// table writes a Markdown table (writeTable) and a blank line after it.
func (r reporter) table(head []string, rows [][]string, left int) {
	writeTable(r.w, head, rows, left)
	r.p("\n")
}

// writeTable writes a Markdown table of the cells as given (escape them with
// md first); the first left columns are left-aligned, the others (numbers)
// right-aligned.
func writeTable(w io.Writer, head []string, rows [][]string, left int) {
	fmt.Fprintf(w, "| %s |\n|", strings.Join(head, " | "))
	for i := range head {
		if i < left {
			io.WriteString(w, " --- |")
		} else {
			io.WriteString(w, " ---: |")
		}
	}
	io.WriteString(w, "\n")
	for _, row := range rows {
		fmt.Fprintf(w, "| %s |\n", strings.Join(row, " | "))
	}
}

func (r reporter) config() {
	text := r.meta.ConfigText
	if text == "" {
		return
	}
	// A fence longer than any run of backticks in the config cannot close early.
	longest, run := 0, 0
	for _, c := range text {
		if c == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", max(3, longest+1))
	r.p("## Config\n\n%syaml\n%s\n%s\n", fence, strings.TrimRight(text, "\n"), fence)
}
