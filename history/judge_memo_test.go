package history

import (
	"bytes"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"
)

// memoHistories are the histories the memo's tests judge: seeded random
// single-key ones (clean and made wrong) and every Jepsen case, cycles
// included.
func memoHistories(tb testing.TB) []*ClientHistory {
	tb.Helper()
	r := rand.New(rand.NewPCG(20261207, 1))
	var hs []*ClientHistory
	for range 300 {
		hs = append(hs, randomHistory(r, 1+r.IntN(6), 10+r.IntN(40)))
	}
	files, err := filepath.Glob(filepath.Join("..", "testdata", "histories", "jepsen", "*.edn"))
	if err != nil || len(files) < 30 {
		tb.Fatalf("Jepsen's cases: %d files, %v", len(files), err)
	}
	for _, f := range files {
		hs = append(hs, loadJepsen(tb, filepath.Base(f)))
	}
	return hs
}

// retimed is h with new times, in the same order, with gaps drawn from r
// (0 included): a history the memo treats as h.
func retimed(r *rand.Rand, h *ClientHistory) *ClientHistory {
	out := &ClientHistory{Ops: slices.Clone(h.Ops), Source: h.Source}
	t := int64(r.IntN(1000))
	for i := range out.Ops {
		t += int64(r.IntN(3)) * int64(1+r.IntN(1e6))
		out.Ops[i].Time = t
	}
	return out
}

// clearTimes zeroes what a verdict measures of the clock.
func clearTimes(lin *Linearizability) *Linearizability {
	c := *lin
	c.PorcupineTime = 0
	c.Keys = append([]KeyVerdict(nil), lin.Keys...)
	for i := range c.Keys {
		c.Keys[i].PorcupineTime = 0
	}
	return &c
}

// No verdict reads an event's time (what lets a Judge treat histories
// that differ only in their times as one): every check, with every
// dependency kind and order, gives the same on each history retimed.
func TestVerdictsIgnoreTime(t *testing.T) {
	r := rand.New(rand.NewPCG(20261207, 2))
	all := []AnalyzeOptions{{}, {WWDeps: true, RWDeps: true}, {RWDeps: true, Order: OrderProcess}}
	anomalous := 0
	for i, h := range memoHistories(t) {
		ops, err := h.Pair()
		if err != nil {
			t.Fatalf("history %d: %v", i, err)
		}
		again, err := retimed(r, h).Pair()
		if err != nil {
			t.Fatalf("history %d retimed: %v", i, err)
		}
		for _, o := range all {
			want := AnalyzeWith(ops, o)
			if got := AnalyzeWith(again, o); !reflect.DeepEqual(got, want) {
				t.Errorf("%s with %+v: %v, retimed %v", h.Source, o, want, got)
			}
			if len(want) > 0 {
				anomalous++
			}
		}
		want, werr := Linearize(ops, time.Minute)
		got, gerr := Linearize(again, time.Minute)
		if (werr == nil) != (gerr == nil) || werr == nil && !reflect.DeepEqual(clearTimes(got), clearTimes(want)) {
			t.Errorf("%s: linearizability %+v (%v), retimed %+v (%v)", h.Source, want, werr, got, gerr)
		}
	}
	if anomalous < 100 {
		t.Errorf("only %d analyses found an anomaly: too few to show times play no part", anomalous)
	}
}

// A Judge that remembers says what one that does not says, on histories
// that repeat retimed, with a memory large or cleared as it fills; and it
// does answer repeats from memory.
func TestJudgeRemembers(t *testing.T) {
	r := rand.New(rand.NewPCG(20261207, 3))
	hs := memoHistories(t)
	var seq []*ClientHistory
	for range 3 * len(hs) {
		seq = append(seq, retimed(r, hs[r.IntN(len(hs))]))
	}
	for _, remember := range []int{1 << 20, 16} {
		plain, memo := Judge{Timeout: time.Minute}, Judge{Timeout: time.Minute, Remember: remember}
		for i, h := range seq {
			ops, err := h.Pair()
			if err != nil {
				t.Fatal(err)
			}
			wantA, wantL, werr := plain.Check(ops)
			gotA, gotL, gerr := memo.Check(ops)
			if (werr == nil) != (gerr == nil) || !reflect.DeepEqual(gotA, wantA) ||
				werr == nil && !reflect.DeepEqual(clearTimes(gotL), clearTimes(wantL)) {
				t.Fatalf("remember %d, history %d (%s): %v %+v, remembering %v %+v", remember, i, h.Source, wantA, wantL, gotA, gotL)
			}
		}
		if memo.Repeats() == 0 || plain.Repeats() != 0 {
			t.Errorf("remember %d: %d of %d histories from memory, %d without memory", remember, memo.Repeats(), len(seq), plain.Repeats())
		}
		if remember == 16 && len(memo.memo) > 16 {
			t.Errorf("a memory of 16 holds %d verdicts", len(memo.memo))
		}
		t.Logf("remember %d: %d of %d histories answered from memory", remember, memo.Repeats(), len(seq))
	}
}

// The memo's key tells apart two events that differ in any field of
// ClientOp, of its micro-operations, reads and records, but Time: a field
// added to them and left out of the key fails here.
func TestMemoKeyCoversClientOp(t *testing.T) {
	base := func() ClientOp {
		return ClientOp{Index: 3, Time: 9, Type: OK, Process: 2, F: FTxn, Keys: []int64{1}, Rebalanced: []int64{2}, Line: 4,
			Mops: []Mop{{F: FPoll, Key: 1, Value: 2, Offset: 3, Done: true,
				Reads: []KeyRead{{Key: 1, HW: 5, Records: []Record{{Offset: 0, Value: 7}}}}}}}
	}
	key := func(e ClientOp) []byte { return appendMemoKey(nil, []Operation{{Call: &e}}) }
	ref := key(base())
	e := base()
	changed := 0
	// change makes each field of v (a struct) differ in turn, walking into
	// slices of structs, and requires the key of the changed event to
	// differ (or not, for Time).
	var change func(v reflect.Value, path string)
	change = func(v reflect.Value, path string) {
		for i := range v.NumField() {
			f, name := v.Field(i), path+v.Type().Field(i).Name
			if !f.CanSet() {
				t.Fatalf("%s is unexported: the memo key cannot be tested on it", name)
			}
			old := reflect.New(f.Type()).Elem()
			old.Set(f)
			switch f.Kind() {
			case reflect.Int64, reflect.Int:
				f.SetInt(f.Int() + 1)
			case reflect.String:
				f.SetString(f.String() + "x")
			case reflect.Bool:
				f.SetBool(!f.Bool())
			case reflect.Slice:
				if f.Type().Elem().Kind() == reflect.Struct {
					change(f.Index(0), name+".")
				}
				f.Set(reflect.Append(f, reflect.New(f.Type().Elem()).Elem()))
			default:
				t.Fatalf("%s: a %s field the test does not know how to change", name, f.Kind())
			}
			if differs := !bytes.Equal(key(e), ref); differs != (name != "Time") {
				t.Errorf("changing %s: key differs %v", name, differs)
			}
			changed++
			f.Set(old)
		}
	}
	change(reflect.ValueOf(&e).Elem(), "")
	if changed < 20 {
		t.Errorf("only %d fields changed", changed)
	}
}

// A remembered verdict holds nothing of the history it came from: simulate
// builds each walk's history in memory it reuses, so a verdict that shared
// a slice with one would change as the next walks are built. Each history
// is judged, then every value in it overwritten, then a copy judged again
// from memory: the verdict is still the copy's own.
func TestRememberedVerdictsOwnTheirMemory(t *testing.T) {
	for _, h := range memoHistories(t) {
		work := deepClone(h)
		ops, err := work.Pair()
		if err != nil {
			t.Fatal(err)
		}
		memo := Judge{Timeout: time.Minute, Remember: 16}
		memo.Check(ops)
		for i := range work.Ops {
			e := &work.Ops[i]
			e.Process = 4242
			for j := range e.Keys {
				e.Keys[j] = 999
			}
			for j := range e.Mops {
				m := &e.Mops[j]
				m.Key, m.Value, m.Offset = 999, 777, 777
				for r := range m.Reads {
					m.Reads[r].Key = 999
					for x := range m.Reads[r].Records {
						m.Reads[r].Records[x] = Record{Offset: 555, Value: 555}
					}
				}
			}
		}
		fresh, err := deepClone(h).Pair()
		if err != nil {
			t.Fatal(err)
		}
		gotA, gotL, _ := memo.Check(fresh)
		if memo.Repeats() != 1 {
			t.Fatalf("%s: judged again, not answered from memory", h.Source)
		}
		plain := Judge{Timeout: time.Minute}
		wantA, wantL, _ := plain.Check(fresh)
		if !reflect.DeepEqual(gotA, wantA) || !reflect.DeepEqual(clearTimes(gotL), clearTimes(wantL)) {
			t.Errorf("%s: the remembered verdict changed with the history it came from:\n%v\n%v", h.Source, gotA, wantA)
		}
	}
}

// deepClone copies h and every slice it holds.
func deepClone(h *ClientHistory) *ClientHistory {
	out := &ClientHistory{Ops: slices.Clone(h.Ops), Source: h.Source}
	for i := range out.Ops {
		e := &out.Ops[i]
		e.Keys, e.Rebalanced, e.Mops = slices.Clone(e.Keys), slices.Clone(e.Rebalanced), slices.Clone(e.Mops)
		for j := range e.Mops {
			m := &e.Mops[j]
			m.Reads = slices.Clone(m.Reads)
			for r := range m.Reads {
				m.Reads[r].Records = slices.Clone(m.Reads[r].Records)
			}
		}
	}
	return out
}
