package sweep

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"

	"electcheck/checker"
	"electcheck/checker/risk"
	"electcheck/model"
)

// A measuring sweep (sweep --measure risk) puts numbers on each cell, as
// electcheck risk does: P(loss within the horizon) with its upper bound,
// the mean time to data loss, minutes a year offline and with writes
// refused. The same cells, cache and shards as a searching sweep; no cell
// is inferred from another (a number is not monotone in the bounds the
// way a verdict is).

// RiskMeasure says how a measuring sweep measures each cell.
type RiskMeasure struct {
	// Rates gives a cell's rates from its configuration: some defaults
	// are the release's timeouts, and a fault without a budget has none.
	Rates func(model.Config) (risk.Rates, error)
	// Horizon is the horizon of P(loss), in hours.
	Horizon float64
	// RatesLine names the rates for the report's header.
	RatesLine string
	// Scheduler is "uniform" (or ""), or "min" or "max": then each cell
	// also gets P(loss)'s interval over schedulers, and its headline
	// P(loss) is that end (risk --scheduler).
	Scheduler string
	// Simulate, if set, measures each cell by walking incidents instead of
	// solving its incident chain (risk --method simulate): estimates with
	// intervals, for cells whose chains are too big to build. Workers
	// and Context are the sweep's.
	Simulate *risk.SimOptions
}

// scheduler is the measure's scheduler, "uniform" when unset.
func (m *RiskMeasure) scheduler() string {
	if m.Scheduler == "" {
		return "uniform"
	}
	return m.Scheduler
}

// RiskSweep is what a measuring sweep's report says of it.
type RiskSweep struct {
	HorizonHours float64 `json:"horizon_hours"`
	Scheduler    string  `json:"scheduler"`
	Rates        string  `json:"rates"`
	// Method is "exact", or "simulate" (each cell's simulation is in its
	// report's simulation object).
	Method string `json:"method"`
}

// riskCell measures a cell, or takes it from the cache.
func (p *Plan) riskCell(c *Cell, cache *sweepCache, opts Options, r *runner) (*CellReport, bool, error) {
	cfg := c.Request.Kafka
	cfg.Consumer = false // it cannot change committed data (docs/risk.md)
	rates, err := p.Sweep.Risk.Rates(cfg)
	if err != nil {
		return nil, false, badf("cell %d (%s): %v", c.Index, p.cellName(c), err)
	}
	req := risk.Request{Config: cfg, Rates: rates, Horizon: p.Sweep.Risk.Horizon}
	if err := req.Validate(); err != nil {
		return nil, false, badf("cell %d (%s): %v", c.Index, p.cellName(c), err)
	}
	search := p.Sweep.Search
	var key string
	if cache != nil {
		var sim any
		if o := p.Sweep.Risk.Simulate; o != nil {
			sim = struct {
				Runs                        int
				Seed                        uint64
				Confidence, Bias, StartBias float64
			}{o.Runs, o.Seed, o.Confidence, o.Bias, o.StartBias}
		}
		rk, _ := json.Marshal(struct {
			Rates     any     `json:"rates"`
			Horizon   float64 `json:"horizon"`
			Scheduler string  `json:"scheduler,omitempty"`
			Simulate  any     `json:"simulate,omitempty"`
		}{rates, req.Horizon, map[bool]string{true: p.Sweep.Risk.scheduler()}[p.Sweep.Risk.scheduler() != "uniform"], sim})
		key = cache.key(&c.Request, &checker.Search{NoSymmetry: search.NoSymmetry}, "risk "+string(rk))
		if !opts.Refresh {
			if cc, ok := cache.get(key); ok && cc.Risk != nil {
				res, err := p.riskedCell(c, cc, opts)
				return res, true, err
			}
		}
	}
	// Each chain is built on the cell's share of the workers; a budget
	// that stops one makes the cell inconclusive (and uncached).
	budget := func(workers int, symmetry bool) risk.Options {
		return risk.Options{Workers: workers, Symmetry: symmetry, Context: opts.Context, MaxStates: search.MaxStates, MaxMemory: search.MaxMemory}
	}
	var inc *risk.Incomplete
	stopped := func(err error) (*CellReport, bool, error) {
		if errors.As(err, &inc) {
			res, err := p.riskedCell(c, &cachedCell{Report: riskJSON(nil, req, inc)}, opts)
			return res, false, err
		}
		return nil, false, fmt.Errorf("cell %d: %v", c.Index, err)
	}
	start := time.Now()
	if o := p.Sweep.Risk.Simulate; o != nil {
		var s *risk.SimResult
		if err := r.shared(func(workers int) (err error) {
			so := *o
			so.Workers, so.Context = workers, opts.Context
			s, err = risk.Simulate(req, so)
			return err
		}); err != nil {
			if opts.Context != nil && opts.Context.Err() != nil {
				return stopped(&risk.Incomplete{Reason: "interrupted"})
			}
			return stopped(err)
		}
		rep, err := risk.NewSimReport(req, s, time.Since(start))
		if err != nil {
			return nil, false, fmt.Errorf("cell %d: %v", c.Index, err)
		}
		return p.finishRiskCell(c, cache, key, opts, rep, req)
	}
	var a *risk.Analysis
	err = r.shared(func(workers int) (err error) {
		a, err = risk.Analyze(req, budget(workers, !search.NoSymmetry))
		return err
	})
	if err != nil {
		return stopped(err)
	}
	rep, err := risk.NewReport(a, time.Since(start))
	if err != nil {
		return nil, false, fmt.Errorf("cell %d: %v", c.Index, err)
	}
	if s := p.Sweep.Risk.scheduler(); s != "uniform" {
		var b *risk.SchedulerBounds
		if err := r.shared(func(workers int) (err error) {
			b, err = a.Bounds(budget(workers, false))
			return err
		}); err != nil {
			return stopped(err)
		}
		rep.SetScheduler(a, s, b)
	}
	return p.finishRiskCell(c, cache, key, opts, rep, req)
}

// finishRiskCell caches a measured cell and makes its row.
func (p *Plan) finishRiskCell(c *Cell, cache *sweepCache, key string, opts Options, rep *risk.Report, req risk.Request) (*CellReport, bool, error) {
	var err error
	cc := &cachedCell{Report: riskJSON(rep, req, nil), Risk: rep}
	if lp := rep.Path(); lp != nil {
		if cc.Trace, err = lp.File.Marshal(); err != nil {
			return nil, false, err
		}
	}
	if cache != nil {
		if err := cache.put(key, cc); err != nil {
			return nil, false, fmt.Errorf("cannot write the cache (use --no-cache, or --cache-dir): %v", err)
		}
	}
	res, err := p.riskedCell(c, cc, opts)
	return res, false, err
}

// riskedCell is a cell's row, from its (possibly cached) measurement.
func (p *Plan) riskedCell(c *Cell, cc *cachedCell, opts Options) (*CellReport, error) {
	r := &CellReport{JSONReport: cc.Report, Cell: c.Index, Values: p.Labels(c.Values), Risk: cc.Risk}
	r.Category = riskCategory(cc.Risk)
	p.nameTrace(c, r, cc, opts)
	return r, nil
}

// riskJSON is a measurement as the object check --format json prints:
// committed-offsets-preserved broken when an incident can lose data, the
// partition-offline witness when it can go offline; or, when a budget
// stopped a chain, inconclusive.
func riskJSON(rep *risk.Report, req risk.Request, inc *risk.Incomplete) checker.JSONReport {
	h := checker.KafkaHeader(req.Config)
	cfg, _ := json.Marshal(h.Config)
	bounds, _ := json.Marshal(h.Bounds)
	out := checker.JSONReport{
		Command: "risk", Model: checker.ModelKafka, Config: cfg, Bounds: bounds, Strategy: "bfs", Symmetry: "on",
		Properties: []string{"committed-offsets-preserved"}, Result: "ok", Complete: true, Workers: 1,
		Violations: []checker.JSONViolation{}, Witnesses: map[string]bool{}, WitnessDetails: []checker.JSONWitness{},
		Vacuous: []checker.Vacuity{}, Coverage: []checker.JSONCoverage{}, Warnings: []string{},
	}
	if inc != nil {
		out.Result, out.Complete, out.StopReason = "inconclusive", false, inc.Error()
		out.DistinctStates = inc.Stats.Distinct
		return out
	}
	out.DistinctStates, out.ElapsedSeconds = int64(rep.States), rep.ElapsedSeconds
	out.StopReason = fmt.Sprintf("risk: %s states in two chains, solved", checker.Commas(int64(rep.States)))
	if lp := rep.LossPath; lp != nil {
		out.Result = "violation"
		out.Violations = append(out.Violations, checker.JSONViolation{Property: "committed-offsets-preserved",
			Message: lp.Message, TraceLength: lp.FaultFreeSteps + lp.IncidentSteps + 1})
	}
	out.Witnesses["partition-offline"] = rep.Incident.OfflineHours > 0
	out.Witnesses["produce-refused"] = rep.Incident.RefusedHours > 0
	return out
}

// riskCategory is a measured cell's category: loses committed data when
// an incident can, else offline when the partition can be, else safe.
func riskCategory(rep *risk.Report) string {
	switch {
	case rep == nil:
		return Inconclusive
	case rep.LossPath != nil, rep.Simulation != nil && rep.Simulation.LostRuns > 0:
		return LosesCommitted // a loss path, or simulated incidents that lost data
	case rep.Incident.OfflineHours > 0:
		return GoesOffline
	}
	return Safe
}

// riskColumns are a measured cell's figures in the text and Markdown
// tables, after its outcome.
func (c *CellReport) riskColumns() []string {
	r := c.Risk
	if r == nil {
		return []string{"-", "-", "-", "-", "-", checker.Commas(c.DistinctStates)}
	}
	mttdl := "never"
	if r.MTTDLYears != nil {
		mttdl = sig(*r.MTTDLYears)
	}
	p := sig(r.PLoss)
	if r.PLossMin != nil {
		p += " [" + sig(*r.PLossMin) + ", " + sig(*r.PLossMax) + "]"
	}
	if s := r.Simulation; s != nil && r.Method == "simulate" {
		p += " [" + sig(s.Low) + ", " + sig(s.High) + "]" // the simulation's interval
	}
	return []string{p, sig(r.PLossUpper), mttdl, sigp(r.OfflineMinutesPerYear), sigp(r.RefusedMinutesPerYear), checker.Commas(int64(r.States))}
}

// riskHeader names riskColumns.
var riskHeader = []string{"P(loss)", "at most", "MTTDL (years)", "offline min/yr", "refused min/yr", "states"}

// riskLegend explains a measuring sweep's tables.
const riskLegend = "outcome: LOSES COMMITTED (an incident can lose committed data), offline (it cannot, but the\n" +
	"partition can be without a leader), safe (neither), INCONCLUSIVE (a budget stopped a chain).\n" +
	"P(loss): committed data lost within the horizon; at most: counting every incident the bounds cut\n" +
	"off as a loss; MTTDL: mean time to data loss; offline, refused: long-run minutes a year with no\n" +
	"leader and with acks=all writes refused (docs/risk.md).\n"

// riskSimLegend adds what a simulated measurement's figures are.
const riskSimLegend = "Measured by simulation (--method simulate): each figure is an estimate, P(loss) with its interval;\n" +
	"a cell whose walks lost nothing may still lose data, rarely.\n"

// riskCSVHeader is a measuring sweep's CSV columns after the axes.
var riskCSVHeader = []string{"category", "p_loss", "p_loss_upper", "mttdl_years", "offline_minutes_per_year", "refused_minutes_per_year",
	"incidents_per_year", "incident_p_loss", "incident_mean_hours", "states", "transitions", "seconds", "trace_file", "reason"}

// riskCSVRecord is a cell's CSV columns after the axes; numbers in full
// precision, empty where there is none.
func riskCSVRecord(c *CellReport) []string {
	r := c.Risk
	if r == nil {
		return []string{c.Category, "", "", "", "", "", "", "", "", strconv.FormatInt(c.DistinctStates, 10), "", "", "", c.StopReason}
	}
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	fp := func(v *float64) string {
		if v == nil {
			return ""
		}
		return f(*v)
	}
	return []string{c.Category, f(r.PLoss), f(r.PLossUpper), fp(r.MTTDLYears), fp(r.OfflineMinutesPerYear), fp(r.RefusedMinutesPerYear),
		f(r.Incident.RatePerYear), f(r.Incident.PLoss), f(r.Incident.MeanHours), strconv.Itoa(r.States), strconv.Itoa(r.Transitions),
		fmt.Sprintf("%.3f", r.ElapsedSeconds), c.TraceFile, ""}
}

func sig(v float64) string {
	if v == 0 {
		return "0"
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}

func sigp(v *float64) string {
	if v == nil {
		return "unbounded"
	}
	return sig(*v)
}

// DefaultRiskMeasure measures at risk's default rates: a fault whose
// budget is 0 in a cell is not modelled there, and a cell that lets an
// operator enable unclean election has one who does so after
// operatorAfter hours offline. It is what sweep --measure risk does with
// no rate flag given, and what the catalogue's trade-off page runs.
func DefaultRiskMeasure(operatorAfter float64) *RiskMeasure {
	return RiskMeasureWith(operatorAfter, func(*risk.Rates) {})
}

// RiskMeasureWith is DefaultRiskMeasure with the rates edited in every
// cell (a slower restart, say).
func RiskMeasureWith(operatorAfter float64, edit func(*risk.Rates)) *RiskMeasure {
	cfg := model.DefaultConfig()
	def := risk.DefaultRates(cfg)
	def.WithoutUnbudgeted(cfg.Bounds)
	def.OperatorUncleanAfter = operatorAfter
	edit(&def)
	return &RiskMeasure{Horizon: risk.HoursPerYear, Rates: func(cfg model.Config) (risk.Rates, error) {
		r := risk.DefaultRates(cfg)
		r.WithoutUnbudgeted(cfg.Bounds)
		if cfg.OperatorMayEnableUnclean {
			r.OperatorUncleanAfter = operatorAfter
		}
		edit(&r)
		return r, nil
	}, RatesLine: risk.RatesLine(&def) + " (in the cells that have one); a fault without a budget in a cell is not modelled there; detect, lag timeout and rebalance as each cell's release ships them"}
}

// riskFromCSV reads a measured cell's CSV columns after the axes back
// (riskCSVRecord): the figures the tables and the picture need.
func riskFromCSV(idx int, values, f []string) (*CellReport, *SkippedReport, error) {
	if len(f) != len(riskCSVHeader)+len(csvCheckedHeader) {
		return nil, nil, fmt.Errorf("%d columns after the axes, want %d", len(f), len(riskCSVHeader)+len(csvCheckedHeader))
	}
	category := f[0]
	if category == Skipped {
		return nil, &SkippedReport{Cell: idx, Values: values, Reason: f[13]}, nil
	}
	if _, ok := categoryOf(category); !ok {
		return nil, nil, fmt.Errorf("unknown category %q", category)
	}
	c := &CellReport{Cell: idx, Values: values, Category: category, TraceFile: f[12]}
	c.JSONReport = checker.JSONReport{Command: "risk", Model: checker.ModelKafka, Result: "ok", Complete: category != Inconclusive, StopReason: f[13],
		Properties: []string{"committed-offsets-preserved"}, Violations: []checker.JSONViolation{}, Witnesses: map[string]bool{},
		Config: checkedFromCSV(f[14:])}
	var err error
	if c.DistinctStates, err = strconv.ParseInt(f[9], 10, 64); err != nil {
		return nil, nil, fmt.Errorf("the state count %q is not a number", f[9])
	}
	if category == Inconclusive {
		c.Result = "inconclusive"
		return c, nil, nil
	}
	num := func(s string) (float64, error) {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(v) || v < 0 {
			return 0, fmt.Errorf("%q is not a non-negative number", s)
		}
		return v, nil
	}
	opt := func(s string) (*float64, error) {
		if s == "" {
			return nil, nil
		}
		v, err := num(s)
		return &v, err
	}
	rp := &risk.Report{}
	for _, x := range []struct {
		s  string
		to *float64
	}{{f[1], &rp.PLoss}, {f[2], &rp.PLossUpper}, {f[6], &rp.Incident.RatePerYear}, {f[7], &rp.Incident.PLoss},
		{f[8], &rp.Incident.MeanHours}, {f[11], &rp.ElapsedSeconds}} {
		if *x.to, err = num(x.s); err != nil {
			return nil, nil, err
		}
	}
	for _, x := range []struct {
		s  string
		to **float64
	}{{f[3], &rp.MTTDLYears}, {f[4], &rp.OfflineMinutesPerYear}, {f[5], &rp.RefusedMinutesPerYear}} {
		if *x.to, err = opt(x.s); err != nil {
			return nil, nil, err
		}
	}
	if rp.States, err = strconv.Atoi(f[9]); err != nil {
		return nil, nil, fmt.Errorf("the state count %q is not a number", f[9])
	}
	if rp.Transitions, err = strconv.Atoi(f[10]); err != nil {
		return nil, nil, fmt.Errorf("the transition count %q is not a number", f[10])
	}
	if rp.PLoss > 0 {
		c.Result = "violation"
		c.Violations = append(c.Violations, checker.JSONViolation{Property: "committed-offsets-preserved"})
		rp.LossPath = &risk.LossPathJSON{}
	}
	c.Risk = rp
	if riskCategory(rp) != category && category != GoesOffline && category != Safe {
		return nil, nil, fmt.Errorf("category %s does not match p_loss %s", category, f[1])
	}
	return c, nil, nil
}
