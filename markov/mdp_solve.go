package markov

import (
	"fmt"
	"math"
)

// Value iteration on an MDP, after the graph precomputations: the states
// decided by the graph are fixed, the others start at 0 and rise to the
// least fixed point, which after the precomputation is the optimum. The
// stopping rule is relative and accounts for slow contraction (see
// geometric); the Residual reports the estimate. Values from below are
// never above the optimum.

// ReachMax returns, for every state, the largest probability over all
// schedulers of eventually reaching a state with a label in target.
func ReachMax(m *MDP, target Labels, o *Options) ([]float64, Residual) {
	q := m.qualitative(target)
	return m.reach(q.zeroE, q.oneE, math.Max, o)
}

// ReachMin returns, for every state, the smallest probability over all
// schedulers of eventually reaching a state with a label in target.
func ReachMin(m *MDP, target Labels, o *Options) ([]float64, Residual) {
	q := m.qualitative(target)
	return m.reach(q.zeroA, q.oneA, math.Min, o)
}

func (m *MDP) reach(zero, one []bool, pick func(a, b float64) float64, o *Options) ([]float64, Residual) {
	opt := o.withDefaults()
	x := make([]float64, m.N())
	var maybe []int
	for s := range x {
		switch {
		case one[s]:
			x[s] = 1
		case !zero[s]:
			maybe = append(maybe, s)
		}
	}
	res := Residual{Trivial: m.N() - len(maybe), Iterative: len(maybe)}
	m.iterate(x, maybe, func(int) float64 { return 0 }, func(int) bool { return true }, pick, opt, &res)
	return x, res
}

// RewardMax returns, for every state, the largest expected reward over all
// schedulers accumulated until a state with a label in absorbing is
// entered (reward(s) is gained at each visit of s). It is +Inf where some
// scheduler avoids absorption with positive probability.
func RewardMax(m *MDP, absorbing Labels, reward func(uint32) float64, o *Options) ([]float64, Residual, error) {
	q := m.qualitative(absorbing)
	return m.reward(q.target, q.oneA, reward, func(int) bool { return true }, math.Max, o)
}

// RewardMin returns, for every state, the smallest expected reward over
// the schedulers that reach absorbing with probability 1 (+Inf where there
// is none). It assumes no cycle of zero reward outside absorbing that a
// scheduler could stay in (true when every non-absorbing state has a
// positive reward, as expected time has): value iteration from 0 would
// otherwise stop at 0 there.
func RewardMin(m *MDP, absorbing Labels, reward func(uint32) float64, o *Options) ([]float64, Residual, error) {
	q := m.qualitative(absorbing)
	stays := func(a int) bool { return m.allIn(a, q.oneE) }
	return m.reward(q.target, q.oneE, reward, stays, math.Min, o)
}

func (m *MDP) reward(absorbing, finite []bool, reward func(uint32) float64, allowed func(int) bool, pick func(a, b float64) float64, o *Options) ([]float64, Residual, error) {
	opt := o.withDefaults()
	x := make([]float64, m.N())
	r := make([]float64, m.N())
	var maybe []int
	res := Residual{}
	for s := range x {
		switch {
		case absorbing[s]:
		case !finite[s]:
			x[s] = math.Inf(1)
			res.Infinite++
		default:
			v := reward(uint32(s))
			if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, res, fmt.Errorf("state %d has reward %v: rewards must be finite and non-negative", s, v)
			}
			r[s] = v
			maybe = append(maybe, s)
		}
	}
	res.Trivial, res.Iterative = m.N()-len(maybe), len(maybe)
	m.iterate(x, maybe, func(s int) float64 { return r[s] }, allowed, pick, opt, &res)
	return x, res, nil
}

// iterate runs Gauss–Seidel value iteration on the maybe states.
func (m *MDP) iterate(x []float64, maybe []int, r func(int) float64, allowed func(int) bool, pick func(a, b float64) float64, opt Options, res *Residual) {
	res.Converged = true
	if len(maybe) == 0 {
		return
	}
	var g geometric
	for res.Sweeps < opt.MaxSweeps {
		res.Sweeps++
		worst := 0.0
		for _, s := range maybe {
			best, any := 0.0, false
			lo, hi := m.choices(s)
			for a := lo; a < hi; a++ {
				if !allowed(a) {
					continue
				}
				v := 0.0
				for k := m.transOff[a]; k < m.transOff[a+1]; k++ {
					v += m.p[k] * x[m.to[k]]
				}
				if !any {
					best, any = v, true
				} else {
					best = pick(best, v)
				}
			}
			v := r(s) + best
			worst = max(worst, relDiff(x[s], v))
			x[s] = v
		}
		est, ok := g.next(worst, opt.Tol)
		res.Max = est
		if ok {
			return
		}
	}
	res.Converged = false
}
