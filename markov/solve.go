package markov

import (
	"fmt"
	"math"
	"runtime"
)

// Options tune the reverse-topological solves. The zero value is the
// default.
type Options struct {
	// Tol is the relative tolerance of the iterative solve of a large
	// component (default 1e-12).
	Tol float64
	// MaxSweeps bounds the Gauss–Seidel sweeps of one large component
	// (default 1,000,000); a component that reaches it is reported as not
	// converged, never as a value.
	MaxSweeps int
	// DenseLimit is the largest component solved by dense elimination
	// (default 1,000 states: about 0.3 s and 8 MB); larger ones are solved
	// iteratively.
	DenseLimit int
	// Absorbing (Reach only) makes the states with these labels absorbing
	// too: they reach no target, so their value is 0 (a target among them
	// still counts). Solves of one chain that share it can share SCCs.
	Absorbing Labels
	// SCCs, if set, is the chain's decomposition to use instead of
	// computing it: Decompose(c, mask), mask being the solve's absorbing
	// states (Reach: target | Absorbing; ExpectedReward: absorbing). Any
	// other decomposition is an error.
	SCCs *SCCs
}

// decompose is the decomposition a solve of c with these absorbing states
// uses: the given one, or a new one.
func (o *Options) decompose(c *Chain, absorbing Labels) (*SCCs, error) {
	if o.SCCs == nil {
		return Decompose(c, absorbing), nil
	}
	if o.SCCs.absorbing != absorbing || len(o.SCCs.Comp) != c.N() {
		return nil, fmt.Errorf("the SCCs given were decomposed with absorbing labels %#x for %d states, not %#x for %d",
			o.SCCs.absorbing, len(o.SCCs.Comp), absorbing, c.N())
	}
	return o.SCCs, nil
}

func (o *Options) withDefaults() Options {
	var r Options
	if o != nil {
		r = *o
	}
	if r.Tol <= 0 {
		r.Tol = 1e-12
	}
	if r.MaxSweeps <= 0 {
		r.MaxSweeps = 1_000_000
	}
	if r.DenseLimit <= 0 {
		r.DenseLimit = 1000
	}
	return r
}

// Residual says how a solve computed its values and how far they may be
// off.
type Residual struct {
	// Max is the largest relative error indicator over the states solved
	// in a component of more than one state: for a dense block the
	// relative residual of the computed solution; for an iterative
	// reachability block the relative half-width of the interval that
	// holds the exact value (a bound); for an iterative reward block the
	// error estimated from the contraction of the last sweeps (an
	// estimate, not a bound). States of a single-state component
	// are one division from their successors' values and add nothing.
	Max float64
	// Trivial, Dense and Iterative count the states solved each way.
	Trivial, Dense, Iterative int
	// Blocks is the number of components of more than one state, and
	// LargestBlock the size of the largest.
	Blocks, LargestBlock int
	// Sweeps is the largest number of sweeps an iterative block took.
	Sweeps int
	// Converged is false when an iterative block hit MaxSweeps before its
	// tolerance: then Max says how far from converged it was.
	Converged bool
	// Infinite counts the states whose value is +Inf (an expected reward
	// from a state where absorption is not certain).
	Infinite int
}

func (r *Residual) noteBlock(n int) {
	r.Blocks++
	r.LargestBlock = max(r.LargestBlock, n)
}

// Reach returns, for every state, the probability of eventually reaching a
// state with a label in target. Target states are made absorbing; a state
// that cannot reach one gets exactly 0.
func Reach(c *Chain, target Labels, o *Options) ([]float64, Residual, error) {
	defer runtime.KeepAlive(c) // its arrays (chainArrays)
	opt := o.withDefaults()
	d, err := opt.decompose(c, target|opt.Absorbing)
	if err != nil {
		return nil, Residual{}, err
	}
	x := make([]float64, c.N())
	res := Residual{Converged: true}
	for id := range d.Len() {
		mem := d.Members(id)
		if len(mem) == 1 {
			s := mem[0]
			res.Trivial++
			if c.labels[s].Has(target) {
				x[s] = 1
				continue
			}
			if c.labels[s].Has(opt.Absorbing) {
				continue
			}
			if e, acc := c.rowDot(s, x); e > 0 {
				x[s] = acc / e
			}
			continue
		}
		// Targets are absorbing, so a component of several states holds
		// none: its values come from its exits.
		cst := make([]float64, len(mem))
		b := loadBlock(c, mem, d.Comp, uint32(id), func(i int, t uint32, p float64) { cst[i] += p * x[t] })
		if allZero(cst) {
			res.Trivial += len(mem) // nothing to solve: the block cannot reach a target
			continue
		}
		solveBlock(b, cst, x, true, opt, &res)
	}
	return x, res, nil
}

// ExpectedReward returns, for every state, the expected reward accumulated
// until the chain first enters a state with a label in absorbing: the
// integral over time of reward(state), so reward 1 everywhere (Time) gives
// the expected time to absorption. The value is +Inf wherever absorption
// is not certain (the expectation over paths that never end is infinite),
// and Residual.Infinite counts those states. Rewards must be finite and
// non-negative; absorbing states have value 0.
func ExpectedReward(c *Chain, absorbing Labels, reward func(s uint32) float64, o *Options) ([]float64, Residual, error) {
	defer runtime.KeepAlive(c) // its arrays (chainArrays)
	opt := o.withDefaults()
	n := c.N()
	d, err := opt.decompose(c, absorbing)
	if err != nil {
		return nil, Residual{}, err
	}
	x := make([]float64, n)
	res := Residual{Converged: true}
	rew := func(s uint32) (float64, error) {
		r := reward(s)
		if r < 0 || math.IsNaN(r) || math.IsInf(r, 0) {
			return 0, fmt.Errorf("state %d has reward %v: rewards must be finite and non-negative", s, r)
		}
		return r, nil
	}
	for id := range d.Len() {
		mem := d.Members(id)
		if len(mem) == 1 {
			s := mem[0]
			res.Trivial++
			if c.labels[s].Has(absorbing) {
				continue
			}
			r, err := rew(s)
			if err != nil {
				return nil, res, err
			}
			e, acc := c.rowDot(s, x)
			if e == 0 {
				x[s] = math.Inf(1) // a deadlock that is not absorbing: never absorbed
			} else {
				x[s] = (r + acc) / e // +Inf when a successor's is
			}
			continue
		}
		cst := make([]float64, len(mem))
		b := loadBlock(c, mem, d.Comp, uint32(id), func(i int, t uint32, p float64) { cst[i] += p * x[t] })
		for i, s := range mem {
			r, err := rew(s)
			if err != nil {
				return nil, res, err
			}
			cst[i] += r / b.exit[i]
		}
		if !finite(cst) || allZero(b.out) {
			// Every member reaches every exit: one exit to a state that
			// may never be absorbed, or no exit at all, makes them all
			// infinite.
			for _, s := range mem {
				x[s] = math.Inf(1)
			}
			res.Trivial += len(mem)
			continue
		}
		solveBlock(b, cst, x, false, opt, &res)
	}
	for _, v := range x {
		if math.IsInf(v, 1) {
			res.Infinite++
		}
	}
	return x, res, nil
}

// solveBlock solves x = P x + c on one block and stores the values in x.
func solveBlock(b *block, cst, x []float64, reach bool, opt Options, res *Residual) {
	n := len(b.mem)
	res.noteBlock(n)
	var val []float64
	if n <= opt.DenseLimit {
		val = append([]float64(nil), cst...)
		factor(b).solveBack(val)
		res.Dense += n
		res.Max = max(res.Max, b.backResidual(val, cst))
	} else {
		var sweeps int
		var ok bool
		if reach {
			var gap float64
			val, gap, sweeps, ok = b.intervalBack(cst, opt.Tol, opt.MaxSweeps)
			res.Max = max(res.Max, gap)
		} else {
			var est float64
			val, est, sweeps, ok = b.gsBack(cst, opt.Tol, opt.MaxSweeps)
			res.Max = max(res.Max, est, b.backResidual(val, cst))
		}
		res.Iterative += n
		res.Sweeps = max(res.Sweeps, sweeps)
		res.Converged = res.Converged && ok
	}
	for i, s := range b.mem {
		x[s] = val[i]
	}
}

// Time is the reward 1 in every state: ExpectedReward with it is the
// expected time to absorption.
func Time(uint32) float64 { return 1 }

// Indicator is the reward 1 in the states with a label in mask and 0
// elsewhere: ExpectedReward with it is the expected time spent in them.
func Indicator(c *Chain, mask Labels) func(uint32) float64 {
	return func(s uint32) float64 {
		if c.labels[s].Has(mask) {
			return 1
		}
		return 0
	}
}

func allZero(v []float64) bool {
	for _, x := range v {
		if x != 0 {
			return false
		}
	}
	return true
}
