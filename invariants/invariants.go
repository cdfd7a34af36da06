// Package invariants states electcheck's safety properties and the
// reachability witnesses that show each one is not vacuous, over the states
// of package model. Every failing check returns an error that names the
// replicas, epochs and offsets involved.
package invariants

import (
	"fmt"
	"slices"
	"strings"

	"electcheck/model"
)

// Property is a named safety property: Check returns nil when it holds in a
// state.
type Property struct {
	Name      string
	Statement string
	// Guards names the witnesses that show the situation the property
	// protects was reached; without them "holds" could be vacuous.
	Guards []string
	Check  func(m *model.Model, s *model.State) error
}

// Witness is a reachability property.
type Witness struct {
	Name        string
	Description string
	// Availability marks the witnesses that measure the other side of the
	// trade-off: the partition offline, writes refused.
	Availability bool
	Reached      func(m *model.Model, s *model.State) bool
}

// Properties lists every safety property of the main model, in report
// order.
func Properties() []Property {
	return []Property{
		{
			Name:      "acked-records-durable",
			Statement: "every positively acknowledged record stays at its offset in the log of every later leader",
			Guards:    []string{"acked-record", "acked-record-survives-failover"},
			Check:     ackedRecordsDurable,
		},
		{
			Name:      "committed-offsets-preserved",
			Statement: "every offset below the true high watermark keeps its record in every later leader's log",
			Guards:    []string{"committed-record", "failover-after-commit"},
			Check:     committedOffsetsPreserved,
		},
		{
			Name:      "hw-monotonic",
			Statement: "the high watermark clients can observe never decreases",
			Guards:    []string{"committed-record", "new-leader-exposes-hw"},
			Check:     hwMonotonic,
		},
		{
			Name:      "no-log-divergence",
			Statement: "two replicas holding the same epoch at an offset hold the same records up to there",
			Guards:    []string{"logs-differ"},
			Check:     noLogDivergence,
		},
		{
			Name:      "consumed-records-stable",
			Statement: "nothing a consumer read is later missing or replaced in the leader's log",
			Guards:    []string{"consumer-read", "leader-failover"},
			Check:     consumedRecordsStable,
		},
		{
			Name:      "no-offset-reuse",
			Statement: "an offset once acknowledged for one record is never acknowledged for another",
			Guards:    []string{"acked-record", "offset-assigned-twice"},
			Check:     noOffsetReuse,
		},
		{
			Name:      "one-leader-per-epoch",
			Statement: "at most one replica acts as leader in any epoch",
			Guards:    []string{"leader-failover", "stale-leader"},
			Check:     oneLeaderPerEpoch,
		},
		{
			Name:      "strong-isr",
			Statement: "every record below a leader's high watermark is on every member of the controller's ISR",
			Guards:    []string{"committed-record", "isr-shrunk"},
			Check:     strongISR,
		},
	}
}

// Witnesses lists every witness, safety situations first, then
// availability.
func Witnesses() []Witness {
	return []Witness{
		{"committed-record", "a record was committed (a current leader exposed a high watermark above it)", false, committedRecord},
		{"acked-record", "a producer received a positive acknowledgement", false, ackedRecord},
		{"leader-failover", "the controller elected a new leader", false, leaderFailover},
		{"failover-after-commit", "a leader was elected in an epoch after the newest committed record was written", false, failoverAfterCommit},
		{"acked-record-survives-failover", "a record acknowledged by one leader is in the log of a different current leader", false, ackedSurvivesFailover},
		{"new-leader-exposes-hw", "a leader elected after a commit exposes its high watermark to clients", false, newLeaderExposesHW},
		{"logs-differ", "two replicas hold different entries at the same offset", false, logsDiffer},
		{"consumer-read", "the consumer read a record", false, consumerRead},
		{"offset-assigned-twice", "two records were appended at the same offset by different leaders", false, offsetAssignedTwice},
		{"stale-leader", "a running broker acts as leader of an epoch the controller has moved past", false, staleLeader},
		{"isr-shrunk", "the ISR is smaller than the replica set", false, isrShrunk},
		{"partition-offline", "the partition has no leader while some replica is running (durability chosen over availability)", true, partitionOffline},
		{"produce-refused", "a write was refused with NotEnoughReplicas for want of in-sync replicas", true, produceRefused},
	}
}

// Names lists the property names.
func Names() []string {
	var names []string
	for _, p := range Properties() {
		names = append(names, p.Name)
	}
	return names
}

// Select returns the named properties (all of them for an empty list), in
// report order, or an error naming the unknown one.
func Select(names []string) ([]Property, error) {
	all := Properties()
	if len(names) == 0 {
		return all, nil
	}
	want := map[string]bool{}
	for _, n := range names {
		n = strings.TrimSpace(n)
		if !slices.ContainsFunc(all, func(p Property) bool { return p.Name == n }) {
			return nil, fmt.Errorf("unknown property %q: choose from %s", n, strings.Join(Names(), ", "))
		}
		want[n] = true
	}
	var out []Property
	for _, p := range all {
		if want[p.Name] {
			out = append(out, p)
		}
	}
	return out, nil
}

// WitnessesFor returns the guard witnesses of the given properties followed
// by the availability witnesses, each once, in Witnesses order.
func WitnessesFor(props []Property) []Witness {
	need := map[string]bool{}
	for _, p := range props {
		for _, g := range p.Guards {
			need[g] = true
		}
	}
	var out []Witness
	for _, w := range Witnesses() {
		if need[w.Name] || w.Availability {
			out = append(out, w)
		}
	}
	return out
}

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

func committedOffsetsPreserved(m *model.Model, s *model.State) error {
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
	hw, ok := s.ExposedHW()
	if ok && hw < s.Ghost.TrueHW {
		return fmt.Errorf("broker %d, leader in epoch %d, exposes high watermark %d, below the %d clients already saw",
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

// strongISR is the TLA+ specification's StrongIsr: for every replica that
// presumes leadership, every entry below its high watermark is on every
// member of the controller's ISR.
func strongISR(m *model.Model, s *model.State) error {
	rf := model.BrokerID(m.Config().ReplicationFactor)
	for l := model.BrokerID(1); l <= rf; l++ {
		if !actingLeader(s, l) {
			continue
		}
		lb := s.Broker(l)
		for r := model.BrokerID(1); r <= rf; r++ {
			if !s.Ctrl.ISR.Has(r) {
				continue
			}
			rb := s.Broker(r)
			for o := model.Offset(0); o < lb.HW; o++ {
				if o >= rb.LEO || rb.Log[o] != lb.Log[o] {
					have := "nothing"
					if o < rb.LEO {
						have = fmt.Sprintf("%s/%d", rb.Log[o].Rec, rb.Log[o].Epoch)
					}
					return fmt.Errorf("broker %d leads epoch %d with high watermark %d, but ISR member %d holds %s at offset %d where the leader holds %s/%d",
						l, lb.Epoch, lb.HW, r, have, o, lb.Log[o].Rec, lb.Log[o].Epoch)
				}
			}
		}
	}
	return nil
}

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
	_, ok := s.ExposedHW()
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
		if s.PresumesLeadership(id) && (s.Ctrl.Leader != id || s.Broker(id).Epoch != s.Ctrl.Epoch) {
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
