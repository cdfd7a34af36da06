package markov

import (
	"math"
	"runtime"
)

// SCCs is a decomposition of a chain into strongly connected components,
// numbered in reverse topological order: every transition out of component
// c goes to c itself or to a component numbered below c, so component 0 is
// a bottom one and a pass from 0 upwards meets every successor first.
type SCCs struct {
	// Comp is the component of each state.
	Comp []uint32
	// Order lists the states grouped by component: component c is
	// Order[Start[c]:Start[c+1]], its states by ascending index.
	Order []uint32
	// Start has one entry per component and one more.
	Start []uint32
	// absorbing is the mask it was decomposed with (Options.SCCs).
	absorbing Labels
}

// Len is the number of components.
func (d *SCCs) Len() int { return len(d.Start) - 1 }

// Members are the states of component c.
func (d *SCCs) Members(c int) []uint32 { return d.Order[d.Start[c]:d.Start[c+1]] }

// Decompose finds the strongly connected components of the chain in which
// every state with a label in absorbing has no transition (absorbing 0
// decomposes the chain itself).
//
// It is Pearce's imperative variant of Tarjan's algorithm (D. J. Pearce, "A
// space-efficient algorithm for finding strongly connected components",
// Information Processing Letters 116(1), 2016): one uint32 per state that is
// first the visit index and at the end the component, a stack of visited
// states not yet in a component, and an explicit call stack of (state,
// position in its row) instead of recursion, so that a cycle through 10⁷
// states needs no goroutine stack. Memory: 4 bytes per state for Comp, 8
// for Order and Start, and while it runs up to 12 per state on the stacks
// and a bit per state.
func Decompose(c *Chain, absorbing Labels) *SCCs {
	defer runtime.KeepAlive(c) // its arrays (chainArrays)
	n := c.N()
	if uint64(n) >= math.MaxUint32 {
		panic("markov: Decompose needs fewer than 2³²-1 states")
	}
	rindex := make([]uint32, n)
	root := make([]uint64, (n+63)/64)
	var stack, callV, callPos []uint32
	index, comp := uint32(1), uint32(n) // comp counts down: ids n-1, n-2, …
	for v0 := range n {
		if rindex[v0] != 0 {
			continue
		}
		// begin visiting v0
		callV, callPos = append(callV, uint32(v0)), append(callPos, 0)
		rindex[v0] = index
		index++
		root[v0/64] |= 1 << (v0 % 64)
		for len(callV) > 0 {
			top := len(callV) - 1
			v := callV[top]
			lo, hi := c.bounds(v)
			if c.labels[v].Has(absorbing) {
				hi = lo
			}
			k := lo + int(callPos[top])
			descended := false
			for ; k < hi; k++ {
				w := c.to[k]
				if rindex[w] == 0 {
					callPos[top] = uint32(k - lo)
					callV, callPos = append(callV, w), append(callPos, 0)
					rindex[w] = index
					index++
					root[w/64] |= 1 << (w % 64)
					descended = true
					break
				}
				if rindex[w] < rindex[v] {
					rindex[v] = rindex[w]
					root[v/64] &^= 1 << (v % 64)
				}
			}
			if descended {
				continue
			}
			// finish visiting v
			callV, callPos = callV[:top], callPos[:top]
			if root[v/64]&(1<<(v%64)) != 0 {
				index--
				comp--
				for len(stack) > 0 && rindex[v] <= rindex[stack[len(stack)-1]] {
					w := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					rindex[w] = comp
					index--
				}
				rindex[v] = comp
			} else {
				stack = append(stack, v)
			}
			if top > 0 {
				// back in the parent u: the edge u→v is finished, and
				// the parent resumes after it.
				u := callV[top-1]
				if rindex[v] < rindex[u] {
					rindex[u] = rindex[v]
					root[u/64] &^= 1 << (u % 64)
				}
				callPos[top-1]++
			}
		}
	}
	d := group(rindex, comp)
	d.absorbing = absorbing
	return d
}

// group turns Pearce's component ids (n-1 for the first component found,
// downwards to last) into 0, 1, … in the order found, and groups the
// states by component with a counting sort.
func group(rindex []uint32, last uint32) *SCCs {
	n := uint32(len(rindex))
	count := n - last
	start := make([]uint32, count+1)
	for v, r := range rindex {
		id := n - 1 - r
		rindex[v] = id
		start[id+1]++
	}
	for c := range count {
		start[c+1] += start[c]
	}
	order := make([]uint32, n)
	next := append([]uint32(nil), start[:count]...)
	for v, id := range rindex {
		order[next[id]] = uint32(v)
		next[id]++
	}
	return &SCCs{Comp: rindex, Order: order, Start: start}
}
