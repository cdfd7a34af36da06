package markov

import (
	"math"
	"math/rand/v2"
	"testing"
)

// randomChain has n states with up to deg random transitions each, rates
// from a small set, and the labels given by label (nil: none).
func randomChain(t testing.TB, rng *rand.Rand, n, deg int, label func(s int) Labels) *Chain {
	t.Helper()
	b, err := NewBuilder(LabelNames{"a", "b", "c"})
	if err != nil {
		t.Fatal(err)
	}
	var row []Edge
	for s := range n {
		var l Labels
		if label != nil {
			l = label(s)
		}
		b.AddState(l)
	}
	for range n {
		row = row[:0]
		for range rng.IntN(deg + 1) {
			row = append(row, Edge{uint32(rng.IntN(n)), float64(1 + rng.IntN(4))})
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

// tarjanReference is the textbook recursive Tarjan algorithm, the plain
// version the iterative one is checked against: it returns a component
// label per state (comparable only as a partition).
func tarjanReference(c *Chain, absorbing Labels) []int {
	n := c.N()
	index, low, comp := make([]int, n), make([]int, n), make([]int, n)
	on := make([]bool, n)
	for i := range index {
		index[i], comp[i] = -1, -1
	}
	var stack []int
	next, ncomp := 0, 0
	var visit func(v int)
	visit = func(v int) {
		index[v], low[v] = next, next
		next++
		stack = append(stack, v)
		on[v] = true
		if !c.Labels(uint32(v)).Has(absorbing) {
			for w := range c.Row(uint32(v)) {
				switch {
				case index[w] < 0:
					visit(int(w))
					low[v] = min(low[v], low[w])
				case on[w]:
					low[v] = min(low[v], index[w])
				}
			}
		}
		if low[v] == index[v] {
			for {
				w := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				on[w] = false
				comp[w] = ncomp
				if w == v {
					break
				}
			}
			ncomp++
		}
	}
	for v := range n {
		if index[v] < 0 {
			visit(v)
		}
	}
	return comp
}

// checkDecomposition checks d against the reference partition and checks
// that every transition goes to the same or a lower component.
func checkDecomposition(t testing.TB, c *Chain, absorbing Labels, d *SCCs) {
	t.Helper()
	ref := tarjanReference(c, absorbing)
	n := c.N()
	seen := map[[2]int]bool{}
	for s := range n {
		for s2 := range n {
			if (ref[s] == ref[s2]) != (d.Comp[s] == d.Comp[s2]) {
				t.Fatalf("states %d and %d: reference same=%v, Decompose same=%v", s, s2, ref[s] == ref[s2], d.Comp[s] == d.Comp[s2])
			}
		}
		seen[[2]int{ref[s], int(d.Comp[s])}] = true
		if c.Labels(uint32(s)).Has(absorbing) {
			continue
		}
		for w := range c.Row(uint32(s)) {
			if d.Comp[w] > d.Comp[s] {
				t.Fatalf("transition %d→%d goes from component %d up to %d", s, w, d.Comp[s], d.Comp[w])
			}
		}
	}
	count := 0
	for id := range d.Len() {
		for _, s := range d.Members(id) {
			if d.Comp[s] != uint32(id) {
				t.Fatalf("state %d listed in component %d but Comp says %d", s, id, d.Comp[s])
			}
			count++
		}
	}
	if count != n {
		t.Fatalf("components list %d states of %d", count, n)
	}
}

func TestDecomposeRandom(t *testing.T) {
	const seed = 20261207
	rng := rand.New(rand.NewPCG(seed, 1))
	for trial := range 300 {
		n := 1 + rng.IntN(60)
		c := randomChain(t, rng, n, 1+rng.IntN(3), func(s int) Labels { return Labels(rng.IntN(8)) })
		absorbing := Labels(rng.IntN(8))
		d := Decompose(c, absorbing)
		if t.Failed() {
			t.Fatalf("seed %d trial %d", seed, trial)
		}
		checkDecomposition(t, c, absorbing, d)
	}
}

// TestDecomposeLongCycle: one cycle through 10⁶ states, a depth-first
// search 10⁶ deep, which a recursive implementation would pay for in
// goroutine stack.
func TestDecomposeLongCycle(t *testing.T) {
	const n = 1_000_000
	b, err := NewBuilder(nil)
	if err != nil {
		t.Fatal(err)
	}
	b.Grow(n, n)
	row := make([]Edge, 1)
	for s := range n {
		b.AddState(0)
		row[0] = Edge{uint32((s + 1) % n), 1}
		if err := b.AddRow(row); err != nil {
			t.Fatal(err)
		}
	}
	c, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	d := Decompose(c, 0)
	if d.Len() != 1 || len(d.Members(0)) != n {
		t.Fatalf("%d components, the first of %d states: want one of %d", d.Len(), len(d.Members(0)), n)
	}
}

// ringWithExits is a cycle of n states (rate 1 onwards) where state i
// also leaves, at a rate that varies with i, for "lost" (state n) or
// "healed" (state n+1).
func ringWithExits(t testing.TB, n int) *Chain {
	sp := &spec{names: LabelNames{"lost", "healed"}}
	for i := range n {
		sp.add(0, Edge{uint32((i + 1) % n), 1}, Edge{uint32(n + i%2), 1e-3 * float64(1+i%7)})
	}
	sp.add(1)
	sp.add(2)
	return sp.build(t)
}

// TestIterativeBlock forces a component onto the Gauss–Seidel path and
// compares it with dense elimination of the same component.
func TestIterativeBlock(t *testing.T) {
	c := ringWithExits(t, 1500)
	exact, resD, err := Reach(c, 1, &Options{DenseLimit: 2000})
	if err != nil {
		t.Fatal(err)
	}
	if resD.Dense != 1500 || resD.Iterative != 0 {
		t.Fatalf("dense solve: %+v", resD)
	}
	it, resI, err := Reach(c, 1, &Options{DenseLimit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if resI.Iterative != 1500 || !resI.Converged || resI.Sweeps == 0 || resI.Max == 0 || resI.Max > 1e-12 {
		t.Fatalf("iterative solve: %+v: want 1500 iterative states, converged, a reported gap ≤ 1e-12", resI)
	}
	worst := 0.0
	for s := range 1500 {
		near(t, "iterative reach", it[s], exact[s], 2e-12)
		worst = max(worst, math.Abs(it[s]-exact[s])/exact[s])
	}
	t.Logf("reach block: interval iteration vs dense %.2g relative; reported %+v", worst, resI)
	tm, _, err := ExpectedReward(c, 3, Time, &Options{DenseLimit: 2000})
	if err != nil {
		t.Fatal(err)
	}
	ti, resR, err := ExpectedReward(c, 3, Time, &Options{DenseLimit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if resR.Iterative != 1500 || !resR.Converged || resR.Max > 1e-11 {
		t.Fatalf("iterative reward: %+v", resR)
	}
	worst = 0.0
	for s := range 1500 {
		near(t, "iterative time", ti[s], tm[s], 1e-10)
		worst = max(worst, math.Abs(ti[s]-tm[s])/tm[s])
	}
	t.Logf("reward block: Gauss–Seidel vs dense %.2g relative; reported %+v", worst, resR)
	// A budget too small to converge is reported, not hidden.
	_, resS, err := Reach(c, 1, &Options{DenseLimit: 100, MaxSweeps: 3})
	if err != nil {
		t.Fatal(err)
	}
	if resS.Converged || resS.Max < 1e-6 {
		t.Fatalf("3 sweeps: %+v: want not converged and a large gap", resS)
	}
}

// TestInfiniteReward: states that may never be absorbed get +Inf, and are
// counted, whether the escape is a deadlock, a bottom cycle, or a path
// through a block to either.
func TestInfiniteReward(t *testing.T) {
	sp := &spec{names: LabelNames{"done"}}
	sp.add(0, Edge{1, 1}, Edge{3, 1}) // 0: to the block {1,2} or done
	sp.add(0, Edge{2, 1})             // 1 ⇄ 2, and 2 may fall into the bottom cycle {4,5}
	sp.add(0, Edge{1, 1}, Edge{4, 1e-9})
	sp.add(1)
	sp.add(0, Edge{5, 1})
	sp.add(0, Edge{4, 1})
	sp.add(0, Edge{3, 1}, Edge{7, 1}) // 6: done, or the deadlock 7
	sp.add(0)
	sp.add(0, Edge{3, 2}) // 8: certain
	c := sp.build(t)
	x, res, err := ExpectedReward(c, 1, Time, nil)
	if err != nil {
		t.Fatal(err)
	}
	for s, finiteWant := range []bool{false, false, false, true, false, false, false, false, true} {
		if math.IsInf(x[s], 1) == finiteWant {
			t.Errorf("state %d: expected time %g, want finite=%v", s, x[s], finiteWant)
		}
	}
	if res.Infinite != 7 {
		t.Errorf("Infinite = %d, want 7", res.Infinite)
	}
	if x[8] != 0.5 {
		t.Errorf("state 8: %g, want 0.5", x[8])
	}
}
