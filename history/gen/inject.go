package gen

import (
	"fmt"
	"slices"
	"strings"

	"electcheck/history"
)

// Injections are the anomalies Generate can inject, each once, a third of
// the way through the history (or at the first chance after), by making
// the cluster misbehave in the way the anomaly describes:
//
//   - duplicate: a send's value lands in its log twice (a retry);
//   - inconsistent-offsets: a send is acknowledged with the offset before
//     its own;
//   - lost-write: an acknowledged record that no consumer ever returns,
//     though they read past it;
//   - G1a: a failed send that took effect, and is read;
//   - poll-skip: a consumer's poll starts one record past its position;
//   - nonmonotonic-poll: a consumer's poll starts one record before it;
//   - unseen: an acknowledged send no one reads by the end;
//   - G1c: two concurrent transactions on keys 0 and 1, each sending to
//     one key and polling the other, each reading the other's send (a
//     cycle of two wr dependencies);
//   - G0: two concurrent transactions each sending to keys 0 and 1, which
//     land in opposite orders (a cycle of two ww dependencies, which the
//     analysis finds with ww dependencies drawn, Jepsen's :ww-deps);
//   - G-single-item: a transaction polls key 0 up to its last record and
//     key 1 seeing the other transaction's send, which also sent the next
//     record of key 0 (a fractured read: one rw and one wr dependency);
//   - G2-item: write skew, each of two transactions polling the key the
//     other sends to, up to the record before the other's (two rw).
//
// The rw ones are found with anti-dependencies drawn (--rw-deps), which
// Jepsen's Kafka checker never draws. The transactions of the cycles are
// by processes of their own (from 1,000,000), which assign no keys: no
// consumer position constrains their polls.
var Injections = []string{"duplicate", "inconsistent-offsets", "lost-write", "G1a", "poll-skip", "nonmonotonic-poll", "unseen",
	"G1c", "G0", "G-single-item", "G2-item"}

// injector does the injections.
type injector struct {
	want, fired map[string]bool
	trigger     int
	hide        map[[2]int64]bool // key, offset: a lost record
}

func newInjector(names []string, ops int) (*injector, error) {
	inj := &injector{want: map[string]bool{}, fired: map[string]bool{}, trigger: ops / 3, hide: map[[2]int64]bool{}}
	for _, n := range names {
		if !slices.Contains(Injections, n) {
			return nil, fmt.Errorf("gen: cannot inject %q: use %s", n, strings.Join(Injections, ", "))
		}
		inj.want[n] = true
	}
	return inj, nil
}

// due reports whether the named injection should happen now, and marks
// it done if so.
func (inj *injector) due(w *world, name string) bool {
	if !inj.want[name] || inj.fired[name] || w.done < inj.trigger {
		return false
	}
	inj.fired[name] = true
	return true
}

// onSend may misreport or duplicate a send that took effect.
func (inj *injector) onSend(w *world, m history.Mop, ret *history.ClientOp) history.Mop {
	if ret.Type != history.OK || len(ret.Mops) != 1 {
		return m // single acknowledged sends only: the witness is plain
	}
	switch {
	case m.Offset > 0 && inj.due(w, "inconsistent-offsets"):
		m.Offset--
	case inj.due(w, "duplicate"):
		w.append(m.Key, m.Value)
	case inj.due(w, "lost-write"):
		inj.hide[[2]int64{m.Key, m.Offset}] = true
	}
	return m
}

// failApplies: a failed single send that took effect (G1a).
func (inj *injector) failApplies(w *world, ret *history.ClientOp) bool {
	return ret.Type == history.Fail && ret.F == history.FSend && inj.due(w, "G1a")
}

// hidden reports whether no consumer ever returns the record at off.
func (inj *injector) hidden(k int64, off int) bool { return inj.hide[[2]int64{k, int64(off)}] }

// position is where a client's consumer starts a poll of k: where it
// stands, or one off once.
func (inj *injector) position(w *world, c *client, k int64) int {
	pos := c.pos[k]
	switch {
	case pos+1 < len(w.logs[k]) && inj.due(w, "poll-skip"):
		return pos + 1
	case pos > 0 && inj.due(w, "nonmonotonic-poll"):
		return pos - 1
	}
	return pos
}

// cycles injects the cycle anomalies due, between two operations.
func (inj *injector) cycles(w *world) {
	if w.spec.Keys < 2 {
		return
	}
	x, y := int64(0), int64(1)
	p1 := int64(1_000_000 + 2*len(inj.fired))
	p2 := p1 + 1
	txn := func(p int64, typ history.OpType, mops ...history.Mop) {
		w.event(history.ClientOp{Type: typ, Process: p, F: history.FTxn, Mops: mops})
	}
	sent := func(k, v int64, off int) history.Mop {
		return history.Mop{F: history.FSend, Key: k, Value: v, Offset: int64(off), HasOffset: true}
	}
	read := func(k, v int64, off int) history.Mop {
		return history.Mop{F: history.FPoll, Done: true, Reads: []history.KeyRead{{Key: k, Records: []history.Record{{Offset: int64(off), Value: v}}}}}
	}
	if inj.due(w, "G1c") {
		a, b := w.next[x], w.next[y]
		w.next[x]++
		w.next[y]++
		txn(p1, history.Invoke, history.Mop{F: history.FSend, Key: x, Value: a}, history.Mop{F: history.FPoll})
		txn(p2, history.Invoke, history.Mop{F: history.FSend, Key: y, Value: b}, history.Mop{F: history.FPoll})
		ox, oy := w.append(x, a), w.append(y, b)
		txn(p1, history.OK, sent(x, a, ox), read(y, b, oy))
		txn(p2, history.OK, sent(y, b, oy), read(x, a, ox))
		w.done += 2
	}
	if inj.due(w, "G0") {
		a, b := w.next[x], w.next[y]
		c, d := a+1, b+1
		w.next[x] += 2
		w.next[y] += 2
		txn(p1, history.Invoke, history.Mop{F: history.FSend, Key: x, Value: a}, history.Mop{F: history.FSend, Key: y, Value: b})
		txn(p2, history.Invoke, history.Mop{F: history.FSend, Key: x, Value: c}, history.Mop{F: history.FSend, Key: y, Value: d})
		oa, oc := w.append(x, a), w.append(x, c)
		od, ob := w.append(y, d), w.append(y, b)
		txn(p1, history.OK, sent(x, a, oa), sent(y, b, ob))
		txn(p2, history.OK, sent(x, c, oc), sent(y, d, od))
		w.done += 2
	}
	// The rw injections poll the last record of a key: it must have one.
	last := func(k int64) (int64, int, bool) {
		if n := len(w.logs[k]); n > 0 {
			return w.logs[k][n-1], n - 1, true
		}
		return 0, 0, false
	}
	if _, _, ok := last(x); ok && inj.due(w, "G-single-item") {
		a, oa, _ := last(x)
		c, b := w.next[x], w.next[y]
		w.next[x]++
		w.next[y]++
		txn(p1, history.Invoke, history.Mop{F: history.FPoll})
		txn(p2, history.Invoke, history.Mop{F: history.FSend, Key: x, Value: c}, history.Mop{F: history.FSend, Key: y, Value: b})
		oc, ob := w.append(x, c), w.append(y, b)
		both := read(x, a, oa)
		both.Reads = append(both.Reads, read(y, b, ob).Reads...)
		txn(p1, history.OK, both)
		txn(p2, history.OK, sent(x, c, oc), sent(y, b, ob))
		w.done += 2
	}
	_, _, okx := last(x)
	if _, _, oky := last(y); okx && oky && inj.due(w, "G2-item") {
		a, oa, _ := last(x)
		d, od, _ := last(y)
		b, c := w.next[y], w.next[x]
		w.next[x]++
		w.next[y]++
		txn(p1, history.Invoke, history.Mop{F: history.FPoll}, history.Mop{F: history.FSend, Key: y, Value: b})
		txn(p2, history.Invoke, history.Mop{F: history.FPoll}, history.Mop{F: history.FSend, Key: x, Value: c})
		oc, ob := w.append(x, c), w.append(y, b)
		txn(p1, history.OK, read(x, a, oa), sent(y, b, ob))
		txn(p2, history.OK, read(y, d, od), sent(x, c, oc))
		w.done += 2
	}
}

// atEnd: an acknowledged send after the final reads (unseen).
func (inj *injector) atEnd(w *world) {
	if !inj.want["unseen"] || inj.fired["unseen"] {
		return
	}
	inj.fired["unseen"] = true
	c := w.clients[len(w.clients)-1]
	m := w.send()
	w.event(history.ClientOp{Type: history.Invoke, Process: c.process, F: history.FSend, Mops: []history.Mop{m}})
	m.Offset, m.HasOffset = int64(w.append(m.Key, m.Value)), true
	w.event(history.ClientOp{Type: history.OK, Process: c.process, F: history.FSend, Mops: []history.Mop{m}})
}
