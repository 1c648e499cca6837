package harness

import (
	"runtime/debug"
	"runtime/metrics"
	"testing"
)

var collectSink []float64

func gcCycles() uint64 {
	s := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// TestCollectOnlyAfterLargeAllocations: collect runs a cycle once collectAbove
// bytes have been allocated since it last did (a finished trial's large
// buffers), and none after a small allocation (a tiny trial's), whose forced
// cycles would cost a grid of thousands of trials seconds.
func TestCollectOnlyAfterLargeAllocations(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(-1)) // no cycle of the runtime's own in between
	large := func() {
		collectSink = make([]float64, collectAbove/8+1<<10) // a dead buffer just over the threshold
		collectSink = nil
	}
	large()
	before := gcCycles()
	collect()
	if got := gcCycles(); got == before {
		t.Fatalf("collect ran no cycle after %d MiB of garbage", collectAbove>>20)
	}
	before = gcCycles()
	collectSink = make([]float64, 1<<10) // 8 KiB
	collectSink = nil
	collect()
	if got := gcCycles(); got != before {
		t.Fatalf("collect ran %d cycles after 8 KiB of garbage", got-before)
	}
	large()
	collect()
	if got := gcCycles(); got == before {
		t.Fatalf("collect ran no cycle after another %d MiB of garbage", collectAbove>>20)
	}
}
