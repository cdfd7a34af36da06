package offheap

import "golang.org/x/sys/unix"

// adviseHuge asks Linux to back a large map with huge pages: the visited
// set is probed at random, and with 4 KiB pages most probes would also miss
// the TLB. Where transparent huge pages are off, this does nothing.
func adviseHuge(b []byte) {
	if len(b) >= 2<<20 {
		_ = unix.Madvise(b, unix.MADV_HUGEPAGE)
	}
}
