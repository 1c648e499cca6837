package analysis

import (
	"io"
	"strconv"

	"albench/results/stats"
)

// Penalty is the pairwise penalty matrix of Ash, Zhang, Krishnamurthy,
// Langford & Agarwal (2020, "Deep Batch Active Learning by Diverse, Uncertain
// Gradient Lower Bounds", ICLR, §5 and Fig. 3): on every dataset and at every
// budget point after the first query, a paired two-sided t-test over the
// seeds compares each ordered pair of strategies on the metric, and
//
//	P[i][j] = Σ_datasets (1/L) · #{budget points where i beats j},
//
// L being the dataset's number of budget points, so that each dataset adds
// at most 1: P[i][j] counts in how many datasets' worth of budget i beats j
// at level Alpha. Column j's sum says how often j is beaten: small is good.
// Only the seeds on which every strategy of the dataset ran, and the points
// all of them reached with the same number of labels, take part. Oracles
// are left out.
type Penalty struct {
	Strategies []string    // Analysis.Strategies
	P          [][]float64 // P[i][j]: i beats j
	// Datasets is the number of datasets that took part (with two or more
	// strategies, two or more common seeds and one or more budget points):
	// the largest value an entry can have.
	Datasets int
}

// PenaltyHeader is the header row of penalty.csv.
var PenaltyHeader = []string{"a", "b", "n_datasets", "penalty"}

func (a *Analysis) penalty() Penalty {
	k := len(a.Strategies)
	p := Penalty{Strategies: a.Strategies, P: make([][]float64, k)}
	for i := range p.P {
		p.P[i] = make([]float64, k)
	}
	higher := a.HigherIsBetter()
	for _, ds := range a.Datasets {
		var rows []int // indices into Strategies of those that ran on ds
		var seeds []int
		for i, st := range a.Strategies {
			s := a.seedsOf(ds, st)
			if len(s) == 0 {
				continue
			}
			if rows == nil {
				seeds = s
			} else {
				seeds = intersect(seeds, s)
			}
			rows = append(rows, i)
		}
		if len(rows) < 2 || len(seeds) < 2 {
			continue
		}
		curves := make([][]*trial, len(rows))
		points := -1
		for r, i := range rows {
			curves[r] = make([]*trial, len(seeds))
			for s, seed := range seeds {
				t := a.trials[trialKey{ds, a.Strategies[i], seed}]
				curves[r][s] = t
				if points < 0 || len(t.nLabeled) < points {
					points = len(t.nLabeled)
				}
			}
		}
		// Budget points 1..L−1 where every curve has the same n_labeled.
		var at []int
		for q := 1; q < points; q++ {
			n := curves[0][0].nLabeled[q]
			same := true
			for _, c := range curves {
				for _, t := range c {
					same = same && t.nLabeled[q] == n
				}
			}
			if same {
				at = append(at, q)
			}
		}
		if len(at) == 0 {
			continue
		}
		p.Datasets++
		sub := make([][]float64, len(rows))
		for r := range sub {
			sub[r] = make([]float64, len(rows))
		}
		acc := make([][]float64, len(rows))
		for r := range acc {
			acc[r] = make([]float64, len(seeds))
		}
		w := 1 / float64(len(at))
		for _, q := range at {
			for r, c := range curves {
				for s, t := range c {
					acc[r][s] = t.metric(a.Metric)[q]
				}
			}
			stats.AddPenalties(sub, acc, w, Alpha, higher)
		}
		for r, i := range rows {
			for c, j := range rows {
				p.P[i][j] += sub[r][c]
			}
		}
	}
	return p
}

// intersect returns the sorted ints in both sorted a and b.
func intersect(a, b []int) []int {
	var out []int
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			out = append(out, a[i])
			i, j = i+1, j+1
		}
	}
	return out
}

// WritePenalty writes p as penalty.csv: one row per ordered pair (a, b) of
// distinct strategies, penalty = P[a][b] (a beats b).
func WritePenalty(w io.Writer, p Penalty) error {
	var out [][]string
	for i, x := range p.Strategies {
		for j, y := range p.Strategies {
			if i != j {
				out = append(out, []string{x, y, strconv.Itoa(p.Datasets), formatOpt(p.P[i][j])})
			}
		}
	}
	return writeCSV(w, PenaltyHeader, out)
}
