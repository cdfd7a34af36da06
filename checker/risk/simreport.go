package risk

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"electcheck/checker"
	"electcheck/history"
)

// SimJSON is a simulation in risk's report: the contract's estimate,
// low, high, confidence, runs and seed (P(loss within the horizon)),
// the per-incident intervals, and the whole result, which risk merge adds
// up across shards.
type SimJSON struct {
	Estimate   float64 `json:"estimate"`
	Low        float64 `json:"low"`
	High       float64 `json:"high"`
	Confidence float64 `json:"confidence"`
	Runs       int     `json:"runs"`
	Seed       uint64  `json:"seed"`
	// Method names p's interval: clopper-pearson (exact) or normal
	// (approximate, with biasing); Note says where an interval means
	// less than it seems.
	Method       string   `json:"method"`
	Note         string   `json:"note,omitempty"`
	Bias         float64  `json:"bias"`
	StartBias    float64  `json:"start_bias"`
	Shard        string   `json:"shard,omitempty"`
	IncidentLoss Interval `json:"incident_p_loss"`
	MeanHours    Interval `json:"mean_hours"`
	OfflineHours Interval `json:"offline_hours"`
	LostRuns     int64    `json:"lost_runs"`
	// Within says whether the exact figure lies in the interval (with
	// --method both).
	Within *bool `json:"exact_within,omitempty"`
	// Result is everything, and Request what was simulated, for risk
	// merge.
	Result  *SimResult   `json:"result"`
	Request *RequestJSON `json:"request"`
}

// RequestJSON is a request as a shard's report keeps it: the
// configuration as a trace file's settings, the rates, the horizon.
type RequestJSON struct {
	Settings map[string]string `json:"settings"`
	Rates    Rates             `json:"rates"`
	Horizon  float64           `json:"horizon_hours"`
}

// ReadReport reads a report risk --format json printed (a shard's, for
// risk merge). The error is one line.
func ReadReport(data []byte) (*Report, error) {
	var r Report
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("not a risk report in JSON: %s", strings.ReplaceAll(err.Error(), "\n", " "))
	}
	return &r, nil
}

// MergeReports adds up the reports of a simulation's shards (risk
// --method simulate --shard I/N --format json): the merge of every shard
// is exactly the report one unsharded run with the same seed prints
// (elapsed_seconds apart, the sum of the shards').
func MergeReports(parts []*Report) (*Report, error) {
	if len(parts) == 0 {
		return nil, fmt.Errorf("no reports to merge")
	}
	var sims []*SimResult
	elapsed := 0.0
	for i, p := range parts {
		if p.Method != "simulate" || p.Simulation == nil || p.Simulation.Result == nil || p.Simulation.Request == nil {
			return nil, fmt.Errorf("report %d is not a simulation's (risk --method simulate --shard I/N --format json)", i+1)
		}
		sims = append(sims, p.Simulation.Result)
		elapsed += p.ElapsedSeconds
	}
	merged, err := MergeSims(sims)
	if err != nil {
		return nil, err
	}
	if merged.Complete() {
		// Every shard: the simulation one run with the seed makes.
		merged.Shards, merged.Parts = 1, []int{0}
	}
	rj := parts[0].Simulation.Request
	req, err := checker.FromFile(&history.File{Model: checker.ModelKafka, Config: rj.Settings})
	if err != nil {
		return nil, fmt.Errorf("the shards' configuration: %v", err)
	}
	return NewSimReport(Request{Config: req.Kafka, Rates: rj.Rates, Horizon: rj.Horizon}, merged, time.Duration(elapsed*float64(time.Second)))
}

func simJSON(s *SimResult, horizon float64) *SimJSON {
	p := s.PLoss(horizon)
	j := &SimJSON{Estimate: p.Estimate, Low: p.Low, High: p.High, Confidence: s.Confidence, Runs: s.Runs, Seed: s.Seed,
		Method: s.Method, Note: s.Note, Bias: s.Bias, StartBias: s.StartBias, IncidentLoss: s.PLost, MeanHours: s.MeanHours,
		OfflineHours: s.OfflineHours, LostRuns: s.LostRuns, Result: s}
	if !s.Complete() {
		j.Shard = fmt.Sprintf("%v of %d", s.Parts, s.Shards)
	}
	return j
}

// AddSimulation puts a simulation beside the exact figures (--method
// both), saying whether the exact P(loss) lies in its interval.
func (r *Report) AddSimulation(s *SimResult) {
	r.Method = "both"
	r.Simulation = simJSON(s, r.HorizonHours)
	within := r.Simulation.Low <= r.PLoss && r.PLoss <= r.Simulation.High
	r.Simulation.Within = &within
}

// NewSimReport is the report of a simulation alone (--method simulate):
// the figures are its estimates, the intervals in Simulation.
func NewSimReport(req Request, s *SimResult, elapsed time.Duration) (*Report, error) {
	r, err := newReport(req, "simulate", elapsed)
	if err != nil {
		return nil, err
	}
	r.Simulation = simJSON(s, req.Horizon)
	r.Simulation.Request = &RequestJSON{Settings: r.header.FileConfig, Rates: req.Rates, Horizon: req.Horizon}
	n := renewal{rate: s.IncidentRate, mean: s.MeanHours.Estimate}
	p, trunc := s.PLost.Estimate, s.PTruncated.Estimate
	r.PLoss = r.Simulation.Estimate
	// The upper bound counts the truncated mass at its interval's high
	// end: a rare truncation the runs never met must not read as none.
	r.PLossUpper = n.pLoss(p+s.PTruncated.High, req.Horizon)
	if y := n.mttdlYears(p); !math.IsInf(y, 0) {
		r.MTTDLYears = &y
	}
	if s.StuckRuns == 0 {
		off, ref := n.minutesPerYear(s.OfflineHours.Estimate), n.minutesPerYear(s.RefusedHours.Estimate+s.FaultFreeRefused/s.IncidentRate)
		r.OfflineMinutesPerYear, r.RefusedMinutesPerYear = &off, &ref
	}
	r.Incident = IncidentJSON{RatePerYear: s.IncidentRate * hoursPerYear, PLoss: p, PTruncated: trunc,
		PStuck: float64(s.StuckRuns) / float64(max(s.Runs, 1)), MeanHours: s.MeanHours.Estimate, OfflineHours: s.OfflineHours.Estimate,
		RefusedHours: s.RefusedHours.Estimate}
	r.Incident.PHealed = math.Max(0, 1-p-trunc-r.Incident.PStuck)
	r.Chains.FaultFree = ChainJSON{s.FaultFreeStates, s.FaultFreeTransitions}
	r.States, r.Transitions = s.FaultFreeStates, s.FaultFreeTransitions
	return r, nil
}

// writeText prints the simulation's lines of the text report.
func (s *SimJSON) writeText(w io.Writer) {
	pct := 100 * s.Confidence
	fmt.Fprintf(w, "simulation (%s incidents, seed %d, bias %g, start bias %g; %g%% intervals, %s):\n",
		checker.Commas(int64(s.Runs)), s.Seed, s.Bias, s.StartBias, pct, s.Method)
	rows := [][2]string{
		{"P(committed data lost)", fmt.Sprintf("%s  [%s, %s]", figure(s.Estimate), figure(s.Low), figure(s.High))},
		{"an incident loses data", fmt.Sprintf("%s  [%s, %s]  (%d runs lost data)", figure(s.IncidentLoss.Estimate), figure(s.IncidentLoss.Low), figure(s.IncidentLoss.High), s.LostRuns)},
		{"an incident lasts (h)", fmt.Sprintf("%s  [%s, %s]", figure(s.MeanHours.Estimate), figure(s.MeanHours.Low), figure(s.MeanHours.High))},
		{"of which offline (h)", fmt.Sprintf("%s  [%s, %s]", figure(s.OfflineHours.Estimate), figure(s.OfflineHours.Low), figure(s.OfflineHours.High))},
	}
	if s.Within != nil {
		word := "inside"
		if !*s.Within {
			word = "OUTSIDE"
		}
		rows = append(rows, [2]string{"the exact P(loss)", word + " the interval"})
	}
	if s.Shard != "" {
		rows = append(rows, [2]string{"shards", s.Shard + ": merge them with electcheck risk merge"})
	}
	if s.Note != "" {
		rows = append(rows, [2]string{"note", s.Note})
	}
	table(w, rows)
}
