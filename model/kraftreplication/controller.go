package kraftreplication

// The controller's partition changes: ApplyPartitionChange, the ELR
// updates, MaybeUpdatePartitionOnBrokerChange and the broker fencing and
// unfencing that call it (v3_5_functions.tla, kip_966_functions.tla).

// partitionChange is the new partition metadata an action hands to
// ApplyPartitionChange, but for its leader.
type partitionChange struct {
	replicas, isr, elr          Set
	leaderEpoch, partitionEpoch int8
	adding, removing            Set
}

// applyPartitionChange is ApplyPartitionChange: the controller's partition
// metadata replaced and a PartitionChangeRecord appended to the metadata
// log. kip-966 also keeps last_known_elr: emptied once the ISR reaches
// MinISR, else joined by the ELR members (still replicas) that left the
// ELR.
func (m *Model) applyPartitionChange(t, s *State, c partitionChange, leader Broker) {
	var lke Set
	if m.v == KIP966 && c.isr.Len() < m.c.MinISR {
		lke = s.Part.LastKnownELR | c.replicas&(s.Part.ELR&^c.elr)
	}
	t.Part = PartitionMetadata{Replicas: c.replicas, ISR: c.isr, ELR: c.elr, LastKnownELR: lke, Leader: leader,
		LeaderEpoch: c.leaderEpoch, PartitionEpoch: c.partitionEpoch, Adding: c.adding, Removing: c.removing}
	if int(s.MetaLen) == MaxMetaLog {
		t.Fault = FaultCapacity
		return
	}
	t.MetaLog[s.MetaLen] = t.Part
	t.MetaLen = s.MetaLen + 1
}

// updateElr is kip-966's UpdateElrOnIsrOrReplicaChange(proposed_isr,
// replicas), that is UpdateElr on the controller's ELR and ISR: empty if
// the proposed ISR reaches MinISR, else the ELR (still replicas) and the
// replicas the ISR lost. v3.5 has no ELR.
func (m *Model) updateElr(s *State, proposed, replicas Set) Set {
	if m.v == V35 || proposed.Len() >= m.c.MinISR {
		return 0
	}
	return s.Part.ELR&replicas | s.Part.ISR&replicas&^proposed
}

// arm is which arm of MaybeUpdatePartitionOnBrokerChange's CASE holds.
type arm uint8

const (
	armNoChange arm = iota // no-op
	armKeep                // ISR (or ELR) change, same leader
	armISR                 // a leader elected from the ISR
	armELR                 // kip-966: a leader elected from the ELR
	armNoLeader            // no candidate: NoLeader
)

// election is a broker change the controller handles: the new ISR, ELR
// and unfenced set, the arm that holds and its candidates.
type election struct {
	isr, elr, unfenced Set
	arm                arm
	cands              Set
}

// brokerChange is MaybeUpdatePartitionOnBrokerChange(new_isr, new_elr,
// new_unfenced): which arm holds, in the CASE's order (TLC takes the first
// arm whose guard holds).
func (m *Model) brokerChange(s *State, isr, elr, unfenced Set) election {
	e := election{isr: isr, elr: elr, unfenced: unfenced}
	p := &s.Part
	if m.v == V35 {
		// NoLeaderChange(new_isr, new_unfenced)
		keep := p.Leader == NoLeader && isr&unfenced == 0 || isr.Has(p.Leader) && unfenced.Has(p.Leader)
		switch {
		case keep && isr == p.ISR:
			e.arm = armNoChange
		case keep:
			e.arm = armKeep
		case isr&unfenced != 0:
			e.arm, e.cands = armISR, isr&unfenced
		default:
			e.arm = armNoLeader
		}
		return e
	}
	// NoLeaderChange(new_isr, new_elr, new_unfenced)
	keep := p.Leader == NoLeader && isr == 0 && elr&unfenced == 0 || isr.Has(p.Leader)
	switch {
	case keep && isr == p.ISR && elr == p.ELR:
		e.arm = armNoChange
	case keep:
		e.arm = armKeep
	case isr != 0:
		e.arm, e.cands = armISR, isr
	case elr&unfenced != 0:
		e.arm, e.cands = armELR, elr&unfenced
	default:
		e.arm = armNoLeader
	}
	return e
}

// choices appends an action per binding of the election's candidate
// (ascending), or the one action of an arm without a choice.
func (m *Model) choices(e election, a Action, dst []Action) []Action {
	if e.arm != armISR && e.arm != armELR {
		a.Leader = noChoice
		return append(dst, a)
	}
	for c := range m.n {
		if e.cands.Has(c) {
			a.Leader = c
			dst = append(dst, a)
		}
	}
	return dst
}

// applyElection applies the election's arm with the chosen candidate, and
// the new unfenced set (the con_unfenced' conjunct of the callers).
func (m *Model) applyElection(t, s *State, e election, cand Broker) {
	p := &s.Part
	c := partitionChange{replicas: p.Replicas, isr: e.isr, elr: e.elr, leaderEpoch: p.LeaderEpoch + 1,
		partitionEpoch: p.PartitionEpoch + 1, adding: p.Adding, removing: p.Removing}
	switch e.arm {
	case armKeep:
		c.leaderEpoch = p.LeaderEpoch
		m.applyPartitionChange(t, s, c, p.Leader)
	case armISR:
		m.applyPartitionChange(t, s, c, cand)
	case armELR:
		c.isr, c.elr = e.isr.with(cand), e.elr.without(cand)
		m.applyPartitionChange(t, s, c, cand)
	case armNoLeader:
		m.applyPartitionChange(t, s, c, NoLeader)
	}
	t.Unfenced = e.unfenced
}

// brokerFenced is HandleBrokerFenced(b): b leaves the ISR (in v3.5 unless
// it is the ISR's last member, MaybeRemoveBrokerFromISR) and the unfenced
// set; kip-966 updates the ELR.
func (m *Model) brokerFenced(s *State, b Broker) election {
	isr := s.Part.ISR.without(b)
	if m.v == V35 && s.Part.ISR.Len() == 1 {
		isr = s.Part.ISR
	}
	return m.brokerChange(s, isr, m.updateElr(s, isr, s.Part.Replicas), s.Unfenced.without(b))
}

// brokerUnfenced is HandleBrokerUnfenced(b): b joins the unfenced set, and
// a partition without a leader may get one.
func (m *Model) brokerUnfenced(s *State, b Broker) election {
	unfenced := s.Unfenced.with(b)
	if s.Part.Leader != NoLeader {
		return election{isr: s.Part.ISR, elr: s.Part.ELR, unfenced: unfenced, arm: armNoChange}
	}
	return m.brokerChange(s, s.Part.ISR, s.Part.ELR, unfenced)
}

// uncleanBroker is kip-966's ProcessUncleanBroker(b): a broker that
// registers without a broker epoch leaves the ISR and the ELR.
func (m *Model) uncleanBroker(s *State, b Broker) election {
	return m.brokerChange(s, s.Part.ISR.without(b), s.Part.ELR.without(b), s.Unfenced.with(b))
}

// validateAlterPartition is ValidateAlterPartitionRequest(b, m): Nil,
// IneligibleReplica or FencedLeaderEpoch.
func (m *Model) validateAlterPartition(s *State, b Broker, r *APRequest) ErrCode {
	if b != s.Part.Leader || r.BrokerEpoch != s.Reg[b].BrokerEpoch || r.PartitionEpoch != s.Part.PartitionEpoch {
		return ErrFencedLeaderEpoch
	}
	// EligibleIsr: IsEligibleBroker for every member of isr_and_epochs.
	for b1 := range m.n {
		if r.ISR.Has(b1) && (s.Reg[b1].Fenced || r.Epochs[b1] != 0 && s.Reg[b1].BrokerEpoch != r.Epochs[b1]) {
			return ErrIneligibleReplica
		}
	}
	return ErrNil
}
