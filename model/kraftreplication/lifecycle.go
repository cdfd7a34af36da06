package kraftreplication

// The broker lifecycle: BrokerStart, registration, fencing and unfencing,
// and the two shutdowns.

// brokerStart is BrokerStart(b) with SendBrokerRegistration(b): a new
// incarnation registers; kip-966's broker sends the broker epoch it kept
// on file (0 after a lossy shutdown), v3.5's none.
func (m *Model) brokerStart(t, s *State, b Broker) {
	epoch := int8(0)
	if m.v == KIP966 {
		epoch = s.Broker[b].BrokerEpoch
	}
	t.Broker[b] = BrokerState{Status: Starting, BrokerEpoch: epoch, Incarn: s.Ctrs.Incarn}
	t.Role[b] = NoRole
	t.send(Message{Type: RegisterBrokerRequest, Source: b, Dest: NoLeader, BrokerEpoch: epoch, Incarn: s.Ctrs.Incarn})
	t.Ctrs.Incarn = s.Ctrs.Incarn + 1
}

// regRequestEnabled is ReceiveBrokerRegRequest(b)'s condition on m: a
// registration from b, accepted if b is fenced or the incarnation is the
// registered one.
func (s *State) regRequestEnabled(b Broker, msg *Message) bool {
	return msg.Type == RegisterBrokerRequest && msg.Source == b && (s.Reg[b].Fenced || s.Reg[b].Incarn == msg.Incarn)
}

// regElection is the partition change a registration makes: kip-966
// treats a broker without a broker epoch as unclean (ProcessUncleanBroker),
// otherwise HandleBrokerUnfenced.
func (m *Model) regElection(s *State, b Broker, msg *Message) election {
	if m.v == KIP966 && msg.BrokerEpoch == 0 {
		return m.uncleanBroker(s, b)
	}
	return m.brokerUnfenced(s, b)
}

// receiveBrokerRegRequest is ReceiveBrokerRegRequest(b): the controller
// unfences b with a new broker epoch and replies with it and the metadata
// log's length.
func (m *Model) receiveBrokerRegRequest(t, s *State, b Broker, msg *Message, cand Broker) {
	m.applyElection(t, s, m.regElection(s, b, msg), cand)
	epoch := s.AuxBrokerEpoch + 1
	t.Reg[b] = Registration{BrokerEpoch: epoch, Incarn: msg.Incarn}
	t.reply(msg, Message{Type: RegisterBrokerResponse, Source: NoLeader, Dest: b, BrokerEpoch: epoch,
		Incarn: msg.Incarn, MetadataOffset: s.MetaLen})
	t.AuxBrokerEpoch = epoch
}

// regResponseEnabled is ReceiveBrokerRegResponse(b)'s condition on m.
func (s *State) regResponseEnabled(b Broker, msg *Message) bool {
	bs := &s.Broker[b]
	return msg.Type == RegisterBrokerResponse && msg.Dest == b && bs.Status == Starting && !bs.Registered &&
		bs.Incarn == msg.Incarn
}

// receiveBrokerRegResponse is ReceiveBrokerRegResponse(b) with
// __CatchUpBarOne: the broker runs with its new epoch, its metadata log
// one record short of the controller's at registration, its partition
// metadata blank.
func (m *Model) receiveBrokerRegResponse(t, s *State, b Broker, msg *Message) {
	t.Broker[b] = BrokerState{Status: Running, BrokerEpoch: msg.BrokerEpoch, Incarn: s.Broker[b].Incarn, Registered: true}
	t.BrokerLog[b] = max(msg.MetadataOffset-1, 0)
	t.Meta[b] = blankMetadata
	t.discard(msg)
}

// fence is FenceBroker(b).
func (m *Model) fence(t, s *State, b, cand Broker) {
	m.applyElection(t, s, m.brokerFenced(s, b), cand)
	t.Reg[b].Fenced = true
	t.Ctrs.Fence = s.Ctrs.Fence + 1
}

// unfence is UnfenceBroker(b).
func (m *Model) unfence(t, s *State, b, cand Broker) {
	m.applyElection(t, s, m.brokerUnfenced(s, b), cand)
	t.Reg[b].Fenced = false
}

// lossyEnabled is DataLossShutdown(b)'s (UncleanShutdown(b)'s) enabling
// condition; v3.5's AvoidLastReplicaStanding keeps the last ISR member
// from shutting down uncleanly.
func (m *Model) lossyEnabled(s *State, b Broker) bool {
	if int(s.Ctrs.Lossy) >= m.lossyLimit() || s.Broker[b].Status.offline() {
		return false
	}
	return !(m.v == V35 && m.c.AvoidLastReplicaStanding && s.Part.ISR.Has(b) && s.Part.ISR.Len() == 1)
}

// safeEnabled is NoDataLossShutdown(b)'s (CleanShutdown(b)'s) enabling
// condition.
func (m *Model) safeEnabled(s *State, b Broker) bool {
	return int(s.Ctrs.Safe) < m.safeLimit() && !s.Broker[b].Status.offline()
}

// shutdown is what both shutdowns do: the broker goes offline with the
// given broker epoch on file, its fetch sessions dropped, its partition
// role and follower state lost, pending writes failed if it led, and the
// controller fences it.
func (m *Model) shutdown(t, s *State, b Broker, status Status, epoch int8, cand Broker) {
	t.Broker[b] = BrokerState{Status: status, BrokerEpoch: epoch}
	m.dropFetchSessions(t, s, b)
	t.Role[b] = NoRole
	m.resetAllFollowerState(t, b)
	t.Pending[b] = PendingAP{}
	// FailPendingWritesIfLeader
	if s.Role[b] == Leader && s.hwm(b) < s.leo(b) {
		m.failPendingWrites(t, s, b)
	}
	m.applyElection(t, s, m.brokerFenced(s, b), cand)
	t.Reg[b].Fenced = true
	t.FLO[b] = intMax
}

// lossyShutdown is DataLossShutdown(b) (UncleanShutdown(b)): the replica's
// log and leader epoch start offset are lost too.
func (m *Model) lossyShutdown(t, s *State, b, cand Broker) {
	m.shutdown(t, s, b, OfflineDirty, 0, cand)
	t.Data[b] = PartitionData{HWM: 1, LEO: 1}
	t.LESO[b] = Nil
	t.Ctrs.Lossy = s.Ctrs.Lossy + 1
}

// safeShutdown is NoDataLossShutdown(b) with is_clean_shutdown (kip-966:
// a clean shutdown keeps the broker epoch on file), or CleanShutdown(b).
func (m *Model) safeShutdown(t, s *State, b Broker, clean bool, cand Broker) {
	epoch := int8(0)
	if m.v == KIP966 && clean {
		epoch = s.Broker[b].BrokerEpoch
	}
	m.shutdown(t, s, b, OfflineClean, epoch, cand)
	t.Ctrs.Safe = s.Ctrs.Safe + 1
}

// dropFetchSessions is DropFetchSessions(b): fetch requests and responses
// to or from b are dropped, b's fetchers are lost, and fetches other
// brokers had pending with b fail (delayed if the partition is still
// added).
func (m *Model) dropFetchSessions(t, s *State, b Broker) {
	for i := int(t.NMsgs) - 1; i >= 0; i-- {
		msg := t.Msgs[i]
		if (msg.Type == FetchRequest || msg.Type == FetchResponse) && (msg.Dest == b || msg.Source == b) {
			t.remove(&msg)
		}
	}
	for b1 := range m.n {
		f := s.Fetchers[b1][b]
		switch {
		case b1 == b:
			t.Fetchers[b] = [MaxBrokers]Fetcher{}
		case f.Pending && f.Added:
			t.Fetchers[b1][b].Pending, t.Fetchers[b1][b].Delayed = false, true
		case f.Pending:
			t.Fetchers[b1][b].Pending = false
		}
	}
}
