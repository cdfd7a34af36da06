package explore

import (
	"encoding/binary"
	"fmt"
	"slices"
)

// windowBlocks is how many frontier blocks a level's window holds: the
// candidates of one window are all the memory a level needs beyond the
// frontiers.
var windowBlocks = 128

// candidate is a successor not visited before its window: found in phase
// 1, deduplicated in phase 2, numbered (and its properties evaluated, if it
// won) in phase 3.
type candidate struct {
	fp     uint64
	parent uint32 // index in the frontier
	act    uint32 // index of the action in the parent's Actions
	end    uint32 // end of its bytes in the chunk's arena
	kind   int32  // coverage class, or -1
}

// chunkOut is what phase 1 found for one chunk of the frontier, in the
// order a sequential search would have found it.
type chunkOut struct {
	cands []candidate
	isNew []bool // phase 2's verdict on each candidate, in candidate order
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
	// withGraph says the search builds a state graph, kept in graph.
	withGraph bool
	graph     edges

	// Phase 3's results for the chunk.
	newStates int    // candidates that won
	firstID   uint32 // the id of its first winner
	// coded holds the winners, delta-coded in blocks of at most
	// blockStates: blocks[i] ends at blocks[i].end.
	coded   []byte
	blocks  []codedBlock
	fresh   []int64  // winners per kind
	invAt   []uint32 // per invariant, the first winner violating it, or noParent
	witAt   []uint32 // per witness, the first winner reaching it, or noParent
	bigActs []uint32 // winners' ids with an action index of 255 or more, and that index
}

// codedBlock is a block of a chunk's winners, coded.
type codedBlock struct{ n, end, raw int }

// reset empties the chunk for a new level, with room for about hint
// candidates of about bytesEach bytes, so that its buffers do not grow by
// doubling from nothing.
func (c *chunkOut) reset(kinds, hint, bytesEach int) {
	c.cands = slices.Grow(c.cands[:0], hint)
	c.isNew = slices.Grow(c.isNew[:0], hint)
	c.arena = slices.Grow(c.arena[:0], hint*bytesEach)
	c.byShard = c.byShard[:0]
	c.generated, c.err = 0, nil
	c.graph.reset()
	if len(c.coverage) != kinds {
		c.coverage = make([]int64, kinds)
	}
	clear(c.coverage)
}

// worker holds one goroutine's scratch space, so that expanding a state
// allocates nothing.
type worker[S any, A any] struct {
	s, t S
	acts []A       // the actions enabled in the state being expanded
	fps  []uint64  // its successors' fingerprints
	ends []int     // the end of each successor's bytes in enc
	enc  []byte    // its successors, coded (in phase 3: scratch space)
	view []byte    // a successor's view, for a Viewer
	wts  []float64 // the actions' weights, for a state graph
	sink uint64    // what touch read, kept so that the reads stay
	prev []byte    // the frontier state being expanded, as bytes
	own  []byte    // where a delta-coded state is decoded
}

// number gives chunk c's winners their ids c.firstID, c.firstID+1, ...,
// records their parent links (parents are frontier indices, ids from
// curFirst on), evaluates their properties (props: the invariants a state's
// bytes violate, bit i for Spec.Invariants[i], and the witnesses they
// reach) and codes them into blocks for the next frontier. Only winners are
// evaluated: a window's candidates are two or three times its winners.
// Chunks write disjoint parts, so they may run in parallel; prev is the
// worker's scratch space.
func number(c *chunkOut, l *links, v *visitedSet, curFirst uint32, prev *[]byte, delta bool, nKinds, nInv, nWit int,
	props func(enc []byte) (inv, wit, labels uint64, err error)) error {
	if len(c.fresh) != nKinds {
		c.fresh = make([]int64, nKinds)
	}
	clear(c.fresh)
	c.invAt = resetTo(c.invAt, nInv)
	c.witAt = resetTo(c.witAt, nWit)
	c.bigActs = c.bigActs[:0]
	c.coded, c.blocks = c.coded[:0], c.blocks[:0]
	id := c.firstID
	start := uint32(0)
	inBlock, raw := 0, 0
	*prev = (*prev)[:0]
	mode := blockRaw
	if delta {
		mode = blockDelta
	}
	for k := range c.cands {
		cd := &c.cands[k]
		if c.isNew[k] {
			l.set(id, curFirst+cd.parent, int(cd.act))
			if cd.act >= bigAction {
				c.bigActs = append(c.bigActs, id, cd.act)
			}
			if inBlock == blockStates {
				c.blocks = append(c.blocks, codedBlock{n: inBlock, end: len(c.coded), raw: raw})
				inBlock, raw, *prev = 0, 0, (*prev)[:0]
			}
			if inBlock == 0 {
				c.coded = append(c.coded, mode)
			}
			enc := c.arena[start:cd.end]
			if delta {
				c.coded = encodeDelta(c.coded, *prev, enc)
				*prev = append((*prev)[:0], enc...)
			} else {
				c.coded = binary.AppendUvarint(c.coded, uint64(len(enc)))
				c.coded = append(c.coded, enc...)
			}
			inBlock++
			raw += len(enc)
			if cd.kind >= 0 {
				c.fresh[cd.kind]++
			}
			inv, wit, labels, err := props(enc)
			if err != nil {
				return err
			}
			if c.withGraph {
				v.setID(cd.fp, c.graph.slots[k], id)
				c.graph.labels = append(c.graph.labels, labels)
			}
			for i := range nInv {
				if inv&(1<<i) != 0 && c.invAt[i] == noParent {
					c.invAt[i] = id
				}
			}
			for i := range nWit {
				if wit&(1<<i) != 0 && c.witAt[i] == noParent {
					c.witAt[i] = id
				}
			}
			id++
		}
		start = cd.end
	}
	if inBlock > 0 {
		c.blocks = append(c.blocks, codedBlock{n: inBlock, end: len(c.coded), raw: raw})
	}
	return nil
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

// expandBlock generates the successors of a coded block's n states, the
// first of which is frontier state base, into out.
func expandBlock[S any, A any](spec Spec[S, A], canon func(*S), visited *visitedSet, w *worker[S, A], data []byte, base, n int,
	out *chunkOut) error {
	if len(data) == 0 || data[0] > blockDelta {
		return fmt.Errorf("explore: a frontier block is corrupt")
	}
	delta, pos := data[0] == blockDelta, 1
	w.own = w.own[:0]
	for i := base; i < base+n; i++ {
		var err error
		if delta {
			if w.own, pos, err = decodeDelta(data, pos, w.own); err != nil {
				return err
			}
			w.prev = w.own
		} else {
			// A raw state is read where it lies.
			size, k := binary.Uvarint(data[pos:])
			if k <= 0 || size > uint64(len(data)-pos-k) {
				return fmt.Errorf("explore: a frontier block is corrupt")
			}
			w.prev = data[pos+k : pos+k+int(size)]
			pos += k + int(size)
		}
		if err := expand(spec, canon, visited, w, i, out); err != nil {
			return err
		}
	}
	return nil
}

// expand generates the successors of frontier state i, decoded in w.prev,
// into out.
func expand[S any, A any](spec Spec[S, A], canon func(*S), visited *visitedSet, w *worker[S, A], i int,
	out *chunkOut) error {
	m := spec.Model
	if err := decodeInto(m, &w.s, w.prev); err != nil {
		return fmt.Errorf("explore: %w: a frontier state does not decode: %v", ErrNondeterminism, err)
	}
	w.acts = m.Actions(&w.s, w.acts[:0])
	if uint64(len(w.acts)) > 1<<31 {
		return fmt.Errorf("explore: a state has %d actions", len(w.acts))
	}
	// All the successors first, then their fingerprints looked up: the
	// lookups miss the cache, and a loop of independent loads lets the
	// processor wait for them together (touch), not one after another.
	next, inPlace := m.(InPlaceNext[S, A])
	viewer, hasView := m.(Viewer[S])
	n := len(w.acts)
	w.fps = slices.Grow(w.fps[:0], n)[:n]
	w.ends = slices.Grow(w.ends[:0], n)[:n]
	w.enc = w.enc[:0]
	for ai := range w.acts {
		t := &w.t
		if inPlace {
			next.NextInto(t, &w.s, w.acts[ai])
		} else {
			*t = m.Next(&w.s, w.acts[ai])
		}
		if canon != nil {
			canon(t)
		}
		start := len(w.enc)
		w.enc = m.Encode(w.enc, t)
		if hasView {
			w.view = viewer.View(w.view[:0], t)
			w.fps[ai] = Fingerprint(w.view)
		} else {
			w.fps[ai] = Fingerprint(w.enc[start:])
		}
		w.ends[ai] = len(w.enc)
	}
	for _, fp := range w.fps {
		w.sink ^= visited.touch(fp)
	}
	out.generated += int64(n)
	if out.withGraph {
		var wts []float64
		if spec.Weights != nil {
			w.wts = spec.Weights(&w.s, w.acts, w.wts[:0])
			if len(w.wts) != n {
				return fmt.Errorf("explore: Weights gave %d weights for %d actions", len(w.wts), n)
			}
			wts = w.wts
		}
		out.graph.record(w.fps, wts)
	}
	start := 0
	for ai, fp := range w.fps {
		enc := w.enc[start:w.ends[ai]]
		start = w.ends[ai]
		kind := int32(-1)
		if out.coverage != nil && spec.Kind != nil {
			kind = int32(spec.Kind(w.acts[ai]))
			out.coverage[kind]++
		}
		if visited.contains(fp) {
			continue
		}
		out.arena = append(out.arena, enc...)
		out.cands = append(out.cands, candidate{fp: fp, parent: uint32(i), act: uint32(ai), end: uint32(len(out.arena)), kind: kind})
		out.isNew = append(out.isNew, false)
	}
	return nil
}

// decodeInto decodes b into *dst, in place if the model can.
func decodeInto[S any, A any](m Model[S, A], dst *S, b []byte) error {
	if dec, ok := m.(InPlaceDecoder[S]); ok {
		return dec.DecodeInto(dst, b)
	}
	var err error
	*dst, err = m.Decode(b)
	return err
}
