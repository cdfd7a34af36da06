package tlareplication

// Next returns the successor of s under a, an action Actions listed for s.
func (m *Model) Next(s *State, a Action) State {
	var t State
	m.NextInto(&t, s, a)
	return t
}

// NextInto is Next writing the successor into *t (t and s must not
// overlap): t starts as a copy of s, every read is of s.
func (m *Model) NextInto(t, s *State, a Action) {
	*t = *s
	switch a.Kind {
	case ElectLeader:
		m.controllerUpdateIsr(t, a.A, t.QuorumState.ISR)
	case ControllerShrink:
		q := t.QuorumState
		switch r := a.A; {
		case q.Leader == r && q.ISR == Set(0).with(r):
			m.controllerUpdateIsr(t, None, q.ISR)
		case q.Leader == r:
			m.controllerUpdateIsr(t, None, q.ISR.without(r))
		default:
			m.controllerUpdateIsr(t, q.Leader, q.ISR.without(r))
		}
	case BecomeLeader:
		req := t.Request(a.Req)
		rs := &t.ReplicaState[req.Leader]
		*rs = ReplicaState{HW: rs.HW, LeaderEpoch: req.LeaderEpoch, Leader: req.Leader, ISR: req.ISR}
	case Write:
		// LeaderWrite: Append(replica, [id |-> nextRecordId, epoch |-> its leaderEpoch]).
		log := &t.ReplicaLog[a.A]
		log.Records[log.EndOffset] = Record{ID: t.NextRecordID, Epoch: t.ReplicaState[a.A].LeaderEpoch}
		log.EndOffset++
		t.NextRecordID++
	case ExpandIsr:
		m.quorumUpdateLeaderAndIsr(t, a.A, t.ReplicaState[a.A].ISR.with(a.B))
	case ShrinkIsr:
		m.quorumUpdateLeaderAndIsr(t, a.A, t.ReplicaState[a.A].ISR.without(a.B))
	case IncHighWatermark:
		t.ReplicaState[a.A].HW++
	case Fetch:
		// ReplicateTo(leader, follower), then hw = Min({leaderHw, endOffset + 1}),
		// both computed in the unprimed state.
		f, l := a.A, a.B
		end := s.endOffset(f)
		t.ReplicaLog[f].Records[end] = s.recordAt(l, end)
		t.ReplicaLog[f].EndOffset++
		t.ReplicaState[f].HW = min(s.ReplicaState[l].HW, end+1)
	case BecomeFollower:
		m.becomeFollower(s, t, a)
	case Truncate:
		// Kip320FirstTry!FollowerTruncate
		off := s.firstNonMatchingOffsetFromTail(a.A, a.B)
		truncateTo(&t.ReplicaLog[a.B], off)
		t.ReplicaState[a.B].HW = min(off, s.ReplicaState[a.B].HW)
	}
}

// becomeFollower applies the variant's become-follower action.
func (m *Model) becomeFollower(s, t *State, a Action) {
	l, r := a.A, a.B
	req := s.Request(a.Req)
	rs := s.ReplicaState[r]
	var off int8
	truncate := true
	switch m.v {
	case HWTruncation:
		off = rs.HW
	case Kip101:
		if a.Alt == 0 {
			off = 0
		} else {
			off = s.lookupOffsetForEpoch(l, r, s.recordAt(r, s.endOffset(r)-1).Epoch)
		}
	case Kip279, Kip320:
		if a.Alt == 0 && m.v == Kip279 {
			off = 0
		} else {
			off = s.firstNonMatchingOffsetFromTail(l, r)
		}
	case Kip320FirstTry:
		truncate = false
	}
	if !truncate {
		t.ReplicaState[r] = ReplicaState{LeaderEpoch: req.LeaderEpoch, Leader: l, ISR: req.ISR, HW: rs.HW}
		return
	}
	truncateTo(&t.ReplicaLog[r], off)
	t.ReplicaState[r] = ReplicaState{LeaderEpoch: req.LeaderEpoch, Leader: l, ISR: req.ISR, HW: min(off, rs.HW)}
}

// controllerUpdateIsr is KafkaReplication!ControllerUpdateIsr: a new epoch
// from the sequence, the quorum state replaced, and the request added.
func (m *Model) controllerUpdateIsr(t *State, leader Replica, isr Set) {
	e := t.NextLeaderEpoch
	t.NextLeaderEpoch++
	t.QuorumState = QuorumState{LeaderEpoch: e, Leader: leader, ISR: isr}
	t.Requests[e] = QuorumState{Leader: leader, ISR: isr}
}

// quorumUpdateLeaderAndIsr is KafkaReplication!QuorumUpdateLeaderAndIsr.
func (m *Model) quorumUpdateLeaderAndIsr(t *State, leader Replica, isr Set) {
	t.QuorumState.ISR = isr
	t.ReplicaState[leader].ISR = isr
}

// truncateTo is FiniteReplicatedLog!TruncateTo: entries from newEnd on
// become Nil.
func truncateTo(l *Log, newEnd int8) {
	for o := newEnd; o < l.EndOffset; o++ {
		l.Records[o] = Record{}
	}
	l.EndOffset = newEnd
}
