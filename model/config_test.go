package model

import (
	"strings"
	"testing"
)

// Kafka's defaults follow the release: what a properties file leaves out.
func TestKafkaDefaultsPerRelease(t *testing.T) {
	for _, c := range []struct {
		version, acks, controller string
		unclean, elr              bool
	}{
		{"0.10", "1", "zookeeper", true, false},
		{"2.8", "1", "zookeeper", false, false},
		{"3.0", "all", "zookeeper", false, false},
		{"3.3", "all", "kraft", false, false},
		{"4.0", "all", "kraft", false, false},
		{"4.1", "all", "kraft", false, true},
		{"4.4", "all", "kraft", false, true},
	} {
		cfg := NewConfig(KafkaDefaults)
		if err := cfg.Set("electcheck.kafka.version", c.version); err != nil {
			t.Fatal(err)
		}
		if cfg.ReplicationFactor != 1 || cfg.MinInsyncReplicas != 1 || cfg.Acks.String() != c.acks ||
			cfg.Controller.String() != c.controller || cfg.UncleanLeaderElection != c.unclean || cfg.EligibleLeaderReplicas != c.elr {
			t.Errorf("%s: %+v", c.version, cfg)
		}
	}
	// The recommended base keeps acks=all and min ISR 2 on every release.
	cfg := DefaultConfig()
	_ = cfg.Set("electcheck.kafka.version", "2.0")
	if cfg.Acks != AcksAll || cfg.MinInsyncReplicas != 2 || cfg.ReplicationFactor != 3 {
		t.Errorf("recommended on 2.0: %+v", cfg)
	}
	// A setting given is not re-derived when the release changes.
	cfg = NewConfig(KafkaDefaults)
	_ = cfg.Set("acks", "all")
	_ = cfg.Set("electcheck.kafka.version", "2.0")
	if cfg.Acks != AcksAll {
		t.Errorf("an explicit acks=all was replaced by 2.0's default")
	}
}

func TestWhatIfLabels(t *testing.T) {
	for _, c := range []struct {
		settings [][2]string
		want     string // a fragment, or "" for a real release
	}{
		{nil, ""},
		{[][2]string{{"electcheck.kafka.version", "4.0"}, {"eligible.leader.replicas.version", "1"}}, ""},
		{[][2]string{{"electcheck.kafka.version", "4.1"}, {"eligible.leader.replicas.version", "0"}}, ""},
		{[][2]string{{"electcheck.kafka.version", "3.9"}, {"electcheck.controller", "zookeeper"}}, ""},
		{[][2]string{{"electcheck.kafka.version", "2.1"}, {"electcheck.feature.hide-lagging-hw", "on"}}, "the rules of Kafka 2.2"},
		{[][2]string{{"electcheck.feature.strict-min-isr", "off"}}, "no Kafka release had these rules"},
		{[][2]string{{"electcheck.kafka.version", "3.9"}, {"eligible.leader.replicas.version", "1"}}, "eligible-leader-replicas=on"},
	} {
		cfg := DefaultConfig()
		for _, kv := range c.settings {
			if err := cfg.Set(kv[0], kv[1]); err != nil {
				t.Fatal(err)
			}
		}
		got := cfg.WhatIf()
		if c.want == "" && got != "" || c.want != "" && !strings.Contains(got, c.want) {
			t.Errorf("%v: WhatIf %q, want %q", c.settings, got, c.want)
		}
		if c.want != "" && !strings.Contains(cfg.String(), "what-if") {
			t.Errorf("%v: the configuration line does not carry the label: %s", c.settings, cfg.String())
		}
	}
}

// The properties reader sorts a server.properties' keys into applied,
// ignored (Kafka's), unknown and refused.
func TestApplyProperties(t *testing.T) {
	props, err := ParseProperties("process.roles=broker,controller\nlog.dirs=/tmp/x\nmy.plugin.key=1\ndefault.replication.factor=3\nmin.insync.replicas=2\nelectcheck.kafka.version=3.9\n")
	if err != nil {
		t.Fatal(err)
	}
	cfg := NewConfig(KafkaDefaults)
	loaded, err := cfg.ApplyProperties(props)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(loaded.Ignored, ",") != "log.dirs" || strings.Join(loaded.Unknown, ",") != "my.plugin.key" {
		t.Errorf("ignored %v, unknown %v", loaded.Ignored, loaded.Unknown)
	}
	if cfg.Controller != KRaft || cfg.ReplicationFactor != 3 || cfg.MinInsyncReplicas != 2 || cfg.Version != (Version{3, 9}) {
		t.Errorf("config %+v", cfg)
	}
	// zookeeper.connect means ZooKeeper; an explicit electcheck.controller
	// wins over it.
	for in, want := range map[string]ControllerMode{
		"zookeeper.connect=zk:2181\nelectcheck.kafka.version=2.0\n":                              ZooKeeper,
		"zookeeper.connect=zk:2181\nelectcheck.kafka.version=3.5\nelectcheck.controller=kraft\n": KRaft,
		"process.roles=broker\nzookeeper.connect=zk:2181\nelectcheck.kafka.version=3.5\n":        KRaft,
		"electcheck.kafka.version=2.0\n":                                                         ZooKeeper,
	} {
		props, _ := ParseProperties(in)
		cfg := NewConfig(KafkaDefaults)
		if _, err := cfg.ApplyProperties(props); err != nil || cfg.Controller != want {
			t.Errorf("%q: controller %s, %v; want %s", in, cfg.Controller, err, want)
		}
	}
}
