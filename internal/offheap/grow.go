package offheap

import (
	"os"
	"unsafe"
)

// Growable arrays: Append and Reserve grow a slice on the heap while it is
// small and in a map of its own once it is not; Free gives a mapped one
// back. Use them for an array whose final size is not known in advance (a
// chain's transitions, streamed in as a search finds them).

// Append appends v to s.
func Append[T Plain](s []T, v ...T) []T {
	if len(s)+len(v) > cap(s) {
		s = Reserve(s, len(v))
	}
	n := len(s)
	s = s[:n+len(v)]
	copy(s[n:], v)
	return s
}

// Reserve returns s with room for at least n more elements (its length and
// contents unchanged; s itself must not be used again if it moved).
func Reserve[T Plain](s []T, n int) []T {
	need := len(s) + n
	if need <= cap(s) {
		return s
	}
	size := int(unsafe.Sizeof(*new(T)))
	// A map grows by a quarter: its pages are resident only once written,
	// but InUse (and a memory budget) counts the whole map.
	if need*size < MapAtLeast {
		// On the heap, doubling, but below MapAtLeast: the capacity says
		// where an array lives.
		t := make([]T, len(s), min(max(need, 2*cap(s), 16), MapAtLeast/size-1))
		copy(t, s)
		return t
	}
	grown := max(need, cap(s)+cap(s)/4)
	bytes := (grown*size + pageSize - 1) / pageSize * pageSize
	if !mapped(s) {
		b := Bytes(bytes)
		t := unsafe.Slice((*T)(unsafe.Pointer(&b[0])), bytes/size)[:len(s)]
		copy(t, s)
		return t
	}
	b := remap(asBytes(s), bytes)
	return unsafe.Slice((*T)(unsafe.Pointer(&b[0])), bytes/size)[:len(s)]
}

// Free gives a mapped array back to the system (a heap one it leaves to
// the collector). s must not be used again.
func Free[T Plain](s []T) {
	if mapped(s) {
		FreeBytes(asBytes(s))
	}
}

var pageSize = os.Getpagesize()

// mapped reports whether s lives in a map of its own.
func mapped[T Plain](s []T) bool { return cap(s)*int(unsafe.Sizeof(*new(T))) >= MapAtLeast }

// asBytes is s's whole capacity as bytes.
func asBytes[T Plain](s []T) []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(s[:cap(s)]))), cap(s)*int(unsafe.Sizeof(*new(T))))
}
