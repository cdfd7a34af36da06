package kraftreplication

// Replication: SendFetchRequest, ReceiveFetchRequest, ReceiveFetchResponse
// and the epoch lookups and truncation they use.

// sendFetchEnabled is SendFetchRequest(from)'s enabling condition for to.
func (s *State) sendFetchEnabled(from, to Broker) bool {
	f := &s.Fetchers[from][to]
	return from != to && s.Broker[from].Status == Running && f.Added && !f.Pending &&
		s.Meta[from].Leader == to && !s.converged(to, from)
}

// sendFetchRequest is SendFetchRequest(from) with to.
func (m *Model) sendFetchRequest(t, s *State, from, to Broker) {
	f := &s.Fetchers[from][to]
	t.send(Message{Type: FetchRequest, Source: from, Dest: to, BrokerEpoch: s.Broker[from].BrokerEpoch,
		LeaderEpoch: s.Meta[from].LeaderEpoch, FetchOffset: f.FetchOffset, LastFetched: f.LastFetchedEpoch})
	t.Fetchers[from][to].Pending = true
	t.Fetchers[from][to].Delayed = false
}

// epochOffset is [epoch, offset], the result of LastOffsetForEpoch; the
// offset may be Nil.
type epochOffset struct{ epoch, offset int8 }

// lastOffsetForEpoch is LastOffsetForEpoch(b, req_epoch, is_leader): the
// end offset of the requested epoch on b, as the start offset of the next
// higher epoch (for a leader, its current epoch counts), with the highest
// epoch at or below the requested one. The CHOOSEs over the log's offsets
// take the lowest offset that satisfies them, as TLC does over an
// interval; the offset is Nil when no higher epoch is found.
func (s *State) lastOffsetForEpoch(b Broker, req int8, isLeader bool) epochOffset {
	n := s.logLen(b)
	if n == 0 || req == s.entry(b, n).Epoch || isLeader && s.Meta[b].LeaderEpoch == req {
		return epochOffset{req, s.leo(b)}
	}
	higher := int8(Nil)
	for off := int8(1); off <= n; off++ {
		e := s.entry(b, off).Epoch
		if e <= req {
			continue
		}
		lowest := true
		for off2 := int8(1); off2 < off; off2++ {
			if e2 := s.entry(b, off2).Epoch; e2 > req && e2 < e {
				lowest = false
			}
		}
		if lowest {
			higher = off
			break
		}
	}
	if higher == Nil && isLeader && s.Meta[b].LeaderEpoch > req {
		higher = s.leo(b)
	}
	floor, found := int8(0), false
	for off := int8(1); off <= n; off++ {
		if e := s.entry(b, off).Epoch; e <= req && (!found || e > floor) {
			floor, found = e, true
		}
	}
	if found {
		return epochOffset{floor, higher}
	}
	return epochOffset{req, higher}
}

// receiveFetchRequest is ReceiveFetchRequest(b) for message msg.
func (m *Model) receiveFetchRequest(t, s *State, b Broker, msg *Message) {
	meta := &s.Meta[b]
	resp := Message{Type: FetchResponse, Source: b, Dest: msg.Source, LeaderEpoch: meta.LeaderEpoch,
		FetchOffset: msg.FetchOffset, HWM: s.hwm(b)}
	// CASE stale leader, not leader, or fenced leader epoch.
	if s.Role[b] != Leader || meta.LeaderEpoch != msg.LeaderEpoch {
		switch {
		case meta.LeaderEpoch < msg.LeaderEpoch:
			resp.Err = ErrUnknownLeaderEpoch
		case meta.LeaderEpoch > msg.LeaderEpoch:
			resp.Err = ErrFencedLeaderEpoch
		default:
			resp.Err = ErrNotLeaderOrFollower
		}
		t.reply(msg, resp)
		return
	}
	// CASE diverging epoch.
	last := s.lastOffsetForEpoch(b, msg.LastFetched, true)
	diverging := last.epoch < msg.LastFetched
	if !diverging {
		if last.offset == Nil {
			t.Fault = FaultNilCompare
			return
		}
		diverging = last.offset < msg.FetchOffset
	}
	if diverging {
		resp.Diverging, resp.DivEpoch, resp.DivOffset = true, last.epoch, last.offset
		t.reply(msg, resp)
		return
	}
	// CASE OK: the follower's fetch offset is its log end; the high
	// watermark may advance; the reply carries the record at the offset.
	peers := s.Peers[b]
	peers[msg.Source] = Peer{LEO: msg.FetchOffset, BrokerEpoch: msg.BrokerEpoch}
	old := s.hwm(b)
	next := m.commitOffset(s, b, meta.MaximalISR, s.leo(b), &peers) + 1
	if m.v == KIP966 && !m.canAdvanceHwm(meta.ISR, old, next) {
		next = old
	}
	m.maybeAdvanceHighWatermark(t, s, b, meta.ISR, old, next, true)
	t.Peers[b] = peers
	resp.HWM = max(next, old)
	if msg.FetchOffset < s.leo(b) {
		if !s.hasOffset(b, msg.FetchOffset) {
			t.Fault = FaultLogDomain
			return
		}
		resp.HasRecord, resp.Record = true, s.entry(b, msg.FetchOffset)
	}
	t.reply(msg, resp)
}

// receiveFetchResponse is ReceiveFetchResponse(b) for message msg.
func (m *Model) receiveFetchResponse(t, s *State, b Broker, msg *Message) {
	src := msg.Source
	f := &s.Fetchers[b][src]
	tf := &t.Fetchers[b][src]
	switch {
	case !f.Added || f.FetchOffset != msg.FetchOffset || s.Meta[b].LeaderEpoch != msg.LeaderEpoch:
		// CASE NoOp: a response for another fetch.
		tf.Pending = false
	case msg.Err != ErrNil:
		// CASE error: the next fetch is delayed.
		tf.Pending, tf.Delayed = false, true
	case msg.Diverging:
		// CASE diverging epoch: truncate, fetch from the new end.
		after, fault := m.truncateToSafePoint(s, b, msg.DivEpoch, msg.DivOffset)
		if fault != NoFault {
			t.Fault = fault
			return
		}
		t.Data[b] = after
		*tf = Fetcher{Added: true, FetchOffset: after.LEO, LastFetchedEpoch: lastEpochOf(&after)}
	default:
		// CASE OK: append, take the leader's high watermark if it falls
		// within the log.
		d := s.Data[b]
		lfe := f.LastFetchedEpoch
		if msg.HasRecord {
			if int(d.Len) == MaxValues {
				t.Fault = FaultCapacity
				return
			}
			d.Log[d.Len] = msg.Record
			d.Len++
			lfe = msg.Record.Epoch
		}
		d.LEO = d.Len + 1
		if msg.HWM <= d.LEO {
			d.HWM = msg.HWM
		}
		t.Data[b] = d
		*tf = Fetcher{Added: true, FetchOffset: d.LEO, LastFetchedEpoch: lfe}
	}
	t.discard(msg)
}

func lastEpochOf(d *PartitionData) int8 {
	if d.Len == 0 {
		return 0
	}
	return d.Log[d.Len-1].Epoch
}

// truncateToSafePoint is TruncateToSafePoint(b, diverging_epoch) with
// FindTruncatePoint: the log cut to the highest offset both logs share;
// the high watermark stays. The fault is where TLC would stop: a Nil
// offset compared, or the log read beyond its end.
func (m *Model) truncateToSafePoint(s *State, b Broker, divEpoch, divOffset int8) (PartitionData, Fault) {
	local := s.lastOffsetForEpoch(b, divEpoch, false)
	to := local.offset
	if local.epoch == divEpoch {
		if local.offset == Nil || divOffset == Nil {
			return PartitionData{}, FaultNilCompare
		}
		if local.offset >= divOffset {
			to = divOffset
		}
	}
	if to == Nil {
		return PartitionData{}, FaultNilCompare
	}
	d := PartitionData{HWM: s.hwm(b), LEO: 1}
	if to > 1 {
		if to-1 > s.logLen(b) {
			return PartitionData{}, FaultLogDomain
		}
		copy(d.Log[:to-1], s.Data[b].Log[:to-1])
		d.Len, d.LEO = to-1, to
	}
	return d, NoFault
}
