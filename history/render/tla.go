package render

import (
	"electcheck/model/tlareplication"
)

// TLA renders the TLA+ port's states and actions.
type TLA struct{ M *tlareplication.Model }

// Describe is tlareplication's text form.
func (t TLA) Describe(s *tlareplication.State) string { return t.M.Describe(s) }

// ActionText names the TLA+ action and its bindings.
func (t TLA) ActionText(a tlareplication.Action) string { return t.M.Format(a) }

// StateView is the JSON form of the specification's six variables.
func (t TLA) StateView(s *tlareplication.State) any { return ViewTLAState(t.M, s) }

// TLAStateView is a state of the specification, variable by variable;
// replicas are named r1..rN, NONE is "NONE" and Nil is -1, as TLC prints
// them.
type TLAStateView struct {
	ReplicaLog           map[string]TLALogView     `json:"replicaLog"`
	ReplicaState         map[string]TLAReplicaView `json:"replicaState"`
	NextRecordID         int                       `json:"nextRecordId"`
	NextLeaderEpoch      int                       `json:"nextLeaderEpoch"`
	LeaderAndIsrRequests []TLAQuorumView           `json:"leaderAndIsrRequests"`
	QuorumState          TLAQuorumView             `json:"quorumState"`
}

// TLALogView is [endOffset, records] with the records below endOffset.
type TLALogView struct {
	EndOffset int             `json:"endOffset"`
	Records   []TLARecordView `json:"records"`
}

// TLARecordView is a log record [id, epoch].
type TLARecordView struct {
	ID    int `json:"id"`
	Epoch int `json:"epoch"`
}

// TLAReplicaView is [hw, leaderEpoch, leader, isr].
type TLAReplicaView struct {
	HW          int      `json:"hw"`
	LeaderEpoch int      `json:"leaderEpoch"`
	Leader      string   `json:"leader"`
	ISR         []string `json:"isr"`
}

// TLAQuorumView is [leaderEpoch, leader, isr].
type TLAQuorumView struct {
	LeaderEpoch int      `json:"leaderEpoch"`
	Leader      string   `json:"leader"`
	ISR         []string `json:"isr"`
}

// ViewTLAState is the JSON form of s.
func ViewTLAState(m *tlareplication.Model, s *tlareplication.State) TLAStateView {
	n := m.Constants().Replicas
	set := func(x tlareplication.Set) []string {
		out := []string{}
		for r := range tlareplication.Replica(n) {
			if x.Has(r) {
				out = append(out, tlareplication.ReplicaName(r))
			}
		}
		return out
	}
	v := TLAStateView{
		ReplicaLog:           map[string]TLALogView{},
		ReplicaState:         map[string]TLAReplicaView{},
		NextRecordID:         int(s.NextRecordID),
		NextLeaderEpoch:      int(s.NextLeaderEpoch),
		LeaderAndIsrRequests: []TLAQuorumView{},
	}
	for r := range tlareplication.Replica(n) {
		name := tlareplication.ReplicaName(r)
		l := s.ReplicaLog[r]
		lv := TLALogView{EndOffset: int(l.EndOffset), Records: []TLARecordView{}}
		for _, rec := range l.Records[:l.EndOffset] {
			lv.Records = append(lv.Records, TLARecordView{int(rec.ID), int(rec.Epoch)})
		}
		v.ReplicaLog[name] = lv
		rs := s.ReplicaState[r]
		v.ReplicaState[name] = TLAReplicaView{int(rs.HW), int(rs.LeaderEpoch), tlareplication.ReplicaName(rs.Leader), set(rs.ISR)}
	}
	for e := range s.NextLeaderEpoch {
		req := s.Request(e)
		v.LeaderAndIsrRequests = append(v.LeaderAndIsrRequests, TLAQuorumView{int(e), tlareplication.ReplicaName(req.Leader), set(req.ISR)})
	}
	q := s.QuorumState
	v.QuorumState = TLAQuorumView{int(q.LeaderEpoch), tlareplication.ReplicaName(q.Leader), set(q.ISR)}
	return v
}
