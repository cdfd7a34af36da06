package history

import (
	"math/rand/v2"
	"testing"
	"time"
)

// Porcupine checks each key within the timeout on its own: a key it
// cannot decide in time (one of 64 concurrent clients, which takes it
// seconds) leaves another key decided, and a second key that is not
// linearizable makes the history not linearizable, undecided key or not.
func TestPorcupinePerKey(t *testing.T) {
	heavy := simulatedHistory(rand.New(rand.NewPCG(1, 1)), 64, 3_200, false)
	for _, c := range []struct {
		name  string
		light *builder
		want  *bool
	}{
		{"a light key that is linearizable", new(builder).send(100, 1, 1, 0).poll(101, 1, 0, 1), nil},
		{"a light key that is not", new(builder).send(100, 1, 1, 0).send(100, 1, 2, 1).
			ev(101, Invoke, FPoll, Mop{F: FPoll}).ev(101, OK, FPoll, withHW(polled(1, 0, 1, 1, 2), 2)).
			ev(102, Invoke, FPoll, Mop{F: FPoll}).ev(102, OK, FPoll, withHW(polled(1, 0, 1), 1)), ptr(false)},
	} {
		h := &ClientHistory{Ops: append(append([]ClientOp(nil), heavy.Ops...), c.light.ops...)}
		for i := range h.Ops {
			h.Ops[i].Index = int64(i)
		}
		ops, err := h.Pair()
		if err != nil {
			t.Fatal(err)
		}
		lin, err := LinearizeWith(ops, LinOptions{Timeout: 50 * time.Millisecond, Assume: Assumptions{NoSeekStart: true, NoPollContinues: true}})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if len(lin.Keys) != 2 || lin.Keys[0].Porcupine != "unknown" || lin.Keys[1].Porcupine == "unknown" {
			t.Fatalf("%s: key verdicts %+v: want key 0 undecided in 50 ms, key 1 decided", c.name, lin.Keys)
		}
		if lin.Keys[1].Porcupine != lin.Keys[1].Fast {
			t.Errorf("%s: key 1: porcupine %s, fast %s", c.name, lin.Keys[1].Porcupine, lin.Keys[1].Fast)
		}
		if (lin.Linearizable == nil) != (c.want == nil) || c.want != nil && *lin.Linearizable != *c.want {
			t.Errorf("%s: linearizable %v, want %v (porcupine %s)", c.name, lin.Linearizable, c.want, lin.Porcupine)
		}
	}
}

func ptr[T any](v T) *T { return &v }
