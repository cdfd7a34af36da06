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
		{"3.3", "all", "zookeeper", false, false},
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
	if cfg.Controller != KRaft || cfg.ReplicationFactor != 3 || cfg.MinInsyncReplicas != 2 || cfg.Version != (Version{3, 9, ""}) {
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

// flush.messages=N fsyncs a log once an append leaves it N or more messages
// past its last fsync, as Kafka's Log.append does; unset, only the OS
// writes it (nothing is fsynced until a clean shutdown).
func TestFlushMessagesInterval(t *testing.T) {
	for _, c := range []struct {
		flush string
		want  []Offset // broker 1's fsynced prefix after each of three appends
	}{{"", []Offset{0, 0, 0}}, {"1", []Offset{1, 2, 3}}, {"2", []Offset{0, 2, 2}}, {"3", []Offset{0, 0, 3}}} {
		cfg := DefaultConfig()
		for _, kv := range [][2]string{{"replication.factor", "1"}, {"acks", "1"}, {"electcheck.records", "3"},
			{"electcheck.crashes", "0"}, {"electcheck.power.losses", "1"}, {"flush.messages", c.flush}} {
			if err := cfg.Set(kv[0], kv[1]); err != nil {
				t.Fatal(err)
			}
		}
		m, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		s := m.Init()[0]
		a, err := ParseAction("produce 1")
		if err != nil {
			t.Fatal(err)
		}
		for i, want := range c.want {
			if s, err = m.Step(&s, a); err != nil {
				t.Fatalf("flush.messages=%q, append %d: %v", c.flush, i+1, err)
			}
			if b := s.Broker(1); b.LEO != Offset(i+1) || b.Flushed != want {
				t.Errorf("flush.messages=%q, after append %d: LEO %d, fsynced %d; want fsynced %d", c.flush, i+1, b.LEO, b.Flushed, want)
			}
		}
		if got := cfg.Get("flush.messages"); got != c.flush {
			t.Errorf("flush.messages=%q reads back as %q", c.flush, got)
		}
	}
}

// min.insync.replicas above the replication factor is a configuration
// Kafka runs: from 3.7 capped at the replication factor (the built-in
// default's 2 on one replica is 1), before 3.7 as given, so that every
// acks=all write is refused; the configuration line says which.
func TestMinISRAboveTheReplicationFactor(t *testing.T) {
	for _, c := range []struct {
		version, rf, minISR string
		effective           int
		says                string
	}{
		{"4.4", "1", "", 1, "min.insync.replicas=2 (effective 1: capped at the replication factor"},
		{"3.7", "2", "3", 2, "min.insync.replicas=3 (effective 2: capped at the replication factor"},
		{"3.6", "2", "3", 3, "min.insync.replicas=3 (above the replication factor: before 3.7 every acks=all write is refused"},
		{"3.6", "3", "2", 2, "min.insync.replicas=2, acks"},
	} {
		cfg := DefaultConfig()
		for _, kv := range [][2]string{{"electcheck.kafka.version", c.version}, {"replication.factor", c.rf}, {"min.insync.replicas", c.minISR}} {
			if kv[1] != "" {
				if err := cfg.Set(kv[0], kv[1]); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := cfg.Validate(); err != nil || cfg.EffectiveMinISR() != c.effective || !strings.Contains(cfg.String(), c.says) {
			t.Errorf("%s RF %s min ISR %s: %v, effective %d, %s", c.version, c.rf, c.minISR, err, cfg.EffectiveMinISR(), cfg.String())
		}
	}
}

// Eligible leader replicas asked for before 4.0 are applied, labelled as
// the what-if they are, not reported on and ignored.
func TestELRBeforeItShipped(t *testing.T) {
	cfg := DefaultConfig()
	for _, kv := range [][2]string{{"electcheck.kafka.version", "3.9"}, {"electcheck.controller", "kraft"}, {"eligible.leader.replicas.version", "1"}} {
		if err := cfg.Set(kv[0], kv[1]); err != nil {
			t.Fatal(err)
		}
	}
	if !cfg.Features().Has(EligibleLeaderReplicas) || cfg.WhatIf() != "what-if: Kafka 3.9 with eligible-leader-replicas=on (the rules of Kafka 4.0)" {
		t.Errorf("ELR on 3.9: features %s, what-if %q", cfg.Features().Names(), cfg.WhatIf())
	}
	_ = cfg.Set("electcheck.kafka.version", "4.0")
	if !cfg.Features().Has(EligibleLeaderReplicas) || cfg.WhatIf() != "" {
		t.Errorf("ELR on 4.0 is its own opt-in, not a what-if: %q", cfg.WhatIf())
	}
}
