package history

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// Each cycle kind on a history made to show it, and a near miss that
// must not; ops are named by their completion's index.
func TestCycleKinds(t *testing.T) {
	ww := AnalyzeOptions{WWDeps: true}
	rw := AnalyzeOptions{RWDeps: true}
	proc := AnalyzeOptions{Order: OrderProcess}
	// G0-realtime: op 1 sends 1 at offset 1 and completes; op 3, invoked
	// after, sends 2 at offset 0, before it.
	g0rt := func(off int64) *builder {
		return new(builder).ev(0, Invoke, FSend, snd(0, 1)).ev(0, OK, FSend, sent(0, 1, 1)).
			ev(1, Invoke, FSend, snd(0, 2)).ev(1, OK, FSend, sent(0, off, 2))
	}
	// A poll that reads a value sent by an operation invoked after it
	// returned: a future read, G1c with a realtime (or process) edge.
	future := func(p2 int64, overlap bool) *builder {
		b := new(builder).ev(0, Invoke, FPoll, Mop{F: FPoll})
		if overlap {
			b.ev(p2, Invoke, FSend, snd(1, 2)).ev(0, OK, FPoll, polled(1, 0, 2)).ev(p2, OK, FSend, sent(1, 0, 2))
			return b
		}
		return b.ev(0, OK, FPoll, polled(1, 0, 2)).ev(p2, Invoke, FSend, snd(1, 2)).ev(p2, OK, FSend, sent(1, 0, 2))
	}
	// op 4 polls key 1 up to 10 (offset 0) and key 0's 5, which op 5
	// sent with 11, the value after 10 (rw, then wr); read11 has op 4
	// read 11 too, so there is no rw edge.
	single := func(read11 bool) *builder {
		b := new(builder).send(0, 1, 10, 0).
			ev(1, Invoke, FPoll, Mop{F: FPoll}).ev(2, Invoke, FTxn, snd(1, 11), snd(0, 5))
		r := polled(0, 0, 5)
		r.Reads = append(r.Reads, polled(1, 0, 10).Reads...)
		if read11 {
			r.Reads[1].Records = append(r.Reads[1].Records, Record{Offset: 1, Value: 11})
		}
		return b.ev(1, OK, FPoll, r).ev(2, OK, FTxn, sent(1, 1, 11), sent(0, 0, 5))
	}
	// Two txns each poll one key short of the value the other sends
	// there (rw both ways: G2-item); near miss: one reads the other's.
	g2 := func(miss bool) *builder {
		b := new(builder).send(0, 0, 1, 0).send(0, 1, 1, 0).
			ev(1, Invoke, FTxn, Mop{F: FPoll}, snd(1, 2)).ev(2, Invoke, FTxn, Mop{F: FPoll}, snd(0, 2))
		r := polled(0, 0, 1)
		if miss {
			r = polled(0, 0, 1, 1, 2)
		}
		return b.ev(1, OK, FTxn, r, sent(1, 1, 2)).ev(2, OK, FTxn, polled(1, 0, 1), sent(0, 1, 2))
	}
	// rw, wr, rw, wr around four txns: t1 polls key 0 short of t2's
	// value, t3 polls t2's key 1, t3 polls key 2 short of t4's value, t1
	// polls t4's key 3 (G-nonadjacent-item); near miss: t1 reads t2's.
	nonadj := func(miss bool) *builder {
		b := new(builder).send(0, 0, 1, 0).send(0, 2, 1, 0).
			ev(1, Invoke, FPoll, Mop{F: FPoll}).ev(2, Invoke, FSend, snd(0, 2), snd(1, 1)).
			ev(3, Invoke, FPoll, Mop{F: FPoll}).ev(4, Invoke, FSend, snd(2, 2), snd(3, 1))
		r1 := polled(0, 0, 1)
		if miss {
			r1 = polled(0, 0, 1, 1, 2)
		}
		r1.Reads = append(r1.Reads, polled(3, 0, 1).Reads...)
		r3 := polled(1, 0, 1)
		r3.Reads = append(r3.Reads, polled(2, 0, 1).Reads...)
		return b.ev(1, OK, FPoll, r1).ev(2, OK, FSend, sent(0, 1, 2), sent(1, 0, 1)).
			ev(3, OK, FPoll, r3).ev(4, OK, FSend, sent(2, 1, 2), sent(3, 0, 1))
	}
	g0 := func(agree bool) *builder {
		y := int64(1)
		if agree {
			y = 0
		}
		return new(builder).ev(0, Invoke, FSend, snd(0, 1), snd(1, 1)).ev(1, Invoke, FSend, snd(0, 2), snd(1, 2)).
			ev(0, OK, FSend, sent(0, 0, 1), sent(1, y, 1)).ev(1, OK, FSend, sent(0, 1, 2), sent(1, 1-y, 2))
	}
	cases := []struct {
		name string
		b    *builder
		opts AnalyzeOptions
		want map[string]int // the cycle anomalies, exactly
	}{
		{"G0", g0(false), ww, map[string]int{"G0": 1}},
		{"G0 without ww-deps", g0(false), AnalyzeOptions{}, nil},
		{"G0 near miss: the orders agree", g0(true), ww, nil},
		{"G0-realtime", g0rt(0), ww, map[string]int{"G0-realtime": 1}},
		{"G0-realtime near miss: offsets in order", g0rt(2), ww, nil},
		{"G1c-realtime", future(1, false), AnalyzeOptions{}, map[string]int{"G1c-realtime": 1}},
		{"G1c-realtime near miss: overlapping", future(1, true), AnalyzeOptions{}, nil},
		{"G1c-process", future(0, false), proc, map[string]int{"G1c-process": 1}},
		{"G1c-process near miss: two processes", future(1, false), proc, nil},
		{"G-single-item", single(false), rw, map[string]int{"G-single-item": 1}},
		{"G-single-item without rw-deps", single(false), AnalyzeOptions{}, nil},
		{"G-single-item near miss: read the next value", single(true), rw, nil},
		{"G2-item", g2(false), rw, map[string]int{"G2-item": 1}},
		{"G2-item near miss", g2(true), rw, nil},
		{"G-nonadjacent-item", nonadj(false), rw, map[string]int{"G-nonadjacent-item": 1}},
		{"G-nonadjacent-item near miss", nonadj(true), rw, nil},
	}
	for _, c := range cases {
		ops, err := c.b.history().Pair()
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		as := AnalyzeWith(ops, c.opts)
		got := map[string]int{}
		for _, a := range as {
			if len(a.Steps) > 0 {
				got[a.Name]++
				if classify(stepsAsEdges(a.Steps)) != a.Name {
					t.Errorf("%s: a %s witness whose steps classify as %s", c.name, a.Name, classify(stepsAsEdges(a.Steps)))
				}
				if a.Says == "" || len(a.Events) != len(a.Steps) {
					t.Errorf("%s: a witness without its words or events: %+v", c.name, a)
				}
			}
		}
		if len(c.want) == 0 && len(got) == 0 {
			continue
		}
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%s: cycles %v, want %v; all %v", c.name, got, c.want, names(as))
		}
	}
}

func stepsAsEdges(steps []CycleStep) []edge {
	kinds := map[string]EdgeKind{"ww": WW, "wr": WR, "rw": RW, "process": Process, "realtime": Realtime}
	var es []edge
	for _, s := range steps {
		es = append(es, edge{kind: kinds[s.Type]})
	}
	return es
}

// The empty history and its near misses: operations with no dependency
// between them are left to the other checks.
func TestEmptyTransactionGraph(t *testing.T) {
	assign := new(builder).ev(0, Invoke, FAssign).ev(0, OK, FAssign)
	refused := new(builder).ev(0, Invoke, FSend, snd(0, 1)).ev(0, Fail, FSend, snd(0, 1))
	for name, c := range map[string]struct {
		b    *builder
		want int
	}{"assign only": {assign, 1}, "nothing at all": {new(builder), 1}, "a refused send": {refused, 0},
		"a send and a poll": {new(builder).send(0, 0, 1, 0).poll(1, 0, 0, 1), 0}} {
		ops, err := c.b.history().Pair()
		if err != nil {
			t.Fatal(err)
		}
		if got := names(Analyze(ops))["empty-transaction-graph"]; got != c.want {
			t.Errorf("%s: %d empty-transaction-graph, want %d", name, got, c.want)
		}
	}
}

// The shortest cycle search against a plain one: on random graphs, the
// length of the shortest cycle of each kind through each component
// equals the shortest closed walk found by exhaustive depth-first
// enumeration of simple cycles.
func TestShortestCycleAgainstEnumeration(t *testing.T) {
	seed := uint64(20240823)
	rng := rand.New(rand.NewPCG(seed, 1))
	reached := map[string]int{}
	for trial := 0; trial < 300; trial++ {
		n := 3 + rng.IntN(5)
		var es []edge
		for i := 0; i < n*2; i++ {
			a, b := int32(rng.IntN(n)), int32(rng.IntN(n))
			if a != b {
				es = append(es, edge{from: a, to: b, kind: EdgeKind(rng.IntN(int(numKinds)))})
			}
		}
		g := newDepGraph(n, es)
		s := newSearcher(g)
		for _, comp := range g.sccs() {
			for i, v := range comp {
				s.member[v] = int32(i)
			}
			s.seen, s.parent, s.via = make([]uint32, len(comp)*stride), make([]int32, len(comp)*stride), make([]int32, len(comp)*stride)
			for _, spec := range cycleSpecs {
				s.budget = searchBudget
				want := enumerateShortest(g, comp, spec)
				c, ok := s.shortest(comp, spec)
				got := 0
				if ok {
					got = len(c.edges)
					if classify(c.edges) != spec.name {
						t.Fatalf("seed %d trial %d: a %s cycle classified %s", seed, trial, spec.name, classify(c.edges))
					}
					reached[spec.name]++
				}
				if got != want {
					t.Fatalf("seed %d trial %d: %s: shortest %d, enumeration %d", seed, trial, spec.name, got, want)
				}
			}
			for _, v := range comp {
				s.member[v] = -1
			}
		}
	}
	// Witnesses that the comparison met each kind.
	for _, spec := range cycleSpecs {
		if reached[spec.name] == 0 {
			t.Errorf("seed %d: no random graph had a %s cycle", seed, spec.name)
		}
	}
}

// enumerateShortest finds, by trying every simple cycle in a component,
// the length of the shortest that classifies as spec (0: none).
func enumerateShortest(g *depGraph, comp []int32, spec cycleSpec) int {
	in := map[int32]bool{}
	for _, v := range comp {
		in[v] = true
	}
	best := 0
	var path []edge
	onPath := map[int32]bool{}
	var dfs func(start, u int32)
	dfs = func(start, u int32) {
		for _, e := range g.edges(u) {
			if !in[e.to] || e.to < start || spec.allowed&(1<<e.kind) == 0 {
				continue
			}
			path = append(path, e)
			if e.to == start {
				if classify(path) == spec.name && (best == 0 || len(path) < best) {
					best = len(path)
				}
			} else if !onPath[e.to] {
				onPath[e.to] = true
				dfs(start, e.to)
				onPath[e.to] = false
			}
			path = path[:len(path)-1]
		}
	}
	for _, v := range comp {
		onPath[v] = true
		dfs(v, v)
		onPath[v] = false
	}
	return best
}
