package main

import (
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

	"albench/results/records"
	"albench/results/stats"
)

// Strategy labels of configs/lu2023.yaml and the paper's columns they match.
const (
	uniform = "random"
	usC     = "us-c"
	usNC    = "us-nc"
)

// paperColumns maps a strategy label to the prefix of its columns in
// paper.csv.
var paperColumns = map[string]string{uniform: "uniform", usC: "us_c", usNC: "us_nc"}

// options are the command-line flags.
type options struct {
	runDir string
	paper  string
	paperN int
	// columns, when set (-columns), maps the run's strategy labels to paper.csv
	// column prefixes instead of paperColumns, and the output is one row per
	// strategy (writeByStrategy).
	columns map[string]string
	order   []string // the labels of columns in the flag's order
}

func parseFlags(stderr io.Writer, args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("lu2023", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.runDir, "run", "", "albench run folder holding trials.csv (required)")
	fs.StringVar(&o.paper, "paper", "compare/lu2023/paper.csv", "the paper's published means and stds")
	fs.IntVar(&o.paperN, "paper-n", 100, "the paper's trials per dataset where paper.csv has no n_trials column")
	cols := fs.String("columns", "", "label=prefix,... : compare these run labels with these paper.csv columns, one row per strategy")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if *cols != "" {
		o.columns = map[string]string{}
		for _, kv := range strings.Split(*cols, ",") {
			label, prefix, ok := strings.Cut(kv, "=")
			if !ok || label == "" || prefix == "" {
				return o, fmt.Errorf("-columns: %q is not label=prefix", kv)
			}
			if _, dup := o.columns[label]; dup {
				return o, fmt.Errorf("-columns: label %q given twice", label)
			}
			o.columns[label] = prefix
			o.order = append(o.order, label)
		}
		if _, ok := o.columns[uniform]; !ok {
			return o, fmt.Errorf("-columns: needs %s=<the paper's Uniform column>, the baseline of every Δ", uniform)
		}
	}
	if o.runDir == "" || fs.NArg() != 0 {
		return o, errors.New("usage: lu2023 -run DIR [-paper FILE] [-paper-n N]")
	}
	if o.paperN < 2 {
		return o, fmt.Errorf("-paper-n %d: need at least 2 trials", o.paperN)
	}
	return o, nil
}

// published is one strategy's AUBC on one dataset as the paper reports it.
type published struct{ mean, std float64 }

// paperRow is one dataset of paper.csv.
type paperRow struct {
	dataset string
	n       int                  // trials behind each mean
	cols    map[string]published // by albench strategy label
}

// readPaper reads paper.csv (columns dataset, <col>_mean, <col>_std for the
// columns of paperColumns, optionally n_trials). Lines starting with '#' are
// comments.
func readPaper(path string, defaultN int, columns map[string]string) ([]paperRow, error) {
	if columns == nil {
		columns = paperColumns
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.Comment = '#'
	rows, err := cr.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	// Row numbers in errors count data rows after the header, not file lines
	// (the comments above the header are skipped).
	if len(rows) < 2 {
		return nil, fmt.Errorf("%s: no datasets", path)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	if _, ok := col["dataset"]; !ok {
		return nil, fmt.Errorf("%s: no dataset column", path)
	}
	var out []paperRow
	for li, r := range rows[1:] {
		pr := paperRow{dataset: r[col["dataset"]], n: defaultN, cols: map[string]published{}}
		num := func(name string) (float64, error) {
			v, err := strconv.ParseFloat(r[col[name]], 64)
			if err != nil {
				return 0, fmt.Errorf("%s: data row %d (%s): %s: %w", path, li+1, pr.dataset, name, err)
			}
			return v, nil
		}
		if _, ok := col["n_trials"]; ok {
			v, err := strconv.Atoi(r[col["n_trials"]])
			if err != nil || v < 2 {
				return nil, fmt.Errorf("%s: data row %d (%s): n_trials %q: want an integer ≥ 2", path, li+1, pr.dataset, r[col["n_trials"]])
			}
			pr.n = v
		}
		for label, prefix := range columns {
			if _, ok := col[prefix+"_mean"]; !ok {
				continue
			}
			m, err := num(prefix + "_mean")
			if err != nil {
				return nil, err
			}
			s, err := num(prefix + "_std")
			if err != nil {
				return nil, err
			}
			pr.cols[label] = published{m, s}
		}
		out = append(out, pr)
	}
	return out, nil
}

// trialScores are one (dataset, strategy)'s per-seed AUBCs, sorted by seed.
type trialScores struct {
	seeds       []int
	aulc, paper []float64
}

// readCurves reads trials.csv and returns the AUBCs of every (dataset,
// strategy) but the skyline, keyed "dataset\x00strategy".
func readCurves(r io.Reader) (map[string]*trialScores, error) {
	recs, err := records.ReadTrials(r)
	if err != nil {
		return nil, err
	}
	recs = slices.DeleteFunc(recs, func(r records.Record) bool { return r.Strategy == records.Skyline })
	slices.SortStableFunc(recs, func(a, b records.Record) int {
		if c := strings.Compare(a.Dataset, b.Dataset); c != 0 {
			return c
		}
		if c := strings.Compare(a.Strategy, b.Strategy); c != 0 {
			return c
		}
		if a.Seed != b.Seed {
			return a.Seed - b.Seed
		}
		return a.Round - b.Round
	})
	out := map[string]*trialScores{}
	for i := 0; i < len(recs); {
		j := i
		for j < len(recs) && recs[j].Dataset == recs[i].Dataset && recs[j].Strategy == recs[i].Strategy && recs[j].Seed == recs[i].Seed {
			j++
		}
		x := make([]float64, 0, j-i)
		a := make([]float64, 0, j-i)
		for k := i; k < j; k++ {
			if recs[k].Round != k-i {
				return nil, fmt.Errorf("trials.csv: %s %s seed %d: rounds are not 0, 1, 2, ... (round %d at position %d)",
					recs[i].Dataset, recs[i].Strategy, recs[i].Seed, recs[k].Round, k-i)
			}
			if k > i && recs[k].NLabeled <= recs[k-1].NLabeled {
				return nil, fmt.Errorf("trials.csv: %s %s seed %d: n_labeled does not increase at round %d",
					recs[i].Dataset, recs[i].Strategy, recs[i].Seed, recs[k].Round)
			}
			x = append(x, float64(recs[k].NLabeled))
			a = append(a, recs[k].Accuracy)
		}
		if len(x) < 2 {
			return nil, fmt.Errorf("trials.csv: %s %s seed %d: no queries", recs[i].Dataset, recs[i].Strategy, recs[i].Seed)
		}
		key := recs[i].Dataset + "\x00" + recs[i].Strategy
		ts := out[key]
		if ts == nil {
			ts = &trialScores{}
			out[key] = ts
		}
		ts.seeds = append(ts.seeds, recs[i].Seed)
		ts.aulc = append(ts.aulc, albenchAULC(x, a))
		ts.paper = append(ts.paper, paperAUBC(x, a))
		i = j
	}
	return out, nil
}

// paired returns the paper-style AUBCs of a and b on the seeds both have,
// in seed order.
func paired(a, b *trialScores) (x, y []float64) {
	j := 0
	for i, s := range a.seeds {
		for j < len(b.seeds) && b.seeds[j] < s {
			j++
		}
		if j < len(b.seeds) && b.seeds[j] == s {
			x = append(x, a.paper[i])
			y = append(y, b.paper[j])
		}
	}
	return x, y
}

// versus is a strategy's paired comparison with Uniform on one dataset.
type versus struct {
	delta float64 // mean of strategy − Uniform, paper-style AUBC
	n     int     // seeds both have
	p     float64 // Wilcoxon signed-rank p, Holm-corrected over the dataset's strategies
}

// compareWithUniform tests every strategy of dataset but Uniform against
// Uniform on the paper-style AUBC, paired by seed: the two-sided Wilcoxon
// signed-rank test (stats.SignedRank) with Holm's correction (stats.Holm) over
// the strategies of the dataset in the run, oracles apart (raw p).
func compareWithUniform(trials map[string]*trialScores, dataset string) map[string]versus {
	base := trials[dataset+"\x00"+uniform]
	if base == nil {
		return nil
	}
	var labels []string
	for key := range trials {
		d, s, _ := strings.Cut(key, "\x00")
		if d == dataset && s != uniform {
			labels = append(labels, s)
		}
	}
	slices.Sort(labels)
	out := map[string]versus{}
	p := make([]float64, len(labels))
	for i, s := range labels {
		x, y := paired(trials[dataset+"\x00"+s], base)
		d := stats.Diff(x, y)
		v := versus{n: len(d), delta: math.NaN()}
		if len(d) > 0 {
			v.delta = stats.Describe(d).Mean
		}
		p[i] = stats.SignedRank(d).P
		out[s] = v
	}
	// Holm's family is the strategies: an oracle (a label starting "oracle", as
	// configs/survey.yaml's oracle_greedy and oracle_bso) keeps its raw p and
	// does not weaken the others', as albench's own report does.
	var family []int
	var fp []float64
	for i, s := range labels {
		if strings.HasPrefix(s, "oracle") {
			v := out[s]
			v.p = p[i]
			out[s] = v
			continue
		}
		family = append(family, i)
		fp = append(fp, p[i])
	}
	for k, q := range stats.Holm(fp) {
		v := out[labels[family[k]]]
		v.p = q
		out[labels[family[k]]] = v
	}
	return out
}

// cell is one strategy's comparison with the paper on one dataset.
type cell struct {
	ok                bool // the run has the strategy on the dataset
	n                 int
	aulc, paper       stats.Summary
	z                 float64 // (albench paper-style − paper) / SE
	agree             bool
	havePaper         bool
	paperMean, paperS float64
}

func compareCell(trials map[string]*trialScores, pr paperRow, label string) cell {
	var c cell
	pub, ok := pr.cols[label]
	if ok {
		c.havePaper, c.paperMean, c.paperS = true, pub.mean, pub.std
	}
	ts := trials[pr.dataset+"\x00"+label]
	if ts == nil {
		return c
	}
	c.ok, c.n = true, len(ts.seeds)
	c.aulc, c.paper = stats.Describe(ts.aulc), stats.Describe(ts.paper)
	c.z = math.NaN()
	if c.havePaper && c.n >= 2 {
		se := combinedSE(c.paper.Std, c.n, pub.std, pr.n)
		c.z = (c.paper.Mean - pub.mean) / se
		c.agree = agrees(c.paper.Mean, pub.mean, se)
	}
	return c
}

const dash = "—"

func meanStd(m, s float64) string {
	if math.IsNaN(s) {
		return fmt.Sprintf("%.4f", m)
	}
	return fmt.Sprintf("%.4f ± %.4f", m, s)
}

// cells formats a cell as: paper, albench AULC, albench paper-style, z, agree.
func (c cell) cells() []string {
	out := []string{dash, dash, dash, dash, dash}
	if c.havePaper {
		out[0] = meanStd(c.paperMean, c.paperS)
	}
	if !c.ok {
		return out
	}
	out[1] = meanStd(c.aulc.Mean, c.aulc.Std)
	out[2] = meanStd(c.paper.Mean, c.paper.Std)
	if !math.IsNaN(c.z) {
		out[3] = fmt.Sprintf("%+.1f", c.z)
		out[4] = "no"
		if c.agree {
			out[4] = "yes"
		}
	}
	return out
}

func (v versus) cells(ok bool) []string {
	if !ok || v.n == 0 {
		return []string{dash, dash}
	}
	p := dash
	if !math.IsNaN(v.p) {
		p = strconv.FormatFloat(v.p, 'g', 2, 64)
	}
	return []string{fmt.Sprintf("%+.4f", v.delta), p}
}

func row(w io.Writer, cells ...[]string) {
	var all []string
	for _, c := range cells {
		all = append(all, c...)
	}
	fmt.Fprintf(w, "| %s |\n", strings.Join(all, " | "))
}

// tally counts the agreeing cells.
type tally struct{ agree, compared int }

func (t *tally) add(c cell) {
	if c.ok && !math.IsNaN(c.z) {
		t.compared++
		if c.agree {
			t.agree++
		}
	}
}

// writeTables prints the Uniform and US-C table and the US-NC table.
func writeTables(w io.Writer, paper []paperRow, trials map[string]*trialScores) error {
	inPaper := map[string]bool{}
	for _, pr := range paper {
		inPaper[pr.dataset] = true
	}
	fmt.Fprintln(w, "## Uniform and US-C")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| dataset | n (albench/paper) | paper Uniform | albench Uniform AULC | albench Uniform paper-style | z | agree | paper US-C | albench US-C AULC | albench US-C paper-style | z | agree | ΔAUBC US-C − Uniform | p (Wilcoxon, Holm) |")
	fmt.Fprintln(w, "|:--|:-:|--:|--:|--:|--:|:-:|--:|--:|--:|--:|:-:|--:|--:|")
	var tu, tc, tn tally
	for _, pr := range paper {
		u, c := compareCell(trials, pr, uniform), compareCell(trials, pr, usC)
		vs := compareWithUniform(trials, pr.dataset)
		v, ok := vs[usC]
		tu.add(u)
		tc.add(c)
		row(w, []string{pr.dataset, nCell(max(u.n, c.n), pr.n)}, u.cells(), c.cells(), v.cells(ok))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "## US-NC")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| dataset | n (albench/paper) | paper US-NC | albench US-NC AULC | albench US-NC paper-style | z | agree | ΔAUBC US-NC − Uniform | p (Wilcoxon, Holm) |")
	fmt.Fprintln(w, "|:--|:-:|--:|--:|--:|--:|:-:|--:|--:|")
	for _, pr := range paper {
		c := compareCell(trials, pr, usNC)
		v, ok := compareWithUniform(trials, pr.dataset)[usNC]
		tn.add(c)
		row(w, []string{pr.dataset, nCell(c.n, pr.n)}, c.cells(), v.cells(ok))
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "Agree (|albench paper-style − paper| ≤ 3·SE + %.3f): Uniform %d of %d, US-C %d of %d, US-NC %d of %d.\n",
		agreeSlack, tu.agree, tu.compared, tc.agree, tc.compared, tn.agree, tn.compared)
	fmt.Fprintln(w, "z = (albench paper-style mean − paper mean) / √(s_a²/n_a + s_p²/n_p). The paper-style AUBC leaves out the initial point and divides by the number of queries; albench's AULC starts at the initial set. ΔAUBC and p pair the seeds of the run on the paper-style AUBC; Holm corrects over the strategies of each dataset against Uniform.")
	var extra []string
	for key := range trials {
		d, _, _ := strings.Cut(key, "\x00")
		if !inPaper[d] && !slices.Contains(extra, d) {
			extra = append(extra, d)
		}
	}
	if len(extra) > 0 {
		slices.Sort(extra)
		fmt.Fprintf(w, "Not in the paper's table (left out): %s.\n", strings.Join(extra, ", "))
	}
	return nil
}

func nCell(na, np int) string {
	if na == 0 {
		return fmt.Sprintf("%s/%d", dash, np)
	}
	return fmt.Sprintf("%d/%d", na, np)
}

// writeByStrategy prints one row per strategy of order (the -columns labels):
// per dataset of paper, albench's paper-style mean against the paper's, z and
// agreement, and albench's paired ΔAUBC against Uniform with its Holm-corrected
// Wilcoxon p. A label the paper has no column for (an albench-only strategy)
// shows albench's numbers alone.
func writeByStrategy(w io.Writer, paper []paperRow, trials map[string]*trialScores, order []string) error {
	head := []string{"strategy"}
	align := []string{":--"}
	for _, pr := range paper {
		head = append(head, pr.dataset)
		align = append(align, "--:")
	}
	head = append(head, "agree")
	align = append(align, ":-:")
	fmt.Fprintf(w, "| %s |\n|%s|\n", strings.Join(head, " | "), strings.Join(align, "|"))
	vs := map[string]map[string]versus{}
	for _, pr := range paper {
		vs[pr.dataset] = compareWithUniform(trials, pr.dataset)
	}
	for _, label := range order {
		cells := []string{label}
		var t tally
		for _, pr := range paper {
			c := compareCell(trials, pr, label)
			t.add(c)
			cells = append(cells, strategyCell(c, vs[pr.dataset][label], label == uniform))
		}
		agree := dash
		if t.compared > 0 {
			agree = fmt.Sprintf("%d/%d", t.agree, t.compared)
		}
		fmt.Fprintf(w, "| %s |\n", strings.Join(append(cells, agree), " | "))
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "Each cell: albench's paper-style AUBC mean / the paper's (z, ✓ when |z·SE| ≤ 3·SE + %.3f); below, albench's paired ΔAUBC against Uniform and its Wilcoxon p, Holm-corrected over the strategies of the dataset. — : not run, or not in the paper.\n", agreeSlack)
	return nil
}

// strategyCell formats one (strategy, dataset) of writeByStrategy.
func strategyCell(c cell, v versus, baseline bool) string {
	if !c.ok {
		if c.havePaper {
			return fmt.Sprintf("— / %.4f", c.paperMean)
		}
		return dash
	}
	s := fmt.Sprintf("%.4f", c.paper.Mean)
	if c.havePaper {
		s += fmt.Sprintf(" / %.4f", c.paperMean)
		if !math.IsNaN(c.z) {
			mark := "✗"
			if c.agree {
				mark = "✓"
			}
			s += fmt.Sprintf(" (%+.1f %s)", c.z, mark)
		}
	}
	if !baseline && v.n > 0 {
		s += fmt.Sprintf("<br>Δ %+.4f, p %s", v.delta, strconv.FormatFloat(v.p, 'g', 2, 64))
	}
	return s
}
