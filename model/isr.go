package model

// ISR changes a leader makes. Up to 2.6 a leader wrote the new ISR to
// ZooKeeper itself, a write conditional on the version it last saw, and
// applied it at once: one atomic step here. From 2.7 (KIP-497) it asks the
// controller with AlterIsr (AlterPartition in KRaft) and waits for the
// answer, one request at a time; while it waits it counts the maximal ISR
// for its high watermark (Partition.scala's PendingExpandIsr and
// PendingShrinkIsr). The controller accepts a request only from the leader
// of its current epoch whose view of the ISR is current (the zkVersion, or
// KRaft's partition epoch), and in KRaft only if every member is an
// unfenced broker (KIP-841) whose broker epoch has not changed since the
// fetches the leader counted (KIP-903, see restart).

// proposeISR: leader id wants the ISR to be isr.
func (m *Model) proposeISR(s *State, id BrokerID, isr Set) {
	b := s.Broker(id)
	if m.has(AsyncISR) {
		b.Proposed = isr
		m.advanceHW(s, id)
		return
	}
	m.commitISR(s, id, isr)
}

// alterPartition: the controller answers leader id's request in flight.
func (m *Model) alterPartition(s *State, id BrokerID) {
	b := s.Broker(id)
	isr := b.Proposed
	b.Proposed = 0
	if m.checkISRChange(s, id) != "" || m.checkEligible(s, isr) != "" {
		// FENCED_LEADER_EPOCH, INVALID_UPDATE_VERSION or
		// INELIGIBLE_REPLICA: the leader rolls back to its committed ISR
		// and waits for new metadata.
		m.advanceHW(s, id)
		return
	}
	m.commitISR(s, id, isr)
}

// commitISR: the controller writes leader id's ISR change. The leader
// applies it from the answer, unless the change bumped the leader epoch
// (KRaft before 3.6): then the answer's epoch is not the leader's, it is
// ignored, and the leader learns of the change with the new epoch.
func (m *Model) commitISR(s *State, id BrokerID, isr Set) {
	epoch := s.Ctrl.Epoch
	m.change(s, changeOf{isr: isr, byLeader: true})
	b := s.Broker(id)
	if s.Ctrl.Epoch == epoch {
		b.ISR = s.Ctrl.ISR
	}
	m.advanceHW(s, id) // a shrink can let the HW advance
}

// checkISRChange: only the true leader changes the ISR. The controller
// accepts the update only from the leader of its current epoch whose view of
// the ISR is current (the zkVersion check in ZooKeeper mode, the partition
// epoch in KRaft's AlterPartition).
func (m *Model) checkISRChange(s *State, id BrokerID) string {
	b := s.Broker(id)
	switch {
	case !s.PresumesLeadership(id):
		return "only a running leader changes the ISR"
	case s.Ctrl.Leader != id || b.Epoch != s.Ctrl.Epoch || b.ISR != s.Ctrl.ISR:
		return "the controller rejects ISR changes from a leader with stale metadata"
	}
	return ""
}

// checkEligible: from KIP-841 (3.3) the controller refuses an ISR naming a
// fenced broker (INELIGIBLE_REPLICA): the KRaft controller one it fenced,
// the ZooKeeper controller one whose session ended or that is shutting
// down (KAFKA-14140).
func (m *Model) checkEligible(s *State, isr Set) string {
	if m.has(FencedReplicasBarred) && isr&^s.Ctrl.Live != 0 {
		return "the controller refuses an ISR that names a fenced broker (KIP-841)"
	}
	return ""
}
