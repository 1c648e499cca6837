package figures

import (
	"image/color"
	"math"
	"slices"
	"testing"
)

// registeredNames is `albench list strategies` plus external.
var registeredNames = []string{"random", "least_confidence", "margin", "entropy", "qbc", "egl", "bald",
	"coreset", "badge", "density", "graph_density", "hierarchical", "info_diversity", "mcm",
	"cluster_margin", "eer", "dwus", "typiclust", "probcover", "albl", "quire", "hintsvm",
	"batchbald", "oracle_greedy", "oracle_bso", "external"}

func TestRegisteredStylesDistinct(t *testing.T) {
	if len(registered) != len(registeredNames) {
		t.Errorf("the style table has %d names, albench registers %d", len(registered), len(registeredNames))
	}
	seen := map[Style]string{}
	for _, n := range registeredNames {
		s, ok := registered[n]
		if !ok {
			t.Errorf("%s has no fixed style", n)
			continue
		}
		if o, dup := seen[s]; dup {
			t.Errorf("%s and %s share style %+v", n, o, s)
		}
		seen[s] = n
		if s.Color >= len(Palette) || s.Marker >= len(Markers) || s.Dash >= len(Dashes) {
			t.Errorf("%s: style %+v out of range", n, s)
		}
	}
	// In one figure with all of them nothing moves.
	got := resolveStyles(registeredNames)
	for _, n := range registeredNames {
		if got[n] != registered[n] {
			t.Errorf("%s moved from %+v to %+v", n, registered[n], got[n])
		}
	}
}

// Two studies listing strategies in different orders, with other names
// among them, draw each strategy alike.
func TestStyleFixedByName(t *testing.T) {
	a := []string{"margin", "entropy", "my-strategy", "badge", "margin-svm"}
	b := []string{"badge", "margin-svm", "coreset", "margin", "my-strategy"}
	sa, sb := resolveStyles(a), resolveStyles(b)
	for _, n := range a {
		if _, ok := sb[n]; ok && sa[n] != sb[n] {
			t.Errorf("%s: %+v in one study, %+v in the other", n, sa[n], sb[n])
		}
	}
	if sa["margin"] != (Style{1, 1, 0}) {
		t.Errorf("margin: %+v, want the table's {1 1 0}", sa["margin"])
	}
	// Figures built from the two orders give the same look per name.
	pa, pb := Panel{}, Panel{}
	for _, n := range a {
		pa.Series = append(pa.Series, Series{Name: n})
	}
	for _, n := range b {
		pb.Series = append(pb.Series, Series{Name: n})
	}
	la, _ := looksOf([]Panel{pa})
	lb, _ := looksOf([]Panel{pb})
	if la["margin"].line.Color != lb["margin"].line.Color || la["badge"].glyph.Shape != lb["badge"].glyph.Shape {
		t.Error("a strategy's look depends on the study's order")
	}
}

func TestStyleForOtherNames(t *testing.T) {
	// A variant of a registered strategy: its colour and marker, the next dash.
	if got, want := StyleFor("margin-svm"), (Style{1, 1, 1}); got != want {
		t.Errorf("margin-svm: %+v, want %+v", got, want)
	}
	if got, want := StyleFor("bald (k=5)"), (Style{5, 0, 1}); got != want {
		t.Errorf("bald (k=5): %+v, want %+v", got, want)
	}
	// A variant of a name with "_" in it (cluster_margin); and
	// "marginal" is no variant of margin (no separator after the prefix).
	if got, want := StyleFor("cluster_margin-v2"), (Style{4, 5, 2}); got != want {
		t.Errorf("cluster_margin-v2: %+v, want %+v", got, want)
	}
	// FNV-1a("marginal") = 0x3c4960a6 = 1011441830: colour 1011441830 mod 12 = 2,
	// marker (1011441830 / 12) mod 9 = 84286819 mod 9 = 1, dash
	// (1011441830 / 108) mod 3 = 9365202 mod 3 = 0.
	if got, want := StyleFor("marginal"), (Style{2, 1, 0}); got != want {
		t.Errorf("marginal: %+v, want %+v", got, want)
	}
}

// Two names with one style in the same figure are told apart, the same way
// whatever their order.
func TestResolveCollisions(t *testing.T) {
	// "margin-svm" and "margin_rbf" are both margin's colour and marker with
	// dash 1.
	for _, names := range [][]string{{"margin-svm", "margin_rbf", "margin"}, {"margin", "margin_rbf", "margin-svm"}} {
		got := resolveStyles(names)
		if got["margin-svm"] != (Style{1, 1, 1}) {
			t.Errorf("%v: margin-svm %+v, want {1 1 1} (first in byte order keeps its style)", names, got["margin-svm"])
		}
		if got["margin_rbf"] != (Style{1, 1, 2}) {
			t.Errorf("%v: margin_rbf %+v, want {1 1 2}", names, got["margin_rbf"])
		}
	}
	// Many unregistered names never share a style.
	var names []string
	for i := range 200 {
		names = append(names, "s"+string(rune('a'+i%26))+string(rune('a'+i/26)))
	}
	seen := map[Style]bool{}
	for _, s := range resolveStyles(names) {
		if seen[s] {
			t.Fatalf("two of 200 names share style %+v", s)
		}
		seen[s] = true
	}
}

// lab is CIE L*a*b* (D65) of an sRGB colour.
func lab(c color.NRGBA) [3]float64 {
	lin := func(v uint8) float64 {
		x := float64(v) / 255
		if x <= 0.04045 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	r, g, b := lin(c.R), lin(c.G), lin(c.B)
	x := float64(float64(0.4124*r)+float64(0.3576*g)+float64(0.1805*b)) / 0.95047
	y := float64(0.2126*r) + float64(0.7152*g) + float64(0.0722*b)
	z := float64(float64(0.0193*r)+float64(0.1192*g)+float64(0.9505*b)) / 1.08883
	f := func(t float64) float64 {
		if t > 0.008856 {
			return math.Cbrt(t)
		}
		return float64(7.787*t) + 16.0/116
	}
	return [3]float64{float64(116*f(y)) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))}
}

func luminance(c color.NRGBA) float64 {
	l := lab(c) // recompute Y from L*
	fy := (l[0] + 16) / 116
	if fy > 0.2069 {
		return fy * fy * fy
	}
	return (fy - 16.0/116) / 7.787
}

// The palette has at least 12 colours, each visible on white (WCAG contrast
// ≥ 2.2) and far from the others and from the greys of the baseline and
// ceilings (ΔE*ab ≥ 20).
func TestPaletteReadable(t *testing.T) {
	if len(Palette) < 12 {
		t.Fatalf("%d colours, want at least 12", len(Palette))
	}
	greys := []color.NRGBA{baselineColor, darkInk}
	for i, c := range Palette {
		if ratio := 1.05 / (luminance(c) + 0.05); ratio < 2.2 {
			t.Errorf("%v: contrast %.2f against white, want ≥ 2.2", c, ratio)
		}
		for _, d := range append(slices.Clone(Palette[i+1:]), greys...) {
			a, b := lab(c), lab(d)
			if de := math.Hypot(math.Hypot(a[0]-b[0], a[1]-b[1]), a[2]-b[2]); de < 20 {
				t.Errorf("%v and %v: ΔE %.1f, want ≥ 20", c, d, de)
			}
		}
	}
}
