package learners

import (
	"fmt"
	"math"
	"math/bits"
)

// MemoryEstimate returns an estimate, in bytes, of the memory a model of the
// resolved spec (Resolve's output) takes to train on up to rows points of
// features columns and classes classes and to score rows points: its parameters
// with every copy the trainer keeps, its working buffers and its outputs. It is
// an upper estimate meant for refusing configs that cannot fit in memory, not an
// accounting: the arithmetic saturates at math.MaxUint64 instead of overflowing,
// so a width of 2^62 gives MaxUint64, never a small number.
//
// With f = features, k = classes, n = rows and 8-byte floats:
//
//	mlp, logreg without solver (layer widths w_0 = f, hidden…, w_L = k):
//	    P = Σ_l (w_l + 1)·w_{l+1} parameters, kept 8 times (weights, gradient,
//	    Adam's two moments, the trial's initial weights, a fork for round 0, the
//	    skyline's net and its gradient);
//	    activations: n·(f + 3·Σ_{l≥1} w_l) (input, each layer's output, delta
//	    and dropout mask) plus the pool's gradient embeddings n·w_{L−1}·k.
//	    bytes = 8·(8P + n·(f + 3·Σ w_l) + n·w_{L−1}·k)
//	logreg, solver lbfgs: P = (f + 1)·k; L-BFGS keeps 10 pairs of vectors.
//	    bytes = 8·(24P + n·(f + 2k))
//	svm: a kernel cache of n² float32 entries (the whole Gram matrix of the
//	    pool), plus for each of the k(k−1)/2 one-vs-one problems α, the
//	    gradient, its shrinking copy, and the decision values of the pool,
//	    and a copy of the training rows.
//	    bytes = 4n² + 8n·(4·k(k−1)/2 + k + f)
//	random_forest: per tree at most min(2⌈n/min_samples_leaf⌉ − 1,
//	    2^(max_depth+1) − 1) nodes of 8·(4 + k) bytes (feature, threshold, two
//	    children, class fractions), plus the working copy of one fit.
//	    bytes = n_estimators·nodes·8(4 + k) + 8n·(f + 4)
//	knn: a copy of the training data and one distance and index per row.
//	    bytes = 8n·(f + 2 + k)
//	gaussian_nb: means and variances per class. bytes = 8·(2kf + k + nk)
//	lda: the centred data and its SVD, means and scalings.
//	    bytes = 8·(2nf + 3f² + 2kf + nk)
//	external: albench's side of a plugin (the plugin's own memory is its
//	    own): the row lists sent and a reply of probabilities, twice.
//	    bytes = 8n·(2k + 4)
//
// It panics if the spec's kind is not registered.
func MemoryEstimate(resolved map[string]any, rows, features, classes int) uint64 {
	n, f, k := nat(rows), nat(features), nat(classes)
	nk := mul(n, k)
	switch kind, _ := resolved["kind"].(string); kind {
	case "mlp":
		widths, _ := resolved["hidden"].([]int)
		return netBytes(n, f, k, widths)
	case "logreg":
		if _, lbfgs := resolved["solver"]; lbfgs {
			params := mul(f+1, k)
			return mul(8, add(mul(24, params), mul(n, add(f, mul(2, k)))))
		}
		return netBytes(n, f, k, nil)
	case "svm":
		pairs := mul(k, k-min(k, 1)) / 2
		return add(mul(4, mul(n, n)), mul(mul(8, n), add(add(mul(4, pairs), k), f)))
	case "random_forest":
		leaf := max(nat(intOr(resolved["min_samples_leaf"], 1)), 1)
		nodes := mul(2, (n+leaf-1)/leaf)
		if d := intOr(resolved["max_depth"], 0); d > 0 && d < 63 {
			nodes = min(nodes, uint64(1)<<(d+1))
		}
		trees := nat(intOr(resolved["n_estimators"], 100))
		return add(mul(mul(trees, nodes), mul(8, 4+k)), mul(mul(8, n), f+4))
	case "knn":
		return mul(mul(8, n), add(f, 2+k))
	case "gaussian_nb":
		return mul(8, add(add(mul(2, mul(k, f)), k), nk))
	case "lda":
		return mul(8, add(add(mul(2, mul(n, f)), mul(3, mul(f, f))), add(mul(2, mul(k, f)), nk)))
	case "external":
		return mul(mul(8, n), add(mul(2, k), 4))
	}
	panic(fmt.Sprintf("learners: MemoryEstimate of unknown kind %v", resolved["kind"]))
}

// netBytes is the estimate of a net with the given hidden widths.
func netBytes(n, f, k uint64, hidden []int) uint64 {
	var params, units uint64
	prev := f
	for _, w := range append(append([]int(nil), hidden...), int(min(k, math.MaxInt))) {
		w := nat(w)
		params = add(params, mul(prev+1, w))
		units = add(units, w)
		prev = w
	}
	last := f
	if len(hidden) > 0 {
		last = nat(hidden[len(hidden)-1])
	}
	act := add(mul(n, add(f, mul(3, units))), mul(mul(n, last), k))
	return mul(8, add(mul(8, params), act))
}

// nat converts a count to uint64, negative counts as 0.
func nat(x int) uint64 {
	if x < 0 {
		return 0
	}
	return uint64(x)
}

func intOr(v any, def int) int {
	if i, ok := v.(int); ok {
		return i
	}
	return def
}

// mul and add saturate at math.MaxUint64.
func mul(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	if hi != 0 {
		return math.MaxUint64
	}
	return lo
}

func add(a, b uint64) uint64 {
	s, carry := bits.Add64(a, b, 0)
	if carry != 0 {
		return math.MaxUint64
	}
	return s
}
