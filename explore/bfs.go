package explore

import (
	"fmt"
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

// bfsSearch is a level-synchronous breadth-first search. Each level is
// read from its frontier a window of blocks at a time, and each window runs
// in three phases:
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
//
// The level loop is run and level; a window's phases are in window.go.
type bfsSearch[S any, A any] struct {
	search[S, A, found]
	workers int
	nKinds  int // action kinds counted for coverage (0: none)
	g       *graph
	// cur is the level being expanded, next the one being found.
	cur, next frontier
	expanded  int // states of cur expanded so far
	depth     int
	peakFront int64
	// spilling says the frontiers went to disk (see spillIfDue).
	spilling                 bool
	coverageGen, coverageNew []int64
	// The current level's masks of the properties still to evaluate, and
	// the growth of the frontier from the level before (at most 2).
	invMask, witMask uint64
	growthEst        float64
	prevLen          int // the states of the level before

	// The current window: blocks [lo, hi) of cur, whose first states are
	// frontier states base[0], base[1], ...; delta says its winners are
	// coded; hintCands and hintBytes size its chunks' buffers.
	lo, hi               int
	base                 []int
	delta                bool
	hintCands, hintBytes int
	// Scratch space every window reuses.
	ws                   []worker[S, A]
	chunks               []*chunkOut
	lastCands, lastBytes int // per chunk, in the last window
	spillBuf             []byte
	datas                [][]byte
}

// runBFS searches spec breadth first (see bfsSearch).
func runBFS[S any, A any](spec Spec[S, A], opts Options, canon func(*S)) (Result[S, A], error) {
	if len(spec.Invariants) > 64 || len(spec.Witnesses) > 64 {
		// Phase 3 hands back what a state violates and reaches as bit masks.
		return Result[S, A]{}, fmt.Errorf("explore: at most 64 invariants and 64 witnesses")
	}
	if err := checkGraphSpec(spec, opts); err != nil {
		return Result[S, A]{}, err
	}
	s := newBFS(spec, opts, canon)
	defer s.free()
	return s.run()
}

func newBFS[S any, A any](spec Spec[S, A], opts Options, canon func(*S)) *bfsSearch[S, A] {
	g := &graph{visited: newVisitedSet(opts.Graph != nil)}
	nKinds := len(spec.KindNames)
	if spec.Kind == nil {
		nKinds = 0
	}
	s := &bfsSearch[S, A]{
		search: search[S, A, found]{
			spec: spec, opts: opts, canon: canon, visited: g.visited,
			props: newProperties[S, A, found](spec),
		},
		workers:     max(opts.Workers, 1),
		nKinds:      nKinds,
		g:           g,
		coverageGen: make([]int64, nKinds),
		coverageNew: make([]int64, nKinds),
	}
	s.ws = make([]worker[S, A], s.workers)
	s.mon = newMonitor(opts)
	return s
}

// free stops the monitor and returns the memory of the frontiers and the
// graph.
func (s *bfsSearch[S, A]) free() {
	s.mon.stop()
	s.next.free()
	s.cur.free()
	s.g.free()
}

// run searches level by level until the frontier is empty, a violation
// ends the search at the end of its level, or a budget or an interrupt
// stops it.
func (s *bfsSearch[S, A]) run() (Result[S, A], error) {
	if err := s.firstLevel(); err != nil {
		return Result[S, A]{}, err
	}
	s.done = s.props.done(s.opts) && s.opts.Graph == nil
	for lvl := 1; s.cur.len() > 0 && !s.done && s.stop == ""; lvl++ {
		if err := s.level(lvl); err != nil {
			return Result[S, A]{}, err
		}
	}
	return s.result()
}

// firstLevel is level 1: the initial states, numbered, with their
// properties evaluated, coded into the first frontier.
func (s *bfsSearch[S, A]) firstLevel() error {
	var block, prev []byte
	n, raw := 0, 0
	for i, initial := range s.spec.Model.Init() {
		s.generated++
		t := initial
		fp, isNew, hit := s.arrive(&t)
		if !isNew {
			continue
		}
		id := s.g.links.add(noParent, i)
		if hit {
			s.props.record(&t, &found{id, fp})
		}
		if s.opts.Graph != nil {
			s.g.visited.setID(fp, uint32(s.slot), id)
			if ss, ok := s.opts.Graph.(StateSink); ok {
				if err := ss.State(id, fp, s.enc); err != nil {
					return err
				}
			}
			if err := s.opts.Graph.Label(id, labelsOf(s.spec.Labels, &t)); err != nil {
				return err
			}
		}
		if n == blockStates {
			if err := s.next.appendBlock(block, n, raw); err != nil {
				return err
			}
			block, prev, n, raw = block[:0], prev[:0], 0, 0
		}
		if n == 0 {
			block = append(block, blockDelta)
		}
		block = encodeDelta(block, prev, s.enc)
		prev = append(prev[:0], s.enc...)
		n++
		raw += len(s.enc)
		s.depth = 1
	}
	if err := s.next.appendBlock(block, n, raw); err != nil {
		return err
	}
	if err := s.next.flush(); err != nil {
		return err
	}
	if err := s.advance(); err != nil {
		return err
	}
	s.mon.update(s.stats())
	return nil
}

// level expands level lvl (the initial states being level 1) window by
// window into the next, and then makes that the current one, unless the
// search stops in it.
func (s *bfsSearch[S, A]) level(lvl int) error {
	s.growthEst = 0
	if s.prevLen > 0 {
		s.growthEst = min(float64(s.cur.len())/float64(s.prevLen), 2)
	}
	s.prevLen = s.cur.len()
	if s.outOfStates(int64(s.g.links.n)) {
		return nil
	}
	s.invMask, s.witMask = s.props.pending()
	for lo := 0; lo < len(s.cur.blocks) && s.stop == ""; lo += windowBlocks {
		if err := s.window(lo, min(lo+windowBlocks, len(s.cur.blocks))); err != nil {
			return err
		}
	}
	if s.stop != "" {
		return nil
	}
	if err := s.next.flush(); err != nil {
		return err
	}
	if s.next.len() > 0 {
		s.depth = lvl + 1
	}
	s.done = s.props.done(s.opts) && s.opts.Graph == nil
	s.mon.update(s.stats())
	return s.advance()
}

// advance makes the next level the current one, and empties the other
// frontier for the level after, on disk if the frontiers went there.
func (s *bfsSearch[S, A]) advance() error {
	s.cur, s.next = s.next, s.cur
	s.expanded = 0
	if err := s.next.reset(s.g.links.n); err != nil {
		return err
	}
	if s.spilling && s.next.spill == nil {
		return s.next.toDisk(s.opts.FrontierDir)
	}
	return nil
}

// spillIfDue moves the frontiers to disk when a frontier directory is
// given and they hold spillAbove bytes or the process half its memory
// budget: the spill is the first response to memory running short.
func (s *bfsSearch[S, A]) spillIfDue() error {
	if s.opts.FrontierDir == "" || s.spilling || s.cur.bytes()+s.next.bytes() < spillAbove && !s.mon.pressed() {
		return nil
	}
	s.spilling = true
	return s.next.toDisk(s.opts.FrontierDir)
}

// stats are the search's statistics so far.
func (s *bfsSearch[S, A]) stats() Stats {
	s.peakFront = max(s.peakFront, s.cur.bytes()+s.next.bytes())
	return Stats{
		Distinct: int64(s.g.links.n), Generated: s.generated, Depth: s.depth,
		Queue: int64(s.cur.len() - s.expanded + s.next.len()), Elapsed: s.mon.elapsed(),
		VisitedBytes: s.g.visited.bytes() + s.g.links.bytes(), PeakMemory: s.mon.peak(),
		FrontierBytes: s.peakFront,
	}
}

// result is what the search found, with the traces rebuilt by replay.
func (s *bfsSearch[S, A]) result() (Result[S, A], error) {
	var res Result[S, A]
	res.Stats = s.stats()
	res.Stats.Workers = s.workers
	res.Stats.CollisionProbability = CollisionProbability(res.Stats.Distinct, res.Stats.Generated)
	if s.nKinds > 0 {
		for k, name := range s.spec.KindNames {
			res.Coverage = append(res.Coverage, Coverage{Kind: name, Generated: s.coverageGen[k], Distinct: s.coverageNew[k]})
		}
	}
	s.conclude(&res, "stopped at the end of the level of the first violation")

	// Rebuild the traces by replay, shortest violation first.
	err := s.props.addTo(&res, violationOrder(s.props.violations), s.replay)
	return res, err
}

// replay rebuilds the trace to a recorded state.
func (s *bfsSearch[S, A]) replay(f *found) (Trace[S, A], error) {
	return replay(s.spec.Model, s.canon, s.g, f)
}
