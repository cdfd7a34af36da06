package history

import (
	"context"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"time"

	"github.com/anishathalye/porcupine"
)

// Linearizability of each key's log. A linearizable partition behaves as
// one log: a send takes effect at one instant between its call and its
// return, at the next offset; a poll sees, at one instant, a prefix of it
// (at least up to the last record it read; exactly up to the high
// watermark, where the consumer saw one). After the static pass (each
// offset holds one value, each value one offset, no failed send read),
// every value has its place, so the log's state is just its length: a
// send of the value at place i needs the length to be i, a poll that saw
// high watermark h needs it to be h. Two checkers decide the same
// question: porcupine's search, and an exact one of our own that, since
// the writes are ordered by their places, needs no search (linearizable
// reports both).

// linOp is an operation on a key's log, in places (offsets counted
// densely, holes left out): a write of place N, a read that saw exactly
// N (a high watermark) or at least N entries.
type linOp struct {
	Kind  linKind
	Key   int64
	N     int
	Value int64 // the value written, or -1
	Event int64 // the history index of the call
	// Offset is, for a write, the offset of its place; for a read, the
	// highest offset it read, or its high watermark: what the
	// explanations name.
	Offset int64
}

type linKind int

const (
	linWrite linKind = iota
	linReadExact
	linReadAtLeast
)

// never is the return time of an operation that never returned: it may
// take effect at any time after its call.
const never = math.MaxInt64

// keyLog is one key's operations for the checkers.
type keyLog struct {
	key    int64
	ops    []porcupine.Operation
	static string // why the key cannot be linearizable before any search
}

// Linearizability is the verdict of both checkers on every key.
type Linearizability struct {
	// Fast and Porcupine are each checker's verdict on the history:
	// "ok" or "illegal"; porcupine may also say "unknown" (it ran out of
	// time on a key, and found no key illegal).
	Fast, Porcupine string
	// Linearizable is nil when porcupine did not answer.
	Linearizable *bool
	// Key and Reason say where and why the first non-linearizable key
	// fails.
	Key    int64
	Reason string
	// PorcupineTime is how long porcupine took, over all keys.
	PorcupineTime time.Duration
	// Keys are the verdicts key by key, in key order.
	Keys []KeyVerdict
	// all and timeout redo porcupine's check for its visualisation;
	// visual says they were kept (Judge's verdicts do not keep them).
	all     []porcupine.Operation
	timeout time.Duration
	visual  bool
}

// porcupineVerdicts name porcupine's answers as the verdicts do (a map made
// once, not on every key of every walk).
var porcupineVerdicts = map[porcupine.CheckResult]string{porcupine.Ok: "ok", porcupine.Illegal: "illegal", porcupine.Unknown: "unknown"}

// KeyVerdict is each checker's verdict on one key: "ok", "illegal", or
// for porcupine "unknown" when it ran out of its time on the key. A key
// the static pass fails is illegal for both, porcupine never run.
type KeyVerdict struct {
	Key             int64
	Fast, Porcupine string
	Static          bool
	PorcupineTime   time.Duration
}

// Linearize checks every key of a well-formed history with both checkers,
// every assumption in force. A disagreement is an error (an internal one:
// one checker is wrong).
func Linearize(ops []Operation, timeout time.Duration) (*Linearizability, error) {
	return LinearizeWith(ops, LinOptions{Timeout: timeout})
}

// LinOptions say how to check: porcupine's time limit on each key, and
// the assumptions about consumers in force.
type LinOptions struct {
	Timeout time.Duration
	Assume  Assumptions
}

// LinearizeWith is Linearize with options. Porcupine checks each key on
// its own, within the timeout, so that one key it cannot decide leaves the
// others decided; the two checkers must agree on every key porcupine
// answers.
func LinearizeWith(ops []Operation, o LinOptions) (*Linearizability, error) {
	return newAnalysis(ops).linearize(o, true)
}

// linearize is LinearizeWith on an analysis of the history; visual keeps
// what porcupine's visualisation needs (WriteHTML).
func (a *analysis) linearize(o LinOptions, visual bool) (*Linearizability, error) {
	a.assume = o.Assume
	logs := a.keyLogs()
	res := &Linearizability{Fast: "ok", Porcupine: "ok", timeout: o.Timeout, visual: visual}
	unknown := false
	for _, l := range logs {
		kv := KeyVerdict{Key: l.key, Fast: "ok", Porcupine: "ok"}
		why := l.static
		if why != "" {
			kv.Fast, kv.Porcupine, kv.Static = "illegal", "illegal", true
		} else {
			if why = fastCheck(l.ops); why != "" {
				kv.Fast = "illegal"
			}
			start := time.Now()
			result := porcupine.CheckOperationsTimeout(logModel, l.ops, o.Timeout)
			kv.PorcupineTime = time.Since(start)
			res.PorcupineTime += kv.PorcupineTime
			kv.Porcupine = porcupineVerdicts[result]
			if visual {
				res.all = append(res.all, l.ops...)
			}
		}
		if kv.Porcupine != "unknown" && kv.Porcupine != kv.Fast {
			return res, fmt.Errorf("the linearizability checkers disagree on key %s: porcupine says %s, the fast checker %s (%s)", KeyText(l.key), kv.Porcupine, kv.Fast, why)
		}
		if kv.Fast == "illegal" && res.Fast == "ok" {
			res.Fast, res.Key, res.Reason = "illegal", l.key, why
		}
		switch kv.Porcupine {
		case "illegal":
			res.Porcupine = "illegal"
		case "unknown":
			unknown = true
		}
		res.Keys = append(res.Keys, kv)
	}
	if unknown && res.Porcupine == "ok" {
		res.Porcupine = "unknown"
	}
	if res.Porcupine != "unknown" {
		ok := res.Porcupine == "ok"
		res.Linearizable = &ok
	}
	return res, nil
}

// WriteHTML writes porcupine's visualisation of the check: each key's
// operations, and where a linearization fails. It runs porcupine again,
// over every key the static pass let through, within the timeout.
func (r *Linearizability) WriteHTML(w io.Writer) error {
	if !r.visual {
		return fmt.Errorf("history: this verdict kept no visualisation (Judge's do not): Linearize the history for one")
	}
	_, info := porcupine.CheckOperationsVerbose(logModel, r.all, r.timeout)
	return porcupine.Visualize(logModel, info, w)
}

// keyLogs builds each key's operations, after the static pass.
func (a *analysis) keyLogs() []keyLog {
	var out []keyLog
	ix := a.indexKeys()
	places := map[int64][]int64{}
	orders := map[int64]*versionOrder{}
	for _, k := range a.keysSeen() {
		l := keyLog{key: k}
		vo := a.orders[k]
		if vo == nil {
			vo = &versionOrder{log: map[int64][]int64{}}
			vo.index()
		}
		for _, off := range vo.offsets {
			if vals := vo.log[off]; len(vals) > 1 && l.static == "" {
				l.static = fmt.Sprintf("offset %d holds %d values %v", off, len(vals), vals)
			}
		}
		for _, v := range sortedKeys(vo.holders) {
			if offs := vo.holders[v]; len(offs) > 1 && l.static == "" {
				l.static = fmt.Sprintf("value %d sits at offsets %v", v, offs)
			}
		}
		for _, v := range sortedKeys(a.reads[OK][k]) {
			if a.writes[Fail][k][v] && l.static == "" {
				l.static = fmt.Sprintf("value %d was read, though its send failed", v)
			}
		}
		if l.static == "" {
			places[k], l.static = a.places(k, vo, ix[k])
			orders[k] = vo
		}
		if x := ix[k]; l.static == "" && x != nil && x.aboveHW != "" {
			l.static = x.aboveHW
		}
		out = append(out, l)
	}
	broken := a.positionChecks(places, a.assume)
	for i := range out {
		l := &out[i]
		if l.static != "" {
			continue
		}
		if why, ok := broken[l.key]; ok {
			l.static = why
			continue
		}
		l.ops = a.linOps(l.key, orders[l.key], places[l.key], ix[l.key])
	}
	return out
}

func (a *analysis) keysSeen() []int64 {
	set := map[int64]bool{}
	for k := range a.orders {
		set[k] = true
	}
	for i := range a.comps {
		for _, m := range a.comps[i].op.Mops {
			for _, r := range m.Reads {
				set[r.Key] = true
			}
		}
	}
	return keysInOrder(set)
}

// places are a key's offsets that hold a record: those seen, and below
// the highest high watermark a poll saw, every other (a record nobody is
// known to have read). The string says why there cannot be so many.
func (a *analysis) places(k int64, vo *versionOrder, ix *keyIndex) ([]int64, string) {
	// A high watermark h says offsets 0..h-1 exist, though nobody may
	// have read what some of them hold: those are places too, written by
	// someone unknown (a send whose offset no one learned), at any time.
	offsets := vo.offsets
	if ix == nil || ix.maxHW == 0 {
		return offsets, ""
	}
	if unknown := ix.maxHW - int64(len(offsets)); unknown > int64(ix.sends) {
		return nil, fmt.Sprintf("a poll saw high watermark %d: more entries than the history's sends and reads can account for", ix.maxHW)
	}
	offsets = append([]int64(nil), offsets...)
	for off := int64(0); off < ix.maxHW; off++ {
		if _, known := slices.BinarySearch(vo.offsets, off); !known {
			offsets = append(offsets, off)
		}
	}
	sort.Slice(offsets, func(i, j int) bool { return offsets[i] < offsets[j] })
	return offsets, ""
}

// placeOf is the place of offset off among a key's places.
func placeOf(offsets []int64, off int64) int {
	return sort.Search(len(offsets), func(i int) bool { return offsets[i] >= off })
}

// linOps are a key's writes (one per place) and reads, with their calls
// and returns as history indexes. A key whose reads break the static
// pass has none (keyLogs).
func (a *analysis) linOps(k int64, vo *versionOrder, offsets []int64, ix *keyIndex) []porcupine.Operation {
	var ops []porcupine.Operation
	var ins []linOp // ops[i].Input is &ins[i]: one allocation, not one per operation
	span := func(c *completion) (int64, int64) {
		if c.op == c.call || c.typ == Info {
			return c.call.Index, never
		}
		return c.call.Index, c.op.Index
	}
	for i, off := range offsets {
		v := int64(-1)
		call, ret := int64(-1), int64(never) // a value nobody is known to have sent
		if vals := vo.log[off]; len(vals) > 0 {
			v = vals[0]
			if w := a.writer[k][v]; w != nil {
				call, ret = span(w)
			}
		}
		ops = append(ops, porcupine.Operation{ClientId: 0, Call: call, Return: ret})
		ins = append(ins, linOp{Kind: linWrite, Key: k, N: i, Value: v, Event: call, Offset: off})
	}
	if ix != nil {
		ops, ins = a.linReads(k, offsets, ix, span, ops, ins)
	}
	for i := range ops {
		ops[i].Input = &ins[i]
	}
	return ops
}

// linReads appends a key's reads to its operations and their inputs.
func (a *analysis) linReads(k int64, offsets []int64, ix *keyIndex, span func(*completion) (int64, int64),
	ops []porcupine.Operation, ins []linOp) ([]porcupine.Operation, []linOp) {
	for _, ci := range ix.reads {
		c := &a.comps[ci]
		for _, m := range c.op.Mops {
			for _, r := range m.Reads {
				if r.Key != k {
					continue
				}
				call, ret := span(c)
				op := porcupine.Operation{Call: call, Return: ret}
				switch {
				case r.HasHW:
					ins = append(ins, linOp{Kind: linReadExact, Key: k, N: placeOf(offsets, r.HW), Value: -1, Event: call, Offset: r.HW})
				case len(r.Records) > 0:
					top := r.Records[0].Offset
					for _, rec := range r.Records {
						top = max(top, rec.Offset)
					}
					ins = append(ins, linOp{Kind: linReadAtLeast, Key: k, N: placeOf(offsets, top) + 1, Value: -1, Event: call, Offset: top})
				default:
					continue
				}
				ops = append(ops, op)
			}
		}
	}
	return ops, ins
}

// logModel is a key's log for porcupine: its state is the log's length.
var logModel = porcupine.Model{
	Partition: func(history []porcupine.Operation) [][]porcupine.Operation {
		if oneKey(history) {
			return [][]porcupine.Operation{history} // LinearizeWith checks key by key
		}
		byKey := map[int64][]porcupine.Operation{}
		for _, op := range history {
			k := op.Input.(*linOp).Key
			byKey[k] = append(byKey[k], op)
		}
		var out [][]porcupine.Operation
		for _, k := range keysInOrder(byKey) {
			out = append(out, byKey[k])
		}
		return out
	},
	Init: func() any { return 0 },
	StepContext: func(ctx context.Context, state, input, _ any) (bool, any) {
		if ctx.Err() != nil {
			return false, state
		}
		n, op := state.(int), input.(*linOp)
		switch op.Kind {
		case linWrite:
			return n == op.N, n + 1
		case linReadExact:
			return n == op.N, n
		default:
			return n >= op.N, n
		}
	},
	Hash: func(state any) uint64 { return uint64(state.(int)) },
	DescribeOperation: func(input, _ any) string {
		op := input.(*linOp)
		switch op.Kind {
		case linWrite:
			if op.Value < 0 {
				return fmt.Sprintf("an unknown send → offset %d", op.Offset)
			}
			return fmt.Sprintf("send %d → offset %d", op.Value, op.Offset)
		case linReadExact:
			return fmt.Sprintf("poll saw %d entries (its high watermark)", op.N)
		}
		return fmt.Sprintf("poll read up to offset %d", op.Offset)
	},
	DescribeState: func(state any) string { return fmt.Sprintf("log of %d", state.(int)) },
}

// oneKey reports whether every operation is on one key.
func oneKey(history []porcupine.Operation) bool {
	for i := 1; i < len(history); i++ {
		if history[i].Input.(*linOp).Key != history[0].Input.(*linOp).Key {
			return false
		}
	}
	return true
}

// fastCheck decides one key's log without search. The writes are ordered
// by place; each takes effect at an instant of its own [call, return]
// (porcupine's closed intervals; ties may be ordered either way). So it
// places each write as early as it can: at its call, not before the
// previous write, and not before the call of any poll that saw the log
// shorter than this write leaves it; and each must still come no later
// than its return and the return of every poll that saw it. Earliest
// placement is optimal: every constraint on a write is a bound, and
// placing a write earlier only loosens the next. It returns why the log
// is not linearizable, or "".
func fastCheck(ops []porcupine.Operation) string {
	var n int
	for _, op := range ops {
		if in := op.Input.(*linOp); in.Kind == linWrite {
			n = max(n, in.N+1)
		}
	}
	lower := make([]int64, n)  // not before
	upper := make([]int64, n)  // not after
	why := make([]int64, n)    // the poll that set upper
	lowWhy := make([]int64, n) // the poll that set lower
	call := make([]int64, n)
	ret := make([]int64, n)
	off := make([]int64, n) // each place's offset, for the explanations
	for i := range upper {
		upper[i], lower[i], why[i] = never, math.MinInt64, -1
	}
	tighten := func(i int, r int64, event int64) {
		if r < upper[i] {
			upper[i], why[i] = r, event
		}
	}
	for _, op := range ops {
		in := op.Input.(*linOp)
		switch in.Kind {
		case linWrite:
			call[in.N], ret[in.N], off[in.N] = op.Call, op.Return, in.Offset
		case linReadExact:
			// The log is exactly N long at an instant of the poll: write
			// N-1 by its return, write N from its call on.
			if in.N > n {
				return fmt.Sprintf("a poll (event %d) saw %d entries, but only %d were ever written", in.Event, in.N, n)
			}
			if in.N > 0 {
				tighten(in.N-1, op.Return, in.Event)
			}
			if in.N < n && op.Call > lower[in.N] {
				lower[in.N], lowWhy[in.N] = op.Call, in.Event
			}
		case linReadAtLeast:
			if in.N > n {
				return fmt.Sprintf("a poll (event %d) read offset %d, but only %d entries were ever written", in.Event, in.Offset, n)
			}
			tighten(in.N-1, op.Return, in.Event)
		}
	}
	prev := int64(math.MinInt64)
	for i := 0; i < n; i++ {
		t := max(call[i], lower[i], prev)
		if t > ret[i] {
			if lower[i] > ret[i] {
				return fmt.Sprintf("the send at offset %d returned at event %d, but a poll called at event %d saw the log without it", off[i], ret[i], lowWhy[i])
			}
			return fmt.Sprintf("the send at offset %d returned at event %d, before the send at offset %d it must follow took effect (event %d or later)", off[i], ret[i], off[i-1], prev)
		}
		if t > upper[i] {
			return fmt.Sprintf("offset %d cannot be written by event %d, when a poll (called at event %d) that had seen it returned", off[i], upper[i], why[i])
		}
		prev = t
	}
	return ""
}
