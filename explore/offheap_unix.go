//go:build unix

package explore

import (
	"strconv"
	"syscall"
	"unsafe"
)

// The search's large, long-lived tables (the visited set's shards, the
// parent links, the frontier's blocks) live outside the Go heap, in
// anonymous memory maps: the garbage collector neither scans them nor
// counts them towards its next cycle, so the process holds what the search
// holds, not twice that as heap headroom, and a table freed on growth goes
// back to the system at once.

// mapAtLeast is the smallest allocation given a map of its own: smaller
// ones (a small search's shards) stay on the heap, where memory freed is
// reused without the kernel faulting fresh pages in one by one, which cost
// the TLA+ port's Kip320 search a tenth of its time.
const mapAtLeast = 1 << 20

// allocBytes maps n zeroed bytes (n > 0); below mapAtLeast it allocates
// them on the heap.
func allocBytes(n int) []byte {
	if n < mapAtLeast {
		return make([]byte, n)
	}
	b, err := syscall.Mmap(-1, 0, n, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		// Out of address space or memory: as the runtime does, give up.
		panic("explore: cannot map " + strconv.Itoa(n) + " bytes: " + err.Error())
	}
	offHeap.Add(int64(n))
	adviseHuge(b)
	return b
}

// freeBytes unmaps what allocBytes mapped (the heap's it leaves to the
// collector).
func freeBytes(b []byte) {
	if cap(b) >= mapAtLeast {
		offHeap.Add(-int64(cap(b)))
		_ = syscall.Munmap(b[:cap(b)])
	}
}

// allocWords maps n zeroed uint64s, 64-byte aligned (a page is; on the
// heap, by starting at the first aligned word).
func allocWords(n int) []uint64 {
	if n*8 < mapAtLeast {
		raw := make([]uint64, n+8)
		off := int(uintptr(unsafe.Pointer(&raw[0]))%64) / 8
		start := (8 - off) % 8
		return raw[start : start+n : start+n]
	}
	b := allocBytes(n * 8)
	return unsafe.Slice((*uint64)(unsafe.Pointer(&b[0])), n)
}

func freeWords(w []uint64) {
	if cap(w) > 0 {
		freeBytes(unsafe.Slice((*byte)(unsafe.Pointer(&w[:1][0])), cap(w)*8))
	}
}
