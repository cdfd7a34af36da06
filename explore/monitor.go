package explore

import (
	"electcheck/internal/offheap"
	"fmt"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"time"
)

// monitor watches a search from its own goroutine: the context (Ctrl-C),
// the time and memory budgets, and progress reports. Workers poll
// aborted(); the search reads reason() between phases. It samples the
// memory the Go runtime holds with runtime/metrics, which needs no lock on
// the search's data.
type monitor struct {
	opts    Options
	start   time.Time
	abort   atomic.Bool
	gen     atomic.Int64 // successors generated in the current level so far
	peakMem atomic.Int64
	lastMem atomic.Int64
	mu      sync.Mutex
	why     string
	snap    Stats
	quit    chan struct{}
	done    chan struct{}
	oldLim  int64
}

const monitorTick = 50 * time.Millisecond

func newMonitor(opts Options) *monitor {
	mon := &monitor{opts: opts, start: time.Now(), quit: make(chan struct{}), done: make(chan struct{}), oldLim: -1}
	if opts.MaxMemory > 0 {
		// Make the garbage collector work harder as the budget nears.
		mon.oldLim = debug.SetMemoryLimit(opts.MaxMemory)
	}
	go mon.run()
	return mon
}

func (mon *monitor) run() {
	defer close(mon.done)
	tick := time.NewTicker(monitorTick)
	defer tick.Stop()
	lastProgress := mon.start
	samples := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	for {
		select {
		case <-mon.quit:
			return
		case <-mon.opts.Context.Done():
			mon.setAbort("interrupted")
		case now := <-tick.C:
			inUse := mon.sample(samples)
			if mon.opts.MaxMemory > 0 && inUse > mon.opts.MaxMemory {
				mon.setAbort(fmt.Sprintf("the memory budget (%d MiB) ran out", mon.opts.MaxMemory>>20))
			}
			if mon.opts.MaxTime > 0 && now.Sub(mon.start) >= mon.opts.MaxTime {
				mon.setAbort(fmt.Sprintf("the time budget (%s) ran out", mon.opts.MaxTime))
			}
			if mon.opts.Progress != nil && now.Sub(lastProgress) >= mon.opts.ProgressEvery {
				lastProgress = now
				mon.opts.Progress(mon.snapshot())
			}
		}
	}
}

// sample reads the memory the Go runtime holds and keeps the peak.
func (mon *monitor) sample(samples []metrics.Sample) int64 {
	metrics.Read(samples)
	inUse := int64(samples[0].Value.Uint64()-samples[1].Value.Uint64()) + offheap.InUse()
	mon.lastMem.Store(inUse)
	for {
		old := mon.peakMem.Load()
		if inUse <= old || mon.peakMem.CompareAndSwap(old, inUse) {
			return inUse
		}
	}
}

func (mon *monitor) setAbort(why string) {
	mon.mu.Lock()
	if mon.why == "" {
		mon.why = why
	}
	mon.mu.Unlock()
	mon.abort.Store(true)
}

func (mon *monitor) aborted() bool { return mon.abort.Load() }

// reason is why the search must stop, or "".
func (mon *monitor) reason() string {
	if !mon.abort.Load() {
		return ""
	}
	mon.mu.Lock()
	defer mon.mu.Unlock()
	return mon.why
}

// update records the statistics at the end of a level.
func (mon *monitor) update(s Stats) {
	mon.mu.Lock()
	mon.snap = s
	mon.mu.Unlock()
	mon.gen.Store(0)
}

func (mon *monitor) addGenerated(n int64) { mon.gen.Add(n) }

// snapshot is the last level's statistics plus the level in progress.
func (mon *monitor) snapshot() Stats {
	mon.mu.Lock()
	s := mon.snap
	mon.mu.Unlock()
	s.Generated += mon.gen.Load()
	s.Elapsed = mon.elapsed()
	s.PeakMemory = mon.peak()
	return s
}

func (mon *monitor) elapsed() time.Duration { return time.Since(mon.start) }

// peak is the most memory held so far, sampled now too, so that a search
// shorter than a tick reports its memory as well.
func (mon *monitor) peak() int64 {
	mon.sample([]metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}})
	return mon.peakMem.Load()
}

func (mon *monitor) stop() {
	close(mon.quit)
	<-mon.done
	if mon.oldLim >= 0 {
		debug.SetMemoryLimit(mon.oldLim)
	}
}

// pressed reports whether the search holds more than half its memory
// budget: time to spill the frontier, if it may.
func (mon *monitor) pressed() bool {
	return mon.opts.MaxMemory > 0 && mon.lastMem.Load() > mon.opts.MaxMemory/2
}
