package report

import (
	"strconv"

	"albench/results/analysis"
)

// penalty writes Ash et al.'s pairwise penalty matrix with its column means.
func (r reporter) penalty() {
	pm := r.a.Penalty
	k := len(pm.Strategies)
	if k < 2 || pm.Datasets == 0 {
		return
	}
	r.p("## Penalty matrix\n\n")
	r.p("The pairwise penalty matrix of Ash et al. (2020, \"Deep Batch Active Learning by Diverse, Uncertain Gradient Lower Bounds\", §5): on each dataset, at each of its L budget points after the first query, a two-sided paired t-test over seeds (α = %g) compares the test %s of every two strategies, and a win of the row's adds 1/L to its cell; summed over the %s, a cell is the datasets' worth of budget on which the row beats the column (at most %d). The last rows, each column's sum and its mean over the other strategies, say how often a strategy is beaten: lower is better.\n\n",
		analysis.Alpha, r.m.name, plural(pm.Datasets, "dataset"), pm.Datasets)
	head := append([]string{"row beats column"}, mdAll(pm.Strategies)...)
	var rows [][]string
	for i, x := range pm.Strategies {
		row := []string{md(x)}
		for j := range pm.Strategies {
			if i == j {
				row = append(row, "—")
				continue
			}
			row = append(row, fixed2(pm.P[i][j]))
		}
		rows = append(rows, row)
	}
	sum, mean := []string{"beaten: sum"}, []string{"beaten: mean"}
	for j := range pm.Strategies {
		s := 0.0
		for i := range pm.Strategies {
			if i != j {
				s += pm.P[i][j]
			}
		}
		sum, mean = append(sum, fixed2(s)), append(mean, fixed2(s/float64(k-1)))
	}
	r.table(head, append(rows, sum, mean), 1)
	r.fig(figPenalty, "penalty matrix", "", "\n\n")
}

func fixed2(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }

// plural prints "1 dataset", "2 datasets".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
