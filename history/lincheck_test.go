package history

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// builder writes a history event by event: index and time count up.
type builder struct{ ops []ClientOp }

func (b *builder) ev(p int64, typ OpType, f string, mops ...Mop) *builder {
	n := int64(len(b.ops))
	b.ops = append(b.ops, ClientOp{Index: n, Time: n, Type: typ, Process: p, F: f, Mops: mops})
	return b
}

// send invokes and completes a send at once: ok with its offset.
func (b *builder) send(p, k, v, off int64) *builder {
	return b.ev(p, Invoke, FSend, snd(k, v)).ev(p, OK, FSend, sent(k, off, v))
}

// poll invokes and completes a poll of key k's records (offset, value
// pairs).
func (b *builder) poll(p, k int64, pairs ...int64) *builder {
	return b.ev(p, Invoke, FPoll, Mop{F: FPoll}).ev(p, OK, FPoll, polled(k, pairs...))
}

func (b *builder) history() *ClientHistory { return &ClientHistory{Ops: b.ops, Source: "test"} }

func snd(k, v int64) Mop     { return Mop{F: FSend, Key: k, Value: v} }
func sent(k, o, v int64) Mop { return Mop{F: FSend, Key: k, Value: v, Offset: o, HasOffset: true} }
func withHW(m Mop, hw int64) Mop {
	m.Reads[0].HW, m.Reads[0].HasHW = hw, true
	return m
}
func polled(k int64, pairs ...int64) Mop {
	r := KeyRead{Key: k}
	for i := 0; i+1 < len(pairs); i += 2 {
		r.Records = append(r.Records, Record{Offset: pairs[i], Value: pairs[i+1]})
	}
	return Mop{F: FPoll, Done: true, Reads: []KeyRead{r}}
}

func names(as []Anomaly) map[string]int {
	out := map[string]int{}
	for _, a := range as {
		out[a.Name]++
	}
	return out
}

func check(t testing.TB, h *ClientHistory) ([]Anomaly, *Linearizability) {
	t.Helper()
	ops, err := h.Pair()
	if err != nil {
		t.Fatal(err)
	}
	lin, err := Linearize(ops, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	return Analyze(ops), lin
}

// Each anomaly, from its definition in Jepsen's Kafka checker, on a
// history made to show it.
func TestAnomaliesByName(t *testing.T) {
	cases := map[string]*builder{
		"inconsistent-offsets": new(builder).send(0, 0, 1, 0).send(1, 0, 2, 0).poll(2, 0, 0, 1),
		"duplicate":            new(builder).send(0, 0, 1, 0).poll(2, 0, 0, 1, 1, 1),
		"lost-write":           new(builder).send(0, 0, 1, 0).send(1, 0, 2, 1).poll(2, 0, 1, 2),
		"G1a": new(builder).ev(0, Invoke, FSend, snd(0, 1)).ev(0, Fail, FSend, snd(0, 1)).
			poll(2, 0, 0, 1),
		"precommitted-read": new(builder).ev(0, Invoke, FTxn, snd(0, 1), Mop{F: FPoll}).
			ev(0, OK, FTxn, sent(0, 0, 1), polled(0, 0, 1)),
		"poll-skip":             new(builder).send(0, 0, 1, 0).send(0, 0, 2, 1).send(0, 0, 3, 2).poll(2, 0, 0, 1).poll(2, 0, 2, 3),
		"nonmonotonic-poll":     new(builder).send(0, 0, 1, 0).send(0, 0, 2, 1).poll(2, 0, 0, 1, 1, 2).poll(2, 0, 0, 1),
		"int-poll-skip":         new(builder).send(0, 0, 1, 0).send(0, 0, 2, 1).send(0, 0, 3, 2).poll(2, 0, 0, 1, 2, 3),
		"int-nonmonotonic-poll": new(builder).send(0, 0, 1, 0).send(0, 0, 2, 1).poll(2, 0, 1, 2, 0, 1),
		"nonmonotonic-send":     new(builder).send(0, 0, 5, 3).send(0, 0, 6, 1).poll(2, 0, 1, 6, 3, 5),
		"int-send-skip": new(builder).ev(0, Invoke, FTxn, snd(0, 1), snd(0, 3)).
			ev(0, OK, FTxn, sent(0, 0, 1), sent(0, 2, 3)).send(1, 0, 2, 1).poll(2, 0, 0, 1, 1, 2, 2, 3),
		"int-nonmonotonic-send": new(builder).ev(0, Invoke, FTxn, snd(0, 1), snd(0, 2)).
			ev(0, OK, FTxn, sent(0, 1, 1), sent(0, 0, 2)).poll(2, 0, 0, 2, 1, 1),
		"unseen": new(builder).send(0, 0, 1, 0),
	}
	for name, b := range cases {
		as, _ := check(t, b.history())
		got := names(as)
		if got[name] == 0 {
			t.Errorf("%s: not found; found %v", name, got)
		}
		for _, a := range as {
			if a.Says == "" || (a.Name != "unseen" && a.Name != "inconsistent-offsets" && a.Name != "duplicate" && a.Name != "empty-transaction-graph" && len(a.Events) == 0) {
				t.Errorf("%s: a witness without its events or words: %+v", a.Name, a)
			}
		}
	}
	// Clean histories: sequential sends, polls that read everything;
	// overlapping sends; an indeterminate send that took effect.
	clean := map[string]*builder{
		"sequential": new(builder).send(0, 0, 1, 0).send(1, 0, 2, 1).poll(2, 0, 0, 1, 1, 2),
		"overlapping": new(builder).ev(0, Invoke, FSend, snd(0, 1)).ev(1, Invoke, FSend, snd(0, 2)).
			ev(1, OK, FSend, sent(0, 0, 2)).ev(0, OK, FSend, sent(0, 1, 1)).poll(2, 0, 0, 2, 1, 1),
		"indeterminate": new(builder).ev(0, Invoke, FSend, snd(0, 1)).ev(0, Info, FSend, snd(0, 1)).
			send(1, 0, 2, 1).poll(2, 0, 0, 1, 1, 2),
		"two keys": new(builder).send(0, 0, 1, 0).send(1, 1, 1, 0).poll(2, 0, 0, 1).poll(2, 1, 0, 1),
	}
	for name, b := range clean {
		as, lin := check(t, b.history())
		if len(as) > 0 || lin.Linearizable == nil || !*lin.Linearizable {
			t.Errorf("%s: anomalies %v, linearizable %v (%s)", name, names(as), lin.Linearizable, lin.Reason)
		}
	}
}

// Linearizability: what the static anomalies cannot see, the real-time
// order of sends and polls, checked by both checkers.
func TestLinearizability(t *testing.T) {
	cases := []struct {
		name string
		b    *builder
		want bool
	}{
		{"hw backwards", new(builder).send(0, 0, 1, 0).send(0, 0, 2, 1).
			ev(2, Invoke, FPoll, Mop{F: FPoll}).ev(2, OK, FPoll, withHW(polled(0, 0, 1, 1, 2), 2)).
			ev(3, Invoke, FPoll, Mop{F: FPoll}).ev(3, OK, FPoll, withHW(polled(0, 0, 1), 1)), false},
		{"hw forwards", new(builder).send(0, 0, 1, 0).
			ev(2, Invoke, FPoll, Mop{F: FPoll}).ev(2, OK, FPoll, withHW(polled(0, 0, 1), 1)).send(0, 0, 2, 1).
			ev(3, Invoke, FPoll, Mop{F: FPoll}).ev(3, OK, FPoll, withHW(polled(0, 0, 1, 1, 2), 2)), true},
		{"acknowledged then missed", new(builder).send(0, 0, 1, 0).
			ev(2, Invoke, FPoll, Mop{F: FPoll}).ev(2, OK, FPoll, withHW(polled(0), 0)), false},
		{"sends out of real-time order", new(builder).send(0, 0, 1, 1).send(1, 0, 2, 0).poll(2, 0, 0, 2, 1, 1), false},
		{"poll before its send", new(builder).ev(2, Invoke, FPoll, Mop{F: FPoll}).ev(2, OK, FPoll, polled(0, 0, 1)).
			send(0, 0, 1, 0), false},
		{"concurrent poll and send", new(builder).ev(2, Invoke, FPoll, Mop{F: FPoll}).ev(0, Invoke, FSend, snd(0, 1)).
			ev(2, OK, FPoll, polled(0, 0, 1)).ev(0, OK, FSend, sent(0, 0, 1)), true},
		{"indeterminate send read late", new(builder).ev(0, Invoke, FSend, snd(0, 1)).
			ev(2, Invoke, FPoll, Mop{F: FPoll}).ev(2, OK, FPoll, withHW(polled(0), 0)).poll(3, 0, 0, 1), true},
	}
	for _, c := range cases {
		_, lin := check(t, c.b.history())
		if lin.Linearizable == nil || *lin.Linearizable != c.want {
			t.Errorf("%s: linearizable %v, want %t (fast %s, porcupine %s: %s)", c.name, lin.Linearizable, c.want, lin.Fast, lin.Porcupine, lin.Reason)
		}
		var html bytes.Buffer
		if err := lin.WriteHTML(&html); err != nil || !strings.Contains(html.String(), "<html") {
			t.Errorf("%s: no visualisation: %v", c.name, err)
		}
	}
}

// Random histories of a log shared by concurrent producers and consumers,
// with indeterminate sends, some of them made wrong on purpose: the fast
// checker and porcupine agree on every one. The generator's consumers
// read the whole log at every poll, which no Kafka consumer does without
// seeking back, so the consumer-position assumptions (a static check, the
// same for both checkers) are off: with them on, a process's second poll
// breaks them, which the test counts as the witness that they bite.
func TestCheckersAgreeOnRandomHistories(t *testing.T) {
	r := rand.New(rand.NewPCG(20261202, 0))
	verdicts := map[bool]int{}
	rereads := 0
	for i := 0; i < 3000; i++ {
		h := randomHistory(r, 6, 40)
		ops, err := h.Pair()
		if err != nil {
			t.Fatalf("history %d is not well formed: %v", i, err)
		}
		if strict, err := Linearize(ops, 10*time.Second); err == nil && strings.Contains(strict.Reason, "again (--assume poll-continues=false") {
			rereads++
		}
		lin, err := LinearizeWith(ops, LinOptions{Timeout: 10 * time.Second, Assume: Assumptions{NoSeekStart: true, NoPollContinues: true}})
		if err != nil {
			var buf bytes.Buffer
			_ = h.WriteJSONL(&buf)
			t.Fatalf("history %d: %v\n%s", i, err, buf.String())
		}
		if lin.Linearizable == nil {
			t.Fatalf("history %d: porcupine did not answer", i)
		}
		verdicts[*lin.Linearizable]++
	}
	t.Logf("verdicts %v; %d histories read records again with poll-continues on", verdicts, rereads)
	if rereads < 300 {
		t.Errorf("only %d of 3000 histories reread records with poll-continues on: the position check does not bite", rereads)
	}
	if verdicts[true] < 500 || verdicts[false] < 500 {
		t.Errorf("verdicts %v: the generator should give both, hundreds of each", verdicts)
	}
}

// randomHistory simulates procs processes on one key's log for steps
// steps: sends that take effect at a random instant (or never: info),
// polls that see the log's length as their high watermark, and, one time
// in two, a poll's high watermark or a send's offset off by one.
func randomHistory(r *rand.Rand, procs, steps int) *ClientHistory {
	return simulatedHistory(r, procs, steps, r.IntN(2) == 0)
}

// simulatedHistory is randomHistory, told whether to lie.
func simulatedHistory(r *rand.Rand, procs, steps int, lie bool) *ClientHistory {
	b := new(builder)
	type pending struct {
		f       string
		value   int64
		applied bool
		offset  int64
		hw      int64
	}
	open := map[int64]*pending{}
	var log []int64
	next := int64(1)
	for s := 0; s < steps; s++ {
		p := int64(r.IntN(procs))
		op := open[p]
		switch {
		case op == nil && r.IntN(2) == 0:
			open[p] = &pending{f: FSend, value: next}
			b.ev(p, Invoke, FSend, snd(0, next))
			next++
		case op == nil:
			open[p] = &pending{f: FPoll, hw: -1}
			b.ev(p, Invoke, FPoll, Mop{F: FPoll})
		case op.f == FSend && !op.applied && r.IntN(2) == 0:
			op.applied, op.offset = true, int64(len(log))
			log = append(log, op.value)
		case op.f == FPoll && op.hw < 0 && r.IntN(2) == 0:
			op.hw = int64(len(log))
		case op.f == FSend && op.applied:
			off := op.offset
			if lie && r.IntN(3) == 0 {
				off = int64(r.IntN(len(log) + 1))
			}
			b.ev(p, OK, FSend, sent(0, off, op.value))
			delete(open, p)
		case op.f == FSend && r.IntN(3) == 0:
			b.ev(p, Info, FSend, snd(0, op.value))
			delete(open, p)
		case op.f == FPoll && op.hw >= 0:
			hw := op.hw
			if lie && r.IntN(3) == 0 {
				hw = max(0, hw+int64(r.IntN(3))-1)
			}
			from := max(0, hw-int64(r.IntN(8))) // a consumer reads a few records at a time
			var pairs []int64
			for o := from; o < hw && o < int64(len(log)); o++ {
				pairs = append(pairs, o, log[o])
			}
			b.ev(p, OK, FPoll, withHW(polled(0, pairs...), hw))
			delete(open, p)
		}
	}
	return b.history()
}
