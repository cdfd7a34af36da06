//go:build !unix

package offheap

import "unsafe"

// Without memory maps the arrays live on the Go heap, and InUse is 0.

func Bytes(n int) []byte { return make([]byte, n) }

func FreeBytes([]byte) {}

func Words(n int) []uint64 {
	raw := make([]uint64, n+8)
	off := int(uintptr(unsafe.Pointer(&raw[0]))%64) / 8
	start := (8 - off) % 8
	return raw[start : start+n : start+n]
}

func FreeWords([]uint64) {}
