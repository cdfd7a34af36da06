package model

// produce: the producer sends the next record to leader id (acks as
// configured). With acks=all and an ISR smaller than min.insync.replicas the
// leader refuses it before appending (NotEnoughReplicas).
func (m *Model) produce(s *State, id BrokerID) {
	g := &s.Ghost
	rec := &g.Records[g.Produced]
	g.Produced++
	b := s.Broker(id)
	if m.cfg.Acks == AcksAll && b.ISR.Len() < m.cfg.MinInsyncReplicas {
		rec.Fate = Refused
		return
	}
	*rec = Record{Offset: b.LEO, Leader: id}
	b.appendEntry(Entry{Rec: RecordID(g.Produced), Epoch: b.Epoch})
	switch m.cfg.Acks {
	case AcksNone:
		rec.Fate = Sent
	case AcksLeader:
		rec.Fate = Acked
	default:
		rec.Fate = Pending
	}
	// A leader alone in its ISR commits on its own append.
	m.advanceHW(s, id)
}

// fetch: follower id fetches from the broker it believes leads. The fetch
// and its response are one step; the response carries the leader's high
// watermark as it was before this fetch advanced it (Kafka reads the log,
// HW included, before updating the follower's state), so a follower's HW
// lags the leader's by a round trip: the window of KIP-101.
func (m *Model) fetch(s *State, id BrokerID) {
	f := s.Broker(id)
	lid := f.Leader
	l := s.Broker(lid)
	if m.feat.Truncation == TruncateToLeaderEpoch {
		// KIP-101/279/320: truncate to where the epochs diverge.
		f.truncate(divergence(f, l))
	} else if f.LEO > l.LEO {
		// Before KIP-101 a follower ahead of the leader gets
		// OFFSET_OUT_OF_RANGE and truncates to the leader's LEO; entries that
		// differ below it go unnoticed.
		f.truncate(l.LEO)
	}
	fetchOffset := f.LEO
	leaderHW := l.HW
	for o := fetchOffset; o < l.LEO; o++ {
		f.appendEntry(l.Log[o])
	}
	f.HW = min(leaderHW, f.LEO)
	l.Remote[id-1] = fetchOffset
	m.advanceHW(s, lid)
}

// advanceHW moves leader id's high watermark to the smallest LEO in its ISR,
// as far as it knows them, and completes the acks=all produces it passes.
// The HW never moves back on a leader.
func (m *Model) advanceHW(s *State, id BrokerID) {
	b := s.Broker(id)
	if m.feat.StrictMinISR && b.ISR.Len() < m.cfg.MinInsyncReplicas {
		return // KAFKA-15583 (3.7): no commit below min.insync.replicas
	}
	hw := b.LEO
	for f := BrokerID(1); f <= m.rf; f++ {
		if f != id && b.ISR.Has(f) {
			hw = min(hw, b.Remote[f-1])
		}
	}
	if hw <= b.HW {
		return
	}
	b.HW = hw
	ok := b.ISR.Len() >= m.cfg.MinInsyncReplicas
	g := &s.Ghost
	for k := range g.Produced {
		r := &g.Records[k]
		if r.Fate == Pending && r.Leader == id && r.Offset < hw {
			if ok {
				r.Fate = Acked
			} else {
				r.Fate = FailedAfterAppend
			}
		}
	}
}

// setISR: leader id changes the ISR through the controller (a ZooKeeper
// conditional write before KRaft, AlterPartition after); the update is
// atomic here, so KIP-497's in-flight "maximal ISR" never arises.
func (m *Model) setISR(s *State, id BrokerID, isr Set) {
	s.Ctrl.ISR = isr
	s.Broker(id).ISR = isr
	m.advanceHW(s, id) // a shrink can let the HW advance
}

// applyMetadata: broker id applies the controller's current partition
// metadata. Becoming leader starts a new leadership (no follower state yet);
// leaving leadership fails the produces waiting for the HW
// (NOT_LEADER_OR_FOLLOWER). Before KIP-101 a replica becoming follower of a
// new leader truncates its log to its own high watermark.
func (m *Model) applyMetadata(s *State, id BrokerID) {
	b := s.Broker(id)
	epoch, leader, isr := m.metadataFor(s, id)
	newTerm := b.Epoch != epoch || b.Leader != leader
	wasLeader := b.Leader == id
	if leader == id {
		if !wasLeader || newTerm {
			b.Remote = [MaxReplicas]Offset{}
		}
		b.Epoch, b.Leader, b.ISR = epoch, leader, isr
		m.advanceHW(s, id)
		return
	}
	if wasLeader {
		m.failPending(s, id)
		b.Remote = [MaxReplicas]Offset{}
	}
	b.Epoch, b.Leader, b.ISR = epoch, leader, 0
	if newTerm && leader != None && m.feat.Truncation == TruncateToHighWatermark {
		b.truncate(b.HW)
	}
}

// failPending fails the acks=all produces waiting on broker id.
func (m *Model) failPending(s *State, id BrokerID) {
	g := &s.Ghost
	for k := range g.Produced {
		if r := &g.Records[k]; r.Fate == Pending && r.Leader == id {
			r.Fate = LeaderLost
		}
	}
}

// stop takes broker id down with the given status. What it forgets and what
// its disk loses depend on how it went down.
func (m *Model) stop(s *State, id BrokerID, status Status) {
	b := s.Broker(id)
	m.failPending(s, id)
	b.Epoch, b.Leader, b.ISR, b.Remote = 0, None, 0, [MaxReplicas]Offset{}
	b.Status = status
	switch status {
	case DiskLost:
		b.truncate(0)
		b.HW = 0
	}
}

// cleanShutdown: controlled shutdown. The controller moves leadership to
// target (a live ISR member, or None) and takes the broker out of the ISR
// unless it is the last member; the broker flushes and stops.
func (m *Model) cleanShutdown(s *State, id, target BrokerID) {
	b := s.Broker(id)
	b.Flushed = b.LEO
	wasLeader := s.Ctrl.Leader == id
	m.fence(s, id)
	if wasLeader {
		m.failover(s, target)
	}
	m.stop(s, id, ShutDown)
}

// detect: the controller fences broker id (session expiry in ZooKeeper
// mode, missed heartbeats in KRaft); if it led, the controller elects target
// or, with no one eligible, leaves the partition offline.
func (m *Model) detect(s *State, id, target BrokerID) {
	wasLeader := s.Ctrl.Leader == id
	m.fence(s, id)
	if wasLeader {
		m.failover(s, target)
	}
}

// fence marks id dead and removes it from the ISR unless it is the last
// member: before KIP-966 the ISR never becomes empty.
func (m *Model) fence(s *State, id BrokerID) {
	c := &s.Ctrl
	c.Live = c.Live.Without(id)
	if c.ISR.Has(id) && c.ISR.Len() > 1 {
		c.ISR = c.ISR.Without(id)
	}
}

// failover elects target after the leader failed; None leaves the
// partition offline. Electing a replica outside the ISR is an unclean
// election: the ISR becomes the new leader alone.
func (m *Model) failover(s *State, target BrokerID) {
	if target == None {
		s.Ctrl.Leader = None
		return
	}
	m.elect(s, target)
}

// elect makes id leader in a new epoch.
func (m *Model) elect(s *State, id BrokerID) {
	c := &s.Ctrl
	if !c.ISR.Has(id) {
		c.ISR = Only(id)
	}
	c.Leader = id
	c.Epoch++
}

// restart: a fenced broker comes back. Its log is what its disk kept; it
// knows no partition metadata until the controller sends it. From 3.5 it
// registers with a new broker epoch, and the controller refuses ISR
// expansions based on fetches from before the restart (KIP-903): the
// leader's record of its old fetch offset no longer counts.
func (m *Model) restart(s *State, id BrokerID) {
	s.Broker(id).Status = Up
	if m.feat.BrokerEpochs {
		for o := BrokerID(1); o <= m.rf; o++ {
			s.Broker(o).Remote[id-1] = 0
		}
	}
	m.register(s, id)
}

// register: the controller sees broker id alive again. An offline
// partition elects it at once if it is eligible.
func (m *Model) register(s *State, id BrokerID) {
	s.Ctrl.Live = s.Ctrl.Live.With(id)
	if s.Ctrl.Leader == None && m.eligibleOnRegister(s, id) {
		m.elect(s, id)
	}
}

// normalize puts a successor in canonical form and updates the ghost state.
// Facts that can no longer influence any behaviour are erased so that states
// differing only in them count once.
func (m *Model) normalize(s *State) {
	flushMatters := m.powerLossPossible(s)
	for id := BrokerID(1); id <= m.rf; id++ {
		b := s.Broker(id)
		if !flushMatters || m.cfg.FlushEveryMessage {
			// Nothing can be lost any more, or Kafka fsyncs every append.
			b.Flushed = b.LEO
		}
		if b.Leader != id {
			b.ISR = 0
			b.Remote = [MaxReplicas]Offset{}
		}
	}
	// The true HW: the highest HW the current leader has exposed to clients.
	g := &s.Ghost
	if hw, ok := s.ExposedHW(); ok && hw > g.TrueHW {
		l := s.Broker(s.Ctrl.Leader)
		copy(g.Committed[g.TrueHW:hw], l.Log[g.TrueHW:hw])
		g.TrueHW = hw
	}
}
