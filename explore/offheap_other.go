//go:build !unix

package explore

import "unsafe"

// Without memory maps the tables live on the Go heap.

func allocBytes(n int) []byte { return make([]byte, n) }

// offHeap is always 0 here: the heap's figures count everything.

func freeBytes([]byte) {}

func allocWords(n int) []uint64 {
	raw := make([]uint64, n+8)
	off := int(uintptr(unsafe.Pointer(&raw[0]))%64) / 8
	start := (8 - off) % 8
	return raw[start : start+n : start+n]
}

func freeWords([]uint64) {}
