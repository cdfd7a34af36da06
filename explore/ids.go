package explore

// A state graph (Options.Graph) needs each successor's id, whether it was
// found before or in the same window, so the visited set keeps an id beside
// each fingerprint, slot for slot: 4 bytes a slot, about 5 a state. Phase 2
// inserts a window's candidates and notes their slots; phase 3 writes the
// winners' ids there; once the window is numbered, every successor's
// fingerprint is in the set with its id.

// setID records the id of the state whose fingerprint fp sits in slot of
// its shard. Distinct slots may be set concurrently while nobody inserts.
func (v *visitedSet) setID(fp uint64, slot, id uint32) { v.shards[shardOf(fp)].ids[slot] = id }

// id is the id recorded beside fp, which must be in the set.
func (v *visitedSet) id(fp uint64) (uint32, bool) {
	s := &v.shards[shardOf(fp)]
	b, j, found := s.find(fp)
	if !found {
		return 0, false
	}
	return s.ids[b*bucketSlots+j], true
}
