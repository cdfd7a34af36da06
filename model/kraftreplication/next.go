package kraftreplication

// Next returns the successor of s under a, an action Actions listed for s.
func (m *Model) Next(s *State, a Action) State {
	var t State
	m.NextInto(&t, s, a)
	return t
}

// NextInto is Next writing the successor into *t (t and s must not
// overlap): t starts as a copy of s, every read is of s, as a TLA+ action
// reads unprimed variables and assigns primed ones.
func (m *Model) NextInto(t, s *State, a Action) {
	*t = *s
	b := a.B
	switch a.Kind {
	case BrokerStart:
		m.brokerStart(t, s, b)
	case ReceiveBrokerRegResponse:
		m.receiveBrokerRegResponse(t, s, b, &a.Msg)
	case ReceiveMetadataUpdate:
		m.receiveMetadataUpdate(t, s, b, a.Arg)
	case SendAlterPartitionRequest:
		timedOut := Set(0)
		if a.Arg >= 0 {
			timedOut = Set(a.Arg)
		}
		m.sendAlterPartitionRequest(t, s, b, timedOut)
	case ReceiveAlterPartitionResponse:
		m.receiveAlterPartitionResponse(t, s, b, &a.Msg)
	case SendFetchRequest:
		m.sendFetchRequest(t, s, b, a.Arg)
	case ReceiveFetchRequest:
		m.receiveFetchRequest(t, s, b, &a.Msg)
	case ReceiveFetchResponse:
		m.receiveFetchResponse(t, s, b, &a.Msg)
	case WriteRecordToLeader:
		m.writeRecordToLeader(t, s, b, a.Arg)
	case LossyShutdown:
		m.lossyShutdown(t, s, b, a.Leader)
	case SafeShutdown:
		m.safeShutdown(t, s, b, a.Arg == 1, a.Leader)
	case ReceiveBrokerRegRequest:
		m.receiveBrokerRegRequest(t, s, b, &a.Msg, a.Leader)
	case ReceiveAlterPartitionRequest:
		m.receiveAlterPartitionRequest(t, s, b, &a.Msg, a.Leader)
	case FenceBroker:
		m.fence(t, s, b, a.Leader)
	case UnfenceBroker:
		m.unfence(t, s, b, a.Leader)
	case PerformPartitionReassignment:
		m.reassign(t, s, Set(a.Arg), Set(a.Arg2), a.Leader)
	}
}

// writeEnabled is WriteRecordToLeader(b)'s enabling condition for value v:
// a value not yet sent, to a running leader whose maximal ISR has at least
// MinISR members.
func (m *Model) writeEnabled(s *State, b Broker, v int8) bool {
	return !s.Sent.Has(v) && s.Broker[b].Status == Running && s.Role[b] == Leader &&
		s.Meta[b].MaximalISR.Len() >= m.c.MinISR
}

// writeRecordToLeader is WriteRecordToLeader(b) with v: the record appended
// in the leader's epoch, the high watermark advanced if the maximal ISR
// already holds it (for kip-966, only with an ISR of MinISR members), the
// floor leader offset set by the first write since the replica last
// renounced leadership.
func (m *Model) writeRecordToLeader(t, s *State, b Broker, v int8) {
	d := s.Data[b]
	if int(d.Len) == MaxValues {
		t.Fault = FaultCapacity
		return
	}
	newLeo := d.LEO + 1
	d.Log[d.Len] = Record{Epoch: s.Meta[b].LeaderEpoch, Offset: d.LEO, Value: v}
	d.Len++
	old := d.HWM
	next := m.commitOffset(s, b, s.Meta[b].MaximalISR, newLeo, &s.Peers[b]) + 1
	if m.v == KIP966 && !m.canAdvanceHwm(s.Meta[b].ISR, old, next) {
		next = old
	}
	d.LEO, d.HWM = newLeo, max(next, old)
	t.Data[b] = d
	if next > old {
		m.updateHwmInvariantVars(t, s, b, old, next, true)
	}
	t.Sent = s.Sent | 1<<v
	if s.FLO[b] == intMax {
		t.FLO[b] = s.leo(b)
	}
}
