package datasets

import (
	"fmt"
	"math/rand/v2"
	"strconv"

	"albench/internal/fmath"
)

var classificationSource = source{
	Source: Source{
		Name: "make_classification",
		Doc: "scikit-learn's make_classification (Guyon's Madelon design): Gaussian clusters at " +
			"the vertices of a hypercube in n_informative dimensions, each with a random covariance, " +
			"plus redundant, repeated and useless features and flip_y label noise. Classes = n_classes " +
			"even if weights or flip_y leave a class without samples.",
		Params: []Param{
			{"n_samples", "100", "number of samples (at least n_classes)"},
			{"n_features", "20", "total number of features"},
			{"n_informative", "2", "informative features: the hypercube's dimension"},
			{"n_redundant", "2", "random linear combinations of the informative features"},
			{"n_repeated", "0", "copies of informative or redundant features"},
			{"n_classes", "2", "number of classes (at least 2)"},
			{"n_clusters_per_class", "2", "Gaussian clusters per class"},
			{"weights", "null", "class proportions: n_classes values, or n_classes-1 (the last is 1 minus their sum); null = balanced"},
			{"flip_y", "0.01", "fraction of samples whose label is replaced by a uniformly random class"},
			{"class_sep", "1.0", "half the side of the hypercube"},
			{"hypercube", "true", "clusters on hypercube vertices; false = vertices of a random polytope"},
			{"shift", "0.0", "added to every feature: a number, a list of n_features, or null = U(-class_sep, class_sep) per feature"},
			{"scale", "1.0", "multiplies every feature after the shift: a number, a list, or null = 1 + 100·U(0, 1) per feature"},
			{"shuffle", "true", "shuffle the samples and the features"},
		},
	},
	parse:  parseClassification,
	random: true,
}

// classification holds make_classification's validated parameters.
type classification struct {
	nSamples, nFeatures                 int
	nInformative, nRedundant, nRepeated int
	nClasses, nClustersPerClass         int
	weights                             []float64 // n_classes values; nil = balanced
	flipY, classSep                     float64
	hypercube, shuffle                  bool
	shift, scale                        []float64 // n_features values; nil = random
}

func parseClassification(p *params, _ string) (Shape, func(*rand.Rand) *Dataset) {
	n0 := len(p.probs)
	c := classification{
		nSamples:          p.Int("n_samples", 100, 1),
		nFeatures:         p.Int("n_features", 20, 1),
		nInformative:      p.Int("n_informative", 2, 1),
		nRedundant:        p.Int("n_redundant", 2, 0),
		nRepeated:         p.Int("n_repeated", 0, 0),
		nClasses:          p.Int("n_classes", 2, 2),
		nClustersPerClass: p.Int("n_clusters_per_class", 2, 1),
	}
	intsOK := len(p.probs) == n0
	if intsOK {
		if sum := c.nInformative + c.nRedundant + c.nRepeated; sum > c.nFeatures {
			p.add("n_informative", fmt.Sprintf("n_informative + n_redundant + n_repeated (%d) must not exceed n_features (%d)", sum, c.nFeatures), c.nInformative)
		}
		clusters := float64(c.nClasses) * float64(c.nClustersPerClass)
		if c.nInformative < 62 && clusters > float64(int(1)<<c.nInformative) {
			p.add("n_informative", fmt.Sprintf("n_classes × n_clusters_per_class (%.0f) must not exceed 2^n_informative (%d)", clusters, 1<<c.nInformative), c.nInformative)
		}
		if c.nSamples < c.nClasses {
			p.add("n_samples", fmt.Sprintf("must be at least n_classes (%d)", c.nClasses), c.nSamples)
		}
		cells := float64(float64(c.nSamples)*float64(c.nFeatures)) + float64(clusters*float64(c.nInformative)*float64(c.nInformative))
		if cells > maxCells {
			intsOK = false // no per-feature slices of an absurd length
			p.add("n_samples", fmt.Sprintf("too large: n_samples × n_features + clusters × n_informative² is %.3g, over %d", cells, maxCells), c.nSamples)
		}
	}
	c.flipY = p.Float("flip_y", 0.01)
	if c.flipY < 0 || c.flipY > 1 {
		p.add("flip_y", "must be between 0 and 1", c.flipY)
	}
	c.classSep = p.Float("class_sep", 1.0)
	c.hypercube = p.Bool("hypercube", true)
	c.shuffle = p.Bool("shuffle", true)
	if intsOK {
		c.weights = classWeights(p, c.nClasses)
	}
	c.shift = perFeature(p, "shift", 0, c.nFeatures, intsOK)
	c.scale = perFeature(p, "scale", 1, c.nFeatures, intsOK)
	if len(p.probs) > n0 {
		return Shape{}, nil
	}
	return Shape{c.nSamples, c.nFeatures, c.nClasses}, c.generate
}

// classWeights reads weights: null or absent gives nil (balanced); otherwise
// n_classes proportions, the last inferred as 1 − Σ when n_classes−1 are given,
// as sklearn does.
func classWeights(p *params, k int) []float64 {
	v, ok := p.lookup("weights")
	if !ok || v == nil {
		return nil
	}
	w, ok := p.FloatList("weights", v)
	if !ok {
		return nil
	}
	if len(w) != k && len(w) != k-1 {
		p.add("weights", fmt.Sprintf("must have n_classes (%d) or n_classes-1 values", k), v)
		return nil
	}
	sum := 0.0
	for i, x := range w {
		if x < 0 {
			p.add("weights["+strconv.Itoa(i)+"]", "must not be negative", x)
			return nil
		}
		sum += x
	}
	// A little slack so that [0.7, 0.2, 0.1], whose float sum exceeds 1, passes.
	if sum > 1+1e-9 {
		p.add("weights", "must sum to at most 1", v)
		return nil
	}
	if len(w) == k-1 {
		w = append(w, max(0, 1-sum))
	}
	return w
}

// perFeature reads shift or scale: a number for every feature, a list of
// n_features numbers, or null (nil: drawn at random when generating).
func perFeature(p *params, name string, def float64, d int, dOK bool) []float64 {
	v, ok := p.lookup(name)
	if !ok {
		v = def
	}
	if v == nil {
		return nil
	}
	if list, isList := v.([]any); isList {
		xs, ok := p.FloatList(name, list)
		if ok && dOK && len(xs) != d {
			p.add(name, fmt.Sprintf("must have n_features (%d) values", d), v)
		}
		return xs
	}
	f := p.floatValue(name, v, def)
	if !dOK {
		return nil // n_features is itself a problem
	}
	xs := make([]float64, d)
	for i := range xs {
		xs[i] = f
	}
	return xs
}

// generate draws a make_classification dataset, following scikit-learn 1.2's
// algorithm step for step (Guyon 2003, the Madelon design). With k = n_classes,
// c = n_clusters_per_class and w the class weights, cluster j (class j mod k) gets
//
//	n_j = ⌊n_samples · w[j mod k] / c⌋
//
// samples, the remainder going one by one to clusters 0, 1, .... Its centroid μ_j
// is a distinct hypercube vertex in {−class_sep, +class_sep}^n_informative (scaled
// per cluster and per axis by U(0,1) when hypercube is false), and its samples are
//
//	x = z·A_j + μ_j,   z ~ N(0, I),   A_j[a][b] ~ U(−1, 1).
//
// Redundant features are x_inf·B with B[a][b] ~ U(−1, 1); repeated ones copy
// columns ⌊(n_informative + n_redundant − 1)·U + 0.5⌋; useless ones are N(0, 1).
// A fraction flip_y of labels (each sample with probability flip_y) is replaced by
// a uniform class, then x ← (x + shift) ⊙ scale, and samples and features are
// shuffled.
//
// References: I. Guyon, "Design of experiments for the NIPS 2003 variable selection
// benchmark", 2003; scikit-learn, sklearn/datasets/_samples_generator.py.
func (c classification) generate(rng *rand.Rand) *Dataset {
	n, d, ni, k := c.nSamples, c.nFeatures, c.nInformative, c.nClasses
	weights := c.weights
	if weights == nil {
		weights = make([]float64, k)
		for i := range weights {
			weights[i] = 1 / float64(k)
		}
	}
	nClusters := k * c.nClustersPerClass
	perCluster := make([]int, nClusters)
	total := 0
	for j := range perCluster {
		perCluster[j] = int(float64(n) * weights[j%k] / float64(c.nClustersPerClass))
		total += perCluster[j]
	}
	for i := 0; i < n-total; i++ {
		perCluster[i%nClusters]++
	}

	centroids := hypercube(nClusters, ni, rng)
	for _, row := range centroids {
		for a := range row {
			row[a] = float64(row[a]*2*c.classSep) - c.classSep
		}
	}
	if !c.hypercube {
		for _, row := range centroids {
			u := rng.Float64()
			for a := range row {
				row[a] *= u
			}
		}
		for a := range ni {
			u := rng.Float64()
			for _, row := range centroids {
				row[a] *= u
			}
		}
	}

	x := make([]float64, n*d)
	y := make([]int, n)
	for i := range n {
		for a := range ni {
			x[i*d+a] = fmath.NormFloat64(rng)
		}
	}
	aMat := make([]float64, ni*ni)
	acc := make([]float64, mulBlock*max(ni, c.nRedundant))
	start := 0
	for j, mu := range centroids {
		// sklearn writes clusters into n_samples rows; when weights sum to just
		// over 1 the last clusters are cut short in the same way.
		stop := min(start+perCluster[j], n)
		for i := range aMat {
			aMat[i] = float64(2*rng.Float64()) - 1
		}
		for i := start; i < stop; i++ {
			y[i] = j % k
		}
		mulRows(x, d, start, stop, 0, ni, aMat, ni, 0, acc)
		for i := start; i < stop; i++ {
			row := x[i*d : i*d+ni]
			for b, m := range mu {
				row[b] += m
			}
		}
		start = stop
	}

	if c.nRedundant > 0 {
		nr := c.nRedundant
		bMat := make([]float64, ni*nr)
		for i := range bMat {
			bMat[i] = float64(2*rng.Float64()) - 1
		}
		mulRows(x, d, 0, n, 0, ni, bMat, nr, ni, acc)
	}
	if c.nRepeated > 0 {
		m := ni + c.nRedundant
		src := make([]int, c.nRepeated)
		for r := range src {
			src[r] = int(float64(float64(m-1)*rng.Float64()) + 0.5)
		}
		for i := range n {
			row := x[i*d : (i+1)*d]
			for r, s := range src {
				row[m+r] = row[s]
			}
		}
	}
	useful := ni + c.nRedundant + c.nRepeated
	for i := range n {
		for a := useful; a < d; a++ {
			x[i*d+a] = fmath.NormFloat64(rng)
		}
	}

	// All the uniforms are drawn before the new labels, as in sklearn.
	flip := make([]bool, n)
	for i := range flip {
		flip[i] = rng.Float64() < c.flipY
	}
	for i, f := range flip {
		if f {
			y[i] = rng.IntN(k)
		}
	}

	shift, scale := c.shift, c.scale
	if shift == nil {
		shift = make([]float64, d)
		for a := range shift {
			shift[a] = (float64(2*rng.Float64()) - 1) * c.classSep
		}
	}
	if scale == nil {
		scale = make([]float64, d)
		for a := range scale {
			scale[a] = 1 + float64(100*rng.Float64())
		}
	}
	for i := range n {
		row := x[i*d : (i+1)*d]
		for a := range row {
			row[a] = (row[a] + shift[a]) * scale[a]
		}
	}

	if c.shuffle {
		shuffleRows(x, y, d, rng)
		perm := rng.Perm(d)
		tmp := make([]float64, d)
		for i := range n {
			row := x[i*d : (i+1)*d]
			for a, p := range perm {
				tmp[a] = row[p]
			}
			copy(row, tmp)
		}
	}
	return &Dataset{X: x, N: n, D: d, Y: y, Classes: k, ClassNames: indexNames(k)}
}

// mulBlock is the number of rows mulRows multiplies at a time: a block's
// inputs and sums (2 × 16 × n_informative floats) stay in cache while the
// matrix streams past once per block rather than once per row.
const mulBlock = 16

// mulRows sets, for each row i in [start, stop) of the row-major n×d matrix x,
// the columns [out, out+w) to the product of its columns [in, in+k) with the
// k×w matrix m:
//
//	x[i, out+b] = Σ_a x[i, in+a] · m[a, b],   a = 0..k−1 in order,
//
// which is sklearn's X @ A. Rows go in blocks of mulBlock so that m is read
// once per block, with unit stride; each sum still adds its terms in the
// order of a from an exact 0, so the result is the same to the bit as the
// row-by-row dot products. The output columns must not overlap the input
// columns unless they are the same (out = in, w = k), as for the clusters'
// z·A; acc has room for mulBlock×w sums.
func mulRows(x []float64, d, start, stop, in, k int, m []float64, w, out int, acc []float64) {
	for lo := start; lo < stop; lo += mulBlock {
		hi := min(lo+mulBlock, stop)
		acc := acc[:(hi-lo)*w]
		clear(acc)
		for a := range k {
			mrow := m[a*w : (a+1)*w]
			for i := lo; i < hi; i++ {
				za := x[i*d+in+a]
				sums := acc[(i-lo)*w : (i-lo+1)*w]
				for b, mb := range mrow {
					sums[b] += float64(za * mb)
				}
			}
		}
		for i := lo; i < hi; i++ {
			copy(x[i*d+out:i*d+out+w], acc[(i-lo)*w:(i-lo+1)*w])
		}
	}
}

// hypercube returns `samples` distinct vertices of the unit hypercube {0, 1}^dims
// in random order, as sklearn's _generate_hypercube: the last min(dims, 30)
// coordinates spell distinct integers drawn without replacement from [0, 2^30),
// and any coordinates before them are independent fair bits.
func hypercube(samples, dims int, rng *rand.Rand) [][]float64 {
	out := make([][]float64, samples)
	for i := range out {
		out[i] = make([]float64, dims)
	}
	low := min(dims, 30)
	for _, row := range out {
		for a := range dims - low {
			row[a] = float64(rng.IntN(2))
		}
	}
	codes := sampleWithoutReplacement(1<<low, samples, rng)
	for i, code := range codes {
		for b := range low {
			// Most significant bit first, as numpy's unpackbits.
			out[i][dims-low+b] = float64((code >> (low - 1 - b)) & 1)
		}
	}
	return out
}

// sampleWithoutReplacement draws k distinct integers from [0, pop) in random
// order. k ≤ pop.
func sampleWithoutReplacement(pop, k int, rng *rand.Rand) []int {
	if k > pop {
		panic(fmt.Sprintf("datasets: sampling %d of %d without replacement", k, pop))
	}
	if 2*k >= pop {
		return rng.Perm(pop)[:k]
	}
	seen := make(map[int]bool, k)
	out := make([]int, 0, k)
	for len(out) < k {
		v := rng.IntN(pop)
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}
