package markov

import "testing"

// Solves of one chain may share one decomposition when they share their
// absorbing states (Options.Absorbing and SCCs): the same values as each
// decomposing on its own where the extra absorbing states have no
// transitions anyway; 0 where an absorbing state would have led on to the
// target; and an error for a decomposition made with other labels.
func TestSharedDecomposition(t *testing.T) {
	const goal, stop, side Labels = 1, 2, 4
	sp := spec{names: LabelNames{"goal", "stop", "side"}}
	// 0 -> {1, 2}; 1 <-> 0 (a cycle); 2 -> 3 (goal) or 4 (stop); 5 side,
	// which leads on to the goal, reached from 1.
	sp.add(0, Edge{To: 1, Rate: 1}, Edge{To: 2, Rate: 2})
	sp.add(0, Edge{To: 0, Rate: 3}, Edge{To: 5, Rate: 1})
	sp.add(0, Edge{To: 3, Rate: 1}, Edge{To: 4, Rate: 3})
	sp.add(goal)
	sp.add(stop)
	sp.add(side, Edge{To: 3, Rate: 1})
	c := sp.build(t)

	plain, _, err := Reach(c, goal, nil)
	if err != nil {
		t.Fatal(err)
	}
	d := Decompose(c, goal|stop)
	shared, _, err := Reach(c, goal, &Options{Absorbing: stop, SCCs: d})
	if err != nil {
		t.Fatal(err)
	}
	for s := range plain {
		near(t, "P(goal) with the shared SCCs", shared[s], plain[s], 1e-15)
	}
	hours, _, err := ExpectedReward(c, goal|stop, Time, &Options{SCCs: d})
	if err != nil {
		t.Fatal(err)
	}
	alone, _, _ := ExpectedReward(c, goal|stop, Time, nil)
	near(t, "time to absorption with the shared SCCs", hours[0], alone[0], 1e-15)

	// side made absorbing: what went through state 5 no longer counts.
	cut, _, err := Reach(c, goal, &Options{Absorbing: stop | side})
	if err != nil {
		t.Fatal(err)
	}
	if cut[5] != 0 || !(cut[0] < plain[0]) {
		t.Errorf("with side absorbing: P(goal) from 5 is %v (want 0), from 0 %v (want below %v)", cut[5], cut[0], plain[0])
	}
	if _, _, err := Reach(c, goal, &Options{SCCs: d}); err == nil {
		t.Errorf("Reach(goal) took SCCs decomposed with goal|stop absorbing: want an error")
	}
}
