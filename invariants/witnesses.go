package invariants

import "electcheck/model"

func committedRecord(m *model.Model, s *model.State) bool { return s.Ghost.TrueHW > 0 }

func ackedRecord(m *model.Model, s *model.State) bool {
	g := &s.Ghost
	for _, r := range g.Records[:g.Produced] {
		if r.Fate == model.Acked {
			return true
		}
	}
	return false
}

func leaderFailover(m *model.Model, s *model.State) bool {
	return s.Ctrl.Epoch > 0 && s.Ctrl.Leader != model.None
}

func failoverAfterCommit(m *model.Model, s *model.State) bool {
	g := &s.Ghost
	return g.TrueHW > 0 && s.Ctrl.Leader != model.None && s.Ctrl.Epoch > g.Committed[g.TrueHW-1].Epoch
}

func ackedSurvivesFailover(m *model.Model, s *model.State) bool {
	l, b, ok := leaderLog(s)
	if !ok {
		return false
	}
	g := &s.Ghost
	for k, r := range g.Records[:g.Produced] {
		if r.Fate == model.Acked && r.Leader != l && missing(b, r.Offset, model.RecordID(k+1)) == "" {
			return true
		}
	}
	return false
}

func newLeaderExposesHW(m *model.Model, s *model.State) bool {
	_, ok := m.LatestOffset(s)
	return ok && failoverAfterCommit(m, s)
}

func logsDiffer(m *model.Model, s *model.State) bool {
	rf := model.BrokerID(m.Config().ReplicationFactor)
	for i := model.BrokerID(1); i <= rf; i++ {
		for j := i + 1; j <= rf; j++ {
			bi, bj := s.Broker(i), s.Broker(j)
			for o := range min(bi.LEO, bj.LEO) {
				if bi.Log[o] != bj.Log[o] {
					return true
				}
			}
		}
	}
	return false
}

func consumerRead(m *model.Model, s *model.State) bool { return s.Ghost.Consumed > 0 }

func appended(f model.Fate) bool {
	return f != model.Unsent && f != model.Refused
}

func offsetAssignedTwice(m *model.Model, s *model.State) bool {
	g := &s.Ghost
	for j := range int(g.Produced) {
		for k := j + 1; k < int(g.Produced); k++ {
			rj, rk := g.Records[j], g.Records[k]
			if appended(rj.Fate) && appended(rk.Fate) && rj.Offset == rk.Offset {
				return true
			}
		}
	}
	return false
}

func staleLeader(m *model.Model, s *model.State) bool {
	rf := model.BrokerID(m.Config().ReplicationFactor)
	for id := model.BrokerID(1); id <= rf; id++ {
		if s.PresumesLeadership(id) && !s.StillLeads(id) {
			return true
		}
	}
	return false
}

func isrShrunk(m *model.Model, s *model.State) bool {
	return s.Ctrl.ISR.Len() < m.Config().ReplicationFactor
}

func partitionOffline(m *model.Model, s *model.State) bool {
	if s.Ctrl.Leader != model.None {
		return false
	}
	rf := model.BrokerID(m.Config().ReplicationFactor)
	for id := model.BrokerID(1); id <= rf; id++ {
		if s.Broker(id).Status == model.Up {
			return true
		}
	}
	return false
}

func produceRefused(m *model.Model, s *model.State) bool {
	g := &s.Ghost
	for _, r := range g.Records[:g.Produced] {
		if r.Fate == model.Refused {
			return true
		}
	}
	return false
}

func committedHolderDown(m *model.Model, s *model.State) bool {
	return s.Ghost.TrueHW > 0 && someCommittedHolder(m, s, func(r model.BrokerID) bool { return s.Broker(r).Status.Down() })
}

func elrMember(m *model.Model, s *model.State) bool { return s.Ctrl.ELR != 0 }
