package explore

import (
	"fmt"
	"time"
)

const noParent = ^uint32(0)

// level is one BFS level: states as their canonical bytes, end to end, with
// the id each was given.
type level struct {
	arena []byte
	ends  []uint32
	ids   []uint32
}

func (l *level) len() int { return len(l.ids) }

func (l *level) add(enc []byte, id uint32) {
	l.arena = append(l.arena, enc...)
	l.ends = append(l.ends, uint32(len(l.arena)))
	l.ids = append(l.ids, id)
}

func (l *level) get(i int) []byte {
	start := uint32(0)
	if i > 0 {
		start = l.ends[i-1]
	}
	return l.arena[start:l.ends[i]]
}

func (l *level) reset() {
	l.arena, l.ends, l.ids = l.arena[:0], l.ends[:0], l.ids[:0]
}

// graph is what BFS keeps of every visited state: its fingerprint in the
// visited set, its parent's id and the index of the action that reached it
// (for an initial state, its index in Init). Traces are rebuilt by
// replaying those indices.
type graph struct {
	visited *fpSet
	parents []uint32
	acts    []uint16
}

func (g *graph) add(parent uint32, act int) uint32 {
	id := uint32(len(g.parents))
	g.parents = append(g.parents, parent)
	g.acts = append(g.acts, uint16(act))
	return id
}

func (g *graph) bytes() int64 {
	return g.visited.bytes() + int64(cap(g.parents))*4 + int64(cap(g.acts))*2
}

// found is a state the search must rebuild a trace for.
type found struct {
	id uint32
	fp uint64
}

func runBFS[S any, A any](spec Spec[S, A], opts Options) (Result[S, A], error) {
	m := spec.Model
	bud := newBudget(opts)
	g := &graph{visited: newFPSet(1 << 12)}
	cov := newCoverage(spec.Kind, spec.KindNames)
	var (
		res       Result[S, A]
		generated int64
		depth     int
		cur, next level
		enc       []byte
		actsBuf   []A
		stop      string
		done      bool
	)
	violations := make([]*found, len(spec.Invariants))
	violationErrs := make([]error, len(spec.Invariants))
	nViolated := 0
	witnesses := make([]*found, len(spec.Witnesses))
	stats := func() Stats {
		return Stats{
			Distinct: int64(len(g.parents)), Generated: generated, Depth: depth,
			Queue:   int64(cur.len() + next.len()),
			Elapsed: time.Since(bud.start), VisitedBytes: g.bytes(),
		}
	}

	// visit records a newly generated state; it reports whether the state
	// was new.
	visit := func(t *S, parent uint32, act int, lvl int) (bool, error) {
		enc = m.Encode(enc[:0], t)
		fp := Fingerprint(enc)
		if !g.visited.insert(fp) {
			return false, nil
		}
		if len(g.parents) >= int(noParent) {
			return false, fmt.Errorf("explore: more than %d distinct states", noParent-1)
		}
		id := g.add(parent, act)
		depth = max(depth, lvl)
		for i, inv := range spec.Invariants {
			if violations[i] != nil {
				continue
			}
			if err := inv.Check(t); err != nil {
				violations[i], violationErrs[i] = &found{id, fp}, err
				nViolated++
			}
		}
		for i, w := range spec.Witnesses {
			if witnesses[i] == nil && w.Reached(t) {
				witnesses[i] = &found{id, fp}
			}
		}
		if nViolated > 0 && (!opts.KeepGoing || nViolated == len(spec.Invariants)) {
			done = true
		}
		next.add(enc, id)
		return true, nil
	}

	for i, s := range m.Init() {
		generated++
		if _, err := visit(&s, noParent, i, 1); err != nil {
			return res, err
		}
	}
	cur, next = next, cur
	for lvl := 1; cur.len() > 0 && !done && stop == ""; lvl++ {
		for i := 0; i < cur.len() && !done; i++ {
			s, err := m.Decode(cur.get(i))
			if err != nil {
				return res, fmt.Errorf("explore: %w: a frontier state does not decode: %v", ErrNondeterminism, err)
			}
			parent := cur.ids[i]
			actsBuf = m.Actions(&s, actsBuf[:0])
			if len(actsBuf) > 1<<16 {
				return res, fmt.Errorf("explore: a state has %d actions; at most %d are supported", len(actsBuf), 1<<16)
			}
			for ai := range actsBuf {
				t := m.Next(&s, actsBuf[ai])
				generated++
				isNew, err := visit(&t, parent, ai, lvl+1)
				if err != nil {
					return res, err
				}
				cov.count(actsBuf[ai], isNew)
				if done {
					break
				}
			}
			if stop = bud.stop(int64(len(g.parents)), stats); stop != "" {
				// Keep the unexpanded rest of this level in the queue count.
				cur.ids, cur.ends = cur.ids[i+1:], cur.ends[i+1:]
				break
			}
		}
		if stop == "" && !done {
			cur, next = next, cur
			next.reset()
		}
	}

	res.Stats = stats()
	res.Stats.CollisionProbability = CollisionProbability(res.Stats.Distinct, generated)
	res.Coverage = cov.result()
	res.Complete = !done && stop == ""
	switch {
	case nViolated > 0:
		res.Verdict = Violation
		if !res.Complete {
			res.StopReason = "stopped at the first violation"
			if opts.KeepGoing {
				res.StopReason = "stopped once every invariant was violated"
			}
			if stop != "" {
				res.StopReason = stop
			}
		}
	case stop != "":
		res.Verdict, res.StopReason = Inconclusive, stop
	}

	// Rebuild the traces by replay, shortest violation first.
	order := violationOrder(violations)
	for _, i := range order {
		tr, err := replay(m, g, violations[i])
		if err != nil {
			return res, err
		}
		if spec.Invariants[i].Check(&tr.States[len(tr.States)-1]) == nil {
			return res, fmt.Errorf("%w: replaying the counterexample of %s does not violate it", ErrNondeterminism, spec.Invariants[i].Name)
		}
		res.Violations = append(res.Violations, Counterexample[S, A]{Invariant: spec.Invariants[i].Name, Err: violationErrs[i], Trace: tr})
	}
	for i, w := range spec.Witnesses {
		wr := WitnessResult[S, A]{Name: w.Name}
		if witnesses[i] != nil {
			tr, err := replay(m, g, witnesses[i])
			if err != nil {
				return res, err
			}
			wr.Reached, wr.Trace = true, tr
		}
		res.Witnesses = append(res.Witnesses, wr)
	}
	return res, nil
}

// violationOrder lists the violated invariants by the id of the violating
// state (BFS ids grow with depth, so shortest first), then invariant order.
func violationOrder(v []*found) []int {
	var order []int
	for i := range v {
		if v[i] != nil {
			order = append(order, i)
		}
	}
	for i := 1; i < len(order); i++ {
		for j := i; j > 0 && v[order[j]].id < v[order[j-1]].id; j-- {
			order[j], order[j-1] = order[j-1], order[j]
		}
	}
	return order
}

// replay rebuilds the path to f by replaying action indices from the
// initial state, checking every state against the visited set and the last
// one against its recorded fingerprint.
func replay[S any, A any](m Model[S, A], g *graph, f *found) (Trace[S, A], error) {
	var path []uint32
	for x := f.id; ; x = g.parents[x] {
		path = append(path, x)
		if g.parents[x] == noParent {
			break
		}
	}
	for i, j := 0, len(path)-1; i < j; i, j = i+1, j-1 {
		path[i], path[j] = path[j], path[i]
	}
	var tr Trace[S, A]
	inits := m.Init()
	root := int(g.acts[path[0]])
	if root >= len(inits) {
		return tr, fmt.Errorf("%w: initial state %d no longer exists", ErrNondeterminism, root)
	}
	s := inits[root]
	var enc []byte
	check := func(s *S, want uint64) error {
		enc = m.Encode(enc[:0], s)
		fp := Fingerprint(enc)
		if want != 0 && fp != want || !g.visited.contains(fp) {
			return fmt.Errorf("%w: replaying a trace reached a state the search never saw", ErrNondeterminism)
		}
		return nil
	}
	if err := check(&s, wantFP(path, 0, f)); err != nil {
		return tr, err
	}
	tr.States = append(tr.States, s)
	var acts []A
	for k, x := range path[1:] {
		acts = m.Actions(&s, acts[:0])
		ai := int(g.acts[x])
		if ai >= len(acts) {
			return tr, fmt.Errorf("%w: replay step %d needs action %d but only %d are enabled", ErrNondeterminism, k+1, ai, len(acts))
		}
		a := acts[ai]
		s = m.Next(&s, a)
		if err := check(&s, wantFP(path, k+1, f)); err != nil {
			return tr, err
		}
		tr.Actions = append(tr.Actions, a)
		tr.States = append(tr.States, s)
	}
	return tr, nil
}

func wantFP(path []uint32, i int, f *found) uint64 {
	if i == len(path)-1 {
		return f.fp
	}
	return 0
}
