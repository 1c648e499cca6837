package figures

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// DeltaPoint is one strategy's difference from the baseline on one dataset
// (ΔAULC, say): its mean and confidence interval [Lo, Hi] (NaN: no
// whisker), and whether the difference is significant.
type DeltaPoint struct {
	Dataset, Strategy string
	Mean, Lo, Hi      float64
	Significant       bool
}

// DeltaPlot is a dot plot of differences from the baseline: a panel per
// dataset, a row per strategy.
type DeltaPlot struct {
	// XLabel names the difference, e.g. "ΔAULC vs random".
	XLabel string
	// Datasets and Strategies are the panels and the rows, top to bottom.
	Datasets, Strategies []string
	Points               []DeltaPoint
	// Significant and NotSignificant label the filled and hollow markers in
	// the legend, e.g. "Holm p < 0.05".
	Significant, NotSignificant string
}

// Delta draws d as small multiples: one panel per dataset with its own
// x-range (round ticks, zero always in range and marked by the baseline's
// dashed line), one row per strategy named on the left of each row of
// panels, each point a marker in the strategy's colour with its confidence
// interval as a whisker: filled when significant, hollow when not.
func Delta(d DeltaPlot, o Options) Figure {
	w := o.width()
	styles := resolveStyles(d.Strategies)
	nameSty := textStyle(tickSize, draw.XRight, draw.YCenter)
	var nameW vg.Length
	for _, s := range d.Strategies {
		nameW = max(nameW, nameSty.Width(s))
	}
	n := max(1, len(d.Datasets))
	maxCols := max(1, int(float64((w-nameW)/(1.25*vg.Inch))))
	rows := (n + maxCols - 1) / maxCols
	cols := (n + rows - 1) / rows
	rowH := vg.Length(vg.Length(len(d.Strategies))*vg.Points(10.5)) + vg.Points(40)
	es := []legendEntry{
		{d.Significant, look{glyph: draw.GlyphStyle{Color: darkInk, Radius: vg.Points(2.2), Shape: filledCircle}}},
		{d.NotSignificant, look{glyph: draw.GlyphStyle{Color: darkInk, Radius: vg.Points(2.2), Shape: hollowCircle}}},
	}
	_, _, _, _, legH := legendLayout(es, w)
	legH += vg.Points(6)
	h := vg.Length(vg.Length(rows)*rowH) + legH
	return Figure{Width: w, Height: h, draw: func(dc draw.Canvas) {
		plots := make([][]*plot.Plot, rows)
		for r := range plots {
			plots[r] = make([]*plot.Plot, cols)
			for c := range plots[r] {
				if i := r*cols + c; i < len(d.Datasets) {
					plots[r][c] = deltaPanel(d, d.Datasets[i], styles, c == 0)
				}
			}
		}
		tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Points(8), PadY: vg.Points(8),
			PadTop: vg.Points(2), PadBottom: vg.Points(2), PadLeft: vg.Points(2), PadRight: vg.Points(6)}
		drawAligned(plots, tiles, draw.Crop(dc, 0, 0, legH, 0))
		drawLegend(draw.Crop(dc, 0, 0, 0, -(h-legH+vg.Points(4))), es)
	}}
}

// deltaPanel is the panel of dataset ds; names puts the strategy names on
// its y-axis.
func deltaPanel(d DeltaPlot, ds string, styles map[string]Style, names bool) *plot.Plot {
	p := newPlot(ds, d.XLabel, "")
	k := len(d.Strategies)
	row := map[string]float64{}
	labels := make([]string, k)
	for i, s := range d.Strategies {
		row[s] = float64(k - 1 - i)
		if names {
			labels[k-1-i] = s
		}
	}
	lo, hi := 0.0, 0.0
	var dots deltaDots
	for _, pt := range d.Points {
		y, ok := row[pt.Strategy]
		if pt.Dataset != ds || !ok || math.IsNaN(pt.Mean) {
			continue
		}
		for _, v := range []float64{pt.Mean, pt.Lo, pt.Hi} {
			if !math.IsNaN(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
		dots = append(dots, deltaDot{y: y, pt: pt, color: Palette[styles[pt.Strategy].Color]})
	}
	grid := plotter.NewGrid()
	grid.Vertical = draw.LineStyle{Color: color.Gray{0xE4}, Width: vg.Points(0.4)}
	grid.Horizontal = grid.Vertical
	p.Add(grid, zeroLine{}, dots)
	niceAxis(lo, hi, 0.06, 3, 3, 4, narrowMantissas).apply(&p.X)
	p.NominalY(labels...)
	p.Y.Min, p.Y.Max = -0.6, float64(k)-0.4
	p.Y.Tick.Label.Font.Size = vg.Points(tickSize)
	return p
}

// zeroLine is the baseline's dashed vertical line at x = 0.
type zeroLine struct{}

// Plot implements plot.Plotter.
func (zeroLine) Plot(c draw.Canvas, p *plot.Plot) {
	tx, _ := p.Transforms(&c)
	x := tx(0)
	c.StrokeLine2(draw.LineStyle{Color: baselineColor, Width: vg.Points(0.8), Dashes: baselineDash}, x, c.Min.Y, x, c.Max.Y)
}

// deltaDot is one point of a delta panel at row y.
type deltaDot struct {
	y     float64
	pt    DeltaPoint
	color color.Color
}

// deltaDots draws whiskers, then markers over them.
type deltaDots []deltaDot

// Plot implements plot.Plotter.
func (ds deltaDots) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	for _, d := range ds {
		if math.IsNaN(d.pt.Lo) || math.IsNaN(d.pt.Hi) {
			continue
		}
		ls := draw.LineStyle{Color: d.color, Width: vg.Points(0.9)}
		y := ty(d.y)
		cap := vg.Points(2)
		c.StrokeLine2(ls, tx(d.pt.Lo), y, tx(d.pt.Hi), y)
		c.StrokeLine2(ls, tx(d.pt.Lo), y-cap, tx(d.pt.Lo), y+cap)
		c.StrokeLine2(ls, tx(d.pt.Hi), y-cap, tx(d.pt.Hi), y+cap)
	}
	for _, d := range ds {
		g := draw.GlyphStyle{Color: d.color, Radius: vg.Points(2.4), Shape: hollowCircle}
		if d.pt.Significant {
			g.Shape = filledCircle
		}
		c.DrawGlyph(g, vg.Point{X: tx(d.pt.Mean), Y: ty(d.y)})
	}
}

// hollowCircle and filledCircle are the delta plot's markers.
var (
	hollowCircle = marker{circle, true}
	filledCircle = marker{circle, false}
)
