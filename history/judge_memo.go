package history

import (
	"encoding/binary"

	"github.com/anishathalye/porcupine"
)

// A Judge's memory of verdicts. Random walks through a small model repeat
// one another's client histories: of electcheck simulate's first 1,000
// walks on five replicas, 340 histories are distinct, on the default
// configuration 44. A history's verdict is a function of its events, so a
// Judge that remembers the verdicts it gave skips the analysis and
// porcupine for every repeat, and answers exactly what judging it again
// would.
//
// The key is everything in the events that any verdict reads: each event's
// index, type, process, function, micro-operations with their reads, keys,
// seek and rebalance, and line. Time is left out, since no check reads it
// (realtime order and porcupine's calls and returns are the events'
// indexes; only Pair compares times, before a Judge sees the history), and
// walks that differ only in when their clients acted are the repeats.
// TestVerdictsIgnoreTime holds the checks to that, TestMemoKeyCoversClientOp
// the key to every field of ClientOp.

// judged is a verdict a Judge remembers.
type judged struct {
	anomalies []Anomaly
	lin       *Linearizability
}

// remember is the verdict Check gives for ops, from memory or judged now
// and kept, when the Judge keeps any.
func (j *Judge) remember(ops []Operation, judge func() ([]Anomaly, *Linearizability, error)) ([]Anomaly, *Linearizability, error) {
	if j.Remember <= 0 {
		return judge()
	}
	j.key = appendMemoKey(j.key[:0], ops)
	if v, ok := j.memo[string(j.key)]; ok {
		j.hits++
		return v.anomalies, v.lin, nil
	}
	anomalies, lin, err := judge()
	// A porcupine that ran out of time on a key might answer the next
	// time: its "unknown" is not a function of the history, so such a
	// verdict is not kept.
	if err != nil || timedOut(lin) {
		return anomalies, lin, err
	}
	if len(j.memo) >= j.Remember {
		clear(j.memo) // the next walks' repeats fill it again
	}
	if j.memo == nil {
		j.memo = make(map[string]judged)
	}
	j.memo[string(j.key)] = judged{anomalies, lin}
	return anomalies, lin, nil
}

func timedOut(lin *Linearizability) bool {
	for _, k := range lin.Keys {
		if k.Porcupine == porcupineVerdicts[porcupine.Unknown] {
			return true
		}
	}
	return lin.Porcupine == porcupineVerdicts[porcupine.Unknown]
}

// Repeats is how many histories the Judge answered from memory.
func (j *Judge) Repeats() int { return j.hits }

// appendMemoKey appends ops' events to b, each field in a fixed order,
// every string and slice after its length, so that two lists of events
// have the same key exactly when they are equal but for their times.
func appendMemoKey(b []byte, ops []Operation) []byte {
	b = binary.AppendUvarint(b, uint64(len(ops)))
	for i := range ops {
		b = appendEventKey(b, ops[i].Call)
		if ops[i].Ret == nil {
			b = append(b, 0)
			continue
		}
		b = append(b, 1)
		b = appendEventKey(b, ops[i].Ret)
	}
	return b
}

func appendEventKey(b []byte, e *ClientOp) []byte {
	b = binary.AppendVarint(b, e.Index)
	b = appendString(b, string(e.Type))
	b = binary.AppendVarint(b, e.Process)
	b = appendString(b, e.F)
	b = binary.AppendUvarint(b, uint64(len(e.Mops)))
	for i := range e.Mops {
		m := &e.Mops[i]
		b = appendString(b, m.F)
		b = binary.AppendVarint(b, m.Key)
		b = binary.AppendVarint(b, m.Value)
		b = binary.AppendVarint(b, m.Offset)
		b = append(b, flags(m.HasOffset, m.Done))
		b = binary.AppendUvarint(b, uint64(len(m.Reads)))
		for _, r := range m.Reads {
			b = binary.AppendVarint(b, r.Key)
			b = binary.AppendVarint(b, r.HW)
			b = append(b, flags(r.HasHW, false))
			b = binary.AppendUvarint(b, uint64(len(r.Records)))
			for _, rec := range r.Records {
				b = binary.AppendVarint(b, rec.Offset)
				b = binary.AppendVarint(b, rec.Value)
			}
		}
	}
	b = appendInts(b, e.Keys)
	b = append(b, flags(e.SeekToBeginning, false))
	b = appendInts(b, e.Rebalanced)
	return binary.AppendVarint(b, int64(e.Line))
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

func appendInts(b []byte, xs []int64) []byte {
	b = binary.AppendUvarint(b, uint64(len(xs)))
	for _, x := range xs {
		b = binary.AppendVarint(b, x)
	}
	return b
}

func flags(x, y bool) byte {
	var f byte
	if x {
		f |= 1
	}
	if y {
		f |= 2
	}
	return f
}
