package kraftreplication

// Actions appends the enabled bindings of Next in the order Next lists
// them: for each broker b (ascending), its fifteen disjuncts in order, each
// with its own quantifiers' bindings (messages in the set's order, offsets,
// brokers and values ascending, subsets by their bits), then
// PerformPartitionReassignment. Each binding that TLC would count as a
// generated state is listed once; where the controller chooses a leader,
// once per candidate; where disjuncts of the action that are only
// conditions hold together, once per disjunct that holds (Alt), as TLC
// takes each disjunct of an action separately: PartitionNeedsAction,
// __AvoidCycle's PreviouslySent and ValidReassignment. Every other
// disjunction TLC meets in an action is an IF or CASE condition, under a
// negation, or has disjuncts that cannot hold together, and yields one
// successor.
func (m *Model) Actions(s *State, dst []Action) []Action {
	if s.Fault != NoFault {
		return dst // TLC stopped before this state
	}
	for b := range m.n {
		dst = m.brokerActions(s, b, dst)
		dst = m.controllerActions(s, b, dst)
	}
	return m.reassignments(s, dst)
}

// brokerActions are the broker and replica disjuncts of Next for b.
func (m *Model) brokerActions(s *State, b Broker, dst []Action) []Action {
	act := func(k Kind) Action { return Action{Kind: k, B: b, Leader: noChoice} }
	if s.Broker[b].Status.offline() {
		dst = append(dst, act(BrokerStart))
	}
	for _, msg := range s.messages() {
		if s.regResponseEnabled(b, &msg) {
			a := act(ReceiveBrokerRegResponse)
			a.Msg = msg
			dst = append(dst, a)
		}
	}
	for off := s.BrokerLog[b] + 1; off <= s.MetaLen; off++ {
		a := act(ReceiveMetadataUpdate)
		a.Arg = off
		dst = ways(a, s.metadataUpdateWays(b, off), dst)
	}
	dst = m.sendAPActions(s, b, dst)
	running := s.Broker[b].Status == Running
	for _, msg := range s.messages() {
		if s.apResponseEnabled(b, &msg) {
			a := act(ReceiveAlterPartitionResponse)
			a.Msg = msg
			dst = append(dst, a)
		}
	}
	for to := range m.n {
		if s.sendFetchEnabled(b, to) {
			a := act(SendFetchRequest)
			a.Arg = to
			dst = append(dst, a)
		}
	}
	for _, kind := range []Kind{ReceiveFetchRequest, ReceiveFetchResponse} {
		for _, msg := range s.messages() {
			ok := running && msg.Dest == b
			if kind == ReceiveFetchRequest {
				ok = ok && msg.Type == FetchRequest
			} else {
				ok = ok && msg.Type == FetchResponse && s.Fetchers[b][msg.Source].Pending
			}
			if ok {
				a := act(kind)
				a.Msg = msg
				dst = append(dst, a)
			}
		}
	}
	for v := range int8(len(m.values)) {
		if m.writeEnabled(s, b, v) {
			a := act(WriteRecordToLeader)
			a.Arg = v
			dst = append(dst, a)
		}
	}
	if m.lossyEnabled(s, b) {
		dst = m.choices(m.brokerFenced(s, b), act(LossyShutdown), dst)
	}
	if m.safeEnabled(s, b) {
		a := act(SafeShutdown)
		if m.v == KIP966 {
			// \E is_clean_shutdown \in BOOLEAN: FALSE, then TRUE.
			dst = m.choices(m.brokerFenced(s, b), a, dst)
			a.Arg = 1
		}
		dst = m.choices(m.brokerFenced(s, b), a, dst)
	}
	return dst
}

// sendAPActions are SendAlterPartitionRequest(b)'s bindings: one per
// timed_out_isr while ISR shrinks remain, else the one with none timed out
// (Arg -1).
func (m *Model) sendAPActions(s *State, b Broker, dst []Action) []Action {
	if !s.sendAPReady(b) {
		return dst
	}
	a := Action{Kind: SendAlterPartitionRequest, B: b, Arg: -1, Leader: noChoice}
	if int(s.Ctrs.Shrink) >= m.c.LeaderShrinkIsrLimit {
		return ways(a, m.doSendWays(s, b, 0), dst)
	}
	isr := s.Meta[b].ISR
	for x := 0; x <= int(isr); x++ {
		if sub := Set(x); sub&^isr == 0 {
			a.Arg = int8(sub)
			dst = ways(a, m.doSendWays(s, b, sub), dst)
		}
	}
	return dst
}

// controllerActions are the controller's disjuncts of Next for b.
func (m *Model) controllerActions(s *State, b Broker, dst []Action) []Action {
	act := func(k Kind) Action { return Action{Kind: k, B: b, Leader: noChoice} }
	for _, msg := range s.messages() {
		if s.regRequestEnabled(b, &msg) {
			a := act(ReceiveBrokerRegRequest)
			a.Msg = msg
			dst = m.choices(m.regElection(s, b, &msg), a, dst)
		}
	}
	for _, msg := range s.messages() {
		if msg.Type != AlterPartitionRequest || msg.Source != b {
			continue
		}
		a := act(ReceiveAlterPartitionRequest)
		a.Msg = msg
		if m.validateAlterPartition(s, b, &msg.AP) != ErrNil {
			dst = append(dst, a)
			continue
		}
		// \E new_leader \in new_md.isr: none if the ISR is empty.
		leaders := newLeaders(s, m.alterPartitionChange(s, &msg.AP).isr)
		for l := range m.n {
			if leaders.Has(l) {
				a.Leader = l
				dst = append(dst, a)
			}
		}
	}
	if int(s.Ctrs.Fence) < m.c.FenceBrokerLimit && !s.Reg[b].Fenced {
		dst = m.choices(m.brokerFenced(s, b), act(FenceBroker), dst)
	}
	if s.Reg[b].Fenced && s.Broker[b].Status == Running {
		dst = m.choices(m.brokerUnfenced(s, b), act(UnfenceBroker), dst)
	}
	return dst
}

// ways appends a once for each way n it is enabled, Alt numbering them.
func ways(a Action, n int, dst []Action) []Action {
	for alt := range n {
		a.Alt = int8(alt)
		dst = append(dst, a)
	}
	return dst
}

// reassignments are PerformPartitionReassignment's bindings: \E adding,
// removing \in SUBSET Brokers, then new_leader.
func (m *Model) reassignments(s *State, dst []Action) []Action {
	if int(s.Ctrs.Reassign) >= m.c.ReassignmentLimit || s.reassignmentInProgress() {
		return dst
	}
	all := 1<<m.n - 1
	for x := 0; x <= all; x++ {
		for y := 0; y <= all; y++ {
			adding, removing := Set(x), Set(y)
			n := m.validReassignment(s, adding, removing)
			if n == 0 {
				continue
			}
			// ValidReassignment's disjuncts come first: each way, every
			// new_leader.
			leaders := newLeaders(s, m.reassignmentChange(s, adding, removing).isr)
			for alt := range n {
				for l := range m.n {
					if leaders.Has(l) {
						dst = append(dst, Action{Kind: PerformPartitionReassignment, Arg: int8(adding), Arg2: int8(removing), Leader: l, Alt: int8(alt)})
					}
				}
			}
		}
	}
	return dst
}
