package datasets

import (
	"fmt"
	"math/rand/v2"
	"strconv"

	"albench/internal/fmath"
)

var blobsSource = source{
	Source: Source{
		Name: "make_blobs",
		Doc:  "scikit-learn's make_blobs: isotropic Gaussian clusters, one class per center.",
		Params: []Param{
			{"n_samples", "100", "total points, split evenly over the centers (the first ones get the remainder), or a list of counts per center"},
			{"n_features", "2", "dimension (taken from centers when they are given as a list)"},
			{"centers", "3", "number of centers drawn uniformly in center_box (by default one per count when n_samples is a list), or a list of center coordinates"},
			{"cluster_std", "1.0", "standard deviation of every cluster, or a list with one per center"},
			{"center_box", "[-10, 10]", "bounds [min, max] of every coordinate of a random center"},
			{"shuffle", "true", "shuffle the samples"},
		},
	},
	parse:  parseBlobs,
	random: true,
}

// blobs holds make_blobs' validated parameters.
type blobs struct {
	counts  []int       // samples per center
	d       int         // features
	centers [][]float64 // nil: drawn in box
	nCenter int
	std     []float64 // per center
	lo, hi  float64
	shuffle bool
}

func parseBlobs(p *params, _ string) (Shape, func(*rand.Rand) *Dataset) {
	n0 := len(p.probs)
	b := blobs{d: 2, nCenter: 3, lo: -10, hi: 10}
	nSamples := 100
	countsGiven := false
	if v, ok := p.lookup("n_samples"); ok {
		if list, isList := v.([]any); isList {
			countsGiven = true
			if len(list) == 0 {
				p.add("n_samples", "must be an integer or a non-empty list of counts", v)
			}
			for i, e := range list {
				n, isInt := asInt(e)
				if !isInt || n < 1 {
					p.addTyped("n_samples["+strconv.Itoa(i)+"]", "must be a positive integer", e)
					continue
				}
				b.counts = append(b.counts, n)
			}
			b.nCenter = len(list)
		} else {
			nSamples = p.Int("n_samples", 100, 1)
		}
	}
	_, dGiven := p.lookup("n_features")
	b.d = p.Int("n_features", 2, 1)

	if v, ok := p.lookup("centers"); ok {
		if list, isList := v.([]any); isList {
			b.centers = centerList(p, list, b.d, dGiven)
			if b.centers != nil {
				b.d = len(b.centers[0])
			}
			if countsGiven && len(list) != b.nCenter {
				p.add("centers", fmt.Sprintf("must have one center per n_samples count (%d)", b.nCenter), v)
			}
			b.nCenter = len(list)
		} else {
			n, isInt := asInt(v)
			switch {
			case !isInt:
				p.addTyped("centers", "must be an integer or a list of centers", v)
			case n < 1:
				p.add("centers", "must be at least 1", v)
			case n > maxCells:
				p.add("centers", fmt.Sprintf("must be at most %d", maxCells), v)
			case countsGiven && n != b.nCenter:
				p.add("centers", fmt.Sprintf("must equal the number of n_samples counts (%d)", b.nCenter), v)
			default:
				b.nCenter = n
			}
		}
	}
	if !countsGiven && len(p.probs) == n0 {
		if nSamples < b.nCenter {
			p.add("n_samples", fmt.Sprintf("must be at least the number of centers (%d)", b.nCenter), nSamples)
		} else {
			b.counts = make([]int, b.nCenter)
			for i := range b.counts {
				b.counts[i] = nSamples / b.nCenter
				if i < nSamples%b.nCenter {
					b.counts[i]++
				}
			}
		}
	}

	b.std = make([]float64, max(b.nCenter, 0))
	v, ok := p.lookup("cluster_std")
	if list, isList := v.([]any); ok && isList {
		xs, good := p.FloatList("cluster_std", list)
		switch {
		case !good:
		case len(xs) != b.nCenter:
			p.add("cluster_std", fmt.Sprintf("must have one value per center (%d)", b.nCenter), v)
		default:
			for i, s := range xs {
				if s < 0 {
					p.add("cluster_std["+strconv.Itoa(i)+"]", "must not be negative", s)
				}
			}
			b.std = xs
		}
	} else {
		s := p.NonNegFloat("cluster_std", 1)
		for i := range b.std {
			b.std[i] = s
		}
	}

	if v, ok := p.lookup("center_box"); ok {
		xs, good := p.FloatList("center_box", v)
		switch {
		case !good:
		case len(xs) != 2:
			p.add("center_box", "must be [min, max]", v)
		case xs[0] > xs[1]:
			p.add("center_box", "min must not exceed max", v)
		default:
			b.lo, b.hi = xs[0], xs[1]
		}
	}
	b.shuffle = p.Bool("shuffle", true)

	if len(p.probs) > n0 {
		return Shape{}, nil
	}
	n := 0
	for _, c := range b.counts {
		n += c
	}
	if cells := float64(n) * float64(b.d); cells > maxCells {
		p.add("n_samples", fmt.Sprintf("too large: n_samples × n_features is %.3g, over %d", cells, maxCells), p.m["n_samples"])
		return Shape{}, nil
	}
	return Shape{n, b.d, b.nCenter}, b.generate
}

// centerList reads a list of centers, each a non-empty list of numbers of one
// common length, equal to n_features when that is given.
func centerList(p *params, list []any, d int, dGiven bool) [][]float64 {
	if len(list) == 0 {
		p.add("centers", "must not be an empty list", list)
		return nil
	}
	n0 := len(p.probs)
	out := make([][]float64, len(list))
	for i, e := range list {
		key := "centers[" + strconv.Itoa(i) + "]"
		xs, ok := p.FloatList(key, e)
		if !ok {
			continue
		}
		switch {
		case len(xs) == 0:
			p.add(key, "must not be empty", e)
		case dGiven && len(xs) != d:
			p.add(key, fmt.Sprintf("must have n_features (%d) coordinates", d), e)
		case len(xs) != len(out[0]) && i > 0 && out[0] != nil:
			p.add(key, fmt.Sprintf("must have as many coordinates as centers[0] (%d)", len(out[0])), e)
		}
		out[i] = xs
	}
	if len(p.probs) > n0 {
		return nil
	}
	return out
}

// generate follows sklearn's make_blobs: random centers are
//
//	μ_k[j] ~ U(center_box[0], center_box[1]),
//
// and center k's samples are x = μ_k + σ_k·z with z ~ N(0, I), labeled k, written
// center after center, then shuffled.
func (b blobs) generate(rng *rand.Rand) *Dataset {
	centers := b.centers
	if centers == nil {
		centers = make([][]float64, b.nCenter)
		for k := range centers {
			centers[k] = make([]float64, b.d)
			for j := range centers[k] {
				centers[k][j] = b.lo + float64((b.hi-b.lo)*rng.Float64())
			}
		}
	}
	n := 0
	for _, c := range b.counts {
		n += c
	}
	x := make([]float64, 0, n*b.d)
	y := make([]int, 0, n)
	for k, c := range b.counts {
		for range c {
			for j := range b.d {
				x = append(x, centers[k][j]+float64(b.std[k]*fmath.NormFloat64(rng)))
			}
			y = append(y, k)
		}
	}
	if b.shuffle {
		shuffleRows(x, y, b.d, rng)
	}
	return &Dataset{X: x, N: n, D: b.d, Y: y, Classes: b.nCenter, ClassNames: indexNames(b.nCenter)}
}
