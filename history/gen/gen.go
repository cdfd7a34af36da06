// Package gen makes Jepsen-shaped client histories of a Kafka cluster,
// deterministically from a seed, for tests and benchmarks: the operations
// of Jepsen's Kafka workload (sends, polls, transactions mixing both,
// assign with a seek to the beginning, crashes), by many processes over
// many keys, some indeterminate or failed, against a log that behaves
// (each operation takes effect at its completion), with anomalies of each
// kind injected on request. A history with nothing injected has no
// anomaly and is linearizable; each injection shows its anomaly.
package gen

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"

	"electcheck/history"
)

// Spec says what history to make.
type Spec struct {
	Seed uint64
	// Ops is the number of operations (each an invocation and its
	// completion), final polls included.
	Ops       int
	Keys      int
	Processes int // concurrent clients; a crashed one comes back as a new process
	// Txn is the fraction of operations that are transactions of up to
	// MaxTxn micro-operations, sends and polls mixed.
	Txn    float64
	MaxTxn int
	// Info and Fail are the fractions of operations that end
	// indeterminate (which take effect or not, at random) or failed
	// (which do not); Crash the fraction that are crashes.
	Info, Fail, Crash float64
	// Inject names the anomalies to inject, once each (Injections).
	Inject []string
	// FullPolls has every poll read to the end of the log. A Kafka poll
	// may stop anywhere short of it, which is what a history otherwise
	// shows, and then anti-dependencies (--rw-deps) find cycles in a
	// clean history; with FullPolls they find none.
	FullPolls bool
	// StringKeys writes each key k as the string "k", as Maelstrom's kafka
	// workload does: it wraps Jepsen's generator and rewrites every key
	// with str (maelstrom.workload.kafka, StringKeys and update-op-keys).
	StringKeys bool
}

// Default is a Jepsen-sized history: 50,000 operations over 100 keys
// from 20 processes, a fifth of them transactions.
func Default(seed uint64) Spec {
	return Spec{Seed: seed, Ops: 50_000, Keys: 100, Processes: 20, Txn: 0.2, MaxTxn: 4, Info: 0.02, Fail: 0.01, Crash: 0.002}
}

// Maelstrom is a history shaped like a run of Maelstrom's kafka workload
// (maelstrom.workload.kafka): Jepsen's generator without transactions
// (:txn? false), consumers that assign (:sub-via #{:assign}), clients
// that crash (:crash-clients? true), keys written as strings; as many
// operations as `maelstrom test -w kafka --node-count 2 --concurrency 2n
// --time-limit 20 --rate 1000` invokes (four clients, some 20,000
// operations). Eight keys is our choice: Jepsen's generator opens keys
// as it goes.
func Maelstrom(seed uint64) Spec {
	return Spec{Seed: seed, Ops: 20_000, Keys: 8, Processes: 4, Info: 0.01, Fail: 0.01, Crash: 0.002, StringKeys: true}
}

// client is one concurrent client slot.
type client struct {
	process  int64
	keys     []int64       // assigned, with a seek to the beginning
	pos      map[int64]int // where its consumer stands on each key
	open     *pending
	assigned bool
}

// pending is an operation invoked and not yet completed.
type pending struct {
	call history.ClientOp
}

// world is the cluster: each key's log, and what the generator wrote.
type world struct {
	spec    Spec
	r       *rand.Rand
	logs    [][]int64 // key -> values by offset
	next    []int64   // key -> the next value to send
	ops     []history.ClientOp
	clients []*client
	inj     *injector
	done    int // operations completed
}

// Generate makes the history.
func Generate(s Spec) (*history.ClientHistory, error) {
	switch {
	case s.Ops < 1 || s.Keys < 1 || s.Processes < 1:
		return nil, fmt.Errorf("gen: a history needs operations, keys and processes (%d, %d, %d)", s.Ops, s.Keys, s.Processes)
	case s.Txn < 0 || s.Info < 0 || s.Fail < 0 || s.Crash < 0 || s.Txn > 1 || s.Info+s.Fail+s.Crash > 0.5:
		return nil, fmt.Errorf("gen: fractions must be from 0 to 1, and info, fail and crash at most half together")
	}
	w := &world{spec: s, r: rand.New(rand.NewPCG(s.Seed, 0x6b61666b61)), logs: make([][]int64, s.Keys), next: make([]int64, s.Keys)}
	for i := range w.next {
		w.next[i] = 1
	}
	inj, err := newInjector(s.Inject, s.Ops)
	if err != nil {
		return nil, err
	}
	w.inj = inj
	for i := range s.Processes {
		w.clients = append(w.clients, &client{process: int64(i), pos: map[int64]int{}})
	}
	final := s.Processes + 2*((s.Keys+7)/8) // the final reads' operations, at most
	for w.done < s.Ops-final {
		w.inj.cycles(w)
		c := w.clients[w.r.IntN(len(w.clients))]
		if c.open == nil {
			w.invoke(c)
		} else {
			w.complete(c)
		}
	}
	for _, c := range w.clients {
		if c.open != nil {
			w.complete(c)
		}
	}
	w.finalReads()
	w.inj.atEnd(w)
	if s.StringKeys {
		stringKeys(w.ops)
	}
	return &history.ClientHistory{Ops: w.ops, Source: fmt.Sprintf("gen seed %d", s.Seed)}, nil
}

// stringKeys rewrites every key in ops, k as the string "k".
func stringKeys(ops []history.ClientOp) {
	names := map[int64]int64{}
	name := func(k *int64) {
		id, ok := names[*k]
		if !ok {
			id = history.StringKey(strconv.FormatInt(*k, 10))
			names[*k] = id
		}
		*k = id
	}
	for i := range ops {
		e := &ops[i]
		// An invocation and its completion may share their slices.
		e.Keys, e.Rebalanced, e.Mops = slices.Clone(e.Keys), slices.Clone(e.Rebalanced), slices.Clone(e.Mops)
		for j := range e.Keys {
			name(&e.Keys[j])
		}
		for j := range e.Rebalanced {
			name(&e.Rebalanced[j])
		}
		for j := range e.Mops {
			m := &e.Mops[j]
			if m.F == history.FSend {
				name(&m.Key)
			}
			m.Reads = slices.Clone(m.Reads)
			for r := range m.Reads {
				name(&m.Reads[r].Key)
			}
		}
	}
}

// event appends an event: an invocation or a completion.
func (w *world) event(e history.ClientOp) history.ClientOp {
	e.Index = int64(len(w.ops))
	e.Time = e.Index * 1_000_000 // Jepsen's nanoseconds, a millisecond apart
	w.ops = append(w.ops, e)
	return e
}

// invoke starts an operation on an idle client.
func (w *world) invoke(c *client) {
	s := &w.spec
	call := history.ClientOp{Type: history.Invoke, Process: c.process}
	switch x := w.r.Float64(); {
	case !c.assigned:
		n := 1 + w.r.IntN(min(4, s.Keys))
		keys := make([]int64, 0, n)
		for _, k := range w.r.Perm(s.Keys)[:n] {
			keys = append(keys, int64(k))
		}
		slices.Sort(keys)
		call.F, call.Keys, call.SeekToBeginning = history.FAssign, keys, true
	case x < s.Crash:
		call.F = history.FCrash
	case x < s.Crash+s.Txn:
		call.F = history.FTxn
		for range 1 + w.r.IntN(max(1, s.MaxTxn)) {
			if w.r.IntN(2) == 0 {
				call.Mops = append(call.Mops, history.Mop{F: history.FPoll})
			} else {
				call.Mops = append(call.Mops, w.send())
			}
		}
	case w.r.IntN(2) == 0:
		call.F, call.Mops = history.FSend, []history.Mop{w.send()}
	default:
		call.F, call.Mops = history.FPoll, []history.Mop{{F: history.FPoll}}
	}
	c.open = &pending{call: w.event(call)}
}

// send is a send of the next value of a random key.
func (w *world) send() history.Mop {
	k := w.r.IntN(w.spec.Keys)
	v := w.next[k]
	w.next[k]++
	return history.Mop{F: history.FSend, Key: int64(k), Value: v}
}

// complete ends a client's open operation: it takes effect now (or, if
// indeterminate, maybe), and its completion says what it saw.
func (w *world) complete(c *client) {
	call := c.open.call
	c.open = nil
	w.done++
	ret := history.ClientOp{Process: c.process, F: call.F, Type: history.OK}
	switch call.F {
	case history.FAssign:
		ret.Keys, ret.SeekToBeginning = call.Keys, true
		c.keys, c.assigned = call.Keys, true
		clear(c.pos)
		w.event(ret)
		return
	case history.FCrash:
		ret.Type = history.Info
		w.event(ret)
		// The process is gone; its client comes back as a new one.
		c.process += int64(w.spec.Processes)
		c.assigned, c.keys = false, nil
		clear(c.pos)
		return
	}
	x := w.r.Float64()
	switch {
	case x < w.spec.Fail:
		ret.Type = history.Fail
	case x < w.spec.Fail+w.spec.Info:
		ret.Type = history.Info
	}
	applied := ret.Type == history.OK || ret.Type == history.Info && w.r.IntN(2) == 0 || w.inj.failApplies(w, &ret)
	ret.Mops = slices.Clone(call.Mops)
	// A transaction's polls see the log as it was before its own sends,
	// which commit with it: first the polls, then the sends. An operation
	// that did not complete ok read nothing it can show, and its
	// consumer's position stays (as if the poll never ran).
	for i, m := range ret.Mops {
		if m.F == history.FPoll && ret.Type == history.OK {
			ret.Mops[i] = w.poll(c)
		}
	}
	for i, m := range ret.Mops {
		if m.F == history.FSend && applied {
			off := w.append(m.Key, m.Value)
			if ret.Type == history.OK {
				m.Offset, m.HasOffset = int64(off), true
			}
			ret.Mops[i] = w.inj.onSend(w, m, &ret)
		}
	}
	w.event(ret)
}

// append puts a value at the end of a key's log and returns its offset.
func (w *world) append(k, v int64) int {
	w.logs[k] = append(w.logs[k], v)
	return len(w.logs[k]) - 1
}

// poll reads, for each of the client's keys, from its position up to a
// random point at or below the log's end (its high watermark).
func (w *world) poll(c *client) history.Mop {
	m := history.Mop{F: history.FPoll, Done: true}
	for _, k := range c.keys {
		from := w.inj.position(w, c, k)
		log := w.logs[k]
		to := len(log)
		if from < to && w.r.IntN(3) == 0 && !w.spec.FullPolls {
			to = from + w.r.IntN(to-from+1)
		}
		kr := history.KeyRead{Key: k}
		for off := from; off < to; off++ {
			if !w.inj.hidden(k, off) {
				kr.Records = append(kr.Records, history.Record{Offset: int64(off), Value: log[off]})
			}
		}
		c.pos[k] = max(to, from)
		if len(kr.Records) > 0 {
			m.Reads = append(m.Reads, kr)
		}
	}
	return m
}

// finalReads are Jepsen's final polls: every key read to its end by a
// consumer that assigns itself the keys a few at a time and seeks to the
// beginning, so that every acknowledged send is seen.
func (w *world) finalReads() {
	// A process of its own for each batch of keys, as if a client had
	// crashed and come back: no earlier poll of its own to continue.
	c := w.clients[0]
	for lo := 0; lo < w.spec.Keys; lo += 8 {
		c.process += int64(w.spec.Processes)
		var keys []int64
		for k := lo; k < min(lo+8, w.spec.Keys); k++ {
			keys = append(keys, int64(k))
		}
		call := w.event(history.ClientOp{Type: history.Invoke, Process: c.process, F: history.FAssign, Keys: keys, SeekToBeginning: true})
		c.open = &pending{call: call}
		w.complete(c)
		w.event(history.ClientOp{Type: history.Invoke, Process: c.process, F: history.FPoll, Mops: []history.Mop{{F: history.FPoll}}})
		m := history.Mop{F: history.FPoll, Done: true}
		for _, k := range keys {
			kr := history.KeyRead{Key: k}
			for off := w.inj.position(w, c, k); off < len(w.logs[k]); off++ {
				if !w.inj.hidden(k, off) {
					kr.Records = append(kr.Records, history.Record{Offset: int64(off), Value: w.logs[k][off]})
				}
			}
			c.pos[k] = len(w.logs[k])
			if len(kr.Records) > 0 {
				m.Reads = append(m.Reads, kr)
			}
		}
		w.event(history.ClientOp{Type: history.OK, Process: c.process, F: history.FPoll, Mops: []history.Mop{m}})
		w.done += 2
	}
}
