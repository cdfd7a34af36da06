package model

// Truncation: how a follower finds where its log stops agreeing with its
// leader's, in each generation of the protocol.
//
//   - Up to 0.10 a replica that becomes a follower truncates its log to its
//     own high watermark (applyMetadata), which lags the leader's by a fetch
//     round trip: KIP-101's problem statement.
//   - From 0.11 (KIP-101) the follower asks the leader, with an
//     OffsetsForLeaderEpoch request, where the epoch of its last entry ended
//     in the leader's log, and truncates there: one lookup.
//   - From 2.0 (KIP-279) the leader also answers with the largest epoch it
//     has up to the one asked about, and the follower truncates to the end of
//     that epoch in both logs: the logs then agree, by epoch, below the
//     truncation point, which one lookup did not ensure (KAFKA-6361).
//
// Before 2.1 the follower makes the lookup once, when it starts following
// a new leader (Broker.Truncating). From 2.1 (KIP-320, KAFKA-7164) it makes
// it after every change of leader epoch; since fetches are then fenced by
// epoch, the leader it fetches from leads that epoch and only appends to
// its log while it does, so a lookup made after the first one of an epoch
// changes nothing, and the model makes it on every fetch instead of keeping
// a flag.

// epochCache lists the epochs in b's leader epoch cache, ascending, with
// their start offsets: every epoch of an entry in its log, and, for a
// leader with KAFKA-7415 (2.1), its own epoch from its LEO at election on,
// whether or not it has appended in it yet.
func (m *Model) epochCache(b *Broker, self BrokerID) (epochs [MaxRecords + 1]Epoch, starts [MaxRecords + 1]Offset, n int) {
	for o := Offset(0); o < b.LEO; o++ {
		if e := b.Log[o].Epoch; n == 0 || e > epochs[n-1] {
			epochs[n], starts[n] = e, o
			n++
		}
	}
	if b.Leader == self && m.has(EpochCachedOnElection) && (n == 0 || b.Epoch > epochs[n-1]) {
		epochs[n], starts[n] = b.Epoch, b.LEO
		n++
	}
	return epochs, starts, n
}

// endOffsetFor is Kafka's LeaderEpochFileCache.endOffsetFor on broker b:
// for epoch e, the largest cached epoch up to e and its end offset (the
// start of the next cached epoch, or the LEO for the latest). ok is false
// for UNDEFINED: an empty cache, e above every cached epoch, or (before
// KAFKA-7415) below the first; from KAFKA-7415 an e below the first cached
// epoch answers (e, start of the first).
func (m *Model) endOffsetFor(b *Broker, self BrokerID, e Epoch) (Epoch, Offset, bool) {
	epochs, starts, n := m.epochCache(b, self)
	switch {
	case n == 0 || e > epochs[n-1]:
		return 0, 0, false
	case e == epochs[n-1]:
		return e, b.LEO, true
	case e < epochs[0]:
		if !m.has(EpochCachedOnElection) {
			return 0, 0, false
		}
		return e, starts[0], true
	}
	i := 0
	for i+1 < n && epochs[i+1] <= e {
		i++
	}
	return epochs[i], starts[i+1], true
}

// lookupTruncation is where follower f truncates after asking leader l
// (broker lid) about its latest epoch: once (KIP-101: to the leader's end
// offset for that epoch), or until the epochs match (KIP-279: the leader
// also names the epoch it answers for, and the follower truncates to that
// epoch's end in its own log and asks again if it lacks that epoch). An
// UNDEFINED answer falls back to the follower's high watermark, as the
// fetcher's initial offset did (ReplicaFetcherThread.maybeTruncate in
// 0.11; AbstractFetcherThread.getOffsetTruncationState from 2.0).
func (m *Model) lookupTruncation(f, l *Broker, lid BrokerID) Offset {
	for f.LEO > 0 {
		last := f.Log[f.LEO-1].Epoch
		leaderEpoch, leaderEnd, ok := m.endOffsetFor(l, lid, last)
		switch {
		case !ok:
			return min(f.HW, f.LEO)
		case !m.has(IteratedTruncation):
			return min(leaderEnd, f.LEO)
		}
		// A follower never has its current epoch cached without an entry:
		// self is None.
		fe, fend, ok := m.endOffsetFor(f, None, leaderEpoch)
		switch {
		case !ok:
			return min(leaderEnd, f.LEO)
		case fe != leaderEpoch:
			// The follower lacks the leader's epoch: truncate to the end of
			// its largest smaller one and ask again.
			if fend >= f.LEO {
				return f.LEO
			}
			f = truncated(f, fend)
			continue
		}
		return min(fend, leaderEnd, f.LEO)
	}
	return 0
}

// truncated is a copy of b cut to n entries.
func truncated(b *Broker, n Offset) *Broker {
	c := *b
	c.truncate(n)
	return &c
}
