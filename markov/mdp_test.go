package markov

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// handMDP is a five-state MDP whose optima are computed by hand:
//
//	0: a → {0: .5, goal: .2, fail: .3}   b → {goal: .5, fail: .5}
//	1: a → {0: 1}                        b → {2: 1}
//	2: a → {2: 1} (stay for ever)        b → {goal: 1}
//	3 goal, 4 fail: no choices
func handMDP(t testing.TB) *MDP {
	b, err := NewMDPBuilder(LabelNames{"goal", "fail"})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range []Labels{0, 0, 0, 1, 2} {
		b.AddState(l)
	}
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(b.AddChoices([]Edge{{0, .5}, {3, .2}, {4, .3}}, []Edge{{3, .5}, {4, .5}}))
	must(b.AddChoices([]Edge{{0, 1}}, []Edge{{2, 1}}))
	must(b.AddChoices([]Edge{{2, 1}}, []Edge{{3, 1}}))
	must(b.AddChoices())
	must(b.AddChoices())
	m, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestMDPByHand(t *testing.T) {
	m := handMDP(t)
	inf := math.Inf(1)
	// Pmax(0) = max(x with x = .5x + .2, .5) = max(.4, .5); Pmin(0) = .4.
	// Rmax(0): x = 1 + .5x under a, so 2; Rmin(0) = 1 under b.
	check := func(what string, got, want []float64) {
		t.Helper()
		for s := range want {
			if !(got[s] == want[s] || math.Abs(got[s]-want[s]) <= 1e-12*math.Abs(want[s])) {
				t.Errorf("%s(%d) = %.17g, want %g", what, s, got[s], want[s])
			}
		}
	}
	x, res := ReachMax(m, 1, nil)
	check("Pmax", x, []float64{.5, 1, 1, 1, 0})
	if !res.Converged {
		t.Errorf("Pmax: %+v", res)
	}
	x, _ = ReachMin(m, 1, nil)
	check("Pmin", x, []float64{.4, 0, 0, 1, 0})
	x, res, err := RewardMax(m, 3, Time, nil)
	if err != nil {
		t.Fatal(err)
	}
	check("Rmax", x, []float64{2, inf, inf, 0, 0})
	if res.Infinite != 2 {
		t.Errorf("Rmax: %d infinite, want 2", res.Infinite)
	}
	x, _, err = RewardMin(m, 3, Time, nil)
	if err != nil {
		t.Fatal(err)
	}
	check("Rmin", x, []float64{1, 2, 1, 0, 0})
}

// family is a group of actions that share one rate: the scheduler (or,
// uniformly, chance) picks the member that takes it.
type family struct {
	rate    float64
	members []uint32
}

// familyModel is a random CTMC whose states have action families; it
// returns the uniform CTMC (each member gets rate/k), the MDP whose
// choices pick one member per family (embedded probabilities), and the
// exit rates.
func familyModel(t testing.TB, rng *rand.Rand, n int) (*Chain, *MDP, []float64) {
	goal, fail := uint32(n), uint32(n+1)
	fams := make([][]family, n)
	for s := range fams {
		for range 1 + rng.IntN(2) {
			f := family{rate: float64(1 + rng.IntN(5))}
			for range 1 + rng.IntN(3) {
				var to uint32
				switch r := rng.IntN(10); {
				case r == 0:
					to = goal
				case r == 1:
					to = fail
				default:
					to = uint32(rng.IntN(n))
				}
				f.members = append(f.members, to)
			}
			fams[s] = append(fams[s], f)
		}
	}
	names := LabelNames{"goal", "fail"}
	sp := &spec{names: names}
	mb, err := NewMDPBuilder(names)
	if err != nil {
		t.Fatal(err)
	}
	exit := make([]float64, n+2)
	for s := range n {
		var row []Edge
		for _, f := range fams[s] {
			exit[s] += f.rate
			for _, to := range f.members {
				row = append(row, Edge{to, f.rate / float64(len(f.members))})
			}
		}
		sp.add(0, row...)
		mb.AddState(0)
	}
	sp.add(1)
	sp.add(2)
	mb.AddState(1)
	mb.AddState(2)
	for s := range n {
		if err := mb.AddChoices(pickOnePerFamily(fams[s])...); err != nil {
			t.Fatal(err)
		}
	}
	for range 2 {
		if err := mb.AddChoices(); err != nil {
			t.Fatal(err)
		}
	}
	m, err := mb.Build()
	if err != nil {
		t.Fatal(err)
	}
	return sp.build(t), m, exit
}

// pickOnePerFamily lists every way to pick one member of each family, as
// a choice with the family's rate going to its member.
func pickOnePerFamily(fams []family) [][]Edge {
	choices := [][]Edge{nil}
	for _, f := range fams {
		var next [][]Edge
		for _, ch := range choices {
			for _, to := range f.members {
				next = append(next, append(append([]Edge(nil), ch...), Edge{to, f.rate}))
			}
		}
		choices = next
	}
	return choices
}

// TestMDPBracketsUniform: the uniform split is one randomised scheduler,
// so its value lies between the minimum and the maximum; and on these
// models the two differ somewhere.
func TestMDPBracketsUniform(t *testing.T) {
	const seed = 7
	rng := rand.New(rand.NewPCG(seed, 2))
	spread := 0.0
	for trial := range 40 {
		n := 2 + rng.IntN(8)
		c, m, exit := familyModel(t, rng, n)
		uni, _, err := Reach(c, 1, nil)
		if err != nil {
			t.Fatal(err)
		}
		lo, _ := ReachMin(m, 1, nil)
		hi, _ := ReachMax(m, 1, nil)
		timeU, _, err := ExpectedReward(c, 3, Time, nil)
		if err != nil {
			t.Fatal(err)
		}
		perVisit := func(s uint32) float64 { return 1 / exit[s] }
		tLo, _, err := RewardMin(m, 3, perVisit, nil)
		if err != nil {
			t.Fatal(err)
		}
		tHi, _, err := RewardMax(m, 3, perVisit, nil)
		if err != nil {
			t.Fatal(err)
		}
		for s := range n {
			name := fmt.Sprintf("seed %d trial %d state %d", seed, trial, s)
			if !(lo[s] <= uni[s]*(1+1e-9) && uni[s] <= hi[s]*(1+1e-9)) {
				t.Errorf("%s: P: min %g, uniform %g, max %g", name, lo[s], uni[s], hi[s])
			}
			if !(tLo[s] <= timeU[s]*(1+1e-9) && timeU[s] <= tHi[s]*(1+1e-9)) {
				t.Errorf("%s: time: min %g, uniform %g, max %g", name, tLo[s], timeU[s], tHi[s])
			}
			spread = max(spread, hi[s]-lo[s])
		}
	}
	if spread < 0.1 {
		t.Errorf("the largest spread Pmax − Pmin is %g: the models give the scheduler no say", spread)
	}
}
