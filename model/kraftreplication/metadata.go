package kraftreplication

// ReceiveMetadataUpdate: a broker applies a PartitionChangeRecord of the
// metadata log, and its six sub-actions.

// partitionNeedsAction is PartitionNeedsAction(b, md_offset), as the
// number of its disjuncts that hold: TLC takes each disjunct of an action
// separately, and generates the successor once for each. A leader that is
// an existing replica seeing a leader epoch bump (or a new replica) holds
// two.
func (s *State) partitionNeedsAction(b Broker, off int8) int {
	rec := s.metaRecord(off)
	in := s.Meta[b].Replicas.Has(b)
	n := 0
	for _, d := range []bool{s.Role[b] == Leader, in && rec.LeaderEpoch > s.Meta[b].LeaderEpoch, !in && rec.Replicas.Has(b)} {
		if d {
			n++
		}
	}
	return n
}

// newPartMetadata is new_part_md: the record as the replica's metadata,
// its maximal ISR the ISR.
func newPartMetadata(rec *PartitionMetadata) ReplicaMetadata {
	return ReplicaMetadata{Replicas: rec.Replicas, ISR: rec.ISR, MaximalISR: rec.ISR, Leader: rec.Leader,
		LeaderEpoch: rec.LeaderEpoch, PartitionEpoch: rec.PartitionEpoch}
}

// subAction is which sub-action of ReceiveMetadataUpdate a record leads
// to.
type subAction uint8

const (
	metadataNoOp subAction = iota
	deletePartition
	remainLeader
	becomeLeaderInNewEpoch
	remainFollower
	becomeFollowerInNewEpoch
	waitForLeaderChange
	disabled // the CASE's OTHER arm for a broker that is not a replica
)

// metadataSubAction evaluates ReceiveMetadataUpdate's IF and CASE for the
// record at md_offset.
func (s *State) metadataSubAction(b Broker, off int8) subAction {
	rec := s.metaRecord(off)
	cur := &s.Meta[b]
	if rec.PartitionEpoch <= cur.PartitionEpoch {
		return metadataNoOp
	}
	switch {
	case cur.Replicas.Has(b) && !rec.Replicas.Has(b):
		return deletePartition
	case cur.Leader == b && rec.Leader == b:
		if cur.LeaderEpoch == rec.LeaderEpoch {
			return remainLeader
		}
		return becomeLeaderInNewEpoch
	case cur.Leader != b && rec.Leader == b:
		return becomeLeaderInNewEpoch
	case rec.Replicas.Has(b) && rec.Leader != NoLeader:
		if rec.LeaderEpoch == cur.LeaderEpoch && cur.Leader != b && rec.Leader != b {
			return remainFollower
		}
		return becomeFollowerInNewEpoch
	case rec.Replicas.Has(b):
		return waitForLeaderChange
	}
	return disabled
}

// metadataUpdateWays is the number of ways ReceiveMetadataUpdate(b) is
// enabled for md_offset: 0 if it is not, else PartitionNeedsAction's.
func (s *State) metadataUpdateWays(b Broker, off int8) int {
	if s.Broker[b].Status.offline() || !s.Broker[b].Registered || s.metadataSubAction(b, off) == disabled {
		return 0
	}
	return s.partitionNeedsAction(b, off)
}

// receiveMetadataUpdate is ReceiveMetadataUpdate(b) for md_offset: the
// broker's metadata log catches up to it, and the replica acts on it.
func (m *Model) receiveMetadataUpdate(t, s *State, b Broker, off int8) {
	t.BrokerLog[b] = off
	sub := s.metadataSubAction(b, off)
	if sub == metadataNoOp {
		return
	}
	rec := s.metaRecord(off)
	nm := newPartMetadata(rec)
	if rec.Replicas.Has(b) {
		t.Meta[b] = nm
	} else {
		t.Meta[b] = blankMetadata
	}
	switch sub {
	case deletePartition:
		t.Role[b] = NoRole
		m.removePartitionFromFetchers(t, s, b)
		t.LESO[b] = Nil
		t.Data[b] = PartitionData{HWM: 1, LEO: 1}
		m.ensureLeadershipRenounced(t, s, b, &nm)
	case remainLeader:
		m.maybeUpdateHwmAndAck(t, s, b, &nm)
		if nm.PartitionEpoch >= s.Pending[b].Epoch {
			t.Pending[b] = PendingAP{}
		}
	case becomeLeaderInNewEpoch:
		m.becomeLeaderInNewEpoch(t, s, b, &nm)
	case remainFollower:
		// RemainFollower assigns neither aux_flo nor does
		// ReceiveMetadataUpdate's UNCHANGED: TLC stops here.
		t.Fault = FaultUnassigned
	case becomeFollowerInNewEpoch:
		t.Role[b] = Follower
		m.addPartitionToFetcher(t, s, b, nm.Leader, nm.LeaderEpoch)
		t.LESO[b] = Nil
		m.ensureLeadershipRenounced(t, s, b, &nm)
	case waitForLeaderChange:
		t.Role[b] = NoRole
		m.removePartitionFromFetchers(t, s, b)
		t.LESO[b] = Nil
		m.ensureLeadershipRenounced(t, s, b, &nm)
	}
}

// becomeLeaderInNewEpoch is BecomeLeaderInNewEpoch(b, new_part_md,
// is_new_leader): the high watermark the new maximal ISR allows (from the
// follower state it had), the leader epoch start offset, follower state
// reset (a new leader's entirely, a re-elected leader's outside the new
// ISR), and the partition out of every fetcher.
func (m *Model) becomeLeaderInNewEpoch(t, s *State, b Broker, nm *ReplicaMetadata) {
	isNewLeader := s.Role[b] != Leader
	t.Role[b] = Leader
	m.maybeUpdateHwmAndAck(t, s, b, nm)
	t.LESO[b] = s.leo(b)
	if isNewLeader {
		m.resetAllFollowerState(t, b)
	} else {
		// ResetFollowerStateOfAllButISR
		for b1 := range m.n {
			if !nm.ISR.Has(b1) {
				t.Peers[b][b1] = blankPeer
			}
		}
	}
	t.Pending[b] = PendingAP{}
	m.removePartitionFromFetchers(t, s, b)
}

// addPartitionToFetcher is AddPartitionToFetcher(b, leader, leader_epoch):
// in a new leader epoch, or if that fetcher lacks the partition, the
// partition goes to the leader's fetcher at the replica's log end and
// leaves every other fetcher.
func (m *Model) addPartitionToFetcher(t, s *State, b, leader Broker, leaderEpoch int8) {
	if leaderEpoch <= s.Meta[b].LeaderEpoch && s.Fetchers[b][leader].Added {
		return
	}
	for peer := range m.n {
		f := Fetcher{Pending: s.Fetchers[b][peer].Pending}
		if peer == leader {
			f.Added, f.FetchOffset, f.LastFetchedEpoch = true, s.leo(b), s.lastEpoch(b)
		}
		t.Fetchers[b][peer] = f
	}
}
