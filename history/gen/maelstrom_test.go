package gen

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"electcheck/history"
)

var update = flag.Bool("update", false, "rewrite testdata/histories/maelstrom-*.edn from the generator")

// A Maelstrom-shaped history (string keys, no transactions, crashing
// clients) is judged as the same history with integer keys is: the same
// anomalies, key for key, and the same linearizability, clean and with
// each injection that needs no transaction; every key is written as the
// string it was, in the history file and in each anomaly's key.
func TestMaelstromShaped(t *testing.T) {
	for _, inject := range []string{"", "lost-write", "duplicate", "inconsistent-offsets", "poll-skip", "nonmonotonic-poll", "G1a", "unseen"} {
		var specs [2]Spec
		for i, strs := range []bool{false, true} {
			specs[i] = Maelstrom(5)
			specs[i].Ops, specs[i].StringKeys = 2000, strs
			if inject != "" {
				specs[i].Inject = []string{inject}
			}
		}
		ints, err := Generate(specs[0])
		if err != nil {
			t.Fatal(err)
		}
		strs, err := Generate(specs[1])
		if err != nil {
			t.Fatal(err)
		}
		var file bytes.Buffer
		if err := strs.WriteEDN(&file); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(file.String(), `[:send "3" `) || !strings.Contains(file.String(), ":f :crash") || strings.Contains(file.String(), ":f :txn") {
			t.Fatalf("%s: not Maelstrom's shape:\n%.400s", inject, file.String())
		}
		back, err := history.ReadEDN(file.Bytes(), "maelstrom")
		if err != nil {
			t.Fatal(err)
		}
		wantA, wantL := judge(t, ints)
		gotA, gotL := judge(t, back)
		if len(gotA) != len(wantA) {
			t.Fatalf("%s: %d anomalies with string keys, %d with integers", inject, len(gotA), len(wantA))
		}
		found := false
		for i := range gotA {
			g, w := gotA[i], wantA[i]
			if g.Name != w.Name || history.KeyText(g.Key) != `"`+history.KeyText(w.Key)+`"` || !slices.Equal(g.Values, w.Values) {
				t.Errorf("%s: %s on key %s, with integer keys %s on %s", inject, g.Name, history.KeyText(g.Key), w.Name, history.KeyText(w.Key))
			}
			found = found || g.Name == inject
		}
		if inject != "" && !found {
			t.Errorf("injected %s, found %v", inject, gotA)
		}
		if *gotL.Linearizable != *wantL.Linearizable || gotL.Fast != wantL.Fast {
			t.Errorf("%s: linearizable %v (%s) with string keys, %v (%s) with integers", inject, *gotL.Linearizable, gotL.Reason, *wantL.Linearizable, wantL.Reason)
		}
		if inject == "" && !*gotL.Linearizable {
			t.Errorf("a clean Maelstrom-shaped history is not linearizable: %s", gotL.Reason)
		}
	}
}

// The sample files in testdata/histories are the generator's, as they
// say in their header (go test ./history/gen -run MaelstromSamples -update).
func TestMaelstromSamples(t *testing.T) {
	for _, c := range []struct {
		file   string
		inject []string
	}{{"maelstrom-shaped.edn", nil}, {"maelstrom-shaped-lost-write.edn", []string{"lost-write"}}} {
		s := Maelstrom(1)
		s.Ops, s.Inject = 300, c.inject
		h, err := Generate(s)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		b.WriteString(maelstromHeader(c.inject))
		if err := h.WriteEDN(&b); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join("..", "..", "testdata", "histories", c.file)
		if *update {
			if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		old, err := os.ReadFile(path)
		if err != nil || !bytes.Equal(old, b.Bytes()) {
			t.Errorf("%s is not the generator's (%v): go test ./history/gen -run MaelstromSamples -update", c.file, err)
		}
	}
}

func maelstromHeader(inject []string) string {
	h := `; A history in the shape a run of Maelstrom's kafka workload writes
; (maelstrom.workload.kafka: Jepsen's Kafka generator without transactions,
; consumers that assign with a seek to the beginning, clients that crash and
; come back as new processes, every key rewritten as a string). It is made
; by electcheck's generator (history/gen, Maelstrom(1) with 300
; operations), not taken from a real run: no published Maelstrom kafka
; history could be found, and Maelstrom cannot be run here.
`
	if len(inject) > 0 {
		h += "; Injected: " + strings.Join(inject, ", ") + " (history/gen's injections).\n"
	}
	return h
}
