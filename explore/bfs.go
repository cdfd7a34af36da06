package explore

import (
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
)

const noParent = ^uint32(0)

// chunkStates is how many frontier states a worker claims at a time.
const chunkStates = 256

// level is one BFS level: states as their canonical bytes, end to end, with
// the id each was given.
type level struct {
	arena []byte
	ends  []uint32
	ids   []uint32
}

func (l *level) len() int { return len(l.ids) }

func (l *level) add(enc []byte, id uint32) {
	l.arena = append(l.arena, enc...)
	l.ends = append(l.ends, uint32(len(l.arena)))
	l.ids = append(l.ids, id)
}

func (l *level) get(i int) []byte {
	start := uint32(0)
	if i > 0 {
		start = l.ends[i-1]
	}
	return l.arena[start:l.ends[i]]
}

func (l *level) reset() { l.arena, l.ends, l.ids = l.arena[:0], l.ends[:0], l.ids[:0] }

// size sets the level's length to n states of nbytes bytes in all, to be
// written in place by number.
func (l *level) size(n, nbytes int) {
	l.arena = slices.Grow(l.arena[:0], nbytes)[:nbytes]
	l.ends = slices.Grow(l.ends[:0], n)[:n]
	l.ids = slices.Grow(l.ids[:0], n)[:n]
}

// candidate is a successor not visited before this level: found in phase 1,
// deduplicated in phase 2, numbered in phase 3.
type candidate struct {
	fp     uint64
	inv    uint64 // invariants it violates (bit i: Spec.Invariants[i])
	wit    uint64 // witnesses it reaches
	parent uint32 // index in the frontier
	act    uint32 // index of the action in the parent's Actions
	end    uint32 // end of its bytes in the chunk's arena
	kind   int32  // coverage class, or -1
}

// groupByShard builds byShard by a counting sort of the candidates.
func (c *chunkOut) groupByShard() {
	var count [numShards]uint32
	for k := range c.cands {
		count[shardOf(c.cands[k].fp)]++
	}
	c.shardStart[0] = 0
	for sh := range numShards {
		c.shardStart[sh+1] = c.shardStart[sh] + count[sh]
	}
	c.byShard = slices.Grow(c.byShard[:0], len(c.cands))[:len(c.cands)]
	next := c.shardStart
	for k := range c.cands {
		sh := shardOf(c.cands[k].fp)
		c.byShard[next[sh]] = shardEntry{c.cands[k].fp, uint32(k)}
		next[sh]++
	}
}

// shardEntry is a candidate as phase 2 sees it: its fingerprint and index,
// so that deduplicating a shard reads memory in order.
type shardEntry struct {
	fp  uint64
	idx uint32
}

// chunkOut is what phase 1 found for one chunk of the frontier, in the
// order a sequential search would have found it.
type chunkOut struct {
	cands []candidate
	isNew []bool // phase 2's verdict on each candidate
	arena []byte
	// byShard holds the candidates' (fingerprint, index) grouped by
	// visited-set shard, in candidate order within a shard: shard s has
	// byShard[shardStart[s]:shardStart[s+1]]. Built by a counting sort
	// once the chunk is expanded.
	byShard    []shardEntry
	shardStart [numShards + 1]uint32
	generated  int64
	coverage   []int64 // successors generated per kind
	err        error

	// Phase 3's results for the chunk.
	newStates int      // candidates that won
	newBytes  int      // their bytes
	firstID   uint32   // the id of its first winner
	firstIdx  int      // its index in the next level
	firstByte int      // its offset in the next level's arena
	fresh     []int64  // winners per kind
	invAt     []uint32 // per invariant, the first winner violating it, or noParent
	witAt     []uint32 // per witness, the first winner reaching it, or noParent
	bigActs   []uint32 // winners' ids with an action index of 255 or more, and that index
}

// reset empties the chunk for a new level, with room for about hint
// candidates of about bytesEach bytes, so that its buffers do not grow by
// doubling from nothing.
func (c *chunkOut) reset(kinds, hint, bytesEach int) {
	c.cands = slices.Grow(c.cands[:0], hint)
	c.isNew = slices.Grow(c.isNew[:0], hint)
	c.arena = slices.Grow(c.arena[:0], hint*bytesEach)
	c.byShard = c.byShard[:0]
	c.generated, c.err = 0, nil
	if len(c.coverage) != kinds {
		c.coverage = make([]int64, kinds)
	}
	clear(c.coverage)
}

// worker holds one goroutine's scratch space, so that expanding a state
// allocates nothing.
type worker[S any, A any] struct {
	s, t S
	acts []A
	enc  []byte
}

// graph is what BFS keeps of every visited state.
type graph struct {
	visited *visitedSet
	links   links
}

// found is a state the search must rebuild a trace for.
type found struct {
	id uint32
	fp uint64
}

// runBFS is a level-synchronous breadth-first search. Each level runs in
// three phases:
//
//  1. Workers claim chunks of the frontier and expand them, keeping the
//     successors not in the visited set (read-only during this phase) as
//     candidates, with the properties evaluated on them.
//  2. Workers claim shards of the visited set and insert the candidates
//     that fall in their shard, chunk by chunk, in order: the first
//     candidate for a fingerprint wins, as in a sequential search.
//  3. One goroutine numbers the winners in chunk order, records their
//     parent links, and builds the next frontier.
//
// The winners, their ids and parents, and so every count, verdict and
// trace, are those of a sequential search, whatever the number of workers.
// A search that stops for a violation finishes its level first, so that its
// statistics do not depend on the workers either.
func runBFS[S any, A any](spec Spec[S, A], opts Options, canon func(*S)) (Result[S, A], error) {
	m := spec.Model
	workers := max(opts.Workers, 1)
	g := &graph{visited: newVisitedSet()}
	nKinds := len(spec.KindNames)
	if spec.Kind == nil {
		nKinds = 0
	}
	var (
		res       Result[S, A]
		generated int64
		depth     int
		cur, next level
		chunks    []*chunkOut
	)
	coverageGen := make([]int64, nKinds)
	coverageNew := make([]int64, nKinds)
	violations := make([]*found, len(spec.Invariants))
	nViolated := 0
	witnesses := make([]*found, len(spec.Witnesses))
	mon := newMonitor(opts)
	defer mon.stop()
	stats := func() Stats {
		return Stats{
			Distinct: int64(g.links.n), Generated: generated, Depth: depth,
			Queue: int64(cur.len() + next.len()), Elapsed: mon.elapsed(),
			VisitedBytes: g.visited.bytes() + g.links.bytes(), PeakMemory: mon.peak(),
		}
	}

	// The masks of properties still to evaluate.
	pending := func() (inv, wit uint64) {
		for i := range spec.Invariants {
			if violations[i] == nil {
				inv |= 1 << i
			}
		}
		for i := range spec.Witnesses {
			if witnesses[i] == nil {
				wit |= 1 << i
			}
		}
		return inv, wit
	}
	if len(spec.Invariants) > 64 || len(spec.Witnesses) > 64 {
		return res, fmt.Errorf("explore: at most 64 invariants and 64 witnesses")
	}
	evaluate := func(t *S, invMask, witMask uint64) (inv, wit uint64) {
		for i := range spec.Invariants {
			if invMask&(1<<i) != 0 && spec.Invariants[i].Check(t) != nil {
				inv |= 1 << i
			}
		}
		for i := range spec.Witnesses {
			if witMask&(1<<i) != 0 && spec.Witnesses[i].Reached(t) {
				wit |= 1 << i
			}
		}
		return inv, wit
	}
	// record notes the properties of a newly numbered state.
	record := func(id uint32, fp uint64, inv, wit uint64) {
		if inv|wit == 0 {
			return
		}
		for i := range spec.Invariants {
			if inv&(1<<i) != 0 && violations[i] == nil {
				violations[i] = &found{id, fp}
				nViolated++
			}
		}
		for i := range spec.Witnesses {
			if wit&(1<<i) != 0 && witnesses[i] == nil {
				witnesses[i] = &found{id, fp}
			}
		}
	}

	// Level 1: the initial states.
	var w0 worker[S, A]
	invMask, witMask := pending()
	for i, s := range m.Init() {
		generated++
		w0.t = s
		if canon != nil {
			canon(&w0.t)
		}
		w0.enc = m.Encode(w0.enc[:0], &w0.t)
		fp := Fingerprint(w0.enc)
		if !g.visited.insert(fp) {
			continue
		}
		id := g.links.add(noParent, i)
		inv, wit := evaluate(&w0.t, invMask, witMask)
		record(id, fp, inv, wit)
		next.add(w0.enc, id)
		depth = 1
	}
	cur, next = next, cur
	mon.update(stats())

	done := nViolated > 0 && (!opts.KeepGoing || nViolated == len(spec.Invariants))
	stop := ""
	ws := make([]worker[S, A], workers)
	lastCands, lastBytes := 0, 0 // per chunk, in the last level
	for lvl := 1; cur.len() > 0 && !done && stop == ""; lvl++ {
		if opts.MaxStates > 0 && int64(g.links.n) >= opts.MaxStates {
			stop = fmt.Sprintf("the state budget (%d distinct states) ran out", opts.MaxStates)
			break
		}
		nChunks := (cur.len() + chunkStates - 1) / chunkStates
		for len(chunks) < nChunks {
			chunks = append(chunks, &chunkOut{})
		}
		invMask, witMask := pending()
		// Size chunk buffers from the last level's average, a little over.
		hintCands, hintBytes := 0, 0
		if lastCands > 0 {
			hintCands = lastCands*5/4 + 16
			hintBytes = lastBytes/lastCands + 1
		}

		// Phase 1: expand.
		parallel(workers, nChunks, mon.aborted, func(wi, c int) {
			w := &ws[wi]
			out := chunks[c]
			out.reset(nKinds, hintCands, hintBytes)
			lo, hi := c*chunkStates, min((c+1)*chunkStates, cur.len())
			for i := lo; i < hi && out.err == nil; i++ {
				out.err = expand(spec, canon, g.visited, w, &cur, i, out, invMask, witMask, evaluate)
			}
			out.groupByShard()
			mon.addGenerated(out.generated)
		})
		if reason := mon.reason(); reason != "" {
			// Keep the unexpanded level in the queue count.
			stop = reason
			break
		}
		for _, c := range chunks[:nChunks] {
			if c.err != nil {
				return res, c.err
			}
		}

		// Phase 2: deduplicate, shard by shard.
		parallel(workers, numShards, nil, func(_, sh int) {
			table := &g.visited.shards[sh]
			incoming := 0
			for _, c := range chunks[:nChunks] {
				incoming += int(c.shardStart[sh+1] - c.shardStart[sh])
			}
			table.reserve(incoming)
			for _, c := range chunks[:nChunks] {
				for _, e := range c.byShard[c.shardStart[sh]:c.shardStart[sh+1]] {
					c.isNew[e.idx] = table.insert(e.fp)
				}
			}
		})

		// Phase 3: number the winners in order. Counting them per chunk
		// gives each chunk its first id and its place in the next frontier;
		// then chunks are written in parallel.
		newTotal, byteTotal := 0, 0
		lastCands, lastBytes = 0, 0
		for _, c := range chunks[:nChunks] {
			lastCands += len(c.cands)
			lastBytes += len(c.arena)
			generated += c.generated
			for k, n := range c.coverage {
				coverageGen[k] += n
			}
			c.newStates, c.newBytes = 0, 0
			start := uint32(0)
			for k := range c.cands {
				if c.isNew[k] {
					c.newStates++
					c.newBytes += int(c.cands[k].end - start)
				}
				start = c.cands[k].end
			}
			c.firstID = g.links.n + uint32(newTotal)
			c.firstIdx, c.firstByte = newTotal, byteTotal
			newTotal += c.newStates
			byteTotal += c.newBytes
		}
		lastCands = (lastCands + nChunks - 1) / nChunks
		lastBytes = (lastBytes + nChunks - 1) / nChunks
		if uint64(g.links.n)+uint64(newTotal) >= uint64(noParent) {
			return res, fmt.Errorf("explore: more than %d distinct states", noParent-1)
		}
		g.links.grow(g.links.n + uint32(newTotal))
		next.size(newTotal, byteTotal)
		parallel(workers, nChunks, nil, func(_, ci int) {
			number(chunks[ci], &g.links, &cur, &next, nKinds, len(spec.Invariants), len(spec.Witnesses))
		})
		g.links.n += uint32(newTotal)
		for _, c := range chunks[:nChunks] {
			for k, n := range c.fresh {
				coverageNew[k] += n
			}
			for j := 0; j < len(c.bigActs); j += 2 {
				g.links.setBig(c.bigActs[j], int(c.bigActs[j+1]))
			}
			// Chunks are in id order: the first chunk to find a property
			// has its first state.
			for i, at := range c.invAt {
				if at != noParent && violations[i] == nil {
					violations[i] = &found{at, c.cands[c.winnerIndex(at)].fp}
					nViolated++
				}
			}
			for i, at := range c.witAt {
				if at != noParent && witnesses[i] == nil {
					witnesses[i] = &found{at, c.cands[c.winnerIndex(at)].fp}
				}
			}
		}
		if next.len() > 0 {
			depth = lvl + 1
		}
		done = nViolated > 0 && (!opts.KeepGoing || nViolated == len(spec.Invariants))
		cur, next = next, cur
		next.reset()
		mon.update(stats())
	}

	res.Stats = stats()
	res.Stats.Workers = workers
	res.Stats.CollisionProbability = CollisionProbability(res.Stats.Distinct, res.Stats.Generated)
	if nKinds > 0 {
		for k, name := range spec.KindNames {
			res.Coverage = append(res.Coverage, Coverage{Kind: name, Generated: coverageGen[k], Distinct: coverageNew[k]})
		}
	}
	res.Complete = !done && stop == ""
	switch {
	case nViolated > 0:
		res.Verdict = Violation
		if !res.Complete {
			res.StopReason = "stopped at the end of the level of the first violation"
			if opts.KeepGoing {
				res.StopReason = StopAllViolated
			}
			if stop != "" {
				res.StopReason = stop
			}
		}
	case stop != "":
		res.Verdict, res.StopReason = Inconclusive, stop
	}

	// Rebuild the traces by replay, shortest violation first.
	for _, i := range violationOrder(violations) {
		tr, err := replay(m, canon, g, violations[i])
		if err != nil {
			return res, err
		}
		if spec.Invariants[i].Check(&tr.States[len(tr.States)-1]) == nil {
			return res, fmt.Errorf("%w: replaying the counterexample of %s does not violate it", ErrNondeterminism, spec.Invariants[i].Name)
		}
		last := tr.States[len(tr.States)-1]
		res.Violations = append(res.Violations, Counterexample[S, A]{Invariant: spec.Invariants[i].Name, Err: spec.Invariants[i].Check(&last), Trace: tr})
	}
	for i, w := range spec.Witnesses {
		wr := WitnessResult[S, A]{Name: w.Name}
		if witnesses[i] != nil {
			tr, err := replay(m, canon, g, witnesses[i])
			if err != nil {
				return res, err
			}
			wr.Reached, wr.Trace = true, tr
		}
		res.Witnesses = append(res.Witnesses, wr)
	}
	return res, nil
}

// number gives chunk c's winners their ids c.firstID, c.firstID+1, ...,
// records their parent links, and writes them into the next frontier at
// their place. Chunks write disjoint parts, so they may run in parallel.
func number(c *chunkOut, l *links, cur, next *level, nKinds, nInv, nWit int) {
	if len(c.fresh) != nKinds {
		c.fresh = make([]int64, nKinds)
	}
	clear(c.fresh)
	c.invAt = resetTo(c.invAt, nInv)
	c.witAt = resetTo(c.witAt, nWit)
	c.bigActs = c.bigActs[:0]
	id, idx, pos := c.firstID, c.firstIdx, c.firstByte
	start := uint32(0)
	for k := range c.cands {
		cd := &c.cands[k]
		if c.isNew[k] {
			l.set(id, cur.ids[cd.parent], int(cd.act))
			if cd.act >= bigAction {
				c.bigActs = append(c.bigActs, id, cd.act)
			}
			pos += copy(next.arena[pos:], c.arena[start:cd.end])
			next.ends[idx], next.ids[idx] = uint32(pos), id
			if cd.kind >= 0 {
				c.fresh[cd.kind]++
			}
			if cd.inv|cd.wit != 0 {
				for i := range nInv {
					if cd.inv&(1<<i) != 0 && c.invAt[i] == noParent {
						c.invAt[i] = id
					}
				}
				for i := range nWit {
					if cd.wit&(1<<i) != 0 && c.witAt[i] == noParent {
						c.witAt[i] = id
					}
				}
			}
			id++
			idx++
		}
		start = cd.end
	}
}

func resetTo(xs []uint32, n int) []uint32 {
	xs = slices.Grow(xs[:0], n)[:n]
	for i := range xs {
		xs[i] = noParent
	}
	return xs
}

// winnerIndex finds the candidate of chunk c that was given id.
func (c *chunkOut) winnerIndex(id uint32) int {
	n := c.firstID
	for k := range c.cands {
		if c.isNew[k] {
			if n == id {
				return k
			}
			n++
		}
	}
	panic("explore: no winner with that id")
}

// expand generates the successors of frontier state i into out.
func expand[S any, A any](spec Spec[S, A], canon func(*S), visited *visitedSet, w *worker[S, A], cur *level, i int,
	out *chunkOut, invMask, witMask uint64, evaluate func(*S, uint64, uint64) (uint64, uint64)) error {
	m := spec.Model
	var err error
	if dec, ok := m.(InPlaceDecoder[S]); ok {
		err = dec.DecodeInto(&w.s, cur.get(i))
	} else {
		w.s, err = m.Decode(cur.get(i))
	}
	if err != nil {
		return fmt.Errorf("explore: %w: a frontier state does not decode: %v", ErrNondeterminism, err)
	}
	w.acts = m.Actions(&w.s, w.acts[:0])
	if len(w.acts) > 1<<31 {
		return fmt.Errorf("explore: a state has %d actions", len(w.acts))
	}
	next, inPlace := m.(InPlaceNext[S, A])
	for ai := range w.acts {
		if inPlace {
			next.NextInto(&w.t, &w.s, w.acts[ai])
		} else {
			w.t = m.Next(&w.s, w.acts[ai])
		}
		if canon != nil {
			canon(&w.t)
		}
		w.enc = m.Encode(w.enc[:0], &w.t)
		fp := Fingerprint(w.enc)
		out.generated++
		kind := int32(-1)
		if out.coverage != nil && spec.Kind != nil {
			kind = int32(spec.Kind(w.acts[ai]))
			out.coverage[kind]++
		}
		if visited.contains(fp) {
			continue
		}
		inv, wit := evaluate(&w.t, invMask, witMask)
		out.arena = append(out.arena, w.enc...)
		out.cands = append(out.cands, candidate{fp: fp, inv: inv, wit: wit, parent: uint32(i), act: uint32(ai), end: uint32(len(out.arena)), kind: kind})
		out.isNew = append(out.isNew, false)
	}
	return nil
}

// violationOrder lists the violated invariants by the id of the violating
// state (BFS ids grow with depth, so shortest first), then invariant order.
func violationOrder(v []*found) []int {
	var order []int
	for i := range v {
		if v[i] != nil {
			order = append(order, i)
		}
	}
	for i := 1; i < len(order); i++ {
		for j := i; j > 0 && v[order[j]].id < v[order[j-1]].id; j-- {
			order[j], order[j-1] = order[j-1], order[j]
		}
	}
	return order
}

// replay rebuilds the path to f: it replays action indices from the initial
// state through the representatives the search stored, checking every state
// against the visited set and the last against its recorded fingerprint,
// then lifts the path to the model's own states (see lift).
func replay[S any, A any](m Model[S, A], canon func(*S), g *graph, f *found) (Trace[S, A], error) {
	var path []uint32
	for x := f.id; ; x = g.links.parent(x) {
		path = append(path, x)
		if g.links.parent(x) == noParent {
			break
		}
	}
	for i, j := 0, len(path)-1; i < j; i, j = i+1, j-1 {
		path[i], path[j] = path[j], path[i]
	}
	inits := m.Init()
	root := g.links.act(path[0])
	if root >= len(inits) {
		return Trace[S, A]{}, fmt.Errorf("%w: initial state %d no longer exists", ErrNondeterminism, root)
	}
	var enc []byte
	check := func(s *S, want uint64) error {
		enc = m.Encode(enc[:0], s)
		fp := Fingerprint(enc)
		if want != 0 && fp != want || !g.visited.contains(fp) {
			return fmt.Errorf("%w: replaying a trace reached a state the search never saw", ErrNondeterminism)
		}
		return nil
	}
	want := func(k int) uint64 {
		if k == len(path)-1 {
			return f.fp
		}
		return 0
	}
	s := inits[root]
	if canon != nil {
		canon(&s)
	}
	if err := check(&s, want(0)); err != nil {
		return Trace[S, A]{}, err
	}
	reps := []S{s}
	var acts []A
	var actions []A
	for k, x := range path[1:] {
		acts = m.Actions(&s, acts[:0])
		ai := g.links.act(x)
		if ai >= len(acts) {
			return Trace[S, A]{}, fmt.Errorf("%w: replay step %d needs action %d but only %d are enabled", ErrNondeterminism, k+1, ai, len(acts))
		}
		actions = append(actions, acts[ai])
		s = m.Next(&s, acts[ai])
		if canon != nil {
			canon(&s)
		}
		if err := check(&s, want(k+1)); err != nil {
			return Trace[S, A]{}, err
		}
		reps = append(reps, s)
	}
	if canon == nil {
		return Trace[S, A]{States: reps, Actions: actions}, nil
	}
	return lift(m, canon, inits[root], reps)
}

// lift turns a path through orbit representatives into a path through the
// model's own states from the real initial state: at each step it takes the
// first enabled action whose successor has the next representative. Under
// a symmetry one always exists; its absence means Canonicalize and the
// model disagree.
func lift[S any, A any](m Model[S, A], canon func(*S), init S, reps []S) (Trace[S, A], error) {
	tr := Trace[S, A]{States: []S{init}}
	var acts []A
	var want, got []byte
	s := init
	for k := 1; k < len(reps); k++ {
		want = m.Encode(want[:0], &reps[k])
		acts = m.Actions(&s, acts[:0])
		ok := false
		for _, a := range acts {
			t := m.Next(&s, a)
			c := t
			canon(&c)
			got = m.Encode(got[:0], &c)
			if string(got) == string(want) {
				tr.Actions = append(tr.Actions, a)
				tr.States = append(tr.States, t)
				s, ok = t, true
				break
			}
		}
		if !ok {
			return tr, fmt.Errorf("%w: no action of step %d leads to the recorded state under symmetry", ErrNondeterminism, k)
		}
	}
	return tr, nil
}

// parallel calls do(w, i) for every i in [0, n), handing the items out in
// order to up to workers goroutines (w is the goroutine's index, for its
// scratch space), and returns when all are done, or when stop, polled
// between items, reports true.
func parallel(workers, n int, stop func() bool, do func(w, i int)) {
	var nextItem atomic.Int64
	var wg sync.WaitGroup
	for w := range min(workers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for stop == nil || !stop() {
				i := int(nextItem.Add(1) - 1)
				if i >= n {
					return
				}
				do(w, i)
			}
		}()
	}
	wg.Wait()
}
