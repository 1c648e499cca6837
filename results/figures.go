package results

import (
	"albench/internal/atomicfile"
	"albench/results/analysis"
	"albench/results/records"
	"albench/results/report"
	"bytes"
	"fmt"
	"image/color"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/brewer"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// FigureFormats are the formats every figure is written in.
var FigureFormats = []string{"png", "svg"}

// okabeIto is the colour-blind-safe palette of Okabe & Ito (2008, "Color
// Universal Design"), its darker hues first; strategies take it in display
// order, skipping the baseline.
var okabeIto = []color.NRGBA{
	{0x00, 0x72, 0xB2, 0xFF}, // blue
	{0xD5, 0x5E, 0x00, 0xFF}, // vermillion
	{0x00, 0x9E, 0x73, 0xFF}, // bluish green
	{0xCC, 0x79, 0xA7, 0xFF}, // reddish purple
	{0xE6, 0x9F, 0x00, 0xFF}, // orange
	{0x56, 0xB4, 0xE9, 0xFF}, // sky blue
	{0xF0, 0xE4, 0x42, 0xFF}, // yellow
	{0x00, 0x00, 0x00, 0xFF}, // black
}

var (
	baselineColor = color.NRGBA{0x80, 0x80, 0x80, 0xFF}
	skylineColor  = color.NRGBA{0x33, 0x33, 0x33, 0xFF}
	baselineDash  = []vg.Length{vg.Points(6), vg.Points(3)}
	skylineDash   = []vg.Length{vg.Points(1.5), vg.Points(2.5)}
	// Past the eighth strategy colours repeat with a new dash pattern.
	cycleDashes = [][]vg.Length{nil, {vg.Points(2), vg.Points(2)}, {vg.Points(8), vg.Points(2), vg.Points(2), vg.Points(2)}}
	// Oracles are ceilings like the skyline: its dark grey, no band, and a
	// dash-dot pattern of their own (one per oracle, in display order).
	oracleDashes = [][]vg.Length{
		{vg.Points(7), vg.Points(2), vg.Points(1.5), vg.Points(2)},
		{vg.Points(7), vg.Points(2), vg.Points(1.5), vg.Points(2), vg.Points(1.5), vg.Points(2)},
		{vg.Points(12), vg.Points(3)},
	}
)

// lineStyle is a strategy's line on every figure: the baseline grey and
// dashed, an oracle dark grey and dash-dotted like a ceiling, the others from
// okabeIto in display order.
func (a plotted) lineStyle(strategy string) draw.LineStyle {
	s := draw.LineStyle{Width: vg.Points(1.6)}
	if i := slices.Index(a.Oracles, strategy); i >= 0 {
		s.Color, s.Dashes = skylineColor, oracleDashes[i%len(oracleDashes)]
		return s
	}
	if strategy == a.Baseline {
		s.Color, s.Dashes = baselineColor, baselineDash
		return s
	}
	i := 0
	for _, st := range a.Strategies {
		if st == strategy {
			break
		}
		if st != a.Baseline {
			i++
		}
	}
	s.Color = okabeIto[i%len(okabeIto)]
	s.Dashes = cycleDashes[(i/len(okabeIto))%len(cycleDashes)]
	return s
}

// plotted is an analysis with the methods that draw its figures.
type plotted struct{ *analysis.Analysis }

// figure is one figure to render: its base name, size and drawing.
type figure struct {
	name string
	w, h vg.Length
	draw func(dc draw.Canvas)
}

// figures lists the run's figures: curves per dataset, the grid, ΔAULC vs
// the baseline (when any strategy has one) and the pairwise win matrix (with
// two or more strategies).
func (a plotted) figures() []figure {
	var fs []figure
	for _, ds := range a.Datasets {
		fs = append(fs, a.curvesFigure(ds))
	}
	if len(a.Datasets) > 0 {
		fs = append(fs, a.gridFigure())
	}
	if a.ComparesBaseline(false) {
		fs = append(fs, a.deltaFigure())
	}
	if len(a.Strategies) > 1 {
		fs = append(fs, a.pairwiseFigure())
	}
	return fs
}

// render draws a figure in format ("png" or "svg") on a white background.
// gonum/plot output depends only on the drawing, so equal data give equal
// bytes.
func render(f figure, format string) ([]byte, error) {
	var c vg.CanvasWriterTo
	switch format {
	case "png":
		c = vgimg.PngCanvas{Canvas: vgimg.New(f.w, f.h)}
	case "svg":
		c = vgsvg.New(f.w, f.h)
	default:
		panic(fmt.Sprintf("results: unknown figure format %q", format))
	}
	dc := draw.New(c)
	dc.FillPolygon(color.White, []vg.Point{dc.Min, {X: dc.Max.X, Y: dc.Min.Y}, dc.Max, {X: dc.Min.X, Y: dc.Max.Y}})
	f.draw(dc)
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("results: rendering %s.%s: %w", f.name, format, err)
	}
	return buf.Bytes(), nil
}

// WriteFigures renders every figure of a into dir/figures in each of
// FigureFormats, each file written atomically.
func WriteFigures(dir string, a *analysis.Analysis) error {
	return writeFigures(dir, plotted{a}.figures())
}

// writeFigures renders figs into dir/figures in each of FigureFormats, each file
// written atomically.
func writeFigures(dir string, figs []figure) error {
	fdir := filepath.Join(dir, "figures")
	if err := os.MkdirAll(fdir, 0o755); err != nil {
		return err
	}
	for _, f := range figs {
		for _, format := range FigureFormats {
			// A PNG canvas is megabytes, allocated twice by vgimg (an image and
			// its copy): collect the last figure's before the next, so peak
			// memory is one figure's, not however many the GC let pile up.
			runtime.GC()
			b, err := render(f, format)
			if err != nil {
				return err
			}
			err = atomicfile.Write(filepath.Join(fdir, f.name+"."+format), func(w io.Writer) error {
				_, err := w.Write(b)
				return err
			})
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// newPlot is a plot with albench's common look.
func newPlot(title string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = vg.Points(12)
	p.Title.Padding = vg.Points(6)
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Label.TextStyle.Font.Size = vg.Points(11)
		ax.Tick.Label.Font.Size = vg.Points(10)
	}
	return p
}

// legend is a legend drawn beside the plots rather than over the curves.
type legend struct {
	plot.Legend
}

func newLegend() *legend {
	l := &legend{plot.NewLegend()}
	l.Top, l.Left = true, true
	l.TextStyle.Font.Size = vg.Points(10)
	l.ThumbnailWidth = vg.Points(24)
	l.Padding = vg.Points(3)
	return l
}

// width is the space the legend needs, with margins.
func (l *legend) width(names []string) vg.Length {
	var w vg.Length
	for _, n := range names {
		w = max(w, l.TextStyle.Width(n))
	}
	em := l.TextStyle.Width("M")
	return w + l.ThumbnailWidth + vg.Length(2*em)
}

// splitLegend divides dc into the plot area and a legend column of width lw
// on the right; the legend starts level with the top of the data area.
func splitLegend(dc draw.Canvas, lw vg.Length) (plotArea, legendArea draw.Canvas) {
	plotArea = draw.Crop(dc, 0, -lw, 0, 0)
	legendArea = draw.Crop(dc, dc.Max.X-dc.Min.X-lw+vg.Points(6), 0, 0, -vg.Points(30))
	return plotArea, legendArea
}

// curvesPlot is a dataset's learning curves: a translucent ±std band under
// each strategy's mean accuracy line, each oracle's mean as a dash-dotted
// ceiling without a band, and the skyline's mean as a dotted horizontal line.
func (a plotted) curvesPlot(ds string, lg *legend) *plot.Plot {
	p := newPlot(ds)
	p.X.Label.Text = "labeled examples"
	p.Y.Label.Text = "test accuracy"
	p.Add(plotter.NewGrid())

	var lines []plot.Plotter
	xmin, xmax := math.Inf(1), math.Inf(-1)
	for _, st := range a.AllStrategies() {
		pts := a.Curve(ds, st)
		if len(pts) == 0 {
			continue
		}
		mean := make(plotter.XYs, len(pts))
		band := make(plotter.XYs, 0, 2*len(pts))
		for i, c := range pts {
			x := float64(c.NLabeled)
			xmin, xmax = math.Min(xmin, x), math.Max(xmax, x)
			mean[i] = plotter.XY{X: x, Y: c.Accuracy.Mean}
			sd := c.Accuracy.Std
			if math.IsNaN(sd) {
				sd = 0
			}
			band = append(band, plotter.XY{X: x, Y: math.Min(1, c.Accuracy.Mean+sd)})
		}
		for i := len(pts) - 1; i >= 0; i-- {
			c := pts[i]
			sd := c.Accuracy.Std
			if math.IsNaN(sd) {
				sd = 0
			}
			band = append(band, plotter.XY{X: float64(c.NLabeled), Y: math.Max(0, c.Accuracy.Mean-sd)})
		}
		sty := a.lineStyle(st)
		if len(pts) > 1 && !a.IsOracle(st) {
			poly, err := plotter.NewPolygon(band)
			if err == nil {
				c := sty.Color.(color.NRGBA)
				c.A = 0x30
				poly.Color = c
				poly.LineStyle.Width = 0
				p.Add(poly) // bands first, so no band hides a line
			}
		}
		l, err := plotter.NewLine(mean)
		if err != nil {
			continue
		}
		l.LineStyle = sty
		lines = append(lines, l)
		if lg != nil {
			lg.Add(a.Shown(st), l)
		}
	}
	p.Add(lines...)
	if sky := a.Curve(ds, records.Skyline); len(sky) > 0 && xmin <= xmax {
		y := sky[len(sky)-1].Accuracy.Mean
		l, err := plotter.NewLine(plotter.XYs{{X: xmin, Y: y}, {X: xmax, Y: y}})
		if err == nil {
			l.LineStyle = draw.LineStyle{Color: skylineColor, Width: vg.Points(1.2), Dashes: skylineDash}
			p.Add(l)
			if lg != nil {
				lg.Add(records.Skyline, l)
			}
		}
	}
	padY(p)
	return p
}

// padY widens the y-range by 4% on each side, so that no line (the skyline
// above all) runs along the frame.
func padY(p *plot.Plot) {
	pad := float64(0.04 * (p.Y.Max - p.Y.Min))
	if pad == 0 {
		pad = 0.01
	}
	p.Y.Min, p.Y.Max = p.Y.Min-pad, p.Y.Max+pad
}

func (a plotted) legendNames() []string {
	names := slices.Clone(a.Strategies)
	for _, st := range a.Oracles {
		names = append(names, a.Shown(st))
	}
	return append(names, records.Skyline)
}

func (a plotted) curvesFigure(ds string) figure {
	return figure{name: report.FigureFile("curves", ds), w: 7 * vg.Inch, h: 4.2 * vg.Inch, draw: func(dc draw.Canvas) {
		lg := newLegend()
		p := a.curvesPlot(ds, lg)
		pa, la := splitLegend(dc, lg.width(a.legendNames()))
		p.Draw(pa)
		lg.Draw(la)
	}}
}

// gridFigure puts every dataset's curves in one figure, as panels aligned by
// plot.Align, with one y-range per row so that panels side by side compare.
func (a plotted) gridFigure() figure {
	n := len(a.Datasets)
	cols := min(n, 3)
	rows := (n + cols - 1) / cols
	lg := newLegend()
	lw := lg.width(a.legendNames())
	w := vg.Length(vg.Length(cols)*3.3*vg.Inch) + lw
	h := vg.Length(rows) * 2.8 * vg.Inch
	return figure{name: "grid", w: w, h: h, draw: func(dc draw.Canvas) {
		lg := newLegend()
		plots := make([][]*plot.Plot, rows)
		for r := range plots {
			plots[r] = make([]*plot.Plot, cols)
			ymin, ymax := math.Inf(1), math.Inf(-1)
			for c := range plots[r] {
				i := r*cols + c
				if i >= n {
					continue
				}
				var l *legend
				if i == 0 {
					l = lg
				}
				p := a.curvesPlot(a.Datasets[i], l)
				if c > 0 {
					p.Y.Label.Text = ""
				}
				if i+cols < n {
					p.X.Label.Text = ""
				}
				ymin, ymax = math.Min(ymin, p.Y.Min), math.Max(ymax, p.Y.Max)
				plots[r][c] = p
			}
			for _, p := range plots[r] {
				if p != nil {
					p.Y.Min, p.Y.Max = ymin, ymax
				}
			}
		}
		pa, la := splitLegend(dc, lw)
		tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Points(8), PadY: vg.Points(8),
			PadTop: vg.Points(4), PadBottom: vg.Points(4), PadLeft: vg.Points(4), PadRight: vg.Points(4)}
		canvases := plot.Align(plots, tiles, pa)
		for r := range plots {
			for c, p := range plots[r] {
				if p != nil {
					p.Draw(canvases[r][c])
				}
			}
		}
		lg.Draw(la)
	}}
}

// errPoints are points with asymmetric vertical errors.
type errPoints struct {
	plotter.XYs
	plotter.YErrors
}

// deltaFigure shows each strategy's mean ΔAULC vs the baseline, with its 95%
// t-interval, per dataset.
func (a plotted) deltaFigure() figure {
	var others []string
	for _, st := range a.Strategies {
		if st != a.Baseline {
			others = append(others, st)
		}
	}
	lg := newLegend()
	lw := lg.width(others)
	w := max(5*vg.Inch, vg.Length(vg.Length(len(a.Datasets))*vg.Length(len(others))*0.35*vg.Inch)+1.5*vg.Inch) + lw
	return figure{name: "delta_aulc", w: w, h: 4 * vg.Inch, draw: func(dc draw.Canvas) {
		lg := newLegend()
		p := newPlot("ΔAULC vs " + a.Baseline + " (mean, 95% CI over seeds)")
		p.Y.Label.Text = "ΔAULC"
		grid := plotter.NewGrid()
		grid.Vertical.Color = nil // the datasets are categories
		p.Add(grid)
		n := float64(len(a.Datasets))
		zero, _ := plotter.NewLine(plotter.XYs{{X: -0.5, Y: 0}, {X: n - 0.5, Y: 0}})
		zero.LineStyle = draw.LineStyle{Color: baselineColor, Width: vg.Points(1), Dashes: baselineDash}
		p.Add(zero)
		slot := 0.7 / float64(len(others))
		for k, st := range others {
			var pts errPoints
			for j, ds := range a.Datasets {
				i := slices.IndexFunc(a.Summary, func(r analysis.SummaryRow) bool { return r.Dataset == ds && r.Strategy == st })
				if i < 0 || !a.Summary[i].VsBaseline {
					continue
				}
				d := a.Summary[i].DeltaAULC
				lo, hi := d.Mean-d.CILow, d.CIHigh-d.Mean
				if math.IsNaN(lo) {
					lo, hi = 0, 0
				}
				pts.XYs = append(pts.XYs, plotter.XY{X: float64(j) - 0.35 + float64((float64(k)+0.5)*slot), Y: d.Mean})
				pts.YErrors = append(pts.YErrors, struct{ Low, High float64 }{lo, hi})
			}
			if len(pts.XYs) == 0 {
				continue
			}
			sty := a.lineStyle(st)
			sty.Dashes = nil
			sc, err := plotter.NewScatter(pts.XYs)
			if err != nil {
				continue
			}
			sc.GlyphStyle = draw.GlyphStyle{Color: sty.Color, Radius: vg.Points(3), Shape: draw.CircleGlyph{}}
			eb, err := plotter.NewYErrorBars(pts)
			if err != nil {
				continue
			}
			eb.LineStyle = sty
			eb.LineStyle.Width = vg.Points(1.2)
			p.Add(eb, sc)
			lg.Add(st, sc)
		}
		p.NominalX(a.Datasets...)
		p.X.Min, p.X.Max = -0.5, n-0.5
		pa, la := splitLegend(dc, lw)
		p.Draw(pa)
		lg.Draw(la)
	}}
}

// winGrid is the pairwise win matrix as a heat map grid: column c is the
// losing strategy B, row r (counted from the bottom) the winning strategy A.
type winGrid struct {
	wins [][]float64 // wins[a][b], NaN on the diagonal
}

func (g winGrid) Dims() (c, r int) { return len(g.wins), len(g.wins) }
func (g winGrid) Z(c, r int) float64 {
	return g.wins[len(g.wins)-1-r][c]
}
func (g winGrid) X(c int) float64 { return float64(c) }
func (g winGrid) Y(r int) float64 { return float64(r) }

// pairwiseFigure is the win matrix as a heat map, each cell labelled with its
// count.
func (a plotted) pairwiseFigure() figure {
	k := len(a.Strategies)
	size := vg.Length(vg.Length(k)*0.9*vg.Inch) + 2*vg.Inch
	return figure{name: "pairwise", w: size + 0.5*vg.Inch, h: size, draw: func(dc draw.Canvas) {
		g := winGrid{wins: make([][]float64, k)}
		maxN := 1
		for i := range g.wins {
			g.wins[i] = make([]float64, k)
			g.wins[i][i] = math.NaN()
		}
		for _, r := range a.Pairwise {
			i, j := slices.Index(a.Strategies, r.A), slices.Index(a.Strategies, r.B)
			g.wins[i][j] = float64(r.Wins)
			maxN = max(maxN, r.Datasets)
		}
		pal, err := brewer.GetPalette(brewer.TypeSequential, "Blues", 9)
		if err != nil {
			panic(err) // a fixed, existing palette
		}
		hm := plotter.NewHeatMap(g, pal)
		hm.Min, hm.Max = 0, float64(maxN)
		hm.NaN = color.NRGBA{0xEE, 0xEE, 0xEE, 0xFF}
		p := newPlot(fmt.Sprintf("datasets where row beats column\n(Wilcoxon p < %.2f, of %d)", analysis.Alpha, maxN))
		p.Add(hm)
		var lab plotter.XYLabels
		for r := 0; r < k; r++ {
			for c := 0; c < k; c++ {
				if z := g.Z(c, r); !math.IsNaN(z) {
					lab.XYs = append(lab.XYs, plotter.XY{X: float64(c), Y: float64(r)})
					lab.Labels = append(lab.Labels, fmt.Sprint(z))
				}
			}
		}
		labels, err := plotter.NewLabels(lab)
		if err == nil {
			for i := range labels.TextStyle {
				z := g.Z(int(lab.XYs[i].X), int(lab.XYs[i].Y))
				labels.TextStyle[i].XAlign, labels.TextStyle[i].YAlign = draw.XCenter, draw.YCenter
				labels.TextStyle[i].Font.Size = vg.Points(11)
				if z > float64(maxN)/2 {
					labels.TextStyle[i].Color = color.White
				}
			}
			p.Add(labels)
		}
		rev := slices.Clone(a.Strategies)
		slices.Reverse(rev)
		p.NominalX(a.Strategies...)
		p.NominalY(rev...)
		p.X.Tick.Label.Rotation = math.Pi / 6
		p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = draw.XRight, draw.YCenter
		p.X.Label.Text = "column (B)"
		p.Y.Label.Text = "row (A)"
		p.Draw(dc)
	}}
}
