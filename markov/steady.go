package markov

import (
	"fmt"
	"math"
	"runtime"
)

// Steady returns the long-run distribution of the chain started from the
// distribution init (one entry per state; it is normalised to sum 1): the
// probability of ending in each bottom strongly connected component times
// that component's stationary distribution. Transient states get 0, a
// deadlock keeps the mass that reaches it.
//
// One pass over the components in topological order carries the initial
// mass forward: a single state passes its mass on in proportion to its
// rates; a transient component of several states is solved for its
// expected visits (dense elimination, or Gauss–Seidel above DenseLimit)
// and passes mass on through its exits; a bottom component spreads what
// arrives by its stationary vector (GTH elimination, or Gauss–Seidel with
// normalisation above DenseLimit).
func Steady(c *Chain, init []float64, o *Options) ([]float64, Residual, error) {
	defer runtime.KeepAlive(c) // its arrays (chainArrays)
	opt := o.withDefaults()
	mass, err := normalised(c, init)
	if err != nil {
		return nil, Residual{}, err
	}
	d := Decompose(c, 0)
	res := Residual{Converged: true}
	for id := d.Len() - 1; id >= 0; id-- {
		mem := d.Members(id)
		if len(mem) == 1 {
			res.Trivial++
			s := mem[0]
			if m := mass[s]; m != 0 {
				if e, _ := c.rowDot(s, nil); e > 0 {
					c.forEach(s, func(t uint32, r float64) { mass[t] += m * r / e })
					mass[s] = 0
				}
			}
			continue
		}
		type exitEdge struct {
			i int
			t uint32
			p float64
		}
		var exits []exitEdge
		b := loadBlock(c, mem, d.Comp, uint32(id), func(i int, t uint32, p float64) { exits = append(exits, exitEdge{i, t, p}) })
		res.noteBlock(len(mem))
		entry := make([]float64, len(mem))
		for i, s := range mem {
			entry[i] = mass[s]
		}
		if allZero(entry) {
			res.Trivial += len(mem)
			continue
		}
		if len(exits) == 0 {
			pi := b.stationary(opt, &res)
			total := sum(entry)
			for i, s := range mem {
				mass[s] = total * pi[i]
			}
			continue
		}
		y := b.visits(entry, opt, &res)
		for _, e := range exits {
			mass[e.t] += y[e.i] * e.p
		}
		for _, s := range mem {
			mass[s] = 0
		}
	}
	return mass, res, nil
}

// Point is the initial distribution concentrated on state s of an n-state
// chain.
func Point(n int, s uint32) []float64 {
	v := make([]float64, n)
	v[s] = 1
	return v
}

func normalised(c *Chain, init []float64) ([]float64, error) {
	if len(init) != c.N() {
		return nil, fmt.Errorf("the initial distribution has %d entries for %d states", len(init), c.N())
	}
	total := 0.0
	for s, v := range init {
		if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("the initial distribution gives state %d the mass %v", s, v)
		}
		total += v
	}
	if total == 0 {
		return nil, fmt.Errorf("the initial distribution is zero")
	}
	m := make([]float64, len(init))
	for s, v := range init {
		m[s] = v / total
	}
	return m, nil
}

// visits returns the expected number of visits (jumps into) each member
// given the entry distribution.
func (b *block) visits(entry []float64, opt Options, res *Residual) []float64 {
	n := len(b.mem)
	if n <= opt.DenseLimit {
		y := append([]float64(nil), entry...)
		factor(b).solveForward(y)
		res.Dense += n
		return y
	}
	y, r, sweeps, ok := b.gsForward(entry, opt.Tol, opt.MaxSweeps)
	res.Iterative += n
	res.Max = max(res.Max, r)
	res.Sweeps = max(res.Sweeps, sweeps)
	res.Converged = res.Converged && ok
	return y
}

// stationary returns the stationary distribution of a bottom block.
func (b *block) stationary(opt Options, res *Residual) []float64 {
	n := len(b.mem)
	var z []float64
	if n <= opt.DenseLimit {
		z = b.gth()
		res.Dense += n
	} else {
		var sweeps int
		var ok bool
		z, sweeps, ok = b.gsStationary(opt.Tol, opt.MaxSweeps)
		res.Iterative += n
		res.Sweeps = max(res.Sweeps, sweeps)
		res.Converged = res.Converged && ok
	}
	// z is the embedded jump chain's stationary vector; time in state i
	// is proportional to z_i / E_i.
	for i := range z {
		z[i] /= b.exit[i]
	}
	scale(z, 1/sum(z))
	res.Max = max(res.Max, b.balanceResidual(z))
	return z
}

// gth is the Grassmann–Taksar–Heyman algorithm (Operations Research 33(5),
// 1985) on the embedded jump chain of a bottom block: censor states from
// the last down, each pivot a sum of positive rates, then rebuild the
// stationary vector upwards. It has no subtraction at all.
func (b *block) gth() []float64 {
	n := len(b.mem)
	a := make([]float64, n*n)
	for i := range n {
		for k := b.off[i]; k < b.off[i+1]; k++ {
			a[i*n+int(b.col[k])] += b.p[k]
		}
	}
	for k := n - 1; k > 0; k-- {
		s := sum(a[k*n : k*n+k])
		for i := range k {
			a[i*n+k] /= s
			if f := a[i*n+k]; f != 0 {
				axpy(a[i*n:i*n+k], a[k*n:k*n+k], f)
			}
		}
	}
	z := make([]float64, n)
	z[0] = 1
	for k := 1; k < n; k++ {
		for i := range k {
			z[k] += z[i] * a[i*n+k]
		}
	}
	return z
}

// gsStationary iterates z = z P on a bottom block by Gauss–Seidel,
// normalising after each sweep, until the relative change is at most tol.
func (b *block) gsStationary(tol float64, maxSweeps int) ([]float64, int, bool) {
	off, col, p := b.transpose()
	n := len(b.mem)
	z := make([]float64, n)
	for i := range z {
		z[i] = 1 / float64(n)
	}
	var g geometric
	for sweeps := 1; sweeps <= maxSweeps; sweeps++ {
		worst := 0.0
		for j := range z {
			s := 0.0
			for k := off[j]; k < off[j+1]; k++ {
				s += p[k] * z[col[k]]
			}
			worst = max(worst, relDiff(z[j], s))
			z[j] = s
		}
		scale(z, 1/sum(z))
		if _, ok := g.next(worst, tol); ok {
			return z, sweeps, true
		}
	}
	return z, maxSweeps, false
}

// balanceResidual is the largest relative violation of global balance,
// |π_j E_j − Σ_i π_i E_i P_ij| / (π_j E_j), of a stationary vector.
func (b *block) balanceResidual(pi []float64) float64 {
	in := make([]float64, len(pi))
	for i := range pi {
		for k := b.off[i]; k < b.off[i+1]; k++ {
			in[b.col[k]] += pi[i] * b.exit[i] * b.p[k]
		}
	}
	worst := 0.0
	for j := range pi {
		worst = max(worst, relDiff(pi[j]*b.exit[j], in[j]))
	}
	return worst
}

func sum(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s
}

func scale(v []float64, f float64) {
	for i := range v {
		v[i] *= f
	}
}

// forEach calls f with each transition of row s.
func (c *Chain) forEach(s uint32, f func(t uint32, r float64)) {
	lo, hi := c.bounds(s)
	for k := lo; k < hi; k++ {
		f(c.to[k], c.rate(k))
	}
}
