package markov

import (
	"fmt"
	"math"
	"runtime"
)

// Uniformisation is how a transient solve was computed.
type Uniformisation struct {
	// Q is the uniformisation rate (the largest exit rate of a state that
	// is not a target), Lambda = Q·t the Poisson rate.
	Q, Lambda float64
	// Left and Right are the Fox–Glynn truncation points; Steps the
	// matrix–vector products done (Right).
	Left, Right, Steps int
	// Eps bounds the Poisson mass left out (absolute).
	Eps float64
}

// TransientReach returns, for every state, the probability of reaching a
// state with a label in target within time t, by uniformisation (Jensen's
// method) with Fox–Glynn Poisson weights: target states are made
// absorbing, the vector of "reached within k jumps of the uniformised
// chain" is advanced one product at a time, and its weighted sum over the
// Poisson(q·t) window is the answer. Every term is a sum of non-negative
// numbers, so small probabilities keep their relative accuracy; the
// truncation leaves out Poisson mass at most eps, whose effect on a value
// is at most eps times the largest value in the window.
//
// Its cost is about q·t + 6√(q·t) products: for stiff chains over long
// horizons that is infeasible, and the incident-at-a-time method of
// docs/risk.md is the way.
func TransientReach(c *Chain, target Labels, t, eps float64) ([]float64, Uniformisation, error) {
	defer runtime.KeepAlive(c) // its arrays (chainArrays)
	if t < 0 || math.IsNaN(t) || math.IsInf(t, 0) {
		return nil, Uniformisation{}, fmt.Errorf("time bound %v: it must be finite and non-negative", t)
	}
	n := c.N()
	x := make([]float64, n)
	for s, l := range c.labels {
		if l.Has(target) {
			x[s] = 1
		}
	}
	q := c.MaxExit(target)
	u := Uniformisation{Q: q, Lambda: q * t, Eps: eps}
	if q == 0 || t == 0 {
		return x, u, nil
	}
	pw, err := foxGlynn(q*t, eps)
	if err != nil {
		return nil, u, err
	}
	u.Left, u.Right, u.Steps = pw.left, pw.right(), pw.right()
	acc := make([]float64, n)
	next := make([]float64, n)
	for k := 0; ; k++ {
		if k >= pw.left {
			w := pw.w[k-pw.left]
			for s, v := range x {
				acc[s] += w * v
			}
		}
		if k == pw.right() {
			break
		}
		uniformStep(c, target, q, x, next)
		x, next = next, x
	}
	return acc, u, nil
}

// uniformStep sets next = P x for the uniformised chain P = I + Q/q with
// target states absorbing; each entry is a sum of non-negative terms.
func uniformStep(c *Chain, target Labels, q float64, x, next []float64) {
	for s := range x {
		if c.labels[s].Has(target) {
			next[s] = x[s]
			continue
		}
		e, acc := c.rowDot(uint32(s), x)
		next[s] = x[s]*((q-e)/q) + acc/q
	}
}
