package figures

import (
	"math"
	"strconv"

	"gonum.org/v1/plot"
)

// Axis is a readable axis: its range and its ticks with their labels.
type Axis struct {
	Min, Max float64
	Ticks    []float64
	Labels   []string
}

// tickMantissas are the allowed tick steps within a decade; narrowMantissas
// leave out 2.5, whose labels need one decimal more, for narrow axes.
var (
	tickMantissas   = []float64{1, 2, 2.5, 5}
	narrowMantissas = []float64{1, 2, 5}
)

// NiceAxis is an axis over [lo, hi], first widened by pad × (hi − lo) on each
// side (a zero-width range by 1% of its value, or 0.5 at zero), with ticks
// at the multiples of a step m × 10^k, m ∈ {1, 2, 2.5, 5}, that fall in the
// range. Of the steps giving 4 to 6 ticks it takes the one giving nearest 5,
// a step of 2.5 × 10^k counting as 1.5 ticks further (it needs one decimal
// more), the larger step on a tie; when none gives 4 to 6, the range is
// widened to the next multiple of the largest step giving 3, on the nearer
// side, to make 4.
// Labels have the fewest decimals that print every tick exactly
// (0.85, 0.90, 0.95; 0.025, 0.050).
func NiceAxis(lo, hi, pad float64) Axis { return niceAxis(lo, hi, pad, 4, 5, 6, tickMantissas) }

// countAxis is the axis of a count such as the number of labeled examples
// over [lo, hi], with whole steps only (1, 2, 5, 10, 20, 25, 50, ...: never
// 7.5 labeled examples) and 4 to 7 ticks; NiceAxis for a span under 3.
func countAxis(lo, hi float64) Axis {
	if !(hi-lo >= 3) {
		return NiceAxis(lo, hi, 0)
	}
	return niceSteps(lo, hi, 0, 4, 5, 7, tickMantissas, 1)
}

// niceAxis is NiceAxis with from minN to maxN ticks, want preferred, and
// steps m × 10^k for m in mantissas.
func niceAxis(lo, hi, pad float64, minN, want, maxN int, mantissas []float64) Axis {
	return niceSteps(lo, hi, pad, minN, want, maxN, mantissas, 0)
}

// niceSteps is niceAxis with steps that are whole multiples of unit, if unit
// is not zero.
func niceSteps(lo, hi, pad float64, minN, want, maxN int, mantissas []float64, unit float64) Axis {
	if !(lo <= hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		lo, hi = 0, 1
	}
	if span := hi - lo; span > 0 {
		lo, hi = lo-float64(pad*span), hi+float64(pad*span)
	} else {
		d := float64(0.01 * math.Abs(lo))
		if d == 0 {
			d = 0.5
		}
		lo, hi = lo-d, hi+d
	}
	span := hi - lo
	k0 := decade(span)
	best, bestScore := 0.0, 0.0
	fallback := 0.0
	for k := k0 - 2; k <= k0+1; k++ {
		for _, m := range mantissas {
			s := float64(m * pow10(k))
			if unit > 0 && (s < unit || math.Abs(s/unit-math.Round(s/unit)) > 1e-9) {
				continue
			}
			n := tickCount(lo, hi, s)
			score := float64(abs(n - want))
			if m == 2.5 {
				score += 1.5
			}
			if n >= minN && n <= maxN && (best == 0 || score < bestScore || score == bestScore && s > best) {
				best, bestScore = s, score
			}
			if n == minN-1 {
				fallback = s
			}
		}
	}
	if best == 0 {
		best = fallback
		if best == 0 { // unreachable: successive steps differ by at most 2
			best = span / 4
		}
		// The multiples just outside the range's ticks, one of which makes 4.
		below := float64((math.Ceil(lo/best-1e-9) - 1) * best)
		above := float64((math.Floor(hi/best+1e-9) + 1) * best)
		if lo-below <= above-hi {
			lo = below
		} else {
			hi = above
		}
	}
	a := Axis{Min: lo, Max: hi}
	for i := math.Ceil(lo/best - 1e-9); i <= math.Floor(hi/best+1e-9); i++ {
		a.Ticks = append(a.Ticks, float64(i*best))
	}
	a.Labels = TickLabels(a.Ticks, best)
	return a
}

// tickCount is how many multiples of s lie in [lo, hi], allowing for
// rounding at the ends.
func tickCount(lo, hi, s float64) int {
	return int(math.Floor(hi/s+1e-9)-math.Ceil(lo/s-1e-9)) + 1
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// TickLabels prints ticks spaced step apart with the fewest decimals, the
// same for all, that print each of them to within step/1000.
func TickLabels(ticks []float64, step float64) []string {
	d := 0
	for ; d < 12; d++ {
		ok := true
		for _, t := range ticks {
			v, _ := strconv.ParseFloat(strconv.FormatFloat(t, 'f', d, 64), 64)
			if math.Abs(v-t) > step/1000 {
				ok = false
				break
			}
		}
		if ok {
			break
		}
	}
	out := make([]string, len(ticks))
	for i, t := range ticks {
		if math.Abs(t) < step/1e6 {
			t = 0 // never "-0.00"
		}
		out[i] = strconv.FormatFloat(t, 'f', d, 64)
	}
	return out
}

// ticker gives a plot axis the ticks of an Axis.
type ticker struct{ a Axis }

// Ticks implements plot.Ticker.
func (t ticker) Ticks(_, _ float64) []plot.Tick {
	out := make([]plot.Tick, len(t.a.Ticks))
	for i, v := range t.a.Ticks {
		out[i] = plot.Tick{Value: v, Label: t.a.Labels[i]}
	}
	return out
}

// apply sets ax to a's range and ticks.
func (a Axis) apply(ax *plot.Axis) {
	ax.Min, ax.Max = a.Min, a.Max
	ax.Tick.Marker = ticker{a}
}

// pow10 is 10^k correctly rounded.
func pow10(k int) float64 {
	v, _ := strconv.ParseFloat("1e"+strconv.Itoa(k), 64)
	return v
}

// decade is the k with 10^k ≤ x < 10^(k+1), for x > 0.
func decade(x float64) int {
	k := 0
	for x >= pow10(k+1) {
		k++
	}
	for x < pow10(k) {
		k--
	}
	return k
}
