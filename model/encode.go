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
// Layout: per broker, status, LEO, HW, flushed, epoch, leader, ISR, then the
// RF remote offsets and LEO entries (record, epoch); the controller's leader,
// epoch, ISR and live set; the faults used; the ghost: records sent, then
// each one's fate, offset and leader, the true HW and the committed entries,
// the consumed count and the records read.
func (m *Model) Encode(dst []byte, s *State) []byte {
	for id := BrokerID(1); id <= m.rf; id++ {
		b := s.Broker(id)
		dst = append(dst, byte(b.Status), byte(b.LEO), byte(b.HW), byte(b.Flushed), byte(b.Epoch), byte(b.Leader), byte(b.ISR))
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
	dst = append(dst, byte(c.Leader), byte(c.Epoch), byte(c.ISR), byte(c.Live),
		u.Crashes, u.PowerLosses, u.DiskLosses, u.CleanShutdowns, u.Pauses, g.Produced)
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

// Decode reads a state written by Encode under the same configuration. It
// rejects bytes Encode could not have written for this configuration's
// shape (lengths and ranges), but not every unreachable state.
func (m *Model) Decode(p []byte) (State, error) {
	var s State
	d := decoder{p: p}
	for id := BrokerID(1); id <= m.rf; id++ {
		b := s.Broker(id)
		b.Status = Status(d.next(byte(ShutDown)))
		b.LEO = Offset(d.next(MaxRecords))
		b.HW = Offset(d.next(byte(b.LEO)))
		b.Flushed = Offset(d.next(byte(b.LEO)))
		b.Epoch = Epoch(d.next(MaxEpoch))
		b.Leader = BrokerID(d.next(byte(m.rf)))
		b.ISR = Set(d.next(byte(AllBrokers(int(m.rf)))))
		for f := range m.rf {
			b.Remote[f] = Offset(d.next(MaxRecords))
		}
		for o := range b.LEO {
			b.Log[o] = Entry{RecordID(d.next(MaxRecords)), Epoch(d.next(MaxEpoch))}
		}
	}
	all := byte(AllBrokers(int(m.rf)))
	s.Ctrl = Controller{BrokerID(d.next(byte(m.rf))), Epoch(d.next(MaxEpoch)), Set(d.next(all)), Set(d.next(all))}
	s.Used = Used{d.next(255), d.next(255), d.next(255), d.next(255), d.next(255)}
	g := &s.Ghost
	g.Produced = d.next(MaxRecords)
	for k := range g.Produced {
		g.Records[k] = Record{Fate(d.next(byte(LeaderLost))), Offset(d.next(MaxRecords - 1)), BrokerID(d.next(byte(m.rf)))}
	}
	g.TrueHW = Offset(d.next(MaxRecords))
	for o := range g.TrueHW {
		g.Committed[o] = Entry{RecordID(d.next(MaxRecords)), Epoch(d.next(MaxEpoch))}
	}
	g.Consumed = d.next(MaxRecords)
	for o := range g.Consumed {
		g.Read[o] = RecordID(d.next(MaxRecords))
	}
	if d.err != nil {
		return State{}, d.err
	}
	if len(d.p) != 0 {
		return State{}, fmt.Errorf("encoded state has %d trailing bytes", len(d.p))
	}
	return s, nil
}

type decoder struct {
	p   []byte
	err error
}

// next reads one byte that must be at most max.
func (d *decoder) next(max byte) byte {
	if d.err != nil {
		return 0
	}
	if len(d.p) == 0 {
		d.err = errShort
		return 0
	}
	v := d.p[0]
	d.p = d.p[1:]
	if v > max {
		d.err = fmt.Errorf("encoded state has a field value %d above its limit %d", v, max)
		return 0
	}
	return v
}
