package stats

import (
	"math"
	"slices"
)

// Holm adjusts the p-values of a family of tests for multiple comparisons
// with Holm's step-down procedure (Holm 1979, "A simple sequentially
// rejective multiple test procedure", Scand. J. Statist. 6:65–70). With the m
// p-values sorted ascending, p_(1) ≤ … ≤ p_(m),
//
//	p̃_(i) = min(1, max_{j ≤ i} (m − j + 1) · p_(j))
//
// so the adjusted values keep the order of the raw ones and never exceed 1.
// Rejecting where p̃ < α controls the family-wise error rate at α.
//
// NaN entries (tests that could not be run) stay NaN and do not count towards
// m. The result is a new slice in the order of p.
func Holm(p []float64) []float64 {
	adj := make([]float64, len(p))
	var idx []int
	for i, v := range p {
		adj[i] = math.NaN()
		if !math.IsNaN(v) {
			idx = append(idx, i)
		}
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case p[a] < p[b]:
			return -1
		case p[a] > p[b]:
			return 1
		}
		return 0
	})
	m := len(idx)
	running := 0.0
	for j, i := range idx {
		running = math.Max(running, float64(m-j)*p[i])
		adj[i] = math.Min(1, running)
	}
	return adj
}
