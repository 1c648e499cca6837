package strategies

import (
	"math"
	"strconv"
)

// surveySpecs are the strategies of the comparative surveys (Zhan et al. 2021; Lu et al. 2023) that any learner can run: core-set on features, graph density, hierarchical sampling, informative-diverse, margin-cluster-mean, cluster-margin.
var surveySpecs = []spec{
	{
		info: Info{Name: "graph_density", Summary: "the densest unlabeled point of a k-NN graph of the pool, its neighbours' densities lowered after each pick",
			Formula: "argmax_x dens(x), dens(i) = mean_{j~i} exp(−‖x_i − x_j‖₁/dim); then dens(j) −= dens(x*) for j ~ x*",
			Paper:   "Ebert, Fritz & Schiele 2012 (google/active-learning graph_density)"},
		params: []param{
			{Param: Param{"n_neighbors", 10, "neighbours k of each point in the k-NN graph, before it is made symmetric (≥ 1)"},
				valid: surveyAtLeast(1)},
		},
		build: func(p map[string]any) Strategy { return &graphDensity{neighbors: p["n_neighbors"].(int)} },
	},
	{
		info: Info{Name: "hierarchical", Summary: "a node of a pruning of the pool's cluster tree drawn by size × label uncertainty, then a random unlabeled point under it",
			Formula: "P(v) ∝ w_v (1 − p^LB_{v,L(v)}); pruning refined to the admissible labeling of least error",
			Paper:   "Dasgupta & Hsu 2008 (google/active-learning HierarchicalClusterAL)"},
		params: []param{
			{Param: Param{"linkage", "ward", "linkage of the agglomerative clustering of the standardised pool: ward or average"},
				valid: oneOf("ward", "average")},
			{Param: Param{"beta", 2.0, "admissibility slack β: l is admissible at v when 1 − p^LB_l < β · min_{l'≠l}(1 − p^UB_l') (finite, > 0)"},
				valid: func(v any) string {
					if f := v.(float64); !(f > 0) || math.IsInf(f, 1) {
						return "must be finite and above 0"
					}
					return ""
				}},
		},
		build: func(p map[string]any) Strategy {
			link := wardLink
			if p["linkage"] == "average" {
				link = averageLink
			}
			return &hierarchical{link: link, beta: p["beta"].(float64)}
		},
	},
	{
		info: Info{Name: "info_diversity", Summary: "margin order, each k-means cluster of the pool held to its share of the batch",
			Formula: "rows by smallest margin; row of cluster c taken while count_c/B < |c|/N; rest by margin",
			Paper:   "google/active-learning informative_diverse; Zhan et al. 2021", Needs: []Capability{CapScores}},
		params: []param{
			{Param: Param{"clusters", 0, "number of k-means clusters of the standardised pool (≥ 0; 0: the number of classes)"},
				valid: surveyAtLeast(0)},
		},
		build: func(p map[string]any) Strategy { return &infoDiversity{clusters: p["clusters"].(int)} },
	},
	{
		info: Info{Name: "mcm", Summary: "the points nearest the k-means centres of the points inside the margin (margin sampling when too few are)",
			Formula: "M = {x : ∃c |f_c(x)| < min_{l∈L} |f_c(l)|}; k-means of M into B clusters; the nearest point to each centre",
			Paper:   "Xu et al. 2003 (google/active-learning margin_cluster_mean)", Needs: []Capability{CapScores}},
		build: func(map[string]any) Strategy { return &mcm{} },
	},
	{
		info: Info{Name: "cluster_margin", Summary: "round-robin over the average-linkage clusters of the smallest-margin points, smallest cluster first",
			Formula: "top k_m = factor·B by margin, grouped by HAC cluster (cut at ε); one random member per group in ascending size, cycled",
			Paper:   "Citovsky et al. 2021", Needs: []Capability{CapScores}},
		params: []param{
			{Param: Param{"epsilon", 0.5, "distance at which the average-linkage clustering stops, in units of ‖x − y‖/√dim on the standardised features (≥ 0; 0: every distinct point its own cluster)"},
				valid: func(v any) string {
					if f := v.(float64); !(f >= 0) || math.IsInf(f, 1) {
						return "must be finite and at least 0"
					}
					return ""
				}},
			{Param: Param{"candidates_factor", 10, "margin candidates k_m per batch slot: k_m = candidates_factor × batch (≥ 1)"},
				valid: surveyAtLeast(1)},
		},
		build: func(p map[string]any) Strategy {
			return &clusterMargin{epsilon: p["epsilon"].(float64), factor: p["candidates_factor"].(int)}
		},
	},
}

// surveyAtLeast returns a check that an int param is ≥ lo.
func surveyAtLeast(lo int) func(any) string {
	return func(v any) string {
		if v.(int) < lo {
			return "must be at least " + strconv.Itoa(lo)
		}
		return ""
	}
}
