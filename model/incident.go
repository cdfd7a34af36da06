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
func (m *Model) Cut(s *State, dst []Action) []Action {
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
	return &Model{cfg: cfg, rf: m.rf, feat: m.feat, movable: m.movable}
}
