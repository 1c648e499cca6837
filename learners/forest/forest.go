package forest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"albench/nets"
)

// pcgStream is the second PCG seed word of every tree's generator; the first is the
// tree's seed drawn from Fit's rng.
const pcgStream = 0x666f72657374 // "forest"

// Model is a fitted random forest. Its trees are stored flat: the nodes of every
// tree in one slice, the leaves' class fractions in another.
type Model struct {
	classes  int
	features int
	nodes    []node
	values   []float64
	roots    []int32 // index of each tree's root in nodes
	depths   []int   // depth of each tree (scikit-learn's tree_.max_depth)

	// nodeSamples[j] is the number of distinct training rows that reached nodes[j]
	// (scikit-learn's n_node_samples); kept for tests and inspection.
	nodeSamples []int32
}

// Fit grows p's forest on the rows of x with labels y in [0, classes). A class with
// no row gets probability 0 everywhere.
//
// Every random draw comes from rng in a fixed order: one uint64 seed per tree is drawn
// up front, and tree t then draws its bootstrap sample and its feature subsets from
// its own PCG seeded with seeds[t], so the forest is a function of rng's state and
// the data alone. Fit checks ctx before each tree and returns ctx.Err() when it is
// done. Features are cast to float32 as scikit-learn does; a value that is NaN or
// infinite as a float32 is an error.
func (p Params) Fit(ctx context.Context, x *nets.Matrix, y []int, classes int, rng *rand.Rand) (*Model, error) {
	switch {
	case x == nil || x.Rows == 0 || x.Cols == 0:
		return nil, errors.New("forest: no training data")
	case len(x.Data) != x.Rows*x.Cols:
		return nil, fmt.Errorf("forest: matrix %d×%d has %d elements", x.Rows, x.Cols, len(x.Data))
	case len(y) != x.Rows:
		return nil, fmt.Errorf("forest: %d labels for %d rows", len(y), x.Rows)
	case classes < 1:
		return nil, fmt.Errorf("forest: %d classes", classes)
	}
	for i, c := range y {
		if c < 0 || c >= classes {
			return nil, fmt.Errorf("forest: label %d of row %d is outside [0, %d)", c, i, classes)
		}
	}
	for i, v := range x.Data {
		if f := float64(float32(v)); math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, fmt.Errorf("forest: feature %d of row %d is %v, not a finite float32", i%x.Cols, i/x.Cols, v)
		}
	}
	s, err := p.resolve(x.Cols)
	if err != nil {
		return nil, err
	}

	seeds := make([]uint64, s.trees)
	for t := range seeds {
		seeds[t] = rng.Uint64()
	}
	pcg := rand.NewPCG(0, 0)
	b := newBuilder(s, x.Rows, x.Cols, x.Data, y, classes, rand.New(pcg))
	m := &Model{classes: classes, features: x.Cols}
	for _, seed := range seeds {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		pcg.Seed(seed, pcgStream)
		m.depths = append(m.depths, b.grow(m))
	}
	return m, nil
}

// Classes is the number of classes, the width of Probs.
func (m *Model) Classes() int { return m.classes }

// Probs sets out (resized to x.Rows × Classes) to the forest's class probabilities,
// as predict_proba: the mean over the T trees of the class fractions of the leaf that
// row x reaches,
//
//	p(k|x) = (1/T) Σ_t v_t(leaf_t(x))_k,
//
// summed tree by tree in order, then divided by T. Rows sum to 1 up to rounding.
// Features are cast to float32 before the comparisons, as in scikit-learn; a NaN
// feature goes right.
func (m *Model) Probs(x, out *nets.Matrix) {
	m.checkCols(x)
	out.Resize(x.Rows, m.classes)
	clear(out.Data)
	// Tree by tree, so that a tree's nodes stay in cache; every row still adds the
	// trees in order, so the sums are those of probsRow.
	k := m.classes
	for _, root := range m.roots {
		for i := range x.Rows {
			v := m.values[m.leaf(root, x.Row(i)):]
			o := out.Data[i*k : (i+1)*k]
			for c := range o {
				o[c] += v[c]
			}
		}
	}
	t := float64(len(m.roots))
	for i := range out.Data {
		out.Data[i] /= t
	}
}

// Predict sets out[i] (len(out) = x.Rows) to the most probable class of row i under
// Probs, the lowest class on ties, as predict.
func (m *Model) Predict(x *nets.Matrix, out []int) {
	m.checkCols(x)
	if len(out) != x.Rows {
		panic(fmt.Sprintf("forest: %d outputs for %d rows", len(out), x.Rows))
	}
	var buf [16]float64
	var p []float64
	if m.classes <= len(buf) {
		p = buf[:m.classes]
	} else {
		p = make([]float64, m.classes)
	}
	for i := range x.Rows {
		m.probsRow(x.Row(i), p)
		best := 0
		for c, v := range p {
			if v > p[best] {
				best = c
			}
		}
		out[i] = best
	}
}

func (m *Model) checkCols(x *nets.Matrix) {
	if x.Cols != m.features {
		panic(fmt.Sprintf("forest: %d features, the model was fitted on %d", x.Cols, m.features))
	}
}

// leaf returns the offset in values of the class fractions of the leaf that row
// reaches from node root.
func (m *Model) leaf(root int32, row []float64) int32 {
	nodes := m.nodes
	j := root
	for {
		nd := &nodes[j]
		if nd.feature < 0 {
			return nd.value
		}
		if float64(float32(row[nd.feature])) <= nd.threshold {
			j = nd.left
		} else {
			j = nd.right
		}
	}
}

// probsRow sets out (len Classes) to the probabilities of one row.
func (m *Model) probsRow(row, out []float64) {
	clear(out)
	for _, root := range m.roots {
		v := m.values[m.leaf(root, row):]
		for c := range out {
			out[c] += v[c]
		}
	}
	t := float64(len(m.roots))
	for c := range out {
		out[c] /= t
	}
}
