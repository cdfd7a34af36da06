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
	h := &history.ClientHistory{Source: "a trace of the Kafka model"}
	seen, seenOK := k.M.LatestOffset(&tr.Steps[0].State)
	emit := func(time int64, p int64, typ history.OpType, f string, mops ...history.Mop) {
		h.Ops = append(h.Ops, history.ClientOp{Index: int64(len(h.Ops)), Time: time, Type: typ, Process: p, F: f, Mops: mops})
	}
	for i := 1; i < len(tr.Steps); i++ {
		prev, next := &tr.Steps[i-1].State, &tr.Steps[i].State
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
			read := history.KeyRead{Key: 0}
			for o := p; o < n; o++ {
				read.Records = append(read.Records, history.Record{Offset: int64(o), Value: int64(next.Ghost.Read[o])})
			}
			emit(t, ConsumerProcess, history.Invoke, history.FPoll, history.Mop{F: history.FPoll})
			emit(t, ConsumerProcess, history.OK, history.FPoll, history.Mop{F: history.FPoll, Done: true, Reads: []history.KeyRead{read}})
		}
		if hw, ok := k.M.LatestOffset(next); ok && (!seenOK || hw != seen) {
			emit(t, ObserverProcess, history.Invoke, history.FPoll, history.Mop{F: history.FPoll})
			emit(t, ObserverProcess, history.OK, history.FPoll, history.Mop{F: history.FPoll, Done: true, Reads: []history.KeyRead{{Key: 0, HW: int64(hw), HasHW: true}}})
			seen, seenOK = hw, true
		}
	}
	last := &tr.Steps[len(tr.Steps)-1].State
	t := int64(len(tr.Steps))
	if l := last.Ctrl.Leader; l != model.None && last.Broker(l).Status == model.Up {
		// The whole log of the leader-to-be: its length is the log's
		// length once it leads (a leader never truncates its own log).
		b := last.Broker(l)
		read := history.KeyRead{Key: 0, HW: int64(b.LEO), HasHW: true}
		for o := model.Offset(0); o < b.LEO; o++ {
			read.Records = append(read.Records, history.Record{Offset: int64(o), Value: int64(b.Log[o].Rec)})
		}
		h.Ops = append(h.Ops,
			history.ClientOp{Index: int64(len(h.Ops)), Time: t, Type: history.Invoke, Process: FinalConsumerProcess, F: history.FAssign, Keys: []int64{0}, SeekToBeginning: true},
			history.ClientOp{Index: int64(len(h.Ops)) + 1, Time: t, Type: history.OK, Process: FinalConsumerProcess, F: history.FAssign, Keys: []int64{0}, SeekToBeginning: true})
		emit(t+1, FinalConsumerProcess, history.Invoke, history.FPoll, history.Mop{F: history.FPoll})
		emit(t+1, FinalConsumerProcess, history.OK, history.FPoll, history.Mop{F: history.FPoll, Done: true, Reads: []history.KeyRead{read}})
	}
	return h
}
