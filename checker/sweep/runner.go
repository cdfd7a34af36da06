package sweep

import (
	"context"
	"runtime"
	"runtime/debug"
	"sync"
	"time"

	"electcheck/checker"
	"electcheck/explore"
)

// A sweep's groups are independent: inference never crosses one, and
// shards are dealt whole groups. So a run takes them in order on up to W
// lanes at once (W the sweep's workers), each lane running one group's
// cells in searchOrder, inferring as it goes, exactly as one lane alone
// would. The workers are shared among the groups that can be in progress:
// a search gets W divided by their number, so that W small searches share
// W cores, and the last group, once alone, gets them all (a search's
// result does not depend on its workers). The report is assembled in cell
// order afterwards, so it does not depend on the scheduling either.
//
// Only budgets could make it depend on what else runs. The memory budget
// (checker.Search.MaxMemory, three quarters of physical memory by
// default) is the process's: every search's monitor sees the memory of
// all those in progress. So a search that shared the machine and ended
// undecided after the process held more than its budget is searched
// again, alone (the others wait) and with every worker: the result is the
// one a lone search gets. A time budget (MaxTime) depends on the cores a
// search gets, so a sweep with one runs its groups one at a time, as does
// a simulating sweep (whose cells use every worker already, and whose
// per-history timeout is a time budget too). The state budget is counted
// between levels and does not depend on either.

// runner runs a plan's groups.
type runner struct {
	p     *Plan
	opts  Options // Context: the caller's, also cancelled on the first error
	cache *sweepCache
	// groups are the shard's, each in searchOrder.
	groups  [][]*Cell
	workers int // the sweep's
	lanes   int // groups run at once

	// exclusive is held shared by every search, whole by one repeated
	// alone.
	exclusive sync.RWMutex

	mu          sync.Mutex // guards what follows
	next        int        // the next group to start
	active      int        // groups started, not finished
	results     map[int]*CellReport
	prog        Progress
	start       time.Time
	interrupted bool
	err         error
}

func (p *Plan) newRunner(opts Options, cache *sweepCache) *runner {
	r := &runner{p: p, opts: opts, cache: cache, results: map[int]*CellReport{}}
	byGroup := make([][]*Cell, p.Groups)
	for i := range p.Cells {
		c := &p.Cells[i]
		if opts.Shard.owns(c.group) {
			byGroup[c.group] = append(byGroup[c.group], c)
			r.prog.Total++
		}
	}
	for _, cells := range byGroup {
		if len(cells) > 0 {
			r.groups = append(r.groups, searchOrder(cells))
		}
	}
	r.workers = p.Sweep.Search.Workers
	if r.workers <= 0 {
		r.workers = runtime.GOMAXPROCS(0)
	}
	r.lanes = max(1, min(r.workers, len(r.groups)))
	if p.Sweep.Simulate != nil || p.Sweep.Search.MaxTime > 0 {
		r.lanes = 1
	}
	return r
}

// run runs every group, or stops at the first error (which it returns)
// or when the caller's context is done (marking the run interrupted).
func (r *runner) run() error {
	base := r.opts.Context
	if base == nil {
		base = context.Background()
	}
	ctx, cancel := context.WithCancel(base)
	defer cancel()
	r.opts.Context = ctx
	if r.lanes > 1 {
		// Each search's monitor sets the garbage collector's memory
		// limit and puts back the one it found: side by side, one may
		// put back another's. Leave the limit as it was.
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	}
	r.start = time.Now()
	var wg sync.WaitGroup
	for range r.lanes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.lane(cancel)
		}()
	}
	wg.Wait()
	return r.err
}

// lane runs groups until none is left.
func (r *runner) lane(cancel func()) {
	for {
		cells := r.take()
		if cells == nil {
			return
		}
		err := r.runGroup(cells)
		r.mu.Lock()
		r.active--
		if err != nil && r.err == nil {
			r.err = err
			cancel()
		}
		r.mu.Unlock()
	}
}

// take starts the next group: nil when none is left, or the run is
// stopped (then interrupted).
func (r *runner) take() []*Cell {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.next == len(r.groups) {
		return nil
	}
	if r.opts.Context.Err() != nil {
		r.interrupted = true
		return nil
	}
	r.next++
	r.active++
	return r.groups[r.next-1]
}

// stopped reports whether the run's context is done (Ctrl-C, or another
// lane's error), marking the run interrupted.
func (r *runner) stopped() bool {
	if r.opts.Context.Err() == nil {
		return false
	}
	r.mu.Lock()
	r.interrupted = true
	r.mu.Unlock()
	return true
}

// runGroup runs a group's cells in order, inferring what the cells
// searched so far decide.
func (r *runner) runGroup(cells []*Cell) error {
	var decided []*Cell // in this group, searched
	results := map[int]*CellReport{}
	for _, c := range cells {
		if r.stopped() {
			return nil
		}
		res := r.p.infer(c, decided, results)
		how := &r.prog.Inferred // the counter finish adds the cell to
		if res == nil {
			var cached bool
			var err error
			switch {
			case r.p.Sweep.Simulate != nil:
				res, cached, err = r.p.simulateCell(c, r.cache, r.opts)
			case r.p.Sweep.Risk != nil:
				res, cached, err = r.p.riskCell(c, r.cache, r.opts, r)
			default:
				res, cached, err = r.p.searchCell(c, r.cache, r.opts, r.check)
			}
			if err != nil {
				return err
			}
			how = &r.prog.Searched
			if cached {
				how = &r.prog.Cached
			}
			decided = append(decided, c)
		}
		results[c.Index] = res
		r.finish(c, res, how)
	}
	return nil
}

// finish records a cell's result, counts it (count is one of prog's
// counters) and reports the progress.
func (r *runner) finish(c *Cell, res *CellReport, count *int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.results[c.Index] = res
	*count++
	r.prog.Done++
	r.prog.Elapsed = time.Since(r.start)
	r.prog.Last = r.p.cellName(c)
	if r.opts.Progress != nil {
		r.opts.Progress(r.prog)
	}
}

// share is a search's workers, starting now: the sweep's, divided among
// the groups that can be in progress at once; alone if it is the only one.
func (r *runner) share() (workers int, alone bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := min(r.lanes, r.active+len(r.groups)-r.next)
	return max(1, r.workers/n), n == 1
}

// shared runs f on the run's share of the workers, as a search shares
// the machine (a repeated search alone waits for it).
func (r *runner) shared(f func(workers int) error) error {
	r.exclusive.RLock()
	defer r.exclusive.RUnlock()
	workers, _ := r.share()
	return f(workers)
}

// check searches a request on its share of the workers, and again alone,
// with every worker, if it shared the machine and the memory budget may
// have stopped it.
func (r *runner) check(req checker.Request, s checker.Search) (*checker.Outcome, error) {
	r.exclusive.RLock()
	workers, alone := r.share()
	s.Workers = workers
	o, err := checker.Check(req, s)
	r.exclusive.RUnlock()
	if err != nil || alone || r.opts.Context.Err() != nil || !overBudget(o, &s) {
		return o, err
	}
	r.exclusive.Lock()
	defer r.exclusive.Unlock()
	s.Workers = r.workers
	return checker.Check(req, s)
}

// overBudget reports whether a search ended undecided after the process
// held more than its memory budget.
func overBudget(o *checker.Outcome, s *checker.Search) bool {
	budget := s.MaxMemory
	if budget == 0 {
		budget = checker.DefaultMaxMemory()
	}
	undecided := !o.Complete && o.StopReason != explore.StopAllViolated
	return undecided && budget > 0 && o.Stats.PeakMemory > budget
}
