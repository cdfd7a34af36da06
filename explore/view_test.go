package explore

import (
	"fmt"
	"testing"
)

// budget is a walk on 0..n whose states carry a hidden budget of jumps:
// step adds 1, jump adds 2 and spends the budget. Its view is the position
// alone, as a TLA+ VIEW that leaves out a counter: the first state found
// at a position is the one explored.
type budget struct{ n uint8 }

type walker struct{ X, Budget uint8 }

func (b budget) Init() []walker { return []walker{{0, 1}} }

func (b budget) Actions(w *walker, dst []int) []int {
	if w.X < b.n {
		dst = append(dst, 1)
	}
	if w.X+2 <= b.n && w.Budget > 0 {
		dst = append(dst, 2)
	}
	return dst
}

func (b budget) Next(w *walker, a int) walker {
	if a == 2 {
		return walker{w.X + 2, w.Budget - 1}
	}
	return walker{w.X + 1, w.Budget}
}

func (b budget) Encode(dst []byte, w *walker) []byte { return append(dst, w.X, w.Budget) }

func (b budget) Decode(p []byte) (walker, error) {
	if len(p) != 2 {
		return walker{}, fmt.Errorf("bad length %d", len(p))
	}
	return walker{p[0], p[1]}, nil
}

func (b budget) View(dst []byte, w *walker) []byte { return append(dst, w.X) }

// TestViewIdentity: positions are the states; position 2 is first reached
// by the jump (level 1), so it keeps no budget and its step reaches 3 at
// level 2; 4 follows at level 3. Generated: the initial state, 2 from 0,
// 2 from 1, 1 each from 2 and 3. The numbers do not depend on the
// workers, and the trace to 4 replays through the representatives.
func TestViewIdentity(t *testing.T) {
	spec := Spec[walker, int]{
		Model:      budget{4},
		Invariants: []Invariant[walker]{{Name: "below-4", Check: func(w *walker) error { return checkBelow(w, 4) }}},
	}
	for _, workers := range []int{1, 3} {
		res, err := Run(spec, Options{Workers: workers, KeepGoing: true})
		if err != nil {
			t.Fatal(err)
		}
		if res.Stats.Distinct != 5 || res.Stats.Generated != 7 || res.Stats.Depth != 4 {
			t.Errorf("workers %d: %d distinct, %d generated, depth %d; want 5, 7, 4", workers, res.Stats.Distinct, res.Stats.Generated, res.Stats.Depth)
		}
		if len(res.Violations) != 1 || len(res.Violations[0].Trace.States) != 4 || res.Violations[0].Trace.States[2] != (walker{3, 0}) {
			t.Errorf("workers %d: violations %+v", workers, res.Violations)
		}
	}
	states, edges, err := StateGraph[walker, int](budget{4}, nil, 100)
	if err != nil || len(states) != 5 || len(edges) != 6 || states[2] != (walker{2, 0}) {
		t.Errorf("state graph: %v, %d edges, %v", states, len(edges), err)
	}
}

func checkBelow(w *walker, n uint8) error {
	if w.X >= n {
		return fmt.Errorf("at %d", w.X)
	}
	return nil
}
