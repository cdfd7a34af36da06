package model

// produce: the producer sends the next record to leader id (acks as
// configured). With acks=all and a committed ISR smaller than
// min.insync.replicas the leader refuses it before appending
// (NotEnoughReplicas, Partition.appendRecordsToLeader). A produce request
// carries no leader epoch, so a stale leader appends too.
func (m *Model) produce(s *State, id BrokerID) {
	g := &s.Ghost
	rec := &g.Records[g.Produced]
	g.Produced++
	b := s.Broker(id)
	if m.cfg.Acks == AcksAll && b.ISR.Len() < m.minISR() {
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

// fetch: follower id fetches from the broker it believes leads. First, if
// its generation says so, it truncates where its log diverges from the
// leader's (truncation.go); then the leader records its fetch offset, may
// advance its HW, and answers with what follows and its HW as it was
// before this fetch advanced it (Kafka reads the log, HW included, before
// updating the follower's state), so a follower's HW lags the leader's by a
// round trip: the window of KIP-101. With lost the response never reaches
// the follower (a broken connection, a crash before it is processed): the
// leader learned the fetch offset, the follower learned nothing.
func (m *Model) fetch(s *State, id BrokerID, lost bool) {
	f := s.Broker(id)
	lid := f.Leader
	l := s.Broker(lid)
	f.truncate(m.fetchStart(s, id))
	f.Truncating = false
	fetchOffset := f.LEO
	if !lost {
		leaderHW := l.HW
		for o := fetchOffset; o < l.LEO; o++ {
			f.appendEntry(l.Log[o])
		}
		f.HW = min(leaderHW, f.LEO)
	}
	l.Remote[id-1] = fetchOffset
	l.Fetched = l.Fetched.With(id)
	m.advanceHW(s, lid)
}

// fetchStart is where follower id's log ends once it has done what its
// generation does before fetching: an epoch lookup, and truncation to the
// leader's LEO if it is still ahead of it (OFFSET_OUT_OF_RANGE).
func (m *Model) fetchStart(s *State, id BrokerID) Offset {
	f := s.Broker(id)
	l := s.Broker(f.Leader)
	end := f.LEO
	if m.has(EpochTruncation) && (f.Truncating || m.has(FencedFetch)) {
		end = m.lookupTruncation(f, l, f.Leader)
	}
	return min(end, l.LEO)
}

// outOfRangeHalts reports whether a follower ahead of its leader halts
// instead of truncating: before KIP-101, with unclean leader election
// disabled, Kafka exits rather than truncate what may be committed
// (ReplicaFetcherThread.handleOffsetOutOfRange in 0.10).
func (m *Model) outOfRangeHalts(s *State) bool {
	return !m.has(EpochTruncation) && !m.unclean(s)
}

// hwSet is the set of followers whose fetch offsets bound leader b's high
// watermark: its ISR, or with an ISR change in flight (KIP-497) the maximal
// ISR (committed and proposed members), or without maximal-isr the
// minimal one (the leader applying its own proposal at once).
func (m *Model) hwSet(b *Broker) Set {
	if b.Proposed == 0 {
		return b.ISR
	}
	if m.has(MaximalISR) {
		return b.ISR | b.Proposed
	}
	return b.ISR & b.Proposed
}

// advanceHW moves leader id's high watermark to the smallest LEO in its
// (maximal) ISR, as far as it knows them, and completes the acks=all
// produces it passes. The HW never moves back on a leader.
func (m *Model) advanceHW(s *State, id BrokerID) {
	b := s.Broker(id)
	if m.has(StrictMinISR) && b.ISR.Len() < m.minISR() {
		return // KAFKA-15583 (3.7): no commit below min.insync.replicas
	}
	set := m.hwSet(b)
	hw := b.LEO
	for f := BrokerID(1); f <= m.rf; f++ {
		if f != id && set.Has(f) {
			hw = min(hw, b.Remote[f-1])
		}
	}
	if hw <= b.HW {
		return
	}
	b.HW = hw
	ok := set.Len() >= m.minISR()
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

// consume: the consumer fetches from broker id and reads every offset from
// its position up to that broker's HW. Reading everything available at
// once loses nothing for checking: reading more only adds records that must
// stay stable.
func (m *Model) consume(s *State, id BrokerID) {
	g := &s.Ghost
	b := s.Broker(id)
	for ; Offset(g.Consumed) < b.HW; g.Consumed++ {
		g.Read[g.Consumed] = b.Log[g.Consumed].Rec
	}
}

// applyMetadata: broker id applies the partition metadata of epoch e: the
// controller's current metadata if e is its epoch, else the term epoch e
// began with (a LeaderAndIsr request delivered late, or a KRaft metadata
// log replayed late). Becoming leader of a new epoch starts a leadership
// (no follower state yet, unless it already led); leaving leadership fails
// the produces waiting for the HW (NOT_LEADER_OR_FOLLOWER). A follower of a
// new leader truncates to its own HW before KIP-101, or looks up where to
// truncate at its next fetch after it (Broker.Truncating, until KIP-320
// does so on every fetch). Any ISR change in flight is dropped: the leader
// takes the committed state.
func (m *Model) applyMetadata(s *State, id BrokerID, e Epoch) {
	b := s.Broker(id)
	leader, isr := m.metadataAt(s, id, e)
	leaderChanged := b.Leader != leader
	wasLeader := b.Leader == id
	b.Proposed = 0
	if leader == id {
		if !wasLeader {
			b.Remote, b.Fetched = [MaxReplicas]Offset{}, 0
		}
		b.Epoch, b.Leader, b.ISR, b.Truncating = e, leader, isr, false
		m.advanceHW(s, id)
		return
	}
	if wasLeader {
		m.failPending(s, id)
		b.Remote, b.Fetched = [MaxReplicas]Offset{}, 0
	}
	newEpoch := b.Epoch != e
	b.Epoch, b.Leader, b.ISR = e, leader, 0
	if leader == None {
		b.Truncating = false
		return
	}
	// Kafka 0.10 to 2.0.0 re-run the become-follower steps only when the
	// leader changed; from 2.0.1 (KAFKA-7164) on every epoch change. With
	// KIP-320 a follower looks its truncation up before every fetch anyway.
	again := leaderChanged || newEpoch && m.has(EpochChangeTruncation)
	switch {
	case !again:
	case !m.has(EpochTruncation):
		b.truncate(b.HW)
	case !m.has(FencedFetch):
		b.Truncating = true
	}
}

// metadataAt is what broker id learns from epoch e's metadata: the leader,
// and the ISR if it leads (followers do not track the ISR).
func (m *Model) metadataAt(s *State, id BrokerID, e Epoch) (BrokerID, Set) {
	t := Term{Leader: s.Ctrl.Leader, ISR: s.Ctrl.ISR}
	if e != s.Ctrl.Epoch {
		t = s.Ctrl.History[e]
	}
	if t.Leader != id {
		t.ISR = 0
	}
	return t.Leader, t.ISR
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
	b.Epoch, b.Leader, b.ISR, b.Remote, b.Fetched, b.Proposed, b.Truncating = 0, None, 0, [MaxReplicas]Offset{}, 0, 0, false
	b.Status = status
	if status == DiskLost {
		b.truncate(0)
		b.HW = 0
	}
}
