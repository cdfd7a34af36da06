package main

import (
	"fmt"
	"strconv"

	"github.com/spf13/pflag"

	"electcheck/checker/risk"
	"electcheck/model"
)

// rateFlags are risk's rates and durations, kept as typed until the
// configuration is known (some defaults are the release's timeouts).
type rateFlags struct {
	fs          *pflag.FlagSet
	faults      []faultRate
	times       []durationFlag
	produce     string
	late        float64
	lost        float64
	horizon     float64
	horizonText string
}

// faultRate is a fault rate (per broker, or with help per partition) and
// the budget that lets one incident hold that fault.
type faultRate struct {
	flag, budget string
	value        string
	field        func(*risk.Rates) *float64
	help         string // "" for a per-broker fault's
}

// durationFlag is a duration; def "" takes the release's default.
type durationFlag struct {
	flag, help string
	value      string
	field      func(*risk.Rates) *float64
	optional   bool // 0 allowed: it turns the thing off
}

func (f *rateFlags) define(c *command) {
	f.fs = c.fs
	def := risk.DefaultRates(model.DefaultConfig())
	f.faults = []faultRate{
		{flag: "crash-rate", budget: "crashes", field: func(r *risk.Rates) *float64 { return &r.Crash }},
		{flag: "power-loss-rate", budget: "power-losses", field: func(r *risk.Rates) *float64 { return &r.PowerLoss }},
		{flag: "disk-loss-rate", budget: "disk-losses", field: func(r *risk.Rates) *float64 { return &r.DiskLoss }},
		{flag: "pause-rate", budget: "pauses", field: func(r *risk.Rates) *float64 { return &r.Pause }},
		{flag: "clean-shutdown-rate", budget: "clean-shutdowns", field: func(r *risk.Rates) *float64 { return &r.CleanShutdown }},
		{flag: "correlated-power-loss-rate", budget: "correlated-power-losses", field: func(r *risk.Rates) *float64 { return &r.CorrelatedPowerLoss },
			help: "how often every broker of the partition loses power at once (a rack or data-centre outage), per partition, not per broker; the default is an assumption, about once a century"},
	}
	f.times = []durationFlag{
		{flag: "restart", help: "how long a broker takes to come back after a crash, power loss or clean shutdown", field: func(r *risk.Rates) *float64 { return &r.Restart }},
		{flag: "disk-repair", help: "how long a lost disk takes to replace", field: func(r *risk.Rates) *float64 { return &r.DiskRepair }},
		{flag: "pause-duration", help: "how long a pause (a long GC, a frozen VM) lasts", field: func(r *risk.Rates) *float64 { return &r.PauseDuration }},
		{flag: "detect", help: "how long the controller takes to notice a dead broker (default: the release's zookeeper.session.timeout.ms, or broker.session.timeout.ms under KRaft)", field: func(r *risk.Rates) *float64 { return &r.Detect }},
		{flag: "lag-timeout", help: "how long a silent follower stays in the ISR (default: the release's replica.lag.time.max.ms)", field: func(r *risk.Rates) *float64 { return &r.LagTimeout }},
		{flag: "rtt", help: "a protocol step: a fetch, a metadata request, a response", field: func(r *risk.Rates) *float64 { return &r.RTT }},
		{flag: "register", help: "how long a fenced running broker takes to register again (its next heartbeat)", field: func(r *risk.Rates) *float64 { return &r.Register }},
		{flag: "rebalance", help: "the preferred-leader rebalance interval (leader.imbalance.check.interval.seconds)", field: func(r *risk.Rates) *float64 { return &r.Rebalance }},
		{flag: "operator-unclean-after", help: "an operator enables unclean leader election once the partition has been offline this long (0: never)", optional: true,
			field: func(r *risk.Rates) *float64 { return &r.OperatorUncleanAfter }},
	}
	c.group("Rates (faults N/yr, N/day, N/h per broker unless said; durations 500ms, 10m, 24h, 7d, 1y)", func(fs *pflag.FlagSet) {
		for i := range f.faults {
			fr := &f.faults[i]
			help := fr.help
			if help == "" {
				help = "how often each broker has a " + fr.flag[:len(fr.flag)-len("-rate")]
			}
			fs.StringVar(&fr.value, fr.flag, perYearText(*fr.field(&def)),
				fmt.Sprintf("%s; modelled only when --%s is at least 1 (else 0 unless given)", help, fr.budget))
		}
		for i := range f.times {
			d := &f.times[i]
			v := ""
			switch d.flag {
			case "detect", "lag-timeout", "rebalance":
			case "operator-unclean-after":
				v = "0"
			default:
				v = risk.Duration(*d.field(&def))
			}
			fs.StringVar(&d.value, d.flag, v, d.help)
		}
		fs.StringVar(&f.produce, "produce-rate", "10/s", "records produced: N/s, N/min or N/h")
		fs.Float64Var(&f.late, "late-request", def.LateRequest, "the probability that a metadata request arrives after a later one")
		fs.Float64Var(&f.lost, "lost-response", def.LostResponse, "the probability that a fetch response is lost")
		fs.StringVar(&f.horizonText, "horizon", "1y", "the time within which P(loss) is given")
	})
}

// duration is the duration flag of that name.
func (f *rateFlags) duration(flag string) *durationFlag {
	for i := range f.times {
		if f.times[i].flag == flag {
			return &f.times[i]
		}
	}
	panic("no duration flag --" + flag)
}

func perYearText(perHour float64) string {
	return strconv.FormatFloat(perHour*8766, 'g', -1, 64) + "/yr"
}

// rates reads the flags for cfg: the release's timeouts where not given;
// a fault whose budget is 0 and whose rate was not given is not modelled.
func (f *rateFlags) rates(cfg model.Config) (risk.Rates, error) {
	r := risk.DefaultRates(cfg)
	budgets := map[string]int{"crashes": cfg.Bounds.Crashes, "power-losses": cfg.Bounds.PowerLosses, "disk-losses": cfg.Bounds.DiskLosses,
		"pauses": cfg.Bounds.Pauses, "clean-shutdowns": cfg.Bounds.CleanShutdowns, "correlated-power-losses": cfg.Bounds.CorrelatedPowerLosses}
	for _, fr := range f.faults {
		v, err := risk.ParseRate(fr.value)
		if err != nil {
			return r, usagef("--%s: %v", fr.flag, err)
		}
		if budgets[fr.budget] == 0 && !f.fs.Changed(fr.flag) {
			v = 0
		}
		*fr.field(&r) = v
	}
	for _, d := range f.times {
		if d.value == "" {
			continue // the release's default
		}
		v, err := risk.ParseDuration(d.value)
		if err != nil {
			return r, usagef("--%s: %v", d.flag, err)
		}
		if v == 0 && !d.optional {
			return r, usagef("--%s must be longer than 0: it is how long something takes", d.flag)
		}
		*d.field(&r) = v
	}
	p, err := risk.ParseRate(f.produce)
	if err != nil {
		return r, usagef("--produce-rate: %v", err)
	}
	if p == 0 {
		return r, usagef("--produce-rate must be above 0: without records there is nothing to lose")
	}
	r.Produce = p
	r.LateRequest, r.LostResponse = f.late, f.lost
	if f.horizon, err = risk.ParseDuration(f.horizonText); err != nil {
		return r, usagef("--horizon: %v", err)
	}
	if f.horizon == 0 {
		return r, usagef("--horizon must be longer than 0, such as 1y or 30d")
	}
	return r, nil
}
