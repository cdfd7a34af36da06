package kraftreplication

// The high watermark, the commit offset and the producer acknowledgements:
// v3_5_functions.tla and kip_966_functions.tla. Functions that change the
// state write the successor t and read only the current state s, as a TLA+
// action reads unprimed and assigns primed variables.

// isCommitted is IsCommitted(b, maximal_isr, replica_state, offset): every
// member of the maximal ISR but the leader has fetched past the offset.
func (m *Model) isCommitted(b Broker, misr Set, peers *[MaxBrokers]Peer, off int8) bool {
	for b1 := range m.n {
		if misr.Has(b1) && b1 != b && (peers[b1].LEO == Nil || peers[b1].LEO <= off) {
			return false
		}
	}
	return true
}

// commitOffset is GetCommitOffset(b, maximal_isr, leo, replica_state): the
// highest committed offset below leo, or 0. Its first CASE arm tests the
// replica's current LeoOf(b), not the leo argument: writing the first
// record of a log never commits it at once.
func (m *Model) commitOffset(s *State, b Broker, misr Set, leo int8, peers *[MaxBrokers]Peer) int8 {
	if s.leo(b) == 1 {
		return 0
	}
	for off := leo - 1; off >= 1; off-- {
		if m.isCommitted(b, misr, peers, off) {
			return off
		}
	}
	return 0
}

// canAdvanceHwm is the condition MaybeAdvanceHighWatermark tests: a higher
// high watermark, and for kip-966 (CanAdvanceHwm, SafeToAdvanceHwm) an ISR
// of at least MinISR.
func (m *Model) canAdvanceHwm(isr Set, old, next int8) bool {
	return next > old && (m.v == V35 || isr.Len() >= m.c.MinISR)
}

// maybeAdvanceHighWatermark is MaybeAdvanceHighWatermark(b, isr, old_hwm,
// new_hwm, ack_type) (v3.5's has no isr).
func (m *Model) maybeAdvanceHighWatermark(t, s *State, b Broker, isr Set, old, next int8, positive bool) {
	if !m.canAdvanceHwm(isr, old, next) {
		return
	}
	t.Data[b].HWM = next
	m.updateHwmInvariantVars(t, s, b, old, next, positive)
}

// maybeUpdateHwmAndAck is MaybeUpdateHwmAndAckOnPartitionChange(b,
// part_md, _): the high watermark the new maximal ISR allows (from the
// follower state of s), acknowledged positively if that ISR has at least
// MinISR members.
func (m *Model) maybeUpdateHwmAndAck(t, s *State, b Broker, pm *ReplicaMetadata) {
	next := m.commitOffset(s, b, pm.MaximalISR, s.leo(b), &s.Peers[b]) + 1
	m.maybeAdvanceHighWatermark(t, s, b, pm.ISR, s.hwm(b), next, pm.MaximalISR.Len() >= m.c.MinISR)
}

// updateHwmInvariantVars is UpdateHwmInvariantVars(b, old_hwm, new_hwm,
// ack_type): acknowledgements, the true high watermark, and what consumers
// read below it.
func (m *Model) updateHwmInvariantVars(t, s *State, b Broker, old, next int8, positive bool) {
	if positive {
		m.sendAcksFor(t, s, b, old, next-1, true)
	} else {
		m.sendAcksFor(t, s, b, old, s.leo(b)-1, false)
	}
	if next <= s.TrueHWM {
		return
	}
	t.TrueHWM = next
	// inv_consumed \o SubSeq(LogOf(b), inv_true_hwm, new_hwm-1): TLC's
	// SubSeq fails on a range outside the log.
	lo, hi := s.TrueHWM, next-1
	if lo > hi {
		return
	}
	if lo < 1 || hi > s.logLen(b) {
		t.Fault = FaultLogDomain
		return
	}
	for off := lo; off <= hi; off++ {
		if int(t.NConsumed) == MaxValues {
			t.Fault = FaultCapacity
			return
		}
		t.Consumed[t.NConsumed] = s.entry(b, off)
		t.NConsumed++
	}
}

// sendAcksFor is SendAcksFor(b, lower, higher, ack_type): the values sent
// and not yet acknowledged that b wrote at an offset in lower..higher at or
// above its floor leader offset. TLC tries the offsets in order and fails
// on one beyond the log before it finds the value.
func (m *Model) sendAcksFor(t, s *State, b Broker, lower, higher int8, positive bool) {
	var acked ValueSet
	for v := range int8(len(m.values)) {
		if !s.Sent.Has(v) || s.PosAcked.Has(v) || s.NegAcked.Has(v) {
			continue
		}
		for off := lower; off <= higher; off++ {
			if !s.hasOffset(b, off) {
				t.Fault = FaultLogDomain
				return
			}
			if s.entry(b, off).Value == v && off >= s.FLO[b] {
				acked |= 1 << v
				break
			}
		}
	}
	if positive {
		t.PosAcked = s.PosAcked | acked
	} else {
		t.NegAcked = s.NegAcked | acked
	}
}

// failPendingWrites is FailPendingWrites(b): negative acknowledgements from
// the high watermark up.
func (m *Model) failPendingWrites(t, s *State, b Broker) {
	m.sendAcksFor(t, s, b, s.hwm(b), s.leo(b)-1, false)
}

// maybeFailPendingWrites is MaybeFailPendingWrites(b, part_state).
func (m *Model) maybeFailPendingWrites(t, s *State, b Broker, pm *ReplicaMetadata) {
	if s.hwm(b) < s.leo(b) && (pm.ISR.Len() < m.c.MinISR || b != pm.Leader) {
		m.failPendingWrites(t, s, b)
	}
}

// ensureLeadershipRenounced is EnsureLeadershipRenounced(b, new_part_md).
func (m *Model) ensureLeadershipRenounced(t, s *State, b Broker, pm *ReplicaMetadata) {
	m.maybeFailPendingWrites(t, s, b, pm)
	m.resetAllFollowerState(t, b)
	t.Pending[b] = PendingAP{}
	t.FLO[b] = intMax
}

// resetAllFollowerState is ResetAllFollowerState(b).
func (m *Model) resetAllFollowerState(t *State, b Broker) {
	for b1 := range m.n {
		t.Peers[b][b1] = blankPeer
	}
}

// removePartitionFromFetchers is RemovePartitionFromFetchers(b): the
// partition leaves every fetcher of b, whose pending responses stay.
func (m *Model) removePartitionFromFetchers(t, s *State, b Broker) {
	for b1 := range m.n {
		t.Fetchers[b][b1] = Fetcher{Pending: s.Fetchers[b][b1].Pending}
	}
}

// converged is Converged(leader, follower), which keeps a follower from
// fetching when there is nothing to fetch.
func (s *State) converged(l, f Broker) bool {
	return s.leo(l) == s.leo(f) && s.hwm(l) == s.hwm(f) && s.Peers[l][f].LEO == s.leo(f) &&
		s.Peers[l][f].BrokerEpoch == s.Broker[f].BrokerEpoch
}
