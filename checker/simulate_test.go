package checker

import (
	"bytes"
	"reflect"
	"testing"
	"time"
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
	if clean.Steps != 119197 || clean.Linearizable != 2000 || clean.NotLinearizable != 0 || len(clean.Violations) != 0 || len(clean.Anomalies) != 0 || clean.Result != "ok" {
		t.Errorf("clean 4.1: %d steps, %d linearizable, %d not, violations %v, anomalies %v", clean.Steps, clean.Linearizable, clean.NotLinearizable, clean.Violations, clean.Anomalies)
	}
	// The same walks with unclean election on lose acknowledged records:
	// what the clean setup keeps was reached.
	unclean := Settings{"electcheck.kafka.version=4.1", "unclean.leader.election.enable=true", "electcheck.records=4", "electcheck.crashes=3"}
	opts := SimulateOptions{Seed: 7, Walks: 5000, Depth: 80}
	u := simulate(t, unclean, opts)
	want := map[string]int{"inconsistent-offsets": 13, "lost-write": 8, "unseen": 18}
	if u.Steps != 372455 || u.NotLinearizable != 29 || u.Violations["acked-records-durable"] != 29 || !reflect.DeepEqual(u.Anomalies, want) || u.Result != "violation" {
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

// Where walks break a property, the exhaustive search breaks it too: with
// acks=all and one power loss, clean and ELR elections lose an
// acknowledged record (the leader, alone in the ISR, loses its unflushed
// log and comes back to be elected from it). One walk in 2,000 finds it;
// the search finds it at its shortest. Walks are a sample: that they found
// nothing is no proof, and the search is the judge.
func TestSimulateFindsWhatSearchFinds(t *testing.T) {
	for _, elr := range []string{"0", "1"} {
		settings := Settings{"acks=all", "electcheck.records=3", "electcheck.crashes=2", "electcheck.power.losses=1",
			"unclean.leader.election.enable=false", "eligible.leader.replicas.version=" + elr}
		sim := simulate(t, settings, SimulateOptions{Seed: 1, Walks: 2000, Depth: 60})
		if sim.Violations["acked-records-durable"] != 1 || sim.Shortest == nil {
			t.Fatalf("elr %s: walks broke %v", elr, sim.Violations)
		}
		res, err := Replay(sim.FailingTrace())
		if err != nil || res.Replayed != sim.Shortest.Steps {
			t.Errorf("elr %s: the failing walk does not replay: %v", elr, err)
		}
		req, err := KafkaRequest(settings)
		if err != nil {
			t.Fatal(err)
		}
		req.Properties = []string{"acked-records-durable"}
		out, err := Check(req, Search{})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Violations) != 1 || out.Violations[0].Property != "acked-records-durable" || out.Violations[0].Length > sim.Shortest.Steps+1 {
			t.Errorf("elr %s: the search found %+v; the walk took %d steps", elr, out.Violations, sim.Shortest.Steps)
		}
	}
}

// The report of a simulation is the same whatever the number of workers
// taking the walks: counts, anomalies, the shortest failing walk and its
// trace.
func TestSimulateWorkersGiveIdenticalReports(t *testing.T) {
	req, err := KafkaRequest(Settings{"unclean.leader.election.enable=true", "electcheck.records=3", "electcheck.crashes=3"})
	if err != nil {
		t.Fatal(err)
	}
	var first []byte
	for _, w := range []int{1, 2, 4} {
		rep, err := Simulate(req, SimulateOptions{Seed: 7, Walks: 600, Depth: 60, Timeout: 10 * time.Second, Workers: w})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Shortest == nil || rep.NotLinearizable == 0 {
			t.Fatalf("%d workers: no failing walk to compare (%+v)", w, rep)
		}
		rep.Seconds, rep.StepsPerSecond = 0, 0
		var b bytes.Buffer
		if err := rep.WriteJSON(&b); err != nil {
			t.Fatal(err)
		}
		trace, err := rep.FailingTrace().Marshal()
		if err != nil {
			t.Fatal(err)
		}
		b.Write(trace)
		if w == 1 {
			first = b.Bytes()
		} else if !bytes.Equal(b.Bytes(), first) {
			t.Errorf("%d workers give another report than 1", w)
		}
	}
}

// Verdicts remembered from identical histories (history.Judge's Remember)
// give the report that judging every walk afresh gives, byte for byte,
// text, JSON and the failing walk's trace, with one worker or two; and
// the memory was used.
func TestSimulateRemembersExactly(t *testing.T) {
	for _, s := range []Settings{
		{"unclean.leader.election.enable=true", "electcheck.records=3", "electcheck.crashes=3"},
		{"acks=1", "electcheck.records=3", "electcheck.power.losses=1"},
	} {
		req, err := KafkaRequest(s)
		if err != nil {
			t.Fatal(err)
		}
		var first []byte
		for _, run := range []struct {
			workers int
			forget  bool
		}{{1, true}, {1, false}, {2, false}} {
			rep, err := Simulate(req, SimulateOptions{Seed: 3, Walks: 800, Depth: 60, Timeout: 10 * time.Second, Workers: run.workers, forget: run.forget})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Shortest == nil || rep.NotLinearizable == 0 || len(rep.Anomalies) == 0 {
				t.Fatalf("%v: nothing failing to compare (%+v)", s, rep)
			}
			if (rep.repeats == 0) != run.forget {
				t.Fatalf("%v, %+v: %d walks' verdicts from memory", s, run, rep.repeats)
			}
			rep.Seconds, rep.StepsPerSecond = 0, 0
			var b bytes.Buffer
			if err := rep.WriteJSON(&b); err != nil {
				t.Fatal(err)
			}
			rep.WriteText(&b)
			trace, err := rep.FailingTrace().Marshal()
			if err != nil {
				t.Fatal(err)
			}
			b.Write(trace)
			if first == nil {
				first = b.Bytes()
			} else if !bytes.Equal(b.Bytes(), first) {
				t.Errorf("%v, %+v: another report than every history judged afresh", s, run)
			}
		}
	}
}
