//go:build amd64 && !purego

package nets

//go:noescape
func minTwoAVX2(w *float64, ld, k, lanes int, m1, m2, arg *float64)

// minTwoVec runs minTwo's lanes in blocks of four with AVX2 when the kernel set
// in use is a vector set; it reports how many lanes it did.
func minTwoVec(w []float64, ld, k, h int, m1, m2, arg []float64) int {
	n := h &^ 3
	if kern == &portable || n == 0 || k == 0 {
		return 0
	}
	_ = w[(k-1)*ld+n-1]
	_, _, _ = m1[n-1], m2[n-1], arg[n-1]
	minTwoAVX2(&w[0], ld, k, n, &m1[0], &m2[0], &arg[0])
	return n
}
