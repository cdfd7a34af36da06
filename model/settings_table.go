package model

import (
	"fmt"
	"strconv"
	"strings"
)

// The settings table: every configuration key electcheck reads, declared
// once (Setting), in the order help shows them, and a switch per protocol
// feature. Flags, the properties reader, trace files, the JSON config and
// docs/cli.md's table are all made from it.

// Settings lists every setting, in the order help text shows them: the
// configuration, the bounds, then a switch per protocol feature.
var Settings = append([]Setting{
	withAliases(intSetting("replication.factor", "replication_factor", "replication-factor", "replicas of the partition, 1 to 5 (a broker's default.replication.factor)",
		fixed("3", "1"), func(c *Config) *int { return &c.ReplicationFactor }), "default.replication.factor"),
	intSetting("min.insync.replicas", "min_insync_replicas", "min-insync-replicas", "ISR size below which acks=all writes are refused",
		fixed("2", "1"), func(c *Config) *int { return &c.MinInsyncReplicas }),
	{Key: "acks", JSON: "acks", Flag: "acks", Type: "acks", Help: "producer acks: 0, 1 or all (Kafka's default: 1 before 3.0, all from 3.0)",
		Default: func(b Base, v Version) string {
			if b == KafkaDefaults {
				return v.DefaultAcks().String()
			}
			return "all"
		},
		set: func(c *Config, v string) error {
			a, err := ParseAcks(v)
			if err == nil {
				c.Acks = a
			}
			return err
		},
		get: func(c *Config) string { return c.Acks.String() },
	},
	{Key: "unclean.leader.election.enable", JSON: "unclean_leader_election", Flag: "unclean-leader-election", Type: "bool",
		Help:    "elect an out-of-sync replica when no in-sync one is alive (Kafka's default: true up to 0.10, false after)",
		Default: func(_ Base, v Version) string { return strconv.FormatBool(v.DefaultUncleanLeaderElection()) },
		set: func(c *Config, v string) error {
			b, err := ParseBool("unclean.leader.election.enable", v)
			if err == nil {
				c.UncleanLeaderElection = b
			}
			return err
		},
		get: func(c *Config) string { return strconv.FormatBool(c.UncleanLeaderElection) },
	},
	{Key: "electcheck.kafka.version", JSON: "kafka_version", Aliases: []string{"kafka.version"}, Flag: "kafka-version", Type: "version",
		Help:    "Kafka release whose replication rules apply, 0.10 to " + Latest.String(),
		Default: same(Latest.String()),
		set: func(c *Config, v string) error {
			ver, err := ParseVersion(v)
			if err == nil {
				c.Version = ver
			}
			return err
		},
		get: func(c *Config) string { return c.Version.String() },
	},
	{Key: "electcheck.controller", JSON: "controller", Flag: "controller", Type: "controller",
		Help:    "who keeps the partition metadata: zookeeper (releases before 4.0) or kraft (from 2.8); default: the one Kafka's shipped config/server.properties uses, zookeeper before 4.0 and kraft from 4.0",
		Default: func(_ Base, v Version) string { return v.DefaultController().String() },
		set: func(c *Config, v string) error {
			m, err := ParseControllerMode(v)
			if err == nil {
				c.Controller = m
			}
			return err
		},
		get: func(c *Config) string { return c.Controller.String() },
	},
	{Key: "eligible.leader.replicas.version", JSON: "eligible_leader_replicas", Flag: "eligible-leader-replicas", Type: "bool",
		Help: "eligible leader replicas (KIP-966), Kafka's eligible.leader.replicas.version feature: 1 (true) or 0 (false); default on from 4.1, opt-in in 4.0, KRaft only",
		Default: func(_ Base, v Version) string {
			if v.ELRDefault() {
				return "1"
			}
			return "0"
		},
		set: func(c *Config, v string) error {
			b, err := parseSwitch("eligible.leader.replicas.version", v)
			if err == nil {
				c.EligibleLeaderReplicas = b
			}
			return err
		},
		get: func(c *Config) string {
			if c.EligibleLeaderReplicas {
				return "1"
			}
			return "0"
		},
		typed: func(c *Config) any { return c.EligibleLeaderReplicas },
	},
	{Key: "flush.messages", JSON: "flush_messages", Aliases: []string{"log.flush.interval.messages"}, Flag: "flush-messages", Type: "int",
		Help:    "fsync a log once an append leaves this many messages unflushed (1: every append); unset (Kafka's default) leaves flushing to the OS",
		Default: same(""),
		set: func(c *Config, v string) error {
			if strings.TrimSpace(v) == "" { // unset
				c.FlushMessages = 0
				return nil
			}
			n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			if err != nil || n < 1 {
				return fmt.Errorf("flush.messages must be a positive number of messages, not %q", v)
			}
			c.FlushMessages = n
			return nil
		},
		get: func(c *Config) string {
			if c.FlushMessages > 0 {
				return strconv.FormatInt(c.FlushMessages, 10)
			}
			return ""
		},
		typed: func(c *Config) any {
			if c.FlushMessages > 0 {
				return c.FlushMessages
			}
			return nil // unset
		},
	},
	boolSetting("auto.leader.rebalance.enable", "auto_leader_rebalance", "auto-leader-rebalance", "let the controller move leadership back to the preferred replica",
		same("true"), func(c *Config) *bool { return &c.AutoLeaderRebalance }),
	boolSetting("electcheck.consumer", "consumer", "consumer", "model a consumer reading below the high watermark",
		same("true"), func(c *Config) *bool { return &c.Consumer }),
	boolSetting("electcheck.operator.may.enable.unclean", "operator_may_enable_unclean", "operator-may-enable-unclean", "let an operator enable unclean leader election mid-run (a dynamic config change)",
		same("false"), func(c *Config) *bool { return &c.OperatorMayEnableUnclean }),
	{Key: "electcheck.initial.leader", JSON: "initial_leader", Flag: "initial-leader", Type: "int",
		Help: "broker leading epoch 0, also the preferred replica", Default: same("1"),
		set: func(c *Config, v string) error {
			n, err := parseInt("electcheck.initial.leader", v)
			if err != nil {
				return err
			}
			if n < 1 || n > MaxReplicas {
				return fmt.Errorf("electcheck.initial.leader must name a broker from 1 to the replication factor, not %d", n)
			}
			c.InitialLeader = BrokerID(n)
			return nil
		},
		get: func(c *Config) string { return strconv.Itoa(int(c.InitialLeader)) },
	},
	bound("electcheck.records", "records", "records", "records producers send in the whole run", "2", func(b *Bounds) *int { return &b.Records }),
	bound("electcheck.crashes", "crashes", "crashes", "process crashes in the whole run (page cache survives)", "2", func(b *Bounds) *int { return &b.Crashes }),
	bound("electcheck.power.losses", "power_losses", "power-losses", "power losses in the whole run (unflushed records lost)", "0", func(b *Bounds) *int { return &b.PowerLosses }),
	bound("electcheck.disk.losses", "disk_losses", "disk-losses", "disk losses in the whole run (broker returns empty)", "0", func(b *Bounds) *int { return &b.DiskLosses }),
	bound("electcheck.clean.shutdowns", "clean_shutdowns", "clean-shutdowns", "controlled shutdowns in the whole run", "0", func(b *Bounds) *int { return &b.CleanShutdowns }),
	bound("electcheck.pauses", "pauses", "pauses", "GC pauses or network partitions in the whole run", "0", func(b *Bounds) *int { return &b.Pauses }),
	bound("electcheck.correlated.power.losses", "correlated_power_losses", "correlated-power-losses", "correlated power losses in the whole run (every broker loses power at once, as in a rack or data-centre outage; each loses its unflushed records)", "0", func(b *Bounds) *int { return &b.CorrelatedPowerLosses }),
	bound("electcheck.max.leader.epoch", "max_leader_epoch", "max-leader-epoch", "largest leader epoch explored (elections beyond are cut off)", "2", func(b *Bounds) *int { return &b.MaxLeaderEpoch }),
}, featureSwitches()...)

// featureKeyPrefix starts the properties key of a feature switch:
// electcheck.feature.fenced-fetch=off.
const featureKeyPrefix = "electcheck.feature."

// featureSwitches are the settings rows of the feature switches, one per
// feature of the version ladder: forced on or off, or unset (the
// release's rules decide). The KIP or JIRA is an alias of the key
// (electcheck.feature.kip-320).
func featureSwitches() []Setting {
	refs := map[string]int{}
	for _, fi := range FeatureTable {
		refs[fi.Ref]++
	}
	var out []Setting
	for _, fi := range FeatureTable {
		key := featureKeyPrefix + fi.Name
		f := fi.Feature
		var aliases []string
		if refs[fi.Ref] == 1 { // KIP-497 names two features: neither gets it
			aliases = []string{featureKeyPrefix + strings.ToLower(fi.Ref)}
		}
		out = append(out, Setting{
			Key: key, Aliases: aliases, Flag: "feature", Type: "switch",
			JSON:    "feature_overrides",
			Help:    "force " + fi.Name + " (" + fi.Ref + ", " + fi.Since.String() + ") on or off: " + fi.Rule,
			Default: same(""), feature: f, isSwitch: true,
			set: func(c *Config, v string) error {
				if strings.TrimSpace(v) == "" {
					c.Overrides.Clear(f)
					return nil
				}
				on, err := parseSwitch(key, v)
				if err != nil {
					return fmt.Errorf("feature %s must be on or off, not %q", f, v)
				}
				c.Overrides.Set(f, on)
				return nil
			},
			get: func(c *Config) string {
				if on, set := c.Overrides.Has(f); set {
					return onOff(on)
				}
				return ""
			},
		})
	}
	return out
}

// FeatureSetting is the settings row of a feature's switch.
func FeatureSetting(f Feature) *Setting {
	for i := range Settings {
		if g, ok := Settings[i].Feature(); ok && g == f {
			return &Settings[i]
		}
	}
	panic("model: a feature without a switch")
}
