package figures

import (
	"cmp"
	"image/color"
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// CDPlot is a critical-difference diagram's content.
type CDPlot struct {
	// Names and MeanRanks are the strategies and their mean ranks over
	// datasets (1 = best), in any order.
	Names     []string
	MeanRanks []float64
	// CD is the critical difference, drawn as a bar from rank 1; 0 or NaN
	// draws none and prints Note instead (e.g. "Wilcoxon–Holm, α = 0.05").
	CD   float64
	Note string
	// Cliques are the groups not significantly different, each drawn as a
	// thick bar from its best to its worst member's mean rank.
	Cliques [][]string
}

// CD diagram geometry, in points.
const (
	cdMargin   = 6.0
	cdNameSize = 8.0
	cdRankSize = 6.5
	cdTickSize = 7.0
	cdRowStep  = 11.0 // between name rows
	cdTail     = 20.0 // elbow run outside the axis, where the mean rank is printed
	cdBarStep  = 5.0  // between clique bars
	cdMinScale = 110.0
)

// CD lays out Demšar's (2006, Fig. 1) critical-difference diagram: an axis of
// mean ranks 1..k (best on the left) with a tick per half rank; each strategy
// an elbow from its mean rank down to its name, the better half named on the
// left (best at the top), the worse half on the right (worst at the top), so
// that no two elbows cross; its mean rank printed on the elbow's run outside
// the axis; a thick bar under the axis for each clique; and the CD as a bar
// over the axis starting at rank 1 (cut at the axis's end, and labelled so,
// if wider). The axis fills o.WidthIn; with long names the figure is wider.
func CD(d CDPlot, o Options) Figure {
	k := len(d.Names)
	if k < 2 || len(d.MeanRanks) != k {
		return Figure{Width: o.width(), Height: vg.Inch}
	}
	order := make([]int, k)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(d.MeanRanks[a], d.MeanRanks[b]), cmp.Compare(d.Names[a], d.Names[b]))
	})
	nameSty := cdText(cdNameSize, draw.XLeft, draw.YCenter)
	var nameW float64
	for _, st := range d.Names {
		nameW = math.Max(nameW, float64(nameSty.Width(st)))
	}
	side := cdMargin + nameW + 3 + cdTail
	scale := math.Max(cdMinScale, o.width().Points()-float64(2*side))
	w := float64(2*side) + scale
	x0 := side // the axis at rank 1

	const yCDBar, yAxis = cdMargin + 16, cdMargin + 38
	yBars := yAxis + 7
	yRow0 := yBars + float64(float64(max(len(d.Cliques), 1))*cdBarStep) + 7
	left := (k + 1) / 2
	rows := max(left, k-left)
	h := yRow0 + float64(float64(rows-1)*cdRowStep) + cdMargin + 4

	pos := func(rank float64) float64 { return x0 + float64((rank-1)/float64(k-1)*scale) }
	return Figure{Width: vg.Points(w), Height: vg.Points(h), draw: func(dc draw.Canvas) {
		top := float64(dc.Max.Y)
		pt := func(x, y float64) vg.Point { return vg.Point{X: dc.Min.X + vg.Points(x), Y: vg.Points(top - y)} }
		line := func(width float64, x1, y1, x2, y2 float64) {
			dc.StrokeLine2(draw.LineStyle{Color: darkInk, Width: vg.Points(width)}, pt(x1, y1).X, pt(x1, y1).Y, pt(x2, y2).X, pt(x2, y2).Y)
		}
		// The axis, its ticks (long at whole ranks) and their labels.
		line(0.9, pos(1), yAxis, pos(float64(k)), yAxis)
		tickSty := cdText(cdTickSize, draw.XCenter, draw.YBottom)
		for t := 2; t <= 2*k; t++ {
			r := float64(t) / 2
			if t%2 == 0 {
				line(0.9, pos(r), yAxis, pos(r), yAxis-5)
				dc.FillText(tickSty, pt(pos(r), yAxis-7), strconv.Itoa(t/2))
			} else {
				line(0.9, pos(r), yAxis, pos(r), yAxis-2.5)
			}
		}
		if d.CD > 0 {
			// A CD wider than the axis (few datasets) runs to its end without
			// an end cap, and says so.
			end, label := pos(1+d.CD), "CD = "+strconv.FormatFloat(d.CD, 'f', 2, 64)
			clipped := d.CD > float64(k-1)
			if clipped {
				end, label = pos(float64(k)), label+", wider than the axis"
			}
			line(1.1, pos(1), yCDBar, end, yCDBar)
			line(0.9, pos(1), yCDBar-3, pos(1), yCDBar+3)
			if !clipped {
				line(0.9, end, yCDBar-3, end, yCDBar+3)
			}
			dc.FillText(cdText(cdTickSize, draw.XCenter, draw.YBottom), pt((pos(1)+end)/2, yCDBar-3), label)
		} else if d.Note != "" {
			dc.FillText(cdText(cdTickSize, draw.XLeft, draw.YBottom), pt(cdMargin, yCDBar-3), d.Note)
		}
		// Elbows, names and mean ranks.
		rankL := cdText(cdRankSize, draw.XCenter, draw.YBottom)
		for p, i := range order {
			r := d.MeanRanks[i]
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
			line(0.7, x, yAxis, x, y)
			line(0.7, x, y, xEnd, y)
			dc.FillText(sty, pt(xName, y), d.Names[i])
			// The run outside the axis crosses no other elbow.
			mid := (xEnd + x0) / 2
			if p >= left {
				mid = (xEnd + pos(float64(k))) / 2
			}
			dc.FillText(rankL, pt(mid, y-1.5), strconv.FormatFloat(r, 'f', 2, 64))
		}
		// Cliques, drawn over the elbows.
		for g, cl := range d.Cliques {
			lo, hi := math.Inf(1), math.Inf(-1)
			for _, n := range cl {
				if i := slices.Index(d.Names, n); i >= 0 {
					lo, hi = math.Min(lo, d.MeanRanks[i]), math.Max(hi, d.MeanRanks[i])
				}
			}
			if lo > hi {
				continue
			}
			y := yBars + float64(float64(g)*cdBarStep)
			line(2.2, pos(lo)-2, y, pos(hi)+2, y)
		}
	}}
}

// cdText is the diagram's text style at size points.
func cdText(size float64, xa draw.XAlignment, ya draw.YAlignment) draw.TextStyle {
	s := textStyle(size, xa, ya)
	s.Color = color.Black
	return s
}
