package history

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Jepsen's own cycle cases (jepsen/test/jepsen/tests/kafka_test.clj),
// as history.edn files: the analysis must find exactly the cycle
// anomalies Jepsen asserts, through the operations it pins. Jepsen's
// tests look only at the cycle kind they name; the other anomalies these
// tiny histories show (unseen: no test polls everything) are pinned here
// too, so that a change to them is seen.
func TestJepsenCycleCases(t *testing.T) {
	cases := []struct {
		file string // and the deftest it comes from
		opts AnalyzeOptions
		// cycles: name -> the cycle's steps, "from>to kind key value next",
		// from its earliest operation.
		cycles map[string][]string
		// others: every anomaly found, with how many.
		others map[string]int
	}{
		{"g0-test.edn", AnalyzeOptions{WWDeps: true},
			// Jepsen: [wb' wa' wb'], y: b before a, x: a before b.
			map[string][]string{"G0": {"2>3 ww \":x\" 1 2", "3>2 ww \":y\" 2 1"}},
			map[string]int{"G0": 1, "unseen": 2}},
		{"g1c-pure-wr-test.edn", AnalyzeOptions{},
			// Jepsen: [t2' t1' t2'], t2 -wr y-> t1 -wr x-> t2.
			map[string][]string{"G1c": {"2>3 wr \":x\" 1 -", "3>2 wr \":y\" 2 -"}},
			map[string]int{"G1c": 1}},
		{"g1c-ww-wr-test.edn", AnalyzeOptions{WWDeps: true},
			// Jepsen: [t1' t2' t1'], t1 -wr x-> t2 -ww y (b before c)-> t1.
			map[string][]string{"G1c": {"2>3 wr \":x\" 1 -", "3>2 ww \":y\" 2 3"}},
			map[string]int{"G1c": 1, "unseen": 1}},
	}
	for _, c := range cases {
		as := readJepsen(t, c.file, c.opts)
		got := cyclesOf(as)
		if fmt.Sprint(got) != fmt.Sprint(c.cycles) {
			t.Errorf("%s: cycles %v, Jepsen asserts %v", c.file, got, c.cycles)
		}
		if got := names(as); fmt.Sprint(got) != fmt.Sprint(c.others) {
			t.Errorf("%s: anomalies %v, want %v", c.file, got, c.others)
		}
	}
	// The G1c of g1c-ww-wr-test needs ww edges, which Jepsen draws only
	// with :ww-deps: without them there is no cycle.
	if got := cyclesOf(readJepsen(t, "g1c-ww-wr-test.edn", AnalyzeOptions{})); len(got) != 0 {
		t.Errorf("g1c-ww-wr-test without ww-deps: cycles %v, want none", got)
	}
}

// deftest empty-history-test: an assign alone is not a valid history.
func TestJepsenEmptyHistory(t *testing.T) {
	as := readJepsen(t, "empty-history-test.edn", AnalyzeOptions{})
	if got := names(as); len(got) != 1 || got["empty-transaction-graph"] != 1 {
		t.Fatalf("anomalies %v, want empty-transaction-graph alone", got)
	}
	if Informational("empty-transaction-graph", false) {
		t.Error("empty-transaction-graph must count against a history")
	}
}

func readJepsen(t testing.TB, file string, opts AnalyzeOptions) []Anomaly {
	t.Helper()
	ops, err := loadJepsen(t, file).Pair()
	if err != nil {
		t.Fatal(err)
	}
	return AnalyzeWith(ops, opts)
}

// loadJepsen reads one of Jepsen's cases, testdata/histories/jepsen/file.
func loadJepsen(t testing.TB, file string) *ClientHistory {
	t.Helper()
	path := filepath.Join("..", "testdata", "histories", "jepsen", file)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	h, err := ReadEDN(data, path)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// cyclesOf lists each cycle anomaly's steps in a short form.
func cyclesOf(as []Anomaly) map[string][]string {
	out := map[string][]string{}
	for _, a := range as {
		if len(a.Steps) == 0 {
			continue
		}
		for _, s := range a.Steps {
			out[a.Name] = append(out[a.Name], stepWord(s))
		}
	}
	return out
}

func stepWord(s CycleStep) string {
	word := func(p *int64) string {
		if p == nil {
			return "-"
		}
		return fmt.Sprint(*p)
	}
	key := "-"
	if s.Key != nil {
		key = string(s.Key)
	}
	return strings.Join([]string{fmt.Sprintf("%d>%d", s.From, s.To), s.Type, key, word(s.Value), word(s.Next)}, " ")
}
