package markov

import (
	"fmt"
	"math"
	"testing"
)

// The closed forms of docs/risk.md §"Closed forms", on chains built through
// the Builder. λ is the failure rate of one replica, μ the repair rate.

var rateCases = []struct{ lambda, mu float64 }{
	{0.001, 0.1}, {1e-4, 1}, {1.0 / 8766, 1.0 / 24}, {0.3, 0.7}, {2e-9, 5},
}

// birthDeath is n replicas: state k has k failed, state n is lost. Each up
// replica fails at λ; failed ones are repaired at μ each (crews = n) or
// one at a time (crews = 1).
func birthDeath(t testing.TB, n, crews int, lambda, mu float64) (*Chain, Labels) {
	sp := &spec{names: LabelNames{"init", "lost"}}
	for k := 0; k <= n; k++ {
		var l Labels
		var row []Edge
		if k == 0 {
			l |= 1
		}
		if k == n {
			l |= 2
		} else {
			row = append(row, Edge{uint32(k + 1), float64(n-k) * lambda})
			if k > 0 {
				row = append(row, Edge{uint32(k - 1), float64(min(k, crews)) * mu})
			}
		}
		sp.add(l, row...)
	}
	return sp.build(t), 2
}

// mttdlBirthDeath is risk.md's recursion: τ₀ = 1/b₀, τ_k = 1/b_k +
// (d_k/b_k)·τ_{k−1}, MTTDL = Σ_{k<n} τ_k.
func mttdlBirthDeath(n, crews int, lambda, mu float64) float64 {
	total, tau := 0.0, 0.0
	for k := 0; k < n; k++ {
		b := float64(n-k) * lambda
		d := float64(min(k, crews)) * mu
		tau = 1/b + d/b*tau
		total += tau
	}
	return total
}

func mttdl(t testing.TB, c *Chain, lost Labels) (float64, Residual) {
	t.Helper()
	x, res, err := ExpectedReward(c, lost, Time, nil)
	if err != nil {
		t.Fatal(err)
	}
	return x[0], res
}

func TestMTTDLTwoReplicas(t *testing.T) {
	for _, rc := range rateCases {
		l, m := rc.lambda, rc.mu
		c, lost := birthDeath(t, 2, 2, l, m)
		got, _ := mttdl(t, c, lost)
		near(t, fmt.Sprintf("MTTDL(λ=%g, μ=%g)", l, m), got, (3*l+m)/(2*l*l), 1e-10)
	}
}

func TestMTTDLThreeReplicas(t *testing.T) {
	for _, rc := range rateCases {
		l, m := rc.lambda, rc.mu
		c, lost := birthDeath(t, 3, 3, l, m)
		got, _ := mttdl(t, c, lost)
		near(t, fmt.Sprintf("parallel MTTDL(λ=%g, μ=%g)", l, m), got, (11*l*l+7*l*m+2*m*m)/(6*l*l*l), 1e-10)
		c, lost = birthDeath(t, 3, 1, l, m)
		got, _ = mttdl(t, c, lost)
		near(t, fmt.Sprintf("one-crew MTTDL(λ=%g, μ=%g)", l, m), got, (11*l*l+4*l*m+m*m)/(6*l*l*l), 1e-10)
	}
}

func TestMTTDLBirthDeath(t *testing.T) {
	for n := 1; n <= 6; n++ {
		for _, crews := range []int{1, n} {
			for _, rc := range rateCases {
				c, lost := birthDeath(t, n, crews, rc.lambda, rc.mu)
				got, res := mttdl(t, c, lost)
				near(t, fmt.Sprintf("n=%d crews=%d λ=%g μ=%g", n, crews, rc.lambda, rc.mu), got, mttdlBirthDeath(n, crews, rc.lambda, rc.mu), 1e-10)
				if n > 1 && res.Blocks != 1 || res.Infinite != 0 || !res.Converged {
					t.Errorf("n=%d: residual %+v: want one dense block, nothing infinite", n, res)
				}
			}
		}
	}
}

// TestRegeneration is identity (4): one incident at a time reproduces (1).
// The incident starts at the first fault (one replica down) and ends healed
// or lost; p = λ/(λ+μ), D = 1/(λ+μ), Λ = 2λ, and (1/Λ + D)/p = MTTDL.
func TestRegeneration(t *testing.T) {
	for _, rc := range rateCases {
		l, m := rc.lambda, rc.mu
		sp := &spec{names: LabelNames{"init", "healed", "lost"}}
		sp.add(1, Edge{1, m}, Edge{2, l})
		sp.add(2)
		sp.add(4)
		c := sp.build(t)
		p, _, err := Reach(c, 4, nil)
		if err != nil {
			t.Fatal(err)
		}
		dur, _, err := ExpectedReward(c, 2|4, Time, nil)
		if err != nil {
			t.Fatal(err)
		}
		near(t, "p", p[0], l/(l+m), 1e-12)
		near(t, "D", dur[0], 1/(l+m), 1e-12)
		incidents := 2 * l
		near(t, "(1/Λ+D)/p", (1/incidents+dur[0])/p[0], (3*l+m)/(2*l*l), 1e-10)
		full, lost := birthDeath(t, 2, 2, l, m)
		whole, _ := mttdl(t, full, lost)
		near(t, "regeneration vs whole chain", (1/incidents+dur[0])/p[0], whole, 1e-10)
	}
}

// TestAvailabilityKofN is (5): n independent replicas, each up with
// probability A = μ/(λ+μ) in the long run; U_k = P(fewer than k up).
func TestAvailabilityKofN(t *testing.T) {
	for _, n := range []int{1, 2, 3, 5, 7} {
		for _, rc := range rateCases {
			l, m := rc.lambda, rc.mu
			sp := &spec{names: LabelNames{"init"}}
			for up := 0; up <= n; up++ { // state index = number of replicas up
				var row []Edge
				if up > 0 {
					row = append(row, Edge{uint32(up - 1), float64(up) * l})
				}
				if up < n {
					row = append(row, Edge{uint32(up + 1), float64(n-up) * m})
				}
				sp.add(0, row...)
			}
			c := sp.build(t)
			pi, res, err := Steady(c, Point(c.N(), uint32(n)), nil)
			if err != nil {
				t.Fatal(err)
			}
			a, notA := m/(l+m), l/(l+m) // 1 − A written without a subtraction
			for k := 1; k <= n; k++ {
				got := 0.0
				for up := 0; up < k; up++ {
					got += pi[up]
				}
				want := 0.0 // U_k = Σ_{j<k} C(n,j) A^j (1−A)^{n−j}, summed directly (no 1 − …)
				for j := 0; j < k; j++ {
					want += binom(n, j) * math.Pow(a, float64(j)) * math.Pow(notA, float64(n-j))
				}
				near(t, fmt.Sprintf("U_%d of %d (λ=%g, μ=%g)", k, n, l, m), got, want, 1e-10)
			}
			if res.Max > 1e-12 {
				t.Errorf("balance residual %g", res.Max)
			}
		}
	}
}

func binom(n, k int) float64 {
	r := 1.0
	for i := 1; i <= k; i++ {
		r = r * float64(n-k+i) / float64(i)
	}
	return r
}
