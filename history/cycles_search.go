package history

import "sort"

// The cycle search: the graph's strongly connected components, then, in
// each, the shortest cycle of every anomaly kind the component holds, the
// worst first (elle/txn.clj: cycle-anomaly-specs, searched per SCC in
// order of severity, skipping kinds a found one implies).

// cycleSpec describes the cycles an anomaly is made of.
type cycleSpec struct {
	name string
	// allowed are the edge kinds the cycle may use (a bit per kind);
	// required, each at least once.
	allowed  uint8
	required []EdgeKind
	// rw is how many anti-dependencies: 0 none, 1 exactly one, 2 two or
	// more; adjacent, for two or more, 1 if two must follow each other
	// (G2-item), -1 if none may (G-nonadjacent-item).
	rw       int8
	adjacent int8
	// base is the data-only anomaly this one is a variant of, and
	// variant 0 (data only), 1 (process) or 2 (realtime).
	base    string
	variant int
}

func bits(ks ...EdgeKind) uint8 {
	var b uint8
	for _, k := range ks {
		b |= 1 << k
	}
	return b
}

// cycleSpecs lists the searches, the worst first: the data-only kinds,
// then their process variants, then their realtime ones (Elle names a
// cycle -realtime when it has a realtime edge, else -process when it has
// a process edge).
var cycleSpecs = func() []cycleSpec {
	data := bits(WW, WR, RW)
	base := []cycleSpec{
		{name: "G0", allowed: bits(WW), required: []EdgeKind{WW}},
		{name: "G1c", allowed: bits(WW, WR), required: []EdgeKind{WR}},
		{name: "G-single-item", allowed: data, required: []EdgeKind{RW}, rw: 1},
		{name: "G-nonadjacent-item", allowed: data, required: []EdgeKind{RW}, rw: 2, adjacent: -1},
		{name: "G2-item", allowed: data, required: []EdgeKind{RW}, rw: 2, adjacent: 1},
	}
	var out []cycleSpec
	for variant, order := range []struct {
		suffix string
		kind   EdgeKind
	}{{"", numKinds}, {"-process", Process}, {"-realtime", Realtime}} {
		for _, s := range base {
			s.base, s.variant = s.name, variant
			if order.kind != numKinds {
				s.name += order.suffix
				s.allowed |= bits(order.kind)
				s.required = append(append([]EdgeKind(nil), s.required...), order.kind)
			}
			out = append(out, s)
		}
	}
	return out
}()

// baseImplies: a cycle of the first kind is also one of the second
// (elle/consistency_model.clj's implied-anomalies, for the kinds here).
var baseImplies = map[string][]string{
	"G0":                 {"G1c"},
	"G-single-item":      {"G-nonadjacent-item"},
	"G-nonadjacent-item": {"G2-item"},
}

// implied reports whether finding spec x makes a search for y redundant:
// y's data kind follows from x's, and y's variant is x's or a weaker order
// (a process edge is a realtime one too).
func implied(x, y cycleSpec) bool {
	if y.variant < x.variant {
		return false
	}
	seen := map[string]bool{}
	var walk func(string) bool
	walk = func(b string) bool {
		if b == y.base {
			return true
		}
		if seen[b] {
			return false
		}
		seen[b] = true
		for _, c := range baseImplies[b] {
			if walk(c) {
				return true
			}
		}
		return false
	}
	return walk(x.base)
}

// sccs returns the graph's strongly connected components of two or more
// vertices (there are no self-edges), each sorted, in order of their
// smallest vertex.
func (g *depGraph) sccs() [][]int32 {
	all := make([]int32, g.n)
	for i := range all {
		all[i] = int32(i)
	}
	label := make([]int32, g.n)
	n := g.label(all, func(edge) bool { return true }, label)
	groups := make([][]int32, n)
	for _, v := range all {
		groups[label[v]] = append(groups[label[v]], v)
	}
	var out [][]int32
	for _, c := range groups {
		if len(c) > 1 {
			out = append(out, c) // sorted: vertices were added in order
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}

// label numbers the strongly connected components of the subgraph of
// the given vertices and the edges keep accepts (between those vertices
// only: keep must say no to the others), writing each vertex's component
// into label, and returns how many there are: Tarjan's algorithm,
// without recursion.
func (g *depGraph) label(vertices []int32, keep func(edge) bool, label []int32) int {
	const unseen = -1
	index := make([]int32, g.n)
	low := make([]int32, g.n)
	onStack := make([]bool, g.n)
	for _, v := range vertices {
		index[v] = unseen
	}
	var stack []int32
	type frame struct {
		v    int32
		next int32 // the next out-edge to follow
	}
	var calls []frame
	next, comps := int32(0), 0
	for _, root := range vertices {
		if index[root] != unseen {
			continue
		}
		calls = append(calls, frame{root, g.start[root]})
		index[root], low[root] = next, next
		next++
		stack = append(stack, root)
		onStack[root] = true
		for len(calls) > 0 {
			f := &calls[len(calls)-1]
			v := f.v
			if f.next < g.start[v+1] {
				e := g.out[f.next]
				f.next++
				if !keep(e) {
					continue
				}
				w := e.to
				switch iw := index[w]; {
				case iw == unseen:
					index[w], low[w] = next, next
					next++
					stack = append(stack, w)
					onStack[w] = true
					calls = append(calls, frame{w, g.start[w]})
				case onStack[w] && iw < low[v]:
					low[v] = iw
				}
				continue
			}
			calls = calls[:len(calls)-1]
			if len(calls) > 0 {
				if u := calls[len(calls)-1].v; low[v] < low[u] {
					low[u] = low[v]
				}
			}
			if low[v] != index[v] {
				continue
			}
			for {
				w := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				onStack[w] = false
				label[w] = int32(comps)
				if w == v {
					break
				}
			}
			comps++
		}
	}
	return comps
}

// searchBudget caps the states the searches in one component expand;
// past it, the shortest cycle found so far is reported as such, and the
// kinds not yet searched are not.
const searchBudget = 1 << 22

// foundCycle is a cycle: its edges in order, each ending where the next
// begins; exhaustive is false when the budget cut the search short, so
// that a shorter cycle may exist.
type foundCycle struct {
	spec       cycleSpec
	edges      []edge
	exhaustive bool
}

// searcher holds the scratch space of the searches in one graph.
type searcher struct {
	g      *depGraph
	member []int32 // vertex -> its place in the current component, or -1
	// Per BFS state (place*stride + state): when it was last seen, and
	// how it was reached.
	seen   []uint32
	parent []int32
	via    []int32 // the edge (into g.out) that reached it
	queue  []int32
	stamp  uint32
	budget int
	sub    []int32 // vertex -> its component in the current spec's subgraph
}

// stride is the number of states per vertex: which required kinds have
// been used (2 bits), anti-dependencies so far (0, 1, 2+), whether the
// last edge was one, and whether two have followed each other.
const stride = 4 * 3 * 2 * 2

func encode(mask, rw, last, adj int) int { return ((mask*3+rw)*2+last)*2 + adj }
func decode(s int) (mask, rw, last, adj int) {
	adj, s = s%2, s/2
	last, s = s%2, s/2
	rw, mask = s%3, s/3
	return
}

func newSearcher(g *depGraph) *searcher {
	s := &searcher{g: g, member: make([]int32, g.n), sub: make([]int32, g.n)}
	for i := range s.member {
		s.member[i] = -1
	}
	return s
}

// cycles finds, in every component, the worst cycles it holds.
func (g *depGraph) cycles() []foundCycle {
	var out []foundCycle
	s := newSearcher(g)
	for _, comp := range g.sccs() {
		for i, v := range comp {
			s.member[v] = int32(i)
		}
		if need := len(comp) * stride; len(s.seen) < need {
			s.seen, s.parent, s.via = make([]uint32, need), make([]int32, need), make([]int32, need)
			s.stamp = 0
		}
		s.budget = searchBudget // shared by the searches in one component
		var found []cycleSpec
	specs:
		for _, spec := range cycleSpecs {
			for _, f := range found {
				if implied(f, spec) {
					continue specs
				}
			}
			if c, ok := s.shortest(comp, spec); ok {
				out = append(out, c)
				found = append(found, spec)
			}
		}
		for _, v := range comp {
			s.member[v] = -1
		}
	}
	return out
}

// shortest finds the shortest simple cycle in a component that spec
// describes: for each edge of its rarest required kind, the cycle it
// closes, by breadth-first search from its head back to its tail.
func (s *searcher) shortest(comp []int32, spec cycleSpec) (foundCycle, bool) {
	g := s.g
	// Only an edge within one component of the spec's own subgraph can be
	// on such a cycle (Elle likewise asks first whether a cycle exists).
	keep := func(e edge) bool { return s.member[e.to] >= 0 && spec.allowed&(1<<e.kind) != 0 }
	g.label(comp, keep, s.sub)
	within := func(e edge) bool { return keep(e) && s.sub[e.from] == s.sub[e.to] }
	startKind, fewest := spec.required[0], -1
	for _, k := range spec.required {
		n := 0
		for _, v := range comp {
			for _, e := range g.edges(v) {
				if e.kind == k && within(e) {
					n++
				}
			}
		}
		if fewest < 0 || n < fewest {
			startKind, fewest = k, n
		}
	}
	if fewest == 0 {
		return foundCycle{}, false
	}
	best := foundCycle{spec: spec, exhaustive: true}
	for _, v := range comp {
		for i := g.start[v]; i < g.start[v+1]; i++ {
			e := g.out[i]
			if e.kind != startKind || !within(e) {
				continue
			}
			if best.edges != nil && len(best.edges) <= 2 {
				return best, true // no cycle is shorter than two edges
			}
			if s.budget <= 0 {
				best.exhaustive = false
				return best, best.edges != nil
			}
			limit := len(comp) // a simple path visits each vertex once
			if best.edges != nil {
				limit = len(best.edges) - 2
			}
			if path := s.bfs(i, spec, limit); path != nil {
				best.edges = append([]edge{e}, path...)
			}
		}
	}
	return best, best.edges != nil
}

// bfs looks for the shortest path of at most limit edges from the head of
// edge first back to its tail that closes a simple cycle spec describes.
func (s *searcher) bfs(first int32, spec cycleSpec, limit int) []edge {
	g := s.g
	e0 := g.out[first]
	s.stamp++
	if s.stamp == 0 { // wrapped: forget every mark
		for i := range s.seen {
			s.seen[i] = 0
		}
		s.stamp = 1
	}
	reqBit := func(k EdgeKind) int {
		for i, r := range spec.required {
			if r == k {
				return 1 << i
			}
		}
		return 0
	}
	full := 1<<len(spec.required) - 1
	isRW := func(k EdgeKind) int {
		if k == RW {
			return 1
		}
		return 0
	}
	firstRW := isRW(e0.kind)
	st := encode(reqBit(e0.kind), firstRW, firstRW, 0)
	root := s.member[e0.to]*stride + int32(st)
	s.seen[root], s.parent[root], s.via[root] = s.stamp, -1, first
	s.queue = append(s.queue[:0], root, 0)
	target := e0.from
	for q := 0; q < len(s.queue); q += 2 {
		cur, depth := s.queue[q], s.queue[q+1]
		if int(depth) >= limit {
			continue
		}
		s.budget--
		u := g.out[s.via[cur]].to
		mask, rw, last, adj := decode(int(cur % stride))
		for i := g.start[u]; i < g.start[u+1]; i++ {
			e := g.out[i]
			place := s.member[e.to]
			if place < 0 || spec.allowed&(1<<e.kind) == 0 || s.sub[e.to] != s.sub[u] {
				continue
			}
			r := isRW(e.kind)
			if spec.adjacent < 0 && last == 1 && r == 1 {
				continue
			}
			nrw := min(rw+r, 2)
			if spec.rw < 2 && nrw > int(spec.rw) {
				continue
			}
			nadj := adj
			if last == 1 && r == 1 {
				nadj = 1
			}
			nmask := mask | reqBit(e.kind)
			next := place*stride + int32(encode(nmask, nrw, r, nadj))
			if s.seen[next] == s.stamp {
				continue
			}
			s.seen[next], s.parent[next], s.via[next] = s.stamp, cur, i
			if e.to != target {
				s.queue = append(s.queue, next, depth+1)
				continue
			}
			wrap := r == 1 && firstRW == 1
			ok := nmask == full && (spec.rw == 0 || nrw == int(spec.rw) || (spec.rw == 2 && nrw >= 2))
			switch spec.adjacent {
			case -1:
				ok = ok && !wrap
			case 1:
				ok = ok && (nadj == 1 || wrap)
			}
			if ok {
				if path := s.path(next); simple(e0, path) {
					return path
				}
			}
		}
	}
	return nil
}

// path rebuilds the edges that reached state st (the first edge left out).
func (s *searcher) path(st int32) []edge {
	var rev []edge
	for ; s.parent[st] >= 0; st = s.parent[st] {
		rev = append(rev, s.g.out[s.via[st]])
	}
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	return rev
}

// simple reports whether a cycle visits each operation once: states tell
// the same vertex apart by what the path has used, so a path may loop.
func simple(first edge, path []edge) bool {
	seen := map[int32]bool{first.from: true, first.to: true}
	for _, e := range path[:len(path)-1] {
		if seen[e.to] {
			return false
		}
		seen[e.to] = true
	}
	return true
}
