package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"electcheck/history"
	"electcheck/history/render"
)

const acks1Config = "../../testdata/configs/acks1-failover.properties"

// check --trace-out writes the counterexample; replay reproduces it.
func TestTraceOutReplays(t *testing.T) {
	out := filepath.Join(t.TempDir(), "acks1.json")
	_, stderr, code := runCLI("check", "--config", acks1Config, "--trace-out", out)
	if code != exitViolation {
		t.Fatalf("check: exit %d: %s", code, stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	f, err := history.ReadFile(data)
	if err != nil {
		t.Fatalf("--trace-out wrote an unreadable file: %v", err)
	}
	if f.Property != "acked-records-durable" || len(f.Steps) != 4 || f.Config["acks"] != "1" ||
		!strings.HasPrefix(f.Command, "electcheck check --acks 1") {
		t.Errorf("trace file: property %q, %d states, acks %q, command %q", f.Property, len(f.Steps), f.Config["acks"], f.Command)
	}
	stdout, stderr, code := runCLI("replay", out)
	if code != exitViolation || !strings.Contains(stdout, "still reproduces") || !strings.Contains(stdout, "step 3: detect 1 elect 2") {
		t.Errorf("replay: exit %d, stderr %q, stdout:\n%s", code, stderr, stdout)
	}
	// The JSON form says the same for scripts.
	stdout, _, code = runCLI("replay", "--format", "json", out)
	var rep struct {
		Result   string `json:"result"`
		Steps    int    `json:"steps"`
		Replayed int    `json:"replayed"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil || code != exitViolation || rep.Result != "reproduces" || rep.Steps != 3 || rep.Replayed != 3 {
		t.Errorf("replay --format json: exit %d, %+v, %v", code, rep, err)
	}

	// Nothing to write: a configuration without violations says so.
	none := filepath.Join(t.TempDir(), "none.json")
	_, stderr, code = runCLI("check", "--records", "1", "--crashes", "1", "--trace-out", none)
	if _, err := os.Stat(none); code != exitOK || err == nil || !strings.Contains(stderr, "nothing written to "+none+": no property was violated") {
		t.Errorf("no violation: exit %d, stderr %q, file written: %v", code, stderr, err == nil)
	}
}

// The three replay outcomes have distinct exit codes: 1 still reproduces,
// 4 diverges, 0 no longer fails (or a trace without a property replays).
func TestReplayExitCodes(t *testing.T) {
	golden := "../../testdata/traces/known-acks1-failover.json"
	data, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	edit := func(fn func(*history.File)) string {
		f, err := history.ReadFile(data)
		if err != nil {
			t.Fatal(err)
		}
		fn(f)
		b, _ := f.Marshal()
		p := filepath.Join(t.TempDir(), "edited.json")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cases := []struct {
		name, file string
		code       int
		want       string
	}{
		{"golden", golden, exitViolation, "still reproduces"},
		{"no property", "../../testdata/traces/seed-003-rolling-restart.json", exitOK, "replays as recorded"},
		{"witness", "../../testdata/traces/known-modern-offline.json", exitOK, "partition-offline reached at the end: true"},
		// A property the trace does not break: it holds at the end.
		{"no longer fails", edit(func(f *history.File) { f.Property = "one-leader-per-epoch" }), exitOK, "no longer fails"},
		// The model now leads elsewhere: recorded and new states side by side.
		{"state differs", edit(func(f *history.File) {
			var st render.StateView
			if err := json.Unmarshal(f.Steps[1].State, &st); err != nil || st.Brokers[0].LEO != 1 {
				t.Fatalf("step 1 state: %v", err)
			}
			st.Brokers[0].LEO = 2
			f.Steps[1].State, _ = json.Marshal(st)
			f.Steps[1].Text = strings.Replace(f.Steps[1].Text, "LEO 1", "LEO 2", 1)
		}), exitDiverged, "DIVERGES at step 1"},
		{"action disabled", edit(func(f *history.File) { f.Steps[2].Action = "restart 1" }), exitDiverged, "DIVERGES at step 2"},
		// Another configuration under the same actions diverges too.
		{"configuration differs", edit(func(f *history.File) { f.Config["acks"] = "all" }), exitDiverged, "DIVERGES at step 1"},
	}
	for _, c := range cases {
		stdout, stderr, code := runCLI("replay", c.file)
		if code != c.code || !strings.Contains(stdout, c.want) || stderr != "" {
			t.Errorf("%s: exit %d (want %d), stderr %q, stdout lacks %q:\n%s", c.name, code, c.code, stderr, c.want, stdout)
		}
	}
	stdout, _, _ := runCLI("replay", cases[4].file)
	if !strings.Contains(stdout, "recorded state after step 1") || !strings.Contains(stdout, "the current model's") ||
		!strings.Contains(stdout, "fields that differ") {
		t.Errorf("a divergence shows no side-by-side states:\n%s", stdout)
	}
}

// A trace file that cannot be used: exit 2 and one line saying why.
func TestReplayBadFiles(t *testing.T) {
	data, err := os.ReadFile("../../testdata/traces/known-acks1-failover.json")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cases := []struct {
		file, want string
	}{
		{write("truncated.json", data[:len(data)/3]), "truncated"},
		{write("text.json", []byte("acks=1\ncrash 1\n")), "not valid JSON"},
		{write("v2.json", bytes.Replace(data, []byte(`"version": 1`), []byte(`"version": 2`), 1)), "version 2"},
		{write("raft.json", bytes.Replace(data, []byte(`"model": "kafka"`), []byte(`"model": "raft"`), 1)), `model "raft"`},
		{write("invalid.json", bytes.Replace(data, []byte(`"min.insync.replicas": "2"`), []byte(`"min.insync.replicas": "7"`), 1)), "min.insync.replicas 7 is out of range"},
		{write("empty.json", nil), "empty"},
		{filepath.Join(dir, "missing.json"), "cannot read the trace file"},
	}
	for _, c := range cases {
		stdout, stderr, code := runCLI("replay", c.file)
		if code != exitUsage || stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, c.want) {
			t.Errorf("%s: exit %d, stdout %q, stderr %q (want one line mentioning %q)", filepath.Base(c.file), code, stdout, stderr, c.want)
		}
	}
	for _, args := range [][]string{{"replay"}, {"replay", "a.json", "b.json"}, {"replay", "--format", "xml", "a.json"}} {
		if _, stderr, code := runCLI(args...); code != exitUsage || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
	}
}

// --format markdown is a document GitHub renders: a summary, a Mermaid
// sequence diagram and one table row per state.
func TestMarkdownFormat(t *testing.T) {
	stdout, _, code := runCLI("check", "--config", acks1Config, "--format", "markdown")
	if code != exitViolation {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"# Counterexample: acked-records-durable", "```mermaid\nsequenceDiagram\n",
		"participant B1 as Broker 1", "| # | action | what happens |", "| 3 | `detect 1 elect 2` |",
		"- **Reproduce:** `electcheck check --acks 1"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("markdown lacks %q:\n%s", want, stdout)
		}
	}
	// A table row must stay one line: no raw newline or pipe inside a cell.
	rows := 0
	for _, line := range strings.Split(stdout, "\n") {
		if strings.HasPrefix(line, "| ") && !strings.HasPrefix(line, "| #") {
			rows++
			if n := strings.Count(strings.ReplaceAll(line, `\|`, ""), "|"); n != 5 {
				t.Errorf("row with %d cell separators: %s", n, line)
			}
		}
	}
	if rows != 4 {
		t.Errorf("%d step rows for a 4-state trace", rows)
	}
	// Without a counterexample, markdown is the summary and witnesses.
	stdout, _, code = runCLI("check", "--records", "1", "--crashes", "1", "--format", "markdown")
	if code != exitOK || !strings.HasPrefix(stdout, "# Ok") || !strings.Contains(stdout, "| `partition-offline` |") {
		t.Errorf("exit %d:\n%s", code, stdout)
	}
}

// On a copy of the repository: --check notices an edited document, an
// extra one and a trace that no longer replays; catalogue repairs what it
// generates (as the repository has it) and reports, without rewriting, the
// trace it does not generate.
func TestCatalogueNoticesChanges(t *testing.T) {
	root := t.TempDir()
	for _, dir := range []string{"testdata/traces", "testdata/configs", "docs/scenarios"} {
		copyDir(t, filepath.Join("../..", dir), filepath.Join(root, dir))
	}
	doc := filepath.Join(root, "docs/scenarios/known-acks1-failover.md")
	if err := os.WriteFile(doc, []byte("edited by hand\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	extra := filepath.Join(root, "docs/scenarios/old-scenario.md")
	if err := os.WriteFile(extra, []byte("# gone\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	seed := filepath.Join(root, "testdata/traces/seed-001-acks1-clean-failover.json")
	data, _ := os.ReadFile(seed)
	diverged := bytes.Replace(data, []byte(`"action": "crash 2"`), []byte(`"action": "crash 1"`), 1)
	if err := os.WriteFile(seed, diverged, 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, _, code := runCLI("catalogue", "--dir", root, "--check", "--no-matrix")
	for _, want := range []string{"out of date: docs/scenarios/known-acks1-failover.md", "out of date: docs/scenarios/old-scenario.md",
		"seed-001-acks1-clean-failover.json diverges at step"} {
		if code != exitViolation || !strings.Contains(stdout, want) {
			t.Errorf("--check: exit %d, no %q:\n%s", code, want, stdout)
		}
	}
	stdout, _, code = runCLI("catalogue", "--dir", root, "--no-matrix")
	if code != exitViolation || !strings.Contains(stdout, "wrote docs/scenarios/known-acks1-failover.md") || !strings.Contains(stdout, "removed docs/scenarios/old-scenario.md") ||
		!strings.Contains(stdout, "seed-001-acks1-clean-failover.json diverges at step") {
		t.Errorf("catalogue: exit %d:\n%s", code, stdout)
	}
	repaired, _ := os.ReadFile(doc)
	original, _ := os.ReadFile("../../docs/scenarios/known-acks1-failover.md")
	if !bytes.Equal(repaired, original) {
		t.Errorf("the regenerated document is not the repository's")
	}
	if _, err := os.Stat(extra); err == nil {
		t.Errorf("%s is still there", extra)
	}
	if now, _ := os.ReadFile(seed); !bytes.Equal(now, diverged) {
		t.Errorf("catalogue rewrote a seed story's trace, which the scenario scripts own")
	}
	if _, stderr, code := runCLI("catalogue", "--dir", t.TempDir()); code != exitUsage || !strings.Contains(stderr, "run electcheck catalogue from the repository root") {
		t.Errorf("not a repository: exit %d, %q", code, stderr)
	}
}

func copyDir(t testing.TB, from, to string) {
	t.Helper()
	entries, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(to, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, e.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// The port through the command line, as docs/cross-check.md shows it.
func TestTLAModelFromTheCommandLine(t *testing.T) {
	rep, code := checkJSON(t, "--model", "tla-replication", "--variant", "kip279", "--invariants", "strong-isr")
	if code != exitViolation || rep.Model != "tla-replication" || rep.Violations[0].TraceLength != 11 {
		t.Fatalf("exit %d, model %s, %+v", code, rep.Model, rep.Violations)
	}
	first := rep.Violations[0].Trace[1]
	if first.Action == "" || first.Text == "" {
		t.Errorf("trace step without action or text: %+v", first)
	}
	rep, code = checkJSON(t, "--model", "tla-replication", "--variant", "kip320", "--replicas", "2", "--max-leader-epoch", "3")
	// LeaderInIsr fails in the initial state, before anything else.
	if code != exitViolation || rep.Violations[0].Property != "leader-in-isr" || rep.Violations[0].TraceLength != 1 {
		t.Errorf("exit %d, %+v", code, rep.Violations)
	}
}
