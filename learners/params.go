package learners

import (
	"fmt"
	"math"
)

// Decoders shared by several kinds.

// gammaParam decodes an RBF/poly kernel's gamma: "scale", "auto" or a positive number.
func gammaParam(v any) (any, string) {
	if s, ok := v.(string); ok {
		if s == "scale" || s == "auto" {
			return s, ""
		}
		return nil, "must be scale, auto or a positive number"
	}
	f, ok := asFloat(v)
	if !ok || !(f > 0) || math.IsInf(f, 0) {
		return nil, "must be scale, auto or a positive number"
	}
	return f, ""
}

// maxFeaturesParam decodes a forest's max_features: sqrt, log2, all, an integer
// count ≥ 1, or a fraction in (0, 1] written with a decimal point.
func maxFeaturesParam(v any) (any, string) {
	const msg = "must be sqrt, log2, all, an integer ≥ 1 or a fraction in (0, 1]"
	switch x := v.(type) {
	case string:
		if x == "sqrt" || x == "log2" || x == "all" {
			return x, ""
		}
		return nil, msg
	case float64:
		if x > 0 && x <= 1 {
			return x, ""
		}
		return nil, msg
	}
	if i, ok := asInt(v); ok && i >= 1 && i <= maxWidth {
		return i, ""
	}
	return nil, msg
}

// optionalDepth decodes max_depth: null or 0 for unlimited (scikit-learn's None),
// else an integer ≥ 1.
func optionalDepth(v any) (any, string) {
	if v == nil {
		return 0, ""
	}
	i, ok := asInt(v)
	if !ok || i < 0 || i > maxWidth {
		return nil, fmt.Sprintf("must be null (unlimited) or an integer in [1, %d]", maxWidth)
	}
	return i, ""
}

func nonNegative(f float64) bool { return f >= 0 }
