package tlareplication

import "fmt"

// Property is one of the specification's invariants.
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

// Properties are KafkaReplication's StrongIsr, WeakIsr and LeaderInIsr.
func Properties() []Property {
	return []Property{
		{"strong-isr", "StrongIsr: for every replica presuming leadership, every entry below its hw is on every member of quorumState.isr",
			[]string{"leader-hw-advanced", "leader-changed"}, strongIsr},
		{"weak-isr", "WeakIsr: for every replica presuming leadership, every entry below its hw is on every member of its own isr",
			[]string{"leader-hw-advanced", "leader-changed"}, weakIsr},
		{"leader-in-isr", "LeaderInIsr: quorumState.leader \\in quorumState.isr",
			[]string{"quorum-has-leader"}, leaderInIsr},
	}
}

// Witnesses for the properties.
func Witnesses() []Witness {
	return []Witness{
		{"leader-hw-advanced", "a replica presuming leadership has a high watermark above 0", func(m *Model, s *State) bool {
			for r := range m.n {
				if s.presumesLeadership(r) && s.ReplicaState[r].HW > 0 {
					return true
				}
			}
			return false
		}},
		{"leader-changed", "a replica leads in an epoch after another replica led", func(m *Model, s *State) bool {
			for r := range m.n {
				e := s.ReplicaState[r].LeaderEpoch
				if s.presumesLeadership(r) && e > 0 {
					for prev := range e {
						if l := s.Requests[prev].Leader; l != None && l != r {
							return true
						}
					}
				}
			}
			return false
		}},
		{"quorum-has-leader", "the quorum names a leader", func(m *Model, s *State) bool {
			return s.QuorumState.Leader != None
		}},
	}
}

// isrCovers checks that every entry of leader l below its hw is on every
// member of isr: \A r2 \in isr, offset \in 0..hw-1 : \E record :
// HasEntry(l, record, offset) /\ HasEntry(r2, record, offset).
func (m *Model) isrCovers(s *State, l Replica, isr Set, which string) error {
	hw := s.ReplicaState[l].HW
	for r := range m.n {
		if !isr.Has(r) {
			continue
		}
		for o := int8(0); o < hw; o++ {
			if !s.hasOffset(l, o) || !s.hasOffset(r, o) || s.recordAt(l, o) != s.recordAt(r, o) {
				return fmt.Errorf("%s presumes leadership with hw %d, but offset %d is not the same record on it and on %s, a member of %s %s",
					ReplicaName(l), hw, o, ReplicaName(r), which, isr)
			}
		}
	}
	return nil
}

func strongIsr(m *Model, s *State) error {
	for l := range m.n {
		if s.presumesLeadership(l) {
			if err := m.isrCovers(s, l, s.QuorumState.ISR, "quorumState.isr"); err != nil {
				return err
			}
		}
	}
	return nil
}

func weakIsr(m *Model, s *State) error {
	for l := range m.n {
		if s.presumesLeadership(l) {
			if err := m.isrCovers(s, l, s.ReplicaState[l].ISR, "its own isr"); err != nil {
				return err
			}
		}
	}
	return nil
}

func leaderInIsr(m *Model, s *State) error {
	q := &s.QuorumState
	if !q.ISR.Has(q.Leader) {
		return fmt.Errorf("quorumState.leader %s is not in quorumState.isr %s", ReplicaName(q.Leader), q.ISR)
	}
	return nil
}
