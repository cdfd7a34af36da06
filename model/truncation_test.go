package model

import "testing"

// divergence is the plain statement of where a follower's log stops
// agreeing with its leader's by leader epoch: the end of their longest
// common prefix of epochs (capped at the leader's LEO, as a fetch beyond it
// is out of range).
func divergence(follower, leader *Broker) Offset {
	n := min(follower.LEO, leader.LEO)
	for o := Offset(0); o < n; o++ {
		if follower.Log[o].Epoch != leader.Log[o].Epoch {
			return o
		}
	}
	return n
}

// From 2.1 the follower's epoch lookup (KIP-279, iterated, against a
// leader of its own epoch that cached its epoch at election) must land
// exactly where the plain definition says, on every reachable state where
// a follower may fetch.
func TestLookupMatchesDivergence(t *testing.T) {
	for _, name := range []string{"4.4 all faults", "4.4 without ELR", "3.4 KRaft, epoch bump on shrink", "2.7 ZooKeeper, AlterIsr"} {
		m, err := New(walkConfigs()[name])
		if err != nil {
			t.Fatal(err)
		}
		checked := 0
		for _, s := range randomWalks(t, m, 31, 300, 60) {
			for id := BrokerID(1); id <= m.rf; id++ {
				if m.checkFetch(&s, id) != "" {
					continue
				}
				f := s.Broker(id)
				l := s.Broker(f.Leader)
				if got, want := m.fetchStart(&s, id), divergence(f, l); got != want {
					t.Fatalf("%s: broker %d following %d: the lookup truncates to %d, the logs diverge at %d\n%s", name, id, f.Leader, got, want, m.Describe(&s))
				}
				checked++
			}
		}
		if checked < 1000 {
			t.Errorf("%s: only %d fetches checked", name, checked)
		}
	}
}
