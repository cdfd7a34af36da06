package kraftreplication

import (
	"errors"
	"fmt"
)

// View appends the canonical bytes of the specification's VIEW,
// << con_vars, broker_vars, part_vars, NetworkView, inv_vars >>: equal
// views, equal bytes, and different views different bytes. It is the
// state's identity, TLC's: the explorer fingerprints it (explore.Viewer).
// A Fault is part of it, so that a state TLC could not have reached is
// never taken for one it could.
func (m *Model) View(dst []byte, s *State) []byte {
	c := codec{buf: dst}
	m.viewFields(&c, s)
	return c.buf
}

// Encode appends the whole state: the view, then the variables the VIEW
// leaves out. The search keeps states in this form; Decode reads it back.
func (m *Model) Encode(dst []byte, s *State) []byte {
	c := codec{buf: dst}
	m.viewFields(&c, s)
	m.hiddenFields(&c, s)
	return c.buf
}

// Decode reads what Encode wrote under the same variant and constants,
// rejecting bytes out of their ranges.
func (m *Model) Decode(p []byte) (State, error) {
	var s State
	err := m.DecodeInto(&s, p)
	return s, err
}

var errShort = errors.New("encoded state is truncated")

// DecodeInto is Decode writing into *s; every field is overwritten.
func (m *Model) DecodeInto(s *State, p []byte) error {
	*s = State{}
	c := codec{dec: true, buf: p}
	m.viewFields(&c, s)
	m.hiddenFields(&c, s)
	switch {
	case c.err != nil:
		return c.err
	case c.pos != len(p):
		return fmt.Errorf("encoded state has %d bytes too many", len(p)-c.pos)
	}
	for i := int8(1); i < s.NMsgs; i++ {
		if !s.Msgs[i-1].less(&s.Msgs[i]) {
			return fmt.Errorf("encoded state has its messages out of order")
		}
	}
	return nil
}

// codec encodes (dec false) or decodes one state, field by field: each
// field is one byte, its value less its lowest.
type codec struct {
	dec bool
	buf []byte
	pos int
	err error
}

// field codes *p, which lies in lo..hi.
func field[T ~int8 | ~uint8](c *codec, p *T, lo, hi int) {
	if c.err != nil {
		return
	}
	if !c.dec {
		c.buf = append(c.buf, byte(int(*p)-lo))
		return
	}
	if c.pos >= len(c.buf) {
		c.err = errShort
		return
	}
	v := int(c.buf[c.pos]) + lo
	c.pos++
	if v > hi {
		c.err = fmt.Errorf("encoded state has a field out of range (%d > %d at byte %d)", v, hi, c.pos-1)
		return
	}
	*p = T(v)
}

func flag(c *codec, p *bool) {
	x := uint8(0)
	if *p {
		x = 1
	}
	field(c, &x, 0, 1)
	*p = x == 1
}

// epoch codes an epoch, offset or counter (Nil allowed).
func epoch(c *codec, p *int8) { field(c, p, Nil, 126) }

// count codes the length of an array's used part.
func count(c *codec, p *int8, capacity int) { field(c, p, 0, capacity) }

func (m *Model) set(c *codec, p *Set)       { field(c, p, 0, 1<<m.n-1) }
func (m *Model) broker(c *codec, p *Broker) { field(c, p, -1, int(m.n)-1) }

func (m *Model) record(c *codec, r *Record) {
	epoch(c, &r.Epoch)
	epoch(c, &r.Offset)
	field(c, &r.Value, 0, len(m.values)-1)
}

// viewFields codes the VIEW's variables.
func (m *Model) viewFields(c *codec, s *State) {
	// con_vars: con_metadata_log, con_unfenced, con_broker_reg,
	// con_partition_metadata.
	count(c, &s.MetaLen, MaxMetaLog)
	for i := range s.MetaLen {
		m.partition(c, &s.MetaLog[i])
	}
	m.set(c, &s.Unfenced)
	m.partition(c, &s.Part)
	for b := range m.n {
		r := &s.Reg[b]
		flag(c, &r.Fenced)
		epoch(c, &r.BrokerEpoch)
		epoch(c, &r.Incarn)
	}
	// broker_vars, then part_vars, replica by replica.
	for b := range m.n {
		m.brokerFields(c, s, b)
		m.replicaFields(c, s, b)
	}
	// NetworkView: messages.
	count(c, &s.NMsgs, MaxMessages)
	for i := range s.NMsgs {
		m.message(c, &s.Msgs[i])
	}
	// inv_vars.
	all := 1<<len(m.values) - 1
	field(c, &s.Sent, 0, all)
	field(c, &s.PosAcked, 0, all)
	field(c, &s.NegAcked, 0, all)
	epoch(c, &s.TrueHWM)
	count(c, &s.NConsumed, MaxValues)
	for i := range s.NConsumed {
		m.record(c, &s.Consumed[i])
	}
	field(c, &s.Fault, 0, int(numFaults)-1)
}

func (m *Model) partition(c *codec, p *PartitionMetadata) {
	for _, x := range []*Set{&p.Replicas, &p.ISR, &p.ELR, &p.LastKnownELR, &p.Adding, &p.Removing} {
		m.set(c, x)
	}
	m.broker(c, &p.Leader)
	epoch(c, &p.LeaderEpoch)
	epoch(c, &p.PartitionEpoch)
}

// brokerFields codes broker_state, broker_fetchers and
// broker_metadata_log of b.
func (m *Model) brokerFields(c *codec, s *State, b Broker) {
	bs := &s.Broker[b]
	field(c, &bs.Status, 0, int(OfflineDirty))
	epoch(c, &bs.BrokerEpoch)
	epoch(c, &bs.Incarn)
	flag(c, &bs.Registered)
	for b1 := range m.n {
		f := &s.Fetchers[b][b1]
		flag(c, &f.Added)
		epoch(c, &f.FetchOffset)
		epoch(c, &f.LastFetchedEpoch)
		flag(c, &f.Delayed)
		flag(c, &f.Pending)
	}
	field(c, &s.BrokerLog[b], 0, int(s.MetaLen))
}

// replicaFields codes the partition variables of replica b.
func (m *Model) replicaFields(c *codec, s *State, b Broker) {
	field(c, &s.Role[b], 0, int(Follower))
	md := &s.Meta[b]
	m.set(c, &md.Replicas)
	m.set(c, &md.ISR)
	m.set(c, &md.MaximalISR)
	m.broker(c, &md.Leader)
	epoch(c, &md.LeaderEpoch)
	epoch(c, &md.PartitionEpoch)
	d := &s.Data[b]
	count(c, &d.Len, MaxValues)
	for i := range d.Len {
		m.record(c, &d.Log[i])
	}
	epoch(c, &d.HWM)
	epoch(c, &d.LEO)
	epoch(c, &s.LESO[b])
	for b1 := range m.n {
		epoch(c, &s.Peers[b][b1].LEO)
		epoch(c, &s.Peers[b][b1].BrokerEpoch)
	}
	p := &s.Pending[b]
	epoch(c, &p.Epoch)
	flag(c, &p.Has)
	if p.Has {
		m.codeAPRequest(c, &p.Req)
	}
}

func (m *Model) codeAPRequest(c *codec, r *APRequest) {
	m.set(c, &r.ISR)
	for b := range m.n {
		epoch(c, &r.Epochs[b])
	}
	m.broker(c, &r.Leader)
	epoch(c, &r.LeaderEpoch)
	epoch(c, &r.PartitionEpoch)
	epoch(c, &r.BrokerEpoch)
	m.broker(c, &r.Source)
}

func (m *Model) message(c *codec, msg *Message) {
	field(c, &msg.Type, int(RegisterBrokerRequest), int(FetchResponse))
	m.broker(c, &msg.Source)
	m.broker(c, &msg.Dest)
	for _, p := range []*int8{&msg.BrokerEpoch, &msg.Incarn, &msg.MetadataOffset, &msg.LeaderEpoch, &msg.PartitionEpoch,
		&msg.FetchOffset, &msg.LastFetched, &msg.HWM, &msg.DivEpoch, &msg.DivOffset} {
		epoch(c, p)
	}
	m.codeAPRequest(c, &msg.AP)
	field(c, &msg.Err, 0, int(ErrNotLeaderOrFollower))
	m.set(c, &msg.Replicas)
	m.set(c, &msg.ISR)
	m.broker(c, &msg.Leader)
	flag(c, &msg.Diverging)
	flag(c, &msg.HasRecord)
	m.record(c, &msg.Record)
}

// hiddenFields codes the variables the VIEW leaves out.
func (m *Model) hiddenFields(c *codec, s *State) {
	epoch(c, &s.AuxBrokerEpoch)
	k := &s.Ctrs
	for _, p := range []*int8{&k.Incarn, &k.Lossy, &k.Safe, &k.Fence, &k.Shrink, &k.Reassign} {
		epoch(c, p)
	}
	for b := range m.n {
		field(c, &s.FLO[b], 0, intMax)
	}
	count(c, &s.NDiscarded, MaxDiscard)
	for i := range s.NDiscarded {
		m.codeAPRequest(c, &s.Discarded[i])
	}
}
