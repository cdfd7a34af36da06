package checker

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// Two judges, one verdict: every golden trace of the Kafka model, turned
// into its client history (render.Kafka.ClientHistory), checked by
// lincheck. Pinned: the result and the anomalies found. What they show:
//
//   - every trace that loses acknowledged or committed data, reuses an
//     offset, erases consumed records or moves the high watermark back
//     gives a history that is not linearizable, with unseen (an
//     acknowledged value never read: the loss as a client sees it), and
//     lost-write and inconsistent-offsets where later records took the
//     lost ones' offsets (seed-004 and KAFKA-7128 show no named anomaly,
//     only the non-linearizable read);
//   - the two divergence results (KAFKA-6361, KAFKA-7415) are not: the
//     logs diverge where no client reads;
//   - the stories that lose nothing pass, except the two that end with the
//     partition offline, where the final consumer cannot read and the
//     acknowledged records are (still) unseen.
var judged = map[string][2]string{
	"elr-survives-power-loss":                  {"ok", ""},
	"known-acks1-failover":                     {"not-linearizable", "unseen"},
	"known-elr-clean-shutdown-power-loss":      {"ok", ""},
	"known-elr-limit":                          {"not-linearizable", "unseen"},
	"known-elr-off-by-default-4.0":             {"not-linearizable", "unseen"},
	"known-elr-tolerates-one-unclean-shutdown": {"ok", ""},
	"known-hw-truncation-0.10":                 {"not-linearizable", "unseen"},
	"known-kafka-6361-1.1":                     {"ok", ""},
	"known-kafka-7128-2.0":                     {"not-linearizable", ""},
	"known-kafka-7415-2.0":                     {"ok", ""},
	"known-kip-207-2.1":                        {"not-linearizable", ""},
	"known-log-divergence-0.10":                {"not-linearizable", "inconsistent-offsets lost-write unseen"},
	"known-min-isr-above-rf-3.6":               {"ok", ""},
	"known-modern-offline":                     {"anomalies", "empty-transaction-graph"}, // no client operation at all: nothing to check
	"known-modern-produce-refused":             {"ok", ""},
	"known-power-loss-last-isr":                {"not-linearizable", "unseen"},
	"known-stale-leader-2.0.1":                 {"not-linearizable", "unseen"},
	"known-unclean-election":                   {"not-linearizable", "unseen"},
	"known-unclean-hw-backwards":               {"not-linearizable", "unseen"},
	"known-unclean-offset-reuse":               {"not-linearizable", "inconsistent-offsets lost-write unseen"},
	"last-replica-standing-3.9":                {"not-linearizable", "unseen"},
	"seed-000-broker-a-returns-empty":          {"not-linearizable", "unseen"},
	"seed-000-unclean-loses-two":               {"not-linearizable", "unseen"},
	"seed-001-acks1-clean-failover":            {"not-linearizable", "unseen"},
	"seed-001-offline-keeps-message-3":         {"anomalies", "unseen"},
	"seed-001-unclean-loses-message-3":         {"not-linearizable", "unseen"},
	"seed-002-elr-still-loses":                 {"not-linearizable", "unseen"},
	"seed-002-returning-replica-truncated":     {"not-linearizable", "inconsistent-offsets lost-write unseen"},
	"seed-002-unclean-elects-broker-3":         {"not-linearizable", "unseen"},
	"seed-002-wait-after-flush":                {"ok", ""},
	"seed-002-wait-after-power-outage":         {"not-linearizable", "unseen"},
	"seed-003-leader-crash-acks-all":           {"ok", ""},
	"seed-003-leader-crash-acks1":              {"not-linearizable", "unseen"},
	"seed-003-offline-until-isr-returns":       {"anomalies", "unseen"},
	"seed-003-rolling-restart":                 {"ok", ""},
	"seed-003-single-broker-failure":           {"ok", ""},
	"seed-003-two-broker-failures":             {"ok", ""},
	"seed-003-unclean-loses-offsets-4-5":       {"not-linearizable", "inconsistent-offsets lost-write unseen"},
	"seed-004-offsets-11-20-erased":            {"not-linearizable", ""},
}

func TestTwoJudges(t *testing.T) {
	paths, err := filepath.Glob("../testdata/traces/*.json")
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		f, err := ReadTrace(data)
		if err != nil {
			t.Fatal(err)
		}
		if f.Model != ModelKafka {
			continue
		}
		name := strings.TrimSuffix(filepath.Base(p), ".json")
		want, ok := judged[name]
		if !ok {
			t.Errorf("%s: a golden trace the table does not judge: add it", name)
			continue
		}
		seen++
		h, err := ClientHistoryOf(f)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := Lincheck(h, "jsonl", LincheckOptions{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var names []string
		for n := range rep.Counts {
			names = append(names, n)
		}
		sort.Strings(names)
		if got := [2]string{rep.Result, strings.Join(names, " ")}; got != want {
			t.Errorf("%s: lincheck says %q, pinned %q", name, got, want)
		}
		if f.Property != "" && f.Property != "no-log-divergence" && rep.Result == "ok" {
			t.Errorf("%s breaks %s, but its client history passes", name, f.Property)
		}
	}
	if seen != len(judged) {
		t.Errorf("%d traces judged of %d pinned", seen, len(judged))
	}
}
