package markov

import (
	"testing"
	"time"
)

// The solves' speed in transitions a second, on a chain shaped like an
// incident chain (incidentLike: mostly forward, small cycles, stiff rates)
// of a million states: reachability, and expected time to absorption,
// each decomposing the chain itself, and each given a decomposition made
// once (as risk's six solves share one), and the decomposition alone.
// One goroutine: the figure is per core.
func BenchmarkSolve(b *testing.B) {
	c := incidentLike(b, 1_000_000)
	names := c.Names()
	lost, end := names.MustMask("lost"), names.MustMask("lost", "healed")
	// As risk solves: one decomposition for every solve (Options.SCCs).
	shared := &Options{Absorbing: end, SCCs: Decompose(c, end)}
	for _, bc := range []struct {
		name  string
		solve func() error
	}{
		{"reach", func() error { _, _, err := Reach(c, lost, nil); return err }},
		{"expected-time", func() error { _, _, err := ExpectedReward(c, end, Time, nil); return err }},
		{"decompose", func() error { Decompose(c, end); return nil }},
		{"reach-shared-sccs", func() error { _, _, err := Reach(c, lost, shared); return err }},
		{"expected-time-shared-sccs", func() error { _, _, err := ExpectedReward(c, end, Time, shared); return err }},
		{"most-likely-path", func() error {
			MostLikelyPath(c, 0, func(s uint32) bool { return c.Labels(s).Has(lost) })
			return nil
		}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			start := time.Now()
			for b.Loop() {
				if err := bc.solve(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(c.Transitions())*float64(b.N)/time.Since(start).Seconds()/1e6, "Mtransitions/s")
			b.ReportMetric(float64(c.Transitions()), "transitions")
		})
	}
}
