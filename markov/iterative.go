package markov

import "math"

// Gauss–Seidel on one large block, for components above Options.DenseLimit.
// Every stopping rule is relative: an absolute one stops at once on values
// near 10⁻¹² (the PRISM and Storm reports prism#119, prism#49, storm#7).

// sweepBack does one Gauss–Seidel sweep of x = P x + c and returns the
// largest relative change.
func (b *block) sweepBack(x, c []float64) float64 {
	worst := 0.0
	for i := range x {
		s := b.rowBack(i, x, c)
		worst = max(worst, relDiff(x[i], s))
		x[i] = s
	}
	return worst
}

// intervalBack solves x = P x + c for reachability probabilities by
// interval iteration (Haddad and Monmege, "Interval iteration algorithm for
// MDPs and IMDPs", Theoretical Computer Science 735, 2018): from 0 the
// iterates rise to the solution, from 1 they fall to it (the block leaks,
// so the solution is unique), and the gap between the two bounds the
// error. It stops when every state's gap is within tol of its value and
// returns the midpoint, the largest relative half-gap, and the sweeps.
func (b *block) intervalBack(c []float64, tol float64, maxSweeps int) (x []float64, gap float64, sweeps int, ok bool) {
	n := len(c)
	lo, hi := make([]float64, n), make([]float64, n)
	for i := range hi {
		hi[i] = 1
	}
	for sweeps < maxSweeps {
		sweeps++
		b.sweepBack(lo, c)
		b.sweepBack(hi, c)
		gap = 0
		for i := range lo {
			gap = max(gap, relDiff(lo[i], hi[i]))
		}
		if gap <= tol {
			ok = true
			break
		}
	}
	for i := range lo {
		lo[i] += (hi[i] - lo[i]) / 2
	}
	return lo, gap / 2, sweeps, ok
}

// gsBack solves x = P x + c from 0 upwards (expected rewards). A small
// change per sweep is not a small error when a sweep contracts the error
// only by a factor ρ near 1 (the error is about change·ρ/(1−ρ)), so it
// stops when that estimate, with ρ measured as the ratio of successive
// changes, is at most tol, and returns it.
func (b *block) gsBack(c []float64, tol float64, maxSweeps int) (x []float64, est float64, sweeps int, ok bool) {
	x = make([]float64, len(c))
	var g geometric
	for sweeps < maxSweeps {
		sweeps++
		if est, ok = g.next(b.sweepBack(x, c), tol); ok {
			break
		}
	}
	return x, est, sweeps, ok
}

// geometric estimates the error left in an iteration whose changes shrink
// geometrically, from the last two relative changes.
type geometric struct{ prev float64 }

// next takes the latest relative change and reports the estimated
// relative error and whether it is within tol.
func (g *geometric) next(delta, tol float64) (float64, bool) {
	prev := g.prev
	g.prev = delta
	if delta == 0 {
		return 0, true
	}
	if prev == 0 || delta >= prev {
		return math.Inf(1), false // no contraction measured yet
	}
	rho := delta / prev
	est := delta * rho / (1 - rho)
	return max(est, delta), est <= tol && delta <= tol
}

// transpose returns the block's in-block jumps by target: row j lists the
// members i with a jump i → j, and the probability.
func (b *block) transpose() (off []int, col []int32, p []float64) {
	n := len(b.mem)
	off = make([]int, n+1)
	for _, j := range b.col {
		off[j+1]++
	}
	for j := range n {
		off[j+1] += off[j]
	}
	col, p = make([]int32, len(b.col)), make([]float64, len(b.p))
	next := append([]int(nil), off[:n]...)
	for i := range n {
		for k := b.off[i]; k < b.off[i+1]; k++ {
			j := b.col[k]
			col[next[j]], p[next[j]] = int32(i), b.p[k]
			next[j]++
		}
	}
	return off, col, p
}

// gsForward solves y = m + y P (expected visits) by Gauss–Seidel over the
// transposed block, stopping on a relative change of at most tol. It
// returns the largest relative residual.
func (b *block) gsForward(m []float64, tol float64, maxSweeps int) (y []float64, res float64, sweeps int, ok bool) {
	off, col, p := b.transpose()
	y = make([]float64, len(m))
	sweep := func(update bool) float64 {
		worst := 0.0
		for j := range y {
			s := m[j]
			for k := off[j]; k < off[j+1]; k++ {
				s += p[k] * y[col[k]]
			}
			worst = max(worst, relDiff(y[j], s))
			if update {
				y[j] = s
			}
		}
		return worst
	}
	var g geometric
	for sweeps < maxSweeps {
		sweeps++
		if res, ok = g.next(sweep(true), tol); ok {
			break
		}
	}
	return y, max(res, sweep(false)), sweeps, ok
}

// finite reports whether every value is finite.
func finite(x []float64) bool {
	for _, v := range x {
		if math.IsInf(v, 0) || math.IsNaN(v) {
			return false
		}
	}
	return true
}
