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
//   - unseen: an acknowledged send no one reads by the end.
var Injections = []string{"duplicate", "inconsistent-offsets", "lost-write", "G1a", "poll-skip", "nonmonotonic-poll", "unseen"}

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
