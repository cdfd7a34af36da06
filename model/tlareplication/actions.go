package tlareplication

import (
	"fmt"
	"strings"
)

// Kind is a class of actions; its TLA+ name depends on the variant.
type Kind uint8

const (
	ElectLeader      Kind = iota // ControllerElectLeader
	ControllerShrink             // ControllerShrinkIsr
	BecomeLeader                 // BecomeLeader
	Write                        // LeaderWrite
	ExpandIsr                    // LeaderExpandIsr and its fenced versions
	ShrinkIsr                    // LeaderShrinkIsr and its fenced versions
	IncHighWatermark             // LeaderIncHighWatermark and its fenced versions
	Fetch                        // FollowerReplicate, FollowerFetch, FencedFollowerFetch
	BecomeFollower               // the variant's become-follower action
	Truncate                     // FollowerTruncate (Kip320FirstTry only)
	numKinds
)

// KindNames are the TLA+ action names of the variant's Next, indexed by
// Kind; a kind the variant lacks is named "-".
func (m *Model) KindNames() []string {
	names := []string{"ControllerElectLeader", "ControllerShrinkIsr", "BecomeLeader", "LeaderWrite"}
	switch m.v {
	case HWTruncation, Kip101, Kip279:
		follower := map[Variant]string{HWTruncation: "BecomeFollowerTruncateToHighWatermark",
			Kip101: "BecomeFollowerTruncateKip101", Kip279: "BecomeFollowerTruncateKip279"}[m.v]
		names = append(names, "LeaderExpandIsr", "LeaderShrinkIsr", "LeaderIncHighWatermark", "FollowerReplicate", follower, "-")
	case Kip320FirstTry:
		names = append(names, "LeaderExpandIsrBetterFencing", "LeaderShrinkIsrBetterFencing", "ImprovedLeaderIncHighWatermark",
			"FollowerFetch", "BecomeFollower", "FollowerTruncate")
	case Kip320:
		names = append(names, "FencedLeaderExpandIsr", "FencedLeaderShrinkIsr", "FencedLeaderIncHighWatermark",
			"FencedFollowerFetch", "FencedBecomeFollowerAndTruncate", "-")
	}
	return names
}

// Action is one binding of one disjunct of Next: the unit TLC counts a
// generated state for. A and B are replicas (their roles depend on the
// kind), Req the leader epoch of a LeaderAndIsr request, Alt the disjunct
// taken where an action's disjuncts can hold together.
type Action struct {
	Kind Kind
	A, B Replica
	Req  int8
	Alt  uint8
}

// Format prints the action with its TLA+ name and bindings.
func (m *Model) Format(a Action) string {
	name := m.KindNames()[a.Kind]
	var args []string
	switch a.Kind {
	case ElectLeader:
		args = append(args, "newLeader = "+ReplicaName(a.A))
	case ControllerShrink, Write:
		args = append(args, "replica = "+ReplicaName(a.A))
	case BecomeLeader:
		args = append(args, fmt.Sprintf("request epoch %d", a.Req))
	case ExpandIsr, ShrinkIsr:
		args = append(args, "leader = "+ReplicaName(a.A), "replica = "+ReplicaName(a.B))
	case IncHighWatermark:
		args = append(args, "leader = "+ReplicaName(a.A))
	case Fetch:
		args = append(args, "follower = "+ReplicaName(a.A), "leader = "+ReplicaName(a.B))
	case BecomeFollower:
		args = append(args, "leader = "+ReplicaName(a.A), "replica = "+ReplicaName(a.B), fmt.Sprintf("request epoch %d", a.Req))
	case Truncate:
		args = append(args, "leader = "+ReplicaName(a.A), "follower = "+ReplicaName(a.B))
	}
	if a.Alt > 0 {
		args = append(args, fmt.Sprintf("disjunct %d", a.Alt+1))
	}
	return name + "(" + strings.Join(args, ", ") + ")"
}

// Kind of an action, for coverage.
func KindOf(a Action) int { return int(a.Kind) }

// Helpers named after the specification's operators.

func (s *State) presumesLeadership(r Replica) bool { return s.ReplicaState[r].Leader == r }
func (s *State) isFollowing(f, l Replica) bool     { return s.ReplicaState[f].Leader == l }
func (s *State) endOffset(r Replica) int8          { return s.ReplicaLog[r].EndOffset }
func (s *State) hasOffset(r Replica, o int8) bool  { return o >= 0 && o < s.ReplicaLog[r].EndOffset }
func (s *State) isEmpty(r Replica) bool            { return s.ReplicaLog[r].EndOffset == 0 }
func (s *State) recordAt(r Replica, o int8) Record { return s.ReplicaLog[r].Records[o] }
func (m *Model) isFull(s *State, r Replica) bool {
	return int(s.ReplicaLog[r].EndOffset) == m.c.LogSize
}

// isTrueLeader is KafkaReplication!IsTrueLeader.
func (s *State) isTrueLeader(l Replica) bool {
	return s.QuorumState.Leader == l && s.presumesLeadership(l) && s.ReplicaState[l].LeaderEpoch == s.QuorumState.LeaderEpoch
}

// canUpdateQuorum is the enabling condition of QuorumUpdateLeaderAndIsr.
func (s *State) canUpdateQuorum(l Replica) bool {
	return s.isTrueLeader(l) && s.QuorumState.Leader == l
}

// isFollowerCaughtUp is KafkaReplication!IsFollowerCaughtUp.
func (s *State) isFollowerCaughtUp(l, f Replica, endOffset int8) bool {
	if !s.isFollowing(f, l) {
		return false
	}
	return endOffset == 0 || endOffset > 0 && s.hasOffset(l, endOffset-1) && s.hasOffset(f, endOffset-1)
}

// isFollowerCaughtUpToLeaderEpoch is Kip320FirstTry!IsFollowerCaughtUpToLeaderEpoch.
func (s *State) isFollowerCaughtUpToLeaderEpoch(l, f Replica, endOffset int8) bool {
	if !s.presumesLeadership(l) || !s.isFollowing(f, l) {
		return false
	}
	if endOffset == 0 {
		return true
	}
	o := endOffset - 1
	return endOffset > 0 && s.hasOffset(l, o) && s.hasOffset(f, o) && s.recordAt(f, o).Epoch == s.recordAt(l, o).Epoch
}

// isFollowingLeaderEpoch is Kip320's LOCAL IsFollowingLeaderEpoch.
func (s *State) isFollowingLeaderEpoch(l, f Replica) bool {
	return s.presumesLeadership(l) && s.ReplicaState[f].Leader == l && s.ReplicaState[f].LeaderEpoch == s.ReplicaState[l].LeaderEpoch
}

// hasHighWatermarkReachedCurrentEpoch is the LOCAL operator of that name in
// Kip320FirstTry and Kip320. Its two disjuncts cannot hold together.
func (s *State) hasHighWatermarkReachedCurrentEpoch(l Replica) bool {
	hw := s.ReplicaState[l].HW
	return hw == s.endOffset(l) || s.hasOffset(l, hw) && s.recordAt(l, hw).Epoch == s.ReplicaState[l].LeaderEpoch
}

// lookupOffsetForEpoch is Kip101!LookupOffsetForEpoch.
func (s *State) lookupOffsetForEpoch(l, f Replica, epoch int8) int8 {
	if s.isEmpty(l) {
		return s.ReplicaState[f].HW
	}
	if s.recordAt(l, s.endOffset(l)-1).Epoch == epoch {
		return s.endOffset(l)
	}
	// Min(OffsetsWithLargerEpochs(leader, epoch)), or the follower's HW.
	for o := int8(0); o < s.endOffset(l); o++ {
		if s.recordAt(l, o).Epoch > epoch {
			return o
		}
	}
	return s.ReplicaState[f].HW
}

// firstNonMatchingOffsetFromTail is Kip279!FirstNonMatchingOffsetFromTail:
// one past the largest offset where the follower's entry equals the
// leader's, or 0.
func (s *State) firstNonMatchingOffsetFromTail(l, f Replica) int8 {
	if s.isEmpty(l) {
		return 0
	}
	for o := s.endOffset(f) - 1; o >= 0; o-- {
		if s.hasOffset(l, o) && s.recordAt(l, o) == s.recordAt(f, o) {
			return o + 1
		}
	}
	return 0
}

// canReplicate is the enabling condition of FiniteReplicatedLog!ReplicateTo:
// the leader has an entry at the follower's end offset and the follower's
// log is not full.
func (m *Model) canReplicate(s *State, from, to Replica) bool {
	return !m.isFull(s, to) && s.hasOffset(from, s.endOffset(to))
}

// canTruncate is the enabling condition of FiniteReplicatedLog!TruncateTo.
func (s *State) canTruncate(r Replica, newEnd int8) bool { return newEnd <= s.endOffset(r) }

// epochAvailable is LeaderEpochSeq!NextId's enabling condition.
func (m *Model) epochAvailable(s *State) bool { return int(s.NextLeaderEpoch) <= m.c.MaxLeaderEpoch }

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
		all := true
		for f := range m.n {
			if rs.ISR.Has(f) && !(s.isFollowing(f, l) && s.hasOffset(f, rs.HW)) {
				all = false
			}
		}
		if all {
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
		all := true
		for f := range m.n {
			if rs.ISR.Has(f) && !(s.isFollowingLeaderEpoch(l, f) && s.hasOffset(f, rs.HW)) {
				all = false
			}
		}
		if all {
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

// ParseAction reads the text Format writes, for this model's variant:
// "FencedFollowerFetch(follower = r2, leader = r1)",
// "BecomeLeader(request epoch 2)", "...(..., disjunct 2)".
func (m *Model) ParseAction(text string) (Action, error) {
	bad := func(why string) (Action, error) {
		return Action{}, fmt.Errorf("malformed %s action %q: %s", m.v.Module(), text, why)
	}
	open := strings.IndexByte(text, '(')
	if open < 0 || !strings.HasSuffix(text, ")") {
		return bad("write Name(arguments), as in FencedFollowerFetch(follower = r2, leader = r1)")
	}
	name := text[:open]
	var a Action
	found := false
	for k, n := range m.KindNames() {
		if n == name && n != "-" {
			a.Kind, found = Kind(k), true
		}
	}
	if !found {
		return bad("no such action in " + m.v.Module())
	}
	replica := func(s string) (Replica, bool) {
		var n int
		if _, err := fmt.Sscanf(s, "r%d", &n); err != nil || n < 1 || n > int(m.n) || fmt.Sprintf("r%d", n) != s {
			return 0, false
		}
		return Replica(n - 1), true
	}
	args := strings.TrimSuffix(text[open+1:], ")")
	if args != "" {
		for _, arg := range strings.Split(args, ", ") {
			var n int
			if _, err := fmt.Sscanf(arg, "request epoch %d", &n); err == nil {
				if n < 0 || n > MaxLeaderEpoch {
					return bad("epoch out of range")
				}
				a.Req = int8(n)
				continue
			}
			if _, err := fmt.Sscanf(arg, "disjunct %d", &n); err == nil {
				if n < 2 || n > 2 {
					return bad("disjunct out of range")
				}
				a.Alt = uint8(n - 1)
				continue
			}
			key, val, ok := strings.Cut(arg, " = ")
			r, okR := replica(val)
			if !ok || !okR {
				return bad(fmt.Sprintf("cannot read argument %q", arg))
			}
			switch key {
			case "newLeader", "follower":
				if a.Kind == Truncate {
					a.B = r
				} else {
					a.A = r
				}
			case "replica":
				if a.Kind == ExpandIsr || a.Kind == ShrinkIsr || a.Kind == BecomeFollower {
					a.B = r
				} else {
					a.A = r
				}
			case "leader":
				if a.Kind == Fetch {
					a.B = r
				} else {
					a.A = r
				}
			default:
				return bad(fmt.Sprintf("unknown argument %q", key))
			}
		}
	}
	if m.Format(a) != text {
		return bad("its arguments do not fit the action")
	}
	return a, nil
}
