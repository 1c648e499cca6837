package figures

import (
	"image/color"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Series is one curve: its name (a strategy's, styled by StyleFor), its role,
// and per point x, the mean and the band's edges Lo ≤ Mean ≤ Hi, computed by
// the caller (95% CI, SEM or std). Lo and Hi nil: no band. A Skyline or
// Oracle series never has a band; a Skyline with one point is drawn as a
// horizontal line across the panel.
type Series struct {
	Name            string
	Role            Role
	X, Mean, Lo, Hi []float64
}

// Panel is one plot of curves.
type Panel struct {
	Title, XLabel, YLabel string
	Series                []Series
	// ZeroLine draws y = 0 (and keeps it in range), for Δ curves.
	ZeroLine bool
}

// strategyNames is the names of ps's strategy series, in first appearance.
func strategyNames(ps []Panel) []string {
	var out []string
	for _, p := range ps {
		for _, s := range p.Series {
			if s.Role == Strategy && !slices.Contains(out, s.Name) {
				out = append(out, s.Name)
			}
		}
	}
	return out
}

// looksOf is the look of every series name in ps, strategies' styles
// resolved together, with the band opacity lower when many strategies have
// bands.
func looksOf(ps []Panel) (map[string]look, []legendEntry) {
	styles := resolveStyles(strategyNames(ps))
	banded := 0
	for _, p := range ps {
		n := 0
		for _, s := range p.Series {
			if s.Role == Strategy && s.Lo != nil {
				n++
			}
		}
		banded = max(banded, n)
	}
	alpha := uint8(0x30)
	if banded > 3 {
		alpha = 0x18
	}
	looks := map[string]look{}
	var es []legendEntry
	for _, p := range ps {
		for _, s := range p.Series {
			if _, ok := looks[s.Name]; ok {
				continue
			}
			l := lookOf(s.Name, s.Role, styles[s.Name], alpha)
			looks[s.Name] = l
			es = append(es, legendEntry{s.Name, l})
		}
	}
	slices.SortStableFunc(es, func(a, b legendEntry) int { return a.look.legend - b.look.legend })
	return looks, es
}

// dataRange is the x and y extent of p's series, bands included.
func dataRange(p Panel) (xlo, xhi, ylo, yhi float64) {
	xlo, ylo = math.Inf(1), math.Inf(1)
	xhi, yhi = math.Inf(-1), math.Inf(-1)
	for _, s := range p.Series {
		flat := s.Role == Skyline && len(s.X) == 1
		for i, x := range s.X {
			if math.IsNaN(x) {
				continue
			}
			if !flat { // drawn across the panel, wherever its x
				xlo, xhi = math.Min(xlo, x), math.Max(xhi, x)
			}
			for _, v := range []([]float64){s.Mean, s.Lo, s.Hi} {
				if i < len(v) && !math.IsNaN(v[i]) {
					ylo, yhi = math.Min(ylo, v[i]), math.Max(yhi, v[i])
				}
			}
		}
	}
	if p.ZeroLine {
		ylo, yhi = math.Min(ylo, 0), math.Max(yhi, 0)
	}
	return xlo, xhi, ylo, yhi
}

// wholeX reports whether every x of p is a whole number, as counts of
// labeled examples are.
func wholeX(p Panel) bool {
	for _, s := range p.Series {
		for _, x := range s.X {
			if x != math.Trunc(x) {
				return false
			}
		}
	}
	return true
}

// panelPlot draws p: grid, bands (the baseline's first), strategy lines with
// markers, the baseline line, then oracles and the skyline on top.
func panelPlot(p Panel, looks map[string]look) *plot.Plot {
	pl := newPlot(p.Title, p.XLabel, p.YLabel)
	grid := plotter.NewGrid()
	grid.Vertical = draw.LineStyle{Color: color.Gray{0xE4}, Width: vg.Points(0.4)}
	grid.Horizontal = grid.Vertical
	pl.Add(grid)
	xlo, xhi, ylo, yhi := dataRange(p)
	if xlo > xhi {
		xlo, xhi, ylo, yhi = 0, 1, 0, 1
	}
	xa, ya := NiceAxis(xlo, xhi, 0), NiceAxis(ylo, yhi, 0.04)
	if wholeX(p) {
		xa = countAxis(xlo, xhi)
	}
	if p.ZeroLine {
		z, _ := plotter.NewLine(plotter.XYs{{X: xa.Min, Y: 0}, {X: xa.Max, Y: 0}})
		z.LineStyle = draw.LineStyle{Color: color.Gray{0x60}, Width: vg.Points(0.6)}
		pl.Add(z)
	}
	layers := make([][]plot.Plotter, 5) // bands, strategies, baseline, oracles, skyline
	for _, s := range p.Series {
		l := looks[s.Name]
		if band := bandPolygon(s); band != nil && l.band != nil && (s.Role == Strategy || s.Role == Baseline) {
			band.Color = l.band
			band.LineStyle.Width = 0
			if s.Role == Baseline {
				layers[0] = slices.Insert(layers[0], 0, plot.Plotter(band))
			} else {
				layers[0] = append(layers[0], band)
			}
		}
		pts := points(s)
		if len(pts) == 0 {
			continue
		}
		if s.Role == Skyline && len(pts) == 1 {
			pts = plotter.XYs{{X: xa.Min, Y: pts[0].Y}, {X: xa.Max, Y: pts[0].Y}}
		}
		layer := map[Role]int{Strategy: 1, Baseline: 2, Oracle: 3, Skyline: 4}[s.Role]
		if len(pts) > 1 {
			line, _ := plotter.NewLine(pts)
			line.LineStyle = l.line
			layers[layer] = append(layers[layer], line)
		}
		if l.glyph.Shape != nil {
			sc, _ := plotter.NewScatter(markerPoints(pts))
			sc.GlyphStyle = l.glyph
			layers[layer] = append(layers[layer], sc)
		}
	}
	for _, l := range layers {
		pl.Add(l...)
	}
	xa.apply(&pl.X)
	ya.apply(&pl.Y)
	return pl
}

// points is s's (x, mean) pairs without NaNs.
func points(s Series) plotter.XYs {
	var out plotter.XYs
	for i, x := range s.X {
		if i < len(s.Mean) && !math.IsNaN(x) && !math.IsNaN(s.Mean[i]) {
			out = append(out, plotter.XY{X: x, Y: s.Mean[i]})
		}
	}
	return out
}

// markerPoints is at most about ten of pts, evenly spaced, so that markers
// identify a line without crowding it.
func markerPoints(pts plotter.XYs) plotter.XYs {
	step := (len(pts) + 10) / 11
	var out plotter.XYs
	for i := 0; i < len(pts); i += step {
		out = append(out, pts[i])
	}
	return out
}

// bandPolygon is the band of s, its upper edge left to right and its lower
// edge back, or nil without one.
func bandPolygon(s Series) *plotter.Polygon {
	var up, lo plotter.XYs
	for i, x := range s.X {
		if i < len(s.Lo) && i < len(s.Hi) && !math.IsNaN(x) && !math.IsNaN(s.Lo[i]) && !math.IsNaN(s.Hi[i]) {
			up = append(up, plotter.XY{X: x, Y: s.Hi[i]})
			lo = append(lo, plotter.XY{X: x, Y: s.Lo[i]})
		}
	}
	if len(up) < 2 {
		return nil
	}
	slices.Reverse(lo)
	poly, err := plotter.NewPolygon(append(up, lo...))
	if err != nil {
		return nil
	}
	return poly
}

// Curves is one panel of learning curves, width o.WidthIn, with its legend on
// the right (5 in and wider, when it fits in one column) or below.
func Curves(p Panel, o Options) Figure {
	w := o.width()
	looks, es := looksOf([]Panel{p})
	plotW := w
	var legW, legH vg.Length
	// On the right in one column if the figure is wide and the column no
	// taller than the plot, else below.
	_, _, _, legW, colH := legendLayout(es, 0)
	right := w >= 5*vg.Inch && colH+vg.Points(24) <= vg.Length(0.55*(w-legW-vg.Points(14)))
	if right {
		plotW = w - legW - vg.Points(14)
	} else {
		_, _, _, _, legH = legendLayout(es, w)
		legH += vg.Points(9)
	}
	h := vg.Length(0.55*plotW) + legH
	return Figure{Width: w, Height: h, draw: func(dc draw.Canvas) {
		pl := panelPlot(p, looks)
		if right {
			pl.Draw(draw.Crop(dc, 0, -(legW + vg.Points(14)), 0, 0))
			drawLegend(draw.Crop(dc, plotW+vg.Points(6), -vg.Points(4), 0, -vg.Points(16)), es)
			return
		}
		pl.Draw(draw.Crop(dc, 0, 0, legH, 0))
		drawLegend(draw.Crop(dc, 0, 0, 0, -(h-legH+vg.Points(4))), es)
	}}
}

// gridShape is the columns and rows of a grid of n panels at width w: as
// many columns of at least 1.7 in as fit, then as few as keep the rows.
func gridShape(n int, w vg.Length) (cols, rows int) {
	maxCols := max(1, int(float64(w/(1.7*vg.Inch))))
	rows = (n + maxCols - 1) / maxCols
	cols = (n + rows - 1) / rows
	return cols, rows
}

// Grid lays ps out in as many columns as fit o.WidthIn, each panel with its
// own axes, labels and data-chosen ranges, and one legend for all: in the
// empty cells of the last row when it fits there, else below the panels.
func Grid(ps []Panel, o Options) Figure {
	w := o.width()
	if len(ps) == 0 {
		return Figure{Width: w, Height: vg.Inch}
	}
	looks, es := looksOf(ps)
	cols, rows := gridShape(len(ps), w)
	cellW := w / vg.Length(cols)
	cellH := vg.Length(0.8 * cellW)
	free := rows*cols - len(ps)
	_, _, _, _, inH := legendLayout(es, vg.Length(vg.Length(free)*cellW)-vg.Points(12))
	inCell := free > 0 && inH <= cellH-vg.Points(12)
	var legH vg.Length
	if !inCell {
		_, _, _, _, legH = legendLayout(es, w)
		legH += vg.Points(8)
	}
	h := vg.Length(vg.Length(rows)*cellH) + legH
	return Figure{Width: w, Height: h, draw: func(dc draw.Canvas) {
		plots := make([][]*plot.Plot, rows)
		for r := range plots {
			plots[r] = make([]*plot.Plot, cols)
			for c := range plots[r] {
				if i := r*cols + c; i < len(ps) {
					plots[r][c] = panelPlot(ps[i], looks)
				}
			}
		}
		tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Points(10), PadY: vg.Points(8),
			PadTop: vg.Points(2), PadBottom: vg.Points(2), PadLeft: vg.Points(2), PadRight: vg.Points(4)}
		area := draw.Crop(dc, 0, 0, legH, 0)
		drawAligned(plots, tiles, area)
		if inCell {
			x0 := vg.Length(vg.Length(cols-free) * cellW)
			drawLegend(draw.Crop(dc, x0+vg.Points(6), -vg.Points(6), 0, -(h-cellH+vg.Points(14))), es)
			return
		}
		drawLegend(draw.Crop(dc, 0, 0, 0, -(h-legH+vg.Points(4))), es)
	}}
}
