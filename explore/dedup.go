package explore

import "slices"

// Phase 2 of a BFS window: the candidates are grouped by visited-set
// shard, and each shard's are inserted by one worker, chunk by chunk in
// candidate order, so that the first candidate of a fingerprint wins as in
// a sequential search.

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
		c.byShard[next[sh]] = shardEntry{fp: c.cands[k].fp, idx: uint32(k)}
		next[sh]++
	}
}

// shardEntry is a candidate as phase 2 sees it: its fingerprint and index,
// so that deduplicating a shard reads memory in order.
type shardEntry struct {
	fp    uint64
	idx   uint32
	slot  uint32 // where phase 2 put or found it, for a state graph
	isNew bool   // phase 2's verdict
}

// dedupShard inserts the window's candidates that fall in shard sh,
// chunk by chunk, in order, and records each one's verdict. It first
// reserves room for them and for more(incoming) after them: what the rest
// of the level and the next will bring. It returns what it read ahead of
// its inserts (touch), so that the reads are kept.
func dedupShard(table *shard, chunks []*chunkOut, sh int, more func(incoming int) int) uint64 {
	incoming := 0
	for _, c := range chunks {
		incoming += int(c.shardStart[sh+1] - c.shardStart[sh])
	}
	table.reserve(incoming, more(incoming))
	// Each insert touches the bucket of one a few entries ahead, so that
	// the cache misses overlap.
	var sink uint64
	for _, c := range chunks {
		es := c.byShard[c.shardStart[sh]:c.shardStart[sh+1]]
		for k, e := range es {
			if k+touchAhead < len(es) {
				sink ^= table.touch(es[k+touchAhead].fp)
			}
			// The verdict goes beside the entry: written in candidate
			// order, workers deduplicating different shards would write
			// into the same cache lines.
			slot, isNew := table.insertSlot(e.fp)
			es[k].slot, es[k].isNew = uint32(slot), isNew
		}
	}
	return sink
}

// countWinners puts phase 2's verdicts in candidate order and counts the
// winners.
func (c *chunkOut) countWinners() {
	c.newStates = 0
	if c.withGraph {
		c.graph.slots = slices.Grow(c.graph.slots[:0], len(c.cands))[:len(c.cands)]
	}
	for _, e := range c.byShard {
		c.isNew[e.idx] = e.isNew
		if c.withGraph {
			c.graph.slots[e.idx] = e.slot
		}
		if e.isNew {
			c.newStates++
		}
	}
}
