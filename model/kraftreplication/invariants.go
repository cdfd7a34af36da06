package kraftreplication

import (
	"fmt"
	"strings"
)

// Property is one of the specification's invariants (those its
// configuration file checks), named in kebab case without "Property".
type Property struct {
	Name      string
	Statement string
	Guards    []string // witnesses showing the guarded situation was reached
	Check     func(m *Model, s *State) error
}

// Witness is a reachability property reported beside the invariants.
type Witness struct {
	Name        string
	Description string
	Reached     func(m *Model, s *State) bool
}

// Properties are the invariants of the variant's configuration file, in
// its order: seven for v3.5, eight for kip-966 (MinIsrRecoveryQuorum).
func (m *Model) Properties() []Property {
	ps := []Property{
		{"leader-completeness", "LeaderCompletenessProperty: once something is committed, a running leader the controller chose has every committed offset and every positively acknowledged value",
			[]string{"record-committed", "leader-changed"}, leaderCompleteness},
		{"leader-candidate-completeness", "LeaderCandidateCompletenessProperty: no running member of the controller's ISR (or kip-966's ELR) lacks a committed offset",
			[]string{"record-committed", "leader-changed"}, leaderCandidateCompleteness},
		{"replication-quorum-superset", "ReplicationQuorumSupersetProperty: a leader in the controller's leader epoch has its maximal ISR equal to its ISR when no AlterPartition is pending, and a superset of the controller's ISR (kip-966: with the ELR, when its ISR has MinISR members)",
			[]string{"isr-changed"}, replicationQuorumSuperset},
		{"log-matching", "LogMatchingProperty: below both their high watermarks, two replicas hold the same value at every offset",
			[]string{"record-committed"}, logMatching},
		{"metadata-log-matching", "MetadataLogMatchingProperty: every broker's metadata log is a prefix of the controller's",
			[]string{"metadata-replicated"}, metadataLogMatching},
		{"consistent-read", "ConsistentReadProperty: a leader in the controller's leader epoch holds every record consumers read, at its offset",
			[]string{"record-committed", "leader-changed"}, consistentRead},
	}
	if m.v == KIP966 {
		ps = append(ps, Property{"min-isr-recovery-quorum", "MinIsrRecoveryQuorum: with the ISR and the ELR empty, the last known ELR has MinISR members",
			[]string{"isr-empty", "isr-and-elr-empty"}, minIsrRecoveryQuorum})
	}
	return append(ps, Property{"no-committed-record-lost-globally", "NoCommittedRecordLostGlobally: every positively acknowledged value is in some replica's log",
		[]string{"record-acknowledged", "lossy-shutdown"}, noCommittedRecordLostGlobally})
}

// PropertyNames lists the variant's property names.
func (m *Model) PropertyNames() []string {
	var out []string
	for _, p := range m.Properties() {
		out = append(out, p.Name)
	}
	return out
}

// Witnesses for the properties: situations over the VIEW's variables.
func Witnesses() []Witness {
	return []Witness{
		{"record-committed", "the true high watermark advanced past a record", func(m *Model, s *State) bool { return s.TrueHWM > 1 }},
		{"record-acknowledged", "a value was positively acknowledged", func(m *Model, s *State) bool { return s.PosAcked != 0 }},
		{"leader-changed", "the controller elected a leader in a new leader epoch", func(m *Model, s *State) bool { return s.Part.LeaderEpoch > 1 }},
		{"isr-changed", "the controller changed the ISR", func(m *Model, s *State) bool { return s.Part.ISR != s.MetaLog[0].ISR }},
		{"metadata-replicated", "a broker applied a metadata record written after the initial one", func(m *Model, s *State) bool {
			for b := range m.n {
				if s.BrokerLog[b] > 1 {
					return true
				}
			}
			return false
		}},
		{"lossy-shutdown", "a broker is offline after a shutdown that lost its log", func(m *Model, s *State) bool {
			for b := range m.n {
				if s.Broker[b].Status == OfflineDirty {
					return true
				}
			}
			return false
		}},
		{"isr-empty", "the controller's ISR is empty", func(m *Model, s *State) bool { return s.Part.ISR == 0 }},
		{"isr-and-elr-empty", "the controller's ISR and ELR are empty and a replica runs: no replica it may elect", func(m *Model, s *State) bool {
			running := false
			for b := range m.n {
				running = running || s.Broker[b].Status == Running && s.Part.Replicas.Has(b)
			}
			return s.Part.ISR == 0 && s.Part.ELR == 0 && s.Part.Leader == NoLeader && running
		}},
	}
}

// hasValue is \E offset \in LogOffsets(b) : log[offset].value = v.
func (s *State) hasValue(b Broker, v int8) bool {
	for off := int8(1); off <= s.logLen(b); off++ {
		if s.entry(b, off).Value == v {
			return true
		}
	}
	return false
}

func leaderCompleteness(m *Model, s *State) error {
	l := s.Part.Leader
	if s.TrueHWM <= 1 || l == NoLeader || s.Broker[l].Status != Running {
		return nil
	}
	if s.leo(l) < s.TrueHWM {
		return fmt.Errorf("the controller's leader %s has log end offset %d, below the true high watermark %d: a committed record is lost",
			BrokerName(l), s.leo(l), s.TrueHWM)
	}
	for v := range int8(len(m.values)) {
		if s.PosAcked.Has(v) && !s.hasValue(l, v) {
			return fmt.Errorf("the controller's leader %s lacks value %s, which was positively acknowledged", BrokerName(l), m.values[v])
		}
	}
	return nil
}

func leaderCandidateCompleteness(m *Model, s *State) error {
	if s.TrueHWM <= 1 {
		return nil
	}
	sets := []struct {
		name string
		set  Set
	}{{"ISR", s.Part.ISR}, {"ELR", s.Part.ELR}}
	for _, x := range sets {
		for b := range m.n {
			if x.set.Has(b) && s.leo(b) < s.TrueHWM && s.Broker[b].Status == Running {
				return fmt.Errorf("broker %s, running and in the controller's %s %s, has log end offset %d, below the true high watermark %d",
					BrokerName(b), x.name, x.set, s.leo(b), s.TrueHWM)
			}
		}
	}
	return nil
}

// isNonStaleLeader is IsNonStaleLeader(b).
func (s *State) isNonStaleLeader(b Broker) bool {
	return s.Role[b] == Leader && s.Meta[b].LeaderEpoch == s.Part.LeaderEpoch
}

func replicationQuorumSuperset(m *Model, s *State) error {
	for b := range m.n {
		if !s.isNonStaleLeader(b) {
			continue
		}
		md := &s.Meta[b]
		if !s.pendingAlterPartition(b) && md.MaximalISR != md.ISR {
			return fmt.Errorf("leader %s has no AlterPartition pending but its maximal ISR %s differs from its ISR %s", BrokerName(b), md.MaximalISR, md.ISR)
		}
		need := s.Part.ISR
		if m.v == KIP966 {
			if md.ISR.Len() < m.c.MinISR {
				continue
			}
			need |= s.Part.ELR
		}
		if need&^md.MaximalISR != 0 {
			return fmt.Errorf("leader %s's maximal ISR %s does not hold the controller's ISR %s (ELR %s)", BrokerName(b), md.MaximalISR, s.Part.ISR, s.Part.ELR)
		}
	}
	return nil
}

func logMatching(m *Model, s *State) error {
	for off := int8(1); off <= int8(len(m.values)); off++ {
		for b1 := range m.n {
			for b2 := range m.n {
				if s.leo(b1) > off && s.leo(b2) > off && s.hwm(b1) > off && s.hwm(b2) > off && s.entry(b1, off).Value != s.entry(b2, off).Value {
					return fmt.Errorf("brokers %s and %s hold different values at offset %d, below both high watermarks", BrokerName(b1), BrokerName(b2), off)
				}
			}
		}
	}
	return nil
}

// metadataLogMatching holds by construction: a broker's metadata log is
// kept as the length of the controller's prefix it holds (State).
func metadataLogMatching(m *Model, s *State) error {
	for b := range m.n {
		if s.BrokerLog[b] > s.MetaLen {
			return fmt.Errorf("broker %s's metadata log is longer than the controller's", BrokerName(b))
		}
	}
	return nil
}

func consistentRead(m *Model, s *State) error {
	for b := range m.n {
		if !s.isNonStaleLeader(b) {
			continue
		}
		for i := range s.NConsumed {
			off := i + 1
			if !s.hasOffset(b, off) || s.entry(b, off) != s.Consumed[i] {
				return fmt.Errorf("leader %s does not hold %s, which consumers read at offset %d", BrokerName(b), m.RecordText(s.Consumed[i]), off)
			}
		}
	}
	return nil
}

func minIsrRecoveryQuorum(m *Model, s *State) error {
	p := &s.Part
	if p.ISR == 0 && p.ELR == 0 && p.LastKnownELR.Len() != m.c.MinISR {
		return fmt.Errorf("the ISR and the ELR are empty and the last known ELR %s has %d members, not MinISR (%d)", p.LastKnownELR, p.LastKnownELR.Len(), m.c.MinISR)
	}
	return nil
}

func noCommittedRecordLostGlobally(m *Model, s *State) error {
	var lost []string
	for v := range int8(len(m.values)) {
		found := false
		for b := range m.n {
			found = found || s.hasValue(b, v)
		}
		if s.PosAcked.Has(v) && !found {
			lost = append(lost, m.values[v])
		}
	}
	if len(lost) > 0 {
		return fmt.Errorf("value %s was positively acknowledged and is on no replica", strings.Join(lost, ", "))
	}
	return nil
}

// Evaluable is the port's own check that TLC could have evaluated every
// step to the state: a Fault says where it would have stopped with an
// error instead.
func Evaluable(m *Model, s *State) error {
	if s.Fault != NoFault {
		return fmt.Errorf("TLC would stop with an error on the step to this state: %s", s.Fault)
	}
	return nil
}
