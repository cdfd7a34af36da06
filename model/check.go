package model

import "fmt"

// CheckState verifies the structural invariants written beside the fields
// of State, and returns an error naming the broker and field that breaks
// one. Every reachable state passes; the tests walk the model to make sure.
func (m *Model) CheckState(s *State) error {
	all := AllBrokers(m.cfg.ReplicationFactor)
	c := &s.Ctrl
	elr := m.has(EligibleLeaderReplicas)
	switch {
	case c.ISR == 0 && !elr:
		return fmt.Errorf("controller: the ISR is empty without eligible leader replicas")
	case c.ISR&^all != 0 || c.Live&^all != 0 || c.ELR&^all != 0:
		return fmt.Errorf("controller: ISR %s, ELR %s or live %s names a broker beyond the replication factor", c.ISR, c.ELR, c.Live)
	case c.Leader != None && !c.ISR.Has(c.Leader):
		return fmt.Errorf("controller: leader %d is not in the ISR %s", c.Leader, c.ISR)
	case c.ELR&c.ISR != 0:
		return fmt.Errorf("controller: ELR %s overlaps the ISR %s", c.ELR, c.ISR)
	case !elr && (c.ELR != 0 || c.LastLeader != None):
		return fmt.Errorf("controller: ELR %s or last known leader %s without eligible leader replicas", c.ELR, c.LastLeader)
	case c.Leader != None && c.LastLeader != None:
		return fmt.Errorf("controller: a last known leader %s while %s leads", c.LastLeader, c.Leader)
	case int(c.Epoch) > m.cfg.Bounds.MaxLeaderEpoch:
		return fmt.Errorf("controller: epoch %d is beyond the bound %d", c.Epoch, m.cfg.Bounds.MaxLeaderEpoch)
	}
	for e := int(c.Epoch); e < MaxEpoch; e++ {
		if c.History[e] != (Term{}) {
			return fmt.Errorf("controller: a term for epoch %d, beyond its epoch %d", e, c.Epoch)
		}
	}
	for id := BrokerID(1); id <= m.rf; id++ {
		b := s.Broker(id)
		switch {
		case b.HW > b.LEO:
			return fmt.Errorf("broker %d: HW %d above LEO %d", id, b.HW, b.LEO)
		case b.Flushed > b.LEO:
			return fmt.Errorf("broker %d: flushed %d above LEO %d", id, b.Flushed, b.LEO)
		case b.Epoch > c.Epoch:
			return fmt.Errorf("broker %d: knows epoch %d, newer than the controller's %d", id, b.Epoch, c.Epoch)
		case b.Leader != id && (b.ISR != 0 || b.Proposed != 0 || b.Fetched != 0 || b.Remote != [MaxReplicas]Offset{}):
			return fmt.Errorf("broker %d: keeps leader state (ISR %s) while following %s", id, b.ISR, b.Leader)
		case b.Proposed != 0 && !m.has(AsyncISR):
			return fmt.Errorf("broker %d: an ISR change in flight without KIP-497", id)
		case b.Truncating && (b.Leader == None || b.Leader == id || !m.has(EpochTruncation) || m.has(FencedFetch)):
			return fmt.Errorf("broker %d: a pending epoch lookup where there is none to make", id)
		case b.Status.Down() && (b.Epoch != 0 || b.Leader != None):
			return fmt.Errorf("broker %d: down but remembers epoch %d, leader %s", id, b.Epoch, b.Leader)
		}
		for o := b.LEO; o < MaxRecords; o++ {
			if b.Log[o] != (Entry{}) {
				return fmt.Errorf("broker %d: entry beyond LEO %d at offset %d", id, b.LEO, o)
			}
		}
		for o := Offset(1); o < b.LEO; o++ {
			if b.Log[o].Epoch < b.Log[o-1].Epoch {
				return fmt.Errorf("broker %d: epochs decrease at offset %d", id, o)
			}
		}
	}
	for id := m.rf + 1; id <= MaxReplicas; id++ {
		if *s.Broker(id) != (Broker{}) {
			return fmt.Errorf("broker %d: set, but the replication factor is %d", id, m.rf)
		}
	}
	g := &s.Ghost
	if int(g.Produced) > m.cfg.Bounds.Records {
		return fmt.Errorf("ghost: %d records produced, bound %d", g.Produced, m.cfg.Bounds.Records)
	}
	for k := int(g.Produced); k < MaxRecords; k++ {
		if g.Records[k] != (Record{}) {
			return fmt.Errorf("ghost: record %s has a fate but was never sent", RecordID(k+1))
		}
	}
	if int(g.Consumed) > int(g.Produced) {
		return fmt.Errorf("ghost: consumer read %d records of %d sent", g.Consumed, g.Produced)
	}
	return nil
}
