package sweep

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"electcheck/checker/risk"
)

// A sweep measured by simulation (--method simulate) gives each cell the
// simulation's estimate and interval: on the small cells, the interval
// holds the exact P(loss) of the same cell measured exactly, the cells
// that lose data in their walks are LOSES COMMITTED, and the same seed
// gives the same figures whatever the number of workers; the text says
// the figures are estimates.
func TestSweepRiskSimulated(t *testing.T) {
	exact := runSweep(t, riskSweep(t), Options{})
	byKey := map[string]float64{}
	for _, c := range exact.Cells {
		byKey[strings.Join(c.Values, " ")] = c.Risk.PLoss
	}
	var figures [2][]float64
	for i, workers := range []int{1, 2} {
		sw := riskSweep(t)
		sw.Search.Workers = workers
		sw.Risk.Simulate = &risk.SimOptions{Runs: 20_000, Seed: 3, Confidence: 0.95, Bias: 0.5, StartBias: 0.5}
		rep := runSweep(t, sw, Options{})
		if rep.Risk.Method != "simulate" {
			t.Fatalf("method %q", rep.Risk.Method)
		}
		losing := 0
		for _, c := range rep.Cells {
			key := strings.Join(c.Values, " ")
			s, p := c.Risk.Simulation, byKey[key]
			if s == nil || c.Risk.Method != "simulate" {
				t.Fatalf("%s: no simulation", key)
			}
			figures[i] = append(figures[i], c.Risk.PLoss, c.Risk.PLossUpper, s.Low, s.High, c.Risk.Incident.MeanHours)
			if p > 0 && !(s.Low <= p && p <= s.High) {
				t.Errorf("%s: exact P(loss) %g outside the simulation's [%g, %g]", key, p, s.Low, s.High)
			}
			if p > 0 {
				losing++
				if c.Category != LosesCommitted || s.LostRuns == 0 {
					t.Errorf("%s: category %s, %d runs lost data; exact P(loss) %g", key, c.Category, s.LostRuns, p)
				}
			} else if c.Category == LosesCommitted {
				t.Errorf("%s: no loss exactly, but LOSES COMMITTED by simulation", key)
			}
		}
		if losing == 0 {
			t.Fatalf("no cell loses data: the interval was never put to the test")
		}
		var buf bytes.Buffer
		if err := rep.WriteText(&buf); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(buf.String(), "Measured by simulation") {
			t.Errorf("the text does not say the figures are estimates:\n%s", buf.String())
		}
	}
	if !slices.Equal(figures[0], figures[1]) {
		t.Errorf("one worker and two give different figures:\n%v\n%v", figures[0], figures[1])
	}
}
