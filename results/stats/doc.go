// Package stats holds the small, pure statistics that albench reports: sample
// summaries with Student-t intervals, the paired t-test, the Wilcoxon
// signed-rank test, Holm's step-down correction, and across datasets the
// Friedman test with Iman–Davenport's F and the Nemenyi critical difference
// (Demšar 2006), with the studentized range distribution it needs.
//
// gonum's stat and distuv packages supply the building blocks (moments, the t
// and normal distributions) but have neither the paired t-test nor the Wilcoxon
// signed-rank test. The functions here take slices of float64 and never
// allocate global state; undefined results are NaN, never a panic.
package stats
