package model

import (
	"slices"
	"testing"
)

// Eligible leader replicas can make an operator's unclean election lose
// data that Kafka before KIP-966 kept (found by risk: on 4.4, RF 2, min
// ISR 1, an operator enabling unclean election after 30 minutes offline,
// P(loss) is a millionth higher with ELR than without). The last leader
// crashes alone in the ISR; the operator enables unclean election; if the
// last leader restarts before the controller acts on that, then with ELR
// it registers after an unclean shutdown, leaves the ISR and the ELR
// (PartitionChangeBuilder's unclean-shutdown cleanup), and the enabled
// unclean election takes the lagging replica; without ELR it is still the
// ISR's last member and is elected cleanly.
func TestELRRestartUnderOperatorUnclean(t *testing.T) {
	for _, c := range []struct {
		elr  string
		want []string
	}{{"1", []string{"restart 1 elect 2"}}, {"0", []string{"restart 1 elect 1"}}} {
		cfg := DefaultConfig()
		for _, kv := range [][2]string{{"replication.factor", "2"}, {"min.insync.replicas", "1"}, {"electcheck.records", "2"},
			{"eligible.leader.replicas.version", c.elr}} {
			if err := cfg.Set(kv[0], kv[1]); err != nil {
				t.Fatal(err)
			}
		}
		cfg.OperatorMayEnableUnclean = true
		m, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		s := steps(t, m, m.Init()[0], "fetch 2", "crash 2", "produce 1", "produce 1", "detect 2", "metadata 1", "crash 1",
			"detect 1", "restart 2", "enable-unclean")
		var restarts []string
		for _, a := range m.Actions(&s, nil) {
			if a.Kind == Restart && a.Broker == 1 {
				restarts = append(restarts, a.String())
			}
		}
		if !slices.Equal(restarts, c.want) {
			t.Errorf("ELR %s: broker 1's restarts %v, want %v\n%s", c.elr, restarts, c.want, m.Describe(&s))
		}
		// Either way the controller may elect broker 2 first (the operator's
		// change applied to the offline partition): the race risk measures.
		if !slices.ContainsFunc(m.Actions(&s, nil), func(a Action) bool { return a.Kind == Elect && a.Broker == 2 }) {
			t.Errorf("ELR %s: the controller cannot elect broker 2 once unclean election is enabled", c.elr)
		}
	}
}
