//go:build amd64 && !purego

package nets

// fmaPeakYMM and fmaPeakZMM run n iterations of twelve independent fused
// multiply-adds on YMM or ZMM registers and nothing else: BenchmarkPeakFMA's
// measure of this CPU's FP64 peak, the yardstick of the GFLOP/s the other
// benchmarks report (issue 16 states its targets as a share of it).

//go:noescape
func fmaPeakYMM(n int)

//go:noescape
func fmaPeakZMM(n int)
