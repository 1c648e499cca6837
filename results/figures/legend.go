package figures

import (
	"math"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// legendEntry is one line of a legend.
type legendEntry struct {
	name string
	look look
}

// Legend geometry, in points.
const (
	legendThumb = 20.0 // sample line
	legendGap   = 3.0  // sample to text
	legendSep   = 8.0  // between columns
	legendRow   = 9.5  // between rows
)

// legendLayout is how many columns and rows a legend of es takes in width w,
// and its size.
func legendLayout(es []legendEntry, w vg.Length) (cols, rows int, colW, width, height vg.Length) {
	sty := textStyle(legendSize, draw.XLeft, draw.YCenter)
	for _, e := range es {
		colW = max(colW, sty.Width(e.name))
	}
	colW += vg.Points(legendThumb + legendGap + legendSep)
	cols = max(1, min(len(es), int(math.Floor(float64((w+vg.Points(legendSep))/colW)))))
	rows = (len(es) + cols - 1) / cols
	width = vg.Length(vg.Length(cols)*colW) - vg.Points(legendSep)
	height = vg.Points(float64(float64(rows) * legendRow))
	return cols, rows, colW, width, height
}

// drawLegend draws es filled column by column from the top left of dc,
// within its width, centred horizontally.
func drawLegend(dc draw.Canvas, es []legendEntry) {
	if len(es) == 0 {
		return
	}
	_, rows, colW, width, _ := legendLayout(es, dc.Max.X-dc.Min.X)
	x0 := dc.Min.X + (dc.Max.X-dc.Min.X-width)/2
	sty := textStyle(legendSize, draw.XLeft, draw.YCenter)
	for i, e := range es {
		c, r := i/rows, i%rows
		x := x0 + vg.Length(vg.Length(c)*colW)
		y := dc.Max.Y - vg.Points(float64(float64(r)*legendRow)+legendRow/2)
		if ls := e.look.line; ls.Color != nil && ls.Width > 0 {
			dc.StrokeLine2(ls, x, y, x+vg.Points(legendThumb), y)
		}
		if e.look.glyph.Shape != nil {
			dc.DrawGlyphNoClip(e.look.glyph, vg.Point{X: x + vg.Points(legendThumb/2), Y: y})
		}
		dc.FillText(sty, vg.Point{X: x + vg.Points(legendThumb+legendGap), Y: y}, e.name)
	}
}
