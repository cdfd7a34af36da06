package sweep

import (
	"bytes"
	"encoding/json"

	"strings"
	"testing"

	"electcheck/checker/risk"
	"electcheck/model"
)

// riskSweep is a small measuring sweep: RF 2, min ISR 1, one record and
// one crash an incident, acks × unclean election.
func riskSweep(tb testing.TB) Sweep {
	tb.Helper()
	sw := sweepOf(tb, map[string]string{"replication.factor": "2", "min.insync.replicas": "1", "acks": "1,all",
		"unclean.leader.election.enable": "false,true", "electcheck.records": "1", "electcheck.crashes": "1"})
	sw.Risk = DefaultRiskMeasure(0.5)
	return sw
}

// A measuring sweep gives each cell risk's figures, the same as risk on
// that cell alone; cached, the same again; its CSV, JSON and picture
// carry them. Clean elections lose nothing here and unclean ones do.
func TestSweepRisk(t *testing.T) {
	dir := t.TempDir()
	rep := runSweep(t, riskSweep(t), Options{CacheDir: dir})
	if rep.Risk == nil || rep.Summary.Searched != 4 || rep.Summary.Inferred != 0 || !strings.Contains(rep.Risk.Rates, "crash 1/yr") {
		t.Fatalf("risk %+v, summary %+v", rep.Risk, rep.Summary)
	}
	for _, c := range rep.Cells {
		key := strings.Join(c.Values, " ")
		want := GoesOffline
		if strings.HasSuffix(key, "true") {
			want = LosesCommitted
		}
		if c.Risk == nil || c.Category != want || c.Command != "risk" {
			t.Fatalf("%s: category %s, want %s (risk %v)", key, c.Category, want, c.Risk != nil)
		}
		// The same figure as risk on the cell alone.
		var cell *Cell
		plan, _ := riskSweep(t).Plan()
		for i := range plan.Cells {
			if plan.Cells[i].Index == c.Cell {
				cell = &plan.Cells[i]
			}
		}
		cfg := cell.Request.Kafka
		cfg.Consumer = false
		rates, _ := DefaultRiskMeasure(0.5).Rates(cfg)
		a, err := risk.Analyze(risk.Request{Config: cfg, Rates: rates, Horizon: risk.HoursPerYear}, risk.Options{Workers: 1, Symmetry: true})
		if err != nil {
			t.Fatal(err)
		}
		if a.PLoss() != c.Risk.PLoss || a.OfflineMinutesPerYear() != *c.Risk.OfflineMinutesPerYear {
			t.Errorf("%s: sweep p %g offline %g; risk alone %g, %g", key, c.Risk.PLoss, *c.Risk.OfflineMinutesPerYear, a.PLoss(), a.OfflineMinutesPerYear())
		}
		if (c.Risk.PLoss > 0) != (want == LosesCommitted) || c.Risk.PLoss > c.Risk.PLossUpper {
			t.Errorf("%s: p %g, upper %g", key, c.Risk.PLoss, c.Risk.PLossUpper)
		}
	}
	again := runSweep(t, riskSweep(t), Options{CacheDir: dir})
	a, b := jsonOf(t, rep.WithoutTimings()), jsonOf(t, again.WithoutTimings())
	if a != b {
		t.Errorf("from the cache, the sweep reads otherwise")
	}
	back, err := ReadReport([]byte(a))
	if err != nil || back.Risk == nil || back.Cells[1].Risk == nil || back.Cells[1].Risk.PLoss != rep.Cells[1].Risk.PLoss {
		t.Errorf("the JSON does not read back: %v", err)
	}
	var csv bytes.Buffer
	if err := rep.WriteCSV(&csv); err != nil || !strings.Contains(csv.String(), "p_loss,p_loss_upper,mttdl_years,offline_minutes_per_year") {
		t.Errorf("CSV: %v\n%s", err, csv.String())
	}
	var text bytes.Buffer
	if err := rep.WriteText(&text); err != nil || !strings.Contains(text.String(), "P(loss)") || !strings.Contains(text.String(), "rates:") {
		t.Errorf("text: %v\n%s", err, text.String())
	}
	// The front: a point is on it exactly when no other is at least as
	// good on both figures and better on one; a clean cell (no loss) is.
	pts := rep.TradeoffPoints()
	cleanOnFront := false
	for i, p := range pts {
		dominated := false
		for j, q := range pts {
			if i != j && q.OfflineMinutes <= p.OfflineMinutes && q.PLoss <= p.PLoss && (q.OfflineMinutes < p.OfflineMinutes || q.PLoss < p.PLoss) {
				dominated = true
			}
		}
		if p.Front == dominated {
			t.Errorf("%s: on the front %t, dominated %t", p.Label, p.Front, dominated)
		}
		cleanOnFront = cleanOnFront || p.Front && p.PLoss == 0
	}
	if len(pts) != 4 || !cleanOnFront {
		t.Errorf("%d points, a clean one on the front: %t", len(pts), cleanOnFront)
	}
	var svg bytes.Buffer
	if err := rep.TradeoffPlot(&svg, "svg"); err != nil || !strings.Contains(svg.String(), "<svg") {
		t.Errorf("picture: %v", err)
	}
}

// A fault with a rate but no budget in a cell is refused, before any
// chain is built, naming the cell.
func TestSweepRiskRefusesUnbudgetedRates(t *testing.T) {
	sw := riskSweep(t)
	sw.Risk.Rates = func(cfgIn model.Config) (risk.Rates, error) {
		r := risk.DefaultRates(cfgIn)
		return r, nil // power losses at 0.1/yr, but no budget for them
	}
	plan, err := sw.Plan()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := plan.Run(Options{}); err == nil || !strings.Contains(err.Error(), "--power-loss-rate is positive but --power-losses is 0") {
		t.Errorf("err %v", err)
	}
}

func jsonOf(tb testing.TB, r *Report) string {
	tb.Helper()
	data, err := json.Marshal(r)
	if err != nil {
		tb.Fatal(err)
	}
	return string(data)
}

// A measuring sweep's CSV reads back to the same CSV and picture: the
// committed form of the trade-off page.
func TestSweepRiskCSVRoundTrip(t *testing.T) {
	sw := riskSweep(t)
	plan, rep := planAndRun(t, sw, Options{})
	first := render(t, rep.WithoutTimings(), "csv")
	back, err := ReadCSV([]byte(first), plan.NewReport(Shard{}))
	if err != nil {
		t.Fatal(err)
	}
	if again := render(t, back, "csv"); again != first {
		t.Errorf("read back, the CSV is\n%s\nnot\n%s", again, first)
	}
	var a, b bytes.Buffer
	if err := rep.WithoutTimings().TradeoffPlot(&a, "svg"); err != nil {
		t.Fatal(err)
	}
	if err := back.TradeoffPlot(&b, "svg"); err != nil || a.String() != b.String() {
		t.Errorf("the picture drawn from the CSV differs (%v)", err)
	}
}

// A measuring sweep's CSV reader never panics, and its errors are one
// line.
func FuzzReadRiskCSV(f *testing.F) {
	fuzzReadCSV(f, riskSweep(f), func(t *testing.T, r *Report) {
		var b bytes.Buffer
		_ = r.TradeoffPlot(&b, "svg")
	})
}

// A measuring sweep with --scheduler max gives each cell the interval
// over schedulers, its headline P(loss) the greatest, the uniform
// scheduler's inside it; the sweep's identity changes with it.
func TestSweepRiskScheduler(t *testing.T) {
	sw := riskSweep(t)
	uniform := runSweep(t, sw, Options{})
	sw.Risk.Scheduler = "max"
	rep := runSweep(t, sw, Options{})
	if rep.Risk.Scheduler != "max" || rep.SweepID == uniform.SweepID {
		t.Fatalf("scheduler %q, sweep %s (uniform's %s)", rep.Risk.Scheduler, rep.SweepID, uniform.SweepID)
	}
	for i, c := range rep.Cells {
		u := uniform.Cells[i].Risk
		r := c.Risk
		if r.PLossMin == nil || r.PLoss != *r.PLossMax || !(*r.PLossMin <= u.PLoss*(1+1e-9) && u.PLoss <= *r.PLossMax*(1+1e-9)) {
			t.Errorf("%v: uniform %g, max run %g in [%v, %v]", c.Values, u.PLoss, r.PLoss, r.PLossMin, r.PLossMax)
		}
	}
}
