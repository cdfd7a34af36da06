package explore

import (
	"reflect"
	"slices"
	"testing"
)

// Random walks on the grid: the same seed gives the same walks; a walk
// records where the invariant first failed, and stops there when told to.
func TestSimulate(t *testing.T) {
	spec := gridSpec(6, 5)
	run := func(stop bool) []Walk[point, move] {
		var out []Walk[point, move]
		st, err := Simulate(spec, SimOptions{Seed: 42, Walks: 200, MaxDepth: 6, StopAtViolation: stop}, func(w *Walk[point, move]) error {
			// The walk is reused after visit: keep a copy.
			c := *w
			c.Trace = Trace[point, move]{States: slices.Clone(w.Trace.States), Actions: slices.Clone(w.Trace.Actions)}
			out = append(out, c)
			return nil
		})
		if err != nil || st.Walks != 200 || len(out) != 200 {
			t.Fatalf("%v, %+v", err, st)
		}
		return out
	}
	a, b := run(false), run(false)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same seed gave other walks")
	}
	stopped := run(true)
	failed := 0
	for i, w := range a {
		if w.FailedAt < 0 {
			if w.Invariant != "" || !reflect.DeepEqual(w, stopped[i]) {
				t.Fatalf("walk %d: no failure, but %q, or a different walk when stopping", i, w.Invariant)
			}
			continue
		}
		failed++
		p := w.Trace.States[w.FailedAt]
		if int(p.X)+int(p.Y) < 5 || w.Invariant != "sum-below" {
			t.Errorf("walk %d failed at %+v", i, p)
		}
		if s := stopped[i]; len(s.Trace.Actions) != w.FailedAt || s.FailedAt != w.FailedAt {
			t.Errorf("walk %d: stopped after %d steps, failed at %d", i, len(s.Trace.Actions), w.FailedAt)
		}
	}
	if failed == 0 || failed == len(a) {
		t.Errorf("%d of %d walks failed: the test needs both", failed, len(a))
	}
}
