package offheap

import (
	"strconv"

	"golang.org/x/sys/unix"
)

// remap grows a map to n bytes: Linux moves its pages, if it must move
// them at all, without copying them, so the old and the new array are
// never resident at once.
func remap(b []byte, n int) []byte {
	nb, err := unix.Mremap(b, n, unix.MREMAP_MAYMOVE)
	if err != nil {
		panic("offheap: cannot grow a map to " + strconv.Itoa(n) + " bytes: " + err.Error())
	}
	inUse.Add(int64(n - len(b)))
	adviseHuge(nb)
	return nb
}
