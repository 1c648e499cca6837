package harness

import (
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
)

// collectAbove is how many bytes must have been allocated since collect last
// collected (the buffers of the trials that ended since, dead or alive) for it to
// collect again: a forced cycle costs milliseconds, which a grid of thousands of
// tiny trials would pay thousands of times for nothing, while one per 64 MiB
// allocated costs no more than the collector's own pacing does at that heap size.
// On a heap whose live part is large (a big pool's data), an eighth of that live
// heap is enough (but never less than collectFloor): there a trial that
// allocated "only" 30 MB still leaves 30 MB of dead pages under the next
// trial's buffers, and the cycle, which scans little in arrays of floats, costs
// about what it does on a small heap.
const (
	collectAbove = 64 << 20
	collectFloor = 16 << 20
)

// collectThreshold returns the bytes to allocate before collecting again, for a
// live heap of live bytes: min(collectAbove, max(collectFloor, live/8)).
func collectThreshold(live uint64) uint64 {
	return min(collectAbove, max(collectFloor, live/8))
}

// collectedAt is the cumulative heap allocation (/gc/heap/allocs:bytes) when
// collect last collected.
var collectedAt atomic.Uint64

// collect runs a garbage collection and returns the freed pages to the operating
// system when collectAbove bytes have been allocated since it last did. The
// harness calls it where large buffers have just died: after a setup is prepared
// (the generator's and the split's temporaries) and after each trial (its
// strategy's scratch, its session's nets, its row lists). Go's collector
// otherwise starts a cycle only when the heap has grown by GOGC percent (100) of
// the heap live after the previous one, and on a large pool that live heap is
// mostly the data: the next trial's buffers stack on the dead ones until the heap
// reaches twice the data. On the 1,000,000-row make_classification run (160 MB of
// features) that held the previous trial's 90 MB of embeddings and the split's
// 90 MB of temporaries next to the running trial's buffers. Returning the pages
// matters as much as the cycle: the freed spans of the split's many sizes are not
// reused for a strategy's one large buffer, so without it the peak resident set
// stays where the heap's was.
//
// The results do not depend on when the collector runs.
func collect() {
	s := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}, {Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return // a runtime without the metric: leave the pacing to it
	}
	above := uint64(collectAbove)
	if s[1].Value.Kind() == metrics.KindUint64 {
		above = collectThreshold(s[1].Value.Uint64())
	}
	now, last := s[0].Value.Uint64(), collectedAt.Load()
	if now-last < above || !collectedAt.CompareAndSwap(last, now) {
		return // too little allocated, or another trial collects it now
	}
	debug.FreeOSMemory()
}
