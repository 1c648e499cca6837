package report

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"albench/results/analysis"
)

func (r reporter) ranks() {
	a := r.a
	if len(a.Ranks) == 0 {
		return
	}
	r.p("## Ranks\n\n")
	r.p("Rank of each strategy's mean %s on each dataset (1 = best", r.m.aulc())
	if !r.m.higher {
		r.p(", the lowest")
	}
	r.p("; ties share their average rank), and the mean over datasets; best mean rank first.")
	if len(a.Oracles) > 0 {
		r.p(" Oracles are not ranked.")
	}
	r.p("\n\n")
	order := slices.Clone(a.Ranks)
	slices.SortStableFunc(order, func(x, y analysis.RankRow) int {
		// NaN (ran nowhere) last.
		return cmp.Compare(nanLast(x.MeanRank), nanLast(y.MeanRank))
	})
	head := append([]string{"strategy", "mean rank"}, mdAll(a.Datasets)...)
	var rows [][]string
	for _, rr := range order {
		row := []string{md(rr.Strategy), meanRank(rr.MeanRank)}
		for _, v := range rr.ByDataset {
			row = append(row, rankStr(v))
		}
		rows = append(rows, row)
	}
	r.table(head, rows, 1)
}

func nanLast(v float64) float64 {
	if math.IsNaN(v) {
		return math.Inf(1)
	}
	return v
}

func (r reporter) pairwise() {
	a := r.a
	if len(a.Strategies) < 2 {
		return
	}
	better := "higher"
	if !r.m.higher {
		better = "lower"
	}
	r.p("## Pairwise wins\n\n")
	r.p("Datasets on which the row's %s beats the column's: %s mean and a paired Wilcoxon signed-rank test over seeds with p < %g (uncorrected), out of the datasets both ran on.", r.m.aulc(), better, analysis.Alpha)
	if len(a.Oracles) > 0 {
		r.p(" Oracles are left out.")
	}
	r.p("\n\n")
	head := append([]string{"row beats column"}, mdAll(a.Strategies)...)
	var rows [][]string
	for _, x := range a.Strategies {
		row := []string{md(x)}
		for _, y := range a.Strategies {
			i := slices.IndexFunc(a.Pairwise, func(p analysis.PairRow) bool { return p.A == x && p.B == y })
			if i < 0 {
				row = append(row, "—")
				continue
			}
			row = append(row, fmt.Sprintf("%d/%d", a.Pairwise[i].Wins, a.Pairwise[i].Datasets))
		}
		rows = append(rows, row)
	}
	r.table(head, rows, 1)
	r.fig(figPairwise, "pairwise wins", "", "\n\n")
}
