package risk

import (
	"testing"
)

// The scheduler's interval holds the uniform scheduler's figure, and is
// an interval: on RF 3 with unclean elections and two crashes, which
// replica the controller elects matters.
func TestSchedulerBounds(t *testing.T) {
	for _, c := range []struct {
		name     string
		settings []string
	}{
		{"RF 2, unclean", []string{"unclean.leader.election.enable=true"}},
		{"RF 3, min ISR 1, unclean", []string{"replication.factor=3", "unclean.leader.election.enable=true"}},
	} {
		cfg := small(t, c.settings...)
		a := analyze(t, cfg, crashesOnly(cfg))
		b, err := a.Bounds(Options{Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: p %.6g in [%.6g, %.6g]; %d states, %d choices", c.name, a.PLost, b.PLostMin, b.PLostMax, b.States, b.Choices)
		if !(b.PLostMin <= a.PLost*(1+1e-9) && a.PLost <= b.PLostMax*(1+1e-9)) {
			t.Errorf("%s: uniform p %g outside [%g, %g]", c.name, a.PLost, b.PLostMin, b.PLostMax)
		}
		// Pinned (value iteration: to 1e-6 relative).
		want := map[string][3]float64{"RF 2, unclean": {4.2645e-08, 4.2645e-08, 400}, "RF 3, min ISR 1, unclean": {2.21197e-14, 2.47732e-13, 20440}}[c.name]
		if !near(b.PLostMin, want[0], 1e-5) || !near(b.PLostMax, want[1], 1e-5) || b.States != int(want[2]) {
			t.Errorf("%s: [%.6g, %.6g], %d states; pinned [%g, %g], %g", c.name, b.PLostMin, b.PLostMax, b.States, want[0], want[1], want[2])
		}
	}
}
