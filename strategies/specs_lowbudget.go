package strategies

import (
	"fmt"
	"math"
	"slices"
)

// lowBudgetSpecs are the low-budget and Bayesian strategies: expected error reduction, density-weighted uncertainty, TypiClust, ProbCover, ALBL.
var lowBudgetSpecs = []spec{
	{
		info: Info{Name: "eer", Summary: "the points whose label would most reduce the expected error on the unlabeled pool, by retraining once per candidate and class (expensive)",
			Formula: "argmax_x E(θ) − Σ_y p(y|x) E(θ⁺_{x,y}),  E = mean over U of H[p(·|u)] (log) or 1 − max_c p(c|u) (zero_one)",
			Paper:   "Roy & McCallum 2001", Needs: probsOnly},
		params: []param{
			{Param: Param{"candidates", 0, "number of unlabeled rows scored each round, a random subsample (≥ 0; 0: every unlabeled row; never fewer than the batch). Each costs one model fit per class"},
				valid: lbAtLeast(0)},
			{Param: Param{"loss", EERLog, "estimated error on the pool: log (mean posterior entropy) or zero_one (mean 1 − max probability)"},
				valid: oneOf(EERLog, EERZeroOne)},
		},
		build: func(p map[string]any) Strategy {
			return &eer{candidates: p["candidates"].(int), zeroOne: p["loss"] == EERZeroOne}
		},
	},
	{
		info: Info{Name: "dwus", Summary: "uncertainty weighted by the density of a Gaussian mixture fitted to the pool",
			Formula: "argmax_x u(x) × Σ_k π_k N(x; μ_k, diag σ_k²)",
			Paper:   "Nguyen & Smeulders 2004; Zhan et al. 2021", Needs: probsOnly},
		params: []param{
			{Param: Param{"components", 10, "number of diagonal-covariance mixture components, fitted by EM on the z-scored pool once per trial (≥ 1; capped at the pool size)"},
				valid: lbAtLeast(1)},
			{Param: Param{"base", "least_confidence", "uncertainty u: least_confidence (the expected error of the prediction, as the paper), entropy or margin (as 1 − margin)"},
				valid: oneOf("least_confidence", "entropy", "margin")},
		},
		build: func(p map[string]any) Strategy {
			measure := map[string]func([]float64) float64{
				"entropy": entropy, "least_confidence": leastConfidence, "margin": smallMargin,
			}[p["base"].(string)]
			return &dwus{components: p["components"].(int), measure: measure}
		},
	},
	{
		info: Info{Name: "typiclust", Summary: "the most typical point of each of the largest clusters without a labeled point (k-means into |L| + B clusters)",
			Formula: "per uncovered cluster, largest first: argmax_x 1 / mean_{x' ∈ kNN(x) in its cluster} ‖x − x'‖",
			Paper:   "Hacohen, Dekel & Weinshall 2022 (TPC-RP)"},
		params: []param{
			{Param: Param{"max_clusters", 500, "upper bound on the number of k-means clusters |L| + B (≥ 1)"}, valid: lbAtLeast(1)},
			{Param: Param{"neighbors", 20, "nearest neighbours within the cluster that typicality averages over (≥ 1; fewer in a smaller cluster)"}, valid: lbAtLeast(1)},
		},
		build: func(p map[string]any) Strategy {
			return &typiclust{maxClusters: p["max_clusters"].(int), neighbors: p["neighbors"].(int)}
		},
	},
	{
		info: Info{Name: "probcover", Summary: "greedy maximum coverage of the pool by δ-balls, labeled balls removed first",
			Formula: "argmax_x |{x' uncovered : ‖x − x'‖ < δ}|, then cover x's ball; δ = 0: the largest δ of ball purity ≥ purity w.r.t. k-means into Classes clusters",
			Paper:   "Yehuda, Dekel, Hacohen & Weinshall 2022"},
		params: []param{
			{Param: Param{"delta", 0.0, "ball radius δ on the embeddings or z-scored features (≥ 0; 0: the largest δ whose ball purity reaches purity)"},
				valid: func(v any) string {
					if f := v.(float64); !(f >= 0) || math.IsInf(f, 1) {
						return "must be finite and at least 0"
					}
					return ""
				}},
			{Param: Param{"purity", 0.95, "the ball purity α that the automatic δ must reach, in (0, 1]; ignored with delta > 0"},
				valid: func(v any) string {
					if f := v.(float64); !(f > 0 && f <= 1) {
						return "must be in (0, 1]"
					}
					return ""
				}},
		},
		build: func(p map[string]any) Strategy {
			return &probcover{delta: p["delta"].(float64), purity: p["purity"].(float64)}
		},
	},
	{
		info: Info{Name: "albl", Summary: "an EXP4.P bandit that learns which base strategy to follow, rewarded by importance-weighted accuracy",
			Formula: "x ~ q = Σ_i p_i ξ_i, p = (1 − N p_min) w/Σw + p_min; w_i ← w_i exp(p_min/2 (r ξ_i(x)/q(x) + v̂_i c)), r = IW-ACC",
			Paper:   "Hsu & Lin 2015; Beygelzimer et al. 2011 (EXP4.P)", Needs: []Capability{CapScores}},
		params: []param{
			{Param: Param{"strategies", nil, "the base strategies, a list of registered names run with their defaults, e.g. [margin, entropy, random]; random is the uniform expert, always present; omitted: margin, plus hintsvm under an SVM"},
				decode: decodeBaseStrategies},
			{Param: Param{"delta", 0.1, "EXP4.P's confidence δ, in (0, 1]"},
				valid: func(v any) string {
					if f := v.(float64); !(f > 0 && f <= 1) {
						return "must be in (0, 1]"
					}
					return ""
				}},
			{Param: Param{"horizon", 100, "the number of queries T the bandit plans for, which scales p_min, the confidence term and IW-ACC (≥ 1)"},
				valid: lbAtLeast(1)},
		},
		needs: func(p map[string]any) []Capability {
			names, _ := p["strategies"].([]string)
			if names == nil {
				return []Capability{CapScores} // margin's; hintsvm joins only if the model has its needs
			}
			var out []Capability
			for _, name := range names {
				sp := lbLookup(name)
				for _, c := range sp.needsOf(sp.resolve(nil)) {
					if !slices.Contains(out, c) {
						out = append(out, c)
					}
				}
			}
			return out
		},
		build: func(p map[string]any) Strategy {
			names, _ := p["strategies"].([]string)
			return &albl{names: names, delta: p["delta"].(float64), horizon: p["horizon"].(int)}
		},
	},
}

// lbLookup is lookup, reached through a variable set in init: the entries below
// would otherwise refer to the registry they are part of, an initialization cycle.
var lbLookup func(string) *spec

func init() { lbLookup = lookup }

// lbAtLeast checks an integer parameter's lower bound.
func lbAtLeast(lo int) func(any) string {
	return func(v any) string {
		if v.(int) < lo {
			return fmt.Sprintf("must be at least %d", lo)
		}
		return ""
	}
}

// decodeBaseStrategies checks albl's strategies: a non-empty list of distinct
// registered names, neither albl itself nor an oracle.
func decodeBaseStrategies(v any) (any, []Problem) {
	var list []any
	switch x := v.(type) {
	case []any:
		list = x
	case []string:
		for _, s := range x {
			list = append(list, s)
		}
	default:
		return nil, []Problem{{Msg: "must be a list of strategy names, e.g. [margin, random]", Got: show(v)}}
	}
	if len(list) == 0 {
		return nil, []Problem{{Msg: "must name at least one strategy", Got: "[]"}}
	}
	var names []string
	var probs []Problem
	for i, e := range list {
		key := fmt.Sprintf("[%d]", i)
		name, ok := e.(string)
		switch {
		case !ok:
			probs = append(probs, Problem{Key: key, Msg: "must be a strategy name", Got: show(e)})
		case name == "albl":
			probs = append(probs, Problem{Key: key, Msg: "albl cannot be its own base strategy", Got: name})
		case lbLookup(name) == nil:
			probs = append(probs, Problem{Key: key, Msg: "unknown strategy", Got: name})
		case lbLookup(name).info.Oracle:
			probs = append(probs, Problem{Key: key, Msg: "an oracle cannot be a base strategy", Got: name})
		case slices.Contains(names, name):
			probs = append(probs, Problem{Key: key, Msg: "listed twice", Got: name})
		default:
			names = append(names, name)
		}
	}
	if len(probs) > 0 {
		return nil, probs
	}
	return names, nil
}
