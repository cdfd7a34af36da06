package risk

// Balanced failure biasing (Shahabuddin 1994). In a state where both
// faults and other actions (repairs, protocol steps, the truncate action)
// are enabled and the faults' share of the exit rate is below bias, a
// fault is chosen with probability bias, uniformly among the enabled
// faults (not in proportion to their rates: a rare fault kind gets as much
// as a common one), and otherwise another action in proportion to its
// rate. The run carries the likelihood ratio L, the product over its steps
// of the true probability of the step over the biased one, and every
// figure it reports is weighted by L: E_biased[L·X] = E[X]. Elsewhere
// (faults alone, no fault, or faults already likelier than bias) a step
// is the true one and L is unchanged. The truncate action counts as a
// non-fault: it ends the incident without a loss, so making it likelier
// would only waste runs. The start of the incident is drawn from the exact
// start distribution, unbiased.

// choose draws the next action out of n: its index in n.edges, or −1 for
// the truncate action; lr takes the step's likelihood ratio.
func (w *walker) choose(n *node, lr *float64) int {
	if w.bias > 0 && n.nf > 0 && n.others > 0 && n.faults < w.bias*n.total {
		if w.rng.Float64() < w.bias {
			j := w.rng.IntN(n.nf)
			for i := range n.edges {
				if e := &n.edges[i]; e.fault {
					if j == 0 {
						*lr *= e.rate / n.total * float64(n.nf) / w.bias
						return i
					}
					j--
				}
			}
		}
		*lr *= n.others / n.total / (1 - w.bias)
		return pick(n, n.others, false, w.rng.Float64())
	}
	return pick(n, n.total, true, w.rng.Float64())
}

// pick draws among n's actions (all, or only the non-faults), whose rates
// add up to sum, in proportion to their rates, the truncate action (−1)
// last; u is uniform on [0, 1).
func pick(n *node, sum float64, all bool, u float64) int {
	u *= sum
	last := -1
	for i := range n.edges {
		e := &n.edges[i]
		if e.fault && !all {
			continue
		}
		if u < e.rate {
			return i
		}
		u -= e.rate
		last = i
	}
	if n.trunc > 0 || last < 0 {
		return -1
	}
	return last // u ran past the end by rounding
}
