package figures

import (
	"bytes"
	"fmt"
	"image/color"
	"sync"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Formats are the formats Render writes.
var Formats = []string{"png", "svg", "pdf"}

// PNGDPI is the resolution of PNG output.
const PNGDPI = 300

// Options sets a figure's size. The zero value is as wide as the text of a
// two-column paper, 7 in.
type Options struct {
	// WidthIn is the canvas width in inches: 3.5 for one column of a
	// two-column paper, 7 (the default, when 0) for the text width. Fonts are
	// 7–9 pt at this width, so the figure is meant to be printed at it.
	WidthIn float64
}

// width is the canvas width.
func (o Options) width() vg.Length {
	if o.WidthIn <= 0 {
		return 7 * vg.Inch
	}
	return vg.Length(o.WidthIn) * vg.Inch
}

// Figure is a drawing of a known size, ready to Render.
type Figure struct {
	// Width and Height are the canvas size.
	Width, Height vg.Length
	draw          func(dc draw.Canvas)
}

// pdfEpoch is the creation and modification date of every PDF, so that
// renders are byte-identical: the Unix epoch (fpdf writes "now" otherwise).
var pdfEpoch = time.Unix(0, 0).UTC()

var pdfOnce sync.Once

// pdfDeterministic fixes fpdf's defaults for every document made after it:
// the dates above and sorted resource catalogs (fonts and images are kept in
// maps, written in random order otherwise). vgpdf gives no access to its
// document, so the package defaults are the only handle; albench makes no
// other PDFs.
func pdfDeterministic() {
	pdfOnce.Do(func() {
		fpdf.SetDefaultCreationDate(pdfEpoch)
		fpdf.SetDefaultModificationDate(pdfEpoch)
		fpdf.SetDefaultCatalogSort(true)
	})
}

// Render draws f on a white background in format: "png" (PNGDPI dots per
// inch), "svg" or "pdf" (fonts embedded, dates set to the Unix epoch, text
// outside Windows-1252 such as Δ drawn as glyph outlines: see pdfCanvas).
// Equal figures give equal bytes. It panics on another format.
func Render(f Figure, format string) ([]byte, error) { return render(f, format, true) }

// render is Render; embed false leaves the fonts out of a PDF (for golden
// files a tenth the size).
func render(f Figure, format string, embed bool) ([]byte, error) {
	var c vg.CanvasWriterTo
	switch format {
	case "png":
		c = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(f.Width, f.Height), vgimg.UseDPI(PNGDPI))}
	case "svg":
		c = vgsvg.New(f.Width, f.Height)
	case "pdf":
		pdfDeterministic()
		pc := vgpdf.New(f.Width, f.Height)
		pc.EmbedFonts(embed)
		c = pdfCanvas{pc}
	default:
		panic(fmt.Sprintf("figures: unknown format %q", format))
	}
	dc := draw.New(c)
	dc.FillPolygon(color.White, []vg.Point{dc.Min, {X: dc.Max.X, Y: dc.Min.Y}, dc.Max, {X: dc.Min.X, Y: dc.Max.Y}})
	if f.draw != nil {
		f.draw(dc)
	}
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("figures: rendering %s: %w", format, err)
	}
	return buf.Bytes(), nil
}
