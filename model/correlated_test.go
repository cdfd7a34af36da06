package model

import (
	"slices"
	"strings"
	"testing"
)

// correlatedConfig is the recommended setup (RF 3, acks=all, min ISR 2,
// flush.messages unset) with two records, one crash, one pause and one
// correlated power loss.
func correlatedConfig(tb testing.TB, kv ...string) *Model {
	tb.Helper()
	cfg := DefaultConfig()
	cfg.Bounds = Bounds{Records: 2, Crashes: 1, Pauses: 1, CorrelatedPowerLosses: 1, MaxLeaderEpoch: 2}
	for i := 0; i+1 < len(kv); i += 2 {
		if err := cfg.Set(kv[i], kv[i+1]); err != nil {
			tb.Fatal(err)
		}
	}
	m, err := New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

func correlatedActions(m *Model, s *State) []string {
	var out []string
	for _, a := range m.Actions(s, nil) {
		if a.Kind == CorrelatedPowerLoss {
			out = append(out, a.String())
		}
	}
	return out
}

// A correlated power loss takes down, in one step, every broker whose
// machine has power (running or paused), each keeping what its disk had:
// any prefix from what Kafka fsynced to its LEO, chosen per broker, so a
// state enables the product of the choices. A broker already down keeps
// its log and status. The budget counts it once.
func TestCorrelatedPowerLoss(t *testing.T) {
	m := correlatedConfig(t)
	// Broker 3 crashes with record a; broker 1 then appends b; broker 2,
	// with a, pauses. Nothing is fsynced.
	s := steps(t, m, m.Init()[0], "produce 1", "fetch 2", "fetch 3", "crash 3", "produce 1", "pause 2")
	if got := s.Broker(1).LEO*10 + s.Broker(2).LEO*1; got != 21 || s.Broker(3).LEO != 1 || s.Broker(1).Flushed != 0 {
		t.Fatalf("setup: LEOs %d, %d, %d, fsynced %d:\n%s", s.Broker(1).LEO, s.Broker(2).LEO, s.Broker(3).LEO, s.Broker(1).Flushed, m.Describe(&s))
	}
	want := []string{
		"power-loss-all keep 1:0 2:0", "power-loss-all keep 1:0 2:1",
		"power-loss-all keep 1:1 2:0", "power-loss-all keep 1:1 2:1",
		"power-loss-all keep 1:2 2:0", "power-loss-all keep 1:2 2:1",
	}
	if got := correlatedActions(m, &s); !slices.Equal(got, want) {
		t.Errorf("enabled: %v\nwant (broker 1 keeps 0 to 2, broker 2 0 to 1, broker 3 is down): %v", got, want)
	}
	before := s
	s = steps(t, m, s, "power-loss-all keep 1:1 2:0")
	for _, c := range []struct {
		id        BrokerID
		status    Status
		leo       Offset
		log       []Entry
		unchanged bool
	}{
		{1, PowerLost, 1, before.Broker(1).Log[:1], false},
		{2, PowerLost, 0, nil, false},
		{3, Crashed, 1, before.Broker(3).Log[:1], true},
	} {
		b := s.Broker(c.id)
		if b.Status != c.status || b.LEO != c.leo || !slices.Equal(b.Entries(), c.log) || b.Leader != None {
			t.Errorf("broker %d: %s, LEO %d, log %v, leader %s; want %s, LEO %d, log %v, no leader", c.id, b.Status, b.LEO, b.Entries(), b.Leader, c.status, c.leo, c.log)
		}
		// (With no power loss left, every log counts as fsynced: the
		// normal form.)
		now := *b
		now.Flushed = before.Broker(c.id).Flushed
		if c.unchanged && now != *before.Broker(c.id) {
			t.Errorf("broker %d was already down, but changed", c.id)
		}
	}
	if s.Used != (Used{Crashes: 1, Pauses: 1, CorrelatedPowerLosses: 1}) {
		t.Errorf("faults used %+v", s.Used)
	}
	if s.Ghost.Records[1].Fate != LeaderLost {
		t.Errorf("record b, pending on broker 1: %s, want its leader lost", s.Ghost.Records[1].Fate)
	}
	// The same step as three power losses, one after another.
	seq := correlatedConfig(t, "electcheck.power.losses", "2", "electcheck.correlated.power.losses", "0")
	one := steps(t, seq, seq.Init()[0], "produce 1", "fetch 2", "fetch 3", "crash 3", "produce 1", "pause 2", "power-loss 1 keep 1", "power-loss 2 keep 0")
	one.Used, s.Used = Used{}, Used{}
	if one != s {
		t.Errorf("a correlated power loss differs from each broker's power loss in turn:\n%s\n%s", m.Describe(&s), seq.Describe(&one))
	}
	// The budget is spent: the restarts follow, one broker at a time.
	if got := correlatedActions(m, &s); len(got) != 0 {
		t.Errorf("with the budget spent, still enabled: %v", got)
	}
	s = steps(t, m, s, "detect 3", "detect 2", "detect 1", "restart 2")
	if s.Broker(2).Status != Up || s.Broker(1).Status != PowerLost {
		t.Errorf("broker 2 restarts alone: %s, %s", s.Broker(2).Status, s.Broker(1).Status)
	}
}

// What Kafka fsynced survives any power loss: with flush.messages=1 a
// correlated power loss has one choice, keeping every log whole.
func TestCorrelatedPowerLossKeepsFsynced(t *testing.T) {
	m := correlatedConfig(t, "flush.messages", "1")
	s := steps(t, m, m.Init()[0], "produce 1", "fetch 2", "produce 1")
	if got, want := correlatedActions(m, &s), []string{"power-loss-all keep 1:2 2:1 3:0"}; !slices.Equal(got, want) {
		t.Errorf("enabled %v, want %v", got, want)
	}
}

// Step says why a correlated power loss is not enabled.
func TestCorrelatedPowerLossRefused(t *testing.T) {
	m := correlatedConfig(t)
	s := steps(t, m, m.Init()[0], "produce 1", "crash 3")
	for text, why := range map[string]string{
		"power-loss-all keep 1:0 2:0 3:0": "every broker running or paused, {1,2}",
		"power-loss-all keep 1:0":         "every broker running or paused, {1,2}",
		"power-loss-all keep 1:2 2:0":     "broker 1: a power loss keeps at least what Kafka fsynced and at most the whole log",
		"power-loss-all keep 1:0 2:0 4:0": "the partition has brokers 1 to 3",
	} {
		a, err := ParseAction(text)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := m.Step(&s, a); err == nil || !strings.Contains(err.Error(), why) {
			t.Errorf("Step(%s) = %v, want an error saying %q", text, err, why)
		}
	}
	none := correlatedConfig(t, "electcheck.correlated.power.losses", "0")
	a, _ := ParseAction("power-loss-all keep 1:0 2:0 3:0")
	if _, err := none.Step(&s, a); err == nil || !strings.Contains(err.Error(), "--correlated-power-losses") {
		t.Errorf("without a budget: %v", err)
	}
}

func TestCorrelatedPowerLossText(t *testing.T) {
	a := Action{Kind: CorrelatedPowerLoss, Hit: Set(0).With(1).With(3), Keeps: [MaxReplicas]Offset{2, 0, 0}}
	if got := a.String(); got != "power-loss-all keep 1:2 3:0" {
		t.Errorf("text %q", got)
	}
	if back, err := ParseAction(a.String()); err != nil || back != a {
		t.Errorf("ParseAction(%q) = %v, %v", a, back, err)
	}
	for _, s := range []string{"power-loss-all", "power-loss-all keep", "power-loss-all 1", "power-loss-all keep 2:0 1:0",
		"power-loss-all keep 1:0 1:1", "power-loss-all keep 6:0", "power-loss-all keep 0:0", "power-loss-all keep 1:x", "power-loss-all keep 1:25", "power-loss-all keep 1"} {
		if a, err := ParseAction(s); err == nil {
			t.Errorf("ParseAction(%q) = %v", s, a)
		}
	}
}
