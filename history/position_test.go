package history

import (
	"strings"
	"testing"
	"time"
)

// assign has process p assign itself keys, seeking to the beginning.
func (b *builder) assign(p int64, seek bool, keys ...int64) *builder {
	for _, typ := range []OpType{Invoke, OK} {
		n := int64(len(b.ops))
		b.ops = append(b.ops, ClientOp{Index: n, Time: n, Type: typ, Process: p, F: FAssign, Keys: keys, SeekToBeginning: seek})
	}
	return b
}

// Polls start at their consumer's position: the log's start after a seek
// to the beginning, the record after the last one read otherwise. Each
// case is judged with every assumption on, and with the one it breaks
// off (then the rest of the history is linearizable).
func TestConsumerPosition(t *testing.T) {
	// Values 1, 2, 3 at offsets 0, 1, 2 of key 0, sent by process 0.
	sends := func() *builder { return new(builder).send(0, 0, 1, 0).send(0, 0, 2, 1).send(0, 0, 3, 2) }
	cases := []struct {
		name   string
		b      *builder
		broken string // the assumption it breaks, or ""
		says   string
	}{
		{"first poll after the seek skips offset 0", sends().assign(1, true, 0).poll(1, 0, 1, 2, 2, 3),
			"seek-start", "started at offset 1, but its consumer stood at offset 0, the log's start"},
		{"first poll after the seek starts at the log's start", sends().assign(1, true, 0).poll(1, 0, 0, 1, 1, 2), "", ""},
		{"a poll skips what the last one left", sends().assign(1, true, 0).poll(1, 0, 0, 1).poll(1, 0, 2, 3).poll(2, 0, 1, 2),
			"poll-continues", "skipping 1 record"},
		{"a poll reads again what the last one read", sends().assign(1, true, 0).poll(1, 0, 0, 1, 1, 2).poll(1, 0, 1, 2, 2, 3),
			"poll-continues", "reading 1 record again"},
		// Inside one poll, each record follows the one before.
		{"a poll skips a record inside itself", sends().poll(1, 0, 0, 1, 2, 3).poll(2, 0, 1, 2),
			"poll-continues", "read offset 0 then offset 2, skipping 1 record"},
		{"a poll goes back inside itself", sends().poll(1, 0, 1, 2, 0, 1),
			"poll-continues", "read offset 1 then offset 0, reading 2 records again"},
		{"polls continue", sends().assign(1, true, 0).poll(1, 0, 0, 1).poll(1, 0, 1, 2).poll(1, 0, 2, 3), "", ""},
		// Without the seek, or after a new assign, the position is not known.
		{"no seek: a first poll anywhere", sends().assign(1, false, 0).poll(1, 0, 2, 3).poll(2, 0, 0, 1, 1, 2), "", ""},
		{"a new assign forgets the position", sends().assign(1, true, 0).poll(1, 0, 0, 1).assign(1, false, 0).poll(1, 0, 2, 3).poll(2, 0, 1, 2), "", ""},
		{"a crash forgets it", sends().assign(1, true, 0).poll(1, 0, 0, 1).ev(1, Invoke, FCrash).ev(1, Info, FCrash).poll(1, 0, 2, 3).poll(2, 0, 1, 2), "", ""},
	}
	for _, c := range cases {
		ops, err := c.b.history().Pair()
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		lin, err := Linearize(ops, 10*time.Second)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := *lin.Linearizable; got != (c.broken == "") || !strings.Contains(lin.Reason, c.says) {
			t.Errorf("%s: linearizable %t (%s); want %t, saying %q", c.name, got, lin.Reason, c.broken == "", c.says)
		}
		if c.broken == "" {
			continue
		}
		var as Assumptions
		if err := as.ParseAssumption(c.broken, false); err != nil {
			t.Fatal(err)
		}
		if lin, err := LinearizeWith(ops, LinOptions{Timeout: 10 * time.Second, Assume: as}); err != nil || !*lin.Linearizable {
			t.Errorf("%s: with %s off, linearizable %v (%s), %v; want true", c.name, c.broken, lin.Linearizable, lin.Reason, err)
		}
	}
	var as Assumptions
	if err := as.ParseAssumption("no-such", false); err == nil || !strings.Contains(err.Error(), "seek-start or poll-continues") {
		t.Errorf("an unknown assumption: %v", err)
	}
}
