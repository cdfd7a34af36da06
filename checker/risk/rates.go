// Package risk puts numbers on the trade-off check can only say yes or no
// to: how likely a configuration is to lose committed data, how long its
// partition is offline, how long writes are refused. It builds the
// model's state graph with a rate on every action (a continuous-time
// Markov chain), one incident at a time, and solves it exactly
// (package markov). docs/risk.md is the method in Kafka's terms.
package risk

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"electcheck/model"
)

// Time in the chains is in hours: rates are per hour.
const (
	hoursPerYear   = 8766 // 365.25 days
	minutesPerYear = hoursPerYear * 60
)

// Rates are the rates of the actions' families (model.RateClass), per
// hour, and what they were derived from, for the report.
type Rates struct {
	// Per-broker fault rates, per hour. A fault whose budget is 0 is not
	// modelled and must have rate 0.
	Crash, PowerLoss, DiskLoss, Pause, CleanShutdown float64
	// CorrelatedPowerLoss is the rate, per hour, at which every broker of
	// the partition loses power at once (a rack or data-centre outage):
	// per cluster, not per broker. Like the others, 0 unless its budget
	// is positive.
	CorrelatedPowerLoss float64
	// Durations, in hours: a restart after a crash, power loss or clean
	// shutdown; a disk's replacement; a pause; the controller's session
	// timeout; replica.lag.time.max.ms; a protocol round trip; a fenced
	// running broker's next heartbeat; the rebalance interval; how long
	// an operator waits before enabling unclean leader election (0:
	// never).
	Restart, DiskRepair, PauseDuration, Detect, LagTimeout, RTT, Register, Rebalance, OperatorUncleanAfter float64
	// Produce is records per hour; LateRequest and LostResponse are the
	// probabilities that a metadata request arrives after a later one and
	// that a fetch response is lost.
	Produce, LateRequest, LostResponse float64
}

// DefaultRates are the rates risk uses unless told otherwise, for a
// configuration (its release's timeouts): docs/risk.md says where each
// comes from.
func DefaultRates(cfg model.Config) Rates {
	t := model.DefaultTimings(cfg)
	return Rates{
		Crash: 1.0 / hoursPerYear, PowerLoss: 0.1 / hoursPerYear, DiskLoss: 0.02 / hoursPerYear,
		Pause: 4.0 / hoursPerYear, CleanShutdown: 4.0 / hoursPerYear,
		// An assumption, not a measurement: a power event that takes
		// down every broker of one partition at once (its racks share a
		// feed, or it lives in one data centre) about once a century.
		// Placement across racks or zones makes it rarer; one rack or
		// one site without redundant power, far more frequent.
		CorrelatedPowerLoss: 0.01 / hoursPerYear,
		Restart:             hours(10 * time.Minute), DiskRepair: 24, PauseDuration: hours(time.Minute),
		Detect: ms(t.SessionTimeoutMs), LagTimeout: ms(t.LagTimeoutMs), RTT: hours(time.Millisecond),
		Register: hours(2 * time.Second), Rebalance: ms(t.RebalanceIntervalMs),
		Produce: 10 * 3600, LateRequest: 1e-3, LostResponse: 1e-4,
	}
}

// HoursPerYear is the year the rates and the horizon count in (365.25
// days).
const HoursPerYear = hoursPerYear

// WithoutUnbudgeted sets to 0 the rate of every fault whose budget is 0:
// a fault the incident may not hold is not modelled.
func (r *Rates) WithoutUnbudgeted(b model.Bounds) {
	for _, f := range []struct {
		rate *float64
		n    int
	}{{&r.Crash, b.Crashes}, {&r.PowerLoss, b.PowerLosses}, {&r.DiskLoss, b.DiskLosses}, {&r.Pause, b.Pauses}, {&r.CleanShutdown, b.CleanShutdowns},
		{&r.CorrelatedPowerLoss, b.CorrelatedPowerLosses}} {
		if f.n == 0 {
			*f.rate = 0
		}
	}
}

func hours(d time.Duration) float64 { return d.Hours() }

func ms(n int) float64 { return float64(n) / 3.6e6 }

// cutKinds are the kinds whose cut actions can carry probability: every
// kind but the faults whose rate is 0 (their share of the cut-off mass is
// 0, and finding them in every state is the build's dearest check).
func (r *Rates) cutKinds() model.KindSet {
	ks := model.AllKinds
	for k, rate := range map[model.Kind]float64{model.Crash: r.Crash, model.PowerLoss: r.PowerLoss, model.DiskLoss: r.DiskLoss,
		model.Pause: r.Pause, model.CleanShutdown: r.CleanShutdown, model.CorrelatedPowerLoss: r.CorrelatedPowerLoss} {
		if rate == 0 {
			ks = ks.Without(k)
		}
	}
	return ks
}

// Of is the rate of a family of class c, per hour.
func (r *Rates) Of(c model.RateClass) float64 {
	switch c {
	case model.RateProduce, model.RateConsume:
		return r.Produce
	case model.RateProtocol:
		return 1 / r.RTT
	case model.RateLostResponse:
		return r.LostResponse / r.RTT
	case model.RateLateMetadata:
		return r.LateRequest / r.RTT
	case model.RateLagTimeout:
		return 1 / r.LagTimeout
	case model.RateCrash:
		return r.Crash
	case model.RatePowerLoss:
		return r.PowerLoss
	case model.RateDiskLoss:
		return r.DiskLoss
	case model.RatePause:
		return r.Pause
	case model.RateCleanShutdown:
		return r.CleanShutdown
	case model.RateCorrelatedPowerLoss:
		return r.CorrelatedPowerLoss
	case model.RateDetect:
		return 1 / r.Detect
	case model.RateRestart:
		return 1 / r.Restart
	case model.RateDiskRepair:
		return 1 / r.DiskRepair
	case model.RateResume:
		return 1 / r.PauseDuration
	case model.RateRegister:
		return 1 / r.Register
	case model.RateRebalance:
		return 1 / r.Rebalance
	case model.RateOperator:
		if r.OperatorUncleanAfter == 0 {
			return 0
		}
		return 1 / r.OperatorUncleanAfter
	}
	return 0
}

// ParseRate reads a rate: "N/yr", "N/day", "N/h", "N/min" or "N/s" (per
// year, day, hour, minute, second), N a non-negative number; "1/yr" is
// once a year. It returns the rate per hour.
func ParseRate(s string) (float64, error) {
	num, unit, ok := strings.Cut(strings.TrimSpace(s), "/")
	if !ok {
		return 0, fmt.Errorf("%q is not a rate: write N/yr, N/day, N/h, N/min or N/s (1/yr is once a year)", s)
	}
	// Per unit, hours in it (a year, a day) or units in an hour (a
	// minute, a second): whole numbers either way, so 10/s is exactly
	// 36,000/h and 1/yr exactly the 1/8,766 DefaultRates uses.
	u := strings.ToLower(strings.TrimSpace(unit))
	per := map[string]float64{"yr": hoursPerYear, "y": hoursPerYear, "year": hoursPerYear, "day": 24, "d": 24, "h": 1, "hour": 1}[u]
	inHour := map[string]float64{"min": 60, "m": 60, "s": 3600, "sec": 3600}[u]
	if inHour > 0 {
		per = 1 / inHour
	}
	n, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	switch {
	case per == 0:
		return 0, fmt.Errorf("%q: unknown unit %q: write N/yr, N/day, N/h, N/min or N/s", s, unit)
	case err != nil || math.IsNaN(n) || math.IsInf(n, 0):
		return 0, fmt.Errorf("%q: %q is not a number: write N/yr, N/day, N/h, N/min or N/s", s, num)
	case n < 0:
		return 0, fmt.Errorf("%q: a rate cannot be negative", s)
	case math.IsInf(n/per, 0):
		return 0, fmt.Errorf("%q is too large a rate", s)
	}
	if inHour > 0 {
		return n * inHour, nil
	}
	return n / per, nil
}

// ParseDuration reads a duration as Go writes them (10m, 1h30m, 500ms),
// or with a day or year unit (24h = 1d, 1y = 365.25 days). It returns
// hours.
func ParseDuration(s string) (float64, error) {
	t := strings.TrimSpace(s)
	for _, u := range []struct {
		suffix string
		hours  float64
	}{{"d", 24}, {"y", hoursPerYear}, {"yr", hoursPerYear}} {
		if n, ok := strings.CutSuffix(t, u.suffix); ok {
			if v, err := strconv.ParseFloat(n, 64); err == nil && v >= 0 && !math.IsInf(v*u.hours, 0) {
				return v * u.hours, nil
			}
		}
	}
	d, err := time.ParseDuration(t)
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration: write 500ms, 10m, 24h, 7d or 1y", s)
	}
	if d < 0 {
		return 0, fmt.Errorf("%q: a duration cannot be negative", s)
	}
	return d.Hours(), nil
}
