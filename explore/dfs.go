package explore

import "fmt"

// runDFS is a plain depth-first search over the same visited set. It is the
// low-memory option (no frontier, no parent links) and the second traversal
// that cross-checks BFS: both must find the same distinct states. It runs on
// one goroutine; its traces are the DFS stack, not shortest paths.
func runDFS[S any, A any](spec Spec[S, A], opts Options, canon func(*S)) (Result[S, A], error) {
	m := spec.Model
	mon := newMonitor(opts)
	defer mon.stop()
	visited := newVisitedSet()
	defer visited.free()
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
		polls     int
		initial   S // the real initial state of the current tree, for lifting
	)
	violations := make([]*Counterexample[S, A], len(spec.Invariants))
	nViolated := 0
	witnesses := make([]*Trace[S, A], len(spec.Witnesses))
	stats := func() Stats {
		return Stats{Distinct: distinct, Generated: generated, Depth: depth, Queue: int64(len(stack)),
			Elapsed: mon.elapsed(), VisitedBytes: visited.bytes(), PeakMemory: mon.peak(), Workers: 1}
	}
	// path is the trace to t through the stack: representatives, with the
	// actions taken on them, lifted to real states under symmetry.
	path := func(t S, via A, initialState bool) (Trace[S, A], error) {
		var tr Trace[S, A]
		for i, f := range stack {
			tr.States = append(tr.States, f.s)
			if i > 0 {
				tr.Actions = append(tr.Actions, f.via)
			}
		}
		if initialState {
			tr = Trace[S, A]{}
		} else {
			tr.Actions = append(tr.Actions, via)
		}
		tr.States = append(tr.States, t)
		if canon == nil {
			return tr, nil
		}
		return lift(m, canon, initial, tr.States)
	}
	// push visits t; if it is new it is checked and becomes the top frame.
	push := func(t S, via A, initialState bool) (bool, error) {
		if canon != nil {
			canon(&t)
		}
		enc = m.Encode(enc[:0], &t)
		if !visited.insert(Fingerprint(enc)) {
			return false, nil
		}
		distinct++
		var tr *Trace[S, A]
		trace := func() (Trace[S, A], error) {
			if tr == nil {
				p, err := path(t, via, initialState)
				if err != nil {
					return p, err
				}
				tr = &p
			}
			return *tr, nil
		}
		for i, inv := range spec.Invariants {
			if violations[i] == nil {
				if err := inv.Check(&t); err != nil {
					p, perr := trace()
					if perr != nil {
						return false, perr
					}
					last := p.States[len(p.States)-1]
					violations[i] = &Counterexample[S, A]{Invariant: inv.Name, Err: inv.Check(&last), Trace: p}
					nViolated++
				}
			}
		}
		for i, w := range spec.Witnesses {
			if witnesses[i] == nil && w.Reached(&t) {
				p, err := trace()
				if err != nil {
					return false, err
				}
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
		return true, nil
	}

	var zero A
	for _, s := range m.Init() {
		generated++
		initial = s
		if ok, err := push(s, zero, true); err != nil {
			return res, err
		} else if !ok {
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
			isNew, err := push(t, a, false)
			if err != nil {
				return res, err
			}
			cov.count(a, isNew)
			if polls++; polls&1023 == 0 {
				mon.update(stats())
				stop = mon.reason()
			}
			if opts.MaxStates > 0 && distinct >= opts.MaxStates {
				stop = fmt.Sprintf("the state budget (%d distinct states) ran out", opts.MaxStates)
			}
		}
		if done || stop != "" {
			break
		}
	}
	res.Stats = stats()
	res.Stats.CollisionProbability = CollisionProbability(distinct, generated)
	res.Coverage = cov.result()
	res.conclude(opts, nViolated > 0, done, stop, "stopped at the first violation")
	for _, v := range violations {
		if v != nil {
			res.Violations = append(res.Violations, *v)
		}
	}
	err := res.addWitnesses(spec, func(i int) (*Trace[S, A], error) { return witnesses[i], nil })
	return res, err
}
