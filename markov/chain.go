package markov

import (
	"electcheck/internal/offheap"
	"iter"
	"math"
	"runtime"
)

// Chain is a continuous-time Markov chain in compressed sparse rows. Row s
// lists the transitions out of state s by ascending target, with no
// self-loop and at most one transition per target. A Chain is immutable
// and safe for concurrent readers.
type Chain struct {
	names LabelNames
	chainArrays
	rates []float64
	tab8  *[1 << 8]float64
	tab16 *[1 << 16]float64
	// built: the chain owns its arrays (Build handed them over).
	built bool
}

// chainArrays are a chain's per-state and per-transition arrays: outside
// the Go heap once large (internal/offheap), given back by a cleanup when
// the chain is unreachable. So no slice of them may outlive the chain: the
// functions of this package that loop over them keep their chain alive to
// the end (runtime.KeepAlive).
type chainArrays struct {
	labels []Labels

	// Row s is transitions off[s] to off[s+1]; off32 is used while the
	// chain has fewer than 2³² transitions, off64 otherwise (one is nil).
	off32 []uint32
	off64 []uint64

	to []uint32
	// The rate of transition k is rates[ri8[k]] (at most 256 distinct
	// rates) or rates[ri16[k]] (up to 65,536); one of ri8, ri16 is nil.
	// tab8 and tab16 are the same table padded to the index's range, so
	// that the hot loops need no bounds check on it.
	ri8  []uint8
	ri16 []uint16
}

// free gives the arrays back.
func (a chainArrays) free() {
	offheap.Free(a.labels)
	offheap.Free(a.off32)
	offheap.Free(a.off64)
	offheap.Free(a.to)
	offheap.Free(a.ri8)
	offheap.Free(a.ri16)
}

// N is the number of states.
func (c *Chain) N() int { return len(c.labels) }

// Transitions is the number of transitions (after merging parallel edges and
// dropping self-loops).
func (c *Chain) Transitions() int { return len(c.to) }

// Names are the chain's label names.
func (c *Chain) Names() LabelNames { return c.names }

// Labels are the labels of state s.
func (c *Chain) Labels(s uint32) Labels { return c.labels[s] }

// Rates returns the distinct rates, in the order they were first met.
func (c *Chain) Rates() []float64 { return append([]float64(nil), c.rates...) }

// bounds returns the transitions of row s.
func (c *Chain) bounds(s uint32) (lo, hi int) {
	if c.off64 != nil {
		return int(c.off64[s]), int(c.off64[s+1])
	}
	return int(c.off32[s]), int(c.off32[s+1])
}

// rate is the rate of transition k.
func (c *Chain) rate(k int) float64 {
	if c.ri16 != nil {
		return c.tab16[c.ri16[k]]
	}
	return c.tab8[c.ri8[k]]
}

// Row yields the transitions out of s, by ascending target: the target and
// the rate.
func (c *Chain) Row(s uint32) iter.Seq2[uint32, float64] {
	return func(yield func(uint32, float64) bool) {
		lo, hi := c.bounds(s)
		for k := lo; k < hi; k++ {
			if !yield(c.to[k], c.rate(k)) {
				return
			}
		}
	}
}

// Degree is the number of transitions out of s.
func (c *Chain) Degree(s uint32) int {
	lo, hi := c.bounds(s)
	return hi - lo
}

// Exit is the exit rate of s: the sum of its row.
func (c *Chain) Exit(s uint32) float64 {
	e, _ := c.rowDot(s, nil)
	return e
}

// MaxExit is the largest exit rate of a state not in absorbing (0 for a
// chain where every such state is a deadlock).
func (c *Chain) MaxExit(absorbing Labels) float64 {
	defer runtime.KeepAlive(c) // its arrays (chainArrays)
	m := 0.0
	for s := range c.labels {
		if c.labels[s].Has(absorbing) {
			continue
		}
		m = math.Max(m, c.Exit(uint32(s)))
	}
	return m
}

// rowDot returns the exit rate of s and, when x is not nil, Σ rate·x[target]
// over its row: the one loop every solve runs per state.
func (c *Chain) rowDot(s uint32, x []float64) (exit, acc float64) {
	lo, hi := c.bounds(s)
	to := c.to[lo:hi]
	if c.ri16 != nil {
		return dot16(to, c.ri16[lo:hi], c.tab16, x)
	}
	return dot8(to, c.ri8[lo:hi], c.tab8, x)
}

// dot8 and dot16 are rowDot's loop for each width of rate index; the
// table is an array of the index's range, so that the loop has no bounds
// check on it.
func dot8(to []uint32, ri []uint8, tab *[1 << 8]float64, x []float64) (exit, acc float64) {
	ri = ri[:len(to)]
	if x == nil {
		for k := range to {
			exit += tab[ri[k]]
		}
		return exit, 0
	}
	for k, t := range to {
		r := tab[ri[k]]
		exit += r
		acc += r * x[t]
	}
	return exit, acc
}

func dot16(to []uint32, ri []uint16, tab *[1 << 16]float64, x []float64) (exit, acc float64) {
	ri = ri[:len(to)]
	if x == nil {
		for k := range to {
			exit += tab[ri[k]]
		}
		return exit, 0
	}
	for k, t := range to {
		r := tab[ri[k]]
		exit += r
		acc += r * x[t]
	}
	return exit, acc
}
