//go:build unix

package offheap

import (
	"golang.org/x/sys/unix"
	"strconv"
	"unsafe"
)

// Bytes maps n zeroed bytes (n > 0); below MapAtLeast it allocates them on
// the heap.
func Bytes(n int) []byte {
	if n < MapAtLeast {
		return make([]byte, n)
	}
	b, err := unix.Mmap(-1, 0, n, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_ANON|unix.MAP_PRIVATE)
	if err != nil {
		// Out of address space or memory: as the runtime does, give up.
		panic("offheap: cannot map " + strconv.Itoa(n) + " bytes: " + err.Error())
	}
	inUse.Add(int64(n))
	adviseHuge(b)
	return b
}

// FreeBytes unmaps what Bytes mapped (the heap's it leaves to the
// collector).
func FreeBytes(b []byte) {
	if cap(b) >= MapAtLeast {
		inUse.Add(-int64(cap(b)))
		_ = unix.Munmap(b[:cap(b)])
	}
}

// Words maps n zeroed uint64s, 64-byte aligned (a page is; on the heap, by
// starting at the first aligned word).
func Words(n int) []uint64 {
	if n*8 < MapAtLeast {
		raw := make([]uint64, n+8)
		off := int(uintptr(unsafe.Pointer(&raw[0]))%64) / 8
		start := (8 - off) % 8
		return raw[start : start+n : start+n]
	}
	b := Bytes(n * 8)
	return unsafe.Slice((*uint64)(unsafe.Pointer(&b[0])), n)
}

// FreeWords frees what Words allocated.
func FreeWords(w []uint64) {
	if cap(w) > 0 {
		FreeBytes(unsafe.Slice((*byte)(unsafe.Pointer(&w[:1][0])), cap(w)*8))
	}
}
