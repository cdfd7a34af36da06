package invariants

import (
	"fmt"

	"electcheck/model"
)

// leaderLog returns the controller's leader and its log when the leader's
// disk is there to lead with (the broker is not down). A leader the
// controller elected but that has not heard yet still counts: the log it
// will lead with is already fixed.
func leaderLog(s *model.State) (model.BrokerID, *model.Broker, bool) {
	l := s.Ctrl.Leader
	if l == model.None {
		return l, nil, false
	}
	b := s.Broker(l)
	if b.Status.Down() {
		return l, nil, false
	}
	return l, b, true
}

// missing explains why leader b does not hold record rec at offset o, or
// returns "".
func missing(b *model.Broker, o model.Offset, rec model.RecordID) string {
	if o >= b.LEO {
		return fmt.Sprintf("is missing: the log ends at LEO %d", b.LEO)
	}
	if e := b.Log[o]; e.Rec != rec {
		return fmt.Sprintf("was replaced by record %s (epoch %d)", e.Rec, e.Epoch)
	}
	return ""
}

func ackedRecordsDurable(m *model.Model, s *model.State) error {
	l, b, ok := leaderLog(s)
	if !ok {
		return nil
	}
	g := &s.Ghost
	for k, r := range g.Records[:g.Produced] {
		if r.Fate != model.Acked {
			continue
		}
		if why := missing(b, r.Offset, model.RecordID(k+1)); why != "" {
			return fmt.Errorf("record %s, acknowledged by broker %d at offset %d, %s on broker %d, leader in epoch %d",
				model.RecordID(k+1), r.Leader, r.Offset, why, l, s.Ctrl.Epoch)
		}
	}
	return nil
}

// CommittedOffsetsPreserved is the property committed-offsets-preserved:
// every committed offset still holds its record on the leader. risk calls
// it directly on every successor, where a call through Property.Check
// would move each state to the heap.
func CommittedOffsetsPreserved(m *model.Model, s *model.State) error {
	l, b, ok := leaderLog(s)
	if !ok {
		return nil
	}
	g := &s.Ghost
	for o, e := range g.Committed[:g.TrueHW] {
		if why := missing(b, model.Offset(o), e.Rec); why != "" {
			return fmt.Errorf("committed offset %d (record %s, epoch %d; true HW %d) %s on broker %d, leader in epoch %d",
				o, e.Rec, e.Epoch, g.TrueHW, why, l, s.Ctrl.Epoch)
		}
	}
	return nil
}

func hwMonotonic(m *model.Model, s *model.State) error {
	hw, ok := m.LatestOffset(s)
	if ok && hw < s.Ghost.TrueHW {
		return fmt.Errorf("broker %d, leader in epoch %d, answers ListOffsets(latest) with high watermark %d, below the %d clients already saw",
			s.Ctrl.Leader, s.Ctrl.Epoch, hw, s.Ghost.TrueHW)
	}
	return nil
}

func noLogDivergence(m *model.Model, s *model.State) error {
	rf := model.BrokerID(m.Config().ReplicationFactor)
	for i := model.BrokerID(1); i <= rf; i++ {
		for j := i + 1; j <= rf; j++ {
			bi, bj := s.Broker(i), s.Broker(j)
			n := min(bi.LEO, bj.LEO)
			first := n // the first offset where the entries differ
			for o := model.Offset(0); o < n; o++ {
				if bi.Log[o] != bj.Log[o] {
					first = o
					break
				}
			}
			for o := first; o < n; o++ {
				if bi.Log[o].Epoch == bj.Log[o].Epoch {
					return fmt.Errorf("brokers %d and %d both hold epoch %d at offset %d, but their logs differ at offset %d (%s/%d on broker %d, %s/%d on broker %d)",
						i, j, bi.Log[o].Epoch, o, first, bi.Log[first].Rec, bi.Log[first].Epoch, i, bj.Log[first].Rec, bj.Log[first].Epoch, j)
				}
			}
		}
	}
	return nil
}

func consumedRecordsStable(m *model.Model, s *model.State) error {
	l, b, ok := leaderLog(s)
	if !ok {
		return nil
	}
	g := &s.Ghost
	for o, rec := range g.Read[:g.Consumed] {
		if why := missing(b, model.Offset(o), rec); why != "" {
			return fmt.Errorf("record %s, which the consumer read at offset %d, %s on broker %d, leader in epoch %d",
				rec, o, why, l, s.Ctrl.Epoch)
		}
	}
	return nil
}

func noOffsetReuse(m *model.Model, s *model.State) error {
	g := &s.Ghost
	for j := range int(g.Produced) {
		for k := j + 1; k < int(g.Produced); k++ {
			rj, rk := g.Records[j], g.Records[k]
			if rj.Fate == model.Acked && rk.Fate == model.Acked && rj.Offset == rk.Offset {
				return fmt.Errorf("offset %d was acknowledged for record %s by broker %d and again for record %s by broker %d",
					rj.Offset, model.RecordID(j+1), rj.Leader, model.RecordID(k+1), rk.Leader)
			}
		}
	}
	return nil
}

// actingLeader reports whether broker id acts as a leader: it believes it
// leads and is running or merely paused (it will act when it resumes).
func actingLeader(s *model.State, id model.BrokerID) bool {
	b := s.Broker(id)
	return b.Leader == id && !b.Status.Down()
}

func oneLeaderPerEpoch(m *model.Model, s *model.State) error {
	rf := model.BrokerID(m.Config().ReplicationFactor)
	for i := model.BrokerID(1); i <= rf; i++ {
		for j := i + 1; j <= rf; j++ {
			if actingLeader(s, i) && actingLeader(s, j) && s.Broker(i).Epoch == s.Broker(j).Epoch {
				return fmt.Errorf("brokers %d and %d both act as leader in epoch %d", i, j, s.Broker(i).Epoch)
			}
		}
	}
	return nil
}

// electableCleanly is the set of replicas the controller could elect
// without an unclean election: the ISR, and with eligible leader replicas
// the ELR; of them, those running (up or paused: alive) and unfenced.
func electableCleanly(m *model.Model, s *model.State) model.Set {
	set := s.Ctrl.ISR | s.Ctrl.ELR
	var out model.Set
	rf := model.BrokerID(m.RF())
	for r := model.BrokerID(1); r <= rf; r++ {
		if set.Has(r) && !s.Broker(r).Status.Down() && s.Ctrl.Live.Has(r) {
			out = out.With(r)
		}
	}
	return out
}

// strongISR is the TLA+ specification's StrongIsr, over the replicas that
// could actually be elected cleanly: for every replica that presumes
// leadership, every entry below its high watermark is on every running,
// unfenced member of the controller's ISR (and ELR). A member that is down
// or fenced is left out: it cannot be elected until it registers again,
// and a broker that lost records in a power or disk loss then leaves the
// ISR and ELR if eligible leader replicas are on (KIP-966), or stays as the
// last ISR member and breaks this property if not.
func strongISR(m *model.Model, s *model.State) error {
	rf := model.BrokerID(m.RF())
	members := electableCleanly(m, s)
	for l := model.BrokerID(1); l <= rf; l++ {
		if !actingLeader(s, l) {
			continue
		}
		lb := s.Broker(l)
		for r := model.BrokerID(1); r <= rf; r++ {
			if !members.Has(r) {
				continue
			}
			rb := s.Broker(r)
			for o := model.Offset(0); o < lb.HW; o++ {
				if o >= rb.LEO || rb.Log[o] != lb.Log[o] {
					have := "nothing"
					if o < rb.LEO {
						have = fmt.Sprintf("%s/%d", rb.Log[o].Rec, rb.Log[o].Epoch)
					}
					return fmt.Errorf("broker %d leads epoch %d with high watermark %d, but %s member %d holds %s at offset %d where the leader holds %s/%d",
						l, lb.Epoch, lb.HW, memberOf(s, r), r, have, o, lb.Log[o].Rec, lb.Log[o].Epoch)
				}
			}
		}
	}
	return nil
}

func memberOf(s *model.State, r model.BrokerID) string {
	if s.Ctrl.ELR.Has(r) {
		return "ELR"
	}
	return "ISR"
}

// committedAt explains why record rec is not committed at offset o, or
// returns "".
func committedAt(s *model.State, o model.Offset, rec model.RecordID) string {
	g := &s.Ghost
	switch {
	case o >= g.TrueHW:
		return fmt.Sprintf("is above the true high watermark %d", g.TrueHW)
	case g.Committed[o].Rec != rec:
		return fmt.Sprintf("is not what was committed there: record %s (epoch %d)", g.Committed[o].Rec, g.Committed[o].Epoch)
	}
	return ""
}

func ackedRecordsCommitted(m *model.Model, s *model.State) error {
	if m.Config().Acks != model.AcksAll {
		return nil
	}
	g := &s.Ghost
	for k, r := range g.Records[:g.Produced] {
		if r.Fate != model.Acked {
			continue
		}
		if why := committedAt(s, r.Offset, model.RecordID(k+1)); why != "" {
			return fmt.Errorf("record %s, acknowledged under acks=all by broker %d at offset %d, %s", model.RecordID(k+1), r.Leader, r.Offset, why)
		}
	}
	return nil
}

func consumedRecordsCommitted(m *model.Model, s *model.State) error {
	g := &s.Ghost
	for o, rec := range g.Read[:g.Consumed] {
		if why := committedAt(s, model.Offset(o), rec); why != "" {
			return fmt.Errorf("the consumer read record %s at offset %d, which %s", rec, o, why)
		}
	}
	return nil
}

// holdsCommitted reports whether broker r's log holds every committed
// record at its offset.
func holdsCommitted(s *model.State, r model.BrokerID) bool {
	b := s.Broker(r)
	g := &s.Ghost
	if b.LEO < g.TrueHW {
		return false
	}
	for o, e := range g.Committed[:g.TrueHW] {
		if b.Log[o] != e {
			return false
		}
	}
	return true
}

// someCommittedHolder reports whether a replica for which also holds has
// every committed record in its log.
func someCommittedHolder(m *model.Model, s *model.State, also func(model.BrokerID) bool) bool {
	rf := model.BrokerID(m.RF())
	for r := model.BrokerID(1); r <= rf; r++ {
		if also(r) && holdsCommitted(s, r) {
			return true
		}
	}
	return false
}

func committedRecordsRecoverable(m *model.Model, s *model.State) error {
	if s.Ghost.TrueHW == 0 || someCommittedHolder(m, s, func(model.BrokerID) bool { return true }) {
		return nil
	}
	return fmt.Errorf("no replica holds every committed record any more (true HW %d): the data is gone, not merely offline", s.Ghost.TrueHW)
}

// onlineWhenElectable: with no leader, no running, unfenced replica may be
// one the rules let the controller elect: an ISR member; with eligible
// leader replicas and an empty ISR an ELR member, or with the ELR empty too
// the last known leader; with unclean.leader.election.enable configured,
// any. (An operator's mid-run change is applied by its own elect step.)
func onlineWhenElectable(m *model.Model, s *model.State) error {
	c := &s.Ctrl
	if c.Leader != model.None {
		return nil
	}
	rf := model.BrokerID(m.RF())
	for r := model.BrokerID(1); r <= rf; r++ {
		if s.Broker(r).Status != model.Up || !c.Live.Has(r) {
			continue
		}
		why := ""
		switch {
		case c.ISR.Has(r):
			why = "an ISR member"
		case c.ISR == 0 && c.ELR.Has(r):
			why = "an eligible leader replica, the ISR being empty"
		case c.ISR == 0 && c.ELR == 0 && c.LastLeader == r:
			why = "the last known leader, the ISR and ELR being empty"
		case m.Config().UncleanLeaderElection:
			why = "a live replica, with unclean leader election enabled"
		}
		if why != "" {
			return fmt.Errorf("the partition has no leader (epoch %d) while broker %d, %s, is running and unfenced", c.Epoch, r, why)
		}
	}
	return nil
}
