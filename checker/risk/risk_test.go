package risk

import (
	"math"
	"strings"
	"testing"

	"electcheck/model"
)

// small is RF 2, min ISR 1, acks=all, one record, one crash an incident:
// a few hundred states, searched in milliseconds.
func small(tb testing.TB, settings ...string) model.Config {
	tb.Helper()
	cfg := model.DefaultConfig()
	kv := append([]string{"replication.factor=2", "min.insync.replicas=1", "electcheck.records=1", "electcheck.crashes=1"}, settings...)
	for _, s := range kv {
		k, v, _ := strings.Cut(s, "=")
		if err := cfg.Set(k, v); err != nil {
			tb.Fatal(err)
		}
	}
	return cfg
}

// crashesOnly are the default rates with every fault but the crash off.
func crashesOnly(cfg model.Config) Rates {
	r := DefaultRates(cfg)
	r.PowerLoss, r.DiskLoss, r.Pause, r.CleanShutdown, r.CorrelatedPowerLoss = 0, 0, 0, 0, 0
	return r
}

func analyze(tb testing.TB, cfg model.Config, r Rates) *Analysis {
	tb.Helper()
	a, err := Analyze(Request{Config: cfg, Rates: r, Horizon: hoursPerYear}, Options{Workers: 2, Symmetry: true})
	if err != nil {
		tb.Fatal(err)
	}
	return a
}

func near(got, want, rel float64) bool { return math.Abs(got-want) <= rel*math.Abs(want) }

// What the chain must give where the answer is known without it: one
// incident per crash (Λ = 2 crashes a year for two brokers); the
// partition offline, per incident, for half a detection (the leader is
// the one that crashed half the time, and the controller elects the
// in-sync follower once it notices); an incident as long as a restart and
// a detection; a second crash within it cut off with probability about
// its rate times its length. And the bridge to check: p = 0 exactly with
// clean elections, which check proves safe under one crash, and p > 0
// with unclean ones, where check finds committed data lost.
func TestRiskKnownFigures(t *testing.T) {
	clean := analyze(t, small(t), crashesOnly(small(t)))
	r := crashesOnly(small(t))
	if !near(clean.IncidentRate, 2*r.Crash, 1e-12) {
		t.Errorf("incident rate %g/h, want 2 crashes of %g/h", clean.IncidentRate, r.Crash)
	}
	if !near(clean.OfflineHours, r.Detect/2, 1e-3) {
		t.Errorf("offline %g h an incident, want half a detection, %g h", clean.OfflineHours, r.Detect/2)
	}
	if !near(clean.MeanHours, r.Restart+r.Detect, 1e-3) {
		t.Errorf("an incident lasts %g h, want a restart and a detection, %g h", clean.MeanHours, r.Restart+r.Detect)
	}
	if want := r.Crash * clean.MeanHours; !near(clean.PTruncated, want, 0.05) {
		t.Errorf("truncated %g, want about %g (a second crash within the incident)", clean.PTruncated, want)
	}
	if clean.PLost != 0 || clean.PStuck != 0 || !math.IsInf(clean.MTTDLYears(), 1) || clean.PLoss() != 0 {
		t.Errorf("clean elections: p %g, stuck %g, MTTDL %g, P(loss in a year) %g; check proves them safe", clean.PLost, clean.PStuck, clean.MTTDLYears(), clean.PLoss())
	}
	unclean := analyze(t, small(t, "unclean.leader.election.enable=true"), r)
	if !(unclean.PLost > 0) || !(unclean.PLoss() > 0) || math.IsInf(unclean.MTTDLYears(), 0) {
		t.Errorf("unclean elections: p %g, P(loss) %g, MTTDL %g; check finds committed data lost", unclean.PLost, unclean.PLoss(), unclean.MTTDLYears())
	}
	if unclean.PLoss() > unclean.PLossUpper() || !(clean.PLossUpper() > 0) {
		t.Errorf("P(loss) %g above its upper bound %g", unclean.PLoss(), unclean.PLossUpper())
	}
	if s := clean.PLost + clean.PHealed + clean.PTruncated + clean.PStuck; !near(s, 1, 1e-12) {
		t.Errorf("an incident's ends add up to %g", s)
	}
}

// More faults never make a loss less likely; unclean elections lose at
// least as often as clean ones and are offline no longer.
func TestRiskMonotone(t *testing.T) {
	cfgU := small(t, "unclean.leader.election.enable=true")
	prev := -1.0
	for _, perYear := range []float64{0.5, 1, 4} {
		r := crashesOnly(cfgU)
		r.Crash = perYear / hoursPerYear
		a := analyze(t, cfgU, r)
		if p := a.PLoss(); p < prev {
			t.Errorf("crash rate %g/yr: P(loss in a year) %g, below %g at a lower rate", perYear, p, prev)
		} else {
			prev = p
		}
	}
	cfgC := small(t)
	c, u := analyze(t, cfgC, crashesOnly(cfgC)), analyze(t, cfgU, crashesOnly(cfgU))
	if u.PLost < c.PLost || c.OfflineMinutesPerYear() < u.OfflineMinutesPerYear() {
		t.Errorf("unclean: p %g, offline %g min/yr; clean: p %g, offline %g min/yr", u.PLost, u.OfflineMinutesPerYear(), c.PLost, c.OfflineMinutesPerYear())
	}
}

// A request whose numbers cannot be is refused before any search.
func TestRiskValidate(t *testing.T) {
	cfg := small(t)
	for name, edit := range map[string]func(*Request){
		"power losses without a budget":            func(r *Request) { r.Rates.PowerLoss = 1 },
		"correlated power losses without a budget": func(r *Request) { r.Rates.CorrelatedPowerLoss = 1 },
		"no restart":            func(r *Request) { r.Rates.Restart = 0 },
		"no horizon":            func(r *Request) { r.Horizon = 0 },
		"no faults":             func(r *Request) { r.Rates.Crash = 0 },
		"negative produce rate": func(r *Request) { r.Rates.Produce = -1 },
	} {
		req := Request{Config: cfg, Rates: crashesOnly(cfg), Horizon: 1}
		edit(&req)
		if _, err := Analyze(req, Options{}); err == nil {
			t.Errorf("%s: analysed", name)
		}
	}
}

// A correlated power loss is one family for the whole partition: its
// rate is the cluster's, never multiplied by the brokers it takes down or
// by the keep choices it offers. With it the only fault, incidents start
// at exactly its rate, where the same rate of per-broker power losses on
// three brokers starts three times as many.
func TestRiskCorrelatedPowerLossRate(t *testing.T) {
	const perYear = 0.5
	correlated := small(t, "replication.factor=3", "min.insync.replicas=2", "electcheck.crashes=0", "electcheck.correlated.power.losses=1")
	r := crashesOnly(correlated)
	r.Crash, r.CorrelatedPowerLoss = 0, perYear/hoursPerYear
	if a := analyze(t, correlated, r); !near(a.IncidentRate, r.CorrelatedPowerLoss, 1e-12) {
		t.Errorf("incident rate %g/yr, want the correlated power loss's %g/yr", a.IncidentRate*hoursPerYear, perYear)
	}
	single := small(t, "replication.factor=3", "min.insync.replicas=2", "electcheck.crashes=0", "electcheck.power.losses=1")
	r = crashesOnly(single)
	r.Crash, r.PowerLoss = 0, perYear/hoursPerYear
	if a := analyze(t, single, r); !near(a.IncidentRate, 3*r.PowerLoss, 1e-12) {
		t.Errorf("incident rate %g/yr, want three brokers' power losses, %g/yr", a.IncidentRate*hoursPerYear, 3*perYear)
	}
	def := DefaultRates(correlated)
	if c := model.RateCorrelatedPowerLoss; !c.Fault() || c.String() != "correlated-power-loss" || def.Of(c) != 0.01/hoursPerYear {
		t.Errorf("class %s: fault %t, default rate %g/h", c, c.Fault(), def.Of(c))
	}
}

func TestParseRateAndDuration(t *testing.T) {
	for in, want := range map[string]float64{"1/yr": 1 / 8766.0, "2/day": 2 / 24.0, "3/h": 3, "6/min": 360, "0.5/s": 1800, "0/yr": 0} {
		if got, err := ParseRate(in); err != nil || !near(got, want, 1e-15) {
			t.Errorf("ParseRate(%q) = %g, %v; want %g", in, got, err, want)
		}
	}
	for _, bad := range []string{"1", "x/yr", "1/fortnight", "-1/yr", "NaN/h", "Inf/h", "1.7e308/s"} {
		if _, err := ParseRate(bad); err == nil {
			t.Errorf("ParseRate(%q) accepted", bad)
		}
	}
	for in, want := range map[string]float64{"10m": 1.0 / 6, "24h": 24, "7d": 168, "1y": 8766, "500ms": 0.5 / 3600} {
		if got, err := ParseDuration(in); err != nil || !near(got, want, 1e-12) {
			t.Errorf("ParseDuration(%q) = %g, %v; want %g", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "ten minutes", "-5m", "1w", "1e306y"} {
		if _, err := ParseDuration(bad); err == nil {
			t.Errorf("ParseDuration(%q) accepted", bad)
		}
	}
}

// The rate and duration readers take what users type: never a panic, and
// what they accept is a finite non-negative number.
func FuzzParseRate(f *testing.F) {
	for _, s := range []string{"1/yr", "0.1/day", "3/h", "1e-3/s", "/", "1/", "/yr", "10m", "1y", "7d", "-1h", "1e400/yr"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if r, err := ParseRate(s); err == nil && (r < 0 || math.IsNaN(r) || math.IsInf(r, 0)) {
			t.Errorf("ParseRate(%q) = %g", s, r)
		}
		if d, err := ParseDuration(s); err == nil && (d < 0 || math.IsNaN(d) || math.IsInf(d, 0)) {
			t.Errorf("ParseDuration(%q) = %g", s, d)
		}
	})
}
