package tlareplication

import (
	"errors"
	"fmt"
)

// Encode appends the canonical bytes of s: equal states, equal bytes, and
// different states different bytes, so the explorer's state identity is
// TLC's. Per replica: the end offset and each record (id, epoch), then hw,
// leaderEpoch+1, leader+1 and the ISR; then nextRecordId, nextLeaderEpoch,
// each request (leader+1, isr), and the quorum state.
func (m *Model) Encode(dst []byte, s *State) []byte {
	for r := range m.n {
		l := &s.ReplicaLog[r]
		dst = append(dst, byte(l.EndOffset))
		for _, rec := range l.Records[:l.EndOffset] {
			dst = append(dst, byte(rec.ID), byte(rec.Epoch))
		}
		rs := &s.ReplicaState[r]
		dst = append(dst, byte(rs.HW), byte(rs.LeaderEpoch+1), byte(rs.Leader+1), byte(rs.ISR))
	}
	dst = append(dst, byte(s.NextRecordID), byte(s.NextLeaderEpoch))
	for _, req := range s.Requests[:s.NextLeaderEpoch] {
		dst = append(dst, byte(req.Leader+1), byte(req.ISR))
	}
	q := &s.QuorumState
	return append(dst, byte(q.LeaderEpoch+1), byte(q.Leader+1), byte(q.ISR))
}

// Decode reads what Encode wrote under the same constants, rejecting bytes
// out of the constants' ranges.
func (m *Model) Decode(p []byte) (State, error) {
	var s State
	d := decoder{p: p}
	all := byte(m.all)
	for r := range m.n {
		l := &s.ReplicaLog[r]
		l.EndOffset = int8(d.next(byte(m.c.LogSize)))
		for o := range l.EndOffset {
			l.Records[o] = Record{int8(d.next(MaxRecordIDs)), int8(d.next(MaxLeaderEpoch))}
		}
		s.ReplicaState[r] = ReplicaState{
			HW:          int8(d.next(byte(m.c.LogSize))),
			LeaderEpoch: int8(d.next(MaxLeaderEpoch+1)) - 1,
			Leader:      Replica(d.next(byte(m.n))) - 1,
			ISR:         Set(d.next(all)),
		}
	}
	s.NextRecordID = int8(d.next(byte(m.c.MaxRecords)))
	s.NextLeaderEpoch = int8(d.next(byte(m.c.MaxLeaderEpoch + 1)))
	for e := range s.NextLeaderEpoch {
		s.Requests[e] = QuorumState{Leader: Replica(d.next(byte(m.n))) - 1, ISR: Set(d.next(all))}
	}
	s.QuorumState = QuorumState{LeaderEpoch: int8(d.next(MaxLeaderEpoch+1)) - 1, Leader: Replica(d.next(byte(m.n))) - 1, ISR: Set(d.next(all))}
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

func (d *decoder) next(max byte) byte {
	if d.err != nil {
		return 0
	}
	if len(d.p) == 0 {
		d.err = errors.New("encoded state is truncated")
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
