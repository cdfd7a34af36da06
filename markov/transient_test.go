package markov

import (
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// logPoisson is log P(N = k) for N ~ Poisson(λ), in C. Loader's form
// ("Fast and accurate computation of binomial probabilities", 2000):
// −log√(2πk) − stirlerr(k) − bd0(k, λ), which, unlike −λ + k log λ −
// log k!, does not lose digits to cancellation when λ is large.
func logPoisson(lambda float64, k int) float64 {
	if k == 0 {
		return -lambda
	}
	x := float64(k)
	return -0.5*math.Log(2*math.Pi*x) - stirlerr(x) - bd0(x, lambda)
}

// stirlerr is log x! − (log√(2πx) + x log x − x).
func stirlerr(x float64) float64 {
	if x <= 15 {
		lg, _ := math.Lgamma(x + 1)
		return lg - (0.5*math.Log(2*math.Pi*x) + x*math.Log(x) - x)
	}
	x2 := x * x
	return (1.0/12 - (1.0/360-(1.0/1260-(1.0/1680)/x2)/x2)/x2) / x
}

// bd0 is x log(x/m) + m − x, by its series when x is near m.
func bd0(x, m float64) float64 {
	if math.Abs(x-m) < 0.1*(x+m) {
		v := (x - m) / (x + m)
		s := (x - m) * v
		ej := 2 * x * v
		for j := 1; j < 1000; j++ {
			ej *= v * v
			s1 := s + ej/float64(2*j+1)
			if s1 == s {
				return s1
			}
			s = s1
		}
		return s
	}
	return x*math.Log(x/m) + m - x
}

// TestFoxGlynn checks the weights against log-space Poisson probabilities
// and the mass left out against the bound, across the paper's regimes
// (λ < 25, 25 ≤ λ < 400, λ ≥ 400) and far beyond.
func TestFoxGlynn(t *testing.T) {
	for _, lambda := range []float64{1e-6, 0.1, 1, 10, 24.9, 25, 100, 399.5, 400, 1e4, 1e6, 1e8} {
		for _, eps := range []float64{1e-6, 1e-12} {
			p, err := foxGlynn(lambda, eps)
			if err != nil {
				t.Fatal(err)
			}
			inside, worst := 0.0, 0.0
			for i, w := range p.w {
				exact := math.Exp(logPoisson(lambda, p.left+i))
				inside += exact
				if exact > 1e-200 {
					worst = max(worst, math.Abs(w-exact)/exact)
				}
			}
			name := fmt.Sprintf("λ=%g ε=%g [%d,%d]", lambda, eps, p.left, p.right())
			if out := 1 - inside; out > eps*1.0001 {
				t.Errorf("%s: mass outside %.3g > ε", name, out)
			}
			// The weights are normalised over the window, so each is off by
			// at most the mass outside plus rounding along the recurrence.
			if worst > eps+1e-11 {
				t.Errorf("%s: a weight is off by %.3g relative", name, worst)
			}
		}
	}
}

// twoReplicas is the chain of closed form (3): 0 both up, 1 one up, 2 lost.
func twoReplicas(t testing.TB, lambda, mu float64) *Chain {
	sp := &spec{names: LabelNames{"init", "lost"}}
	sp.add(1, Edge{1, 2 * lambda})
	sp.add(0, Edge{0, mu}, Edge{2, lambda})
	sp.add(2)
	return sp.build(t)
}

// lossByTwo is 1 − R(t) of closed form (3), written without cancellation:
// with r₁, r₂ the roots of s² + (3λ+μ)s + 2λ² (r₁ by Vieta's formula, the
// small root), 1 − R(t) = (r₁·expm1(r₂t) − r₂·expm1(r₁t)) / (r₂ − r₁).
func lossByTwo(lambda, mu, t float64) float64 {
	b, c := 3*lambda+mu, 2*lambda*lambda
	r2 := (-b - math.Sqrt(b*b-4*c)) / 2
	r1 := c / r2
	return (r1*math.Expm1(r2*t) - r2*math.Expm1(r1*t)) / (r2 - r1)
}

func TestTransientTwoReplicas(t *testing.T) {
	for _, rc := range []struct{ lambda, mu float64 }{{0.001, 0.1}, {0.05, 1}, {1e-5, 0.5}} {
		c := twoReplicas(t, rc.lambda, rc.mu)
		q := rc.lambda + rc.mu // the largest exit rate: state 1's
		for _, qt := range []float64{0, 10, 400, 1e4} {
			x, u, err := TransientReach(c, 2, qt/q, 1e-12)
			if err != nil {
				t.Fatal(err)
			}
			want := lossByTwo(rc.lambda, rc.mu, qt/q)
			name := fmt.Sprintf("λ=%g μ=%g q·t=%g: P(lost by t)", rc.lambda, rc.mu, qt)
			if qt == 0 {
				if x[0] != 0 || x[2] != 1 {
					t.Errorf("%s = %g (lost state %g), want 0 and 1", name, x[0], x[2])
				}
				continue
			}
			near(t, name, x[0], want, 1e-9)
			t.Logf("%s = %.6g (relative error %.2g, window [%d, %d])", name, x[0], math.Abs(x[0]-want)/want, u.Left, u.Right)
			near(t, "q", u.Q, q, 1e-15)
		}
	}
}

// TestTransientMatchesExpm compares uniformisation with the matrix
// exponential (gonum's Padé approximation) on a small chain with a cycle,
// two absorbing targets and a state that cannot reach them.
func TestTransientMatchesExpm(t *testing.T) {
	sp := &spec{names: LabelNames{"a", "b"}}
	sp.add(0, Edge{1, 3}, Edge{2, 0.5})
	sp.add(0, Edge{0, 2}, Edge{3, 0.25}, Edge{4, 1})
	sp.add(0, Edge{1, 4}, Edge{5, 0.01})
	sp.add(1)
	sp.add(0, Edge{5, 7})
	sp.add(2, Edge{0, 1})
	c := sp.build(t)
	target := Labels(1 | 2)
	n := c.N()
	gen := mat.NewDense(n, n, nil)
	for s := range n {
		if c.Labels(uint32(s)).Has(target) {
			continue
		}
		for to, r := range c.Row(uint32(s)) {
			gen.Set(s, int(to), r)
			gen.Set(s, s, gen.At(s, s)-r)
		}
	}
	for _, tt := range []float64{0.01, 0.3, 2, 10} {
		var e, qt mat.Dense
		qt.Scale(tt, gen)
		e.Exp(&qt)
		x, _, err := TransientReach(c, target, tt, 1e-13)
		if err != nil {
			t.Fatal(err)
		}
		for s := range n {
			want := 0.0
			for j := range n {
				if c.Labels(uint32(j)).Has(target) {
					want += e.At(s, j)
				}
			}
			near(t, fmt.Sprintf("t=%g state %d", tt, s), x[s], want, 1e-9)
		}
	}
}
