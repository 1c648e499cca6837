package figures

import (
	"hash/fnv"
	"image/color"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Role is what a series stands for, which decides how it is drawn.
type Role int

const (
	// Strategy is a query strategy: a colour, marker and dash of its own.
	Strategy Role = iota
	// Baseline is the random baseline: grey, dashed, with a light band.
	Baseline
	// Skyline is the model trained on the whole pool: dark, thin, dotted.
	Skyline
	// Oracle is an upper bound that peeks at labels: dark, thin, dash-dotted.
	Oracle
)

// Palette is the strategies' colours: the seven darker hues of Okabe & Ito
// (2008, "Color Universal Design", https://jfly.uni-koeln.de/color/) without
// their yellow #F0E442 and black, then five of Paul Tol's "muted" scheme
// (Tol 2021, "Colour schemes", SRON/EPS/TN/09-002, https://personal.sron.nl/~pault/)
// without its pale cyan #88CCEE and sand #DDCC77. Every entry has a WCAG
// contrast ratio of at least 2.2 against white (the yellow left out has 1.2),
// so thin lines stay visible, and any two differ by ΔE*ab ≥ 20 (CIE 1976);
// greys are left to the baseline, the skyline and the oracles.
var Palette = []color.NRGBA{
	{0x00, 0x72, 0xB2, 0xFF}, // Okabe–Ito blue
	{0xD5, 0x5E, 0x00, 0xFF}, // Okabe–Ito vermillion
	{0x00, 0x9E, 0x73, 0xFF}, // Okabe–Ito bluish green
	{0xCC, 0x79, 0xA7, 0xFF}, // Okabe–Ito reddish purple
	{0xE6, 0x9F, 0x00, 0xFF}, // Okabe–Ito orange
	{0x56, 0xB4, 0xE9, 0xFF}, // Okabe–Ito sky blue
	{0x33, 0x22, 0x88, 0xFF}, // Tol muted indigo
	{0x11, 0x77, 0x33, 0xFF}, // Tol muted green
	{0x88, 0x22, 0x55, 0xFF}, // Tol muted wine
	{0x99, 0x99, 0x33, 0xFF}, // Tol muted olive
	{0xAA, 0x44, 0x99, 0xFF}, // Tol muted purple
	{0xCC, 0x66, 0x77, 0xFF}, // Tol muted rose
}

// Markers is the strategies' marker shapes, in Style.Marker order: filled
// circle, square, triangle, diamond and inverted triangle, then hollow circle,
// square and triangle, and ×. Hollow markers are filled white, so that
// lines do not show through them.
var Markers = []draw.GlyphDrawer{
	marker{circle, false}, marker{square, false}, marker{triangle, false}, marker{diamond, false},
	marker{inverted, false}, marker{circle, true}, marker{square, true}, marker{triangle, true}, marker{cross, true},
}

// Dashes is the strategies' line patterns, in Style.Dash order: solid,
// dashed, and dash-dot. None is the baseline's long dash, the skyline's dots
// or an oracle's pattern.
var Dashes = [][]vg.Length{
	nil,
	{vg.Points(3.5), vg.Points(1.5)},
	{vg.Points(5), vg.Points(1.5), vg.Points(1), vg.Points(1.5)},
}

// Style is how a strategy's series is drawn: indices into Palette, Markers
// and Dashes.
type Style struct{ Color, Marker, Dash int }

// registered fixes the style of every strategy albench registers
// (`albench list strategies`), so that they are pairwise distinct: the twelve
// most used take the twelve colours with solid lines; the rest reuse the
// colours with another marker and a dashed line. random and the oracles are
// listed for the rare figure that draws them as plain strategies.
var registered = map[string]Style{
	"least_confidence": {0, 0, 0},
	"margin":           {1, 1, 0},
	"entropy":          {2, 2, 0},
	"coreset":          {3, 3, 0},
	"badge":            {4, 4, 0},
	"bald":             {5, 0, 0},
	"qbc":              {6, 1, 0},
	"egl":              {7, 2, 0},
	"density":          {8, 3, 0},
	"batchbald":        {9, 4, 0},
	"typiclust":        {10, 0, 0},
	"probcover":        {11, 1, 0},
	"graph_density":    {0, 5, 1},
	"hierarchical":     {1, 6, 1},
	"info_diversity":   {2, 7, 1},
	"mcm":              {3, 8, 1},
	"cluster_margin":   {4, 5, 1},
	"eer":              {5, 6, 1},
	"dwus":             {6, 7, 1},
	"albl":             {7, 8, 1},
	"quire":            {8, 5, 1},
	"hintsvm":          {9, 6, 1},
	"external":         {10, 7, 1},
	"random":           {11, 8, 1},
	"oracle_greedy":    {0, 3, 2},
	"oracle_bso":       {1, 4, 2},
}

// StyleFor is the style of a strategy named name, the same in every figure
// and study:
//
//   - a registered strategy has its entry of a fixed table;
//   - a name that starts with a registered name and one of "-_:/ (." after it
//     ("margin-svm", "bald (k=5)") has the colour and marker of the longest
//     such name, and the dash after its dash;
//   - any other name takes colour, marker and dash from the FNV-1a hash h of
//     the name: Color = h mod 12, Marker = (h / 12) mod 9, Dash = (h / 108) mod 3.
//
// Two names may share a style by these rules; within one figure the one that
// is not registered (both unregistered: the later in byte order) then steps
// through the (dash, marker, colour) combinations to the next free style, so
// the result depends on the set of names, never on their order.
func StyleFor(name string) Style {
	if s, ok := registered[name]; ok {
		return s
	}
	best := ""
	for r := range registered {
		if len(r) > len(best) && len(name) > len(r) && strings.HasPrefix(name, r) && strings.ContainsRune("-_:/ (.", rune(name[len(r)])) {
			best = r
		}
	}
	if best != "" {
		s := registered[best]
		s.Dash = (s.Dash + 1) % len(Dashes)
		return s
	}
	h := fnv.New32a()
	h.Write([]byte(name))
	v := h.Sum32()
	nc, nm, nd := uint32(len(Palette)), uint32(len(Markers)), uint32(len(Dashes))
	return Style{int(v % nc), int((v / nc) % nm), int((v / (nc * nm)) % nd)}
}

// next is the style after s in a fixed cycle through every (dash, marker,
// colour) combination, used to move a series off a style already taken.
func (s Style) next() Style {
	s.Dash++
	if s.Dash == len(Dashes) {
		s.Dash = 0
		s.Marker = (s.Marker + 1) % len(Markers)
		if s.Marker == 0 {
			s.Color = (s.Color + 1) % len(Palette)
		}
	}
	return s
}

// resolveStyles is the style of each name in one figure: StyleFor, except
// that when two names share a style the one that is not registered (or, both
// unregistered, the later in byte order) steps through Style.next until its
// style is free. The result depends on the set of names, not their order.
func resolveStyles(names []string) map[string]Style {
	order := slices.Clone(names)
	slices.SortFunc(order, func(a, b string) int {
		_, ra := registered[a]
		_, rb := registered[b]
		if ra != rb {
			if ra {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	})
	out := make(map[string]Style, len(order))
	used := map[Style]bool{}
	for _, n := range order {
		if _, ok := out[n]; ok {
			continue
		}
		s := StyleFor(n)
		for i := 0; used[s] && i < len(Palette)*len(Markers)*len(Dashes); i++ {
			s = s.next()
		}
		used[s] = true
		out[n] = s
	}
	return out
}

// Colours and dashes of the series that are not strategies.
var (
	baselineColor = color.NRGBA{0x80, 0x80, 0x80, 0xFF}
	baselineBand  = color.NRGBA{0x80, 0x80, 0x80, 0x40}
	darkInk       = color.NRGBA{0x22, 0x22, 0x22, 0xFF}
	baselineDash  = []vg.Length{vg.Points(6), vg.Points(2.5)}
	skylineDash   = []vg.Length{vg.Points(1), vg.Points(1.8)}
	// oracleDashes: oracle_greedy, oracle_bso, then any other oracle by name.
	oracleDashes = [][]vg.Length{
		{vg.Points(7), vg.Points(2), vg.Points(1.2), vg.Points(2)},
		{vg.Points(7), vg.Points(2), vg.Points(1.2), vg.Points(2), vg.Points(1.2), vg.Points(2)},
		{vg.Points(12), vg.Points(3)},
	}
)

// oracleDash is the dash of the oracle named name: fixed for the two
// registered oracles, the long dash for any other.
func oracleDash(name string) []vg.Length {
	switch name {
	case "oracle_greedy":
		return oracleDashes[0]
	case "oracle_bso":
		return oracleDashes[1]
	}
	return oracleDashes[2]
}

// look is the resolved drawing of one series.
type look struct {
	line   draw.LineStyle
	glyph  draw.GlyphStyle // Shape nil: no marker
	band   color.Color     // nil: no band
	legend int             // order in a legend: strategies, baseline, oracles, skyline
}

// lookOf is how a series of role, named name with strategy style st, is
// drawn; bandAlpha is the opacity of a strategy's band.
func lookOf(name string, role Role, st Style, bandAlpha uint8) look {
	switch role {
	case Baseline:
		return look{line: draw.LineStyle{Color: baselineColor, Width: vg.Points(1.1), Dashes: baselineDash},
			band: baselineBand, legend: 1}
	case Skyline:
		return look{line: draw.LineStyle{Color: darkInk, Width: vg.Points(0.8), Dashes: skylineDash}, legend: 3}
	case Oracle:
		return look{line: draw.LineStyle{Color: darkInk, Width: vg.Points(0.8), Dashes: oracleDash(name)}, legend: 2}
	}
	c := Palette[st.Color]
	b := c
	b.A = bandAlpha
	return look{
		line:  draw.LineStyle{Color: c, Width: vg.Points(1), Dashes: Dashes[st.Dash]},
		glyph: draw.GlyphStyle{Color: c, Radius: vg.Points(1.7), Shape: Markers[st.Marker]},
		band:  b,
	}
}

// Marker shapes.
const (
	circle = iota
	square
	triangle
	diamond
	inverted
	cross
)

// marker is a glyph of one of the shapes above, filled or hollow; sizes are
// scaled so that all shapes look equally large at the same radius.
type marker struct {
	shape  int
	hollow bool
}

// DrawGlyph implements draw.GlyphDrawer.
func (m marker) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	r := sty.Radius
	at := func(dx, dy float64) vg.Point {
		return vg.Point{X: pt.X + vg.Length(dx*float64(r)), Y: pt.Y + vg.Length(dy*float64(r))}
	}
	var p vg.Path
	switch m.shape {
	case circle:
		p.Move(at(1, 0))
		p.Arc(pt, r, 0, 2*math.Pi)
	case square:
		p.Move(at(-0.85, -0.85))
		p.Line(at(0.85, -0.85))
		p.Line(at(0.85, 0.85))
		p.Line(at(-0.85, 0.85))
	case triangle:
		p.Move(at(0, 1.15))
		p.Line(at(1.05, -0.7))
		p.Line(at(-1.05, -0.7))
	case inverted:
		p.Move(at(0, -1.15))
		p.Line(at(1.05, 0.7))
		p.Line(at(-1.05, 0.7))
	case diamond:
		p.Move(at(0, 1.2))
		p.Line(at(1.2, 0))
		p.Line(at(0, -1.2))
		p.Line(at(-1.2, 0))
	case cross:
		c.SetLineStyle(draw.LineStyle{Color: sty.Color, Width: vg.Points(0.9)})
		c.StrokeLine2(draw.LineStyle{Color: sty.Color, Width: vg.Points(0.9)}, at(-0.9, -0.9).X, at(-0.9, -0.9).Y, at(0.9, 0.9).X, at(0.9, 0.9).Y)
		c.StrokeLine2(draw.LineStyle{Color: sty.Color, Width: vg.Points(0.9)}, at(-0.9, 0.9).X, at(-0.9, 0.9).Y, at(0.9, -0.9).X, at(0.9, -0.9).Y)
		return
	}
	p.Close()
	if !m.hollow {
		c.SetColor(sty.Color)
		c.Fill(p)
		return
	}
	c.SetColor(color.White)
	c.Fill(p)
	c.SetLineStyle(draw.LineStyle{Color: sty.Color, Width: vg.Points(0.8)})
	c.Stroke(p)
}
