package tlareplication

// Actions appends the enabled bindings of Next, disjunct by disjunct.
func (m *Model) Actions(s *State, dst []Action) []Action {
	dst = m.controllerActions(s, dst)
	switch m.v {
	case HWTruncation, Kip101, Kip279:
		dst = m.classicActions(s, dst)
	case Kip320FirstTry:
		dst = m.firstTryActions(s, dst)
	case Kip320:
		dst = m.kip320Actions(s, dst)
	}
	return dst
}

// controllerActions: ControllerElectLeader, ControllerShrinkIsr,
// BecomeLeader and LeaderWrite, shared by every variant.
func (m *Model) controllerActions(s *State, dst []Action) []Action {
	q := &s.QuorumState
	if m.epochAvailable(s) {
		// ControllerElectLeader == \E newLeader \in quorumState.isr : ...
		for r := range m.n {
			if q.ISR.Has(r) && q.Leader != r {
				dst = append(dst, Action{Kind: ElectLeader, A: r})
			}
		}
		// ControllerShrinkIsr == \E replica \in Replicas : three disjuncts,
		// of which exactly one or none holds.
		for r := range m.n {
			if q.Leader == r || q.ISR.Has(r) {
				dst = append(dst, Action{Kind: ControllerShrink, A: r})
			}
		}
	}
	// BecomeLeader == \E leaderAndIsrRequest \in leaderAndIsrRequests : ...
	for e := range s.NextLeaderEpoch {
		l := s.Requests[e].Leader
		if l != None && e > s.ReplicaState[l].LeaderEpoch {
			dst = append(dst, Action{Kind: BecomeLeader, Req: e})
		}
	}
	// LeaderWrite == \E replica, id, offset : ...
	if int(s.NextRecordID) <= m.c.MaxRecords-1 {
		for r := range m.n {
			if s.presumesLeadership(r) && !m.isFull(s, r) {
				dst = append(dst, Action{Kind: Write, A: r})
			}
		}
	}
	return dst
}

// requestsFor appends BecomeFollower bindings: \E leaderAndIsrRequest with
// leader # replica, request.leader = leader and a newer epoch, as in
// KafkaReplication!BecomeFollowerAndTruncateTo (ok filters further).
func (m *Model) requestsFor(s *State, dst []Action, l, r Replica, alt uint8, ok func(e int8) bool) []Action {
	if l == r {
		return dst
	}
	for e := range s.NextLeaderEpoch {
		if s.Requests[e].Leader == l && e > s.ReplicaState[r].LeaderEpoch && ok(e) {
			dst = append(dst, Action{Kind: BecomeFollower, A: l, B: r, Req: e, Alt: alt})
		}
	}
	return dst
}

// classicActions are the rest of Next in KafkaTruncateToHighWatermark,
// Kip101 and Kip279.
func (m *Model) classicActions(s *State, dst []Action) []Action {
	for l := range m.n {
		rs := &s.ReplicaState[l]
		// LeaderExpandIsr == \E leader : \E replica \in Replicas \ isr : ...
		for r := range m.n {
			if !rs.ISR.Has(r) && s.isFollowerCaughtUp(l, r, rs.HW) && s.canUpdateQuorum(l) {
				dst = append(dst, Action{Kind: ExpandIsr, A: l, B: r})
			}
		}
		// LeaderShrinkIsr == \E leader : \E replica \in isr \ {leader} : ...
		for r := range m.n {
			if r != l && rs.ISR.Has(r) && !s.isFollowerCaughtUp(l, r, s.endOffset(l)) && s.canUpdateQuorum(l) {
				dst = append(dst, Action{Kind: ShrinkIsr, A: l, B: r})
			}
		}
	}
	// LeaderIncHighWatermark == \E offset \in Offsets, leader \in Replicas : ...
	for l := range m.n {
		rs := &s.ReplicaState[l]
		if !s.presumesLeadership(l) || int(rs.HW) > m.c.LogSize-1 {
			continue
		}
		if m.isrHasHighWatermark(s, l, false) {
			dst = append(dst, Action{Kind: IncHighWatermark, A: l})
		}
	}
	// The variant's become-follower action: \E leader, replica \in Replicas : ...
	for l := range m.n {
		for r := range m.n {
			switch m.v {
			case HWTruncation:
				hw := s.ReplicaState[r].HW
				dst = m.requestsFor(s, dst, l, r, 0, func(int8) bool { return s.canTruncate(r, hw) })
			case Kip101:
				if s.isEmpty(r) {
					dst = m.requestsFor(s, dst, l, r, 0, func(int8) bool { return true })
				} else {
					off := s.lookupOffsetForEpoch(l, r, s.recordAt(r, s.endOffset(r)-1).Epoch)
					dst = m.requestsFor(s, dst, l, r, 1, func(int8) bool { return s.canTruncate(r, off) })
				}
			case Kip279:
				// Both disjuncts hold for an empty follower log: TLC
				// generates the same successor twice.
				if s.isEmpty(r) {
					dst = m.requestsFor(s, dst, l, r, 0, func(int8) bool { return true })
				}
				off := s.firstNonMatchingOffsetFromTail(l, r)
				dst = m.requestsFor(s, dst, l, r, 1, func(int8) bool { return s.canTruncate(r, off) })
			}
		}
	}
	// FollowerReplicate == \E follower, leader \in Replicas : ...
	for f := range m.n {
		for l := range m.n {
			if s.presumesLeadership(l) && s.isFollowing(f, l) && m.canReplicate(s, l, f) {
				dst = append(dst, Action{Kind: Fetch, A: f, B: l})
			}
		}
	}
	return dst
}

// firstTryActions are the rest of Kip320FirstTry's Next.
func (m *Model) firstTryActions(s *State, dst []Action) []Action {
	for l := range m.n {
		rs := &s.ReplicaState[l]
		// LeaderExpandIsrBetterFencing
		for r := range m.n {
			if !rs.ISR.Has(r) && s.isFollowerCaughtUpToLeaderEpoch(l, r, rs.HW) &&
				s.hasHighWatermarkReachedCurrentEpoch(l) && s.canUpdateQuorum(l) {
				dst = append(dst, Action{Kind: ExpandIsr, A: l, B: r})
			}
		}
		// LeaderShrinkIsrBetterFencing
		for r := range m.n {
			if r != l && rs.ISR.Has(r) && !s.isFollowerCaughtUpToLeaderEpoch(l, r, s.endOffset(l)) && s.canUpdateQuorum(l) {
				dst = append(dst, Action{Kind: ShrinkIsr, A: l, B: r})
			}
		}
	}
	// ImprovedLeaderIncHighWatermark
	for l := range m.n {
		rs := &s.ReplicaState[l]
		if !s.presumesLeadership(l) || !s.hasOffset(l, rs.HW) {
			continue
		}
		all := true
		for f := range m.n {
			if rs.ISR.Has(f) && !s.isFollowerCaughtUpToLeaderEpoch(l, f, rs.HW+1) {
				all = false
			}
		}
		if all {
			dst = append(dst, Action{Kind: IncHighWatermark, A: l})
		}
	}
	// BecomeFollower == \E leader, replica, leaderAndIsrRequest : ... (no truncation)
	for l := range m.n {
		for r := range m.n {
			dst = m.requestsFor(s, dst, l, r, 0, func(int8) bool { return true })
		}
	}
	// FollowerFetch == \E follower, leader : ...
	for f := range m.n {
		for l := range m.n {
			if s.isFollowerCaughtUpToLeaderEpoch(l, f, s.endOffset(f)) && m.canReplicate(s, l, f) {
				dst = append(dst, Action{Kind: Fetch, A: f, B: l})
			}
		}
	}
	// FollowerTruncate == \E leader, follower : ... FollowerNeedsTruncation's
	// two disjuncts cannot hold together.
	for l := range m.n {
		for f := range m.n {
			if !s.presumesLeadership(l) || !s.isFollowing(f, l) || !s.followerNeedsTruncation(f, l) {
				continue
			}
			if s.canTruncate(f, s.firstNonMatchingOffsetFromTail(l, f)) {
				dst = append(dst, Action{Kind: Truncate, A: l, B: f})
			}
		}
	}
	return dst
}

// followerNeedsTruncation is Kip320FirstTry!FollowerNeedsTruncation.
func (s *State) followerNeedsTruncation(f, l Replica) bool {
	if s.endOffset(f) > s.endOffset(l) {
		return true
	}
	o := s.endOffset(f) - 1
	return o >= 0 && s.hasOffset(l, o) && s.recordAt(l, o).Epoch != s.recordAt(f, o).Epoch
}

// kip320Actions are the rest of Kip320's Next.
func (m *Model) kip320Actions(s *State, dst []Action) []Action {
	for l := range m.n {
		rs := &s.ReplicaState[l]
		// FencedLeaderExpandIsr
		for r := range m.n {
			if !rs.ISR.Has(r) && s.isFollowingLeaderEpoch(l, r) && s.hasFollowerReachedHighWatermark(l, r) &&
				s.hasHighWatermarkReachedCurrentEpoch(l) && s.canUpdateQuorum(l) {
				dst = append(dst, Action{Kind: ExpandIsr, A: l, B: r})
			}
		}
		// FencedLeaderShrinkIsr: its two disjuncts can hold together, and
		// TLC then generates the successor once for each.
		for r := range m.n {
			if r == l || !rs.ISR.Has(r) || !s.canUpdateQuorum(l) {
				continue
			}
			if !s.isFollowingLeaderEpoch(l, r) {
				dst = append(dst, Action{Kind: ShrinkIsr, A: l, B: r, Alt: 0})
			}
			if s.endOffset(r) < s.endOffset(l) {
				dst = append(dst, Action{Kind: ShrinkIsr, A: l, B: r, Alt: 1})
			}
		}
	}
	// FencedLeaderIncHighWatermark: note that it does not require the
	// replica to presume leadership; with an empty ISR any replica with an
	// entry at its HW may advance it.
	for l := range m.n {
		rs := &s.ReplicaState[l]
		if !s.hasOffset(l, rs.HW) {
			continue
		}
		if m.isrHasHighWatermark(s, l, true) {
			dst = append(dst, Action{Kind: IncHighWatermark, A: l})
		}
	}
	// FencedBecomeFollowerAndTruncate: the leader must presume leadership
	// in the request's epoch, so the only request that can bind is the one
	// with the leader's own epoch; truncation uses the leader's current log.
	for l := range m.n {
		if !s.presumesLeadership(l) {
			continue
		}
		e := s.ReplicaState[l].LeaderEpoch
		if e < 0 || e >= s.NextLeaderEpoch || s.Requests[e].Leader != l {
			continue
		}
		for r := range m.n {
			if r == l || e <= s.ReplicaState[r].LeaderEpoch {
				continue
			}
			if s.canTruncate(r, s.firstNonMatchingOffsetFromTail(l, r)) {
				dst = append(dst, Action{Kind: BecomeFollower, A: l, B: r, Req: e})
			}
		}
	}
	// FencedFollowerFetch
	for f := range m.n {
		for l := range m.n {
			if s.isFollowingLeaderEpoch(l, f) && m.canReplicate(s, l, f) {
				dst = append(dst, Action{Kind: Fetch, A: f, B: l})
			}
		}
	}
	return dst
}

// hasFollowerReachedHighWatermark is Kip320's LOCAL operator of that name.
func (s *State) hasFollowerReachedHighWatermark(l, f Replica) bool {
	hw := s.ReplicaState[l].HW
	return hw == 0 || hw > 0 && s.hasOffset(f, hw-1)
}

// isrHasHighWatermark is the guard of the high watermark's advance: every
// member of l's ISR follows it and has an entry at l's high watermark.
// fenced is KIP-320's version, where following means following l's leader
// epoch (isFollowingLeaderEpoch) rather than l (isFollowing).
func (m *Model) isrHasHighWatermark(s *State, l Replica, fenced bool) bool {
	rs := &s.ReplicaState[l]
	for f := range m.n {
		follows := s.isFollowing(f, l)
		if fenced {
			follows = s.isFollowingLeaderEpoch(l, f)
		}
		if rs.ISR.Has(f) && !(follows && s.hasOffset(f, rs.HW)) {
			return false
		}
	}
	return true
}
