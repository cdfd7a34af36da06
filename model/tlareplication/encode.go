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
	err := m.DecodeInto(&s, p)
	return s, err
}

var errShort = errors.New("encoded state is truncated")

// DecodeInto is Decode writing into *s, in one validated pass; every field
// is overwritten.
func (m *Model) DecodeInto(s *State, p []byte) error {
	n := int(m.n)
	all := byte(m.all)
	logSize := byte(m.c.LogSize)
	i := 0
	for r := range n {
		if len(p)-i < 1 {
			return errShort
		}
		l := &s.ReplicaLog[r]
		end := p[i]
		i++
		if end > logSize || len(p)-i < 2*int(end)+4 {
			return fmt.Errorf("encoded state has a log end offset %d beyond LogSize or is truncated", end)
		}
		l.EndOffset = int8(end)
		for o := range int(end) {
			id, ep := p[i], p[i+1]
			i += 2
			if id > MaxRecordIDs || ep > MaxLeaderEpoch {
				return fmt.Errorf("encoded state has a record out of range")
			}
			l.Records[o] = Record{int8(id), int8(ep)}
		}
		clear(l.Records[end:])
		hw, ep, leader, isr := p[i], p[i+1], p[i+2], p[i+3]
		i += 4
		if hw > logSize || ep > MaxLeaderEpoch+1 || leader > byte(n) || isr > all {
			return fmt.Errorf("encoded state has a replica state out of range")
		}
		s.ReplicaState[r] = ReplicaState{HW: int8(hw), LeaderEpoch: int8(ep) - 1, Leader: Replica(leader) - 1, ISR: Set(isr)}
	}
	for r := n; r < MaxReplicas; r++ {
		s.ReplicaLog[r], s.ReplicaState[r] = Log{}, ReplicaState{}
	}
	if len(p)-i < 2 {
		return errShort
	}
	rec, next := p[i], p[i+1]
	i += 2
	if rec > byte(m.c.MaxRecords) || next > byte(m.c.MaxLeaderEpoch+1) || len(p)-i != 2*int(next)+3 {
		return fmt.Errorf("encoded state has sequences out of range or the wrong length")
	}
	s.NextRecordID, s.NextLeaderEpoch = int8(rec), int8(next)
	for e := range int(next) {
		leader, isr := p[i], p[i+1]
		i += 2
		if leader > byte(n) || isr > all {
			return fmt.Errorf("encoded state has a request out of range")
		}
		s.Requests[e] = QuorumState{Leader: Replica(leader) - 1, ISR: Set(isr)}
	}
	clear(s.Requests[next:])
	ep, leader, isr := p[i], p[i+1], p[i+2]
	if ep > MaxLeaderEpoch+1 || leader > byte(n) || isr > all {
		return fmt.Errorf("encoded state has a quorum state out of range")
	}
	s.QuorumState = QuorumState{LeaderEpoch: int8(ep) - 1, Leader: Replica(leader) - 1, ISR: Set(isr)}
	return nil
}
