package model

// normalize puts a successor in canonical form and updates the ghost state.
// Facts that can no longer influence any behaviour are erased so that states
// differing only in them count once.
func (m *Model) normalize(s *State) {
	flushMatters := m.powerLossPossible(s)
	for id := BrokerID(1); id <= m.rf; id++ {
		b := s.Broker(id)
		if !flushMatters || m.flushDue(b) {
			// Nothing can be lost any more, or an append left the log
			// flush.messages past its last fsync: Log.append fsyncs it whole.
			b.Flushed = b.LEO
		}
		if b.Leader != id {
			b.ISR, b.Proposed, b.Fetched = 0, 0, 0
			b.Remote = [MaxReplicas]Offset{}
		}
		if b.Leader == None || b.Leader == id {
			b.Truncating = false
		}
	}
	for e := range m.OldestTerm(s) {
		s.Ctrl.History[e] = Term{}
	}
	// The true HW: the highest HW a running leader has had, in whatever
	// epoch it acts, and so told clients: the committed records.
	g := &s.Ghost
	for id := BrokerID(1); id <= m.rf; id++ {
		if b := s.Broker(id); b.Status == Up && b.Leader == id && b.HW > g.TrueHW {
			copy(g.Committed[g.TrueHW:b.HW], b.Log[g.TrueHW:b.HW])
			g.TrueHW = b.HW
		}
	}
}

// OldestTerm is the oldest epoch whose term a broker may still apply: the
// oldest epoch a running or paused broker knows. A broker that is down
// learns, when it restarts, the epoch current then, so older terms are never
// applied again.
func (m *Model) OldestTerm(s *State) Epoch {
	oldest := s.Ctrl.Epoch
	for id := BrokerID(1); id <= m.rf; id++ {
		if b := s.Broker(id); !b.Status.Down() {
			oldest = min(oldest, b.Epoch)
		}
	}
	return oldest
}

// powerLossPossible reports whether a power loss can still lose anything:
// one (of a broker, or of them all at once) is left in the bounds, and
// Kafka does not fsync every append (flush.messages=1).
func (m *Model) powerLossPossible(s *State) bool {
	b := &m.cfg.Bounds
	left := int(s.Used.PowerLosses) < b.PowerLosses || int(s.Used.CorrelatedPowerLosses) < b.CorrelatedPowerLosses
	return m.cfg.FlushMessages != 1 && left
}

// flushDue reports whether b's log is flush.messages or more past its last
// fsync: Kafka's Log.append then flushes it (unflushedMessages >=
// config.flushInterval). Only appends grow the gap, so a state that shows
// it is one right after an append.
func (m *Model) flushDue(b *Broker) bool {
	n := m.cfg.FlushMessages
	return n > 0 && int64(b.LEO-b.Flushed) >= n
}
