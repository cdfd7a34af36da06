package model

import "bytes"

// Symmetry. The model treats brokers alike: renaming them (a permutation of
// the ids 1..RF, applied to every field that names a broker) maps behaviours
// to behaviours and keeps every property's verdict. The one exception is the
// preferred replica, which the controller moves leadership back to when
// auto.leader.rebalance.enable is set: then only permutations that fix it
// are symmetries.
//
// Canonicalize replaces a state by the representative of its orbit under
// those permutations, so that the explorer stores each orbit once. The
// representative minimises a key: first, for each broker position, a
// summary of that broker that no renaming changes (status, offsets, epoch,
// whether it believes it leads, its ISR's size, its log); then the whole
// canonical encoding. Any minimiser must put the brokers in order of their
// summaries, so only those orderings, with ties tried both ways, are
// compared: the result is the exact minimum at the cost of, usually, a
// single renaming.

// SymmetryGroup describes the renamings the configuration admits: the
// brokers that may be permuted among themselves. It is empty (no
// symmetry) when fewer than two brokers are interchangeable.
func (m *Model) SymmetryGroup() []BrokerID {
	var movable []BrokerID
	for id := BrokerID(1); id <= m.rf; id++ {
		if m.cfg.AutoLeaderRebalance && id == m.cfg.InitialLeader {
			continue
		}
		movable = append(movable, id)
	}
	if len(movable) < 2 {
		return nil
	}
	return movable
}

// Permute returns s with every broker id b renamed to to[b] (to[0] must be
// 0, None).
func (m *Model) Permute(s *State, to [MaxReplicas + 1]BrokerID) State {
	var t State
	rename := func(b BrokerID) BrokerID { return to[b] }
	renameSet := func(x Set) Set {
		var y Set
		for b := BrokerID(1); b <= m.rf; b++ {
			if x.Has(b) {
				y = y.With(to[b])
			}
		}
		return y
	}
	for b := BrokerID(1); b <= m.rf; b++ {
		src := s.Broker(b)
		dst := t.Broker(to[b])
		*dst = *src
		dst.Leader = rename(src.Leader)
		dst.ISR = renameSet(src.ISR)
		for f := BrokerID(1); f <= m.rf; f++ {
			dst.Remote[to[f]-1] = src.Remote[f-1]
		}
	}
	t.Ctrl = Controller{Leader: rename(s.Ctrl.Leader), Epoch: s.Ctrl.Epoch, ISR: renameSet(s.Ctrl.ISR), Live: renameSet(s.Ctrl.Live)}
	t.Ghost = s.Ghost
	for k := range t.Ghost.Produced {
		t.Ghost.Records[k].Leader = rename(s.Ghost.Records[k].Leader)
	}
	t.Used = s.Used
	return t
}

// summary appends broker id's rename-invariant summary.
func (m *Model) summary(dst []byte, s *State, id BrokerID) []byte {
	b := s.Broker(id)
	self := byte(0)
	if b.Leader == id {
		self = 1
	}
	dst = append(dst, byte(b.Status), byte(b.LEO), byte(b.HW), byte(b.Flushed), byte(b.Epoch), self, byte(b.ISR.Len()))
	for _, e := range b.Log[:b.LEO] {
		dst = append(dst, byte(e.Rec), byte(e.Epoch))
	}
	return dst
}

// Canonicalize replaces s by its orbit's representative (see above). It is
// a no-op when the configuration admits no symmetry.
func (m *Model) Canonicalize(s *State) {
	movable := m.SymmetryGroup()
	if movable == nil {
		return
	}
	// Summaries of the movable brokers, and their order.
	var buf [MaxReplicas][]byte
	var arena [MaxReplicas * (7 + 2*MaxRecords)]byte
	used := 0
	for i, id := range movable {
		start := used
		buf[i] = m.summary(arena[start:start:len(arena)], s, id)
		used += len(buf[i])
	}
	n := len(movable)
	order := [MaxReplicas]int{}
	for i := range n {
		order[i] = i
	}
	// Insertion sort by summary.
	for i := 1; i < n; i++ {
		for j := i; j > 0 && bytes.Compare(buf[order[j]], buf[order[j-1]]) < 0; j-- {
			order[j], order[j-1] = order[j-1], order[j]
		}
	}
	// Try every ordering that keeps the summaries sorted (permuting within
	// runs of equal summaries); keep the smallest encoding.
	var best State
	var bestEnc, enc []byte
	first := true
	var try func(k int)
	try = func(k int) {
		if k == n {
			var to [MaxReplicas + 1]BrokerID
			for b := BrokerID(1); b <= m.rf; b++ {
				to[b] = b // the fixed preferred replica, if any
			}
			for pos, i := range order[:n] {
				to[movable[i]] = movable[pos]
			}
			t := m.Permute(s, to)
			enc = m.Encode(enc[:0], &t)
			if first || bytes.Compare(enc, bestEnc) < 0 {
				best, first = t, false
				bestEnc = append(bestEnc[:0], enc...)
			}
			return
		}
		// order[k] may be swapped with any later position in its run.
		end := k + 1
		for end < n && bytes.Equal(buf[order[end]], buf[order[k]]) {
			end++
		}
		for j := k; j < end; j++ {
			order[k], order[j] = order[j], order[k]
			try(k + 1)
			order[k], order[j] = order[j], order[k]
		}
	}
	try(0)
	*s = best
}
