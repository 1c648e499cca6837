//go:build !amd64

package svm

func scanLowPairs(g, yf, lowMask, qd []float64, qi []float32, gmax, qdi, yi2 float64) (gm0, gm1, om0 float64, oi0 int, om1 float64, oi1 int) {
	return scanLowPairsGo(g, yf, lowMask, qd, qi, gmax, qdi, yi2)
}
