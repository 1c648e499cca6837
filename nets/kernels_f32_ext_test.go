//go:build amd64 && !purego

package nets_test

import (
	"slices"
	"testing"

	"albench/nets"
)

// TestF32ExactProperties runs, under the opt-in avx2-fma-f32 set, the tests of
// this package that assert exact properties of every kernel set (Kernels lists
// the float64 sets only): rows independent of their panel, stable
// probabilities, Rows variants and MC passes giving the gathered bits, the
// stream alone deciding the mini-batches, clones, epoch losses, divergence,
// and no allocations in steady state (the float32 copies come from a pool).
// The tests against float64 references (naive forward passes, hand-computed
// steps, PyTorch's golden steps) are left to the float64 sets; the float32
// set meets its own contract bit for bit (TestF32KernelsMatchContract).
func TestF32ExactProperties(t *testing.T) {
	if !slices.Contains(nets.OptInKernels(), "avx2-fma-f32") {
		t.Skip("no avx2-fma-f32 here")
	}
	defer nets.SetKernel(nets.Kernel())
	if err := nets.SetKernel("avx2-fma-f32"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		f    func(*testing.T)
	}{
		{"RowsAreIndependent", testRowsAreIndependent},
		{"ProbsStable", testProbsStable},
		{"NoAllocations", testNoAllocations},
		{"RowsVariants", testRowsVariants},
		{"MCPassesMatchMCProbs", testMCPassesMatchMCProbs},
		{"TrainingSeparates", testTrainingSeparates},
		{"DivergenceIsAnError", testDivergenceIsAnError},
		{"EpochLoss", testEpochLoss},
		{"Shuffling", testShuffling},
		{"TrainerClone", testTrainerClone},
	} {
		t.Run(c.name, c.f)
	}
}
