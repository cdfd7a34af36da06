package model

import (
	"errors"
	"fmt"
)

// Encode appends the canonical binary encoding of s to dst: equal states
// give equal bytes, and different states different bytes. Only what the
// configuration can use is written (RF brokers, the records sent, the log
// entries below each LEO), so the encoding is short.
//
// Layout: per broker, status, LEO, HW, flushed, epoch, leader, ISR, the ISR
// proposed (with the truncating flag in bit 7), the followers that fetched,
// then the RF remote offsets
// and LEO entries (record, epoch); the controller's leader, epoch, ISR, ELR,
// last known leader, live set and operator flag, then the terms of the
// epochs before its own (leader, ISR); the faults used (correlated power
// losses only when the configuration allows any, so that encodings, and
// fingerprints, are as before the fault existed when it does not); the
// ghost: records sent, then
// each one's fate, offset and leader, the true HW and the committed entries,
// the consumed count and the records read.
func (m *Model) Encode(dst []byte, s *State) []byte {
	for id := BrokerID(1); id <= m.rf; id++ {
		b := s.Broker(id)
		flags := byte(b.Proposed)
		if b.Truncating {
			flags |= truncatingBit
		}
		dst = append(dst, byte(b.Status), byte(b.LEO), byte(b.HW), byte(b.Flushed), byte(b.Epoch), byte(b.Leader), byte(b.ISR), flags, byte(b.Fetched))
		for f := range m.rf {
			dst = append(dst, byte(b.Remote[f]))
		}
		for _, e := range b.Log[:b.LEO] {
			dst = append(dst, byte(e.Rec), byte(e.Epoch))
		}
	}
	c := &s.Ctrl
	u := &s.Used
	g := &s.Ghost
	unclean := byte(0)
	if c.UncleanEnabled {
		unclean = 1
	}
	dst = append(dst, byte(c.Leader), byte(c.Epoch), byte(c.ISR), byte(c.ELR), byte(c.LastLeader), byte(c.Live), unclean)
	for _, t := range c.History[:c.Epoch] {
		dst = append(dst, byte(t.Leader), byte(t.ISR))
	}
	dst = append(dst, u.Crashes, u.PowerLosses, u.DiskLosses, u.CleanShutdowns, u.Pauses)
	if m.correlatedUsed() {
		dst = append(dst, u.CorrelatedPowerLosses)
	}
	dst = append(dst, g.Produced)
	for _, r := range g.Records[:g.Produced] {
		dst = append(dst, byte(r.Fate), byte(r.Offset), byte(r.Leader))
	}
	dst = append(dst, byte(g.TrueHW))
	for _, e := range g.Committed[:g.TrueHW] {
		dst = append(dst, byte(e.Rec), byte(e.Epoch))
	}
	dst = append(dst, g.Consumed)
	for _, r := range g.Read[:g.Consumed] {
		dst = append(dst, byte(r))
	}
	return dst
}

var errShort = errors.New("encoded state is truncated")

// correlatedUsed reports whether the encoding holds the count of
// correlated power losses: only when the bounds allow one.
func (m *Model) correlatedUsed() bool { return m.cfg.Bounds.CorrelatedPowerLosses > 0 }

// truncatingBit marks Broker.Truncating in the byte that holds the
// proposed ISR.
const truncatingBit = 0x80

// brokerHeader is the size of a broker's fixed fields in the encoding.
const brokerHeader = 9

// Decode reads a state written by Encode under the same configuration. It
// rejects bytes Encode could not have written for this configuration's
// shape (lengths and ranges), but not every unreachable state.
func (m *Model) Decode(p []byte) (State, error) {
	var s State
	err := m.DecodeInto(&s, p)
	return s, err
}

// DecodeInto is Decode writing into *s, which must be the zero State or a
// state of the same model (every field Encode writes is overwritten and
// the rest zeroed).
func (m *Model) DecodeInto(s *State, p []byte) error {
	rf := int(m.rf)
	all := byte(AllBrokers(rf))
	i := 0
	bad := func(field string, v, limit byte) error {
		return fmt.Errorf("encoded state has %s %d above its limit %d", field, v, limit)
	}
	for id := range rf {
		if len(p)-i < brokerHeader+rf {
			return errShort
		}
		h := p[i : i+brokerHeader+rf]
		i += brokerHeader + rf
		b := &s.Brokers[id]
		switch {
		case h[0] > byte(ShutDown):
			return bad("a status", h[0], byte(ShutDown))
		case h[1] > MaxRecords:
			return bad("an LEO", h[1], MaxRecords)
		case h[2] > h[1] || h[3] > h[1]:
			return fmt.Errorf("encoded state has an HW or flushed offset above the LEO")
		case h[4] > MaxEpoch:
			return bad("an epoch", h[4], MaxEpoch)
		case h[5] > byte(rf) || h[6] > all || h[7]&^truncatingBit > all || h[8] > all:
			return fmt.Errorf("encoded state names a broker beyond the replication factor")
		}
		b.Status, b.LEO, b.HW, b.Flushed, b.Epoch, b.Leader, b.ISR = Status(h[0]), Offset(h[1]), Offset(h[2]), Offset(h[3]), Epoch(h[4]), BrokerID(h[5]), Set(h[6])
		b.Proposed, b.Truncating, b.Fetched = Set(h[7]&^truncatingBit), h[7]&truncatingBit != 0, Set(h[8])
		b.Remote = [MaxReplicas]Offset{}
		for f := range rf {
			if h[brokerHeader+f] > MaxRecords {
				return bad("a fetch offset", h[brokerHeader+f], MaxRecords)
			}
			b.Remote[f] = Offset(h[brokerHeader+f])
		}
		n := 2 * int(b.LEO)
		if len(p)-i < n {
			return errShort
		}
		for o := range int(b.LEO) {
			rec, ep := p[i+2*o], p[i+2*o+1]
			if rec > MaxRecords || ep > MaxEpoch {
				return fmt.Errorf("encoded state has a log entry out of range")
			}
			b.Log[o] = Entry{RecordID(rec), Epoch(ep)}
		}
		clear(b.Log[b.LEO:])
		i += n
	}
	for id := rf; id < MaxReplicas; id++ {
		s.Brokers[id] = Broker{}
	}
	if len(p)-i < 7 {
		return errShort
	}
	h := p[i : i+7]
	i += 7
	if h[0] > byte(rf) || h[1] > MaxEpoch || h[2] > all || h[3] > all || h[4] > byte(rf) || h[5] > all || h[6] > 1 {
		return fmt.Errorf("encoded state has a controller field out of range")
	}
	s.Ctrl = Controller{Leader: BrokerID(h[0]), Epoch: Epoch(h[1]), ISR: Set(h[2]), ELR: Set(h[3]), LastLeader: BrokerID(h[4]), Live: Set(h[5]), UncleanEnabled: h[6] == 1}
	n := 2 * int(s.Ctrl.Epoch)
	if len(p)-i < n {
		return errShort
	}
	for e := range int(s.Ctrl.Epoch) {
		l, isr := p[i+2*e], p[i+2*e+1]
		if l > byte(rf) || isr > all {
			return fmt.Errorf("encoded state has a term out of range")
		}
		s.Ctrl.History[e] = Term{BrokerID(l), Set(isr)}
	}
	i += n
	used := 5
	if m.correlatedUsed() {
		used++
	}
	if len(p)-i < used+1 {
		return errShort
	}
	h = p[i : i+used+1]
	i += used + 1
	if h[used] > MaxRecords {
		return fmt.Errorf("encoded state has a record count out of range")
	}
	s.Used = Used{Crashes: h[0], PowerLosses: h[1], DiskLosses: h[2], CleanShutdowns: h[3], Pauses: h[4]}
	if m.correlatedUsed() {
		s.Used.CorrelatedPowerLosses = h[5]
	}
	g := &s.Ghost
	g.Produced = h[used]
	if len(p)-i < 3*int(g.Produced)+1 {
		return errShort
	}
	for k := range int(g.Produced) {
		f, off, l := p[i], p[i+1], p[i+2]
		i += 3
		if f > byte(LeaderLost) || off > MaxRecords-1 || l > byte(rf) {
			return fmt.Errorf("encoded state has a record fate out of range")
		}
		g.Records[k] = Record{Fate(f), Offset(off), BrokerID(l)}
	}
	clear(g.Records[g.Produced:])
	g.TrueHW = Offset(p[i])
	i++
	if g.TrueHW > MaxRecords || len(p)-i < 2*int(g.TrueHW)+1 {
		return errShort
	}
	for o := range int(g.TrueHW) {
		rec, ep := p[i], p[i+1]
		i += 2
		if rec > MaxRecords || ep > MaxEpoch {
			return fmt.Errorf("encoded state has a committed entry out of range")
		}
		g.Committed[o] = Entry{RecordID(rec), Epoch(ep)}
	}
	clear(g.Committed[g.TrueHW:])
	g.Consumed = p[i]
	i++
	if g.Consumed > MaxRecords || len(p)-i < int(g.Consumed) {
		return errShort
	}
	for o := range int(g.Consumed) {
		if p[i] > MaxRecords {
			return fmt.Errorf("encoded state has a consumed record out of range")
		}
		g.Read[o] = RecordID(p[i])
		i++
	}
	clear(g.Read[g.Consumed:])
	if i != len(p) {
		return fmt.Errorf("encoded state has %d trailing bytes", len(p)-i)
	}
	return nil
}
