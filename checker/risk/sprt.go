package risk

import (
	"fmt"
	"math"
	"sync"
)

// Per-year figures from a simulation, as Analysis gives them from the
// exact solve: a loss rate p / (1/Λ + D), D the mean incident.

// LossesPerYear is the long-run rate of incidents that lose committed
// data, per year, with p's interval carried through (D at its estimate:
// beside 1/Λ its uncertainty does not count).
func (r *SimResult) LossesPerYear() Interval {
	per := func(p float64) float64 { return p / (1/r.IncidentRate + r.MeanHours.Estimate) * hoursPerYear }
	return interval(per(r.PLost.Estimate), per(r.PLost.Low), per(r.PLost.High))
}

// PLoss is the probability of losing committed data within horizon
// hours, 1 − exp(−T·rate), with its interval.
func (r *SimResult) PLoss(horizon float64) Interval {
	l := r.LossesPerYear()
	p := func(perYear float64) float64 { return -math.Expm1(-horizon / hoursPerYear * perYear) }
	return interval(p(l.Estimate), p(l.Low), p(l.High))
}

// SPRTResult is the decision of a sequential probability ratio test on
// the loss rate.
type SPRTResult struct {
	// Target is the rate tested, losses a year; P0 and P1 the
	// per-incident loss probabilities at half and twice it (the
	// indifference region between them); Alpha and Beta the error
	// probabilities (both 1 − Confidence).
	Target, P0, P1, Alpha, Beta float64
	// Decision is "below" (the rate is below Target: accepted p ≤ P0),
	// "above" (p ≥ P1), or "undecided" after Runs runs (SimOptions.Runs,
	// the most the test may take).
	Decision string
	// Runs is the runs the test took, Losses the losses among them, LLR
	// the log-likelihood ratio of P1 against P0 at the end.
	Runs   int
	Losses int64
	LLR    float64
	Seed   uint64
}

// SPRT decides whether the rate of losses a year is below or above
// target (Wald's sequential probability ratio test on the runs' losses,
// crude Monte Carlo only): it walks runs 0, 1, 2, … (in batches, in
// parallel) and reads their outcomes in index order until the
// log-likelihood ratio of p = P1 against p = P0 leaves
// (log(β/(1−α)), log((1−β)/α)). P0 and P1 are the per-incident
// probabilities at half and twice the target, by rate ≈ p·Λ, which
// overstates the rate by the factor 1 + Λ·D (D the mean incident; about
// 10⁻⁴ at the default rates). Same seed, same decision, at the same run,
// whatever the workers.
func SPRT(req Request, opts SimOptions, target float64) (*SPRTResult, error) {
	switch {
	case !(target > 0) || math.IsInf(target, 0):
		return nil, fmt.Errorf("the target must be a positive rate of losses a year")
	case opts.Bias != 0 || opts.StartBias != 0:
		return nil, fmt.Errorf("the sequential test counts losses: it needs the true chain (--bias 0, --start-bias 0)")
	case opts.Shards > 1:
		return nil, fmt.Errorf("the sequential test reads its runs in order: it cannot be sharded")
	}
	sim, err := newSimulator(req, opts)
	if err != nil {
		return nil, err
	}
	alpha := 1 - sim.opts.Confidence
	pStar := target / hoursPerYear / sim.a.IncidentRate
	res := &SPRTResult{Target: target, P0: pStar / 2, P1: 2 * pStar, Alpha: alpha, Beta: alpha, Decision: "undecided", Seed: opts.Seed}
	if res.P1 >= 1 {
		return nil, fmt.Errorf("a target of %g losses a year is %g per incident (Λ = %g a year): test a lower one", target, pStar, sim.a.IncidentRate*hoursPerYear)
	}
	hit, miss := math.Log(res.P1/res.P0), math.Log1p(-res.P1)-math.Log1p(-res.P0)
	upper, lower := math.Log((1-res.Beta)/alpha), math.Log(res.Beta/(1-alpha))
	const batch = 1 << 16
	lost := make([]bool, batch)
	walkers := make([]*walker, sim.workers)
	for k := range walkers {
		walkers[k] = newWalker(sim.a.incModel, opts.Seed, 0, 0)
	}
	for start := 0; start < opts.Runs; start += batch {
		n := min(batch, opts.Runs-start)
		var wg sync.WaitGroup
		per := (n + len(walkers) - 1) / len(walkers)
		for k, w := range walkers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := k * per; j < min((k+1)*per, n); j++ {
					lost[j] = w.walk(uint64(start+j)).end == endLost
				}
			}()
		}
		wg.Wait()
		if err := sim.ctx.Err(); err != nil {
			return nil, err
		}
		for j := range n {
			res.Runs++
			if lost[j] {
				res.Losses++
			}
			res.LLR = float64(res.Losses)*hit + float64(int64(res.Runs)-res.Losses)*miss
			switch {
			case res.LLR >= upper:
				res.Decision = "above"
			case res.LLR <= lower:
				res.Decision = "below"
			default:
				continue
			}
			return res, nil
		}
	}
	return res, nil
}
