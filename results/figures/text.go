package figures

import (
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Font sizes, in points, at the figure's width.
const (
	titleSize  = 8.5
	labelSize  = 8
	tickSize   = 7
	legendSize = 7.5
)

// textStyle is the figures' text at size points.
func textStyle(size float64, xa draw.XAlignment, ya draw.YAlignment) draw.TextStyle {
	return draw.TextStyle{Color: color.Black, Font: font.From(plot.DefaultFont, vg.Points(size)),
		XAlign: xa, YAlign: ya, Handler: plot.DefaultTextHandler}
}

// newPlot is a plot with the figures' fonts and thin axes.
func newPlot(title, xlabel, ylabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = vg.Points(titleSize)
	p.Title.Padding = vg.Points(3)
	p.X.Label.Text, p.Y.Label.Text = xlabel, ylabel
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Label.TextStyle.Font.Size = vg.Points(labelSize)
		ax.Label.Padding = vg.Points(2)
		ax.Tick.Label.Font.Size = vg.Points(tickSize)
		ax.LineStyle.Width = vg.Points(0.6)
		ax.Tick.LineStyle.Width = vg.Points(0.6)
		ax.Tick.Length = vg.Points(3)
		ax.Padding = vg.Points(2)
	}
	return p
}

// drawAligned draws plots aligned by plot.Align in tiles over dc, with their
// titles at the same height in every row: plot.Align lines up the data
// areas, so a panel whose tick labels reach less high above its data would
// get its title lower than its neighbours'. Each title is laid out by the
// plot in transparent ink (keeping its space) and drawn again at the top of
// its tile, centred over the data area.
func drawAligned(plots [][]*plot.Plot, tiles draw.Tiles, dc draw.Canvas) {
	titles := make([][]string, len(plots))
	for r, row := range plots {
		titles[r] = make([]string, len(row))
		for c, p := range row {
			if p != nil {
				titles[r][c] = p.Title.Text
				p.Title.TextStyle.Color = color.Transparent
			}
		}
	}
	canvases := plot.Align(plots, tiles, dc)
	sty := textStyle(titleSize, draw.XCenter, draw.YTop)
	for r, row := range plots {
		for c, p := range row {
			if p == nil {
				continue
			}
			p.Draw(canvases[r][c])
			data := p.DataCanvas(canvases[r][c])
			top := tiles.At(dc, c, r).Max.Y
			dc.FillText(sty, vg.Point{X: (data.Min.X + data.Max.X) / 2, Y: top}, titles[r][c])
		}
	}
}
