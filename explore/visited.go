package explore

import (
	"electcheck/internal/offheap"
	"math/bits"
	"unsafe"
)

// The visited set holds 64-bit fingerprints only (as TLC does), in a flat
// open-addressing table split into shards by the fingerprint's top bits so
// that parallel workers can insert into different shards without locks.
//
// A shard is an array of buckets of eight fingerprints: one 64-byte cache
// line. A fingerprint's home bucket is chosen by multiplying its remaining
// bits by the bucket count (so the count need not be a power of two); a
// full bucket spills into the next one (linear probing by bucket). Zero
// marks an empty slot; Fingerprint never returns 0.
//
// A shard grows by a quarter when it is nine-tenths full, so its load stays
// between 0.72 and 0.9: 8.9 to 11.1 bytes per fingerprint.

const (
	bucketSlots = 8
	shardBits   = 6
	numShards   = 1 << shardBits
	maxLoad     = 0.9
	growth      = 1.25
)

type bucket [bucketSlots]uint64

type shard struct {
	buckets []bucket
	n       int // fingerprints held
	limit   int // n at which to grow
	// ids, when the search builds a state graph, holds each slot's state
	// id beside its fingerprint (ids.go).
	ids []uint32
}

type visitedSet struct {
	shards [numShards]shard
}

// newVisitedSet makes an empty set; withIDs keeps a state id beside each
// fingerprint (for Options.Graph).
func newVisitedSet(withIDs bool) *visitedSet {
	v := &visitedSet{}
	for i := range v.shards {
		if withIDs {
			v.shards[i].ids = []uint32{}
		}
		v.shards[i].resize(8)
	}
	return v
}

func shardOf(fp uint64) int { return int(fp >> (64 - shardBits)) }

// home is fp's first bucket in a shard of nb buckets.
func home(fp uint64, nb int) int {
	hi, _ := bits.Mul64(fp<<shardBits, uint64(nb))
	return int(hi)
}

// alignedBuckets allocates n empty buckets, off the heap, starting on a
// 64-byte boundary, so that a bucket is one cache line.
func alignedBuckets(n int) []bucket {
	words := offheap.Words(n * bucketSlots)
	return unsafe.Slice((*bucket)(unsafe.Pointer(&words[0])), n)
}

func freeBuckets(b []bucket) {
	if len(b) > 0 {
		offheap.FreeWords(unsafe.Slice((*uint64)(unsafe.Pointer(&b[0])), len(b)*bucketSlots))
	}
}

func (s *shard) resize(nb int) {
	old, oldIDs := s.buckets, s.ids
	defer freeBuckets(old)
	s.buckets = alignedBuckets(nb)
	if oldIDs != nil {
		s.ids = make([]uint32, nb*bucketSlots)
	}
	s.limit = int(maxLoad * float64(nb*bucketSlots))
	s.n = 0
	for i := range old {
		for k, fp := range old[i] {
			if fp != 0 {
				slot, _ := s.insertSlot(fp)
				if oldIDs != nil {
					s.ids[slot] = oldIDs[i*bucketSlots+k]
				}
			}
		}
	}
}

// reserve grows the shard, once, so that n more fingerprints fit, with
// room for about more after them (what the rest of a BFS level will
// bring): by the usual quarter, or up to double for what is to come, or
// as much as n needs. Growing a quarter at a time while a level arrives a
// window at a time rehashed the shard over and over: a sixth of the TLA+
// port's Kip320 search.
func (s *shard) reserve(n, more int) {
	if s.n+n <= s.limit {
		return
	}
	nb := int(float64(len(s.buckets))*growth) + 1
	if want := min(int(float64(s.n+n+more)/(maxLoad*bucketSlots))+1, 2*len(s.buckets)); want > nb {
		nb = want
	}
	if need := int(float64(s.n+n)/(maxLoad*bucketSlots)) + 1; need > nb {
		nb = need
	}
	s.resize(nb)
}

// insert adds fp and reports whether it was new. Only one goroutine may
// insert into a shard at a time.
func (s *shard) insert(fp uint64) bool {
	_, isNew := s.insertSlot(fp)
	return isNew
}

// insertSlot adds fp and returns its slot (bucket*bucketSlots + index),
// which stays its slot until the shard grows, and whether it was new.
func (s *shard) insertSlot(fp uint64) (int, bool) {
	if s.n >= s.limit {
		s.resize(int(float64(len(s.buckets))*growth) + 1)
	}
	b, j, found := s.find(fp)
	if !found {
		s.buckets[b][j] = fp
		s.n++
	}
	return b*bucketSlots + j, !found
}

func (s *shard) contains(fp uint64) bool {
	_, _, found := s.find(fp)
	return found
}

// find probes for fp from its home bucket: the bucket and slot holding
// it, or the empty slot where it belongs. The table is never full.
func (s *shard) find(fp uint64) (bucket, slot int, found bool) {
	nb := len(s.buckets)
	for b := home(fp, nb); ; b++ {
		if b == nb {
			b = 0
		}
		bk := &s.buckets[b]
		for j := range bucketSlots {
			switch bk[j] {
			case fp:
				return b, j, true
			case 0:
				return b, j, false
			}
		}
	}
}

// insert adds fp to its shard; it is safe for concurrent use only when the
// callers insert into different shards.
func (v *visitedSet) insert(fp uint64) bool { return v.shards[shardOf(fp)].insert(fp) }

// contains is safe for concurrent use while nobody inserts.
func (v *visitedSet) contains(fp uint64) bool { return v.shards[shardOf(fp)].contains(fp) }

// free returns the set's memory; the set is unusable after.
func (v *visitedSet) free() {
	for i := range v.shards {
		freeBuckets(v.shards[i].buckets)
		v.shards[i] = shard{}
	}
}

func (v *visitedSet) len() int {
	n := 0
	for i := range v.shards {
		n += v.shards[i].n
	}
	return n
}

// bytes is the memory the table holds.
func (v *visitedSet) bytes() int64 {
	var b int64
	for i := range v.shards {
		b += int64(len(v.shards[i].buckets))*64 + int64(len(v.shards[i].ids))*4
	}
	return b
}

// links are the parent links of every visited state, by id: the parent's id
// and the index of the action that reached the state (for an initial
// state, no parent and its index in Init). Stored in fixed-size chunks so
// that growth never copies and never over-allocates by more than a chunk.
// Action indices above 254 are rare and kept in a map.
type links struct {
	parents [][]uint32
	acts    [][]uint8
	big     map[uint32]uint32 // action indices >= 255, by state id
	n       uint32
}

const (
	linkChunkBits = 18 // 1.25 MiB a chunk: mapped, off the heap
	linkChunk     = 1 << linkChunkBits
	bigAction     = 255
)

func (l *links) add(parent uint32, act int) uint32 {
	id := l.n
	c, i := id>>linkChunkBits, id&(linkChunk-1)
	if i == 0 {
		l.addChunk()
	}
	l.parents[c][i] = parent
	if act >= bigAction {
		if l.big == nil {
			l.big = map[uint32]uint32{}
		}
		l.big[id] = uint32(act)
		act = bigAction
	}
	l.acts[c][i] = uint8(act)
	l.n++
	return id
}

// grow makes room for ids up to n-1, to be written with set.
func (l *links) grow(n uint32) {
	for uint32(len(l.parents))*linkChunk < n {
		l.addChunk()
	}
}

// addChunk adds room for linkChunk more states, off the heap: a parent id
// and an action index each, in one map.
func (l *links) addChunk() {
	b := offheap.Bytes(linkChunk * 5)
	l.parents = append(l.parents, unsafe.Slice((*uint32)(unsafe.Pointer(&b[0])), linkChunk))
	l.acts = append(l.acts, b[linkChunk*4:])
}

// free returns the links' memory.
func (l *links) free() {
	for _, p := range l.parents {
		offheap.FreeBytes(unsafe.Slice((*byte)(unsafe.Pointer(&p[0])), linkChunk*5))
	}
	*l = links{}
}

// set records state id's links; ids below n must be grown first. Distinct
// ids may be set concurrently; an action index of 255 or more must be
// stored with setBig afterwards, by one goroutine.
func (l *links) set(id, parent uint32, act int) {
	c, i := id>>linkChunkBits, id&(linkChunk-1)
	l.parents[c][i] = parent
	l.acts[c][i] = uint8(min(act, bigAction))
}

func (l *links) setBig(id uint32, act int) {
	if l.big == nil {
		l.big = map[uint32]uint32{}
	}
	l.big[id] = uint32(act)
}

func (l *links) parent(id uint32) uint32 { return l.parents[id>>linkChunkBits][id&(linkChunk-1)] }

func (l *links) act(id uint32) int {
	a := int(l.acts[id>>linkChunkBits][id&(linkChunk-1)])
	if a == bigAction {
		return int(l.big[id])
	}
	return a
}

func (l *links) bytes() int64 {
	return int64(len(l.parents)) * linkChunk * 5
}

// touch reads the first slot of fp's home bucket and returns it: a read
// that brings the bucket into the cache, for a lookup soon after. A loop of
// touches has no dependence between its reads, so their cache misses
// overlap.
func (v *visitedSet) touch(fp uint64) uint64 { return v.shards[shardOf(fp)].touch(fp) }

func (s *shard) touch(fp uint64) uint64 { return s.buckets[home(fp, len(s.buckets))][0] }

// touchAhead is how many lookups ahead a loop of inserts touches.
const touchAhead = 16
