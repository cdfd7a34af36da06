package explore

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
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

// The number of workers changes nothing: counts, coverage, verdicts,
// witnesses and traces are identical.
func TestWorkersGiveIdenticalResults(t *testing.T) {
	for _, sum := range []int{3, 9, 100} {
		var first Result[point, move]
		for i, workers := range []int{1, 2, 8} {
			res, err := Run(gridSpec(40, sum), Options{Workers: workers, KeepGoing: true})
			if err != nil {
				t.Fatal(err)
			}
			res.Stats.Elapsed, res.Stats.PeakMemory, res.Stats.Workers = 0, 0, 0
			if i == 0 {
				first = res
				continue
			}
			if !reflect.DeepEqual(res, first) {
				t.Errorf("sum %d: %d workers differ from 1:\n%+v\n%+v", sum, workers, res.Stats, first.Stats)
			}
		}
	}
}

func TestMemoryBudgetEndsInconclusive(t *testing.T) {
	res, err := Run(gridSpec(250, 1<<20), Options{MaxMemory: 1 << 20, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict != Inconclusive || res.StopReason == "" {
		t.Errorf("verdict %v, reason %q", res.Verdict, res.StopReason)
	}
}

// Expanding a state allocates nothing once the worker's and chunk's
// buffers are warm: no allocation per generated state.
func TestExpandDoesNotAllocate(t *testing.T) {
	spec := gridSpec(50, 1000)
	m := spec.Model
	block := []byte{blockDelta}
	var enc, prev []byte
	const n = 40
	for i := range uint8(n) {
		p := point{i, i / 2}
		enc = m.Encode(enc[:0], &p)
		block = encodeDelta(block, prev, enc)
		prev = append(prev[:0], enc...)
	}
	visited := newVisitedSet(false)
	var w worker[point, move]
	out := &chunkOut{}
	run := func() {
		out.reset(len(spec.KindNames), 256, 2)
		if err := expandBlock(spec, nil, visited, &w, block, 0, n, out); err != nil {
			t.Fatal(err)
		}
		out.groupByShard()
	}
	run() // warm the buffers
	if allocs := testing.AllocsPerRun(50, run); allocs != 0 {
		t.Errorf("expanding %d states allocates %.1f times", n, allocs)
	}
	if len(out.cands) == 0 {
		t.Fatal("nothing was expanded")
	}
}

func TestStateGraph(t *testing.T) {
	const n = 3
	states, edges, err := StateGraph[point, move](grid{n}, nil, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(states) != (n+1)*(n+1) || int64(len(edges)) != gridGenerated(n)-1 {
		t.Fatalf("%d states, %d edges; want %d and %d", len(states), len(edges), (n+1)*(n+1), gridGenerated(n)-1)
	}
	if states[0] != (point{0, 0}) {
		t.Errorf("state 0 is %v, not the initial state", states[0])
	}
	for _, e := range edges {
		if got := (grid{n}).Next(&states[e.From], e.Action); got != states[e.To] {
			t.Errorf("edge %v: %v --%v--> %v, but Next gives %v", e, states[e.From], e.Action, states[e.To], got)
		}
	}
	// Under symmetry, one node per orbit: the points with X <= Y.
	sym, _, err := StateGraph[point, move](grid{n}, symGrid{}.Canonicalize, 100)
	if err != nil || len(sym) != (n+1)*(n+2)/2 {
		t.Errorf("symmetric graph: %d states, %v", len(sym), err)
	}
	if _, _, err := StateGraph[point, move](grid{n}, nil, 10); err == nil || !strings.Contains(err.Error(), "more than 10 states") {
		t.Errorf("a graph over the limit: %v", err)
	}
}
