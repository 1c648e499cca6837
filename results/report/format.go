package report

import (
	"fmt"
	"math"
	"strconv"
)

func pct(f float64) string { return strconv.FormatFloat(100*f, 'f', -1, 64) + "%" }

// meanStd prints "0.848 ± 0.010", or the mean alone for a single seed.
func meanStd(mean, std float64) string {
	if math.IsNaN(mean) {
		return "—"
	}
	if math.IsNaN(std) {
		return fixed3(mean)
	}
	return fixed3(mean) + " ± " + fixed3(std)
}

// fixed3 prints v with the 3 decimals of the report's metric tables.
func fixed3(v float64) string { return strconv.FormatFloat(v, 'f', 3, 64) }

func pval(p float64) string {
	switch {
	case math.IsNaN(p):
		return "—"
	case p < 1e-4:
		return "<0.0001"
	}
	return fmt.Sprintf("%.4f", p)
}

func signed(v float64) string {
	if math.IsNaN(v) {
		return "—"
	}
	return fmt.Sprintf("%+.4f", v)
}

// rankStr prints a rank on one dataset: an integer or a half.
func rankStr(v float64) string {
	if math.IsNaN(v) {
		return "—"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// meanRank prints a mean rank with 2 decimals.
func meanRank(v float64) string {
	if math.IsNaN(v) {
		return "—"
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}

// ms prints a duration in milliseconds with 3 significant digits at most
// and no exponent: 1234, 123, 12.3, 1.23, 0.12.
func ms(v float64) string {
	switch {
	case math.IsNaN(v):
		return "—"
	case v >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}

// bold marks a cell bold.
func bold(cell string) string { return "**" + cell + "**" }

// best reports, for each of vals, whether it is the best of the eligible
// values as shown: each is first rounded as show prints it, so that values
// printed alike are all bold or none is. higher says whether larger is
// better. NaN values and those not eligible are never best.
func best(vals []float64, eligible []bool, higher bool, show func(float64) string) []bool {
	shown := make([]float64, len(vals))
	top, any := math.Inf(-1), false
	if !higher {
		top = math.Inf(1)
	}
	for i, v := range vals {
		if !eligible[i] || math.IsNaN(v) {
			continue
		}
		s, err := strconv.ParseFloat(show(v), 64)
		if err != nil {
			s = v
		}
		shown[i] = s
		if higher && s > top || !higher && s < top || !any {
			top = s
		}
		any = true
	}
	out := make([]bool, len(vals))
	for i, v := range vals {
		out[i] = any && eligible[i] && !math.IsNaN(v) && shown[i] == top
	}
	return out
}
