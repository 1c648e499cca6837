package strategies

import (
	"context"
	"math"
	"slices"

	"albench/nets"
)

// clusterMargin is Cluster-Margin (Citovsky, DeSalvo, Gentile, Karydas,
// Rajagopalan, Rostamizadeh & Kumar 2021, "Batch active learning at scale",
// NeurIPS, Algorithm 1): margin sampling made diverse by a clustering of the pool
// computed once.
//
//  1. Once per trial, hierarchical agglomerative clustering with average linkage
//     (agglomerate) of the pool's z-scored features (zpool; the paper clusters
//     embeddings, which models without one do not have), cut where the average
//     distance between clusters exceeds ε (param epsilon) in units of
//     ‖x − y‖₂/√dim, the root-mean-square difference per standardised feature, so
//     one default suits any number of features: two independent standard normal
//     points are √2 ≈ 1.41 apart in these units, and the default ε = 0.5 joins
//     only points much closer than that. On the survey's datasets (first 2,500
//     rows) it gives mean cluster sizes of about 2–6 with 14–57 features
//     (australian 690 rows → 363 clusters, phishing 722, spambase 900, vehicle
//     846 → 147), near-singletons on splice and twonorm, and coarse clusters in
//     two dimensions (banana 26, d31 13 where the data has 31).
//  2. Each round, the k_m = candidates_factor × B unlabeled rows of smallest margin
//     (the margin strategy's score and ties; capped at |U|) are grouped by their
//     cluster.
//  3. The groups are sorted by size, smallest first (equal sizes by their most
//     uncertain member), and visited round-robin, each visit drawing one member
//     uniformly at random (q.Rand) without replacement, until B rows are chosen.
//
// Small clusters of uncertain points are sampled first and a large one cannot fill
// the batch alone. With B = 1 the pick is a random member of the smallest group.
//
// Cost: O(N²·dim) time and N²/2 float32 distances (98 MB at N = 7,000, freed
// after) once for the clustering — its chain stops at ε, so a small ε also
// shortens the O(N²) merging — then O(|U| log k_m + k_m log k_m) a round.
type clusterMargin struct {
	epsilon float64
	factor  int

	z     zpool
	pool  *nets.Matrix // the pool label was computed for
	label []int        // flat cluster of each pool row

	margin marginScorer
	rank   ranker
	cnt    []int // candidates per cluster (only touched entries are nonzero)
	first  []int // position in the candidate list of each group's first member
	groups []int // clusters of the candidates, in order of first appearance, then sorted
	start  []int // offset of each group in memb
	left   []int // members of each group not yet drawn
	memb   []int // candidates grouped by cluster
	out    []int
}

func (*clusterMargin) Name() string { return "cluster_margin" }

func (s *clusterMargin) Select(ctx context.Context, q Query) ([]int, error) {
	k := batchSize(q)
	if k == 0 {
		return []int{}, nil
	}
	if s.pool != q.Pool || len(s.label) != q.Pool.Rows {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		s.cluster(q)
	}
	scores := s.margin.score(q)
	cands := s.rank.topK(q.TieRank, q.Unlabeled, scores, min(len(q.Unlabeled), s.factor*k))

	s.groups = s.groups[:0]
	for i, r := range cands {
		c := s.label[r]
		if s.cnt[c] == 0 {
			s.groups = append(s.groups, c)
			s.first[c] = i
		}
		s.cnt[c]++
	}
	slices.SortFunc(s.groups, func(a, b int) int {
		if s.cnt[a] != s.cnt[b] {
			return s.cnt[a] - s.cnt[b]
		}
		return s.first[a] - s.first[b]
	})
	g := len(s.groups)
	s.start, s.left = grow(s.start, g), grow(s.left, g)
	off := 0
	for j, c := range s.groups {
		s.start[j], s.left[j] = off, 0
		off += s.cnt[c]
		s.first[c] = j // now the group's index, for the fill below
	}
	s.memb = grow(s.memb, len(cands))
	for _, r := range cands { // members in margin order within each group
		j := s.first[s.label[r]]
		s.memb[s.start[j]+s.left[j]] = r
		s.left[j]++
	}
	s.out = s.out[:0]
	for len(s.out) < k {
		for j := range s.groups {
			if len(s.out) == k {
				break
			}
			if s.left[j] == 0 {
				continue
			}
			seg := s.memb[s.start[j] : s.start[j]+s.left[j]]
			t := q.Rand.IntN(len(seg))
			s.out = append(s.out, seg[t])
			seg[t] = seg[len(seg)-1]
			s.left[j]--
		}
	}
	for _, c := range s.groups {
		s.cnt[c] = 0
	}
	// The candidates are no longer needed: return the batch in their storage so
	// that the result is the round's only allocation.
	return append(cands[:0], s.out...), nil
}

// cluster computes the flat average-linkage clusters of the z-scored pool at ε.
func (s *clusterMargin) cluster(q Query) {
	z := s.z.get(q.Pool)
	eps := s.epsilon * math.Sqrt(float64(max(1, z.Cols)))
	s.label = cutClusters(z.Rows, agglomerate(z, averageLink, q.TieRank, eps), eps)
	nc := 0
	for _, c := range s.label {
		nc = max(nc, c+1)
	}
	s.cnt, s.first = make([]int, nc), make([]int, nc)
	s.pool = q.Pool
}
