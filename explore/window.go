package explore

import (
	"fmt"
	"slices"
)

// A window of a BFS level: blocks of the current frontier taken through
// the three phases together (see bfsSearch), a chunk per block. The
// workers' part of each phase is a method called by parallel for one item
// (a chunk, or a shard of the visited set); the search's fields it reads
// are set before the phase and not written during it.

// window runs the three phases on blocks [lo, hi) of the current level.
func (s *bfsSearch[S, A]) window(lo, hi int) error {
	if err := s.openWindow(lo, hi); err != nil {
		return err
	}
	if err := s.expandWindow(); err != nil || s.stop != "" {
		return err
	}
	s.dedupWindow()
	if err := s.numberWindow(); err != nil {
		return err
	}
	if err := s.graphWindow(); err != nil {
		return err
	}
	s.expanded = s.base[hi-lo]
	// Progress within a long level.
	s.mon.update(s.stats())
	return nil
}

// openWindow reads blocks [lo, hi) and readies a chunk for each.
func (s *bfsSearch[S, A]) openWindow(lo, hi int) error {
	if err := s.spillIfDue(); err != nil {
		return err
	}
	s.lo, s.hi = lo, hi
	// Code the next level if this one was large, or it goes to disk.
	s.delta = s.spilling || s.cur.raw >= codeAbove
	var err error
	if s.spillBuf, s.datas, err = s.cur.window(lo, hi, s.spillBuf, s.datas); err != nil {
		return err
	}
	nChunks := hi - lo
	for len(s.chunks) < nChunks {
		s.chunks = append(s.chunks, &chunkOut{})
	}
	// Size chunk buffers from the last window's average, a little over.
	s.hintCands, s.hintBytes = 0, 0
	if s.lastCands > 0 {
		s.hintCands = s.lastCands*5/4 + 16
		s.hintBytes = s.lastBytes/s.lastCands + 1
	}
	s.base = slices.Grow(s.base[:0], nChunks+1)[:nChunks+1] // each block's first state's index in cur
	s.base[0] = s.expanded
	for c := range nChunks {
		s.base[c+1] = s.base[c] + int(s.cur.blocks[lo+c].n)
	}
	return nil
}

// windowChunks are the chunks of the window's blocks.
func (s *bfsSearch[S, A]) windowChunks() []*chunkOut { return s.chunks[:s.hi-s.lo] }

// expandWindow is phase 1: expand. A budget or an interrupt stops it, and
// the search.
func (s *bfsSearch[S, A]) expandWindow() error {
	parallel(s.workers, s.hi-s.lo, s.mon.aborted, s.expandChunk)
	if reason := s.mon.reason(); reason != "" {
		// Keep the unexpanded window in the queue count.
		s.stop = reason
		return nil
	}
	return chunkErr(s.windowChunks())
}

// expandChunk expands the window's block c into its chunk, on worker wi.
func (s *bfsSearch[S, A]) expandChunk(wi, c int) {
	out := s.chunks[c]
	out.withGraph = s.opts.Graph != nil
	out.reset(s.nKinds, s.hintCands, s.hintBytes)
	out.err = expandBlock(s.spec, s.canon, s.g.visited, &s.ws[wi], s.datas[c], s.base[c], int(s.cur.blocks[s.lo+c].n), out)
	out.groupByShard()
	s.mon.addGenerated(out.generated)
}

// dedupWindow is phase 2: deduplicate, shard by shard.
func (s *bfsSearch[S, A]) dedupWindow() {
	parallel(s.workers, numShards, nil, s.dedupInShard)
}

// dedupInShard inserts the window's candidates of shard sh, on worker wi.
func (s *bfsSearch[S, A]) dedupInShard(wi, sh int) {
	s.ws[wi].sink ^= dedupShard(&s.g.visited.shards[sh], s.windowChunks(), sh, s.more)
}

// more is how many candidates a shard may expect after the window's
// incoming. The windows left in the level will bring about as many as
// this one, and the next level about as many again times the frontier's
// growth.
func (s *bfsSearch[S, A]) more(incoming int) int {
	rest := incoming * (len(s.cur.blocks) - s.hi) / max(s.hi-s.lo, 1)
	return rest + int(float64(incoming+rest)*s.growthEst)
}

// numberWindow is phase 3: number the winners in order. Counting them per
// chunk (in parallel, putting the verdicts in candidate order) gives each
// chunk its first id; then chunks are numbered and coded in parallel, and
// their blocks appended in order.
func (s *bfsSearch[S, A]) numberWindow() error {
	chunks := s.windowChunks()
	parallel(s.workers, len(chunks), nil, s.countWinners)
	newTotal := s.firstIDs()
	if uint64(s.g.links.n)+uint64(newTotal) >= uint64(noParent) {
		return fmt.Errorf("explore: more than %d distinct states", noParent-1)
	}
	s.g.links.grow(s.g.links.n + uint32(newTotal))
	parallel(s.workers, len(chunks), nil, s.numberChunk)
	if err := chunkErr(chunks); err != nil {
		return err
	}
	s.g.links.n += uint32(newTotal)
	for _, c := range chunks {
		if err := s.appendChunk(c); err != nil {
			return err
		}
	}
	return nil
}

// countWinners puts chunk ci's verdicts in candidate order and counts its
// winners.
func (s *bfsSearch[S, A]) countWinners(_, ci int) { s.chunks[ci].countWinners() }

// firstIDs gives each chunk of the window the id of its first winner and
// returns the window's winners. It also adds up what the window generated,
// and keeps its chunks' average size for the next window's hints.
func (s *bfsSearch[S, A]) firstIDs() int {
	chunks := s.windowChunks()
	newTotal := 0
	s.lastCands, s.lastBytes = 0, 0
	for _, c := range chunks {
		s.lastCands += len(c.cands)
		s.lastBytes += len(c.arena)
		s.generated += c.generated
		for k, n := range c.coverage {
			s.coverageGen[k] += n
		}
		c.firstID = s.g.links.n + uint32(newTotal)
		newTotal += c.newStates
	}
	s.lastCands = (s.lastCands + len(chunks) - 1) / len(chunks)
	s.lastBytes = (s.lastBytes + len(chunks) - 1) / len(chunks)
	return newTotal
}

// numberChunk numbers, evaluates and codes chunk ci's winners (see
// number), on worker wi. number takes the evaluation as a function, made
// here once per chunk, so that it needs no more of the search.
func (s *bfsSearch[S, A]) numberChunk(wi, ci int) {
	w := &s.ws[wi]
	c := s.chunks[ci]
	c.err = number(c, &s.g.links, s.g.visited, s.cur.firstID, &w.enc, s.delta, s.nKinds, len(s.spec.Invariants), len(s.spec.Witnesses),
		func(enc []byte) (uint64, uint64, uint64, error) {
			if err := decodeInto(s.spec.Model, &w.t, enc); err != nil {
				return 0, 0, 0, fmt.Errorf("explore: %w: a new state does not decode: %v", ErrNondeterminism, err)
			}
			inv, wit := s.props.evaluate(&w.t, s.invMask, s.witMask)
			var labels uint64
			if c.withGraph {
				labels = labelsOf(s.spec.Labels, &w.t)
			}
			return inv, wit, labels, nil
		})
}

// appendChunk appends chunk c's coded winners to the next frontier and
// adds up what it found.
func (s *bfsSearch[S, A]) appendChunk(c *chunkOut) error {
	start := 0
	for _, b := range c.blocks {
		if err := s.next.appendBlock(c.coded[start:b.end], b.n, b.raw); err != nil {
			return err
		}
		start = b.end
	}
	for k, n := range c.fresh {
		s.coverageNew[k] += n
	}
	for j := 0; j < len(c.bigActs); j += 2 {
		s.g.links.setBig(c.bigActs[j], int(c.bigActs[j+1]))
	}
	// Chunks are in id order: the first chunk to find a property has its
	// first state.
	for i, at := range c.invAt {
		if at != noParent && s.props.violations[i] == nil {
			s.props.violate(i, c.foundAt(at))
		}
	}
	for i, at := range c.witAt {
		if at != noParent && s.props.reached[i] == nil {
			s.props.reach(i, c.foundAt(at))
		}
	}
	return nil
}

// foundAt is the winner of chunk c that was given id, for replay.
func (c *chunkOut) foundAt(id uint32) *found {
	return &found{id, c.cands[c.winnerIndex(id)].fp}
}

// chunkErr is the first error of the chunks, in order.
func chunkErr(chunks []*chunkOut) error {
	for _, c := range chunks {
		if c.err != nil {
			return c.err
		}
	}
	return nil
}

// graphWindow is phase 4, when the search builds a state graph: every
// successor of the window's states resolved to its id (chunks in
// parallel), then the new states' labels and the expanded states' rows
// handed to the sink in id order.
func (s *bfsSearch[S, A]) graphWindow() error {
	if s.opts.Graph == nil {
		return nil
	}
	chunks := s.windowChunks()
	parallel(s.workers, len(chunks), nil, func(_, ci int) {
		if c := chunks[ci]; c.err == nil {
			c.err = c.graph.resolve(s.g.visited)
		}
	})
	if err := chunkErr(chunks); err != nil {
		return err
	}
	for ci, c := range chunks {
		if err := c.graph.emit(s.opts.Graph, c, c.firstID, s.cur.firstID+uint32(s.base[ci])); err != nil {
			return err
		}
	}
	return nil
}
