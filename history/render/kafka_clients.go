package render

import (
	"electcheck/history"
	"electcheck/model"
)

// The client history of a Kafka-model trace: what its clients invoked and
// saw, step by step, with the step as time. The partition is key 0.
//
//   - Record k (value k) is sent by producer process k-1, so sends
//     overlap: ok with its offset once acknowledged, fail when refused
//     before the append (NotEnoughReplicas), info when the producer cannot
//     know (acks=0, NotEnoughReplicasAfterAppend, a lost leader).
//   - The consumer (process model.MaxRecords) polls what it read, offset
//     by offset: records only, as Jepsen's polls.
//   - An observer (process model.MaxRecords+2) asks for the latest offset
//     whenever the answer changes: a poll that reads nothing and sees the
//     high watermark clients are told (model.LatestOffset), as the
//     hw-monotonic property does at every step.
//   - After the last step, as Jepsen's workload does at the end of a test,
//     a fresh consumer (process model.MaxRecords+1) assigns the partition,
//     seeks to the beginning and reads the whole log of the leader the
//     controller elected, and its length: what is left for clients once
//     it leads.

// Process numbers in a Kafka-model history.
const (
	ConsumerProcess      = model.MaxRecords
	FinalConsumerProcess = model.MaxRecords + 1
	ObserverProcess      = model.MaxRecords + 2
)

// ClientHistory is the trace's client history.
func (k Kafka) ClientHistory(tr history.Trace[model.State, model.Action]) *history.ClientHistory {
	var b ClientHistories
	return b.build(k, len(tr.Steps), func(i int) *model.State { return &tr.Steps[i].State })
}

// ClientHistories builds the client histories of many walks, one after
// another, in memory it reuses (electcheck simulate keeps one per worker):
// each history, and every slice in it, is good until the next Of.
type ClientHistories struct {
	h   history.ClientHistory
	ops []history.ClientOp // h.Ops, kept when h has none
	// What the events' slices are cut from.
	mops  []history.Mop
	reads []history.KeyRead
	recs  []history.Record
	keys  []int64
}

// Of is the client history of a path's states, as ClientHistory gives it
// for their trace.
func (b *ClientHistories) Of(k Kafka, states []model.State) *history.ClientHistory {
	return b.build(k, len(states), func(i int) *model.State { return &states[i] })
}

// cut appends to an arena and returns what it appended, capped so that an
// append to it cannot reach the next event's.
func cut[T any](arena *[]T, xs ...T) []T {
	n := len(*arena)
	*arena = append(*arena, xs...)
	return (*arena)[n:len(*arena):len(*arena)]
}

func (b *ClientHistories) build(k Kafka, states int, state func(i int) *model.State) *history.ClientHistory {
	b.h = history.ClientHistory{Ops: b.ops[:0], Source: "a trace of the Kafka model"}
	b.mops, b.reads, b.recs, b.keys = b.mops[:0], b.reads[:0], b.recs[:0], b.keys[:0]
	h := &b.h
	seen, seenOK := k.M.LatestOffset(state(0))
	emit := func(time int64, p int64, typ history.OpType, f string, mop history.Mop) {
		h.Ops = append(h.Ops, history.ClientOp{Index: int64(len(h.Ops)), Time: time, Type: typ, Process: p, F: f, Mops: cut(&b.mops, mop)})
	}
	// records cuts a poll's records, nil for none.
	records := func(from int) []history.Record {
		if from == len(b.recs) {
			return nil
		}
		return b.recs[from:len(b.recs):len(b.recs)]
	}
	for i := 1; i < states; i++ {
		prev, next := state(i-1), state(i)
		t := int64(i)
		for r := range int(next.Ghost.Produced) {
			before, after := prev.Ghost.Records[r], next.Ghost.Records[r]
			value := int64(r + 1)
			if r >= int(prev.Ghost.Produced) {
				emit(t, int64(r), history.Invoke, history.FSend, history.Mop{F: history.FSend, Key: 0, Value: value})
			} else if before.Fate == after.Fate {
				continue
			}
			switch after.Fate {
			case model.Acked:
				emit(t, int64(r), history.OK, history.FSend, history.Mop{F: history.FSend, Key: 0, Value: value, Offset: int64(after.Offset), HasOffset: true})
			case model.Refused:
				emit(t, int64(r), history.Fail, history.FSend, history.Mop{F: history.FSend, Key: 0, Value: value})
			case model.Sent, model.FailedAfterAppend, model.LeaderLost:
				// acks=0, NotEnoughReplicasAfterAppend, a lost leader: the
				// producer cannot know whether the record stays.
				emit(t, int64(r), history.Info, history.FSend, history.Mop{F: history.FSend, Key: 0, Value: value})
			}
		}
		if n, p := next.Ghost.Consumed, prev.Ghost.Consumed; n > p {
			from := len(b.recs)
			for o := p; o < n; o++ {
				b.recs = append(b.recs, history.Record{Offset: int64(o), Value: int64(next.Ghost.Read[o])})
			}
			read := history.KeyRead{Key: 0, Records: records(from)}
			emit(t, ConsumerProcess, history.Invoke, history.FPoll, history.Mop{F: history.FPoll})
			emit(t, ConsumerProcess, history.OK, history.FPoll, history.Mop{F: history.FPoll, Done: true, Reads: cut(&b.reads, read)})
		}
		if hw, ok := k.M.LatestOffset(next); ok && (!seenOK || hw != seen) {
			emit(t, ObserverProcess, history.Invoke, history.FPoll, history.Mop{F: history.FPoll})
			emit(t, ObserverProcess, history.OK, history.FPoll, history.Mop{F: history.FPoll, Done: true, Reads: cut(&b.reads, history.KeyRead{Key: 0, HW: int64(hw), HasHW: true})})
			seen, seenOK = hw, true
		}
	}
	last := state(states - 1)
	t := int64(states)
	if l := last.Ctrl.Leader; l != model.None && last.Broker(l).Status == model.Up {
		// The whole log of the leader-to-be: its length is the log's
		// length once it leads (a leader never truncates its own log).
		lb := last.Broker(l)
		from := len(b.recs)
		for o := model.Offset(0); o < lb.LEO; o++ {
			b.recs = append(b.recs, history.Record{Offset: int64(o), Value: int64(lb.Log[o].Rec)})
		}
		read := history.KeyRead{Key: 0, HW: int64(lb.LEO), HasHW: true, Records: records(from)}
		h.Ops = append(h.Ops,
			history.ClientOp{Index: int64(len(h.Ops)), Time: t, Type: history.Invoke, Process: FinalConsumerProcess, F: history.FAssign, Keys: cut(&b.keys, 0), SeekToBeginning: true},
			history.ClientOp{Index: int64(len(h.Ops)) + 1, Time: t, Type: history.OK, Process: FinalConsumerProcess, F: history.FAssign, Keys: cut(&b.keys, 0), SeekToBeginning: true})
		emit(t+1, FinalConsumerProcess, history.Invoke, history.FPoll, history.Mop{F: history.FPoll})
		emit(t+1, FinalConsumerProcess, history.OK, history.FPoll, history.Mop{F: history.FPoll, Done: true, Reads: cut(&b.reads, read)})
	}
	if b.ops = h.Ops; len(h.Ops) == 0 {
		h.Ops = nil // as a history built afresh
	}
	return h
}
