// Package offheap keeps large, long-lived, pointer-free arrays outside the
// Go heap, in anonymous memory maps: the garbage collector neither scans
// them nor counts them towards its next cycle, so a process holds what its
// tables hold, not that plus heap headroom; a table freed goes back to the
// system at once; and on Linux a growing array is remapped in place
// instead of copied, so growth never holds the old and the new array at
// once. The search's visited set, parent links and frontier live here, and
// so do the Markov chains built from them.
//
// Arrays below MapAtLeast bytes stay on the heap: freed memory there is
// reused without the kernel faulting fresh pages in one at a time. The size
// of an array's capacity is thus what says where it lives, and every
// function here takes only slices it returned (or heap slices below that
// size): a mapped slice must never be resliced to a smaller capacity and
// handed back.
package offheap

import "sync/atomic"

// MapAtLeast is the smallest allocation given a map of its own.
const MapAtLeast = 1 << 20

// inUse is the bytes mapped now.
var inUse atomic.Int64

// InUse is the memory held in maps now, in bytes: a memory budget counts it
// with the runtime's own figures.
func InUse() int64 { return inUse.Load() }

// Plain are the element types a mapped array may hold: no pointers.
type Plain interface {
	~uint8 | ~uint16 | ~uint32 | ~uint64 | ~int32 | ~int64 | ~float64
}
