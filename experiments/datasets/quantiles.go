package datasets

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"albench/internal/fmath"
)

var quantilesSource = source{
	Source: Source{
		Name: "make_gaussian_quantiles",
		Doc: "scikit-learn's make_gaussian_quantiles: an isotropic Gaussian cut into n_classes " +
			"nested shells of equal size by distance from the mean (Zhu et al. 2009).",
		Params: []Param{
			{"n_samples", "100", "number of samples (at least n_classes)"},
			{"n_features", "2", "dimension"},
			{"n_classes", "3", "number of classes (at least 2)"},
			{"mean", "null", "the Gaussian's mean, a list of n_features numbers; null = the origin"},
			{"cov", "1.0", "the covariance is cov times the identity (cov > 0)"},
			{"shuffle", "true", "shuffle the samples"},
		},
	},
	parse:  parseQuantiles,
	random: true,
}

// quantiles holds make_gaussian_quantiles' validated parameters.
type quantiles struct {
	n, d, k int
	mean    []float64
	cov     float64
	shuffle bool
}

func parseQuantiles(p *params, _ string) (Shape, func(*rand.Rand) *Dataset) {
	n0 := len(p.probs)
	q := quantiles{
		n: p.Int("n_samples", 100, 1),
		d: p.Int("n_features", 2, 1),
		k: p.Int("n_classes", 3, 2),
	}
	intsOK := len(p.probs) == n0
	if intsOK && q.n < q.k {
		p.add("n_samples", fmt.Sprintf("must be at least n_classes (%d)", q.k), q.n)
	}
	if cells := float64(q.n) * float64(q.d); intsOK && cells > maxCells {
		p.add("n_samples", fmt.Sprintf("too large: n_samples × n_features is %.3g, over %d", cells, maxCells), q.n)
	}
	if v, ok := p.lookup("mean"); ok && v != nil {
		xs, good := p.FloatList("mean", v)
		if good && intsOK && len(xs) != q.d {
			p.add("mean", fmt.Sprintf("must have n_features (%d) values", q.d), v)
		}
		q.mean = xs
	}
	q.cov = p.Float("cov", 1)
	if q.cov <= 0 {
		p.add("cov", "must be positive", p.m["cov"])
	}
	q.shuffle = p.Bool("shuffle", true)
	if len(p.probs) > n0 {
		return Shape{}, nil
	}
	return Shape{q.n, q.d, q.k}, q.generate
}

// generate follows sklearn's make_gaussian_quantiles (after Zhu, Zou, Rosset and
// Hastie, "Multi-class AdaBoost", 2009): draw x ~ N(mean, cov·I), sort the samples
// by squared distance from the mean (ties by draw order), and with
// step = ⌊n_samples / n_classes⌋ label the sorted samples
//
//	0 × step, 1 × step, ..., (n_classes−1) × step, then n_classes−1 for the rest,
//
// so class k is the k-th shell of the χ² distribution's quantiles; then shuffle.
func (q quantiles) generate(rng *rand.Rand) *Dataset {
	sd := math.Sqrt(q.cov)
	x := make([]float64, q.n*q.d)
	dist := make([]float64, q.n)
	for i := range q.n {
		for j := range q.d {
			z := float64(sd * fmath.NormFloat64(rng))
			m := 0.0
			if q.mean != nil {
				m = q.mean[j]
			}
			x[i*q.d+j] = m + z
			dist[i] += float64(z * z)
		}
	}
	order := make([]int, q.n)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(dist[a], dist[b]) })
	sorted := make([]float64, len(x))
	for r, i := range order {
		copy(sorted[r*q.d:(r+1)*q.d], x[i*q.d:(i+1)*q.d])
	}
	y := make([]int, q.n)
	step := q.n / q.k
	for r := range y {
		y[r] = min(r/step, q.k-1)
	}
	if q.shuffle {
		shuffleRows(sorted, y, q.d, rng)
	}
	return &Dataset{X: sorted, N: q.n, D: q.d, Y: y, Classes: q.k, ClassNames: indexNames(q.k)}
}
