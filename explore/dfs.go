package explore

// dfsSearch is a plain depth-first search over the same visited set. It is
// the low-memory option (no frontier, no parent links) and the second
// traversal that cross-checks BFS: both must find the same distinct
// states. It runs on one goroutine; its traces are the DFS stack, not
// shortest paths, and are recorded as they are found.
type dfsSearch[S any, A any] struct {
	search[S, A, Trace[S, A]]
	cov      *coverage[A]
	stack    []dfsFrame[S, A]
	bufs     [][]A // action buffers reused per depth
	distinct int64
	depth    int
	polls    int
	initial  S // the real initial state of the current tree, for lifting
}

// dfsFrame is a state on the stack, with its enabled actions and the next
// one to take.
type dfsFrame[S any, A any] struct {
	s    S
	acts []A
	next int
	via  A // the action that reached s (unset for an initial state)
}

// runDFS searches spec depth first (see dfsSearch).
func runDFS[S any, A any](spec Spec[S, A], opts Options, canon func(*S)) (Result[S, A], error) {
	d := &dfsSearch[S, A]{search: search[S, A, Trace[S, A]]{spec: spec, opts: opts, canon: canon}}
	d.mon = newMonitor(opts)
	d.visited = newVisitedSet(false)
	defer d.free()
	d.cov = newCoverage(spec.Kind, spec.KindNames)
	d.props = newProperties[S, A, Trace[S, A]](spec)
	return d.run()
}

// free returns the visited set's memory and stops the monitor.
func (d *dfsSearch[S, A]) free() {
	d.visited.free()
	d.mon.stop()
}

// run searches the tree of each initial state in turn.
func (d *dfsSearch[S, A]) run() (Result[S, A], error) {
	var zero A
	for _, s := range d.spec.Model.Init() {
		d.generated++
		d.initial = s
		if ok, err := d.push(s, zero, true); err != nil {
			return Result[S, A]{}, err
		} else if !ok {
			continue
		}
		if err := d.tree(); err != nil {
			return Result[S, A]{}, err
		}
		if d.done || d.stop != "" {
			break
		}
	}
	return d.result()
}

// tree searches from the stack's bottom state until the stack is empty or
// the search stops.
func (d *dfsSearch[S, A]) tree() error {
	m := d.spec.Model
	for len(d.stack) > 0 && !d.done && d.stop == "" {
		top := &d.stack[len(d.stack)-1]
		if top.next == len(top.acts) {
			d.stack = d.stack[:len(d.stack)-1]
			continue
		}
		a := top.acts[top.next]
		top.next++
		t := m.Next(&top.s, a)
		d.generated++
		isNew, err := d.push(t, a, false)
		if err != nil {
			return err
		}
		d.cov.count(a, isNew)
		if d.polls++; d.polls&1023 == 0 {
			d.mon.update(d.stats())
			d.stop = d.mon.reason()
		}
		d.outOfStates(d.distinct)
	}
	return nil
}

// push visits t; if it is new it is checked and becomes the top frame.
func (d *dfsSearch[S, A]) push(t S, via A, initialState bool) (bool, error) {
	_, isNew, hit := d.arrive(&t)
	if !isNew {
		return false, nil
	}
	d.distinct++
	if hit {
		tr, err := d.path(t, via, initialState)
		if err != nil {
			return false, err
		}
		d.props.record(&t, &tr)
	}
	if d.props.done(d.opts) {
		d.done = true
	}
	depth := len(d.stack)
	if depth >= len(d.bufs) {
		d.bufs = append(d.bufs, nil)
	}
	d.bufs[depth] = d.spec.Model.Actions(&t, d.bufs[depth][:0])
	d.stack = append(d.stack, dfsFrame[S, A]{s: t, acts: d.bufs[depth], via: via})
	d.depth = max(d.depth, len(d.stack))
	return true, nil
}

// path is the trace to t through the stack: representatives, with the
// actions taken on them, lifted to real states under symmetry.
func (d *dfsSearch[S, A]) path(t S, via A, initialState bool) (Trace[S, A], error) {
	var tr Trace[S, A]
	for i, f := range d.stack {
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
	if d.canon == nil {
		return tr, nil
	}
	return lift(d.spec.Model, d.canon, d.initial, tr.States)
}

// stats are the search's statistics so far.
func (d *dfsSearch[S, A]) stats() Stats {
	return Stats{Distinct: d.distinct, Generated: d.generated, Depth: d.depth, Queue: int64(len(d.stack)),
		Elapsed: d.mon.elapsed(), VisitedBytes: d.visited.bytes(), PeakMemory: d.mon.peak(), Workers: 1}
}

// result is what the search found, in invariant order.
func (d *dfsSearch[S, A]) result() (Result[S, A], error) {
	var res Result[S, A]
	res.Stats = d.stats()
	res.Stats.CollisionProbability = CollisionProbability(d.distinct, d.generated)
	res.Coverage = d.cov.result()
	d.conclude(&res, "stopped at the first violation")
	err := d.props.addTo(&res, d.props.inOrder(), d.trace)
	return res, err
}

// trace is the trace recorded to where a property was found.
func (d *dfsSearch[S, A]) trace(tr *Trace[S, A]) (Trace[S, A], error) { return *tr, nil }
