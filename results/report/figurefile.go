package report

import (
	"strings"

	"albench/results/figures"
)

// FigureFile is the file name, without extension, of a per-dataset figure
// that the report links to under figures/ (figures.FileName): kind, "_" and
// the dataset name escaped so that distinct names never share a file.
func FigureFile(kind, dataset string) string { return figures.FileName(kind, dataset) }

// The figures the report links to, all in one place: the per-dataset kinds
// (FigureFile) and the files of the whole run.
const (
	figCurves      = "curves"       // per dataset: the learning curves
	figDeltaCurves = "delta-curves" // per dataset, with Meta.Delta: paired Δ vs the baseline
	figGrid        = "grid"         // every dataset's curves
	figDeltaAULC   = "delta-aulc"   // ΔAULC vs the baseline, every dataset
	figPairwise    = "pairwise"     // the pairwise win matrix
	figPenalty     = "penalty"      // Ash et al.'s penalty matrix
	figCD          = "cd"           // critical-difference diagram, Nemenyi
	figCDWilcoxon  = "cd-wilcoxon"  // critical-difference diagram, Wilcoxon–Holm
)

// fig writes a link to figure file (without extension) with alternative
// text alt, and records it for Figures.
// '%' in an escaped name is itself escaped in the link, which a Markdown
// renderer URL-decodes.
func (r reporter) fig(file, alt, before, after string) {
	if r.links != nil {
		*r.links = append(*r.links, file)
	}
	r.p("%s![%s](figures/%s.png)%s", before, alt, strings.ReplaceAll(file, "%", "%25"), after)
}
