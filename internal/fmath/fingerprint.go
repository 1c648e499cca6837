package fmath

import (
	"fmt"
	"runtime"
)

// NumericVersion numbers albench's numerics: the algorithms of this package,
// the order of every floating-point operation in the portable kernels, the
// dataset generators, standardization, the strategies and the metrics. Bump it
// in any change that can alter one bit of a result (TestDigest's golden hash
// and the golden trials of cmd/albench/testdata change with it), so that
// trials computed before the change are not taken for trials computed after.
//
// 2: dropout masks by the exact 16-bit chunk rule (nets/masks.go), one draw of
// the stream per pass or batch, instead of 32-bit thresholds seeded per row.
const NumericVersion = 2

// Fingerprint returns what, besides the inputs, determines the bits of a
// result computed with the named kernel set (nets.Kernel()):
//
//		kernel=<name>;goarch=<GOARCH>;fma=<bool>;numeric=<NumericVersion>
//
//	  - kernel: the kernel set, whose summation order and rounding is its own;
//	  - goarch: the architecture. With the rules of this package (no implicit
//	    fusion, no CPU-dependent library function) the portable results are
//	    the same on amd64 and arm64 (the golden cross-build test proves it), but
//	    a vector kernel set exists only on its architecture, and the field keeps
//	    identities honest should some dependency we cannot audit (gonum's
//	    compiled code) differ;
//	  - fma: whether the kernel set uses fused multiply-adds: false for
//	    "portable", true for the vector sets ("avx2-fma" and the like), which
//	    round once per multiply-add;
//	  - numeric: NumericVersion.
//
// GOAMD64 (v1 to v4) and whether the CPU has FMA (GODEBUG=cpu.fma=off) are
// deliberately absent: neither changes a bit of the portable results, which is
// what cmd/albench's cross-build test checks, so a study may mix trials from
// machines of either kind. The CPU features that select a vector set are
// covered by its name.
func Fingerprint(kernel string) string {
	return fmt.Sprintf("kernel=%s;goarch=%s;fma=%t;numeric=%d", kernel, runtime.GOARCH, kernel != "portable", NumericVersion)
}
