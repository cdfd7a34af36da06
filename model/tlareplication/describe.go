package tlareplication

import (
	"fmt"
	"strings"
)

// Describe prints a state with the specification's variable names, one
// line per replica, then the quorum, the requests and the sequences:
//
//	r1  log [0:0/0] [1:1/0]  hw 1  leader r1  leaderEpoch 0  isr {r1, r2}
//	r2  log [0:0/0]          hw 0  leader r1  leaderEpoch 0  isr {r1, r2}
//	r3  log []               hw 0  leader NONE  leaderEpoch Nil  isr {}
//	quorumState: leader r1, leaderEpoch 0, isr {r1, r2}
//	leaderAndIsrRequests: e0 [leader r1, isr {r1, r2, r3}]
//	nextRecordId 2, nextLeaderEpoch 1
//
// A log entry [o:i/e] is the record with id i and epoch e at offset o.
func (m *Model) Describe(s *State) string {
	rows := make([][]string, m.n)
	width := make([]int, 2)
	for r := range m.n {
		l := &s.ReplicaLog[r]
		var entries []string
		for o, rec := range l.Records[:l.EndOffset] {
			entries = append(entries, fmt.Sprintf("[%d:%d/%d]", o, rec.ID, rec.Epoch))
		}
		rs := &s.ReplicaState[r]
		rows[r] = []string{ReplicaName(r), "log [" + strings.Join(entries, " ") + "]",
			fmt.Sprintf("hw %d  leader %s  leaderEpoch %s  isr %s", rs.HW, ReplicaName(rs.Leader), epochName(rs.LeaderEpoch), rs.ISR)}
		for i := range width {
			width[i] = max(width[i], len(rows[r][i]))
		}
	}
	var sb strings.Builder
	for _, row := range rows {
		fmt.Fprintf(&sb, "%-*s  %-*s  %s\n", width[0], row[0], width[1], row[1], row[2])
	}
	q := &s.QuorumState
	fmt.Fprintf(&sb, "quorumState: leader %s, leaderEpoch %s, isr %s\n", ReplicaName(q.Leader), epochName(q.LeaderEpoch), q.ISR)
	sb.WriteString("leaderAndIsrRequests:")
	if s.NextLeaderEpoch == 0 {
		sb.WriteString(" {}")
	}
	for e := range s.NextLeaderEpoch {
		req := s.Request(e)
		fmt.Fprintf(&sb, " e%d [leader %s, isr %s]", e, ReplicaName(req.Leader), req.ISR)
	}
	fmt.Fprintf(&sb, "\nnextRecordId %d, nextLeaderEpoch %d\n", s.NextRecordID, s.NextLeaderEpoch)
	return sb.String()
}

func epochName(e int8) string {
	if e == Nil {
		return "Nil"
	}
	return fmt.Sprint(e)
}
