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
// symmetry) when fewer than two brokers are interchangeable. The slice is
// shared: do not modify it.
func (m *Model) SymmetryGroup() []BrokerID { return m.movable }

func (m *Model) symmetryGroup() []BrokerID {
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
		dst.Proposed = renameSet(src.Proposed)
		dst.Fetched = renameSet(src.Fetched)
		for f := BrokerID(1); f <= m.rf; f++ {
			dst.Remote[to[f]-1] = src.Remote[f-1]
		}
	}
	t.Ctrl = Controller{Leader: rename(s.Ctrl.Leader), Epoch: s.Ctrl.Epoch, ISR: renameSet(s.Ctrl.ISR),
		ELR: renameSet(s.Ctrl.ELR), LastLeader: rename(s.Ctrl.LastLeader), Live: renameSet(s.Ctrl.Live), UncleanEnabled: s.Ctrl.UncleanEnabled}
	for e, term := range s.Ctrl.History[:s.Ctrl.Epoch] {
		t.Ctrl.History[e] = Term{Leader: rename(term.Leader), ISR: renameSet(term.ISR)}
	}
	t.Ghost = s.Ghost
	for k := range t.Ghost.Produced {
		t.Ghost.Records[k].Leader = rename(s.Ghost.Records[k].Leader)
	}
	t.Used = s.Used
	return t
}

// brokerKey is the first part of a broker's rename-invariant summary:
// status, LEO, HW, flushed, epoch, whether it believes it leads, and its
// ISR's size, packed so that comparing keys compares those in order. The
// rest of the summary is its log.
func brokerKey(s *State, id BrokerID) uint64 {
	b := s.Broker(id)
	self := uint64(0)
	if b.Leader == id {
		self = 1
	}
	return uint64(b.Status)<<48 | uint64(b.LEO)<<40 | uint64(b.HW)<<32 | uint64(b.Flushed)<<24 |
		uint64(b.Epoch)<<16 | self<<8 | uint64(b.ISR.Len())
}

// compareBrokers orders two brokers by their summaries.
func compareBrokers(s *State, keys *[MaxReplicas + 1]uint64, x, y BrokerID) int {
	if keys[x] != keys[y] {
		if keys[x] < keys[y] {
			return -1
		}
		return 1
	}
	bx, by := s.Broker(x), s.Broker(y)
	for o := range bx.LEO { // equal keys: equal LEOs
		ex, ey := bx.Log[o], by.Log[o]
		if ex != ey {
			if ex.Rec < ey.Rec || ex.Rec == ey.Rec && ex.Epoch < ey.Epoch {
				return -1
			}
			return 1
		}
	}
	return 0
}

// Canonicalize replaces s by its orbit's representative (see above). It is
// a no-op when the configuration admits no symmetry.
func (m *Model) Canonicalize(s *State) {
	movable := m.SymmetryGroup()
	if movable == nil {
		return
	}
	n := len(movable)
	var keys [MaxReplicas + 1]uint64
	var order [MaxReplicas]BrokerID // movable brokers sorted by summary
	for i, id := range movable {
		keys[id] = brokerKey(s, id)
		order[i] = id
	}
	ties := false
	for i := 1; i < n; i++ {
		for j := i; j > 0; j-- {
			c := compareBrokers(s, &keys, order[j], order[j-1])
			if c == 0 {
				ties = true
			}
			if c >= 0 {
				break
			}
			order[j], order[j-1] = order[j-1], order[j]
		}
	}
	if !ties {
		for i := 1; i < n; i++ {
			if compareBrokers(s, &keys, order[i], order[i-1]) == 0 {
				ties = true
			}
		}
	}
	renaming := func(order *[MaxReplicas]BrokerID) [MaxReplicas + 1]BrokerID {
		var to [MaxReplicas + 1]BrokerID
		for b := BrokerID(1); b <= m.rf; b++ {
			to[b] = b // the fixed preferred replica, if any
		}
		for pos := range n {
			to[order[pos]] = movable[pos]
		}
		return to
	}
	if !ties {
		// One ordering: apply it, unless it is the identity.
		identity := true
		for pos := range n {
			identity = identity && order[pos] == movable[pos]
		}
		if !identity {
			*s = m.Permute(s, renaming(&order))
		}
		return
	}
	// Ties: try every ordering that permutes brokers within runs of equal
	// summaries, keeping the smallest encoding.
	tt := tieSearch{m: m, s: s, n: n, movable: movable, order: order}
	for i := 0; i < n; {
		j := i + 1
		for j < n && compareBrokers(s, &keys, order[j], order[i]) == 0 {
			j++
		}
		if j-i > 1 {
			tt.runs[tt.nRuns] = [2]int{i, j}
			tt.nRuns++
		}
		i = j
	}
	tt.visit(0)
	*s = tt.best
}

// tieSearch enumerates the orderings of tied brokers without allocating.
type tieSearch struct {
	m       *Model
	s       *State
	n       int
	movable []BrokerID
	order   [MaxReplicas]BrokerID
	runs    [MaxReplicas][2]int
	nRuns   int
	best    State
	bestEnc [512]byte
	bestLen int
	enc     [512]byte
	found   bool
}

// visit tries every ordering of runs r, r+1, ...
func (t *tieSearch) visit(r int) {
	if r == t.nRuns {
		var to [MaxReplicas + 1]BrokerID
		for b := BrokerID(1); b <= t.m.rf; b++ {
			to[b] = b
		}
		for pos := range t.n {
			to[t.order[pos]] = t.movable[pos]
		}
		c := t.m.Permute(t.s, to)
		enc := t.m.Encode(t.enc[:0], &c)
		if !t.found || bytes.Compare(enc, t.bestEnc[:t.bestLen]) < 0 {
			t.best, t.found = c, true
			t.bestLen = copy(t.bestEnc[:], enc)
		}
		return
	}
	t.permute(r, t.runs[r][0])
}

// permute fixes positions k, k+1, ... of run r in every way, then moves on
// to the next run.
func (t *tieSearch) permute(r, k int) {
	hi := t.runs[r][1]
	if k == hi {
		t.visit(r + 1)
		return
	}
	for j := k; j < hi; j++ {
		t.order[k], t.order[j] = t.order[j], t.order[k]
		t.permute(r, k+1)
		t.order[k], t.order[j] = t.order[j], t.order[k]
	}
}
