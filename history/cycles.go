package history

import "sort"

// The dependency graph between operations that Jepsen's Kafka checker
// hands to Elle's cycle search (jepsen/src/jepsen/tests/kafka.clj: ww-graph,
// wr-graph, and elle/core.clj's realtime-graph and process-graph). Its
// vertices are the completions of send, poll and txn operations, whatever
// their type; an edge says one operation must come before another.

// EdgeKind is why one operation precedes another.
type EdgeKind uint8

// The edge kinds, in the order an edge that has several reasons is
// explained by (data dependencies first, as Elle's combined explainer
// asks the Kafka explainers before the realtime one).
const (
	// WW: a sends a value to a key, b sends the next value in that key's
	// version order.
	WW EdgeKind = iota
	// WR: a sends a value, b polls it.
	WR
	// RW: the last value a polled from a key is followed, in the version
	// order, by one b sends (an anti-dependency).
	RW
	// Process: a process completed a, ok, then ran b.
	Process
	// Realtime: a completed ok before b was invoked.
	Realtime
	numKinds
)

func (k EdgeKind) String() string {
	return [...]string{"ww", "wr", "rw", "process", "realtime"}[k]
}

// Order says which order between operations, beyond their data, the cycle
// search may use.
type Order string

// The orders. Jepsen's Kafka checker asks Elle for strict
// serializability, which adds real-time order (and with it, since a
// process runs one operation at a time, each process's order).
const (
	OrderRealtime Order = "realtime"
	OrderProcess  Order = "process"
	OrderNone     Order = "none"
)

// AnalyzeOptions say which dependencies the cycle search draws; the zero
// value is what Jepsen's Kafka checker draws by default.
type AnalyzeOptions struct {
	// WWDeps infers write-write dependencies from each key's version
	// order (Jepsen's :ww-deps, off unless a test asks). With them, G1c
	// becomes informational: without write isolation a cycle such as
	// t0 -ww-> t1 -wr-> t0 is expected.
	WWDeps bool
	// RWDeps draws anti-dependencies. Jepsen's checker describes them but
	// never draws them (its rw graph is commented out of the analyzer), so
	// it never reports G-single-item, G-nonadjacent-item or G2-item: a
	// consumer's poll may stop short of the log's end, so "read v, not the
	// next value" proves little. electcheck's own addition, off by default.
	RWDeps bool
	// Order is realtime ("", Jepsen's), process or none.
	Order Order
}

func (o AnalyzeOptions) order() Order {
	if o.Order == "" {
		return OrderRealtime
	}
	return o.Order
}

// edge is one dependency, with what explains it: the key, and the values
// (v1 the earlier operation's, v2 the later's) it is about.
type edge struct {
	from, to int32
	kind     EdgeKind
	key      int64
	v1, v2   int64
}

// depGraph is the dependency graph in compressed rows: the edges leaving
// vertex v are out[start[v]:start[v+1]], sorted by target. Vertices are
// indexes into analysis.comps; one pair of operations has at most one
// edge, explained by its first kind.
type depGraph struct {
	n     int
	start []int32
	out   []edge
	// kinds counts the edges of each kind.
	kinds [numKinds]int
}

// isTxn reports whether a completion is a vertex of the graph: Jepsen
// searches cycles over send, poll and txn operations only.
func isTxn(c *completion) bool {
	f := c.call.F
	return f == FSend || f == FPoll || f == FTxn
}

// buildGraph draws the edges the options ask for.
func (a *analysis) buildGraph(opts AnalyzeOptions) *depGraph {
	var es []edge
	es = a.wrEdges(es)
	if opts.WWDeps {
		es = a.wwEdges(es)
	}
	if opts.RWDeps {
		es = a.rwEdges(es)
	}
	switch opts.order() {
	case OrderRealtime:
		es = a.realtimeEdges(es)
	case OrderProcess:
		es = a.processEdges(es)
	}
	return newDepGraph(len(a.comps), es)
}

func newDepGraph(n int, es []edge) *depGraph {
	sort.Slice(es, func(i, j int) bool {
		x, y := &es[i], &es[j]
		switch {
		case x.from != y.from:
			return x.from < y.from
		case x.to != y.to:
			return x.to < y.to
		case x.kind != y.kind:
			return x.kind < y.kind
		case x.key != y.key:
			return x.key < y.key
		case x.v1 != y.v1:
			return x.v1 < y.v1
		}
		return x.v2 < y.v2
	})
	g := &depGraph{n: n, start: make([]int32, n+1)}
	for i, e := range es {
		if i > 0 && es[i-1].from == e.from && es[i-1].to == e.to {
			continue // the first (best) explanation of this pair stands
		}
		g.out = append(g.out, e)
		g.start[e.from+1]++
		g.kinds[e.kind]++
	}
	for v := 0; v < n; v++ {
		g.start[v+1] += g.start[v]
	}
	return g
}

func (g *depGraph) edges(v int32) []edge { return g.out[g.start[v]:g.start[v+1]] }

// vertex is the graph's id of a completion.
func (a *analysis) vertex(c *completion) int32 {
	return int32(c.index)
}

// wrEdges: every value a send/poll/txn polled, from the operation that
// sent it (whatever became of that send: a failed writer is G1a as well),
// to each that polled it. A value nobody sent explains nothing.
func (a *analysis) wrEdges(es []edge) []edge {
	for _, k := range sortedKeys(a.readers) {
		for _, v := range sortedKeys(a.readers[k]) {
			w := a.writer[k][v]
			if w == nil || !isTxn(w) {
				continue
			}
			for _, r := range a.readers[k][v] {
				if r != w && isTxn(r) {
					es = append(es, edge{from: a.vertex(w), to: a.vertex(r), kind: WR, key: k, v1: v, v2: v})
				}
			}
		}
	}
	return es
}

// wwEdges: each sent value, from the sender of the value just before it
// in its key's version order (kafka.clj's ww-graph).
func (a *analysis) wwEdges(es []edge) []edge {
	for _, k := range sortedKeys(a.writer) {
		vo := a.orders[k]
		if vo == nil {
			continue
		}
		for _, v2 := range sortedKeys(a.writer[k]) {
			i, ok := vo.byValue[v2]
			if !ok || i == 0 {
				continue
			}
			v1 := vo.byIndex[i-1]
			w1, w2 := a.writer[k][v1], a.writer[k][v2]
			if w1 == nil || w1 == w2 || !isTxn(w1) || !isTxn(w2) {
				continue
			}
			es = append(es, edge{from: a.vertex(w1), to: a.vertex(w2), kind: WW, key: k, v1: v1, v2: v2})
		}
	}
	return es
}

// rwEdges: from each operation to the sender of the value after the last
// one it polled from a key (the anti-dependency kafka.clj's documentation
// defines on each transaction's highest read of a key).
func (a *analysis) rwEdges(es []edge) []edge {
	for i := range a.comps {
		c := &a.comps[i]
		if !isTxn(c) {
			continue
		}
		reads := readsOf(c.op)
		for _, k := range sortedKeys(reads) {
			vo := a.orders[k]
			if vo == nil {
				continue
			}
			top := -1
			for _, v := range reads[k] {
				if j, ok := vo.byValue[v]; ok && j > top {
					top = j
				}
			}
			if top < 0 || top+1 >= len(vo.byIndex) {
				continue
			}
			v1, v2 := vo.byIndex[top], vo.byIndex[top+1]
			w := a.writer[k][v2]
			if w == nil || w == c || !isTxn(w) {
				continue
			}
			es = append(es, edge{from: a.vertex(c), to: a.vertex(w), kind: RW, key: k, v1: v1, v2: v2})
		}
	}
	return es
}

// realtimeEdges: a before b when a completed ok before b was invoked. The
// order has n² pairs; these edges keep only enough of them that every
// pair is joined by a path (as elle/core.clj's realtime-graph does): each
// invocation is linked from the ok completions not already followed by a
// later ok completion that precedes it.
func (a *analysis) realtimeEdges(es []edge) []edge {
	type event struct {
		index int64
		comp  int32
		call  bool
	}
	var evs []event
	for i := range a.comps {
		c := &a.comps[i]
		if !isTxn(c) {
			continue
		}
		evs = append(evs, event{c.call.Index, int32(i), true})
		if c.typ == OK {
			evs = append(evs, event{c.op.Index, int32(i), false})
		}
	}
	sort.Slice(evs, func(i, j int) bool { return evs[i].index < evs[j].index })
	var frontier []int32         // ok completions that may still precede a later invocation
	preds := map[int32][]int32{} // invocation's vertex -> frontier it was linked from
	inFrontier := make([]bool, len(a.comps))
	for _, e := range evs {
		if e.call {
			for _, p := range frontier {
				es = append(es, edge{from: p, to: e.comp, kind: Realtime})
			}
			if a.comps[e.comp].typ == OK {
				preds[e.comp] = append([]int32(nil), frontier...)
			}
			continue
		}
		// e.comp completed ok: what preceded its invocation precedes it,
		// and it precedes whatever follows.
		for _, p := range preds[e.comp] {
			inFrontier[p] = false
		}
		delete(preds, e.comp)
		kept := frontier[:0]
		for _, p := range frontier {
			if inFrontier[p] {
				kept = append(kept, p)
			}
		}
		frontier = append(kept, e.comp)
		inFrontier[e.comp] = true
	}
	return es
}

// processEdges: each process's ok operations, in turn (elle/core.clj's
// process-graph).
func (a *analysis) processEdges(es []edge) []edge {
	last := map[int64]int32{}
	var order []int32
	for i := range a.comps {
		if c := &a.comps[i]; isTxn(c) && c.typ == OK {
			order = append(order, int32(i))
		}
	}
	sort.SliceStable(order, func(i, j int) bool { return a.comps[order[i]].op.Index < a.comps[order[j]].op.Index })
	for _, v := range order {
		p := a.comps[v].call.Process
		if prev, ok := last[p]; ok {
			es = append(es, edge{from: prev, to: v, kind: Process})
		}
		last[p] = v
	}
	return es
}
