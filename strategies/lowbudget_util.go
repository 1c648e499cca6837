package strategies

import (
	"math"
	"math/rand/v2"

	"albench/learners"
	"albench/nets"
)

// Helpers shared by the low-budget strategies (typiclust, probcover, dwus): the
// representation they cluster and a small k-means. Private to this group, prefixed lb.

// lbSpace is the representation of the pool that a representation-based strategy
// works in: the model's embeddings when it is a learners.Embedder, else the pool's
// features standardized to zero mean and unit variance over the pool (a constant
// feature is centred and left unscaled), so that no feature dominates the distances
// by its unit alone. The standardized pool is cached: the pool does not change
// during a trial; embeddings change with the model, so they are recomputed.
type lbSpace struct {
	pool *nets.Matrix // the pool z was computed for
	z    nets.Matrix  // standardized pool
	emb  nets.Matrix
}

// of returns the representation of every pool row for q.
func (s *lbSpace) of(q Query) *nets.Matrix {
	if em, ok := q.Model.(learners.Embedder); ok {
		em.Embed(q.Pool, &s.emb)
		checkShape("embeddings", &s.emb, q.Pool.Rows, em.EmbedDim())
		return &s.emb
	}
	return s.standardized(q.Pool)
}

// standardized returns the pool z-scored per feature, computing it once per pool.
func (s *lbSpace) standardized(pool *nets.Matrix) *nets.Matrix {
	if s.pool == pool && s.z.Rows == pool.Rows && s.z.Cols == pool.Cols {
		return &s.z
	}
	s.pool = pool
	s.z.Resize(pool.Rows, pool.Cols)
	copy(s.z.Data, pool.Data)
	lbStandardize(&s.z)
	return &s.z
}

// lbStandardize z-scores the columns of m in place: x ← (x − mean) / sd, with the
// population standard deviation; a column of zero spread is only centred.
func lbStandardize(m *nets.Matrix) {
	if m.Rows == 0 {
		return
	}
	inv := 1 / float64(m.Rows)
	for j := range m.Cols {
		var mean float64
		for i := range m.Rows {
			mean += m.Data[i*m.Cols+j]
		}
		mean *= inv
		var ss float64
		for i := range m.Rows {
			e := m.Data[i*m.Cols+j] - mean
			ss += float64(e * e)
		}
		sd := math.Sqrt(ss * inv)
		if !(sd > 0) || math.IsInf(sd, 0) {
			sd = 1
		}
		for i := range m.Rows {
			m.Data[i*m.Cols+j] = (m.Data[i*m.Cols+j] - mean) / sd
		}
	}
}

// lbKMeans is Lloyd's k-means with k-means++ seeding (Arthur & Vassilvitskii 2007)
// drawn from a given stream, keeping its buffers between calls. Assignment ties go to
// the lower centre; an empty cluster keeps its previous centre. The assignments are
// blocked products with the scalar formula deciding near-ties (sqDists.nearestCentre,
// see distance.go): every draw and assignment is the scalar formula's. Lloyd's iterations
// stop when no row changes cluster, when the centres move by a total squared shift
// of at most 10⁻⁴ × the mean per-feature variance of the rows (scikit-learn's
// default tolerance), or after lbKMeansIters iterations.
type lbKMeans struct {
	centers nets.Matrix // k × d
	assign  []int       // cluster of each row
	d2      []float64   // squared distance of each row to its nearest centre (seeding)
	counts  []int
	prev    []float64 // centres before an update

	norms []float64 // ‖x‖² of each row
	near  []int32   // the number of a seed at distance √d2 from each row, −1 if none is known
	cd    []float64 // per seed: its squared distance to the latest seed
	picks []int     // the seeds' rows
	d     sqDists
}

// lbKMeansIters bounds Lloyd's iterations; they stop earlier once no row moves.
const lbKMeansIters = 100

// fit clusters the rows of x into k clusters (1 ≤ k ≤ x.Rows), leaving the result in
// s.assign and s.centers. Cost O(iterations × rows × k × d).
func (s *lbKMeans) fit(x *nets.Matrix, k int, rng *rand.Rand) {
	n, d := x.Rows, x.Cols
	s.centers.Resize(k, d)
	s.assign = grow(s.assign, n)
	s.d2 = grow(s.d2, n)
	s.counts = grow(s.counts, k)
	// k-means++: the first centre uniformly, each next with probability ∝ D(x)².
	// D(x)² is lowered pick by pick with the scalar formula's values, rows that
	// the triangle inequality rules out unread (sqDists.lowerNearest).
	s.norms = sqNorms(s.norms, x)
	s.near, s.cd = grow(s.near, n), grow(s.cd, k)
	for i := range n {
		s.d2[i], s.near[i] = math.Inf(1), -1
	}
	s.picks = s.picks[:0]
	s.addSeed(x, rng.IntN(n))
	for c := 1; c < k; c++ {
		var total float64
		for _, v := range s.d2 {
			total += v
		}
		pick := -1
		if total > 0 && !math.IsInf(total, 0) && !math.IsNaN(total) {
			u := rng.Float64() * total
			for i, v := range s.d2 {
				if u < v {
					pick = i
					break
				}
				u -= v
			}
		}
		if pick < 0 {
			// Every row sits on a centre (duplicates), or rounding ran past the end:
			// any row will do, drawn uniformly.
			pick = rng.IntN(n)
		}
		s.addSeed(x, pick)
	}
	for i := range s.assign {
		s.assign[i] = -1
	}
	tol := 1e-4 * lbMeanVariance(x)
	for range lbKMeansIters {
		if !s.d.nearestCentre(x, s.norms, &s.centers, s.assign) {
			return
		}
		s.prev = append(s.prev[:0], s.centers.Data...)
		clear(s.counts)
		for i, c := range s.assign {
			s.counts[c]++
			if s.counts[c] == 1 {
				clear(s.centers.Row(c))
			}
			row := s.centers.Row(c)
			for j, v := range x.Row(i) {
				row[j] += v
			}
		}
		for c, m := range s.counts {
			if m == 0 {
				continue // empty: the previous centre stays
			}
			inv := 1 / float64(m)
			row := s.centers.Row(c)
			for j := range row {
				row[j] *= inv
			}
		}
		if sqDist(s.centers.Data, s.prev) <= tol {
			return
		}
	}
}

// addSeed makes row pick of x the next centre of the seeding and lowers D(x)²
// by it.
func (s *lbKMeans) addSeed(x *nets.Matrix, pick int) {
	c := len(s.picks)
	copy(s.centers.Row(c), x.Row(pick))
	p := x.Row(pick)
	for j, q := range s.picks {
		s.cd[j] = sqDist(p, x.Row(q))
	}
	s.picks = append(s.picks, pick)
	if c+1 < s.centers.Rows {
		s.d.lowerNearest(x, s.d2, s.near, pick, int32(c), s.norms[pick], s.cd)
	}
}

// lbMeanVariance returns the mean over the columns of x of their population variance.
func lbMeanVariance(x *nets.Matrix) float64 {
	if x.Rows == 0 || x.Cols == 0 {
		return 0
	}
	var total float64
	for j := range x.Cols {
		var mean float64
		for i := range x.Rows {
			mean += x.Data[i*x.Cols+j]
		}
		mean /= float64(x.Rows)
		var ss float64
		for i := range x.Rows {
			e := x.Data[i*x.Cols+j] - mean
			ss += float64(e * e)
		}
		total += ss / float64(x.Rows)
	}
	return total / float64(x.Cols)
}

// lbPredict sets out (len = x.Rows) to m's predicted class of each row of x: its
// own prediction where it has one, else the most probable class, else the class of
// its decision values.
func lbPredict(m Model, x *nets.Matrix, out []int, p *nets.Matrix) {
	switch mm := m.(type) {
	case learners.Predictor:
		mm.Predict(x, out)
	case learners.Prober:
		mm.Probs(x, p)
		for i := range out {
			out[i] = argmax(p.Row(i))
		}
	case learners.Decider:
		mm.Decision(x, p)
		for i := range out {
			out[i] = learners.DecisionClass(p.Row(i))
		}
	default:
		panic("strategies: the model has neither predictions, probabilities nor decision values")
	}
}
