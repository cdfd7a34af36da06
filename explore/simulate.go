package explore

import (
	"context"
	"math/rand/v2"
	"sync"
	"time"
)

// Simulation: seeded random walks, for state spaces too large to exhaust.
// Each walk starts in the first initial state and takes, at each step, one
// of the enabled actions chosen uniformly at random, until it has taken
// MaxDepth steps or no action is enabled (or, with StopAtViolation, an
// invariant fails). Walk i draws from a generator seeded by (Seed, i), so
// the same seed gives the same walks, one by one, whatever else changes.

// SimOptions bound a simulation.
type SimOptions struct {
	Seed     uint64
	Walks    int
	MaxDepth int
	// StopAtViolation ends a walk at its first failing invariant; else it
	// walks on (what clients see after a loss is part of the story).
	StopAtViolation bool
	// Workers take walks at once (SimulateEach; 0 or 1: one). Walk i is
	// the same walk whoever takes it, and the walks are folded in order,
	// so the results do not depend on it.
	Workers int
	// Context stops the simulation between walks; nil: never.
	Context context.Context
}

// Walk is one random walk and the first invariant that failed on it, if
// any: at state FailedAt (-1 if every invariant held throughout).
type Walk[S any, A any] struct {
	Index     int
	Trace     Trace[S, A]
	Invariant string
	Err       error
	FailedAt  int
}

// SimStats count a simulation.
type SimStats struct {
	Walks, Steps int64
	Elapsed      time.Duration
	// Stopped is set when the context ended it before every walk ran.
	Stopped bool
}

// Simulate runs the walks and hands each to visit, in order, on one
// goroutine; an error from visit stops it. The walk, its trace included,
// is reused once visit returns: visit copies what it keeps.
func Simulate[S any, A any](spec Spec[S, A], opts SimOptions, visit func(w *Walk[S, A]) error) (SimStats, error) {
	opts.Workers = 1
	judge := func(_ int, w *Walk[S, A]) (struct{}, error) { return struct{}{}, visit(w) }
	return SimulateEach(spec, opts, judge, func(int, struct{}) error { return nil })
}

// SimulateEach runs the walks on opts.Workers goroutines. judge sees each
// walk as it ends, on the goroutine that took it, numbered from 0 (so
// judge must be safe to call concurrently, may keep scratch space per
// worker, and copies what it keeps of the walk, which is reused);
// fold receives the judgements one at a time, in walk order, whatever the
// number of workers. An error from either stops the simulation. Stopped by
// the context, the statistics count the walks folded: a prefix of the
// walks, in order.
func SimulateEach[S any, A any, R any](spec Spec[S, A], opts SimOptions, judge func(worker int, w *Walk[S, A]) (R, error), fold func(index int, r R) error) (SimStats, error) {
	start := time.Now()
	workers := max(opts.Workers, 1)
	o := newOrdered[R](opts.Walks, workers, fold)
	var wg sync.WaitGroup
	for worker := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := &Walk[S, A]{}
			var buf []A
			for {
				i, ok := o.claim(opts.Context)
				if !ok {
					return
				}
				takeWalk(spec, opts, i, w, &buf)
				r, err := judge(worker, w)
				o.done(i, r, err, int64(len(w.Trace.Actions)))
			}
		}()
	}
	wg.Wait()
	st := SimStats{Walks: o.folded, Steps: o.steps, Elapsed: time.Since(start), Stopped: o.stopped && o.err == nil}
	return st, o.err
}

// takeWalk takes walk i into w, reusing its memory.
func takeWalk[S any, A any](spec Spec[S, A], opts SimOptions, i int, w *Walk[S, A], buf *[]A) {
	sampler, _ := spec.Model.(Sampler[S, A])
	inPlace, _ := spec.Model.(InPlaceNext[S, A])
	r := rand.New(rand.NewPCG(opts.Seed, uint64(i)))
	*w = Walk[S, A]{Index: i, Trace: Trace[S, A]{States: append(w.Trace.States[:0], spec.Model.Init()[0]), Actions: w.Trace.Actions[:0]}, FailedAt: -1}
	// s is the walk's last state, in its trace: a successor is written
	// there in place where the model can, not copied in.
	s := &w.Trace.States[0]
	// check checks s; every invariant held on the state before it (or the
	// walk has failed already), so one that reads no part the step changed
	// holds on s too.
	check := func() {
		if w.FailedAt >= 0 {
			return
		}
		changed := ^uint64(0)
		if n := len(w.Trace.States); n > 1 && spec.Changed != nil {
			changed = spec.Changed(&w.Trace.States[n-2], s)
		}
		if w.Invariant, w.Err = firstFailingOf(spec, s, changed); w.Invariant != "" {
			w.FailedAt = len(w.Trace.Actions)
		}
	}
	check()
	var zero S
	for d := 0; d < opts.MaxDepth && !(opts.StopAtViolation && w.FailedAt >= 0); d++ {
		a, ok := pick(spec.Model, sampler, r, s, buf)
		if !ok {
			break
		}
		w.Trace.Actions = append(w.Trace.Actions, a)
		if inPlace != nil {
			w.Trace.States = append(w.Trace.States, zero)
			n := len(w.Trace.States)
			inPlace.NextInto(&w.Trace.States[n-1], &w.Trace.States[n-2], a)
		} else {
			w.Trace.States = append(w.Trace.States, spec.Model.Next(s, a))
		}
		s = &w.Trace.States[len(w.Trace.States)-1]
		check()
	}
}

// ordered hands out walk indexes and folds their judgements in index
// order. A worker may run at most a window of walks ahead of the fold, so
// that the judgements waiting for an earlier walk stay few.
type ordered[R any] struct {
	mu      sync.Mutex
	cond    *sync.Cond
	next    int // the next index to hand out
	total   int
	window  int
	pending map[int]R
	// pendingSteps counts the steps of the walks pending; steps those of
	// the walks folded.
	pendingSteps map[int]int64
	steps        int64
	folded       int64 // walks folded so far: indexes [0, folded)
	fold         func(int, R) error
	err          error
	stopped      bool
}

func newOrdered[R any](total, workers int, fold func(int, R) error) *ordered[R] {
	o := &ordered[R]{total: total, window: 4 * workers, pending: map[int]R{}, pendingSteps: map[int]int64{}, fold: fold}
	o.cond = sync.NewCond(&o.mu)
	return o
}

// claim returns the next walk to take, waiting while the worker would run
// too far ahead of the fold; false when there is none (all handed out, an
// error, or the context ended).
func (o *ordered[R]) claim(ctx context.Context) (int, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for {
		switch {
		case o.err != nil || o.next >= o.total:
			return 0, false
		case ctx != nil && ctx.Err() != nil:
			o.stopped = true
			return 0, false
		case int64(o.next) < o.folded+int64(o.window):
			i := o.next
			o.next++
			return i, true
		}
		o.cond.Wait()
	}
}

// done records walk i's judgement and folds every judgement now in order.
// Folding happens under the lock: one at a time, in order.
func (o *ordered[R]) done(i int, r R, err error, steps int64) {
	o.mu.Lock()
	defer o.mu.Unlock()
	defer o.cond.Broadcast()
	if o.err != nil {
		return
	}
	if err != nil {
		o.err = err
		return
	}
	o.pending[i], o.pendingSteps[i] = r, steps
	for {
		r, ok := o.pending[int(o.folded)]
		if !ok {
			return
		}
		idx := int(o.folded)
		delete(o.pending, idx)
		o.steps += o.pendingSteps[idx]
		delete(o.pendingSteps, idx)
		if err := o.fold(idx, r); err != nil {
			o.err = err
			return
		}
		o.folded++
	}
}

// Sampler is an optional form of a model's Actions for random walks: the
// actions that may be enabled in a state (in Actions' order, a superset of
// what it returns) and a check of one.
type Sampler[S any, A any] interface {
	Candidates(s *S, dst []A) []A
	Enabled(s *S, a A) bool
}

// pick chooses one of the actions enabled in s uniformly at random, or
// reports that none is. With a Sampler it draws candidates without
// replacement until one is enabled: the first enabled action of a uniformly
// random order is uniform among the enabled ones, and a walk checks a few
// candidates a step instead of all of them.
func pick[S any, A any](m Model[S, A], sampler Sampler[S, A], r *rand.Rand, s *S, buf *[]A) (A, bool) {
	var none A
	if sampler == nil {
		*buf = m.Actions(s, (*buf)[:0])
		if len(*buf) == 0 {
			return none, false
		}
		return (*buf)[r.IntN(len(*buf))], true
	}
	cands := sampler.Candidates(s, (*buf)[:0])
	*buf = cands
	for n := len(cands); n > 0; n-- {
		j := r.IntN(n)
		if sampler.Enabled(s, cands[j]) {
			return cands[j], true
		}
		cands[j] = cands[n-1]
	}
	return none, false
}

// firstFailingOf is the first invariant that fails on s, of those that
// read a part in changed (or do not say what they read).
func firstFailingOf[S any, A any](spec Spec[S, A], s *S, changed uint64) (string, error) {
	for i := range spec.Invariants {
		inv := &spec.Invariants[i]
		if inv.Reads != 0 && inv.Reads&changed == 0 {
			continue
		}
		if err := inv.Check(s); err != nil {
			return inv.Name, err
		}
	}
	return "", nil
}
