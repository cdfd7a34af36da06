//go:build !linux

package offheap

// remap grows a map to n bytes by copying it into a new one.
func remap(b []byte, n int) []byte {
	nb := Bytes(n)
	copy(nb, b)
	FreeBytes(b)
	return nb
}
