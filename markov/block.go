package markov

import "slices"

// block is one strongly connected component of more than one state, in
// local indices 0..n-1 (the members' order), as the embedded jump chain
// sees it: in-block jump probabilities as sparse rows, the probability of
// jumping out of the block in one step, and each member's exit rate.
type block struct {
	mem  []uint32
	exit []float64 // exit rate of each member
	off  []int     // in-block row i is col/p[off[i]:off[i+1]]
	col  []int32
	p    []float64
	out  []float64 // probability of leaving the block in one jump
}

// loadBlock reads component id (states mem, ascending) from the chain. For
// every transition that leaves the block, exitEdge is called with the
// member's local index, the target and the jump probability.
func loadBlock(c *Chain, mem []uint32, comp []uint32, id uint32, exitEdge func(i int, t uint32, p float64)) *block {
	n := len(mem)
	b := &block{mem: mem, exit: make([]float64, n), off: make([]int, n+1), out: make([]float64, n)}
	for i, s := range mem {
		e, _ := c.rowDot(s, nil)
		b.exit[i] = e
		lo, hi := c.bounds(s)
		for k := lo; k < hi; k++ {
			t, p := c.to[k], c.rate(k)/e
			if comp[t] != id {
				b.out[i] += p
				if exitEdge != nil {
					exitEdge(i, t, p)
				}
				continue
			}
			j, _ := slices.BinarySearch(mem, t)
			b.col = append(b.col, int32(j))
			b.p = append(b.p, p)
		}
		b.off[i+1] = len(b.col)
	}
	return b
}

// dense is a block factorised by state elimination in the manner of
// Grassmann, Taksar and Heyman ("Regenerative analysis and steady state
// distributions for Markov chains", Operations Research 33(5), 1985):
// eliminating state k folds its in-block jumps into the others', and the
// pivot 1 − P[k][k] is computed as the sum of k's remaining outflow (to
// later states and out of the block), never as a difference. A block whose
// exits are rare (a cycle of fast protocol steps left by a fault 10⁹ times
// slower) therefore keeps its digits, where LU on I − P would cancel them.
type dense struct {
	n   int
	a   []float64 // row-major: above the diagonal the reduced rows, below the multipliers
	piv []float64
}

func factor(b *block) *dense {
	n := len(b.mem)
	d := &dense{n: n, a: make([]float64, n*n), piv: make([]float64, n)}
	out := append([]float64(nil), b.out...)
	for i := range n {
		for k := b.off[i]; k < b.off[i+1]; k++ {
			d.a[i*n+int(b.col[k])] += b.p[k]
		}
	}
	a := d.a
	for k := range n {
		rowK := a[k*n : (k+1)*n]
		piv := out[k]
		for _, v := range rowK[k+1:] {
			piv += v
		}
		d.piv[k] = piv
		for i := k + 1; i < n; i++ {
			rowI := a[i*n : (i+1)*n]
			f := rowI[k]
			if f == 0 {
				continue
			}
			f /= piv
			rowI[k] = f
			out[i] += f * out[k]
			axpy(rowI[k+1:], rowK[k+1:], f)
		}
	}
	return d
}

// axpy adds f·x to y.
func axpy(y, x []float64, f float64) {
	x = x[:len(y)]
	for j := range y {
		y[j] += f * x[j]
	}
}

// solveBack solves x = P x + c (c is overwritten with x): the backward
// equations of reachability and expected reward.
func (d *dense) solveBack(c []float64) {
	n, a := d.n, d.a
	for k := range n {
		for i := k + 1; i < n; i++ {
			c[i] += a[i*n+k] * c[k]
		}
	}
	for k := n - 1; k >= 0; k-- {
		s := c[k]
		row := a[k*n : (k+1)*n]
		for j := k + 1; j < n; j++ {
			s += row[j] * c[j]
		}
		c[k] = s / d.piv[k]
	}
}

// solveForward solves y = m + y P (m is overwritten with y): the expected
// number of visits to each member given the entry distribution m.
func (d *dense) solveForward(m []float64) {
	n, a := d.n, d.a
	for k := range n {
		row := a[k*n : (k+1)*n]
		for j := k + 1; j < n; j++ {
			m[j] += row[j] / d.piv[k] * m[k]
		}
	}
	for k := n - 1; k >= 0; k-- {
		s := m[k] / d.piv[k]
		for i := k + 1; i < n; i++ {
			s += a[i*n+k] * m[i]
		}
		m[k] = s
	}
}

// rowBack is row i of P x + c: what the backward equations say x[i] is.
func (b *block) rowBack(i int, x, c []float64) float64 {
	s := c[i]
	for k := b.off[i]; k < b.off[i+1]; k++ {
		s += b.p[k] * x[b.col[k]]
	}
	return s
}

// backResidual is the largest relative residual |x − (P x + c)| / |x| of a
// solution of the backward equations (0 where x is 0 and so is the
// residual; a residual at x = 0 counts in full).
func (b *block) backResidual(x, c []float64) float64 {
	worst := 0.0
	for i := range x {
		worst = max(worst, relDiff(x[i], b.rowBack(i, x, c)))
	}
	return worst
}

// relDiff is |a − b| relative to the larger magnitude.
func relDiff(a, b float64) float64 {
	d := a - b
	if d < 0 {
		d = -d
	}
	m := max(a, -a, b, -b)
	if d == 0 {
		return 0
	}
	return d / m
}
