package svm

// scanLowPairs is scanLowPairsGo in SSE2 assembly (scan_amd64.s).
//
//go:noescape
func scanLowPairs(g, yf, lowMask, qd []float64, qi []float32, gmax, qdi, yi2 float64) (gm0, gm1, om0 float64, oi0 int, om1 float64, oi1 int)
