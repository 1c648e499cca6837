package strategies

import (
	"math"
)

// kernelSpecs are the strategies that need an SVM or MC samples: QUIRE, HintSVM, BatchBALD.
var kernelSpecs = []spec{
	{
		info: Info{Name: "quire", Summary: "informative and representative: near the kernel ridge boundary and far, in the kernel, from what is labeled",
			Formula: "argmin_s (1 + 2|f(s)|) / (λ + σ²(s)), f = k_sᵀ(K_ll + λI)⁻¹y_l, σ² = K_ss − k_sᵀ(K_ll + λI)⁻¹k_s (the paper's L-block formula, exactly)",
			Paper:   "Huang, Jin & Zhou 2010"},
		params: []param{
			{Param: Param{"kernel", "rbf", "kernel over the pool features: rbf, linear or poly"}, valid: oneOf("rbf", "linear", "poly")},
			{Param: Param{"gamma", 1.0, "γ of the rbf and poly kernels (> 0); libact's default 1"}, valid: positiveFloat},
			{Param: Param{"lambda", 1.0, "ridge λ of L = (K + λI)⁻¹ (> 0)"}, valid: positiveFloat},
			{Param: Param{"degree", 3, "degree of the poly kernel (≥ 1)"}, valid: positiveInt},
			{Param: Param{"coef0", 1.0, "constant term of the poly kernel (finite); libact's default 1"}, valid: finiteFloat},
		},
		build: func(p map[string]any) Strategy {
			return &quire{kern: kernelOf(p), lambda: p["lambda"].(float64)}
		},
	},
	{
		info: Info{Name: "hintsvm", Summary: "the point closest to the boundary of an SVM trained on the labeled rows plus unlabeled hints held near the boundary",
			Formula: "argmin_x |f(x)|, f the SVM of min ½‖w‖² + C_l Σ_L hinge + C_h Σ_H max(0, |f(x_h)| − ε)",
			Paper:   "Li, Ferng & Lin 2012"},
		params: []param{
			{Param: Param{"kernel", "linear", "kernel: linear, rbf or poly (libact's default linear)"}, valid: oneOf("linear", "rbf", "poly")},
			{Param: Param{"cl", 0.1, "C_l, weight of the labeled rows' hinge loss (> 0)"}, valid: positiveFloat},
			{Param: Param{"ch", 0.1, "C_h, weight of the hints' ε-insensitive loss (> 0)"}, valid: positiveFloat},
			{Param: Param{"p", 0.5, "fraction of the unlabeled rows drawn as hints each round, in [0, 1]"},
				valid: func(v any) string {
					if f := v.(float64); !(f >= 0 && f <= 1) {
						return "must be between 0 and 1"
					}
					return ""
				}},
			{Param: Param{"epsilon", 0.1, "half-width ε of the hints' tube (≥ 0)"},
				valid: func(v any) string {
					if f := v.(float64); !(f >= 0) || math.IsInf(f, 1) {
						return "must be finite and at least 0"
					}
					return ""
				}},
			{Param: Param{"gamma", 0.1, "γ of the rbf and poly kernels (> 0)"}, valid: positiveFloat},
			{Param: Param{"degree", 3, "degree of the poly kernel (≥ 1)"}, valid: positiveInt},
			{Param: Param{"coef0", 0.0, "constant term of the poly kernel (finite)"}, valid: finiteFloat},
			{Param: Param{"tol", 1e-3, "SMO stopping tolerance on the maximal KKT violation (> 0)"}, valid: positiveFloat},
		},
		build: func(p map[string]any) Strategy {
			return &hintSVM{kern: kernelOf(p), cl: p["cl"].(float64), ch: p["ch"].(float64),
				p: p["p"].(float64), eps: p["epsilon"].(float64),
				solver: hintSolver{tol: p["tol"].(float64)}}
		},
	},
	{
		info: Info{Name: "batchbald", Summary: "greedy batch of maximal joint mutual information between labels and weights under MC dropout",
			Formula: "x_n = argmax_x H[y_1..y_{n−1}, y_x] − (1/T) Σ_t H[p_t(·|x)], joint over T passes; exact or M sampled configurations",
			Paper:   "Kirsch, van Amersfoort & Gal 2019", Needs: []Capability{CapProbs, CapMCDropout}},
		params: []param{
			{Param: Param{"samples", 20, "number T of stochastic forward passes (≥ 1), as bald"}, valid: positiveInt},
			{Param: Param{"max_configs", 100000, "exact joint entropy while classes^n × samples is at most this (≥ 1)"}, valid: positiveInt},
			{Param: Param{"configs", 1000, "number M of sampled label configurations beyond max_configs (≥ 1)"}, valid: positiveInt},
		},
		build: func(p map[string]any) Strategy {
			return &batchBALD{samples: p["samples"].(int), maxConfigs: p["max_configs"].(int), configs: p["configs"].(int)}
		},
	},
}

// kernelOf reads the kernel params of quire and hintsvm.
func kernelOf(p map[string]any) kernelFunc {
	return kernelFunc{kind: p["kernel"].(string), gamma: p["gamma"].(float64),
		coef0: p["coef0"].(float64), degree: p["degree"].(int)}
}

func positiveFloat(v any) string {
	if f := v.(float64); !(f > 0) || math.IsInf(f, 1) {
		return "must be finite and above 0"
	}
	return ""
}

func finiteFloat(v any) string {
	if f := v.(float64); math.IsNaN(f) || math.IsInf(f, 0) {
		return "must be finite"
	}
	return ""
}

func positiveInt(v any) string {
	if v.(int) < 1 {
		return "must be at least 1"
	}
	return ""
}
