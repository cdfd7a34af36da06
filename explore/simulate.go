package explore

import (
	"context"
	"math/rand/v2"
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

// Simulate runs the walks and hands each to visit, in order; an error from
// visit stops it. The walk, its trace included, is reused once visit
// returns: visit copies what it keeps.
func Simulate[S any, A any](spec Spec[S, A], opts SimOptions, visit func(w *Walk[S, A]) error) (SimStats, error) {
	start := time.Now()
	var st SimStats
	var buf []A
	sampler, _ := spec.Model.(Sampler[S, A])
	w := &Walk[S, A]{}
	for i := 0; i < opts.Walks; i++ {
		if opts.Context != nil && opts.Context.Err() != nil {
			st.Stopped = true
			break
		}
		r := rand.New(rand.NewPCG(opts.Seed, uint64(i)))
		s := spec.Model.Init()[0]
		*w = Walk[S, A]{Index: i, Trace: Trace[S, A]{States: append(w.Trace.States[:0], s), Actions: w.Trace.Actions[:0]}, FailedAt: -1}
		check := func() {
			if w.FailedAt < 0 {
				if w.Invariant, w.Err = firstFailing(spec, &s); w.Invariant != "" {
					w.FailedAt = len(w.Trace.Actions)
				}
			}
		}
		check()
		for d := 0; d < opts.MaxDepth && !(opts.StopAtViolation && w.FailedAt >= 0); d++ {
			a, ok := pick(spec.Model, sampler, r, &s, &buf)
			if !ok {
				break
			}
			s = spec.Model.Next(&s, a)
			w.Trace.States, w.Trace.Actions = append(w.Trace.States, s), append(w.Trace.Actions, a)
			check()
		}
		st.Walks++
		st.Steps += int64(len(w.Trace.Actions))
		if err := visit(w); err != nil {
			st.Elapsed = time.Since(start)
			return st, err
		}
	}
	st.Elapsed = time.Since(start)
	return st, nil
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

func firstFailing[S any, A any](spec Spec[S, A], s *S) (string, error) {
	for _, inv := range spec.Invariants {
		if err := inv.Check(s); err != nil {
			return inv.Name, err
		}
	}
	return "", nil
}
