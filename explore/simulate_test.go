package explore

import (
	"context"
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

// sampledModel names actions 0..n-1 in every state, of which those enabled
// says are enabled; a step goes to the state the action names.
type sampledModel struct {
	n       int
	enabled func(a int) bool
	checked int // Enabled calls
}

func (m *sampledModel) Init() []int { return []int{0} }
func (m *sampledModel) Actions(s *int, dst []int) []int {
	for a := range m.n {
		if m.enabled(a) {
			dst = append(dst, a)
		}
	}
	return dst
}
func (m *sampledModel) Next(s *int, a int) int           { return a }
func (m *sampledModel) Encode(dst []byte, s *int) []byte { return append(dst, byte(*s)) }
func (m *sampledModel) Decode(b []byte) (int, error)     { return int(b[0]), nil }
func (m *sampledModel) Candidates(s *int, dst []int) []int {
	for a := range m.n {
		dst = append(dst, a)
	}
	return dst
}
func (m *sampledModel) Enabled(s *int, a int) bool { m.checked++; return m.enabled(a) }

// A walk over a Sampler picks each enabled action about equally often,
// never a disabled one, checks fewer candidates than there are, and ends
// when no candidate is enabled.
func TestSimulateSamples(t *testing.T) {
	m := &sampledModel{n: 20, enabled: func(a int) bool { return a%4 == 1 }}
	const walks, depth = 2000, 10
	var count [20]int
	st, err := Simulate(Spec[int, int]{Model: m}, SimOptions{Seed: 3, Walks: walks, MaxDepth: depth}, func(w *Walk[int, int]) error {
		for _, a := range w.Trace.Actions {
			count[a]++
		}
		return nil
	})
	if err != nil || st.Steps != walks*depth {
		t.Fatalf("%v, %d steps", err, st.Steps)
	}
	for a, c := range count {
		switch {
		case a%4 != 1 && c != 0:
			t.Errorf("disabled action %d taken %d times", a, c)
		case a%4 == 1 && (c < walks*depth/5*9/10 || c > walks*depth/5*11/10):
			t.Errorf("action %d taken %d times of %d steps: not about a fifth", a, c, walks*depth)
		}
	}
	// Drawing without replacement until one of 5 in 20 is enabled checks
	// about 3.5 candidates a step (21/6), not 20.
	if perStep := float64(m.checked) / float64(st.Steps); perStep > 4 {
		t.Errorf("%.1f candidates checked a step", perStep)
	}
	m.enabled = func(int) bool { return false }
	st, err = Simulate(Spec[int, int]{Model: m}, SimOptions{Seed: 3, Walks: 5, MaxDepth: depth}, func(*Walk[int, int]) error { return nil })
	if err != nil || st.Steps != 0 || st.Walks != 5 {
		t.Errorf("with nothing enabled: %v, %+v", err, st)
	}
}

// SimulateEach folds the judgements in walk order whatever the number of
// workers, and a context that ends stops it after a prefix of the walks.
func TestSimulateEachOrdersJudgements(t *testing.T) {
	spec := gridSpec(6, 5)
	run := func(workers int, ctx context.Context) ([]int, SimStats) {
		var order []int
		judge := func(_ int, w *Walk[point, move]) (int, error) { return len(w.Trace.Actions)*1000 + w.Index, nil }
		fold := func(i int, r int) error {
			if r%1000 != i {
				t.Fatalf("walk %d folded with walk %d's judgement", i, r%1000)
			}
			order = append(order, r)
			return nil
		}
		st, err := SimulateEach(spec, SimOptions{Seed: 9, Walks: 300, MaxDepth: 8, Workers: workers, Context: ctx}, judge, fold)
		if err != nil {
			t.Fatal(err)
		}
		return order, st
	}
	one, st1 := run(1, nil)
	if len(one) != 300 || st1.Walks != 300 {
		t.Fatalf("%d walks folded of 300", len(one))
	}
	for _, w := range []int{2, 3, 8} {
		if got, st := run(w, nil); !reflect.DeepEqual(got, one) || st.Steps != st1.Steps {
			t.Errorf("%d workers fold otherwise than 1", w)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if got, st := run(4, ctx); len(got) != 0 || !st.Stopped {
		t.Errorf("a cancelled simulation folded %d walks, stopped %v", len(got), st.Stopped)
	}
}
