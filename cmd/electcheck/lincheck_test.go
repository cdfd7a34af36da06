package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The sample histories: exit codes and the JSON contract (result,
// anomalies, linearizable, each checker's verdict).
func TestLincheckSamples(t *testing.T) {
	cases := []struct {
		file         string
		code         int
		result       string
		linearizable *bool
		anomaly      string
	}{
		{"clean.jsonl", exitOK, "ok", ptr(true), ""},
		{"jepsen-kafka.edn", exitOK, "ok", ptr(true), ""},
		{"lost-write.jsonl", exitViolation, "not-linearizable", ptr(false), "lost-write"},
		{"hw-backwards.jsonl", exitViolation, "not-linearizable", ptr(false), ""},
		// A first poll after a seek to the beginning that skips offset 0.
		{"seek-skip.edn", exitViolation, "not-linearizable", ptr(false), ""},
		{"seek-skip.edn --assume seek-start=false", exitOK, "ok", ptr(true), ""},
		// Maelstrom's kafka workload's shape: string keys, crashing clients.
		{"maelstrom-shaped.edn", exitOK, "ok", ptr(true), ""},
		// Its lost write is also skipped inside a poll (int-poll-skip).
		{"maelstrom-shaped-lost-write.edn", exitViolation, "not-linearizable", ptr(false), "lost-write"},
		{"maelstrom-shaped-lost-write.edn --assume poll-continues=false", exitViolation, "anomalies", ptr(true), "lost-write"},
	}
	for _, c := range cases {
		file, assume, _ := strings.Cut(c.file, " ")
		args := append([]string{"lincheck", "--format", "json"}, strings.Fields(assume)...)
		stdout, stderr, code := runCLI(append(args, filepath.Join("../../testdata/histories", file))...)
		if code != c.code {
			t.Errorf("%s: exit %d, want %d: %s", c.file, code, c.code, stderr)
			continue
		}
		var rep struct {
			Result       string                       `json:"result"`
			Anomalies    map[string][]json.RawMessage `json:"anomalies"`
			Linearizable *bool                        `json:"linearizable"`
			Checkers     struct{ Fast, Porcupine string }
		}
		if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
			t.Fatal(err)
		}
		if rep.Result != c.result || rep.Linearizable == nil || *rep.Linearizable != *c.linearizable || rep.Checkers.Fast != rep.Checkers.Porcupine {
			t.Errorf("%s: %+v", c.file, rep)
		}
		if c.anomaly != "" && len(rep.Anomalies[c.anomaly]) == 0 {
			t.Errorf("%s: no %s in %v", c.file, c.anomaly, rep.Anomalies)
		}
	}
	html := filepath.Join(t.TempDir(), "lin.html")
	if _, _, code := runCLI("lincheck", "--html", html, "../../testdata/histories/hw-backwards.jsonl"); code != exitViolation {
		t.Errorf("--html: exit %d", code)
	}
	if data, err := os.ReadFile(html); err != nil || !strings.Contains(string(data), "<html") {
		t.Errorf("--html wrote no visualisation: %v", err)
	}
}

func ptr(b bool) *bool { return &b }

func TestLincheckBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	hdr := `{"format":"electcheck-history","version":1}` + "\n"
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"lincheck"}, "takes one history file"},
		{[]string{"lincheck", filepath.Join(dir, "none.jsonl")}, "cannot read the history"},
		{[]string{"lincheck", write("a.jsonl", hdr+"{\"index\":0,\n")}, "a.jsonl:2: not an event"},
		{[]string{"lincheck", write("b.jsonl", hdr+`{"index":0,"time":0,"type":"invoke","process":0,"f":"read","value":[]}`+"\n")}, `b.jsonl:2: unknown f "read"`},
		{[]string{"lincheck", write("c.jsonl", hdr+`{"index":0,"time":0,"type":"ok","process":0,"f":"poll","value":[["poll",{}]]}`+"\n")}, "c.jsonl:2: a completion (ok poll) without its invocation"},
		{[]string{"lincheck", write("d.edn", "{:index 0 :time 0 :type :invoke\n")}, "d.edn:1: not an EDN form"},
		{[]string{"lincheck", "--format", "xml", "x"}, "--format must be text or json"},
		{[]string{"lincheck", "--input", "csv", write("e.jsonl", hdr)}, "--input must be auto, jsonl or edn"},
		{[]string{"lincheck", "--assume", "bogus=false", "x"}, `--assume: unknown assumption "bogus": use seek-start or poll-continues`},
		{[]string{"lincheck", "--assume", "seek-start", "x"}, `--assume takes NAME=false or NAME=true, not "seek-start"`},
		// Adversarial input: two million nested vectors in a value, four and
		// a half million in a field the reader ignores (each once overflowed
		// the stack), a JSON value nested as deep, and a megabyte of a key
		// quoted back: one short line each.
		{[]string{"lincheck", write("deep.edn", `{:index 0, :time 1, :type :invoke, :process 0, :f :send, :value [[:send 1 `+
			strings.Repeat("[", 2_000_000)+strings.Repeat("]", 2_000_000)+"]]}\n")}, "deep.edn:1: collections nested more than 100 deep"},
		{[]string{"lincheck", write("junk.edn", `{:index 0, :time 1, :type :invoke, :process 0, :f :send, :value [[:send 1 2]], :junk `+
			strings.Repeat("[", 4_500_000)+strings.Repeat("]", 4_500_000)+"}\n")}, "junk.edn:1: collections nested more than 100 deep"},
		{[]string{"lincheck", write("deep.jsonl", hdr+`{"index":0,"time":0,"type":"invoke","process":0,"f":"send","value":[["send",1,`+
			strings.Repeat("[", 2_000_000)+strings.Repeat("]", 2_000_000)+"]]}\n")}, "deep.jsonl:2: not an event"},
		{[]string{"lincheck", write("wide.edn", `{:index 0, :time 1, :type :invoke, :process 0, :f :send, :value [[:send 1 {`+
			strings.Repeat(":a ", 500_000)+"}]]}\n")}, "wide.edn:1: "},
	}
	for _, c := range cases {
		stdout, stderr, code := runCLI(c.args...)
		if code != exitUsage || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, c.want) || stdout != "" || len(stderr) > 400 {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and one line mentioning %q", c.args, code, stderr, c.want)
		}
	}
}

// check --history-out writes the counterexample's client history, which
// lincheck flags: the unclean election's lost record is unseen.
func TestHistoryOut(t *testing.T) {
	path := filepath.Join(t.TempDir(), "h.jsonl")
	if _, _, code := runCLI("check", "--unclean-leader-election", "--invariants", "committed-offsets-preserved", "--history-out", path); code != exitViolation {
		t.Fatalf("check: exit %d", code)
	}
	stdout, _, code := runCLI("lincheck", "--format", "json", path)
	if code != exitViolation || !strings.Contains(stdout, `"unseen"`) {
		t.Errorf("lincheck: exit %d\n%s", code, stdout)
	}
	if _, stderr, code := runCLI("check", "--model", "tla-replication", "--history-out", path); code != exitUsage || !strings.Contains(stderr, "only the kafka model has clients") {
		t.Errorf("tla-replication: exit %d, %q", code, stderr)
	}
}

// Jepsen's cycle cases and its empty history, through the command: exit
// 1 where Jepsen finds the history invalid, with the line that says why;
// the G0 and the ww-deps G1c are informational, as in Jepsen.
func TestLincheckCyclesAndEmpty(t *testing.T) {
	dir := "../../testdata/histories/jepsen"
	cases := []struct {
		args          []string
		code          int
		anomaly       string
		informational bool
		line          string
	}{
		{[]string{"empty-history-test.edn"}, exitViolation, "empty-transaction-graph", false, "the history has no send, poll or txn operation"},
		{[]string{"g1c-pure-wr-test.edn"}, exitViolation, "G1c", false, "op 3 (process 1's txn) polled it (wr)"},
		{[]string{"--ww-deps", "g1c-ww-wr-test.edn"}, exitViolation, "G1c", true, "sent 3 there next at offset 2 (ww)"},
		{[]string{"--ww-deps", "g0-test.edn"}, exitViolation, "G0", true, "a cycle of 2 operations (events 2, 3):"},
	}
	for _, c := range cases {
		args := append([]string{"lincheck"}, c.args...)
		args[len(args)-1] = filepath.Join(dir, args[len(args)-1])
		text, stderr, code := runCLI(args...)
		if code != c.code || !strings.Contains(text, c.line) {
			t.Errorf("%v: exit %d (want %d), no %q in:\n%s%s", c.args, code, c.code, c.line, text, stderr)
		}
		stdout, _, _ := runCLI(append([]string{"lincheck", "--format", "json"}, args[1:]...)...)
		var rep struct {
			Anomalies     map[string][]json.RawMessage `json:"anomalies"`
			Informational []string                     `json:"informational"`
		}
		if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
			t.Fatal(err)
		}
		informational := strings.Contains(strings.Join(rep.Informational, " "), c.anomaly)
		if len(rep.Anomalies[c.anomaly]) != 1 || informational != c.informational {
			t.Errorf("%v: %s %d witnesses, informational %v: %s", c.args, c.anomaly, len(rep.Anomalies[c.anomaly]), rep.Informational, stdout)
		}
	}
}
