package markov

// The graph precomputations of value iteration (C. Baier and J.-P.
// Katoen, Principles of Model Checking, MIT Press 2008, §10.6.1): the
// states where the extreme probability is exactly 0 or 1 are found on the
// graph, so that value iteration from 0 converges to the right fixed
// point and the prob-1 states need no iteration at all.

// preds returns, for every state, the states with a transition into it.
func (m *MDP) preds() [][]uint32 {
	pre := make([][]uint32, m.N())
	for s := range m.N() {
		lo, hi := m.choices(s)
		for a := lo; a < hi; a++ {
			for k := m.transOff[a]; k < m.transOff[a+1]; k++ {
				t := m.to[k]
				if n := len(pre[t]); n == 0 || pre[t][n-1] != uint32(s) {
					pre[t] = append(pre[t], uint32(s))
				}
			}
		}
	}
	return pre
}

// reachE is the set of states from which some path reaches a state in
// goal, moving only through states in via (and the goal).
func (m *MDP) reachE(goal, via []bool) []bool {
	pre := m.preds()
	in := append([]bool(nil), goal...)
	var queue []uint32
	for s, g := range goal {
		if g {
			queue = append(queue, uint32(s))
		}
	}
	for len(queue) > 0 {
		t := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		for _, s := range pre[t] {
			if !in[s] && via[s] {
				in[s] = true
				queue = append(queue, s)
			}
		}
	}
	return in
}

// positiveA is the set of states from which every scheduler reaches goal
// with positive probability: the least set holding goal and every state
// all of whose choices (at least one) have a transition into the set.
func (m *MDP) positiveA(goal []bool) []bool {
	in := append([]bool(nil), goal...)
	for changed := true; changed; {
		changed = false
		for s := range m.N() {
			if in[s] {
				continue
			}
			lo, hi := m.choices(s)
			all := hi > lo
			for a := lo; a < hi && all; a++ {
				all = m.someIn(a, in)
			}
			if all {
				in[s], changed = true, true
			}
		}
	}
	return in
}

// prob1E is the set of states from which some scheduler reaches goal with
// probability 1: the greatest set U such that from each state some choice
// stays in U and (the least fixed point inside) moves closer to goal.
func (m *MDP) prob1E(goal []bool) []bool {
	n := m.N()
	u := make([]bool, n)
	for i := range u {
		u[i] = true
	}
	for {
		r := append([]bool(nil), goal...)
		for changed := true; changed; {
			changed = false
			for s := range n {
				if r[s] || !u[s] {
					continue
				}
				lo, hi := m.choices(s)
				for a := lo; a < hi; a++ {
					if m.allIn(a, u) && m.someIn(a, r) {
						r[s], changed = true, true
						break
					}
				}
			}
		}
		if equal(r, u) {
			return u
		}
		u = r
	}
}

func (m *MDP) someIn(a int, set []bool) bool {
	for k := m.transOff[a]; k < m.transOff[a+1]; k++ {
		if set[m.to[k]] {
			return true
		}
	}
	return false
}

func (m *MDP) allIn(a int, set []bool) bool {
	for k := m.transOff[a]; k < m.transOff[a+1]; k++ {
		if !set[m.to[k]] {
			return false
		}
	}
	return true
}

func equal(a, b []bool) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func not(a []bool) []bool {
	r := make([]bool, len(a))
	for i, v := range a {
		r[i] = !v
	}
	return r
}

// qualitative holds the graph answers for one target.
type qualitative struct {
	target                   []bool
	zeroE, oneE, zeroA, oneA []bool // P_max = 0, P_max = 1, P_min = 0, P_min = 1
}

func (m *MDP) qualitative(target Labels) qualitative {
	q := qualitative{target: make([]bool, m.N())}
	for s, l := range m.labels {
		q.target[s] = l.Has(target)
	}
	all := make([]bool, m.N())
	for i := range all {
		all[i] = true
	}
	q.zeroE = not(m.reachE(q.target, all))
	q.oneE = m.prob1E(q.target)
	q.zeroA = not(m.positiveA(q.target))
	// P_min < 1 exactly where some path avoiding the target reaches a
	// state from which a scheduler avoids it for sure.
	q.oneA = not(m.reachE(q.zeroA, not(q.target)))
	return q
}
