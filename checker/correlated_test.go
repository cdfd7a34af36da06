package checker

import (
	"testing"

	"electcheck/explore"
	"electcheck/history"
	"electcheck/model"
)

// correlatedRequest is the recommended setup on the newest release (RF 3,
// acks=all, min.insync.replicas=2, flush.messages unset, eligible leader
// replicas on), two records, no process crashes and one correlated power
// loss, checked for committed-offsets-preserved.
func correlatedRequest(tb testing.TB, settings ...string) Request {
	tb.Helper()
	req, err := KafkaRequest(append(Settings{"electcheck.crashes=0", "electcheck.correlated.power.losses=1"}, settings...))
	if err != nil {
		tb.Fatal(err)
	}
	if req.Kafka.Version != model.Latest || req.Kafka.Acks != model.AcksAll || req.Kafka.MinInsyncReplicas != 2 || req.Kafka.ReplicationFactor != 3 {
		tb.Fatalf("not the recommended setup on the newest release: %s", req.Kafka.String())
	}
	req.Properties = []string{"committed-offsets-preserved"}
	return req
}

// When the whole partition loses power at once, what Kafka acknowledged
// but did not fsync is gone from every replica: no election rule can
// save it. The shortest loss commits record a on brokers 1 and 3, takes
// every broker down keeping nothing, and elects broker 1, the last known
// leader, from an empty log. With flush.messages=1 the same fault loses
// nothing: the whole space holds the property.
func TestCorrelatedPowerLossLosesCommitted(t *testing.T) {
	req := correlatedRequest(t)
	if req.Kafka.FlushMessages != 0 {
		t.Fatalf("flush.messages=%d, want it unset", req.Kafka.FlushMessages)
	}
	o, err := Check(req, Search{})
	if err != nil {
		t.Fatal(err)
	}
	v, ok := o.Violated("committed-offsets-preserved")
	const wantActions = "produce 1\nshrink-isr 1 2\nalter-partition 1\nfetch 3\nfetch 3\npower-loss-all keep 1:0 2:0 3:0\ndetect 3\ndetect 1\nrestart 1\nrestart 3 elect 1"
	if !ok || v.Length != 11 || v.Actions != wantActions {
		t.Errorf("committed-offsets-preserved: violated %t in %d states:\n%s\npinned: 11 states:\n%s", ok, v.Length, v.Actions, wantActions)
	}
	if o.Stats.Distinct != 12553 || o.Stats.Generated != 38420 || o.Stats.Depth != 11 {
		t.Errorf("%d distinct, %d generated, depth %d; pinned 12,553, 38,420, 11", o.Stats.Distinct, o.Stats.Generated, o.Stats.Depth)
	}
	if o.Command != "electcheck check --crashes 0 --correlated-power-losses 1" {
		t.Errorf("command %q", o.Command)
	}
	// The trace file reads back, its power-loss-all step included, and
	// replays to the same loss.
	if o.Primary == nil {
		t.Fatal("no trace file")
	}
	res, err := Replay(roundTrip(t, o.Primary))
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome != history.Reproduces || res.Replayed != 10 || res.Message != v.Message {
		t.Errorf("replay: %s after %d steps: %s", res.Outcome, res.Replayed, res.Message)
	}
	safe, err := Check(correlatedRequest(t, "flush.messages=1"), Search{})
	if err != nil {
		t.Fatal(err)
	}
	if safe.Verdict != explore.OK || !safe.Complete || safe.Stats.Distinct != 39230 || safe.Stats.Generated != 157242 || safe.Stats.Depth != 30 {
		t.Errorf("flush.messages=1: %s (complete %t), %d distinct, %d generated, depth %d; pinned ok, 39,230, 157,242, 30",
			safe.Verdict, safe.Complete, safe.Stats.Distinct, safe.Stats.Generated, safe.Stats.Depth)
	}
}

// A budget of 0 is the default: the configuration is the quick start's,
// whose search cmd/electcheck's TestModernKafkaWitnesses pins (1,755,744
// states, as before the fault existed), so it is not searched again here.
func TestNoCorrelatedPowerLossIsTheDefault(t *testing.T) {
	req, err := KafkaRequest(Settings{"electcheck.correlated.power.losses=0"})
	if err != nil {
		t.Fatal(err)
	}
	if got := KafkaCommand(req.Kafka); got != "electcheck check" {
		t.Errorf("command %q: a budget of 0 is the default", got)
	}
}
