package results

import (
	"io"
	"os"
	"path/filepath"
	"runtime"

	"albench/internal/atomicfile"
	"albench/results/analysis"
	"albench/results/figures"
)

// FigureFormats are the formats WriteAll and WriteFigures write every figure
// in: figures.Formats (PNG at figures.PNGDPI, SVG, PDF). A program may narrow
// it before writing; the harness's tests keep SVG alone, because rasterising
// 300-dpi PNGs under the race detector costs seconds a run and the PNG and PDF
// renderings are tested in results/figures and in this package.
var FigureFormats = figures.Formats

// WriteFigures draws the figures of a for meta's figure settings (band,
// width, strategies, Δ curves) into dir/figures, each in every one of
// FigureFormats and each file written
// atomically; the names are figures.FileName's, the ones report.md links
// to (report.Figures). Equal inputs give byte-identical files.
func WriteFigures(dir string, a *analysis.Analysis, meta analysis.Meta) error {
	fdir := filepath.Join(dir, "figures")
	if err := os.MkdirAll(fdir, 0o755); err != nil {
		return err
	}
	for _, f := range figureSet(a, meta) {
		for _, format := range FigureFormats {
			// A PNG canvas is megabytes, allocated twice by vgimg (an image and
			// its copy): collect the last figure's before the next, so peak
			// memory is one figure's, not however many the GC let pile up.
			runtime.GC()
			b, err := figures.Render(f.fig, format)
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
