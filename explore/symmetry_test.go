package explore

import (
	"testing"
)

// symGrid is the grid with its symmetry: swapping X and Y.
type symGrid struct{ grid }

func (symGrid) Canonicalize(p *point) {
	if p.X > p.Y {
		p.X, p.Y = p.Y, p.X
	}
}

func TestSymmetryReducesAndKeepsVerdicts(t *testing.T) {
	const n = 12
	plain := gridSpec(n, 7)
	sym := gridSpec(n, 7)
	sym.Model = symGrid{grid{n}}
	for _, strat := range []Strategy{BFS, DFS} {
		a, err := Run(plain, Options{Strategy: strat, KeepGoing: true})
		if err != nil {
			t.Fatal(err)
		}
		b, err := Run(sym, Options{Strategy: strat, KeepGoing: true, Symmetry: true})
		if err != nil {
			t.Fatal(err)
		}
		if a.Verdict != b.Verdict || len(a.Violations) != len(b.Violations) {
			t.Fatalf("%v: verdicts differ", strat)
		}
		if strat == BFS && len(a.Violations[0].Trace.States) != len(b.Violations[0].Trace.States) {
			t.Errorf("shortest traces differ: %d and %d states", len(a.Violations[0].Trace.States), len(b.Violations[0].Trace.States))
		}
		// The trace is lifted to real states: it replays from the real
		// initial state.
		tr := b.Violations[0].Trace
		g := grid{n}
		s := g.Init()[0]
		for i, act := range tr.Actions {
			s = g.Next(&s, act)
			if s != tr.States[i+1] {
				t.Fatalf("%v: lifted step %d does not replay", strat, i+1)
			}
		}
	}
	// A complete search of the quotient: the points with X <= Y, by BFS
	// and DFS alike.
	for _, strat := range []Strategy{BFS, DFS} {
		c, err := Run(Spec[point, move]{Model: symGrid{grid{n}}}, Options{Symmetry: true, Strategy: strat})
		if err != nil {
			t.Fatal(err)
		}
		if want := int64((n + 1) * (n + 2) / 2); c.Stats.Distinct != want || !c.Complete {
			t.Errorf("%v: the quotient has %d states, want %d", strat, c.Stats.Distinct, want)
		}
	}
}

func TestSymmetryNeedsACanonicalizer(t *testing.T) {
	if _, err := Run(gridSpec(3, 100), Options{Symmetry: true}); err == nil {
		t.Error("a model without a symmetry was reduced")
	}
}
