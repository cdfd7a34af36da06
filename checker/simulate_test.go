package checker

import (
	"reflect"
	"testing"
)

func simulate(tb testing.TB, settings Settings, opts SimulateOptions) *SimulateReport {
	tb.Helper()
	req, err := KafkaRequest(settings)
	if err != nil {
		tb.Fatal(err)
	}
	rep, err := Simulate(req, opts)
	if err != nil {
		tb.Fatal(err)
	}
	return rep
}

// Pinned: on Kafka 4.1's recommended setup (acks=all, clean elections),
// every simulated history is linearizable and no invariant breaks; with
// unclean election and a replication factor above min.insync.replicas,
// histories are not linearizable, with lost-write. The same seed gives the
// same walks.
func TestSimulatePinned(t *testing.T) {
	clean := simulate(t, Settings{"electcheck.kafka.version=4.1"}, SimulateOptions{Seed: 1, Walks: 2000, Depth: 60})
	if clean.Steps != 119101 || clean.Linearizable != 2000 || clean.NotLinearizable != 0 || len(clean.Violations) != 0 || clean.Result != "ok" {
		t.Errorf("clean 4.1: %d steps, %d linearizable, %d not, violations %v", clean.Steps, clean.Linearizable, clean.NotLinearizable, clean.Violations)
	}
	// The one anomaly: a walk that ends with no leader, whose final poll
	// cannot read the acknowledged records.
	if !reflect.DeepEqual(clean.Anomalies, map[string]int{"unseen": 1}) {
		t.Errorf("clean 4.1 anomalies %v", clean.Anomalies)
	}
	unclean := Settings{"electcheck.kafka.version=4.1", "unclean.leader.election.enable=true", "electcheck.records=4", "electcheck.crashes=3"}
	opts := SimulateOptions{Seed: 7, Walks: 5000, Depth: 80}
	u := simulate(t, unclean, opts)
	want := map[string]int{"inconsistent-offsets": 12, "lost-write": 9, "unseen": 29}
	if u.Steps != 370215 || u.NotLinearizable != 37 || u.Violations["acked-records-durable"] != 37 || !reflect.DeepEqual(u.Anomalies, want) || u.Result != "violation" {
		t.Errorf("unclean 4.1: %d steps, %d not linearizable, violations %v, anomalies %v", u.Steps, u.NotLinearizable, u.Violations, u.Anomalies)
	}
	if u.Shortest == nil || u.FailingTrace() == nil || u.FailingHistory() == nil {
		t.Fatal("no failing walk saved")
	}
	// The saved walk replays, and still breaks what it broke.
	res, err := Replay(u.FailingTrace())
	if err != nil || res.Replayed != u.Shortest.Steps {
		t.Errorf("the failing walk does not replay: %v %+v", err, res)
	}
	again := simulate(t, unclean, opts)
	again.Seconds, again.StepsPerSecond = u.Seconds, u.StepsPerSecond
	if !reflect.DeepEqual(again.Shortest, u.Shortest) || again.Steps != u.Steps || !reflect.DeepEqual(again.Anomalies, u.Anomalies) {
		t.Errorf("the same seed gave other walks")
	}
}
