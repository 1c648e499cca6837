package strategies

import (
	"albench/learners"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"albench/nets"
)

// tableModel answers from per-row tables, looking each input row up in the pool by
// its features, so hand-built cases can state every model output directly.
type tableModel struct {
	pool  *nets.Matrix
	probs [][]float64 // per pool row
	emb   [][]float64 // Embed; nil row = the features themselves
	gemb  [][]float64 // GradEmbed
	norms [][]float64 // GradNorms
	// mc gives the probabilities of pool row r on MC pass t; nil = no dropout.
	mc    func(r, t int) []float64
	calls int // MCProbs calls so far
}

var (
	_ Model                 = (*tableModel)(nil)
	_ learners.Embedder     = (*tableModel)(nil)
	_ learners.GradEmbedder = (*tableModel)(nil)
	_ learners.GradNormer   = (*tableModel)(nil)
	_ learners.MCSampler    = (*tableModel)(nil)
)

func (m *tableModel) row(x []float64) int {
	for r := range m.pool.Rows {
		if slices.Equal(m.pool.Row(r), x) {
			return r
		}
	}
	panic(fmt.Sprintf("tableModel: row %v is not in the pool", x))
}

func (m *tableModel) fill(x, out *nets.Matrix, cols int, f func(r int) []float64) {
	out.Resize(x.Rows, cols)
	for i := range x.Rows {
		copy(out.Row(i), f(m.row(x.Row(i))))
	}
}

func (m *tableModel) Classes() int { return len(m.probs[0]) }
func (m *tableModel) Probs(x, out *nets.Matrix) {
	m.fill(x, out, m.Classes(), func(r int) []float64 { return m.probs[r] })
}
func (m *tableModel) EmbedDim() int {
	if m.emb == nil {
		return m.pool.Cols
	}
	return len(m.emb[0])
}
func (m *tableModel) Embed(x, out *nets.Matrix) {
	m.fill(x, out, m.EmbedDim(), func(r int) []float64 {
		if m.emb == nil {
			return m.pool.Row(r)
		}
		return m.emb[r]
	})
}
func (m *tableModel) GradEmbedDim() int { return len(m.gemb[0]) }
func (m *tableModel) GradEmbed(x, out *nets.Matrix) {
	m.fill(x, out, m.GradEmbedDim(), func(r int) []float64 { return m.gemb[r] })
}
func (m *tableModel) GradNorms(x, out *nets.Matrix) {
	m.fill(x, out, m.Classes(), func(r int) []float64 { return m.norms[r] })
}
func (m *tableModel) HasDropout() bool { return m.mc != nil }
func (m *tableModel) MCProbs(x, out *nets.Matrix, rng *rand.Rand) {
	t := m.calls
	m.calls++
	m.fill(x, out, m.Classes(), func(r int) []float64 { return m.mc(r, t) })
}

// linearModel is a softmax-linear fake with every capability, for property tests on
// random pools: probabilities softmax(xW), embeddings tanh(xA), gradient embeddings
// (p − e_ŷ) ⊗ embedding, gradient norms ‖p − e_y‖·‖x‖, and MC passes that drop each
// input feature with probability 0.3. Its methods do not allocate once out has room.
type linearModel struct {
	d, c, e int
	w, a    []float64 // d×c and d×e
	logits  []float64
	emb     []float64
	probs   []float64
	keep    []float64
}

func newLinearModel(d, c, e int, rng *rand.Rand) *linearModel {
	m := &linearModel{d: d, c: c, e: e, w: make([]float64, d*c), a: make([]float64, d*e),
		logits: make([]float64, c), emb: make([]float64, e), probs: make([]float64, c), keep: make([]float64, d)}
	for i := range m.w {
		m.w[i] = rng.NormFloat64()
	}
	for i := range m.a {
		m.a[i] = rng.NormFloat64()
	}
	return m
}

func (m *linearModel) Classes() int      { return m.c }
func (m *linearModel) EmbedDim() int     { return m.e }
func (m *linearModel) GradEmbedDim() int { return m.c * m.e }
func (m *linearModel) HasDropout() bool  { return true }

// softmax sets p to softmax(x·W), with x's features scaled by keep (nil = all kept).
func (m *linearModel) softmax(x, p []float64, keep []float64) {
	for y := range m.c {
		var z float64
		for j, v := range x {
			if keep != nil {
				v *= keep[j]
			}
			z += v * m.w[j*m.c+y]
		}
		m.logits[y] = z
	}
	top := slices.Max(m.logits)
	var sum float64
	for y, z := range m.logits {
		p[y] = math.Exp(z - top)
		sum += p[y]
	}
	for y := range p {
		p[y] /= sum
	}
}

func (m *linearModel) Probs(x, out *nets.Matrix) {
	out.Resize(x.Rows, m.c)
	for i := range x.Rows {
		m.softmax(x.Row(i), out.Row(i), nil)
	}
}

func (m *linearModel) embed(x, e []float64) {
	for k := range m.e {
		var z float64
		for j, v := range x {
			z += v * m.a[j*m.e+k]
		}
		e[k] = math.Tanh(z)
	}
}

func (m *linearModel) Embed(x, out *nets.Matrix) {
	out.Resize(x.Rows, m.e)
	for i := range x.Rows {
		m.embed(x.Row(i), out.Row(i))
	}
}

func (m *linearModel) GradEmbed(x, out *nets.Matrix) {
	out.Resize(x.Rows, m.c*m.e)
	probs := m.probs
	for i := range x.Rows {
		m.softmax(x.Row(i), probs, nil)
		yhat := argmax(probs)
		m.embed(x.Row(i), m.emb)
		g := out.Row(i)
		for y := range m.c {
			d := probs[y]
			if y == yhat {
				d--
			}
			for k, e := range m.emb {
				g[y*m.e+k] = d * e
			}
		}
	}
}

func (m *linearModel) GradNorms(x, out *nets.Matrix) {
	out.Resize(x.Rows, m.c)
	for i := range x.Rows {
		row := out.Row(i)
		m.softmax(x.Row(i), row, nil)
		xn := math.Sqrt(dot(x.Row(i), x.Row(i)))
		var s2 float64
		for _, v := range row {
			s2 += v * v
		}
		for y, v := range row {
			// ‖p − e_y‖² = Σ p² − 2 p_y + 1
			row[y] = math.Sqrt(math.Max(0, s2-2*v+1)) * xn
		}
	}
}

func (m *linearModel) MCProbs(x, out *nets.Matrix, rng *rand.Rand) {
	out.Resize(x.Rows, m.c)
	keep := m.keep
	for i := range x.Rows {
		for j := range keep {
			keep[j] = 0
			if rng.Float64() >= 0.3 {
				keep[j] = 1 / 0.7
			}
		}
		m.softmax(x.Row(i), out.Row(i), keep)
	}
}

// fitLinear trains nothing: it returns a linearModel drawn from rng and shifted toward
// the class means of (x, y), so committee members differ with their resample.
func fitLinear(classes, embed int) func(context.Context, *nets.Matrix, []int, *rand.Rand) (Model, error) {
	return func(_ context.Context, x *nets.Matrix, y []int, rng *rand.Rand) (Model, error) {
		m := newLinearModel(x.Cols, classes, embed, rng)
		for i := range x.Rows {
			for j, v := range x.Row(i) {
				m.w[j*classes+y[i]] += v / float64(x.Rows)
			}
		}
		return m, nil
	}
}

// matrix builds a Matrix from rows.
func matrix(rows ...[]float64) *nets.Matrix {
	m := nets.NewMatrix(len(rows), len(rows[0]))
	for i, r := range rows {
		copy(m.Row(i), r)
	}
	return m
}

// seq returns a, a+1, …, b−1.
func seq(a, b int) []int {
	out := make([]int, 0, b-a)
	for i := a; i < b; i++ {
		out = append(out, i)
	}
	return out
}

// mustNew builds a registered strategy or panics.
func mustNew(name string, params map[string]any) Strategy {
	s, err := New(name, params)
	if err != nil {
		panic(err)
	}
	return s
}
