package kraftreplication

// ISR changes and reassignment: SendAlterPartitionRequest,
// ReceiveAlterPartitionRequest, ReceiveAlterPartitionResponse and
// PerformPartitionReassignment.

// sendAPReady is SendAlterPartitionRequest(b)'s first conjuncts: a running
// leader without a pending AlterPartition request.
func (s *State) sendAPReady(b Broker) bool {
	return s.Broker[b].Status == Running && !s.pendingAlterPartition(b) && s.Role[b] == Leader
}

// proposeNewISR is ProposeNewISR(b, curr_isr, timed_out_isr) with
// FollowerIsCaughtUp: the leader, the ISR members not timed out, and the
// replicas that fetched in this epoch up to both the high watermark and
// the leader epoch start offset. The fault is TLC's on a Nil start offset.
func (m *Model) proposeNewISR(s *State, b Broker, curr, timedOut Set) (Set, Fault) {
	var isr Set
	for b1 := range m.n {
		if !s.Meta[b].Replicas.Has(b1) {
			continue
		}
		leo := s.Peers[b][b1].LEO
		switch {
		case b1 == b, curr.Has(b1) && !timedOut.Has(b1):
			isr = isr.with(b1)
		case curr.Has(b1), leo == Nil, leo < s.hwm(b):
		case s.LESO[b] == Nil:
			return 0, FaultNilCompare
		case leo >= s.LESO[b]:
			isr = isr.with(b1)
		}
	}
	return isr, NoFault
}

// apRequest is the request DoSendAlterPartitionRequest builds, with
// IsrAndEpochs: the broker epochs of the leader and of added members, 0
// for members already in the ISR.
func (m *Model) apRequest(s *State, b Broker, proposed, curr Set) APRequest {
	r := APRequest{ISR: proposed, Leader: b, LeaderEpoch: s.Meta[b].LeaderEpoch, PartitionEpoch: s.Meta[b].PartitionEpoch,
		BrokerEpoch: s.Broker[b].BrokerEpoch, Source: b}
	for b1 := range m.n {
		switch {
		case !proposed.Has(b1), b1 != b && curr.Has(b1):
		case b1 == b:
			r.Epochs[b1] = s.Broker[b].BrokerEpoch
		default:
			r.Epochs[b1] = s.Peers[b][b1].BrokerEpoch
		}
	}
	return r
}

// doSendWays is the number of ways DoSendAlterPartitionRequest(b,
// timed_out_isr) is enabled: 0 unless the leader is not timed out and
// the proposal changes the ISR; then __AvoidCycle, whose first disjunct
// (never sent) gives one way, and whose second (sent before, and the
// controller would now accept it) one for each disjunct of PreviouslySent
// that holds: in messages, in messages_discard. A fault gives one way: TLC
// would stop evaluating it.
func (m *Model) doSendWays(s *State, b Broker, timedOut Set) int {
	if timedOut.Has(b) {
		return 0
	}
	curr := s.Meta[b].ISR
	proposed, fault := m.proposeNewISR(s, b, curr, timedOut)
	if fault != NoFault {
		return 1
	}
	if proposed == curr {
		return 0
	}
	r := m.apRequest(s, b, proposed, curr)
	inFlight, discarded := s.previouslySent(&r)
	switch {
	case !inFlight && !discarded:
		return 1
	case m.validateAlterPartition(s, b, &r) != ErrNil:
		return 0
	case inFlight && discarded:
		return 2
	}
	return 1
}

// sendAlterPartitionRequest is DoSendAlterPartitionRequest(b,
// timed_out_isr): the request sent, the maximal ISR applied eagerly, the
// request pending, and a shrink counted.
func (m *Model) sendAlterPartitionRequest(t, s *State, b Broker, timedOut Set) {
	curr := s.Meta[b].ISR
	proposed, fault := m.proposeNewISR(s, b, curr, timedOut)
	if fault != NoFault {
		t.Fault = fault
		return
	}
	r := m.apRequest(s, b, proposed, curr)
	t.send(apRequestMessage(r))
	t.Meta[b].MaximalISR = proposed | curr
	t.Pending[b] = PendingAP{Epoch: s.Meta[b].PartitionEpoch + 1, Has: true, Req: r}
	if curr&^proposed != 0 {
		t.Ctrs.Shrink = s.Ctrs.Shrink + 1
	}
}

// alterPartitionChange is the new partition metadata of
// ReceiveAlterPartitionRequest for request r: the proposed ISR, or, if it
// completes a reassignment in progress (every adding replica in the ISR,
// which keeps MinISR members), the target replicas in a new leader epoch.
func (m *Model) alterPartitionChange(s *State, r *APRequest) partitionChange {
	p := &s.Part
	finalReplicas, finalISR := p.Replicas&^p.Removing, r.ISR&^p.Removing
	if s.reassignmentInProgress() && p.Adding&^finalISR == 0 && finalISR.Len() >= m.c.MinISR {
		return partitionChange{replicas: finalReplicas, isr: finalISR, elr: m.updateElr(s, finalISR, finalReplicas),
			leaderEpoch: p.LeaderEpoch + 1, partitionEpoch: p.PartitionEpoch + 1}
	}
	return partitionChange{replicas: p.Replicas, isr: r.ISR, elr: m.updateElr(s, r.ISR, p.Replicas),
		leaderEpoch: p.LeaderEpoch, partitionEpoch: p.PartitionEpoch + 1, adding: p.Adding, removing: p.Removing}
}

// newLeaders are the bindings of \E new_leader \in new_md.isr: the current
// leader if it stays in the ISR, else any member.
func newLeaders(s *State, isr Set) Set {
	if isr.Has(s.Part.Leader) {
		return Set(0).with(s.Part.Leader)
	}
	return isr
}

// receiveAlterPartitionRequest is ReceiveAlterPartitionRequest(b) for
// message msg: accepted, the change applied with the leader chosen and a
// success response; rejected, an error response.
func (m *Model) receiveAlterPartitionRequest(t, s *State, b Broker, msg *Message, leader Broker) {
	resp := Message{Type: AlterPartitionResponse, Source: NoLeader, Dest: b, AP: msg.AP}
	if err := m.validateAlterPartition(s, b, &msg.AP); err != ErrNil {
		resp.Err = err
		t.reply(msg, resp)
		return
	}
	c := m.alterPartitionChange(s, &msg.AP)
	m.applyPartitionChange(t, s, c, leader)
	resp.Replicas, resp.ISR, resp.Leader, resp.LeaderEpoch, resp.PartitionEpoch = c.replicas, c.isr, leader, c.leaderEpoch, c.partitionEpoch
	t.reply(msg, resp)
}

// apResponseEnabled is ReceiveAlterPartitionResponse(b)'s condition on m:
// the response to the pending request, and if a success, for a newer
// partition epoch in the same leader epoch.
func (s *State) apResponseEnabled(b Broker, msg *Message) bool {
	if msg.Type != AlterPartitionResponse || msg.Dest != b || s.Broker[b].Status != Running || s.Role[b] != Leader ||
		!s.pendingAlterPartition(b) || !s.Pending[b].Has || s.Pending[b].Req != msg.AP {
		return false
	}
	return msg.Err != ErrNil || msg.PartitionEpoch > s.Meta[b].PartitionEpoch && msg.LeaderEpoch == s.Meta[b].LeaderEpoch
}

// receiveAlterPartitionResponse is ReceiveAlterPartitionResponse(b):
// CompletePartitionChange on success, RollbackPartitionChange (the maximal
// ISR back to the ISR) on error, then CommitPartitionChange's high
// watermark update.
func (m *Model) receiveAlterPartitionResponse(t, s *State, b Broker, msg *Message) {
	pm := s.Meta[b]
	if msg.Err == ErrNil {
		pm = ReplicaMetadata{Replicas: msg.Replicas, ISR: msg.ISR, MaximalISR: msg.ISR, Leader: msg.Leader,
			LeaderEpoch: msg.LeaderEpoch, PartitionEpoch: msg.PartitionEpoch}
	} else {
		pm.MaximalISR = pm.ISR
	}
	t.Meta[b] = pm
	m.maybeUpdateHwmAndAck(t, s, b, &pm)
	t.Pending[b] = PendingAP{}
	t.discard(msg)
}

// validReassignment is ValidReassignment(adding, removing), as the number
// of ways it holds: its first conjunct is a disjunction (something added,
// something removed), which TLC takes disjunct by disjunct.
func (m *Model) validReassignment(s *State, adding, removing Set) int {
	r := s.Part.Replicas
	if r.Len()+adding.Len()-removing.Len() < m.c.MinISR || adding&r != 0 || removing&^r != 0 {
		return 0
	}
	n := 0
	if adding.Len() >= 1 {
		n++
	}
	if removing.Len() >= 1 {
		n++
	}
	return n
}

// reassignmentChange is PerformPartitionReassignment's new_md: complete at
// once if nothing is added and the ISR left keeps MinISR members, else the
// replicas grown, adding and removing recorded.
func (m *Model) reassignmentChange(s *State, adding, removing Set) partitionChange {
	p := &s.Part
	grow := p.Replicas | adding
	finalReplicas, finalISR := grow&^removing, p.ISR&^removing
	if adding&^finalISR == 0 && finalISR.Len() >= m.c.MinISR && finalReplicas != 0 {
		return partitionChange{replicas: finalReplicas, isr: finalISR, elr: m.updateElr(s, finalISR, finalReplicas),
			leaderEpoch: p.LeaderEpoch + 1, partitionEpoch: p.PartitionEpoch + 1}
	}
	return partitionChange{replicas: grow, isr: p.ISR, elr: p.ELR, leaderEpoch: p.LeaderEpoch,
		partitionEpoch: p.PartitionEpoch + 1, adding: adding, removing: removing}
}

// reassign is PerformPartitionReassignment with adding, removing and
// new_leader.
func (m *Model) reassign(t, s *State, adding, removing Set, leader Broker) {
	m.applyPartitionChange(t, s, m.reassignmentChange(s, adding, removing), leader)
	t.Ctrs.Reassign = s.Ctrs.Reassign + 1
}
