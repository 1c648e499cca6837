//go:build amd64 && !purego

package nets

import "testing"

// BenchmarkPeakFMA measures one core's FP64 peak: independent chains of fused
// multiply-adds on 4 (ymm) or 8 (zmm) lanes with no loads, 2 flops per lane.
//
//	go test -run '^$' -bench PeakFMA ./nets/
func BenchmarkPeakFMA(b *testing.B) {
	const iters = 1 << 16
	run := func(b *testing.B, f func(int), flops float64) {
		for b.Loop() {
			f(iters)
		}
		b.ReportMetric(flops*iters*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
	}
	if !hasAVX2FMA() {
		b.Skip("no AVX2 and FMA")
	}
	b.Run("ymm", func(b *testing.B) { run(b, fmaPeakYMM, 12*4*2) })
	if hasAVX512F() {
		b.Run("zmm", func(b *testing.B) { run(b, fmaPeakZMM, 12*8*2) })
	}
}
