package model

// What electcheck risk asks of a state beyond the search: the actions a
// bound cut off (the probability mass the bounds truncate), whether an
// incident is over (healed), and whether fault-free operation may start a
// new batch of records (quiescent).

// unboundedFaults is a fault budget no incident reaches.
const unboundedFaults = 255

// Cut appends to dst the actions enabled in s only in a model whose fault
// budgets and leader-epoch bound are unlimited: the faults a spent budget
// forbids, and the changes whose epoch would pass --max-leader-epoch.
// Records are not cut (they are a batch, not a truncation).
//
// Safe for concurrent use: the unbounded model is made by New.
//
// Only a spent budget or an epoch at its bound can cut anything, so the
// unbounded model's candidates are checked only where one could: a fault
// whose budget is spent (then the bounded model refuses it for that), and
// any other action when the controller's epoch is at the bound. That
// skips most of the two models' checks; TestCutIsTheDifference holds it
// to the plain difference of the two models' actions on whole searches.
func (m *Model) Cut(s *State, dst []Action) []Action { return m.CutKinds(s, dst, AllKinds) }

// KindSet is a set of action kinds.
type KindSet uint32

// AllKinds holds every kind.
const AllKinds = KindSet(1)<<numKinds - 1

// Has reports whether k is in the set; Without is the set less k.
func (ks KindSet) Has(k Kind) bool        { return ks&(1<<k) != 0 }
func (ks KindSet) Without(k Kind) KindSet { return ks &^ (1 << k) }

// CutKinds is Cut of the actions of the given kinds only: a caller that
// gives some faults no rate need not find which of them a bound cuts.
func (m *Model) CutKinds(s *State, dst []Action, kinds KindSet) []Action {
	bd := &m.cfg.Bounds
	spent := [numKinds]bool{
		Crash:               int(s.Used.Crashes) >= bd.Crashes,
		PowerLoss:           int(s.Used.PowerLosses) >= bd.PowerLosses,
		DiskLoss:            int(s.Used.DiskLosses) >= bd.DiskLosses,
		Pause:               int(s.Used.Pauses) >= bd.Pauses,
		CleanShutdown:       int(s.Used.CleanShutdowns) >= bd.CleanShutdowns,
		CorrelatedPowerLoss: int(s.Used.CorrelatedPowerLosses) >= bd.CorrelatedPowerLosses,
	}
	atEpochBound := int(s.Ctrl.Epoch) >= bd.MaxLeaderEpoch
	start := len(dst)
	dst = m.unbounded.Candidates(s, dst)
	n := start
	for _, a := range dst[start:] {
		switch {
		case a.Kind == Produce || !kinds.Has(a.Kind):
			continue // records are a batch, not a truncation
		case budgeted(a.Kind):
			// A clean shutdown also moves leadership, so the epoch bound
			// may refuse it with its budget unspent.
			if !spent[a.Kind] && !(a.Kind == CleanShutdown && atEpochBound) {
				continue
			}
		case !atEpochBound:
			continue
		}
		if m.unbounded.check(s, a) == "" && m.check(s, a) != "" {
			dst[n] = a
			n++
		}
	}
	return dst[:n]
}

// budgeted reports whether actions of kind k are faults with a budget.
func budgeted(k Kind) bool {
	switch k {
	case Crash, PowerLoss, DiskLoss, Pause, CleanShutdown, CorrelatedPowerLoss:
		return true
	}
	return false
}

// cutPlain is Cut as its definition reads: the unbounded model's actions
// that the bounded one refuses. Tests hold Cut to it.
func (m *Model) cutPlain(s *State, dst []Action) []Action {
	start := len(dst)
	dst = m.unbounded.Actions(s, dst)
	n := start
	for _, a := range dst[start:] {
		if a.Kind != Produce && m.check(s, a) != "" {
			dst[n] = a
			n++
		}
	}
	return dst[:n]
}

// Healed reports whether an incident is over in s: every broker running
// and registered, every replica in the ISR of a leader clients can find,
// and every committed record on every replica, where it was committed.
func (m *Model) Healed(s *State) bool {
	all := AllBrokers(m.cfg.ReplicationFactor)
	if s.Ctrl.ISR != all || s.Ctrl.Live != all {
		return false
	}
	if _, ok := s.CurrentLeader(); !ok {
		return false
	}
	g := &s.Ghost
	for id := BrokerID(1); id <= m.rf; id++ {
		b := s.Broker(id)
		if b.Status != Up || b.LEO < g.TrueHW {
			return false
		}
		for o, e := range g.Committed[:g.TrueHW] {
			if b.Log[o] != e {
				return false
			}
		}
	}
	return true
}

// Quiescent reports whether s is healed and at rest: every record of the
// batch (--records) sent and on every replica below every high watermark,
// no ISR change in flight, every broker on the controller's metadata.
// From such a state fault-free operation starts the next batch as from
// the initial state: what the logs hold no longer changes anything.
func (m *Model) Quiescent(s *State) bool {
	if !m.Healed(s) || int(s.Ghost.Produced) < m.cfg.Bounds.Records {
		return false
	}
	l := s.Broker(s.Ctrl.Leader)
	for id := BrokerID(1); id <= m.rf; id++ {
		b := s.Broker(id)
		if b.LEO != l.LEO || b.HW != b.LEO || b.Proposed != 0 || b.Epoch != s.Ctrl.Epoch || b.Leader != s.Ctrl.Leader {
			return false
		}
	}
	return s.Ghost.TrueHW == l.LEO
}

// withoutBounds is m with unlimited fault budgets and epoch bound.
func (m *Model) withoutBounds() *Model {
	cfg := m.cfg
	b := &cfg.Bounds
	b.Crashes, b.PowerLosses, b.DiskLosses, b.Pauses, b.CleanShutdowns = unboundedFaults, unboundedFaults, unboundedFaults, unboundedFaults, unboundedFaults
	b.CorrelatedPowerLosses = unboundedFaults
	b.MaxLeaderEpoch = MaxEpoch
	return &Model{cfg: cfg, rf: m.rf, feat: m.feat, movable: m.movable, minISRv: m.minISRv}
}
