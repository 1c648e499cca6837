package results

import (
	"albench/results/analysis"
	"fmt"
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// CD diagram geometry, in points, sized for a paper column: 9 pt names are
// about 6 pt when a 4-inch figure is shrunk to 3.3 inches.
const (
	cdMargin   = 6.0
	cdNameSize = 9.0
	cdRankSize = 7.0
	cdTickSize = 8.0
	cdRowStep  = 12.0 // between name rows
	cdTail     = 22.0 // elbow run outside the axis, where the mean rank is printed
	cdBarStep  = 5.0  // between clique bars
	cdMinScale = 130.0
	cdPerRank  = 14.0 // axis length per rank, at least
)

var cdInk = color.NRGBA{0x22, 0x22, 0x22, 0xFF}

// cdText is the diagram's text style at size points.
func cdText(size float64, xa draw.XAlignment, ya draw.YAlignment) draw.TextStyle {
	return draw.TextStyle{Color: color.Black, Font: font.From(plot.DefaultFont, vg.Points(size)),
		XAlign: xa, YAlign: ya, Handler: plot.DefaultTextHandler}
}

// cdFigures are the critical-difference diagrams of the comparison across
// datasets: cd (Nemenyi bars and the CD, the default) and cd_wilcoxon
// (Wilcoxon–Holm bars). None when the Friedman test is undefined (fewer than
// two datasets or strategies).
func (a plotted) cdFigures() []figure {
	c := a.CrossDataset()
	if !c.Defined() {
		return nil
	}
	return []figure{
		cdFigure("cd", c, c.Nemenyi, true),
		cdFigure("cd_wilcoxon", c, c.WilcoxonHolm, false),
	}
}

// cdFigure lays out Demšar's (2006, Fig. 1) critical-difference diagram: an
// axis of mean ranks 1..k (best on the left) with a tick per half rank; each
// strategy an elbow from its mean rank down to its name, the better half named
// on the left (best at the top), the worse half on the right (worst at the
// top), so that no two elbows cross; its mean rank printed on the elbow's run
// outside the axis; a thick bar under the axis for each group of strategies
// not significantly different; and, when withCD, the CD as a bar over the
// axis starting at rank 1 (cut at the axis's end, and labelled so, if wider).
func cdFigure(name string, c analysis.CrossDataset, groups [][2]int, withCD bool) figure {
	k := len(c.Strategies)
	nameSty := cdText(cdNameSize, draw.XLeft, draw.YCenter)
	var nameW float64
	for _, st := range c.Strategies {
		nameW = math.Max(nameW, float64(nameSty.Width(st)))
	}
	scale := math.Max(cdMinScale, cdPerRank*float64(k-1))
	w := 2*cdMargin + float64(2*(nameW+3+cdTail)) + scale
	x0 := cdMargin + nameW + 3 + cdTail // the axis at rank 1

	const yCDText, yCDBar, yAxis = cdMargin + 7, cdMargin + 16, cdMargin + 40
	yBars := yAxis + 7
	yRow0 := yBars + float64(float64(max(len(groups), 1))*cdBarStep) + 8
	left := (k + 1) / 2
	rows := max(left, k-left)
	h := yRow0 + float64(float64(rows-1)*cdRowStep) + cdMargin + 4

	pos := func(rank float64) float64 { return x0 + float64((rank-1)/float64(k-1)*scale) }
	return figure{name: name, w: vg.Points(w), h: vg.Points(h), draw: func(dc draw.Canvas) {
		top := float64(dc.Max.Y)
		pt := func(x, y float64) vg.Point { return vg.Point{X: dc.Min.X + vg.Points(x), Y: vg.Points(top - y)} }
		line := func(width float64, x1, y1, x2, y2 float64) {
			dc.StrokeLine2(draw.LineStyle{Color: cdInk, Width: vg.Points(width)}, pt(x1, y1).X, pt(x1, y1).Y, pt(x2, y2).X, pt(x2, y2).Y)
		}
		// The axis, its ticks (long at whole ranks) and their labels.
		line(1, pos(1), yAxis, pos(float64(k)), yAxis)
		tickSty := cdText(cdTickSize, draw.XCenter, draw.YBottom)
		for t := 2; t <= 2*k; t++ {
			r := float64(t) / 2
			if t%2 == 0 {
				line(1, pos(r), yAxis, pos(r), yAxis-5)
				dc.FillText(tickSty, pt(pos(r), yAxis-7), strconv.Itoa(t/2))
			} else {
				line(1, pos(r), yAxis, pos(r), yAxis-2.5)
			}
		}
		if withCD {
			// A CD wider than the axis (few datasets) runs to its end without
			// an end cap, and says so.
			end, label := pos(1+c.CD), fmt.Sprintf("CD = %.2f", c.CD)
			clipped := c.CD > float64(k-1)
			if clipped {
				end, label = pos(float64(k)), label+", wider than the axis"
			}
			line(1.2, pos(1), yCDBar, end, yCDBar)
			line(1, pos(1), yCDBar-3, pos(1), yCDBar+3)
			if !clipped {
				line(1, end, yCDBar-3, end, yCDBar+3)
			}
			dc.FillText(cdText(cdTickSize, draw.XCenter, draw.YBottom), pt((pos(1)+end)/2, yCDBar-3), label)
		} else {
			dc.FillText(cdText(cdTickSize, draw.XLeft, draw.YBottom), pt(cdMargin, yCDBar-3),
				fmt.Sprintf("Wilcoxon–Holm, α = %g", c.Alpha))
		}
		// Elbows, names and mean ranks.
		rankL := cdText(cdRankSize, draw.XCenter, draw.YBottom)
		for p, i := range c.Order {
			r := c.MeanRanks[i]
			x := pos(r)
			var y, xEnd, xName float64
			var sty draw.TextStyle
			if p < left {
				y = yRow0 + float64(float64(p)*cdRowStep)
				xEnd, xName = x0-cdTail, x0-cdTail-3
				sty = cdText(cdNameSize, draw.XRight, draw.YCenter)
			} else {
				y = yRow0 + float64(float64(k-1-p)*cdRowStep)
				xEnd, xName = pos(float64(k))+cdTail, pos(float64(k))+cdTail+3
				sty = cdText(cdNameSize, draw.XLeft, draw.YCenter)
			}
			line(0.75, x, yAxis, x, y)
			line(0.75, x, y, xEnd, y)
			dc.FillText(sty, pt(xName, y), c.Strategies[i])
			// The run outside the axis crosses no other elbow.
			mid := (xEnd + x0) / 2
			if p >= left {
				mid = (xEnd + pos(float64(k))) / 2
			}
			dc.FillText(rankL, pt(mid, y-1.5), strconv.FormatFloat(r, 'f', 2, 64))
		}
		// Groups not told apart, drawn over the elbows.
		for g, cl := range groups {
			y := yBars + float64(float64(g)*cdBarStep)
			line(2.2, pos(c.MeanRanks[c.Order[cl[0]]])-2, y, pos(c.MeanRanks[c.Order[cl[1]]])+2, y)
		}
	}}
}

// WriteCDFigures renders the critical-difference diagrams of a (see
// cdFigures) into dir/figures in each of FigureFormats, each file written
// atomically; with none to draw it writes nothing.
func WriteCDFigures(dir string, a *analysis.Analysis) error {
	figs := plotted{a}.cdFigures()
	if len(figs) == 0 {
		return nil
	}
	return writeFigures(dir, figs)
}
