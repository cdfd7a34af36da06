package history

import (
	"fmt"
	"slices"
)

// Client histories: what the clients of a Kafka partition (or of several)
// invoked and saw, in the terms of Jepsen's Kafka workload
// (jepsen.tests.kafka): each operation an invocation and a completion,
// ok, fail (definitely did not happen) or info (indeterminate), by a
// process, with a function and a value. docs/histories.md describes the
// file forms.

// OpType is an event's type.
type OpType string

// The event types.
const (
	Invoke OpType = "invoke"
	OK     OpType = "ok"
	Fail   OpType = "fail"
	Info   OpType = "info"
)

// The functions a history's operations have; others (Jepsen's
// debug-topic-partitions, nemesis operations) are dropped when read.
const (
	FSend      = "send"
	FPoll      = "poll"
	FTxn       = "txn"
	FAssign    = "assign"
	FSubscribe = "subscribe"
	FCrash     = "crash"
)

// ClientOp is one event of a client history: an invocation or a
// completion.
type ClientOp struct {
	// Index is the event's position in the history, and the order
	// linearizability is checked in.
	Index int64
	// Time is when it happened: a model step, or Jepsen's nanoseconds.
	Time    int64
	Type    OpType
	Process int64
	F       string
	// Mops are a send, poll or txn's micro-operations.
	Mops []Mop
	// Keys are an assign's or subscribe's partitions; SeekToBeginning
	// an assign that rewinds to the first offset.
	Keys            []int64
	SeekToBeginning bool
	// Rebalanced are the keys of a completion's rebalance log: a consumer
	// that lost or gained them mid-operation.
	Rebalanced []int64
	// Line is where the event was read (0 for a history built in memory).
	Line int
}

// Mop is a micro-operation: a send of a value to a key, or a poll.
type Mop struct {
	F string // FSend or FPoll
	// A send: Key and Value; Offset once the broker gave one (HasOffset).
	Key       int64
	Value     int64
	Offset    int64
	HasOffset bool
	// A poll: Done once it returned, with the records of each key read
	// and, where the consumer saw it, the key's high watermark.
	Done  bool
	Reads []KeyRead
}

// KeyRead is what a poll read from one key.
type KeyRead struct {
	Key     int64
	Records []Record
	// HW is the high watermark the consumer saw (electcheck's histories;
	// Jepsen's polls carry none): HasHW.
	HW    int64
	HasHW bool
}

// Record is a value at an offset.
type Record struct{ Offset, Value int64 }

// ClientHistory is a history of client operations, in order.
type ClientHistory struct {
	Ops []ClientOp
	// Source names where it came from, for messages.
	Source string
}

// Operation is an invocation and its completion (nil while pending).
type Operation struct {
	Call, Ret *ClientOp
}

// Pair matches each invocation with its completion, process by process,
// after checking that the history is well formed: a process invokes one
// operation at a time, every completion follows its invocation with the
// same function and no earlier time. An invocation left open at the end
// is indeterminate (Ret nil). The error names the event's line.
func (h *ClientHistory) Pair() ([]Operation, error) {
	open := map[int64]int{} // process -> index in ops
	ops := make([]Operation, 0, len(h.Ops)/2+1)
	for i := range h.Ops {
		e := &h.Ops[i]
		switch e.Type {
		case Invoke:
			if j, busy := open[e.Process]; busy {
				return nil, fmt.Errorf("%s: process %d invokes %s while its %s is still open", h.where(e), e.Process, e.F, ops[j].Call.F)
			}
			open[e.Process] = len(ops)
			ops = append(ops, Operation{Call: e})
		case OK, Fail, Info:
			j, busy := open[e.Process]
			if !busy {
				return nil, fmt.Errorf("%s: a completion (%s %s) without its invocation by process %d", h.where(e), e.Type, e.F, e.Process)
			}
			call := ops[j].Call
			if call.F != e.F {
				return nil, fmt.Errorf("%s: process %d completes %s, but invoked %s", h.where(e), e.Process, e.F, call.F)
			}
			if e.Time < call.Time {
				return nil, fmt.Errorf("%s: process %d's %s returns at time %d, before its call at %d", h.where(e), e.Process, e.F, e.Time, call.Time)
			}
			ops[j].Ret = e
			delete(open, e.Process)
		default:
			return nil, fmt.Errorf("%s: unknown type %q: use invoke, ok, fail or info", h.where(e), e.Type)
		}
	}
	if err := uniqueValues(ops, h); err != nil {
		return nil, err
	}
	return ops, nil
}

// uniqueValues checks that no value is sent twice to one key: a
// history's values identify its writes.
func uniqueValues(ops []Operation, h *ClientHistory) error {
	type kv struct{ k, v int64 }
	seen := map[kv]*ClientOp{}
	for _, op := range ops {
		for _, m := range op.Call.Mops {
			if m.F != FSend {
				continue
			}
			if prev, dup := seen[kv{m.Key, m.Value}]; dup {
				return fmt.Errorf("%s: value %d is sent to key %s twice (first %s): a history's values must be unique per key", h.where(op.Call), m.Value, KeyText(m.Key), h.where(prev))
			}
			seen[kv{m.Key, m.Value}] = op.Call
		}
	}
	return nil
}

func (h *ClientHistory) where(e *ClientOp) string {
	src := h.Source
	if src == "" {
		src = "history"
	}
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d", src, e.Line)
	}
	return fmt.Sprintf("%s: event %d", src, e.Index)
}

// Keys lists the keys the history touches, in order.
func (h *ClientHistory) Keys() []int64 {
	set := map[int64]bool{}
	for _, e := range h.Ops {
		for _, m := range e.Mops {
			if m.F == FSend {
				set[m.Key] = true
			}
			for _, r := range m.Reads {
				set[r.Key] = true
			}
		}
	}
	keys := make([]int64, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, compareKeys)
	return keys
}
