// Package figures draws albench's figures with gonum/plot from plain inputs:
// learning curves (one panel or a grid of panels), ΔAULC dot plots, pairwise
// matrices with numbers in the cells, and critical-difference diagrams.
//
// It knows nothing of how the numbers were computed: band edges, confidence
// intervals, significance and cliques come from the caller. Every figure is
// sized for a paper (Options.WidthIn, fonts 7–9 pt at that width), and
// rendering is deterministic: equal inputs give byte-identical PNG, SVG and
// PDF files.
//
// Styles are fixed by strategy name (see StyleFor), never by the order in
// which a study lists its strategies, so margin has the same colour, marker
// and dash in every figure of every study.
package figures
