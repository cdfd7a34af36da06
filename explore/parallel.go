package explore

import (
	"sync"
	"sync/atomic"
)

// parallel calls do(w, i) for every i in [0, n), handing the items out in
// order to up to workers goroutines (w is the goroutine's index, for its
// scratch space), and returns when all are done, or when stop, polled
// between items, reports true.
func parallel(workers, n int, stop func() bool, do func(w, i int)) {
	var nextItem atomic.Int64
	var wg sync.WaitGroup
	for w := range min(workers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for stop == nil || !stop() {
				i := int(nextItem.Add(1) - 1)
				if i >= n {
					return
				}
				do(w, i)
			}
		}()
	}
	wg.Wait()
}
