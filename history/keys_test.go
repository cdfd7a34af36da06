package history

import (
	"encoding/json"
	"strings"
	"testing"
)

// Keys as Maelstrom's kafka workload writes them (strings), as keywords,
// and as integers, side by side: each is read, kept apart from the others
// (the string "7" is not the integer 7), and written as it was in every
// message and in JSON.
func TestKeysAsWritten(t *testing.T) {
	edn := `{:index 0, :time 1, :type :invoke, :process 0, :f :send, :value [[:send "7" 1] [:send :k 2] [:send 7 3]]}
{:index 1, :time 2, :type :ok, :process 0, :f :send, :value [[:send "7" [0 1]] [:send :k [0 2]] [:send 7 [0 3]]]}
{:index 2, :time 3, :type :invoke, :process 1, :f :poll, :value [[:poll]]}
{:index 3, :time 4, :type :ok, :process 1, :f :poll, :value [[:poll {"7" [[0 1]], :k [], 7 [[0 3]]}]]}
`
	h, err := ReadEDN([]byte(edn), "maelstrom")
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, k := range h.Keys() {
		texts = append(texts, KeyText(k))
	}
	if got := strings.Join(texts, " "); got != `7 "7" :k` {
		t.Errorf("keys %s, want 7 \"7\" :k (integers first, then names by their text)", got)
	}
	ops, err := h.Pair()
	if err != nil {
		t.Fatal(err)
	}
	// The poll read "7" and 7 whole and :k empty: value 2, acknowledged on
	// :k, is unseen, and nothing else is wrong.
	found := false
	all := Analyze(ops)
	if len(all) != 1 || all[0].Name != "unseen" {
		t.Errorf("anomalies %+v, want one: unseen on :k", all)
	}
	for _, x := range all {
		b, err := json.Marshal(x)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(x.Says, "key :k") {
			found = true
			if !strings.Contains(string(b), `"key":":k"`) {
				t.Errorf("%s's JSON does not carry the key as written: %s", x.Name, b)
			}
		}
		if strings.Contains(x.Says, "key -") || strings.Contains(x.Says, "key 922") {
			t.Errorf("%s names a key by its id: %s", x.Name, x.Says)
		}
	}
	if !found {
		t.Errorf("no anomaly on key :k, whose acknowledged value 2 was never read: %+v", Analyze(ops))
	}
}

// Bad keys are refused with a line saying what a key may be.
func TestKeysRefused(t *testing.T) {
	for in, want := range map[string]string{
		`[[:send [1 2] 5]]`:                               "a key is a scalar",
		`[[:send -9000000000000000000 5]]`:                "least integer key",
		`[[:send "` + strings.Repeat("x", 2000) + `" 5]]`: "keys are at most",
	} {
		line := `{:index 0, :time 1, :type :invoke, :process 0, :f :send, :value ` + in + `}`
		_, err := ReadEDN([]byte(line), "bad")
		if err == nil || !strings.Contains(err.Error(), want) || len(err.Error()) > 300 {
			t.Errorf("%.60s: error %v, want one short line containing %q", in, err, want)
		}
	}
}
