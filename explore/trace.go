package explore

import (
	"fmt"
)

// found is a state the search must rebuild a trace for.
type found struct {
	id uint32
	fp uint64
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

// replay rebuilds the path to f: it replays action indices from the initial
// state through the representatives the search stored, checking every state
// against the visited set and the last against its recorded fingerprint,
// then lifts the path to the model's own states (see lift).
func replay[S any, A any](m Model[S, A], canon func(*S), g *graph, f *found) (Trace[S, A], error) {
	var path []uint32
	for x := f.id; ; x = g.links.parent(x) {
		path = append(path, x)
		if g.links.parent(x) == noParent {
			break
		}
	}
	for i, j := 0, len(path)-1; i < j; i, j = i+1, j-1 {
		path[i], path[j] = path[j], path[i]
	}
	inits := m.Init()
	root := g.links.act(path[0])
	if root >= len(inits) {
		return Trace[S, A]{}, fmt.Errorf("%w: initial state %d no longer exists", ErrNondeterminism, root)
	}
	var enc []byte
	ident := Identity(m)
	check := func(s *S, want uint64) error {
		enc = ident(enc[:0], s)
		fp := Fingerprint(enc)
		if want != 0 && fp != want || !g.visited.contains(fp) {
			return fmt.Errorf("%w: replaying a trace reached a state the search never saw", ErrNondeterminism)
		}
		return nil
	}
	want := func(k int) uint64 {
		if k == len(path)-1 {
			return f.fp
		}
		return 0
	}
	s := inits[root]
	if canon != nil {
		canon(&s)
	}
	if err := check(&s, want(0)); err != nil {
		return Trace[S, A]{}, err
	}
	reps := []S{s}
	var acts []A
	var actions []A
	for k, x := range path[1:] {
		acts = m.Actions(&s, acts[:0])
		ai := g.links.act(x)
		if ai >= len(acts) {
			return Trace[S, A]{}, fmt.Errorf("%w: replay step %d needs action %d but only %d are enabled", ErrNondeterminism, k+1, ai, len(acts))
		}
		actions = append(actions, acts[ai])
		s = m.Next(&s, acts[ai])
		if canon != nil {
			canon(&s)
		}
		if err := check(&s, want(k+1)); err != nil {
			return Trace[S, A]{}, err
		}
		reps = append(reps, s)
	}
	if canon == nil {
		return Trace[S, A]{States: reps, Actions: actions}, nil
	}
	return lift(m, canon, inits[root], reps)
}

// lift turns a path through orbit representatives into a path through the
// model's own states from the real initial state: at each step it takes the
// first enabled action whose successor has the next representative. Under
// a symmetry one always exists; its absence means Canonicalize and the
// model disagree.
func lift[S any, A any](m Model[S, A], canon func(*S), init S, reps []S) (Trace[S, A], error) {
	tr := Trace[S, A]{States: []S{init}}
	var acts []A
	var want, got []byte
	s := init
	for k := 1; k < len(reps); k++ {
		want = m.Encode(want[:0], &reps[k])
		acts = m.Actions(&s, acts[:0])
		ok := false
		for _, a := range acts {
			t := m.Next(&s, a)
			c := t
			canon(&c)
			got = m.Encode(got[:0], &c)
			if string(got) == string(want) {
				tr.Actions = append(tr.Actions, a)
				tr.States = append(tr.States, t)
				s, ok = t, true
				break
			}
		}
		if !ok {
			return tr, fmt.Errorf("%w: no action of step %d leads to the recorded state under symmetry", ErrNondeterminism, k)
		}
	}
	return tr, nil
}
