package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// checkJSON runs `electcheck check args... --format json` and decodes the
// report.
func checkJSON(t *testing.T, args ...string) (jsonReport, int) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(append(append([]string{"check"}, args...), "--format", "json"), &stdout, &stderr)
	if code == exitUsage || code == exitInternal {
		t.Fatalf("electcheck check %s: exit %d: %s", strings.Join(args, " "), code, stderr.String())
	}
	var rep jsonReport
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, stdout.String())
	}
	return rep, code
}

type pinnedViolation struct {
	property string
	length   int // states, the initial one included
}

// pinned is what the checker finds for one configuration. A change to any
// number here is a decision about the model, to be explained in the commit.
type pinned struct {
	name       string
	args       []string
	result     string
	violations []pinnedViolation
	// Without symmetry reduction (--symmetry=false).
	distinct  int64
	generated int64
	depth     int
	// With it (the default): brokers 2 and 3 interchangeable, broker 1
	// being the preferred replica.
	symDistinct  int64
	symGenerated int64
}

// knownResults are the results kafka-replication.md says the model must
// reproduce, each pinned three ways: as a user runs it (stopping at the end
// of the BFS level of the first violation), for the property the result is
// about, and over the whole state space with the shortest counterexample of
// every property.
var knownResults = []pinned{
	// acks=1 loses an acknowledged record on an ordinary failover: produce,
	// crash the leader, elect a follower that never fetched it.
	{"acks=1 failover", []string{"--config", "../../testdata/configs/acks1-failover.properties"},
		"violation", []pinnedViolation{{"acked-records-durable", 4}}, 74, 117, 4, 42, 75},
	{"acks=1 failover, whole space", []string{"--config", "../../testdata/configs/acks1-failover.properties", "--keep-going"},
		"violation", []pinnedViolation{{"acked-records-durable", 4}, {"no-offset-reuse", 6}}, 649637, 2247925, 30, 326029, 1127964},

	// KIP-101: before 0.11 a follower truncates to its lagging HW when it
	// becomes follower of a new leader, then is elected cleanly without a
	// record that was committed. Three properties fail at that depth.
	{"HW truncation (0.10)", []string{"--config", "../../testdata/configs/hw-truncation-0.10.properties"},
		"violation", []pinnedViolation{{"strong-isr", 11}, {"acked-records-durable", 11}, {"committed-offsets-preserved", 11}}, 28108, 64581, 11, 14282, 32948},
	{"HW truncation (0.10), committed offsets", []string{"--config", "../../testdata/configs/hw-truncation-0.10.properties", "--invariants", "committed-offsets-preserved"},
		"violation", []pinnedViolation{{"committed-offsets-preserved", 11}}, 28108, 64581, 11, 14282, 32948},
	{"HW truncation (0.10), whole space", []string{"--config", "../../testdata/configs/hw-truncation-0.10.properties", "--keep-going"},
		"violation", []pinnedViolation{{"strong-isr", 11}, {"acked-records-durable", 11}, {"committed-offsets-preserved", 11},
			{"consumed-records-stable", 12}, {"hw-monotonic", 12}, {"no-offset-reuse", 17}}, 2756649, 10359226, 38, 1382069, 5192476},

	// Unclean election with replication factor 3 above min ISR 2: a
	// follower shrunk out of the ISR is elected when the leader fails.
	{"unclean election", []string{"--config", "../../testdata/configs/unclean-election.properties"},
		"violation", []pinnedViolation{{"acked-records-durable", 9}, {"committed-offsets-preserved", 9}}, 6193, 14023, 9, 3151, 7188},
	{"unclean election, whole space", []string{"--config", "../../testdata/configs/unclean-election.properties", "--keep-going"},
		"violation", []pinnedViolation{{"acked-records-durable", 9}, {"committed-offsets-preserved", 9}, {"consumed-records-stable", 10},
			{"hw-monotonic", 10}, {"strong-isr", 15}, {"no-offset-reuse", 16}}, 862492, 3058476, 33, 432401, 1533346},

	// KIP-966's motivation: the last ISR member loses power, comes back
	// without its unflushed records, and is elected. The first violation
	// found is a follower's power loss breaking strong-isr.
	{"power loss of the last ISR member", []string{"--config", "../../testdata/configs/power-loss-last-isr.properties"},
		"violation", []pinnedViolation{{"strong-isr", 6}}, 570, 1004, 6, 302, 554},
	{"power loss of the last ISR member, committed offsets", []string{"--config", "../../testdata/configs/power-loss-last-isr.properties", "--invariants", "committed-offsets-preserved"},
		"violation", []pinnedViolation{{"committed-offsets-preserved", 10}}, 9709, 20612, 10, 4965, 10616},
	{"power loss of the last ISR member, whole space", []string{"--config", "../../testdata/configs/power-loss-last-isr.properties", "--keep-going"},
		"violation", []pinnedViolation{{"strong-isr", 6}, {"acked-records-durable", 10}, {"committed-offsets-preserved", 10},
			{"consumed-records-stable", 11}, {"hw-monotonic", 11}}, 139106, 479136, 28, 70135, 241505},

	// Modern Kafka, clean elections, acks=all, min ISR 2, process crashes:
	// nothing is lost. (The default configuration.)
	{"modern Kafka, clean elections", []string{"--config", "../../testdata/configs/modern-clean.properties"},
		"ok", nil, 928093, 3212624, 33, 465758, 1611875},

	// KIP-101's second scenario: 0.10 logs diverge after a power failure.
	{"log divergence (0.10)", []string{"--kafka-version", "0.10", "--unclean-leader-election=false", "--records", "3", "--crashes", "1", "--power-losses", "1", "--invariants", "no-log-divergence"},
		"violation", []pinnedViolation{{"no-log-divergence", 13}}, 631950, 1617482, 13, 318736, 817815},
}

func TestKnownResults(t *testing.T) {
	for _, k := range knownResults {
		t.Run(k.name, func(t *testing.T) {
			if testing.Short() && k.distinct > 1_000_000 {
				t.Skip("large state space; run without -short")
			}
			rep, code := checkJSON(t, append(k.args, "--symmetry=false")...)
			if rep.Result != k.result {
				t.Fatalf("result %s, want %s", rep.Result, k.result)
			}
			if want := map[string]int{"ok": exitOK, "violation": exitViolation}[k.result]; code != want {
				t.Errorf("exit %d, want %d", code, want)
			}
			var got []pinnedViolation
			for _, v := range rep.Violations {
				got = append(got, pinnedViolation{v.Property, v.TraceLength})
				if len(v.Trace) != v.TraceLength || v.Trace[0].Action != "" || v.Message == "" {
					t.Errorf("%s: a trace of %d steps for trace_length %d, message %q", v.Property, len(v.Trace), v.TraceLength, v.Message)
				}
			}
			if !equalViolations(got, k.violations) {
				t.Errorf("violations %v, want %v", got, k.violations)
			}
			if rep.DistinctStates != k.distinct || rep.GeneratedStates != k.generated || rep.Depth != k.depth {
				t.Errorf("distinct %d, generated %d, depth %d; want %d, %d, %d",
					rep.DistinctStates, rep.GeneratedStates, rep.Depth, k.distinct, k.generated, k.depth)
			}
		})
	}
}

// Symmetry reduction is exact: on every pinned configuration it finds no
// more states, the same verdict, and the same violations with the same
// shortest-trace lengths; and its traces still replay with real broker ids
// (the explorer lifts them and checks every step on replay).
func TestSymmetryKeepsVerdictsAndLengths(t *testing.T) {
	for _, k := range knownResults {
		t.Run(k.name, func(t *testing.T) {
			if testing.Short() && k.symDistinct > 1_000_000 {
				t.Skip("large state space; run without -short")
			}
			rep, _ := checkJSON(t, k.args...)
			if !strings.Contains(rep.Symmetry, "interchangeable") {
				t.Fatalf("symmetry not in effect: %s", rep.Symmetry)
			}
			var got []pinnedViolation
			for _, v := range rep.Violations {
				got = append(got, pinnedViolation{v.Property, v.TraceLength})
			}
			if rep.Result != k.result || !equalViolations(got, k.violations) {
				t.Errorf("with symmetry: %s %v; without: %s %v", rep.Result, got, k.result, k.violations)
			}
			if rep.DistinctStates > k.distinct || rep.Depth != k.depth {
				t.Errorf("with symmetry %d states at depth %d, without %d at %d", rep.DistinctStates, rep.Depth, k.distinct, k.depth)
			}
			if rep.DistinctStates != k.symDistinct || rep.GeneratedStates != k.symGenerated {
				t.Errorf("with symmetry: %d distinct, %d generated; pinned %d, %d", rep.DistinctStates, rep.GeneratedStates, k.symDistinct, k.symGenerated)
			}
		})
	}
}

func equalViolations(a, b []pinnedViolation) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// "No violation" must come with the situations it guards reached. The
// modern configuration must also show the other side of the trade-off: the
// partition can go offline, and writes can be refused.
func TestModernKafkaWitnesses(t *testing.T) {
	rep, _ := checkJSON(t, "--config", "../../testdata/configs/modern-clean.properties")
	for name, reached := range rep.Witnesses {
		if !reached {
			t.Errorf("witness %s not reached", name)
		}
	}
	for _, w := range []string{"failover-after-commit", "acked-record-survives-failover", "new-leader-exposes-hw", "stale-leader", "partition-offline", "produce-refused"} {
		if !rep.Witnesses[w] {
			t.Errorf("witness %s missing or not reached", w)
		}
	}
	if len(rep.Vacuous) != 0 || len(rep.Warnings) != 0 {
		t.Errorf("vacuous %v, warnings %v", rep.Vacuous, rep.Warnings)
	}
}

// BFS and a plain DFS must find the same distinct states, and compute the
// same successors, on every pinned configuration. With --keep-going both
// search the whole space (no pinned configuration violates every property).
func TestBFSAndDFSAgree(t *testing.T) {
	seen := map[string]bool{}
	for _, k := range knownResults {
		if !containsArg(k.args, "--keep-going") && k.result != "ok" {
			continue
		}
		key := strings.Join(k.args, " ")
		if seen[key] {
			continue
		}
		seen[key] = true
		t.Run(k.name, func(t *testing.T) {
			if testing.Short() && k.distinct > 1_000_000 {
				t.Skip("large state space; run without -short")
			}
			dfs, _ := checkJSON(t, append(k.args, "--strategy", "dfs", "--keep-going", "--symmetry=false")...)
			if !dfs.Complete {
				t.Fatalf("DFS did not complete: %s", dfs.StopReason)
			}
			if dfs.DistinctStates != k.distinct || dfs.GeneratedStates != k.generated {
				t.Errorf("DFS: %d distinct, %d generated; BFS (pinned): %d, %d", dfs.DistinctStates, dfs.GeneratedStates, k.distinct, k.generated)
			}
			sym, _ := checkJSON(t, append(k.args, "--strategy", "dfs", "--keep-going")...)
			if sym.DistinctStates != k.symDistinct || sym.GeneratedStates != k.symGenerated {
				t.Errorf("DFS with symmetry: %d distinct, %d generated; BFS (pinned): %d, %d", sym.DistinctStates, sym.GeneratedStates, k.symDistinct, k.symGenerated)
			}
			var props []string
			for _, v := range dfs.Violations {
				props = append(props, v.Property)
			}
			var want []string
			for _, v := range k.violations {
				want = append(want, v.property)
			}
			if !sameSet(props, want) {
				t.Errorf("DFS violates %v, BFS %v", props, want)
			}
		})
	}
}

func containsArg(args []string, a string) bool {
	for _, x := range args {
		if x == a {
			return true
		}
	}
	return false
}

func sameSet(a, b []string) bool {
	m := map[string]int{}
	for _, x := range a {
		m[x]++
	}
	for _, x := range b {
		m[x]--
	}
	for _, n := range m {
		if n != 0 {
			return false
		}
	}
	return true
}
