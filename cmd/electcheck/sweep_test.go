package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSweepBadInput(t *testing.T) {
	dir := t.TempDir()
	file := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	shardA := file("a.json", `{"command":"sweep","sweep_id":"aaaa","shard":"0/2","base":"","axes":[],"properties":[],"cells":[],"skipped":[],"summary":{"cells":0,"searched":0,"inferred":0,"skipped":0,"categories":{},"distinct_states":0,"seconds":0}}`)
	shardB := file("b.json", `{"command":"sweep","sweep_id":"bbbb","shard":"1/2","base":"","axes":[],"properties":[],"cells":[],"skipped":[],"summary":{"cells":0,"searched":0,"inferred":0,"skipped":0,"categories":{},"distinct_states":0,"seconds":0}}`)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"sweep", "--replication-factor", "2,,3"}, "has an empty item"},
		{[]string{"sweep", "--acks", "1,all", "--method", "simulate"}, "--method applies to --measure risk"},
		{[]string{"sweep", "--acks", "1,all", "--measure", "risk", "--runs", "5"}, "--runs applies to --method simulate"},
		{[]string{"sweep", "--acks", "1,all", "--measure", "risk", "--method", "simulate", "--scheduler", "max"}, "cannot go with --method simulate"},
		{[]string{"sweep", "--acks", "1,all", "--measure", "risk", "--method", "simulate", "--runs", "0"}, "--runs must be positive"},
		{[]string{"sweep", "--acks", "1,all", "--measure", "risk", "--seed", "3"}, "--seed applies to --method simulate"},
		{[]string{"sweep", "--min-insync-replicas", "3..1"}, "the range 3..1 is empty"},
		{[]string{"sweep", "--acks", "1..3"}, "ranges are for whole numbers and Kafka versions"},
		{[]string{"sweep", "--kafka-version", "2.0,5.0"}, `unknown Kafka version "5.0"`},
		{[]string{"sweep", "--kafka-version", "2.6,2.7", "--controller", "kraft"}, "every cell of the sweep is invalid"},
		{[]string{"sweep", "--sweep", file("bad.sweep", "acks = 1\nlog.dirs = /tmp\n")}, `line 2: unknown setting "log.dirs"`},
		{[]string{"sweep", "--sweep", filepath.Join(dir, "missing.sweep")}, "cannot read --sweep file"},
		{[]string{"sweep", "--shard", "3/2"}, `--shard "3/2": write I/N with 0 <= I < N`},
		{[]string{"sweep", "--shard", "1"}, "write I/N"},
		{[]string{"sweep", "--format", "xml"}, "--format must be text, markdown, csv or json"},
		{[]string{"sweep", "--plot", "m.pdf"}, "name a .svg or .png file"},
		{[]string{"sweep", "--plot-x", "acks"}, "give --plot FILE too"},
		{[]string{"sweep", "--preset", "nope"}, `unknown preset "nope"`},
		{[]string{"sweep", "--feature", "fenced-fetch"}, "write NAME=on, NAME=off or NAME=on,off"},
		{[]string{"sweep", "--invariants", "no-data-loss"}, `unknown property "no-data-loss"`},
		{[]string{"sweep", "acks=1"}, `unexpected argument "acks=1"`},
		{[]string{"sweep", "merge"}, "takes the shards' JSON reports"},
		{[]string{"sweep", "merge", shardA, shardB}, "is of another sweep"},
		{[]string{"sweep", "merge", file("c.json", "{}")}, "not a sweep report"},
		{[]string{"sweep", "merge", shardA}, "shard 1/2 is missing"},
		{[]string{"sweep", "--walks", "10"}, "--walks applies to --search simulate"},
		{[]string{"sweep", "--search", "random"}, "--search must be exhaustive or simulate"},
		{[]string{"sweep", "--search", "simulate", "--seed", "1", "--max-states", "5"}, "--max-states applies to an exhaustive search"},
		{[]string{"sweep", "--search", "simulate", "--seed", "1", "--walks", "0"}, "must be at least 1"},
		{[]string{"sweep", "--preset", "histories", "--seed", "1", "--symmetry=false"}, "--symmetry applies to an exhaustive search"},
	}
	for _, c := range cases {
		stdout, stderr, code := runCLI(c.args...)
		name := strings.Join(c.args, " ")
		if code != exitUsage || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, c.want) || stdout != "" {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 2 and one line mentioning %q", name, code, stdout, stderr, c.want)
		}
	}
}

// A small sweep through the command line: every format, and the exit code
// of a matrix where a cell loses data.
func TestSweepFormats(t *testing.T) {
	cache := t.TempDir()
	args := []string{"sweep", "--replication-factor", "2,3", "--controller", "zookeeper,kraft", "--acks", "1,all", "--kafka-version", "2.7", "--records", "1", "--crashes", "1", "--cache-dir", cache}
	stdout, _, code := runCLI(append(args, "--format", "json")...)
	if code != exitViolation {
		t.Fatalf("exit %d, want %d: acks=1 loses acknowledged data", code, exitViolation)
	}
	var rep struct {
		Cells []struct {
			Config   json.RawMessage `json:"config"`
			Result   string          `json:"result"`
			Category string          `json:"category"`
			Values   []string        `json:"values"`
		} `json:"cells"`
		Skipped []struct {
			Reason string `json:"reason"`
		} `json:"skipped"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	// Kafka 2.7 has no KRaft mode: half the cells are skipped.
	if len(rep.Cells) != 4 || len(rep.Skipped) != 4 || len(rep.Cells[0].Config) == 0 || rep.Cells[0].Result == "" || len(rep.Cells[0].Values) != 3 {
		t.Fatalf("%d cells, %d skipped:\n%s", len(rep.Cells), len(rep.Skipped), stdout)
	}
	stdout, _, _ = runCLI(append(args, "--format", "csv")...)
	records, err := csv.NewReader(strings.NewReader(stdout)).ReadAll()
	if err != nil || len(records) != 9 || records[0][1] != "replication-factor" || records[0][4] != "category" {
		t.Fatalf("csv: %v, %d rows: %v", err, len(records), records)
	}
	stdout, _, _ = runCLI(append(args, "--format", "markdown")...)
	if !strings.Contains(stdout, "### replication-factor=2") || !strings.Contains(stdout, "| LOSES ACKED |") {
		t.Errorf("markdown:\n%s", stdout)
	}
	stdout, _, _ = runCLI(args...)
	if !strings.Contains(stdout, "replication-factor=3") || !strings.Contains(stdout, "summary:") {
		t.Errorf("text:\n%s", stdout)
	}
	// A sweep file says the same as the flags.
	path := filepath.Join(t.TempDir(), "m.sweep")
	if err := os.WriteFile(path, []byte("replication.factor = 2,3\nelectcheck.controller = zookeeper, kraft\nacks = 1, all\nelectcheck.kafka.version = 2.7\nelectcheck.records = 1\nelectcheck.crashes = 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	fromFile, _, _ := runCLI("sweep", "--sweep", path, "--cache-dir", cache)
	if fromFile != stdout {
		t.Errorf("the sweep file gives another sweep:\n%s", fromFile)
	}
}

// Shards and merge, from the command line.
func TestSweepShardsFromTheCommandLine(t *testing.T) {
	cache, dir := t.TempDir(), t.TempDir()
	args := []string{"sweep", "--replication-factor", "2,3", "--acks", "1,all", "--records", "1", "--crashes", "1,2", "--cache-dir", cache, "--format", "json"}
	var files []string
	for _, sh := range []string{"0/2", "1/2"} {
		stdout, _, code := runCLI(append(args, "--shard", sh)...)
		if code != exitViolation && code != exitOK {
			t.Fatalf("shard %s: exit %d", sh, code)
		}
		p := filepath.Join(dir, strings.ReplaceAll(sh, "/", "-")+".json")
		if err := os.WriteFile(p, []byte(stdout), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	merged, _, _ := runCLI(append([]string{"sweep", "merge", "--format", "csv"}, files...)...)
	whole, _, _ := runCLI(append(args[:len(args)-2], "--format", "csv")...)
	if merged == "" || merged != whole {
		t.Errorf("merged:\n%s\nwhole:\n%s", merged, whole)
	}
}

// --trace-dir writes each cell's counterexample, which replays; an
// inferred cell points at the trace of the cell it was inferred from.
func TestSweepTraceDir(t *testing.T) {
	traces := filepath.Join(t.TempDir(), "traces")
	stdout, _, code := runCLI("sweep", "--replication-factor", "2", "--min-insync-replicas", "1", "--unclean-leader-election", "true",
		"--records", "1", "--crashes", "1..3", "--trace-dir", traces, "--cache-dir", t.TempDir(), "--format", "json")
	if code != exitViolation {
		t.Fatalf("exit %d", code)
	}
	var rep struct {
		Cells []struct {
			Cell         int    `json:"cell"`
			InferredFrom *int   `json:"inferred_from"`
			TraceFile    string `json:"trace_file"`
		} `json:"cells"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Cells) != 3 || rep.Cells[0].InferredFrom != nil || rep.Cells[1].InferredFrom == nil || *rep.Cells[1].InferredFrom != 0 {
		t.Fatalf("cells %+v: the smallest loses committed data and decides the others", rep.Cells)
	}
	for _, c := range rep.Cells {
		if c.TraceFile != rep.Cells[0].TraceFile {
			t.Errorf("cell %d's trace is %s, not the trace of the cell it was inferred from", c.Cell, c.TraceFile)
		}
	}
	if !strings.HasPrefix(rep.Cells[0].TraceFile, traces) {
		t.Fatalf("trace file %q", rep.Cells[0].TraceFile)
	}
	if _, _, code := runCLI("replay", rep.Cells[0].TraceFile); code != exitViolation {
		t.Errorf("replaying %s: exit %d, want %d (still reproduces)", rep.Cells[0].TraceFile, code, exitViolation)
	}
}

// sweep --search simulate from the command line: the seed printed when not
// given, each cell's simulation in the JSON, and exit 1 when a cell's walk
// loses data.
func TestSweepSimulateFromTheCommandLine(t *testing.T) {
	args := []string{"sweep", "--search", "simulate", "--walks", "300", "--acks", "1,all", "--records", "3",
		"--power-losses", "1", "--unclean-leader-election", "true", "--no-cache", "--format", "json"}
	stdout, stderr, code := runCLI(args...)
	if code != exitViolation || !strings.Contains(stderr, "electcheck: seed ") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	var rep struct {
		Simulation struct{ Seed, Walks, Depth int }
		Cells      []struct {
			Values     []string
			Category   string
			Simulation struct {
				Walks           int
				NotLinearizable int `json:"not_linearizable"`
			}
		}
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Simulation.Walks != 300 || rep.Simulation.Depth != 60 || len(rep.Cells) != 2 {
		t.Fatalf("%+v", rep)
	}
	for _, c := range rep.Cells {
		if c.Simulation.Walks != 300 || c.Category == "" {
			t.Errorf("%+v", c)
		}
	}
	if c := rep.Cells[0]; c.Values[0] != "1" || c.Category != "loses-acked" || c.Simulation.NotLinearizable == 0 {
		t.Errorf("acks=1 with a power loss: %+v", c)
	}
}
