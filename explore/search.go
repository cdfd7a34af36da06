package explore

import "fmt"

// search is what the two search orders share: the spec, the visited set,
// the monitor, the properties found, and why the search stopped. R is
// where a property was found (see properties).
type search[S any, A any, R any] struct {
	spec      Spec[S, A]
	opts      Options
	canon     func(*S)
	visited   *visitedSet
	mon       *monitor
	props     properties[S, A, R]
	generated int64
	enc       []byte // the state arrive saw last, coded
	view      []byte // its view, for a Viewer
	slot      int    // its slot in its visited-set shard
	// done says the search stopped because of violations (the first one,
	// or with KeepGoing every invariant's); stop is why a budget or an
	// interrupt ended it, if one did.
	done bool
	stop string
}

// arrive canonicalizes a state the search reached, codes it into s.enc and
// inserts the fingerprint of its identity (its View, if the model has one)
// into the visited set. A new state has the properties still open
// evaluated on it: hit says it violates or reaches one (to record).
func (s *search[S, A, R]) arrive(t *S) (fp uint64, isNew, hit bool) {
	if s.canon != nil {
		s.canon(t)
	}
	m := s.spec.Model
	s.enc = m.Encode(s.enc[:0], t)
	id := s.enc
	if v, ok := m.(Viewer[S]); ok {
		s.view = v.View(s.view[:0], t)
		id = s.view
	}
	fp = Fingerprint(id)
	slot, isNew := s.visited.shards[shardOf(fp)].insertSlot(fp)
	s.slot = slot
	if !isNew {
		return fp, false, false
	}
	return fp, true, s.props.hit(t)
}

// outOfStates stops the search if distinct states use up its budget.
func (s *search[S, A, R]) outOfStates(distinct int64) bool {
	if s.opts.MaxStates > 0 && distinct >= s.opts.MaxStates {
		s.stop = fmt.Sprintf("the state budget (%d distinct states) ran out", s.opts.MaxStates)
		return true
	}
	return false
}

// conclude sets res's verdict, completeness and stop reason; early says
// how this search order stops at a violation.
func (s *search[S, A, R]) conclude(res *Result[S, A], early string) {
	res.conclude(s.opts, s.props.nViolated > 0, s.done, s.stop, early)
}
