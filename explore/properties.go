package explore

import "fmt"

// properties is what a search knows of its invariants and witnesses: which
// are violated or reached, and where. Where is R: the state to rebuild the
// trace to by replay (found) for BFS, the trace itself for DFS. The first
// state recorded for a property is kept.
type properties[S any, A any, R any] struct {
	invariants []Invariant[S]
	witnesses  []Witness[S]
	violations []*R // per invariant, where it was first violated, or nil
	reached    []*R // per witness, where it was first reached, or nil
	nViolated  int
}

func newProperties[S any, A any, R any](spec Spec[S, A]) properties[S, A, R] {
	return properties[S, A, R]{
		invariants: spec.Invariants,
		witnesses:  spec.Witnesses,
		violations: make([]*R, len(spec.Invariants)),
		reached:    make([]*R, len(spec.Witnesses)),
	}
}

// pending returns the masks of the properties still to evaluate: bit i for
// invariant (or witness) i, of at most 64 each.
func (p *properties[S, A, R]) pending() (inv, wit uint64) {
	for i := range p.invariants {
		if p.violations[i] == nil {
			inv |= 1 << i
		}
	}
	for i := range p.witnesses {
		if p.reached[i] == nil {
			wit |= 1 << i
		}
	}
	return inv, wit
}

// evaluate returns the masks of the invariants among invMask that t
// violates and of the witnesses among witMask it reaches. It only reads p,
// so that workers may call it together.
func (p *properties[S, A, R]) evaluate(t *S, invMask, witMask uint64) (inv, wit uint64) {
	for i := range p.invariants {
		if invMask&(1<<i) != 0 && p.invariants[i].Check(t) != nil {
			inv |= 1 << i
		}
	}
	for i := range p.witnesses {
		if witMask&(1<<i) != 0 && p.witnesses[i].Reached(t) {
			wit |= 1 << i
		}
	}
	return inv, wit
}

// hit reports whether t violates an invariant not yet violated or reaches
// a witness not yet reached. Every new state is asked, and only those it
// says yes for (once per property at most) pay for saying where they are
// (a trace, for DFS) and for record's second evaluation.
func (p *properties[S, A, R]) hit(t *S) bool {
	for i, inv := range p.invariants {
		if p.violations[i] == nil && inv.Check(t) != nil {
			return true
		}
	}
	for i, w := range p.witnesses {
		if p.reached[i] == nil && w.Reached(t) {
			return true
		}
	}
	return false
}

// record notes at as where t is, for every invariant not yet violated
// that t violates and every witness not yet reached that t reaches.
func (p *properties[S, A, R]) record(t *S, at *R) {
	for i, inv := range p.invariants {
		if p.violations[i] == nil && inv.Check(t) != nil {
			p.violate(i, at)
		}
	}
	for i, w := range p.witnesses {
		if p.reached[i] == nil && w.Reached(t) {
			p.reach(i, at)
		}
	}
}

// violate notes that invariant i fails at at, unless it failed before.
func (p *properties[S, A, R]) violate(i int, at *R) {
	if p.violations[i] == nil {
		p.violations[i] = at
		p.nViolated++
	}
}

// reach notes that witness i holds at at, unless it was reached before.
func (p *properties[S, A, R]) reach(i int, at *R) {
	if p.reached[i] == nil {
		p.reached[i] = at
	}
}

// done says the search may stop for its violations: it has one, and either
// it need not go on (KeepGoing) or every invariant is violated.
func (p *properties[S, A, R]) done(opts Options) bool {
	return p.nViolated > 0 && (!opts.KeepGoing || p.nViolated == len(p.invariants))
}

// inOrder lists the violated invariants in invariant order.
func (p *properties[S, A, R]) inOrder() []int {
	var order []int
	for i, v := range p.violations {
		if v != nil {
			order = append(order, i)
		}
	}
	return order
}

// addTo adds to res a counterexample for each violated invariant, in
// order, then every witness, with the traces traceTo gives for where they
// were found. A trace must end in a state that violates the invariant
// again: if it does not (BFS rebuilds its traces by replay; both searches
// may rename brokers), the model is nondeterministic or the invariant does
// not respect the symmetry, and that is an error, not a counterexample
// without a cause.
func (p *properties[S, A, R]) addTo(res *Result[S, A], order []int, traceTo func(*R) (Trace[S, A], error)) error {
	for _, i := range order {
		tr, err := traceTo(p.violations[i])
		if err != nil {
			return err
		}
		inv := p.invariants[i]
		last := tr.States[len(tr.States)-1]
		cause := inv.Check(&last)
		if cause == nil {
			return fmt.Errorf("%w: the counterexample of %s does not violate it when replayed", ErrNondeterminism, inv.Name)
		}
		res.Violations = append(res.Violations, Counterexample[S, A]{Invariant: inv.Name, Err: cause, Trace: tr})
	}
	for i, w := range p.witnesses {
		wr := WitnessResult[S, A]{Name: w.Name}
		if p.reached[i] != nil {
			tr, err := traceTo(p.reached[i])
			if err != nil {
				return err
			}
			wr.Reached, wr.Trace = true, tr
		}
		res.Witnesses = append(res.Witnesses, wr)
	}
	return nil
}
