// Package forest is scikit-learn's RandomForestClassifier (Breiman 2001, Random
// Forests, Machine Learning 45:5–32): an average of CART classification trees
// (Breiman, Friedman, Olshen and Stone 1984), each grown on a bootstrap sample with a
// random subset of the features considered at every node, as scikit-learn's
// DecisionTreeClassifier with its best splitter grows them.
//
// The growing follows scikit-learn 1.2 (sklearn/tree/_splitter.pyx, _criterion.pyx,
// _tree.pyx and ensemble/_forest.py):
//
//   - features are cast to float32 for growing and for prediction, as scikit-learn
//     does (its trees work on float32 X), and thresholds are float64 midpoints of
//     consecutive float32 values;
//   - a bootstrap sample is drawn as n indices with replacement and enters the tree as
//     integer sample weights (the number of draws of each row), not as duplicated rows:
//     impurities are computed on weighted class counts, while min_samples_split and
//     min_samples_leaf count distinct rows with a positive weight;
//   - at each node candidate features are drawn without replacement by
//     scikit-learn's Fisher–Yates scheme: a feature found constant in the node
//     (range ≤ 1e-7) is remembered for its descendants and not evaluated again
//     there; draws of constant features count among the max_features visits, and
//     the node draws beyond max_features only while every feature drawn so far was
//     constant, until it finds a non-constant one or none is left;
//   - the leaf value is the weighted class fractions, and the forest's probability is
//     their mean over the trees, as predict_proba.
//
// Randomness is not scikit-learn's generator, so a forest equals scikit-learn's in
// distribution, not tree by tree. A single tree without bootstrap and with every
// feature considered is deterministic up to the order in which equally good splits are
// visited, and then equals DecisionTreeClassifier node for node (tested on fixtures).
package forest

import (
	"errors"
	"fmt"
	"math"
)

// Params are RandomForestClassifier's hyper-parameters under scikit-learn's names.
// The zero value is scikit-learn's default forest: 100 trees, Gini impurity, no depth
// limit, min_samples_split 2, min_samples_leaf 1, max_features "sqrt", bootstrap.
type Params struct {
	// NEstimators is the number of trees (n_estimators); 0 means 100.
	NEstimators int
	// Criterion is the impurity (criterion): "gini" (the default, also for ""),
	//
	//	G(t) = 1 − Σ_k p_k²,
	//
	// or "entropy" (or its scikit-learn synonym "log_loss"),
	//
	//	H(t) = −Σ_{k: p_k>0} p_k log₂ p_k,
	//
	// with p_k the weighted fraction of class k in node t.
	Criterion string
	// MaxDepth is the maximum depth of a tree, the root having depth 0 (max_depth);
	// 0 means no limit (scikit-learn's None).
	MaxDepth int
	// MinSamplesSplit is the minimum number of distinct training rows a node needs to
	// be split (min_samples_split, as an integer); 0 means 2. As in scikit-learn the
	// effective value is max(MinSamplesSplit, 2·MinSamplesLeaf).
	MinSamplesSplit int
	// MinSamplesLeaf is the minimum number of distinct training rows in each child
	// of a split (min_samples_leaf, as an integer); 0 means 1.
	MinSamplesLeaf int
	// MaxFeatures is the number of features considered at each split when neither
	// MaxFeaturesN nor MaxFeaturesFrac is set (max_features as a string): "sqrt"
	// (the default, also for "") for max(1, ⌊√d⌋), "log2" for max(1, ⌊log₂ d⌋), or
	// "all" for d (scikit-learn's None or 1.0), d being the number of features.
	MaxFeatures string
	// MaxFeaturesN, if positive, is the number of features considered at each split
	// (max_features as an int); it must not exceed d.
	MaxFeaturesN int
	// MaxFeaturesFrac, if positive, makes max(1, ⌊MaxFeaturesFrac·d⌋) features
	// considered at each split (max_features as a float in (0, 1]).
	MaxFeaturesFrac float64
	// NoBootstrap grows every tree on the whole training set (bootstrap=False);
	// the trees then differ only by their feature draws.
	NoBootstrap bool
}

// Validate reports the first setting scikit-learn would reject, or a combination of
// MaxFeatures, MaxFeaturesN and MaxFeaturesFrac that sets more than one of them.
// Whether MaxFeaturesN fits the data is checked by Fit.
func (p Params) Validate() error {
	switch {
	case p.NEstimators < 0:
		return fmt.Errorf("forest: n_estimators %d is negative", p.NEstimators)
	case p.Criterion != "" && p.Criterion != "gini" && p.Criterion != "entropy" && p.Criterion != "log_loss":
		return fmt.Errorf("forest: criterion %q is not gini, entropy or log_loss", p.Criterion)
	case p.MaxDepth < 0:
		return fmt.Errorf("forest: max_depth %d is negative (0 means no limit)", p.MaxDepth)
	case p.MinSamplesSplit < 0 || p.MinSamplesSplit == 1:
		return fmt.Errorf("forest: min_samples_split %d must be at least 2 (0 means 2)", p.MinSamplesSplit)
	case p.MinSamplesLeaf < 0:
		return fmt.Errorf("forest: min_samples_leaf %d is negative (0 means 1)", p.MinSamplesLeaf)
	case p.MaxFeatures != "" && p.MaxFeatures != "sqrt" && p.MaxFeatures != "log2" && p.MaxFeatures != "all":
		return fmt.Errorf("forest: max_features %q is not sqrt, log2 or all", p.MaxFeatures)
	case p.MaxFeaturesN < 0:
		return fmt.Errorf("forest: max_features %d is negative", p.MaxFeaturesN)
	case math.IsNaN(p.MaxFeaturesFrac) || p.MaxFeaturesFrac < 0 || p.MaxFeaturesFrac > 1:
		return fmt.Errorf("forest: max_features fraction %v is outside (0, 1]", p.MaxFeaturesFrac)
	}
	set := 0
	if p.MaxFeatures != "" {
		set++
	}
	if p.MaxFeaturesN > 0 {
		set++
	}
	if p.MaxFeaturesFrac > 0 {
		set++
	}
	if set > 1 {
		return errors.New("forest: set at most one of MaxFeatures, MaxFeaturesN and MaxFeaturesFrac")
	}
	return nil
}

// settings are Params resolved against the data, as BaseDecisionTree.fit resolves
// them.
type settings struct {
	trees       int
	entropy     bool
	maxDepth    int // depth ≥ maxDepth makes a leaf
	minSplit    int // max(min_samples_split, 2·min_samples_leaf)
	minLeaf     int
	maxFeatures int
	bootstrap   bool
}

// resolve validates p and fills in the defaults for d features.
func (p Params) resolve(d int) (settings, error) {
	if err := p.Validate(); err != nil {
		return settings{}, err
	}
	s := settings{
		trees:     p.NEstimators,
		entropy:   p.Criterion == "entropy" || p.Criterion == "log_loss",
		maxDepth:  p.MaxDepth,
		minSplit:  p.MinSamplesSplit,
		minLeaf:   p.MinSamplesLeaf,
		bootstrap: !p.NoBootstrap,
	}
	if s.trees == 0 {
		s.trees = 100
	}
	if s.maxDepth == 0 {
		s.maxDepth = math.MaxInt32 // scikit-learn's None
	}
	if s.minLeaf == 0 {
		s.minLeaf = 1
	}
	if s.minSplit == 0 {
		s.minSplit = 2
	}
	s.minSplit = max(s.minSplit, 2*s.minLeaf)
	switch {
	case p.MaxFeaturesN > 0:
		if p.MaxFeaturesN > d {
			return settings{}, fmt.Errorf("forest: max_features %d exceeds the %d features", p.MaxFeaturesN, d)
		}
		s.maxFeatures = p.MaxFeaturesN
	case p.MaxFeaturesFrac > 0:
		s.maxFeatures = max(1, int(p.MaxFeaturesFrac*float64(d)))
	case p.MaxFeatures == "all":
		s.maxFeatures = d
	case p.MaxFeatures == "log2":
		s.maxFeatures = max(1, int(math.Log2(float64(d))))
	default: // "sqrt"
		s.maxFeatures = max(1, int(math.Sqrt(float64(d))))
	}
	return s, nil
}
