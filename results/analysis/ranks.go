package analysis

import (
	"cmp"
	"io"
	"math"
	"slices"

	"albench/results/stats"
)

// RankRow is one row of ranks.csv: a strategy's rank by mean AULC on each
// dataset (1 = best: highest, lowest for log-loss; ties within TieTolerance
// sharing their average rank) and
// the mean of those ranks over the datasets it ran on. Oracles
// (Analysis.Oracles) have no row and do not take part in any rank.
type RankRow struct {
	Strategy string
	// ByDataset holds the rank on each of Analysis.Datasets, NaN where the
	// strategy did not run.
	ByDataset []float64
	Datasets  int
	MeanRank  float64
}

// PairRow is one row of pairwise.csv: over the datasets both strategies ran
// on (with at least one common seed), on how many A's AULC beats B's
// significantly: A's mean paired AULC difference is in A's favour (positive,
// negative for log-loss) and the paired Wilcoxon signed-rank test over seeds
// has p < Alpha (uncorrected). Oracles
// are in no pair.
type PairRow struct {
	A, B     string
	Datasets int
	Wins     int
}

// RanksHeader and PairwiseHeader are the header rows of ranks.csv and
// pairwise.csv.
var (
	RanksHeader    = []string{"strategy", "n_datasets", "mean_rank"}
	PairwiseHeader = []string{"a", "b", "n_datasets", "a_wins"}
)

func (a *Analysis) ranks() []RankRow {
	rows := make([]RankRow, len(a.Strategies))
	for i, st := range a.Strategies {
		rows[i] = RankRow{Strategy: st, ByDataset: make([]float64, len(a.Datasets))}
		for j := range rows[i].ByDataset {
			rows[i].ByDataset[j] = math.NaN()
		}
	}
	for j, ds := range a.Datasets {
		type entry struct {
			row  int
			mean float64
		}
		var es []entry
		for i, st := range a.Strategies {
			// Oriented so that larger is better (log-loss is negated).
			if m := a.meanAULC(ds, st); !math.IsNaN(m) {
				es = append(es, entry{i, float64(m * a.better())})
			}
		}
		// Best first; equal means keep display order, which does not change
		// the shared rank.
		slices.SortStableFunc(es, func(x, y entry) int { return cmp.Compare(y.mean, x.mean) })
		for k := 0; k < len(es); {
			l := k + 1
			for l < len(es) && es[k].mean-es[l].mean <= TieTolerance {
				l++
			}
			r := float64(k+1+l) / 2 // mean of ranks k+1..l
			for m := k; m < l; m++ {
				rows[es[m].row].ByDataset[j] = r
			}
			k = l
		}
	}
	for i := range rows {
		var sum float64
		for _, r := range rows[i].ByDataset {
			if !math.IsNaN(r) {
				sum += r
				rows[i].Datasets++
			}
		}
		rows[i].MeanRank = math.NaN()
		if rows[i].Datasets > 0 {
			rows[i].MeanRank = sum / float64(rows[i].Datasets)
		}
	}
	return rows
}

// meanAULC is the mean AULC over the seeds of (dataset, strategy), NaN if it
// did not run.
func (a *Analysis) meanAULC(dataset, strategy string) float64 {
	var v []float64
	for _, seed := range a.Seeds {
		if x, ok := a.aulc[dsKey{dataset, strategy}][seed]; ok {
			v = append(v, x)
		}
	}
	return stats.Describe(v).Mean
}

func (a *Analysis) pairwise() []PairRow {
	var rows []PairRow
	for _, x := range a.Strategies {
		for _, y := range a.Strategies {
			if x == y {
				continue
			}
			r := PairRow{A: x, B: y}
			for _, ds := range a.Datasets {
				_, _, d := a.paired(ds, x, y)
				if len(d) == 0 {
					continue
				}
				r.Datasets++
				if float64(stats.Describe(d).Mean*a.better()) > 0 && stats.SignedRank(rounded(d)).P < Alpha {
					r.Wins++
				}
			}
			rows = append(rows, r)
		}
	}
	return rows
}

// WriteRanks writes rows as ranks.csv; mean_rank is empty for a strategy
// that ran on no dataset.
func WriteRanks(w io.Writer, rows []RankRow) error {
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = []string{r.Strategy, itoa(r.Datasets), formatOpt(r.MeanRank)}
	}
	return writeCSV(w, RanksHeader, out)
}

// WritePairwise writes rows as pairwise.csv.
func WritePairwise(w io.Writer, rows []PairRow) error {
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = []string{r.A, r.B, itoa(r.Datasets), itoa(r.Wins)}
	}
	return writeCSV(w, PairwiseHeader, out)
}
