package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"electcheck/checker"
)

func runCLI(args ...string) (stdout, stderr string, code int) {
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return out.String(), errb.String(), code
}

func writeFile(t testing.TB, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "config.properties")
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// What a newcomer types that should just work: enumerations in any case,
// a replication factor below the recommended min ISR (capped, and said),
// a trace on standard input, the version as JSON.
func TestNewcomerInputs(t *testing.T) {
	stdout, stderr, code := runCLI("check", "--strategy", "BFS", "--acks", "ALL", "--controller", "KRaft", "--format", "JSON", "--records", "1", "--crashes", "0")
	if code != exitOK || !strings.Contains(stdout, `"strategy": "bfs"`) {
		t.Errorf("enumerations in capitals: exit %d, %s%s", code, stderr, stdout)
	}
	// The built-in min ISR 2 on one replica is what Kafka makes of it:
	// from 3.7 capped at the replication factor, and the header says so.
	rep, _ := checkJSON(t, "--replication-factor", "1", "--records", "1", "--crashes", "0")
	if c, _ := kafkaConfig(t, rep); c.ReplicationFactor != 1 || c.MinInsyncReplicas != 2 || !strings.Contains(string(rep.Config), `"effective_min_insync_replicas": 1`) {
		t.Errorf("RF 1: %+v %s", c, rep.Config)
	}
	if stdout, _, _ := runCLI("check", "--replication-factor", "1", "--records", "1", "--crashes", "0"); !strings.Contains(strings.Join(strings.Fields(stdout), " "), "min.insync.replicas=2 (effective 1: capped at the replication factor") {
		t.Errorf("RF 1 does not say its min ISR is capped:\n%s", stdout)
	}
	data, err := os.ReadFile("../../testdata/traces/known-acks1-failover.json")
	if err != nil {
		t.Fatal(err)
	}
	stdin = bytes.NewReader(data)
	defer func() { stdin = os.Stdin }()
	if stdout, _, code := runCLI("replay", "-"); code != exitViolation || !strings.Contains(stdout, "trace:   standard input") {
		t.Errorf("replay -: exit %d\n%s", code, stdout)
	}
	stdout, _, code = runCLI("version", "--json")
	var v struct {
		Version       string `json:"version"`
		ModelRevision int    `json:"model_revision"`
	}
	if err := json.Unmarshal([]byte(stdout), &v); err != nil || code != exitOK || v.Version == "" || v.ModelRevision != checker.ModelRevision {
		t.Errorf("version --json: exit %d, %v, %q", code, err, stdout)
	}
}

func TestHelp(t *testing.T) {
	stdout, _, code := runCLI("check", "--help")
	if code != exitOK || !strings.Contains(stdout, "--min-insync-replicas") || !strings.Contains(stdout, "[min.insync.replicas]") {
		t.Errorf("check --help: exit %d\n%s", code, stdout)
	}
	stdout, _, code = runCLI("list")
	if code != exitOK || !strings.Contains(stdout, "committed-offsets-preserved") || !strings.Contains(stdout, "0.10") {
		t.Errorf("list: exit %d\n%s", code, stdout)
	}
	stdout, _, code = runCLI("version")
	if code != exitOK || !strings.HasPrefix(stdout, "electcheck ") {
		t.Errorf("version: exit %d %q", code, stdout)
	}
}

// Flags override the --config file, whatever the order of keys in it.
// kafkaJSON and boundsJSON are the parts of a kafka-model report's config
// and bounds the tests read.
type kafkaJSON struct {
	KafkaVersion           string `json:"kafka_version"`
	Controller             string `json:"controller"`
	EligibleLeaderReplicas bool   `json:"eligible_leader_replicas"`
	Base                   string `json:"defaults"`
	ReplicationFactor      int    `json:"replication_factor"`
	MinInsyncReplicas      int    `json:"min_insync_replicas"`
	Acks                   string `json:"acks"`
	UncleanLeaderElection  bool   `json:"unclean_leader_election"`
}

type boundsJSON struct {
	Records int `json:"records"`
}

// kafkaConfig decodes the JSON config and bounds of a kafka-model report.
func kafkaConfig(t testing.TB, rep checker.JSONReport) (kafkaJSON, boundsJSON) {
	t.Helper()
	var c kafkaJSON
	var b boundsJSON
	if err := json.Unmarshal(rep.Config, &c); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(rep.Bounds, &b); err != nil {
		t.Fatal(err)
	}
	return c, b
}

// A real server.properties loads: the keys Kafka knows and the model does
// not use are named once on stderr, and the keys the file leaves out take
// Kafka's defaults for its release, not electcheck's recommended setup.
func TestServerPropertiesLoads(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run([]string{"check", "--config", "../../testdata/configs/server.properties", "--records", "1", "--crashes", "1", "--format", "json"}, &stdout, &stderr)
	if code != exitOK || strings.Count(stderr.String(), "\n") != 1 || !strings.Contains(stderr.String(), "ignored Kafka settings the model does not use (21): node.id, controller.quorum.voters, listeners") {
		t.Fatalf("exit %d, stderr %q", code, stderr.String())
	}
	var rep checker.JSONReport
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	c, _ := kafkaConfig(t, rep)
	if c.KafkaVersion != "3.9" || c.Controller != "kraft" || c.ReplicationFactor != 3 || c.MinInsyncReplicas != 2 || c.Acks != "all" || c.Base != "kafka-defaults" || c.EligibleLeaderReplicas {
		t.Errorf("config %+v", c)
	}
	// Left out, replication.factor and min.insync.replicas are Kafka's 1,
	// and acks before 3.0 is 1.
	path := writeFile(t, "electcheck.kafka.version=2.8\n")
	rep, _ = checkJSON(t, "--config", path, "--records", "1", "--crashes", "0")
	if c, _ := kafkaConfig(t, rep); c.ReplicationFactor != 1 || c.MinInsyncReplicas != 1 || c.Acks != "1" || c.Controller != "zookeeper" {
		t.Errorf("Kafka 2.8's defaults: %+v", c)
	}
}

func TestFlagsOverrideConfigFile(t *testing.T) {
	path := writeFile(t, "replication.factor=3\nmin.insync.replicas=2\nacks=1\nelectcheck.records=1\nelectcheck.crashes=1\n")
	rep, code := checkJSON(t, "--config", path)
	if c, _ := kafkaConfig(t, rep); rep.Result != "violation" || code != exitViolation || c.Acks != "1" {
		t.Fatalf("file alone: %s, acks %s", rep.Result, c.Acks)
	}
	rep, code = checkJSON(t, "--config", path, "--acks", "all")
	if c, b := kafkaConfig(t, rep); rep.Result != "ok" || code != exitOK || c.Acks != "all" || b.Records != 1 {
		t.Fatalf("with --acks all: %s, acks %s, records %d", rep.Result, c.Acks, b.Records)
	}
	// The version sets unclean election's default only where it was not set.
	path = writeFile(t, "unclean.leader.election.enable=false\nelectcheck.kafka.version=0.10\n")
	rep, _ = checkJSON(t, "--config", path, "--records", "1", "--crashes", "0")
	if c, _ := kafkaConfig(t, rep); c.UncleanLeaderElection || c.KafkaVersion != "0.10" {
		t.Errorf("explicit unclean=false lost: %+v", c)
	}
	rep, _ = checkJSON(t, "--kafka-version", "0.10", "--records", "1", "--crashes", "0")
	if c, _ := kafkaConfig(t, rep); !c.UncleanLeaderElection {
		t.Errorf("0.10 without an explicit setting should default to unclean election")
	}
}

func TestBudgetEndsInconclusive(t *testing.T) {
	stdout, _, code := runCLI("check", "--max-states", "1000")
	if code != exitInconclusive || !strings.Contains(stdout, "result: inconclusive") || !strings.Contains(stdout, "state budget") {
		t.Errorf("exit %d\n%s", code, stdout)
	}
	rep, code := checkJSON(t, "--max-states", "1000")
	if code != exitInconclusive || rep.Result != "inconclusive" || rep.Complete || rep.Queue == 0 {
		t.Errorf("json: exit %d, %+v", code, rep)
	}
	// Witnesses are reported, and none is called vacuous, on an incomplete search.
	if len(rep.Vacuous) != 0 {
		t.Errorf("an incomplete search reported vacuity: %v", rep.Vacuous)
	}
}

// The JSON carries the fields docs/cli.md promises.
func TestJSONContract(t *testing.T) {
	var out bytes.Buffer
	code := run([]string{"check", "--config", "../../testdata/configs/acks1-failover.properties", "--format", "json"}, &out, &bytes.Buffer{})
	if code != exitViolation {
		t.Fatalf("exit %d", code)
	}
	var raw map[string]any
	if err := json.Unmarshal(out.Bytes(), &raw); err != nil {
		t.Fatal(err)
	}
	for _, field := range []string{"result", "distinct_states", "generated_states", "depth", "elapsed_seconds", "violations", "witnesses"} {
		if _, ok := raw[field]; !ok {
			t.Errorf("field %q missing", field)
		}
	}
	v := raw["violations"].([]any)[0].(map[string]any)
	for _, field := range []string{"property", "trace_length", "trace"} {
		if _, ok := v[field]; !ok {
			t.Errorf("violation field %q missing", field)
		}
	}
	step := v["trace"].([]any)[1].(map[string]any)
	if step["action"] != "produce 1" {
		t.Errorf("first action %v, want produce 1", step["action"])
	}
	if _, ok := raw["witnesses"].(map[string]any)["acked-record"].(bool); !ok {
		t.Errorf("witnesses is not a name -> bool map: %v", raw["witnesses"])
	}
}

// timing matches what varies between identical runs: wall-clock figures,
// the worker count and memory.
var timing = regexp.MustCompile(`("elapsed_seconds"|"states_per_second"|"peak_memory_bytes"|"workers"): [0-9.e+-]+|[0-9]+ workers?, [0-9.]+s, [0-9,]+ states/s, peak memory [0-9]+ MiB`)

// The same configuration gives the same output, byte for byte, but for
// the wall-clock figures, in every format, end to end through the command
// line (the library's test compares the outcomes of every worker count).
func TestOutputIsDeterministic(t *testing.T) {
	for _, format := range []string{"text", "json", "markdown"} {
		args := []string{"check", "--config", "../../testdata/configs/unclean-election.properties", "--format", format}
		a, _, code := runCLI(args...)
		b, _, _ := runCLI(args...)
		if code != exitViolation {
			t.Fatalf("%s: exit %d", format, code)
		}
		if format != "markdown" && len(timing.FindAllString(a, -1)) == 0 {
			t.Errorf("%s: the timing pattern matches nothing in the output; fix the test", format)
		}
		if timing.ReplaceAllString(a, "T") != timing.ReplaceAllString(b, "T") {
			t.Errorf("%s output differs between runs", format)
		}
	}
}

func TestTextReportsTheTrace(t *testing.T) {
	stdout, _, code := runCLI("check", "--config", "../../testdata/configs/acks1-failover.properties")
	if code != exitViolation {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{
		"result: VIOLATION of acked-records-durable",
		"shortest trace, 4 states",
		"step 1: produce 1",
		"step 3: detect 1 elect 2",
		"record a, acknowledged by broker 1 at offset 0, is missing",
		"acks=1",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("text output lacks %q:\n%s", want, stdout)
		}
	}
}

// A memory budget ends the search inconclusive, with the statistics so far,
// instead of letting the process run out of memory.
func TestMemoryBudgetEndsInconclusive(t *testing.T) {
	stdout, _, code := runCLI("check", "--records", "3", "--max-memory", "48MiB")
	if code != exitInconclusive || !strings.Contains(stdout, "memory budget (48 MiB) ran out") {
		t.Errorf("exit %d\n%s", code, stdout)
	}
}

func TestBench(t *testing.T) {
	// kafka-default, the quick start's search, is pinned by
	// TestModernKafkaWitnesses.
	out, _, code := runCLI("bench", "--only", "tla-kip320", "--format", "json", "--workers", "2")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	var rep checker.BenchReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Runs) != 1 || rep.Workers != 2 || rep.Machine.Cores < 1 {
		t.Fatalf("%+v", rep)
	}
	kip := rep.Runs[0]
	if kip.Distinct != 737794 || kip.Generated != 1967560 || kip.Result != "ok" || !kip.Complete || kip.TLCSeconds == 0 || kip.RumurSeconds == 0 {
		t.Errorf("tla-kip320: %+v", kip)
	}
	if kip.BytesPerState > 16 || kip.BytesPerState < 8 {
		t.Errorf("visited bytes per state %.1f, want at most 16", kip.BytesPerState)
	}
	// The process's peak, where Linux reports it, is at least the visited
	// set's.
	if _, err := os.Stat("/proc/self/clear_refs"); err == nil && (kip.PeakRSS == 0 || kip.RSSPerState < kip.BytesPerState) {
		t.Errorf("peak RSS %d bytes, %.1f per state, below the visited set's %.1f", kip.PeakRSS, kip.RSSPerState, kip.BytesPerState)
	}
	text, _, code := runCLI("bench", "--only", "tla-kip320")
	if code != exitOK || !strings.Contains(text, "times as fast with") || !strings.Contains(text, "RSS B/st") {
		t.Errorf("text bench: exit %d\n%s", code, text)
	}
	for _, bad := range [][]string{{"bench", "--only", "nope"}, {"bench", "--workers", "0"}, {"bench", "--format", "xml"}, {"bench", "extra"}} {
		if _, stderr, code := runCLI(bad...); code != exitUsage || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, %q", bad, code, stderr)
		}
	}
}

// --strict turns a vacuous "holds" into a failure; without it the same
// run passes with a warning.
func TestStrict(t *testing.T) {
	args := []string{"check", "--records", "1", "--crashes", "0", "--format", "json"}
	stdout, _, code := runCLI(args...)
	var rep checker.JSONReport
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if code != exitOK || rep.Result != "ok" || len(rep.Vacuous) == 0 {
		t.Fatalf("exit %d, result %s, vacuous %v: the run should hold vacuously in part", code, rep.Result, rep.Vacuous)
	}
	if _, _, code := runCLI(append(args, "--strict")...); code != exitViolation {
		t.Errorf("--strict: exit %d, want %d", code, exitViolation)
	}
	// A run whose every guarded situation is reached passes --strict.
	if _, _, code := runCLI("check", "--acks", "1", "--records", "1", "--crashes", "1", "--invariants", "acked-records-durable", "--strict"); code != exitViolation {
		t.Errorf("a violation under --strict: exit %d", code)
	}
	if _, _, code := runCLI("check", "--records", "1", "--crashes", "1", "--invariants", "acked-records-durable", "--strict"); code != exitOK {
		t.Errorf("a property whose witnesses are all reached, under --strict: exit %d", code)
	}
}

// --show prints the trace to the witness, in text and in JSON.
func TestShowPrintsTheWitnessTrace(t *testing.T) {
	stdout, _, code := runCLI("check", "--records", "1", "--crashes", "1", "--show", "leader-failover")
	if code != exitOK || !strings.Contains(stdout, "witness leader-failover: ") || !strings.Contains(stdout, "step 2: detect 1 elect") {
		t.Fatalf("exit %d:\n%s", code, stdout)
	}
	rep, _ := checkJSON(t, "--records", "1", "--crashes", "1", "--show", "leader-failover")
	for _, w := range rep.WitnessDetails {
		if (w.Name == "leader-failover") != (len(w.Trace) > 0) {
			t.Errorf("%s: a trace of %d steps", w.Name, len(w.Trace))
		}
		if w.Name == "leader-failover" && (len(w.Trace) != w.TraceLength || w.Trace[2].Explanation == "") {
			t.Errorf("leader-failover: %d steps for length %d, explanation %q", len(w.Trace), w.TraceLength, w.Trace[2].Explanation)
		}
	}
}

func TestVersion(t *testing.T) {
	for _, arg := range []string{"version", "--version"} {
		stdout, _, code := runCLI(arg)
		if code != exitOK || !strings.HasPrefix(stdout, "electcheck ") {
			t.Errorf("%s: exit %d, %q", arg, code, stdout)
		}
	}
}

// Help fits in 100 columns.
func TestHelpWidth(t *testing.T) {
	for _, cmd := range []string{"check", "sweep", "simulate", "lincheck", "graph", "bench", "catalogue", "ablate", "replay"} {
		stdout, _, code := runCLI(cmd, "--help")
		if code != exitOK {
			t.Errorf("%s --help: exit %d", cmd, code)
		}
		for _, line := range strings.Split(stdout, "\n") {
			if len(line) > helpWidth {
				t.Errorf("%s --help: a line of %d columns: %q", cmd, len(line), line)
			}
		}
	}
}
