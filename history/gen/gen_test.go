package gen

import (
	"bytes"
	"reflect"
	"slices"
	"testing"
	"time"

	"electcheck/history"
)

func small(seed uint64, inject ...string) Spec {
	return Spec{Seed: seed, Ops: 3000, Keys: 12, Processes: 6, Txn: 0.2, MaxTxn: 4, Info: 0.03, Fail: 0.02, Crash: 0.005, Inject: inject}
}

func judge(tb testing.TB, h *history.ClientHistory) ([]history.Anomaly, *history.Linearizability) {
	tb.Helper()
	ops, err := h.Pair()
	if err != nil {
		tb.Fatal(err)
	}
	lin, err := history.Linearize(ops, 20*time.Second)
	if err != nil {
		tb.Fatal(err)
	}
	return history.Analyze(ops), lin
}

// With nothing injected a history is clean: no anomaly Jepsen counts
// (int-send-skip is informational) and linearizable, on every seed; and
// it holds what makes it Jepsen-shaped: transactions, indeterminate and
// failed operations, crashes, every key read.
func TestCleanHistories(t *testing.T) {
	for seed := range uint64(8) {
		h, err := Generate(small(seed))
		if err != nil {
			t.Fatal(err)
		}
		all, lin := judge(t, h)
		for _, x := range all {
			if !history.Informational(x.Name, false) {
				t.Errorf("seed %d: %s: %s", seed, x.Name, x.Says)
			}
		}
		if lin.Linearizable == nil || !*lin.Linearizable {
			t.Errorf("seed %d: not linearizable: %s", seed, lin.Reason)
		}
		kinds := map[string]int{}
		for _, e := range h.Ops {
			if e.Type != history.Invoke {
				kinds[string(e.Type)+" "+e.F]++
			}
		}
		for _, k := range []string{"ok txn", "ok send", "ok poll", "info send", "fail send", "info crash", "ok assign"} {
			if kinds[k] == 0 {
				t.Errorf("seed %d: no %s in %v", seed, k, kinds)
			}
		}
		if got := len(h.Keys()); got != 12 {
			t.Errorf("seed %d: %d keys touched, want 12", seed, got)
		}
	}
}

// Each injection shows its anomaly.
func TestInjections(t *testing.T) {
	for _, name := range Injections {
		h, err := Generate(small(3, name))
		if err != nil {
			t.Fatal(err)
		}
		all, _ := judge(t, h)
		ops, _ := h.Pair()
		switch name {
		case "G0": // found with ww dependencies drawn (Jepsen's :ww-deps)
			all = history.AnalyzeWith(ops, history.AnalyzeOptions{WWDeps: true})
		case "G-single-item", "G2-item":
			// Found with anti-dependencies drawn, which also find cycles
			// through polls that stopped short of the log's end (why
			// Jepsen never draws them): so on polls that read to the end,
			// where a clean history has none (TestFullPollsHaveNoRWCycles).
			s := small(3, name)
			s.FullPolls = true
			if h, err = Generate(s); err != nil {
				t.Fatal(err)
			}
			ops, _ = h.Pair()
			all = history.AnalyzeWith(ops, history.AnalyzeOptions{RWDeps: true})
		}
		var names []string
		for _, x := range all {
			names = append(names, x.Name)
		}
		if !slices.Contains(names, name) {
			t.Errorf("injected %s, found %v", name, names)
		}
	}
	if _, err := Generate(small(1, "G9")); err == nil {
		t.Errorf("an unknown injection was taken")
	}
}

// With polls that read to the end, anti-dependencies find no cycle in a
// clean history; with polls that stop short, they do (the reason Jepsen
// never draws them, and the reason the rw injections use FullPolls).
func TestFullPollsHaveNoRWCycles(t *testing.T) {
	for _, full := range []bool{true, false} {
		s := small(3)
		s.FullPolls = full
		h, err := Generate(s)
		if err != nil {
			t.Fatal(err)
		}
		ops, _ := h.Pair()
		cycles := 0
		for _, x := range history.AnalyzeWith(ops, history.AnalyzeOptions{RWDeps: true}) {
			if len(x.Steps) > 0 {
				cycles++
			}
		}
		if full != (cycles == 0) {
			t.Errorf("full polls %t: %d rw cycles", full, cycles)
		}
	}
}

// Same seed, same history, byte for byte; written as history.edn it reads
// back the same.
func TestDeterministicAndReadable(t *testing.T) {
	var out [2]bytes.Buffer
	for i := range out {
		h, err := Generate(small(42, "duplicate"))
		if err != nil {
			t.Fatal(err)
		}
		if err := h.WriteEDN(&out[i]); err != nil {
			t.Fatal(err)
		}
		back, err := history.ReadEDN(out[i].Bytes(), "gen")
		if err != nil {
			t.Fatal(err)
		}
		for j := range back.Ops {
			back.Ops[j].Line = 0
		}
		if !reflect.DeepEqual(normal(h.Ops), normal(back.Ops)) {
			t.Fatalf("the history does not read back the same")
		}
	}
	if !bytes.Equal(out[0].Bytes(), out[1].Bytes()) {
		t.Errorf("seed 42 made two different histories")
	}
}

// normal makes empty and nil slices alike.
func normal(ops []history.ClientOp) []history.ClientOp {
	out := slices.Clone(ops)
	for i := range out {
		if len(out[i].Mops) == 0 {
			out[i].Mops = nil
		}
		if len(out[i].Keys) == 0 {
			out[i].Keys = nil
		}
		out[i].Mops = slices.Clone(out[i].Mops)
		for j := range out[i].Mops {
			if len(out[i].Mops[j].Reads) == 0 {
				out[i].Mops[j].Reads = nil
			}
		}
	}
	return out
}
