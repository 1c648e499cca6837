package report

import (
	"fmt"
	"math"
	"strconv"

	"albench/results/analysis"
)

func (r reporter) labelsToTarget() {
	a := r.a
	ref, refSeed := "the skyline", "that seed's skyline accuracy"
	if a.NoSkyline {
		ref, refSeed = "the best strategy", "the best final accuracy of any strategy on that seed (the run has no skylines: report.skyline is false)"
	}
	goal := pct(a.Target) + " of " + ref
	r.p("## Labels to %s\n\n", goal)
	r.p("Labels-to-target of a seed: the first number of labels at which its accuracy reaches %s times %s", strconv.FormatFloat(a.Target, 'f', -1, 64), refSeed)
	if !r.m.accuracy() {
		r.p(" (accuracy whatever the report's metric)")
	}
	r.p(". A cell gives its mean over the seeds that reach it, then (seeds that reach it/seeds), then the change against %s's mean: -30%% is 30%% fewer labels. \"never\": no seed reaches it; —: no skyline to compare with. Means are over the seeds that reach the target, so a strategy that reaches it on fewer seeds can look cheaper than it is: read them with the seed counts.\n\n", md(a.Baseline))
	var rows [][]string
	for _, ds := range a.Datasets {
		base := a.Row(ds, a.Baseline)
		row := []string{md(ds)}
		for _, st := range a.AllStrategies() {
			row = append(row, labelsCell(a.Row(ds, st), base, st == a.Baseline))
		}
		rows = append(rows, row)
	}
	r.table(append([]string{"dataset"}, shownAll(a)...), rows, 1)
}

// labelsCell prints one strategy's labels-to-target, "93.0 (10/20) -2%",
// the change against base's mean unless isBase or base never reaches it.
func labelsCell(sr, base *analysis.SummaryRow, isBase bool) string {
	if sr == nil {
		return "—"
	}
	l := sr.LabelsToTarget
	seeds := l.Reached + l.Missed
	switch {
	case seeds == 0:
		return "—"
	case l.Reached == 0:
		return fmt.Sprintf("never (0/%d)", seeds)
	}
	cell := fmt.Sprintf("%.1f (%d/%d)", l.Mean, l.Reached, seeds)
	if isBase || base == nil || base.LabelsToTarget.Reached == 0 {
		return cell
	}
	change := math.Round(100 * (l.Mean/base.LabelsToTarget.Mean - 1))
	if change == 0 {
		return cell + " ±0%"
	}
	return cell + fmt.Sprintf(" %+.0f%%", change)
}
