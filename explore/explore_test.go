package explore

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
)

// grid is a toy model whose numbers can be worked out by hand: a point
// (X, Y) in [0,N]², starting at the origin, that can step right, step up
// or swap its coordinates.
type grid struct{ n uint8 }

type point struct{ X, Y uint8 }

type move int

const (
	right move = iota
	up
	swap
)

func (g grid) Init() []point { return []point{{0, 0}} }

func (g grid) Actions(p *point, dst []move) []move {
	if p.X < g.n {
		dst = append(dst, right)
	}
	if p.Y < g.n {
		dst = append(dst, up)
	}
	return append(dst, swap)
}

func (g grid) Next(p *point, m move) point {
	switch m {
	case right:
		return point{p.X + 1, p.Y}
	case up:
		return point{p.X, p.Y + 1}
	}
	return point{p.Y, p.X}
}

func (g grid) Encode(dst []byte, p *point) []byte { return append(dst, p.X, p.Y) }

func (g grid) Decode(b []byte) (point, error) {
	if len(b) != 2 {
		return point{}, fmt.Errorf("bad length %d", len(b))
	}
	return point{b[0], b[1]}, nil
}

func gridSpec(n uint8, sumBelow int) Spec[point, move] {
	return Spec[point, move]{
		Model: grid{n},
		Invariants: []Invariant[point]{{
			Name: "sum-below",
			Check: func(p *point) error {
				if int(p.X)+int(p.Y) >= sumBelow {
					return fmt.Errorf("X+Y = %d", int(p.X)+int(p.Y))
				}
				return nil
			},
		}},
		Witnesses: []Witness[point]{
			{Name: "corner", Reached: func(p *point) bool { return p.X == n && p.Y == n }},
			{Name: "unreachable", Reached: func(p *point) bool { return p.X > n }},
		},
		Kind:      func(m move) int { return int(m) },
		KindNames: []string{"right", "up", "swap"},
	}
}

// gridGenerated is the successor count of a complete search of grid n:
// one initial state, then every state's enabled actions.
func gridGenerated(n int) int64 {
	return 1 + int64(n*(n+1)+n*(n+1)+(n+1)*(n+1))
}

func TestBFSCompleteSearchCounts(t *testing.T) {
	const n = 6
	res, err := Run(gridSpec(n, 100), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict != OK || !res.Complete {
		t.Fatalf("verdict %v complete %v, want ok and complete", res.Verdict, res.Complete)
	}
	if got, want := res.Stats.Distinct, int64((n+1)*(n+1)); got != want {
		t.Errorf("distinct = %d, want %d", got, want)
	}
	if got, want := res.Stats.Generated, gridGenerated(n); got != want {
		t.Errorf("generated = %d, want %d", got, want)
	}
	// The farthest point, (n, n), is 2n steps away: 2n+1 levels.
	if got, want := res.Stats.Depth, 2*n+1; got != want {
		t.Errorf("depth = %d, want %d", got, want)
	}
	if !res.Witnesses[0].Reached || len(res.Witnesses[0].Trace.States) != 2*n+1 {
		t.Errorf("corner witness = %v with %d states, want reached in %d", res.Witnesses[0].Reached, len(res.Witnesses[0].Trace.States), 2*n+1)
	}
	if res.Witnesses[1].Reached {
		t.Errorf("an unreachable witness was reported reached")
	}
	var total int64
	for _, c := range res.Coverage {
		total += c.Generated
	}
	if total != res.Stats.Generated-1 {
		t.Errorf("coverage counts %d successors, stats %d", total, res.Stats.Generated-1)
	}
}

func TestBFSFindsShortestCounterexample(t *testing.T) {
	for _, k := range []int{1, 3, 7} {
		res, err := Run(gridSpec(6, k), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if res.Verdict != Violation || len(res.Violations) != 1 {
			t.Fatalf("k=%d: verdict %v with %d violations", k, res.Verdict, len(res.Violations))
		}
		tr := res.Violations[0].Trace
		// Reaching X+Y = k takes k steps: k+1 states.
		if len(tr.States) != k+1 || len(tr.Actions) != k {
			t.Errorf("k=%d: trace has %d states and %d actions, want %d and %d", k, len(tr.States), len(tr.Actions), k+1, k)
		}
		// The trace replays through the model.
		g := grid{6}
		s := g.Init()[0]
		for i, a := range tr.Actions {
			s = g.Next(&s, a)
			if s != tr.States[i+1] {
				t.Fatalf("k=%d: step %d does not replay", k, i+1)
			}
		}
		if res.Complete || res.StopReason == "" {
			t.Errorf("k=%d: a search stopped at a violation must not claim completeness", k)
		}
	}
}

func TestDFSReachesTheSameStates(t *testing.T) {
	for _, n := range []uint8{0, 1, 5, 9} {
		bfs, err := Run(gridSpec(n, 1000), Options{})
		if err != nil {
			t.Fatal(err)
		}
		dfs, err := Run(gridSpec(n, 1000), Options{Strategy: DFS})
		if err != nil {
			t.Fatal(err)
		}
		if bfs.Stats.Distinct != dfs.Stats.Distinct || bfs.Stats.Generated != dfs.Stats.Generated {
			t.Errorf("n=%d: BFS %d/%d, DFS %d/%d distinct/generated", n, bfs.Stats.Distinct, bfs.Stats.Generated, dfs.Stats.Distinct, dfs.Stats.Generated)
		}
		if dfs.Verdict != OK || !dfs.Complete {
			t.Errorf("n=%d: DFS verdict %v complete %v", n, dfs.Verdict, dfs.Complete)
		}
	}
}

func TestDFSCounterexampleReplays(t *testing.T) {
	res, err := Run(gridSpec(6, 5), Options{Strategy: DFS})
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict != Violation {
		t.Fatalf("verdict %v", res.Verdict)
	}
	tr := res.Violations[0].Trace
	g := grid{6}
	s := g.Init()[0]
	for i, a := range tr.Actions {
		s = g.Next(&s, a)
		if s != tr.States[i+1] {
			t.Fatalf("step %d does not replay", i+1)
		}
	}
	if last := tr.States[len(tr.States)-1]; int(last.X)+int(last.Y) < 5 {
		t.Errorf("DFS counterexample ends in %v, which does not violate the invariant", last)
	}
}

func TestKeepGoingFindsEveryInvariant(t *testing.T) {
	spec := gridSpec(4, 3)
	spec.Invariants = append(spec.Invariants, Invariant[point]{Name: "x-below-2", Check: func(p *point) error {
		if p.X >= 2 {
			return errors.New("X >= 2")
		}
		return nil
	}})
	res, err := Run(spec, Options{KeepGoing: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Violations) != 2 {
		t.Fatalf("got %d violations, want 2", len(res.Violations))
	}
	// Shortest first: X >= 2 needs 2 steps, X+Y >= 3 needs 3.
	if res.Violations[0].Invariant != "x-below-2" || len(res.Violations[0].Trace.States) != 3 {
		t.Errorf("first violation %s in %d states", res.Violations[0].Invariant, len(res.Violations[0].Trace.States))
	}
	if res.Violations[1].Invariant != "sum-below" || len(res.Violations[1].Trace.States) != 4 {
		t.Errorf("second violation %s in %d states", res.Violations[1].Invariant, len(res.Violations[1].Trace.States))
	}
}

func TestBudgetsEndInconclusive(t *testing.T) {
	res, err := Run(gridSpec(30, 1000), Options{MaxStates: 50})
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict != Inconclusive || res.Complete || res.StopReason == "" {
		t.Errorf("state budget: verdict %v complete %v reason %q", res.Verdict, res.Complete, res.StopReason)
	}
	if res.Stats.Distinct < 50 || res.Stats.Queue == 0 {
		t.Errorf("state budget: %d distinct, %d queued; want at least 50 and a non-empty queue", res.Stats.Distinct, res.Stats.Queue)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, strat := range []Strategy{BFS, DFS} {
		res, err = Run(gridSpec(200, 100000), Options{Context: ctx, Strategy: strat})
		if err != nil {
			t.Fatal(err)
		}
		if res.Verdict != Inconclusive || res.StopReason != "interrupted" {
			t.Errorf("%v cancelled: verdict %v reason %q", strat, res.Verdict, res.StopReason)
		}
	}
}

// flaky is nondeterministic: successors depend on a counter outside the
// state, so a replay does not meet what the search saw.
type flaky struct {
	grid
	calls *int
}

func (f flaky) Next(p *point, m move) point {
	*f.calls++
	q := f.grid.Next(p, m)
	if *f.calls > 40 && m != swap && q.X < f.n && q.Y < f.n {
		q.X++
		q.Y++
	}
	return q
}

func TestReplayDetectsNondeterminism(t *testing.T) {
	calls := 0
	spec := gridSpec(8, 6)
	spec.Model = flaky{grid{8}, &calls}
	_, err := Run(spec, Options{})
	if !errors.Is(err, ErrNondeterminism) {
		t.Fatalf("got %v, want ErrNondeterminism", err)
	}
}

func TestFPSetAgreesWithAMap(t *testing.T) {
	seed := uint64(20261121)
	r := rand.New(rand.NewPCG(seed, 1))
	s := newFPSet(1)
	ref := map[uint64]bool{}
	for i := range 200000 {
		fp := r.Uint64()%50000 + 1 // force many repeats
		if got, want := s.insert(fp), !ref[fp]; got != want {
			t.Fatalf("seed %d, op %d: insert(%d) = %v, want %v", seed, i, fp, got, want)
		}
		ref[fp] = true
	}
	for fp := uint64(1); fp <= 50000; fp++ {
		if s.contains(fp) != ref[fp] {
			t.Fatalf("contains(%d) = %v, want %v", fp, s.contains(fp), ref[fp])
		}
	}
	if s.n != len(ref) {
		t.Errorf("size %d, want %d", s.n, len(ref))
	}
}

func TestFingerprint(t *testing.T) {
	seen := map[uint64][]byte{}
	var b []byte
	// Every byte string up to length 2, and the growing prefixes of a
	// longer one: all distinct inputs, so all fingerprints must differ.
	add := func(in []byte) {
		fp := Fingerprint(in)
		if fp == 0 {
			t.Fatalf("Fingerprint(%x) = 0", in)
		}
		if prev, ok := seen[fp]; ok {
			t.Fatalf("Fingerprint(%x) = Fingerprint(%x)", in, prev)
		}
		seen[fp] = append([]byte(nil), in...)
	}
	add(nil)
	for i := range 256 {
		add([]byte{byte(i)})
		for j := range 256 {
			add([]byte{byte(i), byte(j)})
		}
	}
	for i := range 100 {
		b = append(b, byte(i*7))
		if i >= 2 {
			add(b)
		}
	}
}

func TestCollisionProbability(t *testing.T) {
	if p := CollisionProbability(1000, 1000); p != 0 {
		t.Errorf("no revisits: %g, want 0", p)
	}
	// TLC's formula: n (g - n) / 2^64.
	want := 1e6 * 2e6 / 18446744073709551616.0
	if p := CollisionProbability(1_000_000, 3_000_000); p != want {
		t.Errorf("got %g, want %g", p, want)
	}
}
