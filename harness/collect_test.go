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

// TestCollectThresholdFollowsTheLiveHeap: the bytes allocated before the next
// collection are an eighth of the live heap, within 16 and 64 MiB: a small
// grid's heap collects every 16 MiB, a 1,000,000-row pool's (171 MB live, the
// data) after every trial of 21 MB or more (a least-confidence trial there
// allocates 30 MB), and a bigger heap every 64 MiB.
func TestCollectThresholdFollowsTheLiveHeap(t *testing.T) {
	for _, c := range []struct{ live, want uint64 }{
		{0, 16 << 20},
		{100 << 20, 16 << 20},
		{128 << 20, 16 << 20},
		{171_000_000, 21_375_000},
		{512 << 20, 64 << 20},
		{8 << 30, 64 << 20},
	} {
		if got := collectThreshold(c.live); got != c.want {
			t.Errorf("collectThreshold(%d) = %d, want %d", c.live, got, c.want)
		}
	}
}
