package explore

import (
	"fmt"
	"time"
)

// runDFS is a plain depth-first search over the same visited set. It exists
// as the low-memory option and as a second traversal to cross-check BFS:
// both must find the same distinct states. Its traces are the DFS stack, not
// shortest paths.
func runDFS[S any, A any](spec Spec[S, A], opts Options) (Result[S, A], error) {
	m := spec.Model
	bud := newBudget(opts)
	visited := newFPSet(1 << 12)
	cov := newCoverage(spec.Kind, spec.KindNames)
	type frame struct {
		s    S
		acts []A
		next int
		via  A // the action that reached s (unset for an initial state)
	}
	var (
		res       Result[S, A]
		stack     []frame
		bufs      [][]A // action buffers reused per depth
		distinct  int64
		generated int64
		depth     int
		enc       []byte
		stop      string
		done      bool
	)
	violations := make([]*Counterexample[S, A], len(spec.Invariants))
	nViolated := 0
	witnesses := make([]*Trace[S, A], len(spec.Witnesses))
	stats := func() Stats {
		return Stats{Distinct: distinct, Generated: generated, Depth: depth, Queue: int64(len(stack)),
			Elapsed: time.Since(bud.start), VisitedBytes: visited.bytes()}
	}
	path := func(t S) Trace[S, A] {
		var tr Trace[S, A]
		for i, f := range stack {
			tr.States = append(tr.States, f.s)
			if i > 0 {
				tr.Actions = append(tr.Actions, f.via)
			}
		}
		tr.States = append(tr.States, t)
		return tr
	}
	// push visits t; if it is new it is checked and becomes the top frame.
	push := func(t S, via A, initial bool) bool {
		enc = m.Encode(enc[:0], &t)
		if !visited.insert(Fingerprint(enc)) {
			return false
		}
		distinct++
		var tr *Trace[S, A]
		trace := func() Trace[S, A] {
			if tr == nil {
				p := path(t)
				if initial {
					p = Trace[S, A]{States: []S{t}}
				} else {
					p.Actions = append(p.Actions, via)
				}
				tr = &p
			}
			return *tr
		}
		for i, inv := range spec.Invariants {
			if violations[i] == nil {
				if err := inv.Check(&t); err != nil {
					violations[i] = &Counterexample[S, A]{Invariant: inv.Name, Err: err, Trace: trace()}
					nViolated++
				}
			}
		}
		for i, w := range spec.Witnesses {
			if witnesses[i] == nil && w.Reached(&t) {
				p := trace()
				witnesses[i] = &p
			}
		}
		if nViolated > 0 && (!opts.KeepGoing || nViolated == len(spec.Invariants)) {
			done = true
		}
		d := len(stack)
		if d >= len(bufs) {
			bufs = append(bufs, nil)
		}
		bufs[d] = m.Actions(&t, bufs[d][:0])
		stack = append(stack, frame{s: t, acts: bufs[d], via: via})
		depth = max(depth, len(stack))
		return true
	}

	var zero A
	for _, s := range m.Init() {
		generated++
		if !push(s, zero, true) {
			continue
		}
		for len(stack) > 0 && !done && stop == "" {
			top := &stack[len(stack)-1]
			if top.next == len(top.acts) {
				stack = stack[:len(stack)-1]
				continue
			}
			a := top.acts[top.next]
			top.next++
			t := m.Next(&top.s, a)
			generated++
			cov.count(a, push(t, a, false))
			stop = bud.stop(distinct, stats)
		}
		if done || stop != "" {
			break
		}
	}
	res.Stats = stats()
	res.Stats.CollisionProbability = CollisionProbability(distinct, generated)
	res.Coverage = cov.result()
	res.Complete = !done && stop == ""
	switch {
	case nViolated > 0:
		res.Verdict = Violation
		if !res.Complete {
			res.StopReason = "stopped at the first violation"
			if stop != "" {
				res.StopReason = stop
			}
		}
	case stop != "":
		res.Verdict, res.StopReason = Inconclusive, stop
	}
	for _, v := range violations {
		if v != nil {
			res.Violations = append(res.Violations, *v)
		}
	}
	for i, w := range spec.Witnesses {
		wr := WitnessResult[S, A]{Name: w.Name}
		if witnesses[i] != nil {
			wr.Reached, wr.Trace = true, *witnesses[i]
		}
		res.Witnesses = append(res.Witnesses, wr)
	}
	if len(stack) > 1<<20 {
		return res, fmt.Errorf("explore: DFS stack grew past %d frames", 1<<20)
	}
	return res, nil
}
