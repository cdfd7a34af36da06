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
}

// Config is one partition's configuration: the Kafka settings that matter to
// replication, the release, and the search bounds. Build it with
// DefaultConfig and Set, then Validate it.
type Config struct {
	ReplicationFactor     int
	MinInsyncReplicas     int
	Acks                  Acks
	UncleanLeaderElection bool
	Version               Version
	// FlushEveryMessage is flush.messages=1: every append is fsynced, so a
	// power loss loses nothing. Kafka's default leaves flushing to the OS.
	FlushEveryMessage bool
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

	uncleanSet bool // unclean.leader.election.enable was set explicitly
}

// DefaultConfig is the configuration `electcheck check` runs with no flags: a
// three-replica partition of the latest release with acks=all and
// min.insync.replicas=2, the settings Kafka's documentation recommends for
// durability, and bounds small enough to finish in seconds.
func DefaultConfig() Config {
	return Config{
		ReplicationFactor:     3,
		MinInsyncReplicas:     2,
		Acks:                  AcksAll,
		UncleanLeaderElection: Latest.DefaultUncleanLeaderElection(),
		Version:               Latest,
		AutoLeaderRebalance:   true, // Kafka's default
		Consumer:              true,
		InitialLeader:         1,
		Bounds: Bounds{
			Records:        2,
			Crashes:        2,
			MaxLeaderEpoch: 2,
		},
	}
}

// Features are the replication rules of the configured release.
func (c *Config) Features() Features { return c.Version.Features() }

// Setting describes one key Set accepts.
type Setting struct {
	Key  string // the Kafka property name, or electcheck.* for bounds
	Flag string // the command-line flag
	Type string // int, bool or string
	Help string
}

// Settings lists every key Set accepts, in the order help text shows them.
var Settings = []Setting{
	{"replication.factor", "replication-factor", "int", "replicas of the partition, 1 to 5"},
	{"min.insync.replicas", "min-insync-replicas", "int", "ISR size below which acks=all writes are refused"},
	{"acks", "acks", "string", "producer acks: 0, 1 or all"},
	{"unclean.leader.election.enable", "unclean-leader-election", "bool", "elect an out-of-sync replica when no ISR member is alive (default: true up to 0.10, false after)"},
	{"electcheck.kafka.version", "kafka-version", "string", "Kafka release whose replication rules apply, 0.10 to " + Latest.String()},
	{"flush.messages", "flush-messages", "int", "1 to fsync every append; unset leaves flushing to the OS"},
	{"auto.leader.rebalance.enable", "auto-leader-rebalance", "bool", "let the controller move leadership back to the preferred replica"},
	{"electcheck.consumer", "consumer", "bool", "model a consumer reading below the high watermark"},
	{"electcheck.operator.may.enable.unclean", "operator-may-enable-unclean", "bool", "let an operator enable unclean leader election mid-run (a dynamic config change)"},
	{"electcheck.initial.leader", "initial-leader", "int", "broker leading epoch 0, also the preferred replica"},
	{"electcheck.records", "records", "int", "records producers send in the whole run"},
	{"electcheck.crashes", "crashes", "int", "process crashes in the whole run (page cache survives)"},
	{"electcheck.power.losses", "power-losses", "int", "power losses in the whole run (unflushed records lost)"},
	{"electcheck.disk.losses", "disk-losses", "int", "disk losses in the whole run (broker returns empty)"},
	{"electcheck.clean.shutdowns", "clean-shutdowns", "int", "controlled shutdowns in the whole run"},
	{"electcheck.pauses", "pauses", "int", "GC pauses or network partitions in the whole run"},
	{"electcheck.max.leader.epoch", "max-leader-epoch", "int", "largest leader epoch explored (elections beyond are cut off)"},
}

// Aliases accepted in properties files for a key in Settings.
var settingAliases = map[string]string{
	"default.replication.factor": "replication.factor",
	"kafka.version":              "electcheck.kafka.version",
}

// Set applies one setting by its Kafka property name (or electcheck.* name).
// The error says what was wrong and what is accepted.
func (c *Config) Set(key, value string) error {
	if k, ok := settingAliases[key]; ok {
		key = k
	}
	value = strings.TrimSpace(value)
	intValue := func(dst *int) error {
		n, err := strconv.Atoi(value)
		if err != nil {
			return fmt.Errorf("%s must be a whole number, not %q", key, value)
		}
		*dst = n
		return nil
	}
	boolValue := func(dst *bool) error {
		switch strings.ToLower(value) {
		case "true":
			*dst = true
		case "false":
			*dst = false
		default:
			return fmt.Errorf("%s must be true or false, not %q", key, value)
		}
		return nil
	}
	switch key {
	case "replication.factor":
		return intValue(&c.ReplicationFactor)
	case "min.insync.replicas":
		return intValue(&c.MinInsyncReplicas)
	case "acks":
		a, err := ParseAcks(value)
		if err != nil {
			return err
		}
		c.Acks = a
	case "unclean.leader.election.enable":
		if err := boolValue(&c.UncleanLeaderElection); err != nil {
			return err
		}
		c.uncleanSet = true
	case "electcheck.kafka.version":
		v, err := ParseVersion(value)
		if err != nil {
			return err
		}
		c.Version = v
		if !c.uncleanSet {
			c.UncleanLeaderElection = v.DefaultUncleanLeaderElection()
		}
	case "flush.messages":
		n, err := strconv.ParseInt(value, 10, 64)
		if err != nil || n < 1 {
			return fmt.Errorf("flush.messages must be a positive number of messages, not %q", value)
		}
		// Only 1 changes anything in a model with a handful of records: any
		// larger interval leaves the last records unflushed, as the default does.
		c.FlushEveryMessage = n == 1
	case "auto.leader.rebalance.enable":
		return boolValue(&c.AutoLeaderRebalance)
	case "electcheck.consumer":
		return boolValue(&c.Consumer)
	case "electcheck.operator.may.enable.unclean":
		return boolValue(&c.OperatorMayEnableUnclean)
	case "electcheck.initial.leader":
		var n int
		if err := intValue(&n); err != nil {
			return err
		}
		if n < 1 || n > MaxReplicas {
			return fmt.Errorf("%s must name a broker from 1 to the replication factor, not %d", key, n)
		}
		c.InitialLeader = BrokerID(n)
	case "electcheck.records":
		return intValue(&c.Bounds.Records)
	case "electcheck.crashes":
		return intValue(&c.Bounds.Crashes)
	case "electcheck.power.losses":
		return intValue(&c.Bounds.PowerLosses)
	case "electcheck.disk.losses":
		return intValue(&c.Bounds.DiskLosses)
	case "electcheck.clean.shutdowns":
		return intValue(&c.Bounds.CleanShutdowns)
	case "electcheck.pauses":
		return intValue(&c.Bounds.Pauses)
	case "electcheck.max.leader.epoch":
		return intValue(&c.Bounds.MaxLeaderEpoch)
	default:
		return fmt.Errorf("unknown setting %q: electcheck reads %s", key, knownKeys())
	}
	return nil
}

func knownKeys() string {
	keys := make([]string, len(Settings))
	for i, s := range Settings {
		keys[i] = s.Key
	}
	return strings.Join(keys, ", ")
}

// Validate reports the first setting that is out of range, saying how to fix
// it.
func (c *Config) Validate() error {
	b := c.Bounds
	switch {
	case c.ReplicationFactor < 1 || c.ReplicationFactor > MaxReplicas:
		return fmt.Errorf("replication factor %d is out of range: use 1 to %d", c.ReplicationFactor, MaxReplicas)
	case c.MinInsyncReplicas < 1:
		return fmt.Errorf("min.insync.replicas %d is out of range: use 1 to the replication factor (%d)", c.MinInsyncReplicas, c.ReplicationFactor)
	case c.MinInsyncReplicas > c.ReplicationFactor:
		// Kafka accepts this and then refuses every acks=all write with
		// NotEnoughReplicas; it is nearly always a typo, so we refuse it.
		return fmt.Errorf("min.insync.replicas %d exceeds the replication factor %d: every acks=all write would be refused; use at most %d", c.MinInsyncReplicas, c.ReplicationFactor, c.ReplicationFactor)
	case c.Acks != AcksNone && c.Acks != AcksLeader && c.Acks != AcksAll:
		return fmt.Errorf("acks must be 0, 1 or all")
	case int(c.InitialLeader) < 1 || int(c.InitialLeader) > c.ReplicationFactor:
		return fmt.Errorf("initial leader %d is not a replica: use 1 to %d", c.InitialLeader, c.ReplicationFactor)
	case b.Records < 0 || b.Records > MaxRecords:
		return fmt.Errorf("records bound %d is out of range: use 0 to %d", b.Records, MaxRecords)
	case b.MaxLeaderEpoch < 0 || b.MaxLeaderEpoch > MaxEpoch:
		return fmt.Errorf("max leader epoch %d is out of range: use 0 to %d", b.MaxLeaderEpoch, MaxEpoch)
	}
	for _, f := range []struct {
		name string
		n    int
	}{{"crashes", b.Crashes}, {"power losses", b.PowerLosses}, {"disk losses", b.DiskLosses}, {"clean shutdowns", b.CleanShutdowns}, {"pauses", b.Pauses}} {
		if f.n < 0 || f.n > 100 {
			return fmt.Errorf("%s bound %d is out of range: use 0 to 100", f.name, f.n)
		}
	}
	return nil
}

// String names the configuration in Kafka's words, one line.
func (c *Config) String() string {
	flush := "unset (OS flushes)"
	if c.FlushEveryMessage {
		flush = "1"
	}
	unclean := strconv.FormatBool(c.UncleanLeaderElection)
	if c.OperatorMayEnableUnclean && !c.UncleanLeaderElection {
		unclean += " (an operator may enable it mid-run)"
	}
	return fmt.Sprintf("Kafka %s (%s), replication.factor=%d, min.insync.replicas=%d, acks=%s, unclean.leader.election.enable=%s, flush.messages=%s, auto.leader.rebalance.enable=%t",
		c.Version, c.Features().Describe(), c.ReplicationFactor, c.MinInsyncReplicas, c.Acks, unclean, flush, c.AutoLeaderRebalance)
}

// String lists the bounds, one line.
func (b Bounds) String() string {
	return fmt.Sprintf("records %d, crashes %d, power losses %d, disk losses %d, clean shutdowns %d, pauses %d, max leader epoch %d",
		b.Records, b.Crashes, b.PowerLosses, b.DiskLosses, b.CleanShutdowns, b.Pauses, b.MaxLeaderEpoch)
}

// Describe names the rules in effect.
func (f Features) Describe() string {
	s := f.Truncation.String()
	if f.BrokerEpochs {
		s += ", broker epochs on ISR join (KIP-903)"
	}
	if f.StrictMinISR {
		s += ", HW held below min ISR (KAFKA-15583)"
	}
	return s
}

// Get returns the value of a setting in the form Set accepts.
func (c *Config) Get(key string) string {
	if k, ok := settingAliases[key]; ok {
		key = k
	}
	b := &c.Bounds
	switch key {
	case "replication.factor":
		return strconv.Itoa(c.ReplicationFactor)
	case "min.insync.replicas":
		return strconv.Itoa(c.MinInsyncReplicas)
	case "acks":
		return c.Acks.String()
	case "unclean.leader.election.enable":
		return strconv.FormatBool(c.UncleanLeaderElection)
	case "electcheck.kafka.version":
		return c.Version.String()
	case "flush.messages":
		if c.FlushEveryMessage {
			return "1"
		}
		return ""
	case "auto.leader.rebalance.enable":
		return strconv.FormatBool(c.AutoLeaderRebalance)
	case "electcheck.consumer":
		return strconv.FormatBool(c.Consumer)
	case "electcheck.operator.may.enable.unclean":
		return strconv.FormatBool(c.OperatorMayEnableUnclean)
	case "electcheck.initial.leader":
		return strconv.Itoa(int(c.InitialLeader))
	case "electcheck.records":
		return strconv.Itoa(b.Records)
	case "electcheck.crashes":
		return strconv.Itoa(b.Crashes)
	case "electcheck.power.losses":
		return strconv.Itoa(b.PowerLosses)
	case "electcheck.disk.losses":
		return strconv.Itoa(b.DiskLosses)
	case "electcheck.clean.shutdowns":
		return strconv.Itoa(b.CleanShutdowns)
	case "electcheck.pauses":
		return strconv.Itoa(b.Pauses)
	case "electcheck.max.leader.epoch":
		return strconv.Itoa(b.MaxLeaderEpoch)
	}
	return ""
}
