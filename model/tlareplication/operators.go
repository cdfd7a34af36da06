package tlareplication

// The specification's operators, as methods named after them.

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
