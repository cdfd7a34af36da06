package risk

import "math"

// renewal is the regenerative arithmetic that turns per-incident figures
// into per-year ones (risk.md): a cycle is fault-free time, 1/Λ on
// average, then an incident of mean length D. The exact analysis, the
// scheduler's interval and the simulation all read their yearly figures
// through it.
type renewal struct {
	rate float64 // Λ, incidents per hour
	mean float64 // D, an incident's mean hours
}

// cycle is the mean hours of one cycle.
func (n renewal) cycle() float64 { return 1/n.rate + n.mean }

// pLoss is the probability of a loss within horizon hours when an
// incident loses data with probability p.
func (n renewal) pLoss(p, horizon float64) float64 { return -math.Expm1(-horizon * p / n.cycle()) }

// mttdlYears is the mean time to data loss, in years: +Inf when p is 0.
func (n renewal) mttdlYears(p float64) float64 {
	if p == 0 {
		return math.Inf(1)
	}
	return n.cycle() / p / hoursPerYear
}

// minutesPerYear is the long-run minutes a year spent in a condition
// that lasts hours a cycle.
func (n renewal) minutesPerYear(hours float64) float64 { return hours / n.cycle() * minutesPerYear }
