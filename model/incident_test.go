package model

import (
	"slices"
	"testing"
)

// steps applies the actions, written as ParseAction reads them.
func steps(tb testing.TB, m *Model, s State, acts ...string) State {
	tb.Helper()
	for _, text := range acts {
		a, err := ParseAction(text)
		if err != nil {
			tb.Fatal(err)
		}
		if s, err = m.Step(&s, a); err != nil {
			tb.Fatal(err)
		}
	}
	return s
}

// A healthy partition is healed; it is quiescent once the batch is sent
// and everywhere; a crash ends both, and with the crash budget spent the
// other brokers' crashes are cut, not enabled.
func TestIncidentPredicates(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Bounds.Records, cfg.Bounds.Crashes = 1, 1
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	s := m.Init()[0]
	if !m.Healed(&s) || m.Quiescent(&s) {
		t.Errorf("initial state: healed %t, quiescent %t; want true, false (the batch is not sent)", m.Healed(&s), m.Quiescent(&s))
	}
	crashesCut := func(s *State) []string {
		var out []string
		for _, a := range m.Cut(s, nil) {
			if a.Kind == Crash {
				out = append(out, a.String())
			}
		}
		return out
	}
	if cut := crashesCut(&s); len(cut) != 0 {
		t.Errorf("initial state: crashes cut %v with the budget unspent", cut)
	}
	// Budgets of 0 (power losses, disk losses, ...) cut every such fault.
	if cut := m.Cut(&s, nil); len(cut) == 0 || cut[0].String() != "power-loss 1 keep 0" {
		t.Errorf("initial state: cut %v, want the power losses first", cut)
	}
	s = steps(t, m, s, "produce 1", "fetch 2", "fetch 3", "fetch 2", "fetch 3", "fetch 2", "fetch 3")
	if !m.Quiescent(&s) {
		t.Errorf("every replica has the record below its HW, but not quiescent:\n%s", m.Describe(&s))
	}
	s = steps(t, m, s, "crash 2")
	if m.Healed(&s) || m.Quiescent(&s) {
		t.Errorf("a broker is down, but healed %t, quiescent %t", m.Healed(&s), m.Quiescent(&s))
	}
	if cut, want := crashesCut(&s), []string{"crash 1", "crash 3"}; !slices.Equal(cut, want) {
		t.Errorf("with the crash budget spent, crashes cut %v, want %v", cut, want)
	}
	s = steps(t, m, s, "detect 2", "restart 2", "metadata 2", "fetch 2", "metadata 1", "fetch 2")
	if m.Healed(&s) {
		t.Errorf("broker 2 is back but not in the ISR, and healed")
	}
	s = steps(t, m, s, "expand-isr 1 2", "alter-partition 1")
	if !m.Healed(&s) {
		t.Errorf("broker 2 is back with the record, but not healed:\n%s", m.Describe(&s))
	}
}

// The leader-epoch bound cuts elections: with max leader epoch 0 the
// controller's election after a crash is cut, not enabled.
func TestIncidentEpochCut(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Bounds.Records, cfg.Bounds.Crashes, cfg.Bounds.MaxLeaderEpoch = 1, 1, 0
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	s := steps(t, m, m.Init()[0], "crash 1")
	var cut []string
	for _, a := range m.Cut(&s, nil) {
		cut = append(cut, a.String())
	}
	if !slices.Contains(cut, "detect 1 elect 2") || !slices.Contains(cut, "detect 1 elect 3") {
		t.Errorf("cut %v: want the elections of detect 1", cut)
	}
	for _, a := range m.Actions(&s, nil) {
		if a.Kind == Detect && a.Target != None {
			t.Errorf("%s is enabled past the epoch bound", a)
		}
	}
}

// Cut, which checks only where a spent budget or the epoch bound could
// cut, is the plain difference of the two models' actions (cutPlain) on
// random walks of every walk configuration, with the budgets as they are
// and cut down to one fault and epoch 1; the walks reach states where a
// budget cuts and where the epoch bound does.
func TestCutIsTheDifference(t *testing.T) {
	var byBudget, byEpoch int
	for name, cfg := range walkConfigs() {
		tight := cfg
		tight.Bounds.MaxLeaderEpoch = 1
		tight.Bounds.Crashes, tight.Bounds.Pauses, tight.Bounds.CleanShutdowns = 1, 1, 1
		for i, c := range []Config{cfg, tight} {
			m, err := New(c)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range randomWalks(t, m, uint64(i+1), 60, 30) {
				got, want := m.Cut(&s, nil), m.cutPlain(&s, nil)
				if !slices.Equal(got, want) {
					t.Fatalf("%s (bounds %+v): Cut %v, the difference %v, in\n%s", name, c.Bounds, got, want, m.Describe(&s))
				}
				for _, a := range got {
					if budgeted(a.Kind) {
						byBudget++
					} else {
						byEpoch++
					}
				}
			}
		}
	}
	if byBudget == 0 || byEpoch == 0 {
		t.Errorf("the walks reached %d cuts by a budget and %d by the epoch bound: want both", byBudget, byEpoch)
	}
	t.Logf("%d cuts by a budget, %d by the epoch bound", byBudget, byEpoch)
}
