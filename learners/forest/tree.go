package forest

import (
	"math"
	"math/rand/v2"
	"slices"

	"albench/internal/fmath"
)

// featureThreshold is scikit-learn's FEATURE_THRESHOLD: float32 values closer than
// this are treated as equal, so no threshold falls between them, and a feature whose
// range in a node is within it is constant there.
const featureThreshold float32 = 1e-7

// epsilon is numpy's float64 machine epsilon, the tolerance of scikit-learn's tree
// builder: a node with impurity ≤ epsilon is pure.
const epsilon = 0x1p-52

// node is one node of a tree in the flat representation: an internal node sends a
// row x to left when float64(float32(x[feature])) ≤ threshold and to right otherwise;
// a leaf has feature −1 and its class fractions at values[value : value+classes].
// left and right index the Model's node slice.
type node struct {
	feature     int32
	left, right int32
	value       int32
	threshold   float64
}

// task is a node waiting on the builder's stack: samples[start:end], its depth, its
// parent's index (−1 for the root) and side, its impurity, and how many features are
// known to be constant in it (the first nConst of features and constFeatures).
type task struct {
	start, end int
	depth      int
	parent     int32
	isLeft     bool
	impurity   float64
	nConst     int
}

// split is the best split found at a node: rows samples[start:pos] go left.
type split struct {
	pos                         int
	feature                     int
	threshold                   float64
	improvement                 float64
	impurityLeft, impurityRight float64
}

// builder grows the trees of one Fit. It owns every buffer, reused from tree to tree.
type builder struct {
	s        settings
	n, d, k  int
	xs       []float32 // column-major float32 features: xs[f·n + i]
	xkey     []uint32  // orderKey(xs[·]), same layout
	y        []int
	counts   []int     // bootstrap draws of each row
	w        []float64 // sample weight of each row: its draw count, or 1
	wTotal   float64   // Σ w
	samples  []int32   // rows with w > 0, permuted in place into node ranges
	keys     []uint64  // sort buffer: orderKey(value)<<32 | row
	vals     []float32 // feature values of samples[p] after the sort
	features []int     // scikit-learn's features array, a permutation of 0..d−1
	consts   []int     // scikit-learn's constant_features
	stack    []task

	sumTotal, sumLeft []float64 // weighted class counts of the node and its left part
	wNode, wLeft      float64

	rng *rand.Rand
}

// newBuilder converts x to the float32 column-major layout once for all trees.
func newBuilder(s settings, rows, cols int, data []float64, y []int, classes int, rng *rand.Rand) *builder {
	b := &builder{
		s: s, n: rows, d: cols, k: classes,
		xs:       make([]float32, rows*cols),
		xkey:     make([]uint32, rows*cols),
		y:        y,
		counts:   make([]int, rows),
		w:        make([]float64, rows),
		samples:  make([]int32, rows),
		keys:     make([]uint64, rows),
		vals:     make([]float32, rows),
		features: make([]int, cols),
		consts:   make([]int, cols),
		sumTotal: make([]float64, classes),
		sumLeft:  make([]float64, classes),
		rng:      rng,
	}
	for i := range rows {
		for f := range cols {
			v := float32(data[i*cols+f])
			b.xs[f*rows+i] = v
			b.xkey[f*rows+i] = orderKey(v)
		}
	}
	return b
}

// orderKey maps a float32 to a uint32 with the same order (for non-NaN values):
// negative numbers have all bits flipped, non-negative ones the sign bit set.
func orderKey(v float32) uint32 {
	u := math.Float32bits(v)
	if u&0x80000000 != 0 {
		return ^u
	}
	return u | 0x80000000
}

// fromOrderKey inverts orderKey.
func fromOrderKey(u uint32) float32 {
	if u&0x80000000 != 0 {
		return math.Float32frombits(u &^ 0x80000000)
	}
	return math.Float32frombits(^u)
}

// grow appends one tree to m, drawing its bootstrap sample and feature subsets from
// b.rng, and returns its depth (scikit-learn's tree_.max_depth).
//
// The nodes are numbered in scikit-learn's depth-first order (a node, then its left
// subtree, then its right subtree), so a tree's node list can be compared with
// tree_.feature and tree_.threshold.
func (b *builder) grow(m *Model) int {
	b.sample()
	return b.build(m)
}

// sample draws the tree's sample: bootstrap counts as weights
// (forest._parallel_build_trees), or all rows with weight 1. Only rows of positive
// weight enter samples (Splitter.init), and features starts as the identity.
func (b *builder) sample() {
	if b.s.bootstrap {
		clear(b.counts)
		for range b.n {
			b.counts[b.rng.IntN(b.n)]++
		}
	}
	b.weigh()
}

// weigh sets the weights, samples and features of a tree from b.counts (with
// bootstrap) or to all rows with weight 1.
func (b *builder) weigh() {
	b.samples = b.samples[:0]
	b.wTotal = 0
	for i := range b.n {
		w := 1.0
		if b.s.bootstrap {
			w = float64(b.counts[i])
		}
		b.w[i] = w
		b.wTotal += w
		if w != 0 {
			b.samples = append(b.samples, int32(i))
		}
	}
	for f := range b.features {
		b.features[f] = f
	}
}

// build grows the tree of the current sample into m and returns its depth.
func (b *builder) build(m *Model) int {
	root := int32(len(m.nodes))
	maxDepth := 0
	first := true
	b.stack = append(b.stack[:0], task{start: 0, end: len(b.samples), parent: -1, impurity: math.Inf(1)})
	for len(b.stack) > 0 {
		t := b.stack[len(b.stack)-1]
		b.stack = b.stack[:len(b.stack)-1]

		nNode := t.end - t.start
		b.initNode(t.start, t.end)
		isLeaf := t.depth >= b.s.maxDepth || nNode < b.s.minSplit || nNode < 2*b.s.minLeaf
		if first {
			t.impurity = b.impurity(b.sumTotal, b.wNode)
			first = false
		}
		isLeaf = isLeaf || t.impurity <= epsilon
		var sp split
		nConst := t.nConst
		if !isLeaf {
			sp = b.splitNode(t.start, t.end, t.impurity, &nConst)
			// min_impurity_decrease is 0: a leaf only if no split was found or its
			// improvement is negative beyond rounding.
			isLeaf = sp.pos >= t.end || sp.improvement+epsilon < 0
		}

		id := int32(len(m.nodes))
		nd := node{feature: -1, left: -1, right: -1, value: -1}
		if isLeaf {
			nd.value = int32(len(m.values))
			for c := range b.k {
				m.values = append(m.values, b.sumTotal[c]/b.wNode)
			}
		} else {
			nd.feature = int32(sp.feature)
			nd.threshold = sp.threshold
		}
		m.nodes = append(m.nodes, nd)
		m.nodeSamples = append(m.nodeSamples, int32(nNode))
		if t.parent >= 0 {
			if t.isLeft {
				m.nodes[t.parent].left = id
			} else {
				m.nodes[t.parent].right = id
			}
		}
		if !isLeaf {
			b.stack = append(b.stack,
				task{start: sp.pos, end: t.end, depth: t.depth + 1, parent: id, impurity: sp.impurityRight, nConst: nConst},
				task{start: t.start, end: sp.pos, depth: t.depth + 1, parent: id, isLeft: true, impurity: sp.impurityLeft, nConst: nConst})
		}
		maxDepth = max(maxDepth, t.depth)
	}
	m.roots = append(m.roots, root)
	return maxDepth
}

// initNode sets sumTotal and wNode to the weighted class counts and total weight of
// samples[start:end] (ClassificationCriterion.init).
func (b *builder) initNode(start, end int) {
	clear(b.sumTotal)
	b.wNode = 0
	for _, i := range b.samples[start:end] {
		w := b.w[i]
		b.sumTotal[b.y[i]] += w
		b.wNode += w
	}
}

// impurity is the node impurity of weighted class counts sum with total weight w, in
// the arithmetic of scikit-learn's Gini and Entropy criteria:
//
//	gini    = 1 − (Σ_k s_k²) / w²
//	entropy = −Σ_{k: s_k>0} (s_k/w) · log₂(s_k/w),  log₂ x = ln x / ln 2,
//
// with ln from internal/fmath, so that the bits do not depend on the CPU.
func (b *builder) impurity(sum []float64, w float64) float64 {
	if b.s.entropy {
		e := 0.0
		for _, s := range sum {
			if s > 0 {
				p := s / w
				e -= float64(p * (fmath.Log(p) / math.Ln2))
			}
		}
		return e
	}
	sq := 0.0
	for _, s := range sum {
		sq += float64(s * s)
	}
	return 1 - sq/float64(w*w)
}

// children returns the impurities of the left part (sumLeft, wLeft) and of the rest
// of the node (sumTotal − sumLeft, wNode − wLeft), as children_impurity.
func (b *builder) children() (left, right float64) {
	wRight := b.wNode - b.wLeft
	if b.s.entropy {
		for c, sl := range b.sumLeft {
			if sl > 0 {
				p := sl / b.wLeft
				left -= float64(p * (fmath.Log(p) / math.Ln2))
			}
			if sr := b.sumTotal[c] - sl; sr > 0 {
				p := sr / wRight
				right -= float64(p * (fmath.Log(p) / math.Ln2))
			}
		}
		return left, right
	}
	sqL, sqR := 0.0, 0.0
	for c, sl := range b.sumLeft {
		sr := b.sumTotal[c] - sl
		sqL += float64(sl * sl)
		sqR += float64(sr * sr)
	}
	return 1 - sqL/float64(b.wLeft*b.wLeft), 1 - sqR/float64(wRight*wRight)
}

// proxy is scikit-learn's proxy_impurity_improvement for classification: the split
// maximising −w_R·I_R − w_L·I_L maximises the impurity decrease.
func (b *builder) proxy() float64 {
	l, r := b.children()
	wRight := b.wNode - b.wLeft
	return float64(-wRight*r) - float64(b.wLeft*l)
}

// splitNode finds the best split of samples[start:end], whose impurity is impurity,
// following scikit-learn's BestSplitter.node_split. It leaves samples partitioned at
// the returned pos, and *nConst updated to the features known constant in the node.
//
// Features are drawn without replacement by a Fisher–Yates walk over b.features:
// features[:nDrawn] are known-constant features already drawn, [nDrawn:nKnown]
// known-constant ones not yet drawn, [nKnown:nTotal] features found constant at this
// node, [nTotal:fi] candidates not yet drawn, and [fi:d] drawn non-constant features.
// A draw of a known-constant feature counts as a visit without any work. The walk
// stops after max_features visits, except that while every visited feature was
// constant it goes on until a non-constant one is found or none is left.
//
// For a non-constant feature the rows are sorted by value and every position p
// between values more than featureThreshold apart is a candidate, rejected if a side
// has fewer than min_samples_leaf rows; the best proxy wins, the first on ties, and
// its threshold is the midpoint v[p−1]/2 + v[p]/2 (or v[p−1] if that rounds to
// v[p]).
func (b *builder) splitNode(start, end int, impurity float64, nConst *int) split {
	best := split{pos: end}
	bestProxy := math.Inf(-1)
	d := b.d
	fi := d
	nKnown := *nConst
	nTotal := nKnown
	nDrawn, nFound, nVisited := 0, 0, 0
	features := b.features
	minLeaf := b.s.minLeaf

	for fi > nTotal && (nVisited < b.s.maxFeatures || nVisited <= nFound+nDrawn) {
		nVisited++
		fj := nDrawn + b.rng.IntN(fi-nFound-nDrawn)
		if fj < nKnown {
			features[nDrawn], features[fj] = features[fj], features[nDrawn]
			nDrawn++
			continue
		}
		fj += nFound
		f := features[fj]
		b.sortBy(f, start, end)
		vals := b.vals
		if vals[end-1] <= vals[start]+featureThreshold {
			features[fj], features[nTotal] = features[nTotal], features[fj]
			nFound++
			nTotal++
			continue
		}
		fi--
		features[fi], features[fj] = features[fj], features[fi]

		// Scan the positions left to right, moving rows into the left part.
		clear(b.sumLeft)
		b.wLeft = 0
		pos := start
		for p := start; p < end; {
			for p+1 < end && vals[p+1] <= vals[p]+featureThreshold {
				p++
			}
			p++
			if p >= end {
				break
			}
			if p-start < minLeaf || end-p < minLeaf {
				continue
			}
			for _, i := range b.samples[pos:p] {
				w := b.w[i]
				b.sumLeft[b.y[i]] += w
				b.wLeft += w
			}
			pos = p
			if px := b.proxy(); px > bestProxy {
				bestProxy = px
				thr := float64(vals[p-1])/2 + float64(vals[p])/2
				if thr == float64(vals[p]) || math.IsInf(thr, 0) {
					thr = float64(vals[p-1])
				}
				best.pos, best.feature, best.threshold = p, f, thr
			}
		}
	}

	if best.pos < end {
		// Partition samples[start:end] at the threshold and evaluate the children.
		col := b.xs[best.feature*b.n : (best.feature+1)*b.n]
		s := b.samples
		p, q := start, end
		for p < q {
			if float64(col[s[p]]) <= best.threshold {
				p++
			} else {
				q--
				s[p], s[q] = s[q], s[p]
			}
		}
		clear(b.sumLeft)
		b.wLeft = 0
		for _, i := range s[start:best.pos] {
			w := b.w[i]
			b.sumLeft[b.y[i]] += w
			b.wLeft += w
		}
		best.impurityLeft, best.impurityRight = b.children()
		wRight := b.wNode - b.wLeft
		// impurity_improvement: (w_t/W)·(I − w_R/w_t·I_R − w_L/w_t·I_L).
		best.improvement = float64((b.wNode / b.wTotal) *
			((impurity - float64(wRight/b.wNode*best.impurityRight)) - float64(b.wLeft/b.wNode*best.impurityLeft)))
	}

	// Keep features[:nKnown] as the parent left them for siblings and children, and
	// record the constants found here after them.
	copy(features[:nKnown], b.consts[:nKnown])
	copy(b.consts[nKnown:nTotal], features[nKnown:nTotal])
	*nConst = nTotal
	return best
}

// sortBy sorts samples[start:end] by feature f and sets vals[start:end] to the sorted
// values. The order of equal values is unspecified, as in scikit-learn's introsort;
// it cannot change the tree, whose sums over equal values are exact.
func (b *builder) sortBy(f, start, end int) {
	col := b.xkey[f*b.n : (f+1)*b.n]
	keys := b.keys[start:end]
	for j, i := range b.samples[start:end] {
		keys[j] = uint64(col[i])<<32 | uint64(uint32(i))
	}
	slices.Sort(keys)
	for j, k := range keys {
		b.samples[start+j] = int32(uint32(k))
		b.vals[start+j] = fromOrderKey(uint32(k >> 32))
	}
}
