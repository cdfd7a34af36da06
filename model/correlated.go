package model

import (
	"fmt"
	"strconv"
	"strings"
)

// The correlated power loss: every broker of the partition loses power at
// the same instant, as when a rack or a data centre does. Each broker that
// runs (or is paused: its machine is on) has a power loss exactly as
// PowerLoss gives it one, keeping any prefix of its log from what Kafka
// fsynced to its LEO, all in one step; brokers already down lose nothing
// more. Each then restarts on its own (Restart). One action per
// combination of what the disks kept, so a state enables the product of
// its running brokers' choices.

// running is the brokers whose machines have power: up or paused.
func (m *Model) running(s *State) Set {
	var set Set
	for id := BrokerID(1); id <= m.rf; id++ {
		if !s.Broker(id).Status.Down() {
			set = set.With(id)
		}
	}
	return set
}

// correlatedPowerLosses appends the correlated power losses of s, one per
// combination of what each running broker's disk kept, the lowest broker's
// choice varying slowest.
func (m *Model) correlatedPowerLosses(s *State, dst []Action) []Action {
	hit := m.running(s)
	if hit == 0 {
		return dst
	}
	a := Action{Kind: CorrelatedPowerLoss, Hit: hit}
	lo := func(id BrokerID) Offset { return s.Broker(id).Flushed }
	hi := func(id BrokerID) Offset { return s.Broker(id).LEO }
	for id := BrokerID(1); id <= m.rf; id++ {
		if hit.Has(id) {
			a.Keeps[id-1] = lo(id)
		}
	}
	for {
		dst = append(dst, a)
		if !m.nextKeeps(&a, lo, hi) {
			return dst
		}
	}
}

// nextKeeps moves a's keeps to the next combination, each hit broker's
// from lo to hi, the highest broker's varying fastest: it raises the
// highest keep that can be raised and resets the ones above it. It
// reports false after the last combination.
func (m *Model) nextKeeps(a *Action, lo, hi func(BrokerID) Offset) bool {
	for id := m.rf; id >= 1; id-- {
		if !a.Hit.Has(id) {
			continue
		}
		if a.Keeps[id-1] < hi(id) {
			a.Keeps[id-1]++
			return true
		}
		a.Keeps[id-1] = lo(id)
	}
	return false
}

// everyCorrelatedPowerLoss appends every correlated power loss the model
// can name, whatever the state: every set of brokers hit, each keeping 0
// to the records bound.
func (m *Model) everyCorrelatedPowerLoss(dst []Action) []Action {
	limit := Offset(m.cfg.Bounds.Records)
	lo := func(BrokerID) Offset { return 0 }
	hi := func(BrokerID) Offset { return limit }
	for hit := Set(1); hit <= AllBrokers(int(m.rf)); hit++ {
		a := Action{Kind: CorrelatedPowerLoss, Hit: hit}
		for {
			dst = append(dst, a)
			if !m.nextKeeps(&a, lo, hi) {
				break
			}
		}
	}
	return dst
}

// checkCorrelatedPowerLoss returns "" if a, a correlated power loss, is
// enabled in s, or why it is not.
func (m *Model) checkCorrelatedPowerLoss(s *State, a Action) string {
	switch {
	case a.Broker != None || a.Target != None:
		return "a correlated power loss names no broker: it takes down every one running"
	case int(s.Used.CorrelatedPowerLosses) >= m.cfg.Bounds.CorrelatedPowerLosses:
		return "the bound on correlated power losses is spent (--correlated-power-losses)"
	}
	hit := m.running(s)
	switch {
	case hit == 0:
		return "every broker is already down"
	case a.Hit != hit:
		return fmt.Sprintf("a correlated power loss takes down every broker running or paused, %s, and no other", hit)
	}
	for id := BrokerID(1); id <= MaxReplicas; id++ {
		k := a.Keeps[id-1]
		if !hit.Has(id) {
			if k != 0 {
				return "a broker that is down keeps what it had: name only the brokers running"
			}
			continue
		}
		if b := s.Broker(id); k < b.Flushed || k > b.LEO {
			return fmt.Sprintf("broker %d: a power loss keeps at least what Kafka fsynced and at most the whole log", id)
		}
	}
	return ""
}

// correlatedPowerLoss applies a, enabled in t: each broker hit has a
// power loss, keeping what a says.
func (m *Model) correlatedPowerLoss(t *State, a Action) {
	t.Used.CorrelatedPowerLosses++
	for id := BrokerID(1); id <= m.rf; id++ {
		if a.Hit.Has(id) {
			t.Broker(id).truncate(a.Keeps[id-1])
			m.stop(t, id, PowerLost)
		}
	}
}

// keepsText is "1:2 3:0": each broker hit and the records its disk kept.
func (a Action) keepsText() string {
	var parts []string
	for id := BrokerID(1); id <= MaxReplicas; id++ {
		if a.Hit.Has(id) {
			parts = append(parts, fmt.Sprintf("%d:%d", id, a.Keeps[id-1]))
		}
	}
	return strings.Join(parts, " ")
}

// parseKeeps reads keepsText's form into a.Hit and a.Keeps: at least one
// BROKER:RECORDS, brokers in increasing order.
func (a *Action) parseKeeps(fields []string) error {
	last := None
	for _, f := range fields {
		b, k, ok := strings.Cut(f, ":")
		id, err := strconv.Atoi(b)
		if !ok || err != nil || id < 1 || id > MaxReplicas {
			return fmt.Errorf("%q is not BROKER:RECORDS, a broker from 1 to %d and the records its disk kept", f, MaxReplicas)
		}
		n, err := strconv.Atoi(k)
		if err != nil || n < 0 || n > MaxRecords {
			return fmt.Errorf("%q: %q is not a number of records to keep (0 to %d)", f, k, MaxRecords)
		}
		if BrokerID(id) <= last {
			return fmt.Errorf("%q: name each broker once, in increasing order", f)
		}
		last = BrokerID(id)
		a.Hit = a.Hit.With(last)
		a.Keeps[id-1] = Offset(n)
	}
	return nil
}
