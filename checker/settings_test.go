package checker

import (
	"testing"

	"electcheck/model"
)

// KafkaSettings describes a configuration completely: applied to the
// recommended setup they give it back, whatever was set and in what order.
func TestKafkaSettingsRoundTrip(t *testing.T) {
	cases := []Settings{
		nil,
		{"acks=1"},
		{"electcheck.kafka.version=0.10", "unclean.leader.election.enable=false"},
		{"unclean.leader.election.enable=false", "electcheck.kafka.version=0.10"},
		{"electcheck.kafka.version=3.9", "electcheck.controller=zookeeper", "electcheck.feature.strict-min-isr=on"},
		{"electcheck.kafka.version=4.0", "eligible.leader.replicas.version=1", "replication.factor=2", "electcheck.power.losses=1"},
	}
	for _, s := range cases {
		req, err := KafkaRequest(s)
		if err != nil {
			t.Fatalf("%v: %v", s, err)
		}
		again, err := KafkaRequest(KafkaSettings(req.Kafka))
		if err != nil {
			t.Fatalf("%v: %v", KafkaSettings(req.Kafka), err)
		}
		for _, st := range model.Settings {
			if a, b := req.Kafka.Get(st.Key), again.Kafka.Get(st.Key); a != b {
				t.Errorf("%v: %s is %s, after the round trip %s", s, st.Key, a, b)
			}
		}
		if a, b := req.Kafka.Features(), again.Kafka.Features(); a != b {
			t.Errorf("%v: features %v, after the round trip %v", s, a.Names(), b.Names())
		}
	}
}

// Flags are check's flags: a boolean's value joined to it, others apart,
// features as --feature.
func TestSettingsFlags(t *testing.T) {
	got := Settings{"acks=1", "unclean.leader.election.enable=true", "electcheck.feature.fenced-fetch=off"}.Flags()
	want := []string{"--acks", "1", "--unclean-leader-election=true", "--feature", "fenced-fetch=off"}
	if len(got) != len(want) {
		t.Fatalf("%q, want %q", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("%q, want %q", got, want)
		}
	}
}
