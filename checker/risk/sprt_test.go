package risk

import (
	"reflect"
	"testing"
)

// The per-year figures of a simulation hold Analyze's.
func TestSimPerYear(t *testing.T) {
	c := likelyCase(t)
	a := analyze(t, c.cfg, c.rates)
	s := simulate(t, c, SimOptions{Runs: 20000, Seed: 5, Workers: 2})
	rate := a.PLost / a.renewal().cycle() * hoursPerYear
	if l := s.LossesPerYear(); !l.Contains(rate) {
		t.Errorf("losses a year %+v; Analyze: %g", l, rate)
	}
	if p := s.PLoss(a.Request.Horizon); !p.Contains(a.PLoss()) {
		t.Errorf("P(loss in a year) %+v; Analyze: %g", p, a.PLoss())
	}
}

// The sequential test decides "above" a target a quarter of the true
// rate and "below" one four times it, at the same run whatever the
// workers, and "undecided" when it may take too few runs.
func TestSPRT(t *testing.T) {
	c := likelyCase(t)
	a := analyze(t, c.cfg, c.rates)
	perYear := a.PLost * a.IncidentRate * hoursPerYear
	for _, x := range []struct {
		factor float64
		want   string
	}{{0.25, "above"}, {4, "below"}} {
		var first *SPRTResult
		for _, workers := range []int{1, 3} {
			r, err := SPRT(c.req(), SimOptions{Runs: 1e6, Seed: 11, Workers: workers}, x.factor*perYear)
			if err != nil {
				t.Fatal(err)
			}
			if r.Decision != x.want || r.Runs >= 1e6 {
				t.Errorf("target %g × the rate: %+v, want %s", x.factor, r, x.want)
			}
			if first == nil {
				first = r
				t.Logf("target %g × the rate: %s after %d runs (%d losses)", x.factor, r.Decision, r.Runs, r.Losses)
			} else if !reflect.DeepEqual(r, first) {
				t.Errorf("1 worker: %+v; 3: %+v", first, r)
			}
		}
	}
	r, err := SPRT(c.req(), SimOptions{Runs: 10, Seed: 11}, perYear)
	if err != nil || r.Decision != "undecided" || r.Runs != 10 {
		t.Errorf("10 runs at the true rate: %+v, %v", r, err)
	}
	for name, o := range map[string]SimOptions{"biased": {Runs: 10, Bias: 0.5}, "sharded": {Runs: 10, Shards: 2}} {
		if _, err := SPRT(c.req(), o, perYear); err == nil {
			t.Errorf("%s: tested", name)
		}
	}
	if _, err := SPRT(c.req(), SimOptions{Runs: 10}, 1e9); err == nil {
		t.Error("a target above one loss an incident was tested")
	}
}
