package history

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
)

// The named anomalies of Jepsen's Kafka checker (jepsen.tests.kafka),
// implemented from its definitions: which operations prove a send
// committed, how each key's version order is built, what excuses a skip.
// docs/histories.md gives each definition.

// Anomaly is one witness of a named anomaly.
type Anomaly struct {
	Name string `json:"-"`
	Key  int64  `json:"key"`
	// Values, Offsets and Delta are what the anomaly is about: the values
	// involved, their offsets, the distance in the version order.
	Values  []int64 `json:"values,omitempty"`
	Offsets []int64 `json:"offsets,omitempty"`
	Delta   *int    `json:"delta,omitempty"`
	Skipped []int64 `json:"skipped,omitempty"`
	// Events are the history indexes of the operations that show it.
	Events []int64 `json:"events"`
	// Says is the witness in a sentence.
	Says string `json:"says"`
	// Steps are a cycle's edges, from its earliest operation (Events are
	// then the cycle's operations, in order; Key is its first step's).
	Steps []CycleStep `json:"steps,omitempty"`
}

// MarshalJSON writes the key as the history wrote it: a number, or a
// string for any other key (KeyJSON).
func (x Anomaly) MarshalJSON() ([]byte, error) {
	type plain Anomaly
	return json.Marshal(struct {
		Key json.RawMessage `json:"key"`
		plain
	}{KeyJSON(x.Key), plain(x)})
}

// Informational are the anomalies Jepsen reports but does not count
// against a history, with its default test options.
func Informational(name string, subscribes bool) bool {
	return AnalyzeOptions{}.Informational(name, subscribes)
}

// Informational are the anomalies Jepsen reports but does not count
// against a history (kafka.clj's allowed-error-types): int-send-skip and
// the G0 cycles always (Kafka does not isolate writes); poll-skip and
// nonmonotonic-poll when consumers subscribe, so that rebalances move
// partitions between them; the G1c cycles with WWDeps.
func (o AnalyzeOptions) Informational(name string, subscribes bool) bool {
	switch name {
	case "int-send-skip", "G0", "G0-process", "G0-realtime":
		return true
	case "poll-skip", "nonmonotonic-poll":
		return subscribes
	case "G1c", "G1c-process", "G1c-realtime":
		return o.WWDeps
	}
	return false
}

// AnomalyNames lists the anomalies Analyze looks for, in report order.
var AnomalyNames = append([]string{
	"inconsistent-offsets", "duplicate", "lost-write", "G1a", "precommitted-read",
	"poll-skip", "nonmonotonic-poll", "int-poll-skip", "int-nonmonotonic-poll",
	"nonmonotonic-send", "int-send-skip", "int-nonmonotonic-send", "unseen",
	EmptyTransactionGraph,
}, cycleNames()...)

func cycleNames() []string {
	var out []string
	for _, s := range cycleSpecs {
		out = append(out, s.name)
	}
	return out
}

// completion is an operation as the checker sees it: its completion (or,
// for one never completed, its invocation taken as indeterminate).
type completion struct {
	op   *ClientOp
	typ  OpType
	call *ClientOp
	// index is the completion's place in analysis.comps (and its vertex
	// in the dependency graph).
	index int
}

// analysis holds what the checks share.
type analysis struct {
	comps []completion
	// writes and reads by completion type, key, value.
	writes, reads map[OpType]map[int64]map[int64]bool
	// writer of each key's value; readers.
	writer  map[int64]map[int64]*completion
	readers map[int64]map[int64][]*completion
	orders  map[int64]*versionOrder
	out     []Anomaly
	assume  Assumptions // the linearizability check's (position.go)
	// procIDs and procs are byProcess's answer, once it is asked.
	procIDs []int64
	procs   map[int64][]*completion
}

// versionOrder is a key's log as the history shows it.
type versionOrder struct {
	offsets []int64           // offsets seen, increasing
	log     map[int64][]int64 // offset -> values seen there, sorted
	byIndex []int64           // one value per offset seen
	byValue map[int64]int     // value -> its (last) dense index
	first   map[int64]int     // value -> its first dense index
	atOff   map[int64]int64   // value -> an offset it was seen at
	holders map[int64][]int64 // value -> offsets it was seen at
}

// Analyze finds the named anomalies of a well-formed history (Pair's
// operations), with the dependencies Jepsen draws by default.
func Analyze(ops []Operation) []Anomaly {
	return AnalyzeWith(ops, AnalyzeOptions{})
}

// AnalyzeWith finds the named anomalies of a well-formed history, with the
// dependencies opts asks for.
func AnalyzeWith(ops []Operation, opts AnalyzeOptions) []Anomaly {
	return newAnalysis(ops).anomalies(opts)
}

// anomalies runs every check on the analysis (which it does not change,
// so the linearizability checkers may share it: Judge).
func (a *analysis) anomalies(opts AnalyzeOptions) []Anomaly {
	a.inconsistentAndDuplicate()
	a.lostWrites()
	a.g1a()
	a.precommitted()
	a.pollOrder()
	a.internal()
	a.sendOrder()
	a.unseen()
	a.cycleAnomalies(opts)
	sort.SliceStable(a.out, func(i, j int) bool { return rank(a.out[i].Name) < rank(a.out[j].Name) })
	return a.out
}

// newAnalysis gathers what the checks share: each operation's completion,
// the values written and read by completion type, writers and readers,
// and each key's version order.
func newAnalysis(ops []Operation) *analysis {
	a := &analysis{writes: map[OpType]map[int64]map[int64]bool{}, reads: map[OpType]map[int64]map[int64]bool{},
		writer: map[int64]map[int64]*completion{}, readers: map[int64]map[int64][]*completion{}, orders: map[int64]*versionOrder{}}
	for _, op := range ops {
		c := completion{op: op.Ret, typ: Info, call: op.Call, index: len(a.comps)}
		if op.Ret != nil {
			c.typ = op.Ret.Type
		} else {
			c.op = op.Call
		}
		a.comps = append(a.comps, c)
	}
	for i := range a.comps {
		c := &a.comps[i]
		for _, m := range c.op.Mops {
			switch m.F {
			case FSend:
				add(a.writes, c.typ, m.Key, m.Value)
				if a.writer[m.Key] == nil {
					a.writer[m.Key] = map[int64]*completion{}
				}
				a.writer[m.Key][m.Value] = c
			case FPoll:
				for _, r := range m.Reads {
					for _, rec := range r.Records {
						add(a.reads, c.typ, r.Key, rec.Value)
						if a.readers[r.Key] == nil {
							a.readers[r.Key] = map[int64][]*completion{}
						}
						a.readers[r.Key][rec.Value] = append(a.readers[r.Key][rec.Value], c)
					}
				}
			}
		}
	}
	a.buildOrders()
	return a
}

func rank(name string) int {
	for i, n := range AnomalyNames {
		if n == name {
			return i
		}
	}
	return len(AnomalyNames)
}

func add(m map[OpType]map[int64]map[int64]bool, t OpType, k, v int64) {
	if m[t] == nil {
		m[t] = map[int64]map[int64]bool{}
	}
	if m[t][k] == nil {
		m[t][k] = map[int64]bool{}
	}
	m[t][k][v] = true
}

// committed reports whether a completion must have taken effect: ok, or
// indeterminate with a value some ok poll read.
func (a *analysis) committed(c *completion) bool {
	switch c.typ {
	case OK:
		return true
	case Info:
		for _, m := range c.op.Mops {
			if m.F == FSend && a.reads[OK][m.Key][m.Value] {
				return true
			}
		}
	}
	return false
}

// buildOrders builds each key's version order from the sends of
// committed operations and the polls of every completed one.
func (a *analysis) buildOrders() {
	for i := range a.comps {
		c := &a.comps[i]
		committed := a.committed(c)
		for _, m := range c.op.Mops {
			if m.F == FSend && committed && m.HasOffset {
				a.order(m.Key).see(m.Offset, m.Value)
			}
			if m.F == FPoll {
				for _, r := range m.Reads {
					for _, rec := range r.Records {
						a.order(r.Key).see(rec.Offset, rec.Value)
					}
				}
			}
		}
	}
	for _, vo := range a.orders {
		vo.index()
	}
}

func (a *analysis) order(k int64) *versionOrder {
	vo := a.orders[k]
	if vo == nil {
		vo = &versionOrder{log: map[int64][]int64{}}
		a.orders[k] = vo
	}
	return vo
}

func (vo *versionOrder) see(off, v int64) {
	for _, w := range vo.log[off] {
		if w == v {
			return
		}
	}
	vo.log[off] = append(vo.log[off], v)
}

// index numbers the offsets seen densely (holes are invisible) and keeps
// the smallest value of a contested offset as its entry.
func (vo *versionOrder) index() {
	vo.byValue, vo.first, vo.atOff, vo.holders = map[int64]int{}, map[int64]int{}, map[int64]int64{}, map[int64][]int64{}
	for off := range vo.log {
		vo.offsets = append(vo.offsets, off)
	}
	sort.Slice(vo.offsets, func(i, j int) bool { return vo.offsets[i] < vo.offsets[j] })
	for i, off := range vo.offsets {
		vals := vo.log[off]
		sort.Slice(vals, func(x, y int) bool { return vals[x] < vals[y] })
		vo.byIndex = append(vo.byIndex, vals[0])
		vo.byValue[vals[0]] = i
		for _, v := range vals {
			if _, ok := vo.first[v]; !ok {
				vo.first[v] = i
			}
			vo.atOff[v] = off
			vo.holders[v] = append(vo.holders[v], off)
		}
	}
}

// delta is idx(v2) - idx(v1) in a key's version order, 1 when either is
// unknown (nothing to say).
func (a *analysis) delta(k, v1, v2 int64) (int, bool) {
	vo := a.orders[k]
	if vo == nil {
		return 1, false
	}
	i, ok1 := vo.byValue[v1]
	j, ok2 := vo.byValue[v2]
	if !ok1 || !ok2 {
		return 1, false
	}
	return j - i, true
}

// offsetOf is the offset of value v at the index delta counts from; call
// it only where delta knew v.
func (a *analysis) offsetOf(k, v int64) int64 {
	vo := a.orders[k]
	return vo.offsets[vo.byValue[v]]
}

// plural is n and the noun for n: "1 value", "2 values".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func (a *analysis) skipped(k int64, v1, v2 int64) []int64 {
	vo := a.orders[k]
	i, j := vo.byValue[v1], vo.byValue[v2]
	if j-i > 1 {
		return append([]int64(nil), vo.byIndex[i+1:j]...)
	}
	return nil
}

func (a *analysis) report(x Anomaly) { a.out = append(a.out, x) }

func intp(n int) *int { return &n }

func sortedKeys[V any](m map[int64]V) []int64 {
	keys := make([]int64, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	return keys
}

// keysInOrder are a map's keys when they are the history's keys: integers
// first, by value, then names by their text (compareKeys).
func keysInOrder[V any](m map[int64]V) []int64 {
	keys := make([]int64, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, compareKeys)
	return keys
}

func events(cs ...*completion) []int64 {
	var out []int64
	for _, c := range cs {
		if c != nil {
			out = append(out, c.op.Index)
		}
	}
	return out
}

func (a *analysis) inconsistentAndDuplicate() {
	for _, k := range keysInOrder(a.orders) {
		vo := a.orders[k]
		for _, off := range vo.offsets {
			if vals := vo.log[off]; len(vals) > 1 {
				a.report(Anomaly{Name: "inconsistent-offsets", Key: k, Values: vals, Offsets: []int64{off},
					Says: fmt.Sprintf("key %s, offset %d holds %d different values %v", KeyText(k), off, len(vals), vals)})
			}
		}
		for _, v := range sortedKeys(vo.holders) {
			if offs := vo.holders[v]; len(offs) > 1 {
				a.report(Anomaly{Name: "duplicate", Key: k, Values: []int64{v}, Offsets: offs,
					Says: fmt.Sprintf("key %s, value %d sits at %d offsets %v", KeyText(k), v, len(offs), offs)})
			}
		}
	}
}

// lostWrites: a committed send whose value sits at or below the highest
// offset an ok poll reached, and which no ok poll read.
func (a *analysis) lostWrites() {
	for _, k := range keysInOrder(a.orders) {
		vo := a.orders[k]
		bound := -1
		for v := range a.reads[OK][k] {
			if i, ok := vo.first[v]; ok && i > bound {
				bound = i
			}
		}
		last := map[int64]int{}
		for v, offs := range vo.holders {
			for i, off := range vo.offsets {
				if off == offs[len(offs)-1] {
					last[v] = i
				}
			}
		}
		for _, v := range sortedKeys(last) {
			if last[v] > bound || a.reads[OK][k][v] {
				continue
			}
			w := a.writer[k][v]
			if w == nil || !a.committed(w) {
				continue
			}
			a.report(Anomaly{Name: "lost-write", Key: k, Values: []int64{v}, Offsets: []int64{vo.atOff[v]},
				Events: events(w), Says: fmt.Sprintf("key %s, value %d (acknowledged, at offset %d) was never read, though polls read past it", KeyText(k), v, vo.atOff[v])})
		}
	}
}

// g1a: an ok poll read a value whose send definitely failed.
func (a *analysis) g1a() {
	for _, k := range keysInOrder(a.reads[OK]) {
		for _, v := range sortedKeys(a.reads[OK][k]) {
			if !a.writes[Fail][k][v] {
				continue
			}
			var reader *completion
			for _, r := range a.readers[k][v] {
				if r.typ == OK {
					reader = r
					break
				}
			}
			a.report(Anomaly{Name: "G1a", Key: k, Values: []int64{v}, Events: events(a.writer[k][v], reader),
				Says: fmt.Sprintf("key %s, value %d was read though its send failed", KeyText(k), v)})
		}
	}
}

// precommitted: an operation read a value it sent itself.
func (a *analysis) precommitted() {
outer:
	for i := range a.comps {
		c := &a.comps[i]
		sent := map[[2]int64]bool{}
		for _, m := range c.op.Mops {
			if m.F == FSend {
				sent[[2]int64{m.Key, m.Value}] = true
			}
		}
		for _, m := range c.op.Mops {
			for _, r := range m.Reads {
				for _, rec := range r.Records {
					if sent[[2]int64{r.Key, rec.Value}] {
						a.report(Anomaly{Name: "precommitted-read", Key: r.Key, Values: []int64{rec.Value}, Events: events(c),
							Says: fmt.Sprintf("key %s, an operation read its own value %d before it committed", KeyText(r.Key), rec.Value)})
						continue outer
					}
				}
			}
		}
	}
}
