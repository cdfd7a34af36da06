package explore

import (
	"fmt"
	"slices"
)

const noParent = ^uint32(0)

// graph is what BFS keeps of every visited state.
type graph struct {
	visited *visitedSet
	links   links
}

// free returns the graph's memory, which lives off the heap.
func (g *graph) free() {
	g.visited.free()
	g.links.free()
}

// runBFS is a level-synchronous breadth-first search. Each level is read
// from its frontier a window of blocks at a time, and each window runs in
// three phases:
//
//  1. Workers claim blocks of the window and expand them, keeping the
//     successors not in the visited set (read-only during this phase) as
//     candidates.
//  2. Workers claim shards of the visited set and insert the candidates
//     that fall in their shard, block by block, in order: the first
//     candidate for a fingerprint wins, as in a sequential search.
//  3. Workers number the winners block by block from prefix sums, record
//     their parent links, evaluate the properties on them and code them
//     into blocks of the next frontier, which are appended in order.
//
// Windows are taken in order and each sees the visited set as the windows
// before it left it, so the winners, their ids and parents, and so every
// count, verdict and trace, are those of a sequential search, whatever the
// number of workers. Memory holds the visited set, the parent links, the
// two coded frontiers (or, with a spill directory, a buffer of each) and
// one window's candidates. A search that stops for a violation finishes
// its level first, so that its statistics do not depend on the workers
// either.
func runBFS[S any, A any](spec Spec[S, A], opts Options, canon func(*S)) (Result[S, A], error) {
	m := spec.Model
	workers := max(opts.Workers, 1)
	g := &graph{visited: newVisitedSet()}
	defer g.free()
	nKinds := len(spec.KindNames)
	if spec.Kind == nil {
		nKinds = 0
	}
	var (
		res       Result[S, A]
		generated int64
		depth     int
		cur, next frontier
		chunks    []*chunkOut
		expanded  int // states of cur expanded so far
		peakFront int64
	)
	defer cur.free()
	defer next.free()
	coverageGen := make([]int64, nKinds)
	coverageNew := make([]int64, nKinds)
	violations := make([]*found, len(spec.Invariants))
	nViolated := 0
	witnesses := make([]*found, len(spec.Witnesses))
	mon := newMonitor(opts)
	defer mon.stop()
	// With a frontier directory, the frontiers go to disk once they hold
	// spillAbove bytes or the process half its memory budget: the spill is
	// the first response to memory running short.
	spilling := false
	spillIfDue := func() error {
		if opts.FrontierDir == "" || spilling || cur.bytes()+next.bytes() < spillAbove && !mon.pressed() {
			return nil
		}
		spilling = true
		return next.toDisk(opts.FrontierDir)
	}
	stats := func() Stats {
		peakFront = max(peakFront, cur.bytes()+next.bytes())
		return Stats{
			Distinct: int64(g.links.n), Generated: generated, Depth: depth,
			Queue: int64(cur.len() - expanded + next.len()), Elapsed: mon.elapsed(),
			VisitedBytes: g.visited.bytes() + g.links.bytes(), PeakMemory: mon.peak(),
			FrontierBytes: peakFront,
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

	// Level 1: the initial states, one block.
	var w0 worker[S, A]
	var block, prev []byte
	invMask, witMask := pending()
	n, raw := 0, 0
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
		if n == blockStates {
			if err := next.appendBlock(block, n, raw); err != nil {
				return res, err
			}
			block, prev, n, raw = block[:0], prev[:0], 0, 0
		}
		if n == 0 {
			block = append(block, blockDelta)
		}
		block = encodeDelta(block, prev, w0.enc)
		prev = append(prev[:0], w0.enc...)
		n++
		raw += len(w0.enc)
		depth = 1
	}
	if err := next.appendBlock(block, n, raw); err != nil {
		return res, err
	}
	if err := next.flush(); err != nil {
		return res, err
	}
	cur, next = next, cur
	if err := next.reset(g.links.n); err != nil {
		return res, err
	}
	mon.update(stats())

	done := nViolated > 0 && (!opts.KeepGoing || nViolated == len(spec.Invariants))
	stop := ""
	ws := make([]worker[S, A], workers)
	lastCands, lastBytes := 0, 0 // per chunk, in the last window
	var spillBuf []byte
	var datas [][]byte
	var base []int
	prevLen := 0
	for lvl := 1; cur.len() > 0 && !done && stop == ""; lvl++ {
		growthEst := 0.0
		if prevLen > 0 {
			growthEst = min(float64(cur.len())/float64(prevLen), 2)
		}
		prevLen = cur.len()
		if opts.MaxStates > 0 && int64(g.links.n) >= opts.MaxStates {
			stop = fmt.Sprintf("the state budget (%d distinct states) ran out", opts.MaxStates)
			break
		}
		invMask, witMask := pending()
		for lo := 0; lo < len(cur.blocks) && stop == ""; lo += windowBlocks {
			hi := min(lo+windowBlocks, len(cur.blocks))
			if err := spillIfDue(); err != nil {
				return res, err
			}
			// Code the next level if this one was large, or it goes to disk.
			delta := spilling || cur.raw >= codeAbove
			var err error
			if spillBuf, datas, err = cur.window(lo, hi, spillBuf, datas); err != nil {
				return res, err
			}
			nChunks := hi - lo
			for len(chunks) < nChunks {
				chunks = append(chunks, &chunkOut{})
			}
			// Size chunk buffers from the last window's average, a little over.
			hintCands, hintBytes := 0, 0
			if lastCands > 0 {
				hintCands = lastCands*5/4 + 16
				hintBytes = lastBytes/lastCands + 1
			}
			base = slices.Grow(base[:0], nChunks+1)[:nChunks+1] // each block's first state's index in cur
			base[0] = expanded
			for c := range nChunks {
				base[c+1] = base[c] + int(cur.blocks[lo+c].n)
			}

			// Phase 1: expand.
			parallel(workers, nChunks, mon.aborted, func(wi, c int) {
				w := &ws[wi]
				out := chunks[c]
				out.reset(nKinds, hintCands, hintBytes)
				out.err = expandBlock(spec, canon, g.visited, w, datas[c], base[c], int(cur.blocks[lo+c].n), out)
				out.groupByShard()
				mon.addGenerated(out.generated)
			})
			if reason := mon.reason(); reason != "" {
				// Keep the unexpanded window in the queue count.
				stop = reason
				break
			}
			for _, c := range chunks[:nChunks] {
				if c.err != nil {
					return res, c.err
				}
			}

			// Phase 2: deduplicate, shard by shard.
			parallel(workers, numShards, nil, func(wi, sh int) {
				// The windows left in the level will bring about as many
				// as this one, and the next level about as many again
				// times the frontier's growth.
				more := func(incoming int) int {
					rest := incoming * (len(cur.blocks) - hi) / max(hi-lo, 1)
					return rest + int(float64(incoming+rest)*growthEst)
				}
				ws[wi].sink ^= dedupShard(&g.visited.shards[sh], chunks[:nChunks], sh, more)
			})

			// Phase 3: number the winners in order. Counting them per
			// chunk (in parallel, putting the verdicts in candidate
			// order) gives each chunk its first id; then
			// chunks are numbered and coded in parallel, and their blocks
			// appended in order.
			parallel(workers, nChunks, nil, func(_, ci int) { chunks[ci].countWinners() })
			newTotal := 0
			lastCands, lastBytes = 0, 0
			for _, c := range chunks[:nChunks] {
				lastCands += len(c.cands)
				lastBytes += len(c.arena)
				generated += c.generated
				for k, n := range c.coverage {
					coverageGen[k] += n
				}
				c.firstID = g.links.n + uint32(newTotal)
				newTotal += c.newStates
			}
			lastCands = (lastCands + nChunks - 1) / nChunks
			lastBytes = (lastBytes + nChunks - 1) / nChunks
			if uint64(g.links.n)+uint64(newTotal) >= uint64(noParent) {
				return res, fmt.Errorf("explore: more than %d distinct states", noParent-1)
			}
			g.links.grow(g.links.n + uint32(newTotal))
			parallel(workers, nChunks, nil, func(wi, ci int) {
				w := &ws[wi]
				chunks[ci].err = number(chunks[ci], &g.links, cur.firstID, &w.enc, delta, nKinds, len(spec.Invariants), len(spec.Witnesses),
					func(enc []byte) (uint64, uint64, error) {
						if err := decodeInto(m, &w.t, enc); err != nil {
							return 0, 0, fmt.Errorf("explore: %w: a new state does not decode: %v", ErrNondeterminism, err)
						}
						inv, wit := evaluate(&w.t, invMask, witMask)
						return inv, wit, nil
					})
			})
			for _, c := range chunks[:nChunks] {
				if c.err != nil {
					return res, c.err
				}
			}
			g.links.n += uint32(newTotal)
			for _, c := range chunks[:nChunks] {
				start := 0
				for _, b := range c.blocks {
					if err := next.appendBlock(c.coded[start:b.end], b.n, b.raw); err != nil {
						return res, err
					}
					start = b.end
				}
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
			expanded = base[nChunks]
			// Progress within a long level.
			mon.update(stats())
		}
		if stop != "" {
			break
		}
		if err := next.flush(); err != nil {
			return res, err
		}
		if next.len() > 0 {
			depth = lvl + 1
		}
		done = nViolated > 0 && (!opts.KeepGoing || nViolated == len(spec.Invariants))
		mon.update(stats())
		cur, next = next, cur
		expanded = 0
		if err := next.reset(g.links.n); err != nil {
			return res, err
		}
		if spilling && next.spill == nil {
			if err := next.toDisk(opts.FrontierDir); err != nil {
				return res, err
			}
		}
	}

	res.Stats = stats()
	res.Stats.Workers = workers
	res.Stats.CollisionProbability = CollisionProbability(res.Stats.Distinct, res.Stats.Generated)
	if nKinds > 0 {
		for k, name := range spec.KindNames {
			res.Coverage = append(res.Coverage, Coverage{Kind: name, Generated: coverageGen[k], Distinct: coverageNew[k]})
		}
	}
	res.conclude(opts, nViolated > 0, done, stop, "stopped at the end of the level of the first violation")

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
	err := res.addWitnesses(spec, func(i int) (*Trace[S, A], error) {
		if witnesses[i] == nil {
			return nil, nil
		}
		tr, err := replay(m, canon, g, witnesses[i])
		return &tr, err
	})
	return res, err
}
