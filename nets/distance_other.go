//go:build !amd64 || purego

package nets

func minTwoVec(w []float64, ld, k, h int, m1, m2, arg []float64) int { return 0 }
