package model

import (
	"fmt"
	"strconv"
	"strings"
)

// Acks is the producer's acks setting.
type Acks int8

const (
	// AcksNone (acks=0): the producer never waits; nothing is acknowledged.
	AcksNone Acks = 0
	// AcksLeader (acks=1): acknowledged once the leader appended the record.
	AcksLeader Acks = 1
	// AcksAll (acks=all, -1 on the wire): acknowledged once the high
	// watermark passes the record.
	AcksAll Acks = -1
)

func (a Acks) String() string {
	switch a {
	case AcksNone:
		return "0"
	case AcksLeader:
		return "1"
	}
	return "all"
}

// ParseAcks accepts 0, 1, all or -1, as the producer does.
func ParseAcks(s string) (Acks, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "0":
		return AcksNone, nil
	case "1":
		return AcksLeader, nil
	case "all", "-1":
		return AcksAll, nil
	}
	return 0, fmt.Errorf("acks must be 0, 1 or all, not %q", s)
}

// Bounds keep the state space finite. Each is "at most this many in the
// whole run".
type Bounds struct {
	Records        int // records producers send in total
	Crashes        int // process crashes: the page cache survives
	PowerLosses    int // power losses: the unflushed suffix of the log is lost
	DiskLosses     int // disk losses: the broker returns with an empty log
	CleanShutdowns int // controlled shutdowns
	Pauses         int // GC pauses or network partitions: the broker stops acting, then resumes with stale metadata
	MaxLeaderEpoch int // leader epochs 0..MaxLeaderEpoch; elections beyond are not explored
	// CorrelatedPowerLosses: every broker of the partition loses power at
	// once (a rack or data-centre outage), each losing its unflushed
	// suffix; one counts once, however many brokers it takes down.
	CorrelatedPowerLosses int
}

// Config is one partition's configuration: the Kafka settings that matter to
// replication, the release and its protocol features, and the search
// bounds. Build it with NewConfig (or DefaultConfig) and Set, then Validate
// it.
type Config struct {
	ReplicationFactor     int
	MinInsyncReplicas     int
	Acks                  Acks
	UncleanLeaderElection bool
	Version               Version
	// Controller is ZooKeeper or KRaft; some rules exist in one only.
	Controller ControllerMode
	// EligibleLeaderReplicas is Kafka's eligible.leader.replicas.version
	// feature (KIP-966): on by default for new clusters from 4.1.
	EligibleLeaderReplicas bool
	// Overrides are --feature switches on top of the release's rules.
	Overrides Overrides
	// FlushMessages is flush.messages: a log is fsynced whenever an append
	// leaves it this many messages or more past its last fsync (Kafka's
	// Log.append), so 1 fsyncs every append and a power loss loses
	// nothing. 0 is unset, Kafka's default (Long.MAX_VALUE): flushing is
	// left to the OS.
	FlushMessages int64
	// AutoLeaderRebalance is auto.leader.rebalance.enable: the controller
	// moves leadership back to the preferred replica when it is in the ISR.
	AutoLeaderRebalance bool
	// Consumer adds a consumer that reads the partition below the HW.
	Consumer bool
	// OperatorMayEnableUnclean lets an operator set
	// unclean.leader.election.enable=true once, mid-run, as a dynamic
	// configuration change (the enable-unclean action); Kafka applies it
	// to offline partitions at once (seed 002 warns about it).
	OperatorMayEnableUnclean bool
	// InitialLeader leads epoch 0 and is the preferred replica (the first in
	// the replica assignment).
	InitialLeader BrokerID
	Bounds        Bounds

	// Base is what the settings not given come from.
	Base Base
	// given has bit i set when Settings[i] was set explicitly: a setting
	// whose default depends on the release is re-derived when the release
	// changes, unless it was given.
	given uint64
}

// NewConfig is a configuration on base for the newest release, every
// setting at its default.
func NewConfig(base Base) Config {
	c := Config{Base: base, Version: Latest}
	for i := range Settings {
		c.setDefault(&Settings[i])
	}
	return c
}

// DefaultConfig is the configuration `electcheck check` runs with no flags
// and no --config file: a three-replica partition of the newest release with
// acks=all and min.insync.replicas=2, the settings Kafka's documentation
// recommends for durability, and bounds small enough to finish in seconds.
func DefaultConfig() Config { return NewConfig(Recommended) }

func (c *Config) setDefault(s *Setting) {
	if err := s.set(c, s.Default(c.Base, c.Version)); err != nil {
		panic(fmt.Sprintf("model: the default of %s does not parse: %v", s.Key, err))
	}
}

// Features are the replication rules in force: the release's, with the
// controller and eligible leader replicas as configured, and the --feature
// overrides applied. Eligible leader replicas asked for on a release
// before 4.0, which cannot turn them on, are applied too: a what-if
// (WhatIf says so), never reported on and ignored.
func (c *Config) Features() FeatureSet {
	fs := ReleaseFeatures(c.Version, c.Controller, c.EligibleLeaderReplicas)
	if c.EligibleLeaderReplicas && !c.Version.ELRAvailable() {
		fs = fs.With(EligibleLeaderReplicas)
	}
	return c.Overrides.Apply(fs)
}

// WhatIf says how the rules in force differ from every Kafka release: ""
// when they are the configured release's own; otherwise a label such as
// "what-if: no Kafka release had these rules". Every output carries it.
func (c *Config) WhatIf() string {
	f := c.Features()
	own := ReleaseFeatures(c.Version, c.Controller, c.EligibleLeaderReplicas)
	if f == own {
		return ""
	}
	var changes []string
	for _, fi := range FeatureTable {
		if f.Has(fi.Feature) != own.Has(fi.Feature) {
			changes = append(changes, fi.Name+"="+onOff(f.Has(fi.Feature)))
		}
	}
	label := fmt.Sprintf("what-if: Kafka %s with %s", c.Version, strings.Join(changes, ", "))
	if rs := Releases(f, c.Controller); len(rs) > 0 {
		return label + fmt.Sprintf(" (the rules of Kafka %s)", rs[0])
	}
	return label + ": no Kafka release had these rules"
}

// Given reports whether the setting with this key was set explicitly.
func (c *Config) Given(key string) bool {
	s, ok := LookupSetting(key)
	return ok && c.given&(1<<settingIndex(s)) != 0
}

// Set applies one setting by its key (Kafka's property name, an alias, or
// electcheck.*; electcheck.feature.NAME for a feature switch). The error
// says what was wrong and what is accepted. Choosing a release re-derives
// the settings whose default depends on it, unless they were given.
func (c *Config) Set(key, value string) error {
	s, ok := LookupSetting(key)
	if !ok {
		return unknownSetting(key)
	}
	if err := s.set(c, value); err != nil {
		return err
	}
	c.given |= 1 << settingIndex(s)
	switch s.Key {
	case "electcheck.kafka.version":
		for i := range Settings {
			d := &Settings[i]
			if c.given&(1<<i) == 0 && d.VersionDependent() {
				c.setDefault(d)
			}
		}
	}
	return nil
}

// EffectiveMinISR is the min ISR the leader enforces: from 3.7
// (strict-min-isr's KAFKA-15583) min.insync.replicas capped at the
// replication factor (Partition.effectiveMinIsr), before that
// min.insync.replicas as given.
func (c *Config) EffectiveMinISR() int {
	if c.Features().Has(StrictMinISR) {
		return min(c.MinInsyncReplicas, c.ReplicationFactor)
	}
	return c.MinInsyncReplicas
}

// minISRText is min.insync.replicas as the configuration line shows it:
// with what it means when it exceeds the replication factor.
func (c *Config) minISRText() string {
	n := strconv.Itoa(c.MinInsyncReplicas)
	switch {
	case c.MinInsyncReplicas <= c.ReplicationFactor:
		return n
	case c.EffectiveMinISR() < c.MinInsyncReplicas:
		return fmt.Sprintf("%s (effective %d: capped at the replication factor, Partition.effectiveMinIsr from 3.7)", n, c.EffectiveMinISR())
	}
	return n + " (above the replication factor: before 3.7 every acks=all write is refused, NotEnoughReplicas)"
}

// Validate reports the first setting that is out of range, saying how to fix
// it.
func (c *Config) Validate() error {
	b := c.Bounds
	switch {
	case c.ReplicationFactor < 1 || c.ReplicationFactor > MaxReplicas:
		return fmt.Errorf("replication factor %d is out of range: use 1 to %d", c.ReplicationFactor, MaxReplicas)
	case c.MinInsyncReplicas < 1 || c.MinInsyncReplicas > MaxReplicas:
		// Above the replication factor is a real configuration: Kafka
		// caps it from 3.7 and refuses every acks=all write before
		// (EffectiveMinISR); the header says which.
		return fmt.Errorf("min.insync.replicas %d is out of range: use 1 to %d", c.MinInsyncReplicas, MaxReplicas)
	case c.Acks != AcksNone && c.Acks != AcksLeader && c.Acks != AcksAll:
		return fmt.Errorf("acks must be 0, 1 or all")
	case !c.Version.Supports(c.Controller) && c.Controller == ZooKeeper:
		return fmt.Errorf("release %s has no ZooKeeper mode (Kafka removed it in 4.0): use --controller kraft, or a release before 4.0", c.Version)
	case !c.Version.Supports(c.Controller):
		return fmt.Errorf("release %s has no KRaft mode (it arrived in Kafka 2.8): use --controller zookeeper, or a release from 2.8", c.Version)
	case c.EligibleLeaderReplicas && c.Controller != KRaft:
		return fmt.Errorf("eligible leader replicas (KIP-966) exist only with the KRaft controller: use --controller kraft, or --eligible-leader-replicas=false")
	case int(c.InitialLeader) < 1 || int(c.InitialLeader) > c.ReplicationFactor:
		return fmt.Errorf("initial leader %d is not a replica: use 1 to %d", c.InitialLeader, c.ReplicationFactor)
	case b.Records < 0 || b.Records > MaxRecords:
		return fmt.Errorf("records bound %d is out of range: use 0 to %d", b.Records, MaxRecords)
	case b.MaxLeaderEpoch < 0 || b.MaxLeaderEpoch > MaxEpoch:
		return fmt.Errorf("max leader epoch %d is out of range: use 0 to %d", b.MaxLeaderEpoch, MaxEpoch)
	}
	if err := checkFeatures(c.Features(), c.Controller); err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		n    int
	}{{"crashes", b.Crashes}, {"power losses", b.PowerLosses}, {"disk losses", b.DiskLosses}, {"clean shutdowns", b.CleanShutdowns}, {"pauses", b.Pauses},
		{"correlated power losses", b.CorrelatedPowerLosses}} {
		if f.n < 0 || f.n > 100 {
			return fmt.Errorf("%s bound %d is out of range: use 0 to 100", f.name, f.n)
		}
	}
	return nil
}

// String names the configuration in Kafka's words, one line.
func (c *Config) String() string {
	flush := "unset (OS flushes)"
	if c.FlushMessages > 0 {
		flush = strconv.FormatInt(c.FlushMessages, 10)
	}
	unclean := strconv.FormatBool(c.UncleanLeaderElection)
	if c.OperatorMayEnableUnclean && !c.UncleanLeaderElection {
		unclean += " (an operator may enable it mid-run)"
	}
	elr := ""
	if c.Controller == KRaft {
		elr = fmt.Sprintf(", eligible.leader.replicas.version=%s", c.get("eligible.leader.replicas.version"))
	}
	s := fmt.Sprintf("Kafka %s (%s controller), replication.factor=%d, min.insync.replicas=%s, acks=%s, unclean.leader.election.enable=%s%s, flush.messages=%s, auto.leader.rebalance.enable=%t",
		c.Version, c.Controller, c.ReplicationFactor, c.minISRText(), c.Acks, unclean, elr, flush, c.AutoLeaderRebalance)
	if w := c.WhatIf(); w != "" {
		s += " [" + w + "]"
	}
	return s
}

// String lists the bounds, one line.
func (b Bounds) String() string {
	return fmt.Sprintf("records %d, crashes %d, power losses %d, disk losses %d, clean shutdowns %d, pauses %d, correlated power losses %d, max leader epoch %d",
		b.Records, b.Crashes, b.PowerLosses, b.DiskLosses, b.CleanShutdowns, b.Pauses, b.CorrelatedPowerLosses, b.MaxLeaderEpoch)
}

// Get returns the value of a setting, by key or alias, in the form Set
// accepts ("" for an unset one; for electcheck.feature.NAME, on or off if
// overridden).
func (c *Config) Get(key string) string { return c.get(key) }

func (c *Config) get(key string) string {
	s, ok := LookupSetting(key)
	if !ok {
		return ""
	}
	return s.get(c)
}
