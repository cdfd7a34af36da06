package invariants_test

import (
	"math/rand/v2"
	"testing"

	"electcheck/invariants"
	"electcheck/model"
)

// Symmetry reduction is sound only if every property and witness gives the
// same answer on a state and on any renaming of its brokers.
func TestPropertiesAreSymmetric(t *testing.T) {
	const seed = 23
	r := rand.New(rand.NewPCG(seed, 9))
	cfg := model.DefaultConfig()
	cfg.AutoLeaderRebalance = false
	cfg.Bounds = model.Bounds{Records: 3, Crashes: 2, PowerLosses: 1, DiskLosses: 1, CleanShutdowns: 1, Pauses: 1, MaxLeaderEpoch: 4}
	for _, v := range []string{"4.1", "0.10"} {
		_ = cfg.Set("electcheck.kafka.version", v)
		_ = cfg.Set("unclean.leader.election.enable", "true")
		m, err := model.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		var acts []model.Action
		checked := 0
		for range 400 {
			s := m.Init()[0]
			for range 30 {
				var to [model.MaxReplicas + 1]model.BrokerID
				perm := r.Perm(3)
				for i := range 3 {
					to[i+1] = model.BrokerID(perm[i] + 1)
				}
				p := m.Permute(&s, to)
				for _, prop := range invariants.Properties() {
					if (prop.Check(m, &s) == nil) != (prop.Check(m, &p) == nil) {
						t.Fatalf("%s (seed %d): %s differs on a renamed state", v, seed, prop.Name)
					}
				}
				for _, w := range invariants.Witnesses() {
					if w.Reached(m, &s) != w.Reached(m, &p) {
						t.Fatalf("%s (seed %d): witness %s differs on a renamed state", v, seed, w.Name)
					}
				}
				checked++
				acts = m.Actions(&s, acts[:0])
				if len(acts) == 0 {
					break
				}
				s = m.Next(&s, acts[r.IntN(len(acts))])
			}
		}
		if checked < 5000 {
			t.Errorf("only %d states checked", checked)
		}
	}
}
