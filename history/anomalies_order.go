package history

import "fmt"

// The order checks: what one process polled and sent, in turn, and what
// one operation read or sent, against each key's version order.

// readsOf lists, per key, the values an operation's polls read, in order.
func readsOf(op *ClientOp) map[int64][]int64 {
	out := map[int64][]int64{}
	for _, m := range op.Mops {
		for _, r := range m.Reads {
			for _, rec := range r.Records {
				out[r.Key] = append(out[r.Key], rec.Value)
			}
		}
	}
	return out
}

// sendsOf lists, per key, the values an operation sent, in order.
func sendsOf(op *ClientOp) map[int64][]int64 {
	out := map[int64][]int64{}
	for _, m := range op.Mops {
		if m.F == FSend {
			out[m.Key] = append(out[m.Key], m.Value)
		}
	}
	return out
}

type lastSeen struct {
	c     *completion
	value int64
}

// keep restricts a process's memory to the keys an assign or subscribe
// gave it.
func keep(m map[int64]lastSeen, keys []int64) {
	in := map[int64]bool{}
	for _, k := range keys {
		in[k] = true
	}
	for k := range m {
		if !in[k] {
			delete(m, k)
		}
	}
}

// byProcess lists the completions of each process in history order, and
// the processes in order. Three checks ask; it is made once per analysis,
// and the callers do not change it.
func (a *analysis) byProcess() ([]int64, map[int64][]*completion) {
	if a.procs == nil {
		a.procs = map[int64][]*completion{}
		for i := range a.comps {
			c := &a.comps[i]
			a.procs[c.call.Process] = append(a.procs[c.call.Process], c)
		}
		a.procIDs = sortedKeys(a.procs)
	}
	return a.procIDs, a.procs
}

// pollOrder: a process's next poll of a key starts right after the last
// value its previous ok poll of that key read (poll-skip if it starts
// later, nonmonotonic-poll if not later), unless an assign or subscribe
// in between left the key out.
func (a *analysis) pollOrder() {
	ids, procs := a.byProcess()
	for _, p := range ids {
		last := map[int64]lastSeen{}
		for _, c := range procs[p] {
			switch c.call.F {
			case FAssign, FSubscribe:
				if c.typ == OK || c.typ == Info {
					keep(last, c.call.Keys)
				}
				continue
			case FPoll, FTxn:
			default:
				continue
			}
			reads := readsOf(c.op)
			for _, k := range keysInOrder(reads) {
				vs := reads[k]
				if prev, ok := last[k]; ok {
					d, known := a.delta(k, prev.value, vs[0])
					switch {
					case known && d > 1:
						a.report(Anomaly{Name: "poll-skip", Key: k, Values: []int64{prev.value, vs[0]}, Delta: intp(d), Skipped: a.skipped(k, prev.value, vs[0]),
							Events: events(prev.c, c), Says: fmt.Sprintf("key %s, process %d polled %d then %d, skipping %s", KeyText(k), p, prev.value, vs[0], plural(d-1, "value", "values"))})
					case known && d < 1:
						a.report(Anomaly{Name: "nonmonotonic-poll", Key: k, Values: []int64{prev.value, vs[0]}, Delta: intp(d),
							Events: events(prev.c, c), Says: fmt.Sprintf("key %s, process %d polled %d then %d, at offsets %d and %d", KeyText(k), p, prev.value, vs[0], a.offsetOf(k, prev.value), a.offsetOf(k, vs[0]))})
					}
				}
				if c.typ == OK {
					last[k] = lastSeen{c, vs[len(vs)-1]}
				}
			}
		}
	}
}

// sendOrder: a process's sends to a key land at increasing offsets
// (nonmonotonic-send), across its ok and indeterminate operations.
func (a *analysis) sendOrder() {
	ids, procs := a.byProcess()
	for _, p := range ids {
		last := map[int64]lastSeen{}
		for _, c := range procs[p] {
			if c.typ != OK && c.typ != Info {
				continue
			}
			if c.call.F == FAssign || c.call.F == FSubscribe {
				keep(last, c.call.Keys)
				continue
			}
			sends := sendsOf(c.op)
			for _, k := range keysInOrder(sends) {
				vs := sends[k]
				if prev, ok := last[k]; ok {
					if d, known := a.delta(k, prev.value, vs[0]); known && d < 1 {
						a.report(Anomaly{Name: "nonmonotonic-send", Key: k, Values: []int64{prev.value, vs[0]}, Delta: intp(d),
							Events: events(prev.c, c), Says: fmt.Sprintf("key %s, process %d sent %d then %d, which landed at offsets %d and %d", KeyText(k), p, prev.value, vs[0], a.offsetOf(k, prev.value), a.offsetOf(k, vs[0]))})
					}
				}
				last[k] = lastSeen{c, vs[len(vs)-1]}
			}
		}
	}
}

// internal: within one operation, the values it read (or sent) to a key
// are consecutive in the version order; a key the operation's rebalance
// log names is excused for reads.
func (a *analysis) internal() {
	for i := range a.comps {
		c := &a.comps[i]
		if c.op.Type == Invoke {
			continue
		}
		rebalanced := map[int64]bool{}
		for _, k := range c.op.Rebalanced {
			rebalanced[k] = true
		}
		check := func(kind string, byKey map[int64][]int64, excused map[int64]bool) {
			for _, k := range keysInOrder(byKey) {
				if excused[k] {
					continue
				}
				vs := byKey[k]
				for j := 1; j < len(vs); j++ {
					d, known := a.delta(k, vs[j-1], vs[j])
					if !known {
						continue
					}
					switch {
					case d > 1:
						a.report(Anomaly{Name: "int-" + kind + "-skip", Key: k, Values: []int64{vs[j-1], vs[j]}, Delta: intp(d), Skipped: a.skipped(k, vs[j-1], vs[j]),
							Events: events(c), Says: fmt.Sprintf("key %s, one operation %s %d then %d, skipping %s", KeyText(k), verb(kind), vs[j-1], vs[j], plural(d-1, "value", "values"))})
					case d < 1:
						a.report(Anomaly{Name: "int-nonmonotonic-" + kind, Key: k, Values: []int64{vs[j-1], vs[j]}, Delta: intp(d),
							Events: events(c), Says: fmt.Sprintf("key %s, one operation %s %d then %d, %s offsets %d and %d", KeyText(k), verb(kind), vs[j-1], vs[j], landed(kind), a.offsetOf(k, vs[j-1]), a.offsetOf(k, vs[j]))})
					}
				}
			}
		}
		check("poll", readsOf(c.op), rebalanced)
		check("send", sendsOf(c.op), nil)
	}
}

func verb(kind string) string {
	if kind == "poll" {
		return "read"
	}
	return "sent"
}

// landed introduces where the values an operation read or sent sit.
func landed(kind string) string {
	if kind == "poll" {
		return "at"
	}
	return "which landed at"
}

// unseen: ok sends that no ok poll read by the end of the history.
func (a *analysis) unseen() {
	for _, k := range keysInOrder(a.writes[OK]) {
		var missing []int64
		for _, v := range sortedKeys(a.writes[OK][k]) {
			if !a.reads[OK][k][v] {
				missing = append(missing, v)
			}
		}
		if len(missing) > 0 {
			a.report(Anomaly{Name: "unseen", Key: k, Values: missing,
				Says: fmt.Sprintf("key %s, %s never read by the end: %v", KeyText(k), plural(len(missing), "acknowledged value was", "acknowledged values were"), missing)})
		}
	}
}
