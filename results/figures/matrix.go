package figures

import (
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot/palette/brewer"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// MatrixPlot is a matrix of numbers between named rows and columns: the
// pairwise win matrix (datasets where row beats column), or Ash et al.'s
// (2020) penalty matrix (summed penalties of row against column).
type MatrixPlot struct {
	Title              string
	RowLabel, ColLabel string // e.g. "row wins", "against column"
	Rows, Cols         []string
	// Values[r][c] is cell (r, c); NaN leaves it empty (the diagonal).
	Values [][]float64
	// Decimals of the numbers in the cells.
	Decimals int
	// Max is the value of the darkest shade; 0 takes the largest value.
	Max float64
}

// Matrix geometry, in points.
const (
	matrixMaxCell = 24.0
	matrixMinCell = 13.0
	matrixMargin  = 4.0
)

// Matrix draws m as a grid of shaded cells, light to dark with the value
// (ColorBrewer's sequential "Blues", Harrower & Brewer 2003), each with its
// number (white on dark cells); row names on the left, column names at the
// bottom turned 45°. Cells are at most 24 pt square, so the figure is at
// most o.WidthIn wide and narrower for few columns, but never narrower than
// its title and column label, which are centred over the cells.
func Matrix(m MatrixPlot, o Options) Figure {
	w := o.width()
	nameSty := textStyle(tickSize, draw.XRight, draw.YCenter)
	var rowW, colW vg.Length
	for _, s := range m.Rows {
		rowW = max(rowW, nameSty.Width(s))
	}
	for _, s := range m.Cols {
		colW = max(colW, nameSty.Width(s))
	}
	nc, nr := max(1, len(m.Cols)), len(m.Rows)
	labelSty := textStyle(labelSize, draw.XCenter, draw.YCenter)
	left := rowW + vg.Points(matrixMargin+4) + labelSty.Height("A") + vg.Points(4)
	cell := vg.Length(math.Max(matrixMinCell, math.Min(matrixMaxCell, float64((w-left-vg.Points(2*matrixMargin))/vg.Length(nc)))))
	if len(m.Cols) > 0 { // the first column's name, turned 45°, reaches left of the cells
		left = max(left, vg.Length(0.71*nameSty.Width(m.Cols[0]))-cell/2+vg.Points(matrixMargin+4))
	}
	colH := vg.Length(0.71*colW) + vg.Points(6) // a name turned 45°
	titleH := vg.Points(0)
	if m.Title != "" {
		titleH = vg.Points(titleSize + 6)
	}
	// The title and the column label are centred over the cells: widen the
	// margins where they are wider than the cells.
	cellsW := vg.Length(vg.Length(nc) * cell)
	right := vg.Points(matrixMargin)
	for _, t := range []struct {
		text string
		size float64
	}{{m.Title, titleSize}, {m.ColLabel, labelSize}} {
		if t.text == "" {
			continue
		}
		half := textStyle(t.size, draw.XCenter, draw.YCenter).Width(t.text)/2 + vg.Points(matrixMargin)
		left = max(left, half-cellsW/2)
		right = max(right, half-cellsW/2)
	}
	width := left + cellsW + right
	height := titleH + vg.Length(vg.Length(nr)*cell) + colH + labelSty.Height("A") + vg.Points(2*matrixMargin+4)
	top := m.Max
	if top <= 0 {
		for _, r := range m.Values {
			for _, v := range r {
				if !math.IsNaN(v) {
					top = math.Max(top, v)
				}
			}
		}
	}
	pal, err := brewer.GetPalette(brewer.TypeSequential, "Blues", 9)
	if err != nil {
		panic(err) // a fixed palette that exists
	}
	shades := pal.Colors()[:8] // the darkest, #08306B, leaves white text too little contrast
	return Figure{Width: width, Height: height, draw: func(dc draw.Canvas) {
		x0 := dc.Min.X + left
		y0 := dc.Max.Y - titleH - vg.Points(matrixMargin) // top of the cells
		if m.Title != "" {
			dc.FillText(textStyle(titleSize, draw.XCenter, draw.YTop), vg.Point{X: x0 + vg.Length(vg.Length(nc)*cell)/2, Y: dc.Max.Y - vg.Points(matrixMargin)}, m.Title)
		}
		numSty := textStyle(tickSize, draw.XCenter, draw.YCenter)
		for r := range m.Rows {
			yc := y0 - vg.Length(vg.Length(r)*cell) - cell/2
			dc.FillText(nameSty, vg.Point{X: x0 - vg.Points(3), Y: yc}, m.Rows[r])
			for c := range m.Cols {
				v := math.NaN()
				if r < len(m.Values) && c < len(m.Values[r]) {
					v = m.Values[r][c]
				}
				xl := x0 + vg.Length(vg.Length(c)*cell)
				yt := y0 - vg.Length(vg.Length(r)*cell)
				fill := color.Color(color.Gray{0xF2})
				if !math.IsNaN(v) {
					f := 0.0
					if top > 0 {
						f = math.Max(0, math.Min(1, v/top))
					}
					i := int(math.Round(float64(f * float64(len(shades)-1))))
					fill = shades[i]
					numSty.Color = color.Black
					if i >= 5 {
						numSty.Color = color.White
					}
				}
				dc.FillPolygon(fill, []vg.Point{{X: xl, Y: yt}, {X: xl + cell, Y: yt}, {X: xl + cell, Y: yt - cell}, {X: xl, Y: yt - cell}})
				dc.StrokeLines(draw.LineStyle{Color: color.White, Width: vg.Points(0.8)},
					[]vg.Point{{X: xl, Y: yt}, {X: xl + cell, Y: yt}, {X: xl + cell, Y: yt - cell}, {X: xl, Y: yt - cell}, {X: xl, Y: yt}})
				if !math.IsNaN(v) {
					dc.FillText(numSty, vg.Point{X: xl + cell/2, Y: yt - cell/2}, strconv.FormatFloat(v, 'f', m.Decimals, 64))
				}
			}
		}
		yb := y0 - vg.Length(vg.Length(nr)*cell)
		colSty := textStyle(tickSize, draw.XRight, draw.YCenter)
		colSty.Rotation = math.Pi / 4
		for c, s := range m.Cols {
			dc.FillText(colSty, vg.Point{X: x0 + vg.Length(vg.Length(c)*cell) + cell/2, Y: yb - vg.Points(3)}, s)
		}
		if m.ColLabel != "" {
			dc.FillText(textStyle(labelSize, draw.XCenter, draw.YBottom), vg.Point{X: x0 + vg.Length(vg.Length(nc)*cell)/2, Y: dc.Min.Y + vg.Points(matrixMargin)}, m.ColLabel)
		}
		if m.RowLabel != "" {
			rs := textStyle(labelSize, draw.XCenter, draw.YTop)
			rs.Rotation = math.Pi / 2
			dc.FillText(rs, vg.Point{X: dc.Min.X + vg.Points(matrixMargin), Y: y0 - vg.Length(vg.Length(nr)*cell)/2}, m.RowLabel)
		}
	}}
}
