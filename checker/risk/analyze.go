package risk

import (
	"context"
	"fmt"
	"math"
	"sync"

	"electcheck/explore"
	"electcheck/markov"
	"electcheck/model"
)

// Request is what to analyse: a configuration of the Kafka model, whose
// fault budgets bound the faults of one incident, the rates, and the
// horizon of the loss probability.
type Request struct {
	Config  model.Config
	Rates   Rates
	Horizon float64 // hours
}

// Options say how to search the chains.
type Options struct {
	Workers   int
	Symmetry  bool
	Context   context.Context
	MaxStates int64
	MaxMemory int64
	// Progress, if set, is called during each chain's search, with the
	// chain's name ("fault-free", "incident").
	Progress func(chain string, s explore.Stats)
}

// Analysis is what risk found: per incident, then per year.
type Analysis struct {
	Request Request
	// FaultFree and Incident are the two chains.
	FaultFree, Incident ChainInfo
	// IncidentRate is Λ, incidents per hour: the steady fault-free
	// operation's total fault rate.
	IncidentRate float64
	// Per incident: the probabilities that it ends losing committed data,
	// healed, cut off by a bound (truncated), or never (stuck: the
	// partition stays offline for good); its expected length after the
	// first fault, and the expected hours of it offline and with writes
	// refused.
	PLost, PHealed, PTruncated, PStuck    float64
	MeanHours, OfflineHours, RefusedHours float64
	// FaultFreeRefused is the fraction of fault-free time with writes
	// refused (a lag timeout shrank the ISR below min.insync.replicas).
	FaultFreeRefused float64
	// Residual is the largest error indicator of the solves (markov).
	Residual float64

	// What the loss path and the exports need: the two chains, their
	// models, and for each start of an incident the fault-free state and
	// the fault that began it.
	ff, inc  *builtChain
	ffModel  *chainModel
	incModel *chainModel
	starts   []startRef
	symmetry bool
}

// startRef is where an incident began: a fault-free state and a fault.
type startRef struct {
	ffID uint32
	act  model.Action
}

// ChainInfo describes a chain.
type ChainInfo struct {
	States, Transitions int
	Search              explore.Stats
}

// Validate refuses a request whose numbers cannot be: a fault with a rate
// but no budget (it would be cut off at once), a repair that never
// happens, a horizon of 0.
func (r *Request) Validate() error {
	b := &r.Config.Bounds
	rt := &r.Rates
	for _, f := range []struct {
		name, budget string
		rate         float64
		n            int
	}{
		{"--crash-rate", "--crashes", rt.Crash, b.Crashes},
		{"--power-loss-rate", "--power-losses", rt.PowerLoss, b.PowerLosses},
		{"--disk-loss-rate", "--disk-losses", rt.DiskLoss, b.DiskLosses},
		{"--pause-rate", "--pauses", rt.Pause, b.Pauses},
		{"--clean-shutdown-rate", "--clean-shutdowns", rt.CleanShutdown, b.CleanShutdowns},
		{"--correlated-power-loss-rate", "--correlated-power-losses", rt.CorrelatedPowerLoss, b.CorrelatedPowerLosses},
	} {
		if f.rate > 0 && f.n == 0 {
			return fmt.Errorf("%s is positive but %s is 0: give %s 1 (or more) to model those faults, or %s 0/yr", f.name, f.budget, f.budget, f.name)
		}
	}
	for _, d := range []struct {
		name string
		v    float64
	}{{"--restart", rt.Restart}, {"--disk-repair", rt.DiskRepair}, {"--pause-duration", rt.PauseDuration}, {"--detect", rt.Detect},
		{"--lag-timeout", rt.LagTimeout}, {"--rtt", rt.RTT}, {"--register", rt.Register}, {"--rebalance", rt.Rebalance}} {
		if !(d.v > 0) || math.IsInf(d.v, 0) {
			return fmt.Errorf("%s must be a positive duration", d.name)
		}
	}
	switch {
	case !(rt.Produce > 0) || math.IsInf(rt.Produce, 0):
		return fmt.Errorf("--produce-rate must be positive")
	case rt.LateRequest < 0 || rt.LateRequest > 1 || rt.LostResponse < 0 || rt.LostResponse > 1:
		return fmt.Errorf("--late-request and --lost-response are probabilities, from 0 to 1")
	case !(r.Horizon > 0) || math.IsInf(r.Horizon, 0):
		return fmt.Errorf("--horizon must be a positive duration (1y, 30d)")
	case rt.Crash+rt.PowerLoss+rt.DiskLoss+rt.Pause+rt.CleanShutdown+rt.CorrelatedPowerLoss == 0:
		return fmt.Errorf("every fault rate is 0: nothing can ever go wrong, so there is nothing to measure")
	case r.Config.OperatorMayEnableUnclean && !r.Config.UncleanLeaderElection && rt.OperatorUncleanAfter == 0:
		return fmt.Errorf("--operator-may-enable-unclean needs a time: give --operator-unclean-after (such as 30m), how long the operator waits once the partition is offline")
	}
	return nil
}

// Analyze builds the fault-free chain, starts incidents from its steady
// state, builds the incident chain and solves it.
func Analyze(req Request, opts Options) (*Analysis, error) {
	a, err := faultFree(req, opts)
	if err != nil {
		return nil, err
	}
	mInc := a.incModel.m
	ic, err := build(a.incModel, incidentLabels, []func(*rstate) bool{tagLabel(startState), tagLabel(lostState), tagLabel(healedState),
		tagLabel(truncatedState), offlineLabel, refusedLabel(mInc)}, false, opts, stage(opts.Progress, "incident"))
	if err != nil {
		return nil, err
	}
	a.inc = ic
	a.Incident = ChainInfo{States: ic.chain.N(), Transitions: ic.chain.Transitions(), Search: ic.stats}
	return a, a.solve(ic.chain, opts.Workers)
}

// faultFree is what Analyze and Simulate share: the fault-free chain,
// its steady state, and from it the incidents' start distribution
// (a.incModel's starts and startWeights) and rate.
func faultFree(req Request, opts Options) (*Analysis, error) {
	if err := req.Validate(); err != nil {
		return nil, err
	}
	// An operator who steps in is the model's enable-unclean action,
	// which the chains give its rate only while the partition is offline;
	// with unclean elections on already there is nothing to step in for.
	if req.Config.UncleanLeaderElection {
		req.Config.OperatorMayEnableUnclean, req.Rates.OperatorUncleanAfter = false, 0
	} else if req.Rates.OperatorUncleanAfter > 0 {
		req.Config.OperatorMayEnableUnclean = true
	}
	// One model for both chains: the fault-free chain is the incident
	// model with its faults left out (chainModel.Actions), not a model
	// with fault budgets of 0, whose states would differ in what a fault
	// could later reveal (with no power loss left, every log counts as
	// fsynced, so an incident's power loss would lose nothing).
	mInc, err := model.New(req.Config)
	if err != nil {
		return nil, err
	}
	a := &Analysis{Request: req, symmetry: opts.Symmetry}
	mFF := mInc
	a.ffModel = &chainModel{m: mFF, rates: &req.Rates}
	ff, err := build(a.ffModel, faultFreeLabels,
		[]func(*rstate) bool{refusedLabel(mFF)}, true, opts, stage(opts.Progress, "fault-free"))
	if err != nil {
		return nil, err
	}
	a.ff = ff
	a.FaultFree = ChainInfo{States: ff.chain.N(), Transitions: ff.chain.Transitions(), Search: ff.stats}
	pi, res, err := markov.Steady(ff.chain, markov.Point(ff.chain.N(), 0), nil)
	if err != nil {
		return nil, err
	}
	a.Residual = res.Max
	inc := &chainModel{m: mInc, rates: &req.Rates, incident: true, cutKinds: req.Rates.cutKinds()}
	a.incModel = inc
	if err := a.startIncidents(inc, mFF, ff, pi); err != nil {
		return nil, err
	}
	return a, nil
}

// stage names the chain in progress reports.
func stage(p func(string, explore.Stats), name string) func(explore.Stats) {
	if p == nil {
		return nil
	}
	return func(s explore.Stats) { p(name, s) }
}

// startIncidents sets the incident chain's start: from every fault-free
// state, weighted by its long-run probability, every fault the incident
// budgets allow, at its rate (a family's rate split among its members).
func (a *Analysis) startIncidents(inc *chainModel, mFF *model.Model, ff *builtChain, pi []float64) error {
	refused := ff.chain.Names().MustMask("refused")
	var acts []model.Action
	for id, p := range pi {
		if p == 0 {
			continue
		}
		var r rstate
		if err := (&chainModel{m: mFF}).DecodeInto(&r, ff.encs[id]); err != nil {
			return err
		}
		if ff.chain.Labels(uint32(id)).Has(refused) {
			a.FaultFreeRefused += p
		}
		members := inc.members(&r.s)
		acts = inc.m.Actions(&r.s, acts[:0])
		for _, act := range acts {
			f := inc.m.FamilyOf(&r.s, act)
			rate := inc.rates.Of(f.Class)
			if !f.Class.Fault() || rate == 0 {
				continue
			}
			w := p * rate / members.of(f)
			inc.starts = append(inc.starts, inc.m.Next(&r.s, act))
			a.starts = append(a.starts, startRef{ffID: uint32(id), act: act})
			inc.startWeights = append(inc.startWeights, w)
			a.IncidentRate += w
		}
	}
	if a.IncidentRate == 0 {
		return fmt.Errorf("risk: no fault can happen in fault-free operation")
	}
	return nil
}

// solve reads the per-incident figures off the incident chain, from its
// start state (state 0): the time reward leaves that state out (its
// sojourn is the fault-free time before the first fault), so the values
// are per incident, without subtracting 1/Λ from a larger number.
func (a *Analysis) solve(c *markov.Chain, workers int) error {
	names := c.Names()
	lost, healed, trunc := names.MustMask("lost"), names.MustMask("healed"), names.MustMask("truncated")
	absorbing := lost | healed | trunc
	// Six independent solves, each sequential and so the same bits
	// whatever runs beside it: up to workers at once. They share one
	// decomposition: the ends of an incident are absorbing in every one.
	shared := &markov.Options{Absorbing: absorbing, SCCs: markov.Decompose(c, absorbing)}
	type solveJob struct {
		reach  markov.Labels        // a reachability target, or
		reward func(uint32) float64 // an expected reward until absorbed
		into   *float64
		res    markov.Residual
		err    error
	}
	jobs := []*solveJob{{reach: lost, into: &a.PLost}, {reach: healed, into: &a.PHealed}, {reach: trunc, into: &a.PTruncated},
		{reward: incidentTime, into: &a.MeanHours}, {reward: markov.Indicator(c, names.MustMask("offline")), into: &a.OfflineHours},
		{reward: markov.Indicator(c, names.MustMask("refused")), into: &a.RefusedHours}}
	sem := make(chan struct{}, max(1, workers))
	var wg sync.WaitGroup
	for _, j := range jobs {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			var v []float64
			if j.reward == nil {
				v, j.res, j.err = markov.Reach(c, j.reach, shared)
			} else {
				v, j.res, j.err = markov.ExpectedReward(c, absorbing, j.reward, shared)
			}
			if j.err == nil {
				*j.into = v[0]
			}
		})
	}
	wg.Wait()
	for _, j := range jobs {
		if j.err != nil {
			return j.err
		}
		a.Residual = math.Max(a.Residual, j.res.Max)
	}
	// An incident that never ends leaves the partition offline for good:
	// its expected length is infinite. Where it is finite, every incident
	// ends, and 1 − (lost + healed + truncated) is rounding.
	if math.IsInf(a.MeanHours, 1) {
		a.PStuck = math.Max(0, 1-a.PLost-a.PHealed-a.PTruncated)
	}
	return nil
}

// MTTDLYears is the mean time to a loss of committed data, in years:
// (1/Λ + D) / p.
func (a *Analysis) MTTDLYears() float64 { return a.renewal().mttdlYears(a.PLost) }

// renewal is the analysis's cycle: fault-free time, then an incident.
func (a *Analysis) renewal() renewal { return renewal{rate: a.IncidentRate, mean: a.MeanHours} }

// PLoss is the probability of losing committed data within the horizon;
// PLossUpper counts every truncated incident as a loss.
func (a *Analysis) PLoss() float64 { return a.renewal().pLoss(a.PLost, a.Request.Horizon) }

func (a *Analysis) PLossUpper() float64 {
	return a.renewal().pLoss(a.PLost+a.PTruncated, a.Request.Horizon)
}

// OfflineMinutesPerYear and RefusedMinutesPerYear are the long-run
// fractions of time offline and with acks=all writes refused, in minutes a
// year.
func (a *Analysis) OfflineMinutesPerYear() float64 { return a.renewal().minutesPerYear(a.OfflineHours) }

func (a *Analysis) RefusedMinutesPerYear() float64 {
	return a.renewal().minutesPerYear(a.RefusedHours + a.FaultFreeRefused/a.IncidentRate)
}
