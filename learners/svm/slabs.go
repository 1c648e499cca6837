package svm

import (
	"runtime"
	"sync"
	"unsafe"
)

// Kernel-cache slabs are hundreds of megabytes on a pool of thousands (phishing's
// pool of 6,633 rows: 386 MB a session) and pointer-free. They are mapped outside
// the Go heap where the platform allows (mapSlab), because on the heap they would
// count towards the garbage collector's goal: with GOGC's default the heap may
// grow to twice the live data before a collection, so a process holding 400 MB of
// caches could reach 800 MB on the garbage of everything else. Off the heap, the
// caches cost what they hold and the collector paces on the rest.
//
// Released sessions hand their slabs to a free list (at most maxFreeSlabs per
// element type) that later sessions take from, so a run's trials reuse the same
// memory instead of faulting in fresh pages. A session that is never released
// gives its slabs back through a cleanup when it is collected.

// maxFreeSlabs bounds the slabs a free list keeps: enough for the sessions a run
// has in flight, so a run reuses them, without keeping more than a few.
const maxFreeSlabs = 4

// minMappedBytes is the size from which a slab is mapped rather than allocated on
// the heap.
const minMappedBytes = 1 << 20

// slab is a cache slab of float32 or float64 values: mapped outside the heap, or
// on the heap when small or when the platform has no anonymous mappings.
type slab[T float32 | float64] struct {
	data   []T
	mapped []byte // the mapping behind data, nil for a heap slab
}

// slabList is a free list of the slabs of released sessions. A session takes the
// smallest slab that is large enough (a slab's contents are stale: the caches fill
// a slot before they read it) and allocates one when none is.
type slabList[T float32 | float64] struct {
	mu   sync.Mutex
	free []slab[T]
}

var (
	slabs64 slabList[float64]
	slabs32 slabList[float32]
)

// get returns a slab of n values.
func (l *slabList[T]) get(n int) slab[T] {
	l.mu.Lock()
	best := -1
	for i, s := range l.free {
		if cap(s.data) >= n && (best < 0 || cap(s.data) < cap(l.free[best].data)) {
			best = i
		}
	}
	if best >= 0 {
		s := l.free[best]
		l.free = append(l.free[:best], l.free[best+1:]...)
		l.mu.Unlock()
		s.data = s.data[:n]
		return s
	}
	l.mu.Unlock()
	var zero T
	size := n * int(unsafe.Sizeof(zero))
	if size >= minMappedBytes {
		if b := mapSlab(size); b != nil {
			return slab[T]{data: unsafe.Slice((*T)(unsafe.Pointer(&b[0])), n), mapped: b}
		}
	}
	return slab[T]{data: make([]T, n)}
}

// put offers s for reuse; when the list is full the smallest slab goes (the large
// ones are the expensive ones to map and fault in), unmapped if it was mapped.
func (l *slabList[T]) put(s slab[T]) {
	if cap(s.data) == 0 {
		return
	}
	l.mu.Lock()
	l.free = append(l.free, s)
	var drop slab[T]
	if len(l.free) > maxFreeSlabs {
		small := 0
		for i, f := range l.free {
			if cap(f.data) < cap(l.free[small].data) {
				small = i
			}
		}
		drop = l.free[small]
		l.free = append(l.free[:small], l.free[small+1:]...)
	}
	l.mu.Unlock()
	if drop.mapped != nil {
		unmapSlab(drop.mapped)
	}
}

// sessionSlabs are the two slabs of a session, returned to the free lists by
// Release or, for a session never released, by a cleanup once it is collected.
type sessionSlabs struct {
	cols    slab[float64]
	rows    slab[float32]
	cleanup runtime.Cleanup
}

func (s *Session) takeSlabs(colN, rowN int) {
	ss := &sessionSlabs{cols: slabs64.get(colN), rows: slabs32.get(rowN)}
	s.slab, s.rowSlab = ss.cols.data, ss.rows.data
	// The cleanup must not reach the session, only what it releases.
	ss.cleanup = runtime.AddCleanup(s, func(ss *sessionSlabs) { ss.release() }, ss)
	s.slabs = ss
}

func (ss *sessionSlabs) release() {
	slabs64.put(ss.cols)
	slabs32.put(ss.rows)
}

// Release returns the session's cache slabs for later sessions to reuse; the
// session and its models must not be used afterwards.
func (s *Session) Release() {
	if s.slabs == nil {
		return
	}
	s.slabs.cleanup.Stop()
	s.slabs.release()
	s.slabs, s.slab, s.rowSlab, s.cols, s.rows = nil, nil, nil, slots{}, slots{}
}
