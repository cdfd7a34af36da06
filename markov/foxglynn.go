package markov

import (
	"fmt"
	"math"
)

// poisson holds Poisson(λ) probabilities for k = left … left+len(w)−1,
// normalised so that they sum to 1; the mass outside is at most the ε they
// were computed for.
type poisson struct {
	lambda float64
	left   int
	w      []float64
}

// right is the last k with a weight.
func (p poisson) right() int { return p.left + len(p.w) - 1 }

// foxGlynn computes Poisson(λ) probabilities by the algorithm of B. L. Fox
// and P. W. Glynn, "Computing Poisson probabilities", Communications of
// the ACM 31(4):440–445, 1988, in its three parts:
//
//   - the finder picks truncation points from the paper's tail bounds
//     (Corollary 1 on the right, with λ raised to 400 below 400, where
//     Poisson(400) dominates; Corollary 2 on the left, and 0 below λ = 25);
//   - the weighter starts at the mode m = ⌊λ⌋ with a weight ω/(10¹⁰(R−L))
//     (ω the largest float, so that no weight overflows and few underflow)
//     and runs the recurrences w_{k−1} = (k/λ) w_k down and w_{k+1} =
//     λ/(k+1) w_k up, stopping where a weight would fall below the
//     underflow threshold τ;
//   - the total W is summed from both ends, smallest first, and every
//     weight divided by it.
//
// After normalising, the tails are trimmed while their mass stays below
// ε/4 on each side, which the bounds (used with ε/2, so ε/4 a side) leave
// room for: the dropped mass is at most ε in all.
func foxGlynn(lambda, eps float64) (poisson, error) {
	if lambda < 0 || math.IsNaN(lambda) || math.IsInf(lambda, 0) {
		return poisson{}, fmt.Errorf("the Poisson rate %v must be finite and non-negative", lambda)
	}
	if !(eps > 0 && eps < 1) {
		return poisson{}, fmt.Errorf("truncation error %v: it must be in (0, 1)", eps)
	}
	if lambda == 0 {
		return poisson{lambda: 0, w: []float64{1}}, nil
	}
	left, right := fgFinder(lambda, eps/2)
	p := fgWeighter(lambda, left, right)
	p.trim(eps / 4)
	return p, nil
}

const (
	fgOmega = math.MaxFloat64
	fgTau   = 1e-300
)

// fgFinder returns the truncation points L and R.
func fgFinder(lambda, eps float64) (left, right int) {
	sqrt2pi := math.Sqrt(2 * math.Pi)
	if lambda >= 25 {
		// Corollary 2: P(N < m − k√λ − 3/2) ≤ b_λ e^{−k²/2}/(k√(2π)).
		b := (1 + 1/lambda) * math.Exp(1/(8*lambda))
		k := 3.0
		for b*math.Exp(-k*k/2)/(k*sqrt2pi) >= eps/2 {
			k++
		}
		left = max(0, int(math.Floor(math.Floor(lambda)-k*math.Sqrt(lambda)-1.5)))
	}
	// Corollary 1: P(N > m + k√(2λ) + 3/2) ≤ a_λ d(k,λ) e^{−k²/2}/(k√(2π)).
	lr := max(lambda, 400)
	a := (1 + 1/lr) * math.Exp(1.0/16) * math.Sqrt2
	k := 3.0
	for {
		d := 1 / (1 - math.Exp(-(2.0/9)*(k*math.Sqrt(2*lr)+1.5)))
		if a*d*math.Exp(-k*k/2)/(k*sqrt2pi) < eps/2 {
			break
		}
		k++
	}
	right = int(math.Ceil(math.Floor(lr) + k*math.Sqrt(2*lr) + 1.5))
	return left, right
}

// fgWeighter runs the recurrences from the mode and normalises.
func fgWeighter(lambda float64, left, right int) poisson {
	m := int(math.Floor(lambda))
	w := make([]float64, right-left+1)
	w[m-left] = fgOmega / (1e10 * float64(right-left))
	lo := m
	for j := m; j > left; j-- {
		next := w[j-left] * float64(j) / lambda
		if next < fgTau {
			break
		}
		w[j-1-left] = next
		lo = j - 1
	}
	hi := m
	for j := m; j < right; j++ {
		next := w[j-left] * lambda / float64(j+1)
		if next < fgTau {
			break
		}
		w[j+1-left] = next
		hi = j + 1
	}
	w = w[lo-left : hi-left+1]
	// The total, smallest terms first from both ends (the weights rise to
	// the mode and fall after it).
	i, j, total := 0, len(w)-1, 0.0
	for i < j {
		if w[i] <= w[j] {
			total += w[i]
			i++
		} else {
			total += w[j]
			j--
		}
	}
	total += w[i]
	for k := range w {
		w[k] /= total
	}
	return poisson{lambda: lambda, left: lo, w: w}
}

// trim drops tail weights while the dropped mass on each side stays below
// budget.
func (p *poisson) trim(budget float64) {
	cut := 0.0
	for len(p.w) > 1 && cut+p.w[len(p.w)-1] < budget {
		cut += p.w[len(p.w)-1]
		p.w = p.w[:len(p.w)-1]
	}
	cut = 0
	for len(p.w) > 1 && cut+p.w[0] < budget {
		cut += p.w[0]
		p.w = p.w[1:]
		p.left++
	}
}
