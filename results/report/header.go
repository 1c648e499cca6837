package report

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"albench/results/analysis"
)

func (r reporter) header() {
	m, a := r.meta, r.a
	name := m.Name
	if name == "" {
		name = "albench run"
	}
	r.p("# %s\n\n", name)
	if m.Partial != "" {
		r.p("> **Partial report:** %s\n\n", md(m.Partial))
	}
	if m.Description != "" {
		r.p("%s\n\n", strings.TrimSpace(m.Description))
	}
	seeds := m.Seeds
	if len(seeds) == 0 {
		seeds = a.Seeds
	}
	var rows [][]string
	add := func(k, v string) {
		if v != "" {
			rows = append(rows, []string{k, md(v)})
		}
	}
	add("albench", m.AlbenchVersion)
	add("Go", m.GoVersion)
	add("kernel", m.Kernel)
	if !m.Started.IsZero() {
		add("started", m.Started.UTC().Format(time.RFC3339))
	}
	if m.Elapsed > 0 {
		add("elapsed", m.Elapsed.Round(time.Second).String())
	}
	add("seeds", fmt.Sprintf("%s (%d)", seedRanges(seeds), len(seeds)))
	add("datasets", strings.Join(a.Datasets, ", "))
	add("strategies", strings.Join(a.Strategies, ", "))
	add("oracles", strings.Join(a.Oracles, ", "))
	add("baseline", a.Baseline)
	if !r.m.accuracy() {
		dir := "higher is better"
		if !r.m.higher {
			dir = "lower is better"
		}
		add("metric", r.m.name+" ("+dir+")")
	}
	if a.NoSkyline {
		add("target", fmt.Sprintf("%s of the best strategy's final accuracy (no skylines)", pct(a.Target)))
	} else {
		add("target", fmt.Sprintf("%s of the skyline accuracy", pct(a.Target)))
	}
	r.table([]string{"", ""}, rows, 2)
	r.p("Data: `trials.csv` (every evaluation), `curves.csv`, `summary.csv`, `ranks.csv`, `pairwise.csv`, `friedman.csv`, `penalty.csv`, `efficiency.csv`")
	if m.Delta {
		r.p(", `delta_curves.csv`")
	}
	r.p(".\n\n")
	if len(a.Oracles) > 0 {
		r.p("Oracles (%s) are upper bounds, not strategies: they read the test labels they are scored on. Tables and legends mark them %q; their rows in `curves.csv` and `summary.csv` have `%s` = true. They are compared with %s but never ranked, never in the pairwise wins, outside the Holm corrections and the ΔAULC figure, and the curves draw them dark grey and dash-dotted without a band, a ceiling like the skyline.\n\n",
			md(strings.Join(a.Oracles, ", ")), strings.TrimSpace(analysis.OracleSuffix), analysis.OracleColumn, md(a.Baseline))
	}
}

// datasets writes the table of the datasets' sizes, in display order; none
// without Meta.DatasetInfo (a report rebuilt from trials.csv alone).
func (r reporter) datasets() {
	info := r.meta.DatasetInfo
	if len(info) == 0 {
		return
	}
	r.p("## Datasets\n\n")
	r.p("Rows and features after preparation; pool: the rows strategies query from; test: the held-out rows every model is scored on; majority: the largest class's share of the rows, the accuracy of always predicting it.\n\n")
	order := slices.Clone(info)
	pos := func(name string) int {
		if i := slices.Index(r.a.Datasets, name); i >= 0 {
			return i
		}
		return len(r.a.Datasets)
	}
	slices.SortStableFunc(order, func(x, y analysis.DatasetInfo) int {
		if c := pos(x.Name) - pos(y.Name); c != 0 {
			return c
		}
		return strings.Compare(x.Name, y.Name)
	})
	var rows [][]string
	for _, d := range order {
		rows = append(rows, []string{md(d.Name), strconv.Itoa(d.Rows), strconv.Itoa(d.Features), strconv.Itoa(d.Classes),
			strconv.Itoa(d.Pool), strconv.Itoa(d.Test), fixed3(d.Majority)})
	}
	r.table([]string{"dataset", "rows", "features", "classes", "pool", "test", "majority"}, rows, 1)
}

// shownAll is the strategies then the oracles as tables show them, escaped.
func shownAll(a *analysis.Analysis) []string {
	out := mdAll(a.Strategies)
	for _, st := range a.Oracles {
		out = append(out, md(a.Shown(st)))
	}
	return out
}

// seedRanges prints sorted seeds with consecutive runs joined: "0–7, 11".
func seedRanges(seeds []int) string {
	s := slices.Sorted(slices.Values(seeds))
	var parts []string
	for i := 0; i < len(s); {
		j := i
		for j+1 < len(s) && s[j+1] == s[j]+1 {
			j++
		}
		switch {
		case j == i:
			parts = append(parts, strconv.Itoa(s[i]))
		case j == i+1:
			parts = append(parts, strconv.Itoa(s[i]), strconv.Itoa(s[j]))
		default:
			parts = append(parts, fmt.Sprintf("%d–%d", s[i], s[j]))
		}
		i = j + 1
	}
	return strings.Join(parts, ", ")
}
