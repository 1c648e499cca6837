//go:build amd64 && !purego

package nets

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// f32BenchShapes are the layers of the skyline's 20-32-16-2 net, as
// nout×nin of linear's forward pass (and outer's weight gradient).
var f32BenchShapes = [][2]int{{32, 20}, {16, 32}, {2, 16}}

// BenchmarkF32Kernels times linear and outer of the avx2-fma and avx2-fma-f32
// sets side by side on the layers of the skyline's net, over panels of 64 to
// 4,096 lanes, reporting GFLOP/s (2·nout·nin·ld per call).
func BenchmarkF32Kernels(b *testing.B) {
	if !hasAVX2FMA() {
		b.Skip("no AVX2+FMA here")
	}
	for _, op := range []string{"linear", "outer"} {
		for _, sh := range f32BenchShapes {
			for _, ld := range []int{64, 256, 1024, 4096} {
				for _, k := range []*kernelSet{&avx2, &avx2F32} {
					nout, nin := sh[0], sh[1]
					b.Run(fmt.Sprintf("%s/%dx%d/ld=%d/%s", op, nout, nin, ld, k.name), func(b *testing.B) {
						rng := rand.New(rand.NewPCG(1, 1))
						src, w, bias := randSlice(rng, nin*ld), randSlice(rng, nout*nin), randSlice(rng, nout)
						d := randSlice(rng, nout*ld)
						dst := make([]float64, nout*ld)
						acc := make([]float64, nout*nin*lanes)
						for b.Loop() {
							if op == "linear" {
								k.linear(dst, src, w, bias, nout, nin, ld, true)
							} else {
								k.outer(acc, d, src, nout, nin, ld)
							}
						}
						b.ReportMetric(2*float64(nout*nin*ld)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
					})
				}
			}
		}
	}
}

// BenchmarkF32FullBatchEpoch is BenchmarkFullBatchEpoch (blocked training, one
// full-batch Adam epoch of the 20-32-16-2 net) under both sets, side by side.
func BenchmarkF32FullBatchEpoch(b *testing.B) {
	if !hasAVX2FMA() {
		b.Skip("no AVX2+FMA here")
	}
	defer func(k *kernelSet) { kern = k }(kern)
	for _, rows := range []int{7000, 70000} {
		for _, k := range []*kernelSet{&avx2, &avx2F32} {
			b.Run(fmt.Sprintf("rows=%d/%s", rows, k.name), func(b *testing.B) {
				kern = k
				timeFullBatchEpoch(b, rows, 0)
			})
		}
	}
}
