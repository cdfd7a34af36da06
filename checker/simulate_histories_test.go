package checker

import (
	"reflect"
	"testing"

	"electcheck/explore"
	"electcheck/history"
	"electcheck/history/render"
	"electcheck/model"
)

// The client histories simulate builds in reused memory are, walk after
// walk, the ones ClientHistory builds afresh from each walk's trace: with
// a consumer, unclean elections and power losses, so that polls, refused,
// indeterminate and lost sends all appear.
func TestReusedClientHistoriesAreFresh(t *testing.T) {
	req, err := KafkaRequest(Settings{"acks=1", "replication.factor=3", "electcheck.records=4", "electcheck.crashes=2",
		"electcheck.power.losses=1", "unclean.leader.election.enable=true", "electcheck.consumer=true"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := newKafkaRun(&req, &Search{})
	if err != nil {
		t.Fatal(err)
	}
	kafka := render.Kafka{M: r.model}
	var reused render.ClientHistories
	const seed = 11
	polls := 0
	_, err = explore.Simulate(r.spec(), explore.SimOptions{Seed: seed, Walks: 500, MaxDepth: 60},
		func(w *explore.Walk[model.State, model.Action]) error {
			tr, err := history.New(w.Trace.States, w.Trace.Actions)
			if err != nil {
				return err
			}
			want := kafka.ClientHistory(tr)
			if got := reused.Of(kafka, w.Trace.States); !reflect.DeepEqual(got, want) {
				t.Fatalf("seed %d, walk %d: the reused history differs from a fresh one:\n%+v\n%+v", seed, w.Index, got, want)
			}
			for _, op := range want.Ops {
				if op.F == history.FPoll && op.Type == history.OK && len(op.Mops[0].Reads[0].Records) > 0 {
					polls++
				}
			}
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	if polls == 0 {
		t.Error("no walk polled a record: the test shows nothing")
	}
}
