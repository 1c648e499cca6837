package experiments

import (
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"

	"albench/experiments/datasets"
	"albench/streams"
)

// Setup is the data one trial starts from (design §3, steps 1–3). It depends only on
// (dataset, seed): every strategy gets the same Setup for a given seed.
type Setup struct {
	// Dataset is the dataset's name (DatasetSpec.Name).
	Dataset string
	// Features is the number of columns; Classes the number of classes, named by
	// ClassNames.
	Features, Classes int
	ClassNames        []string
	// FeatureNames names the columns when the data has names (a CSV header, the
	// real data sets); nil for generated data.
	FeatureNames []string
	// PoolX holds the pool rows (len(PoolY) × Features, row-major); PoolY their labels.
	PoolX []float64
	PoolY []int
	// TestX and TestY are the held-out test set, laid out like the pool.
	TestX []float64
	TestY []int
	// PoolRows[i] and TestRows[i] are the rows of pool row i and test row i in the
	// dataset as built: the data row of the file counted from 0, or the
	// generator's sample index. queries.csv and `albench data` show them.
	PoolRows, TestRows []int
	// Initial lists the pool rows labeled at the start, in draw order.
	Initial []int
	// Budget is the number of points the trial queries: the protocol's budget,
	// or with budget all the pool size minus the initial set. Rounds is
	// Rounds(Budget, batch), the number of query rounds; with budget all the
	// last round may query fewer than batch points.
	Budget, Rounds int
}

// Prepare builds the data of dataset d for a seed and runs design §3 steps 1–3.
// Each step draws from its own stream, keyed by the dataset's name and the seed, so
// no step's randomness depends on another's or on the strategy:
//
//  1. Build: datasets.Build(source, params, dir, streams.New("data", name, seed)),
//     with dir the directory of c.Path (relative csv paths).
//  2. Split: a stratified hold-out, like scikit-learn's StratifiedShuffleSplit.
//     The test set has n_test = ⌈test_fraction·N⌉ rows (a product within 1e-9 of
//     an integer counts as that integer, so 0.7 of 100 is 70, where scikit-learn's
//     ceil gives 71). They are allocated to the classes in
//     proportion to the class sizes by largest remainder (ties to the lower class),
//     keeping at least one row of every class with two or more in the pool; which
//     rows of a class go to the test set is decided by a shuffle from
//     streams.New("split", name, seed). With split "random" the hold-out ignores the
//     classes, as scikit-learn's train_test_split without stratify does: a uniform
//     permutation of all N rows is drawn from the same stream and its first
//     n_test rows form the test set. Pool and test rows keep the dataset's order.
//  3. Standardize (if the protocol asks): every feature is z-scored with the pool's
//     mean and population standard deviation (ddof 0, like StandardScaler), pool
//     and test alike; a feature constant over the pool is centred, not divided.
//  4. Initial set, from streams.New("initial", name, seed): "uniform" draws
//     `initial` pool rows without replacement; "stratified" allocates them to the
//     classes in proportion to their pool counts by largest remainder, then draws
//     uniformly within each class, class by class; "per_class" draws one row of each
//     class present in the pool first, in class order, then the rest uniformly from
//     the remaining rows; "uniform_all_classes" draws as "uniform" does, and while
//     the set misses a class present in the pool, draws it again from the same
//     stream (continuing the partial shuffle), at most 100000 times: a uniform draw
//     conditioned on every class being present (rejection sampling), as Lu et al.
//     2023 redraw an initial set that misses a class. Its first draw is the
//     "uniform" one, so when that has every class both give the same set.
//  5. Budget: the protocol's budget, or with budget all the pool size minus the
//     initial set; Rounds = ⌈Budget/batch⌉.
//
// Prepare returns an error if the data cannot be built or does not fit the protocol
// (Parse rules both out for a file-based config). It panics if d is out of range.
func Prepare(c *Config, d, seed int) (*Setup, error) {
	pr := c.ProtocolFor(d) // panics on a bad d
	spec := c.Datasets[d]
	key := streams.Seed(seed)
	dir := "."
	if c.Path != "" {
		dir = filepath.Dir(c.Path)
	}
	data, err := datasets.Build(spec.Source, spec.Params, dir, streams.New("data", spec.Name, key))
	if err != nil {
		return nil, fmt.Errorf("experiments: dataset %s, seed %d: %w", spec.Name, seed, err)
	}
	if err := checkData(data); err != nil {
		return nil, fmt.Errorf("experiments: dataset %s, seed %d: %w", spec.Name, seed, err)
	}

	nTest := testCount(data.N, pr.TestFraction)
	var inTest []bool
	if pr.Split == "random" {
		inTest = randomSplit(data.N, nTest, streams.New("split", spec.Name, key))
	} else {
		inTest = split(data.Y, data.Classes, nTest, streams.New("split", spec.Name, key))
	}
	s := &Setup{
		Dataset:    spec.Name,
		Features:   data.D,
		Classes:    data.Classes,
		ClassNames: data.ClassNames,
	}
	if len(data.FeatureNames) == data.D {
		s.FeatureNames = data.FeatureNames
	}
	s.PoolX, s.PoolY, s.PoolRows, s.TestX, s.TestY, s.TestRows = partition(data.X, data.Y, data.D, inTest)
	if err := checkTestClasses(s.TestY, data.Y, data.Classes, pr); err != nil {
		return nil, fmt.Errorf("experiments: dataset %s, seed %d: %w", spec.Name, seed, err)
	}
	if pr.Standardize {
		standardize(s.PoolX, s.TestX, data.D)
	}
	s.Initial, err = drawInitial(s.PoolY, data.Classes, pr.Initial, pr.InitialSampling, streams.New("initial", spec.Name, key))
	if err != nil {
		return nil, fmt.Errorf("experiments: dataset %s, seed %d: %w", spec.Name, seed, err)
	}
	if err := s.resolveBudget(pr); err != nil {
		return nil, fmt.Errorf("experiments: dataset %s, seed %d: %w", spec.Name, seed, err)
	}
	return s, nil
}

// partition splits the n×d rows of x (labels y) into the pool (rows not in
// test) and the test set, each in ascending row order, in place: x and y are
// permuted so that the pool's rows come first, and the two sets are slices of
// them. It holds one row aside, so a million-row dataset is never copied;
// rows lists each set's original row numbers.
func partition(x []float64, y []int, d int, inTest []bool) (poolX []float64, poolY, poolRows []int, testX []float64, testY, testRows []int) {
	n := len(y)
	dest := make([]int, n) // where row i goes
	nPool := 0
	for _, t := range inTest {
		if !t {
			nPool++
		}
	}
	rows := make([]int, n) // rows[j]: the original row at position j
	p, q := 0, nPool
	for i, t := range inTest {
		if t {
			dest[i] = q
			q++
		} else {
			dest[i] = p
			p++
		}
		rows[dest[i]] = i
	}
	// Follow each cycle of the permutation, carrying one row: the carried row
	// (first the cycle's start) goes to its destination, whose row is carried
	// on, until the cycle closes. dest[i] = −1 marks row i as moved.
	carry := make([]float64, d)
	for start := range n {
		if dest[start] < 0 {
			continue
		}
		copy(carry, x[start*d:(start+1)*d])
		cy := y[start]
		for i := start; dest[i] >= 0; {
			j := dest[i]
			dest[i] = -1
			for k := range d {
				x[j*d+k], carry[k] = carry[k], x[j*d+k]
			}
			y[j], cy = cy, y[j]
			i = j
		}
	}
	k := nPool * d
	return x[:k:k], y[:nPool:nPool], rows[:nPool:nPool], x[k:], y[nPool:], rows[nPool:]
}

// checkData rejects a dataset whose arrays disagree with its shape.
func checkData(d *datasets.Dataset) error {
	if d.N < 0 || d.D < 1 || len(d.X) != d.N*d.D || len(d.Y) != d.N || d.Classes < 1 {
		return fmt.Errorf("malformed data: N=%d D=%d Classes=%d with %d values and %d labels",
			d.N, d.D, d.Classes, len(d.X), len(d.Y))
	}
	for i, y := range d.Y {
		if y < 0 || y >= d.Classes {
			return fmt.Errorf("row %d: label %d not in [0, %d)", i, y, d.Classes)
		}
	}
	return nil
}

// testCount is the size of the hold-out, ⌈fraction·n⌉, counting a product within
// rounding error of an integer as that integer.
func testCount(n int, fraction float64) int {
	x := float64(fraction * float64(n))
	k := math.Ceil(x)
	if r := math.Round(x); math.Abs(x-r) <= 1e-9*max(1, math.Abs(x)) {
		k = r
	}
	return min(max(int(k), 0), n)
}

// split marks nTest rows of y for the test set, stratified by class.
func split(y []int, classes, nTest int, rng *rand.Rand) []bool {
	rows := byClass(y, classes)
	take := testQuota(rows, nTest)
	inTest := make([]bool, len(y))
	for c, r := range rows {
		rng.Shuffle(len(r), func(i, j int) { r[i], r[j] = r[j], r[i] })
		for _, i := range r[:take[c]] {
			inTest[i] = true
		}
	}
	return inTest
}

// testQuota is the number of test rows of each class under the stratified split
// of rows (by class) with nTest test rows: allocate in proportion to the class
// sizes, keeping one row of every class of two or more in the pool.
func testQuota(rows [][]int, nTest int) []int {
	counts := make([]int, len(rows))
	limit := make([]int, len(rows))
	for c, r := range rows {
		counts[c] = len(r)
		limit[c] = len(r)
		if len(r) >= 2 {
			limit[c] = len(r) - 1 // keep one in the pool
		}
	}
	return allocate(nTest, counts, limit)
}

// byClass lists the rows of each class in ascending order.
func byClass(y []int, classes int) [][]int {
	// Counted first, so a million rows fill one exact allocation instead of
	// growing every class's slice by doubling.
	count := make([]int, classes)
	for _, c := range y {
		count[c]++
	}
	all := make([]int, len(y))
	rows := make([][]int, classes)
	at := 0
	for c, n := range count {
		rows[c] = all[at : at : at+n]
		at += n
	}
	for i, c := range y {
		rows[c] = append(rows[c], i)
	}
	return rows
}

// allocate divides total among classes in proportion to counts by the largest
// remainder method (Hamilton's): class c first gets
//
//	⌊total·counts[c] / Σcounts⌋
//
// and the units left go one each to the classes with the largest remainders, ties to
// the lower class. No class gets more than limit[c]; units a capped class cannot take
// go, in the same order, to classes with room. The result may sum to less than total
// only if the limits sum to less.
func allocate(total int, counts, limit []int) []int {
	sum := 0
	for _, n := range counts {
		sum += n
	}
	out := make([]int, len(counts))
	if sum == 0 || total <= 0 {
		return out
	}
	rem := make([]int, len(counts))
	left := total
	for c, n := range counts {
		out[c] = min(total*n/sum, limit[c])
		rem[c] = total * n % sum
		left -= out[c]
	}
	order := make([]int, len(counts))
	for c := range order {
		order[c] = c
	}
	// Stable sort by remainder, largest first: ties stay in class order.
	for i := 1; i < len(order); i++ {
		for j := i; j > 0 && rem[order[j]] > rem[order[j-1]]; j-- {
			order[j], order[j-1] = order[j-1], order[j]
		}
	}
	for left > 0 {
		gave := false
		for _, c := range order {
			if left > 0 && out[c] < limit[c] {
				out[c]++
				left--
				gave = true
			}
		}
		if !gave {
			break
		}
	}
	return out
}

// standardize z-scores each of the d columns of pool and test with the pool's mean
// and population standard deviation:
//
//	x' = (x − μ)/σ,  μ = Σx/n,  σ = √(Σ(x − μ)²/n)
//
// leaving σ out for a column constant over the pool.
func standardize(pool, test []float64, d int) {
	n := len(pool) / d
	if n == 0 {
		return
	}
	for j := range d {
		lo, hi, mean := math.Inf(1), math.Inf(-1), 0.0
		for i := range n {
			x := pool[i*d+j]
			mean += x
			lo, hi = min(lo, x), max(hi, x)
		}
		mean /= float64(n)
		std := 1.0
		if lo != hi {
			ss := 0.0
			for i := range n {
				dx := pool[i*d+j] - mean
				ss += float64(dx * dx)
			}
			std = math.Sqrt(ss / float64(n))
		}
		for _, xs := range [][]float64{pool, test} {
			for i := j; i < len(xs); i += d {
				xs[i] = (xs[i] - mean) / std
			}
		}
	}
}

// drawInitial draws the initial labeled pool rows; see Prepare.
func drawInitial(y []int, classes, k int, sampling string, rng *rand.Rand) ([]int, error) {
	if k > len(y) {
		return nil, fmt.Errorf("initial %d exceeds the %d-row pool", k, len(y))
	}
	rows := byClass(y, classes)
	out := make([]int, 0, k)
	switch sampling {
	case "uniform":
		all := make([]int, len(y))
		for i := range all {
			all[i] = i
		}
		out = append(out, pick(all, k, rng)...)
	case "stratified":
		counts := make([]int, classes)
		for c, r := range rows {
			counts[c] = len(r)
		}
		for c, n := range allocate(k, counts, counts) {
			out = append(out, pick(rows[c], n, rng)...)
		}
	case "uniform_all_classes":
		return drawAllClasses(y, rows, k, rng)
	case "per_class":
		present := 0
		for _, r := range rows {
			if len(r) > 0 {
				present++
			}
		}
		if k < present {
			return nil, fmt.Errorf("per_class sampling needs initial ≥ %d, the classes in the pool (got %d)", present, k)
		}
		taken := make([]bool, len(y))
		for _, r := range rows {
			if len(r) > 0 {
				i := r[rng.IntN(len(r))]
				taken[i] = true
				out = append(out, i)
			}
		}
		var rest []int
		for i := range y {
			if !taken[i] {
				rest = append(rest, i)
			}
		}
		out = append(out, pick(rest, k-len(out), rng)...)
	default:
		return nil, fmt.Errorf("unknown initial_sampling %q", sampling)
	}
	return out, nil
}

// pick draws k of xs uniformly without replacement, in draw order, by a partial
// Fisher–Yates shuffle of xs (which it permutes).
func pick(xs []int, k int, rng *rand.Rand) []int {
	for i := range k {
		j := i + rng.IntN(len(xs)-i)
		xs[i], xs[j] = xs[j], xs[i]
	}
	return append([]int(nil), xs[:k]...)
}

// randomSplit marks nTest of n rows for the test set: the first nTest of a
// uniform permutation of 0..n-1.
func randomSplit(n, nTest int, rng *rand.Rand) []bool {
	perm := rng.Perm(n)
	inTest := make([]bool, n)
	for _, i := range perm[:min(max(nTest, 0), n)] {
		inTest[i] = true
	}
	return inTest
}

// maxInitialDraws bounds the redraws of uniform_all_classes sampling.
const maxInitialDraws = 100000

// drawAllClasses draws k of the pool rows uniformly until the draw holds every
// class present in the pool (rows lists the rows of each class); see Prepare.
func drawAllClasses(y []int, rows [][]int, k int, rng *rand.Rand) ([]int, error) {
	present := 0
	for _, r := range rows {
		if len(r) > 0 {
			present++
		}
	}
	if k < present {
		return nil, fmt.Errorf("uniform_all_classes sampling needs initial ≥ %d, the classes in the pool (got %d)", present, k)
	}
	all := make([]int, len(y))
	for i := range all {
		all[i] = i
	}
	stamp := make([]int, len(rows))
	for draw := 1; draw <= maxInitialDraws; draw++ {
		// A partial Fisher–Yates shuffle of the current arrangement: a uniform
		// k-subset in uniform order whatever the previous draws left.
		seen := 0
		for i := range k {
			j := i + rng.IntN(len(all)-i)
			all[i], all[j] = all[j], all[i]
			if c := y[all[i]]; stamp[c] != draw {
				stamp[c] = draw
				seen++
			}
		}
		if seen == present {
			return append([]int(nil), all[:k]...), nil
		}
	}
	return nil, fmt.Errorf("uniform_all_classes sampling: none of %d uniform draws of %d of the %d pool rows had all %d classes; use per_class",
		maxInitialDraws, k, len(y), present)
}

// resolveBudget sets s.Budget and s.Rounds from the protocol.
func (s *Setup) resolveBudget(pr Protocol) error {
	left := len(s.PoolY) - len(s.Initial)
	s.Budget = pr.Budget
	if pr.BudgetAll {
		s.Budget = left
	}
	if s.Budget < 1 || s.Budget > left {
		return fmt.Errorf("budget %d does not fit the %d pool rows left after the %d initial ones", s.Budget, left, len(s.Initial))
	}
	s.Rounds = Rounds(s.Budget, pr.Batch)
	return nil
}

// checkTestClasses rejects an empty test set, and under the stratified split a
// test set without a row of some class of the data (Parse checks what it can
// from the data's shape; the class sizes are known only here).
func checkTestClasses(testY, y []int, classes int, pr Protocol) error {
	if len(testY) == 0 {
		return fmt.Errorf("protocol.test_fraction %g leaves the test set of the %d rows empty", pr.TestFraction, len(y))
	}
	if pr.Split != "stratified" {
		return nil
	}
	inData := make([]bool, classes)
	inTest := make([]bool, classes)
	for _, c := range y {
		inData[c] = true
	}
	for _, c := range testY {
		inTest[c] = true
	}
	for c := range classes {
		if inData[c] && !inTest[c] {
			return fmt.Errorf("protocol.test_fraction %g gives class %d no test row (%d test rows); the stratified split needs one of each class",
				pr.TestFraction, c, len(testY))
		}
	}
	return nil
}
