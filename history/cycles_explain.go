package history

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Cycle anomalies as witnesses: each cycle's steps, in Kafka's words.

// CycleStep is one edge of a cycle: why operation From precedes operation To.
// Operations are named by the history index of their completion (of
// their invocation, for one never completed).
type CycleStep struct {
	Type string `json:"type"` // ww, wr, rw, process or realtime
	From int64  `json:"from"`
	To   int64  `json:"to"`
	// Key and the values (Value the earlier operation's, Next the later's,
	// for ww and rw) a data dependency is about.
	Key   json.RawMessage `json:"key,omitempty"` // as written (KeyJSON)
	Value *int64          `json:"value,omitempty"`
	Next  *int64          `json:"next,omitempty"`
	Says  string          `json:"says"`
}

// keyWord names a key in a sentence, as the history wrote it.
func keyWord(k int64) string { return "key " + KeyText(k) }

// opWord names an operation of the graph.
func (a *analysis) opWord(v int32) string {
	c := &a.comps[v]
	return fmt.Sprintf("op %d (process %d's %s)", c.op.Index, c.call.Process, c.call.F)
}

// offsetWord is " at offset o" where the history shows one for v.
func (a *analysis) offsetWord(k, v int64) string {
	if vo := a.orders[k]; vo != nil {
		if off, ok := vo.atOff[v]; ok {
			return fmt.Sprintf(" at offset %d", off)
		}
	}
	return ""
}

// explainStep says why an edge holds.
func (a *analysis) explainStep(e edge) CycleStep {
	from, to := &a.comps[e.from], &a.comps[e.to]
	s := CycleStep{Type: e.kind.String(), From: from.op.Index, To: to.op.Index}
	k, v1, v2 := e.key, e.v1, e.v2
	switch e.kind {
	case WW:
		s.Key, s.Value, s.Next = KeyJSON(k), &v1, &v2
		s.Says = fmt.Sprintf("%s sent %d to %s%s; %s sent %d there next%s (ww)",
			a.opWord(e.from), v1, keyWord(k), a.offsetWord(k, v1), a.opWord(e.to), v2, a.offsetWord(k, v2))
	case WR:
		s.Key, s.Value = KeyJSON(k), &v1
		s.Says = fmt.Sprintf("%s sent %d to %s%s; %s polled it (wr)",
			a.opWord(e.from), v1, keyWord(k), a.offsetWord(k, v1), a.opWord(e.to))
	case RW:
		s.Key, s.Value, s.Next = KeyJSON(k), &v1, &v2
		s.Says = fmt.Sprintf("%s polled %s up to %d%s, not the next value %d%s, which %s sent (rw)",
			a.opWord(e.from), keyWord(k), v1, a.offsetWord(k, v1), v2, a.offsetWord(k, v2), a.opWord(e.to))
	case Realtime:
		s.Says = fmt.Sprintf("%s completed (event %d) before %s was invoked (event %d) (realtime)",
			a.opWord(e.from), from.op.Index, a.opWord(e.to), to.call.Index)
	case Process:
		s.Says = fmt.Sprintf("process %d completed %s, then ran %s (process)",
			from.call.Process, a.opWord(e.from), a.opWord(e.to))
	}
	return s
}

// cycleAnomaly makes a witness of a cycle, starting from its earliest
// operation.
func (a *analysis) cycleAnomaly(c foundCycle) Anomaly {
	first := 0
	for i, e := range c.edges {
		if a.comps[e.from].op.Index < a.comps[c.edges[first].from].op.Index {
			first = i
		}
	}
	edges := append(append([]edge(nil), c.edges[first:]...), c.edges[:first]...)
	x := Anomaly{Name: c.spec.name}
	keyed := false
	var says []string
	for _, e := range edges {
		st := a.explainStep(e)
		x.Steps = append(x.Steps, st)
		x.Events = append(x.Events, st.From)
		says = append(says, st.Says)
		if st.Key != nil && !keyed {
			x.Key, keyed = e.key, true
		}
	}
	x.Says = fmt.Sprintf("a cycle of %s: %s", plural(len(edges), "operation", "operations"), strings.Join(says, "; "))
	if !c.exhaustive {
		x.Says += " " + CycleBudgetNote
	}
	return x
}

// CycleBudgetNote ends the sentence of a cycle that may not be the
// shortest: the search ran out of its budget first.
const CycleBudgetNote = "(the search ran out of its budget: a shorter cycle may exist)"

// classify names a cycle by its edges as Elle's cycle explainer does:
// by its anti-dependencies, else its write-read edges, else write-write,
// with -realtime or -process for an order edge. A cycle of order edges
// alone has no name ("": real-time and process orders have no cycles).
func classify(edges []edge) string {
	var n [numKinds]int
	for _, e := range edges {
		n[e.kind]++
	}
	var name string
	switch {
	case n[WW] > 0 && n[WR] == 0 && n[RW] == 0:
		name = "G0"
	case n[RW] == 1:
		name = "G-single-item"
	case n[RW] > 1:
		name = "G-nonadjacent-item"
		for i, e := range edges {
			if e.kind == RW && edges[(i+1)%len(edges)].kind == RW {
				name = "G2-item"
			}
		}
	case n[WR] > 0:
		name = "G1c"
	default:
		return ""
	}
	switch {
	case n[Realtime] > 0:
		name += "-realtime"
	case n[Process] > 0:
		name += "-process"
	}
	return name
}

// EmptyTransactionGraph is the anomaly of a history with nothing to check.
const EmptyTransactionGraph = "empty-transaction-graph"

// cycleAnomalies finds the cycles. A history with no send, poll or txn
// at all is empty-transaction-graph: there is nothing to check, and Jepsen
// counts it invalid. Elle says so of any graph without an edge; here a
// history with operations but no dependency between them (every send
// refused, every poll empty) is left to the other checks, which the
// model's own histories of refused produces rely on.
func (a *analysis) cycleAnomalies(opts AnalyzeOptions) {
	any := false
	for i := range a.comps {
		any = any || isTxn(&a.comps[i])
	}
	if !any {
		a.report(Anomaly{Name: EmptyTransactionGraph,
			Says: "the history has no send, poll or txn operation: there is nothing to check, and Jepsen counts such a history as invalid"})
		return
	}
	if a.acyclicByTime(opts) {
		return
	}
	g := a.buildGraph(opts)
	for _, c := range g.cycles() {
		a.report(a.cycleAnomaly(c))
	}
}
