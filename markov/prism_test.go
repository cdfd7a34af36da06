package markov

import (
	"flag"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// PRISM cross-check. PRISM cannot run in CI, so its figures are pinned
// here, with how they were made; the test computes ours and compares.
//
// PRISM 4.10.2-dev built from source, commit
// 9486c774830b78b6ad0e491e0b56d6082d660cb7 (prismmodelchecker/prism), as
// ../shared/peers/README.md says. The files come from
//
//	go test ./markov -run TestExportForPRISM -prism-export DIR
//
// and each figure from, in DIR,
//
//	prism -importmodel NAME.tra,sta,lab,srew -ctmc NAME.csl -explicit -epsilon 1e-12 -relative
//	prism -importmodel NAME.tra,sta,lab,srew -ctmc NAME-t.csl -explicit -epsilon 1e-9
//
// (the second for the time-bounded query: PRISM's Fox–Glynn takes ε/8 and
// refuses below 1e-10, so -epsilon 1e-9 is the tightest it accepts). The
// .sta lists the state index first, so that PRISM, which orders imported
// states by their .sta values, keeps ours.
var prismExport = flag.String("prism-export", "", "write the PRISM cross-check chains and properties to this folder")

type prismCase struct {
	name  string
	chain func(testing.TB) *Chain
	t     float64 // the time bound of P=? [ F<=t "lost" ]
	// PRISM's results in the initial state: P=? [ F "lost" ],
	// R=? [ F "lost"|"healed" ] (time), P=? [ F<=t "lost" ].
	prismP, prismR, prismPt float64
}

var prismCases = []prismCase{
	{name: "two-replicas", chain: func(t testing.TB) *Chain { return prismBirthDeath(t, 2) }, t: 1000,
		prismP: 1.0, prismR: 51499.9999947934, prismPt: 0.01904876447235557},
	// PRISM's R here needed -maxiters 10000000 (Jacobi did not converge in
	// its default 10,000 iterations) and is 1.1e-8 relative below the
	// closed form 3,451,833.33…: its stopping test is on successive
	// iterates, not on the error. Ours is the exact solve.
	{name: "three-replicas", chain: func(t testing.TB) *Chain { return prismBirthDeath(t, 3) }, t: 1e5,
		prismP: 1.0, prismR: 3451833.2967116795, prismPt: 0.02855046426239189},
	// t = 0.5 keeps q·t near 1,500 (the fastest state leaves at ~3,000/h):
	// at t = 2, PRISM took 96 s for this query and ours 6 s (97 M transition
	// steps a second).
	{name: "random", chain: prismRandom, t: 0.5,
		prismP: 0.1551461779369899, prismR: 24.641781363991804, prismPt: 6.698567809126681e-5},
}

// prismBirthDeath is closed form (1)/(2): n replicas, λ = 0.001/h, μ =
// 0.1/h, repairs in parallel; labels init, lost (and healed, on no state).
func prismBirthDeath(t testing.TB, n int) *Chain {
	const lambda, mu = 0.001, 0.1
	sp := &spec{names: LabelNames{"init", "lost", "healed"}}
	for k := 0; k <= n; k++ {
		var row []Edge
		var l Labels
		if k == 0 {
			l = 1
		}
		if k == n {
			l = 2
		} else {
			row = append(row, Edge{uint32(k + 1), float64(n-k) * lambda})
			if k > 0 {
				row = append(row, Edge{uint32(k - 1), float64(k) * mu})
			}
		}
		sp.add(l, row...)
	}
	return sp.build(t)
}

// prismRandom is a stiff, mostly acyclic chain of 40,000 states shaped
// like an incident graph: protocol steps (rate 10–1000) lead forward,
// some step back a little (small cycles), faults (1e-4–1e-2) jump further
// and some into "lost"; the last 400 states are absorbing, "healed" or
// "lost". Labels offline and refused mark states for the reward. Seeded,
// so the exported files are reproducible.
func prismRandom(t testing.TB) *Chain { return incidentLike(t, 40_000) }

// incidentLike is prismRandom's chain with n states (n/100 of them sinks).
func incidentLike(t testing.TB, n int) *Chain {
	sinks := n / 100
	rng := rand.New(rand.NewPCG(2026, 12))
	fast := []float64{10, 33.3, 100, 250, 1000}
	slow := []float64{1e-4, 3e-4, 1e-3, 1e-2}
	b, err := NewBuilder(LabelNames{"init", "lost", "healed", "offline", "refused"})
	if err != nil {
		t.Fatal(err)
	}
	for s := range n {
		var l Labels
		switch {
		case s == 0:
			l = 1
		case s >= n-sinks && s%5 == 0:
			l = 2
		case s >= n-sinks:
			l = 4
		case rng.IntN(10) == 0:
			l = 8 | 16
		case rng.IntN(10) == 0:
			l = 16
		}
		b.AddState(l)
	}
	var row []Edge
	for s := range n {
		row = row[:0]
		if s < n-sinks {
			for range 1 + rng.IntN(3) {
				row = append(row, Edge{uint32(min(n-1, s+1+rng.IntN(40))), fast[rng.IntN(len(fast))]})
			}
			if s > 5 && rng.IntN(8) == 0 {
				row = append(row, Edge{uint32(s - 1 - rng.IntN(5)), fast[rng.IntN(len(fast))]})
			}
			if rng.IntN(3) == 0 {
				to := uint32(min(n-1, s+1+rng.IntN(2000)))
				if rng.IntN(4) == 0 {
					to = uint32(n - sinks + 5*rng.IntN(sinks/5)) // a lost sink
				}
				row = append(row, Edge{to, slow[rng.IntN(len(slow))]})
			}
		}
		if err := b.AddRow(row); err != nil {
			t.Fatal(err)
		}
	}
	c, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// ours computes the three figures for the initial state (state 0).
func ours(t testing.TB, c *Chain, bound float64) (p, r, pt float64) {
	names := c.Names()
	lost, end := names.MustMask("lost"), names.MustMask("lost", "healed")
	px, _, err := Reach(c, lost, nil)
	if err != nil {
		t.Fatal(err)
	}
	rx, _, err := ExpectedReward(c, end, Time, nil)
	if err != nil {
		t.Fatal(err)
	}
	tx, _, err := TransientReach(c, lost, bound, 1e-12)
	if err != nil {
		t.Fatal(err)
	}
	return px[0], rx[0], tx[0]
}

func TestAgainstPRISM(t *testing.T) {
	for _, pc := range prismCases {
		if pc.prismR == 0 {
			continue // not pinned yet
		}
		c := pc.chain(t)
		p, r, pt := ours(t, c, pc.t)
		t.Logf("%s: ours P=%.17g R=%.17g Pt=%.17g; PRISM %.17g %.17g %.17g", pc.name, p, r, pt, pc.prismP, pc.prismR, pc.prismPt)
		// The issue asks for 1e-6 relative; we hold to 1e-7, the worst
		// being PRISM's own iterative error on three-replicas.
		near(t, pc.name+" P(F lost) vs PRISM", p, pc.prismP, 1e-9)
		near(t, pc.name+" R(F lost|healed) vs PRISM", r, pc.prismR, 1e-7)
		near(t, pc.name+" P(F<=t lost) vs PRISM", pt, pc.prismPt, 1e-9)
	}
}

// TestExportForPRISM writes the cross-check chains for PRISM (with
// -prism-export DIR; otherwise it skips).
func TestExportForPRISM(t *testing.T) {
	if *prismExport == "" {
		t.Skip("give -prism-export DIR to write the PRISM cross-check files")
	}
	for _, pc := range prismCases {
		c := pc.chain(t)
		base := filepath.Join(*prismExport, pc.name)
		write := func(ext string, f func(*os.File) error) {
			out, err := os.Create(base + ext)
			if err != nil {
				t.Fatal(err)
			}
			if err := f(out); err != nil {
				t.Fatal(err)
			}
			if err := out.Close(); err != nil {
				t.Fatal(err)
			}
		}
		write(".tra", func(f *os.File) error { return WriteTra(f, c) })
		write(".lab", func(f *os.File) error { return WriteLab(f, c) })
		write(".sta", func(f *os.File) error {
			return WriteSta(f, c.N(), []string{"s"}, func(s uint32) []int { return []int{int(s)} })
		})
		write(".srew", func(f *os.File) error { return WriteSrew(f, c.N(), Time) })
		write(".csl", func(f *os.File) error {
			_, err := f.WriteString("P=? [ F \"lost\" ]\nR=? [ F \"lost\"|\"healed\" ]\n")
			return err
		})
		write("-t.csl", func(f *os.File) error {
			_, err := f.WriteString("P=? [ F<=" + formatFloat(pc.t) + " \"lost\" ]\n")
			return err
		})
		p, r, pt := ours(t, c, pc.t)
		t.Logf("%s: %d states, %d transitions; ours: P=%.17g R=%.17g Pt=%.17g", pc.name, c.N(), c.Transitions(), p, r, pt)
	}
}

func formatFloat(v float64) string { return string(appendFloat(nil, v)) }
