package model

// EpochStartOffset is the leader epoch start offset (LESO) of a broker that
// leads: the first offset it appended in its epoch, or its LEO if it has
// appended nothing yet. Only the leader of an epoch appends entries of that
// epoch, so the entries from older epochs form a prefix.
func (b *Broker) EpochStartOffset() Offset {
	for o := Offset(0); o < b.LEO; o++ {
		if b.Log[o].Epoch >= b.Epoch {
			return o
		}
	}
	return b.LEO
}

// truncate cuts the log to n entries (no-op if it is not longer) and keeps
// HW and Flushed within it.
func (b *Broker) truncate(n Offset) {
	if n >= b.LEO {
		return
	}
	for o := n; o < b.LEO; o++ {
		b.Log[o] = Entry{}
	}
	b.LEO = n
	b.HW = min(b.HW, n)
	b.Flushed = min(b.Flushed, n)
}

// appendEntry adds e at the end of the log.
func (b *Broker) appendEntry(e Entry) {
	b.Log[b.LEO] = e
	b.LEO++
}
