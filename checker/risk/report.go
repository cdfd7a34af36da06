package risk

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"electcheck/checker"
)

// Report is what risk prints: the configuration, the rates, the figures
// per year and per incident, the chains' sizes and the most likely loss.
// Its JSON is a contract (docs/cli.md).
type Report struct {
	header checker.Header
	rates  Rates
	// schedulerLine replaces "uniform" in the header with --scheduler
	// min or max.
	schedulerLine string

	// Method is "exact" (the chains built and solved), "simulate" (the
	// figures are a simulation's estimates; Simulation has their
	// intervals) or "both" (exact figures, and a simulation beside).
	Method string `json:"method"`

	Model  string          `json:"model"`
	Config json.RawMessage `json:"config"`
	// Bounds are an incident's fault budgets and the model's bounds.
	Bounds       json.RawMessage `json:"bounds"`
	Rates        RatesJSON       `json:"rates"`
	HorizonHours float64         `json:"horizon_hours"`

	PLoss      float64 `json:"p_loss"`
	PLossUpper float64 `json:"p_loss_upper"`
	// MTTDLYears is null when no incident can lose committed data.
	MTTDLYears *float64 `json:"mttdl_years"`
	// The long-run figures are null when an incident can leave the
	// partition offline for good (incident.p_stuck > 0).
	OfflineMinutesPerYear *float64 `json:"offline_minutes_per_year"`
	RefusedMinutesPerYear *float64 `json:"refused_minutes_per_year"`

	Incident    IncidentJSON `json:"incident"`
	States      int          `json:"states"`
	Transitions int          `json:"transitions"`
	Chains      struct {
		FaultFree ChainJSON `json:"fault_free"`
		Incident  ChainJSON `json:"incident"`
	} `json:"chains"`
	LossPath *LossPathJSON `json:"loss_path"`
	// PLossMin and PLossMax are P(loss within the horizon) under the
	// schedulers that make a loss least and most likely (--scheduler min
	// or max; null with the uniform scheduler), and Scheduler their
	// decision process's size.
	PLossMin  *float64       `json:"p_loss_min,omitempty"`
	PLossMax  *float64       `json:"p_loss_max,omitempty"`
	Scheduler *SchedulerJSON `json:"scheduler,omitempty"`
	// Simulation is the simulation's estimates and intervals, with
	// --method simulate or both.
	Simulation     *SimJSON `json:"simulation,omitempty"`
	Residual       float64  `json:"residual"`
	ElapsedSeconds float64  `json:"elapsed_seconds"`

	path *LossPath
}

// RatesJSON is every rate in force: faults per broker per year (the
// correlated power loss per partition), durations in seconds, produce in
// records per second.
type RatesJSON struct {
	CrashPerYear         float64 `json:"crash_per_year"`
	PowerLossPerYear     float64 `json:"power_loss_per_year"`
	DiskLossPerYear      float64 `json:"disk_loss_per_year"`
	PausePerYear         float64 `json:"pause_per_year"`
	CleanShutdownPerYear float64 `json:"clean_shutdown_per_year"`
	// CorrelatedPowerLossPerYear is per partition (every broker at
	// once), not per broker.
	CorrelatedPowerLossPerYear float64 `json:"correlated_power_loss_per_year"`
	RestartSeconds             float64 `json:"restart_seconds"`
	DiskRepairSeconds          float64 `json:"disk_repair_seconds"`
	PauseSeconds               float64 `json:"pause_duration_seconds"`
	DetectSeconds              float64 `json:"detect_seconds"`
	LagTimeoutSeconds          float64 `json:"lag_timeout_seconds"`
	RTTSeconds                 float64 `json:"rtt_seconds"`
	RegisterSeconds            float64 `json:"register_seconds"`
	RebalanceSeconds           float64 `json:"rebalance_seconds"`
	// OperatorUncleanAfterSeconds is null when no operator steps in.
	OperatorUncleanAfterSeconds *float64 `json:"operator_unclean_after_seconds"`
	ProducePerSecond            float64  `json:"produce_per_second"`
	LateRequest                 float64  `json:"late_request"`
	LostResponse                float64  `json:"lost_response"`
	Scheduler                   string   `json:"scheduler"`
}

// IncidentJSON are the per-incident figures.
type IncidentJSON struct {
	RatePerYear  float64 `json:"rate_per_year"`
	PLoss        float64 `json:"p_loss"`
	PHealed      float64 `json:"p_healed"`
	PTruncated   float64 `json:"p_truncated"`
	PStuck       float64 `json:"p_stuck"`
	MeanHours    float64 `json:"mean_hours"`
	OfflineHours float64 `json:"offline_hours"`
	RefusedHours float64 `json:"refused_hours"`
}

// ChainJSON is a chain's size.
type ChainJSON struct {
	States      int `json:"states"`
	Transitions int `json:"transitions"`
}

// LossPathJSON describes the most likely loss path (its trace is written
// with --trace-out).
type LossPathJSON struct {
	Probability    float64  `json:"probability"`
	Share          float64  `json:"share"`
	FaultFreeSteps int      `json:"fault_free_steps"`
	IncidentSteps  int      `json:"incident_steps"`
	Actions        []string `json:"actions"`
	Message        string   `json:"message"`
}

// NewReport makes the report of an analysis: it finds the most likely
// loss path, if there is one.
func NewReport(a *Analysis, elapsed time.Duration) (*Report, error) {
	r, err := newReport(a.Request, "exact", elapsed)
	if err != nil {
		return nil, err
	}
	r.PLoss, r.PLossUpper, r.Residual = a.PLoss(), a.PLossUpper(), a.Residual
	if y := a.MTTDLYears(); !math.IsInf(y, 0) {
		r.MTTDLYears = &y
	}
	if a.PStuck == 0 {
		off, ref := a.OfflineMinutesPerYear(), a.RefusedMinutesPerYear()
		r.OfflineMinutesPerYear, r.RefusedMinutesPerYear = &off, &ref
	}
	r.Incident = IncidentJSON{RatePerYear: a.IncidentRate * hoursPerYear, PLoss: a.PLost, PHealed: a.PHealed, PTruncated: a.PTruncated,
		PStuck: a.PStuck, MeanHours: a.MeanHours, OfflineHours: a.OfflineHours, RefusedHours: a.RefusedHours}
	r.Chains.FaultFree = ChainJSON{a.FaultFree.States, a.FaultFree.Transitions}
	r.Chains.Incident = ChainJSON{a.Incident.States, a.Incident.Transitions}
	r.States, r.Transitions = a.FaultFree.States+a.Incident.States, a.FaultFree.Transitions+a.Incident.Transitions
	lp, err := a.MostLikelyLoss()
	if err != nil {
		return nil, err
	}
	if lp != nil {
		r.path = lp
		j := &LossPathJSON{Probability: lp.Probability, Share: lp.Share, FaultFreeSteps: lp.FaultFreeSteps,
			IncidentSteps: lp.IncidentSteps, Message: lp.File.Message}
		for _, s := range lp.File.Steps[1:] {
			j.Actions = append(j.Actions, s.Action)
		}
		r.LossPath = j
	}
	return r, nil
}

// newReport is what every report says of its request: the
// configuration, as a header and as JSON, the rates and the horizon.
func newReport(req Request, method string, elapsed time.Duration) (*Report, error) {
	r := &Report{header: checker.KafkaHeader(req.Config), rates: req.Rates, Method: method, Model: checker.ModelKafka,
		HorizonHours: req.Horizon, ElapsedSeconds: elapsed.Seconds(), Rates: ratesJSON(&req.Rates)}
	var err error
	if r.Config, err = json.Marshal(r.header.Config); err != nil {
		return nil, err
	}
	if r.Bounds, err = json.Marshal(r.header.Bounds); err != nil {
		return nil, err
	}
	return r, nil
}

// Path is the most likely loss path, or nil.
func (r *Report) Path() *LossPath { return r.path }

func ratesJSON(rt *Rates) RatesJSON {
	s := func(h float64) float64 { return h * 3600 }
	j := RatesJSON{
		CrashPerYear: rt.Crash * hoursPerYear, PowerLossPerYear: rt.PowerLoss * hoursPerYear, DiskLossPerYear: rt.DiskLoss * hoursPerYear,
		PausePerYear: rt.Pause * hoursPerYear, CleanShutdownPerYear: rt.CleanShutdown * hoursPerYear,
		CorrelatedPowerLossPerYear: rt.CorrelatedPowerLoss * hoursPerYear,
		RestartSeconds:             s(rt.Restart), DiskRepairSeconds: s(rt.DiskRepair), PauseSeconds: s(rt.PauseDuration), DetectSeconds: s(rt.Detect),
		LagTimeoutSeconds: s(rt.LagTimeout), RTTSeconds: s(rt.RTT), RegisterSeconds: s(rt.Register), RebalanceSeconds: s(rt.Rebalance),
		ProducePerSecond: rt.Produce / 3600, LateRequest: rt.LateRequest, LostResponse: rt.LostResponse, Scheduler: "uniform",
	}
	if rt.OperatorUncleanAfter > 0 {
		v := s(rt.OperatorUncleanAfter)
		j.OperatorUncleanAfterSeconds = &v
	}
	return j
}

// WriteJSON prints the report as one JSON object.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// RatesLine names every rate in force, as the flags take them.
func RatesLine(rt *Rates) string {
	faults := fmt.Sprintf("per broker: crash %s, power loss %s, disk loss %s, pause %s, clean shutdown %s; every broker at once: power loss %s",
		perYear(rt.Crash), perYear(rt.PowerLoss), perYear(rt.DiskLoss), perYear(rt.Pause), perYear(rt.CleanShutdown), perYear(rt.CorrelatedPowerLoss))
	repairs := fmt.Sprintf("restart %s, disk repair %s, pause duration %s", Duration(rt.Restart), Duration(rt.DiskRepair), Duration(rt.PauseDuration))
	timers := fmt.Sprintf("detect %s, lag timeout %s, register %s, rebalance %s, rtt %s", Duration(rt.Detect), Duration(rt.LagTimeout),
		Duration(rt.Register), Duration(rt.Rebalance), Duration(rt.RTT))
	op := "no operator"
	if rt.OperatorUncleanAfter > 0 {
		op = "an operator enables unclean election after " + Duration(rt.OperatorUncleanAfter) + " offline"
	}
	return fmt.Sprintf("%s; %s; %s; produce %s/s; late request %s, lost response %s; scheduler uniform; %s",
		faults, repairs, timers, num(rt.Produce/3600), num(rt.LateRequest), num(rt.LostResponse), op)
}

// perYear writes a rate per hour as N/yr.
func perYear(h float64) string { return num(h*hoursPerYear) + "/yr" }

// num writes a number in at most four significant digits.
func num(v float64) string { return strconv.FormatFloat(v, 'g', 4, 64) }

// Duration writes hours as a person would: 10m, 18s, 24h, 1ms, 2d.
func Duration(h float64) string {
	if h >= 48 && math.Mod(h, 24) == 0 {
		return strconv.FormatFloat(h/24, 'g', -1, 64) + "d"
	}
	d := time.Duration(math.Round(h * float64(time.Hour)))
	s := d.String()
	for _, z := range []string{"m0s", "h0m"} {
		if strings.HasSuffix(s, z) {
			s = strings.TrimSuffix(s, z[1:])
		}
	}
	return s
}

// Names for the horizon: "1 year", "30 days", "12h".
func horizonName(h float64) string {
	switch {
	case h == hoursPerYear:
		return "1 year"
	case math.Mod(h, hoursPerYear) == 0:
		return strconv.FormatFloat(h/hoursPerYear, 'g', -1, 64) + " years"
	}
	return Duration(h)
}
