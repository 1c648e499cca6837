package learners

// The registry entries of the classic learners; each kind's training code lives in
// its own package (learners/svm, learners/logreg, ...) and its glue in this
// package's file of the same name.

var svmParams = []param{
	{Param: Param{"kernel", "rbf", "rbf, linear or poly"}, decode: enum("rbf", "linear", "poly")},
	{Param: Param{"C", 1.0, "regularisation: the box constraint 0 ≤ α ≤ C, > 0"}, decode: floatIn(positive, "must be positive")},
	{Param: Param{"gamma", "scale", "rbf/poly γ: scale = 1/(n_features·Var(X)), auto = 1/n_features, or a number > 0"}, decode: gammaParam},
	{Param: Param{"degree", 3, "poly degree, ≥ 1 (scikit-learn also allows 0, a constant kernel)"}, decode: intIn(1, 64, "must be in [1, 64]")},
	{Param: Param{"coef0", 0.0, "poly independent term"}, decode: floatIn(func(float64) bool { return true }, "")},
	{Param: Param{"tol", 1e-3, "stopping tolerance of SMO on the maximal violating pair, > 0"}, decode: floatIn(positive, "must be positive")},
	{Param: Param{"shrinking", true, "libsvm's shrinking heuristic"}, decode: boolean},
	{Param: Param{"probability", false, "Platt-scaled probabilities from libsvm's internal 5-fold cross-validation"}, decode: boolean},
}

var lbfgsParams = []param{
	{Param: Param{Name: "solver", Doc: "lbfgs: scikit-learn's LogisticRegression; omitted: softmax regression trained by train"}, decode: enum("lbfgs")},
	{Param: Param{"C", 1.0, "inverse regularisation: ½‖w‖² + C·Σ loss (lbfgs only), > 0"}, decode: floatIn(positive, "must be positive")},
	{Param: Param{"tol", 1e-4, "stop when the largest gradient component is below tol (lbfgs only), > 0"}, decode: floatIn(positive, "must be positive")},
	{Param: Param{"max_iter", 100, "L-BFGS iterations at most (lbfgs only), ≥ 1"}, decode: intIn(1, 1<<30, "must be at least 1")},
	{Param: Param{Name: "train", Doc: "how softmax regression is trained each round (without solver only)"}, nested: trainParams},
}

var forestParams = []param{
	{Param: Param{"n_estimators", 100, "number of trees, ≥ 1"}, decode: intIn(1, 100000, "must be in [1, 100000]")},
	{Param: Param{"criterion", "gini", "gini or entropy"}, decode: enum("gini", "entropy")},
	{Param: Param{"max_depth", 0, "null or 0 for unlimited, else the depth limit"}, decode: optionalDepth},
	{Param: Param{"min_samples_split", 2, "samples a node needs to be split, ≥ 2"}, decode: intIn(2, 1<<30, "must be at least 2")},
	{Param: Param{"min_samples_leaf", 1, "samples a leaf needs, ≥ 1"}, decode: intIn(1, 1<<30, "must be at least 1")},
	{Param: Param{"max_features", "sqrt", "features tried per split: sqrt, log2, all, a count or a fraction"}, decode: maxFeaturesParam},
	{Param: Param{"bootstrap", true, "train each tree on a bootstrap sample of the labeled set"}, decode: boolean},
}

var knnParams = []param{
	{Param: Param{"n_neighbors", 5, "neighbours that vote, ≥ 1"}, decode: intIn(1, 1<<30, "must be at least 1")},
	{Param: Param{"weights", "uniform", "uniform or distance (votes weighted by 1/d)"}, decode: enum("uniform", "distance")},
}

var gnbParams = []param{
	{Param: Param{"var_smoothing", 1e-9, "fraction of the largest feature variance added to every variance, ≥ 0"}, decode: floatIn(nonNegative, "must not be negative")},
}

var ldaParams = []param{
	{Param: Param{"solver", "svd", "svd (the only solver albench has)"}, decode: enum("svd")},
	{Param: Param{"tol", 1e-4, "singular values below tol are treated as zero (rank threshold), > 0"}, decode: floatIn(positive, "must be positive")},
}

// notGiven reports the keys of raw among names, for cross-key checks.
func given(raw map[string]any, names ...string) []string {
	var out []string
	for _, n := range names {
		if _, ok := raw[n]; ok {
			out = append(out, n)
		}
	}
	return out
}

// checkLogreg keeps the lbfgs keys and the train mapping apart: each applies to one
// of the two logreg solvers.
func checkLogreg(p, raw map[string]any) []Problem {
	var probs []Problem
	if _, lbfgs := p["solver"]; lbfgs {
		for _, k := range given(raw, "train") {
			probs = append(probs, Problem{Key: k, Msg: "applies to softmax regression without solver; solver lbfgs has C, tol and max_iter", Got: show(raw[k])})
		}
		delete(p, "train")
		return probs
	}
	for _, k := range given(raw, "C", "tol", "max_iter") {
		probs = append(probs, Problem{Key: k, Msg: "applies to solver lbfgs only (add solver: lbfgs, or use train for softmax regression)", Got: show(raw[k])})
	}
	delete(p, "C")
	delete(p, "tol")
	delete(p, "max_iter")
	return probs
}

// init registers the kinds in the order of the README's learners table.
func init() {
	register(mlpKind)
	register(kindSpec{
		info: Info{Kind: "logreg", Summary: "logistic regression: L-BFGS on scikit-learn's objective (solver lbfgs), else softmax regression trained by train",
			Equivalent:   "sklearn.linear_model.LogisticRegression (solver lbfgs); PyTorch nn.Linear + CrossEntropyLoss otherwise",
			Capabilities: "probs, decision (lbfgs); probs, embed, grad_embed, grad_norms (softmax regression)"},
		params: lbfgsParams, check: checkLogreg,
		caps: func(p map[string]any) Capabilities {
			if _, lbfgs := p["solver"]; lbfgs {
				return Capabilities{Probs: true, Decision: true}
			}
			return Capabilities{Probs: true, Embed: true, GradEmbed: true, GradNorms: true}
		},
		build: buildLogreg,
	})
	register(kindSpec{
		info: Info{Kind: "svm", Summary: "C-SVC solved by SMO as libsvm does, one-vs-one for more classes, warm-started between rounds",
			Equivalent:   "sklearn.svm.SVC",
			Capabilities: "decision; probs when probability is true"},
		params: svmParams,
		caps: func(p map[string]any) Capabilities {
			return Capabilities{Decision: true, Probs: p["probability"].(bool)}
		},
		build: buildSVM,
	})
	register(kindSpec{
		info: Info{Kind: "random_forest", Summary: "bootstrap-aggregated CART trees with random feature subsets",
			Equivalent: "sklearn.ensemble.RandomForestClassifier", Capabilities: "probs"},
		params: forestParams,
		caps:   func(map[string]any) Capabilities { return Capabilities{Probs: true} },
		build:  buildForest,
	})
	register(kindSpec{
		info: Info{Kind: "knn", Summary: "k nearest neighbours (Euclidean), probabilities as vote fractions",
			Equivalent: "sklearn.neighbors.KNeighborsClassifier", Capabilities: "probs"},
		params: knnParams,
		caps:   func(map[string]any) Capabilities { return Capabilities{Probs: true} },
		build:  buildKNN,
	})
	register(kindSpec{
		info: Info{Kind: "gaussian_nb", Summary: "Gaussian naive Bayes",
			Equivalent: "sklearn.naive_bayes.GaussianNB", Capabilities: "probs"},
		params: gnbParams,
		caps:   func(map[string]any) Capabilities { return Capabilities{Probs: true} },
		build:  buildGNB,
	})
	register(kindSpec{
		info: Info{Kind: "lda", Summary: "linear discriminant analysis, svd solver",
			Equivalent: "sklearn.discriminant_analysis.LinearDiscriminantAnalysis", Capabilities: "probs, decision"},
		params: ldaParams,
		caps:   func(map[string]any) Capabilities { return Capabilities{Probs: true, Decision: true} },
		build:  buildLDA,
	})
	register(externalKind)
}
