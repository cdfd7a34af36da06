package model

import (
	"math/rand/v2"
	"sort"
	"testing"
)

// randomRenaming returns a random permutation of the movable brokers (the
// others map to themselves).
func randomRenaming(m *Model, r *rand.Rand) [MaxReplicas + 1]BrokerID {
	var to [MaxReplicas + 1]BrokerID
	for b := BrokerID(1); b <= m.rf; b++ {
		to[b] = b
	}
	movable := m.SymmetryGroup()
	perm := r.Perm(len(movable))
	for i, id := range movable {
		to[id] = movable[perm[i]]
	}
	return to
}

func renameAction(a Action, to [MaxReplicas + 1]BrokerID) Action {
	a.Broker, a.Target = to[a.Broker], to[a.Target]
	hit, keeps := a.Hit, a.Keeps
	a.Hit, a.Keeps = 0, [MaxReplicas]Offset{}
	for id := BrokerID(1); id <= MaxReplicas; id++ {
		if hit.Has(id) {
			a.Hit = a.Hit.With(to[id])
			a.Keeps[to[id]-1] = keeps[id-1]
		}
	}
	return a
}

func actionSet(acts []Action) []string {
	var out []string
	for _, a := range acts {
		out = append(out, a.String())
	}
	sort.Strings(out)
	return out
}

func TestSymmetryIsASymmetry(t *testing.T) {
	const seed = 11
	r := rand.New(rand.NewPCG(seed, 5))
	for name, cfg := range walkConfigs() {
		for _, rebalance := range []bool{false, true} {
			cfg.AutoLeaderRebalance = rebalance
			m, err := New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			if m.SymmetryGroup() == nil {
				continue
			}
			for _, s := range randomWalks(t, m, seed, 80, 40) {
				to := randomRenaming(m, r)
				p := m.Permute(&s, to)
				if err := m.CheckState(&p); err != nil {
					t.Fatalf("%s: a renamed state is inconsistent: %v", name, err)
				}
				// The transition relation commutes with the renaming.
				acts := m.Actions(&s, nil)
				var renamed []Action
				for _, a := range acts {
					renamed = append(renamed, renameAction(a, to))
				}
				if got, want := actionSet(m.Actions(&p, nil)), actionSet(renamed); len(got) != len(want) {
					t.Fatalf("%s (seed %d): %d actions enabled after renaming, %d before", name, seed, len(got), len(want))
				} else {
					for i := range got {
						if got[i] != want[i] {
							t.Fatalf("%s (seed %d): renamed actions differ: %s vs %s", name, seed, got[i], want[i])
						}
					}
				}
				for _, a := range acts {
					x := m.Next(&s, a)
					y := m.Next(&p, renameAction(a, to))
					if m.Permute(&x, to) != y {
						t.Fatalf("%s (seed %d): Next(%s) does not commute with renaming", name, seed, a)
					}
				}
				// Canonicalization is a function of the orbit, and idempotent.
				c1, c2 := s, p
				m.Canonicalize(&c1)
				m.Canonicalize(&c2)
				if c1 != c2 {
					t.Fatalf("%s (seed %d): two states of one orbit canonicalize differently:\n%s\n%s", name, seed, m.Describe(&c1), m.Describe(&c2))
				}
				c3 := c1
				m.Canonicalize(&c3)
				if c3 != c1 {
					t.Fatalf("%s: Canonicalize is not idempotent", name)
				}
			}
		}
	}
}

func TestSymmetryGroup(t *testing.T) {
	c := DefaultConfig()
	c.AutoLeaderRebalance = false
	m, _ := New(c)
	if g := m.SymmetryGroup(); len(g) != 3 {
		t.Errorf("without rebalance all three brokers are interchangeable, got %v", g)
	}
	c.AutoLeaderRebalance = true
	m, _ = New(c)
	if g := m.SymmetryGroup(); len(g) != 2 || g[0] != 2 || g[1] != 3 {
		t.Errorf("with rebalance the preferred replica 1 is fixed, got %v", g)
	}
	c.ReplicationFactor, c.MinInsyncReplicas = 2, 1
	m, _ = New(c)
	if g := m.SymmetryGroup(); g != nil {
		t.Errorf("RF 2 with a preferred replica has no symmetry, got %v", g)
	}
}
