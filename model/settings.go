package model

import (
	"fmt"
	"strconv"
	"strings"
)

// Base is what a configuration starts from before any setting is given.
type Base uint8

const (
	// Recommended is the built-in scenario of `electcheck check`: a
	// three-replica partition with acks=all and min.insync.replicas=2, the
	// durable setup Kafka's documentation recommends for production.
	Recommended Base = iota
	// KafkaDefaults is what a broker and producer of the release use for
	// every key a properties file leaves out: replication factor 1,
	// min.insync.replicas=1, acks per release.
	KafkaDefaults
)

func (b Base) String() string {
	if b == KafkaDefaults {
		return "Kafka's defaults"
	}
	return "the recommended production setup"
}

// Setting is one configuration key, declared once: its Kafka property name,
// the flag, its default in each base and release, and how to read and print
// it. Flags, the properties reader, the trace-file configuration and the
// settings table in docs/cli.md all come from this table.
type Setting struct {
	// Key is the Kafka property name, or electcheck.* where Kafka has none.
	Key string
	// Aliases are other keys a properties file may use for it (the
	// broker-level name of a topic setting, say). Giving two of them is an
	// error.
	Aliases []string
	// Flag is the command-line flag, without dashes.
	Flag string
	// Type is how a person writes a value: int, bool, acks, version,
	// controller.
	Type string
	Help string
	// Bound marks search bounds, which Kafka does not have.
	Bound bool
	// JSON is the setting's name in the JSON report's "config" (or, for a
	// bound, "bounds") object.
	JSON string
	// Default is the value a configuration on base has for release v
	// while the setting is not given ("" for unset).
	Default func(base Base, v Version) string
	set     func(c *Config, value string) error
	get     func(c *Config) string
	// typed is the JSON value, when the text form is not it.
	typed func(c *Config) any
	// feature is the protocol feature a switch's row forces on or off
	// (isSwitch): electcheck.feature.NAME, --feature NAME=on|off.
	feature  Feature
	isSwitch bool
}

// Feature reports whether the setting is a feature switch, and which
// feature it forces on or off.
func (s *Setting) Feature() (Feature, bool) { return s.feature, s.isSwitch }

// Name is the setting as a person names it on the command line: its flag,
// or "feature NAME" for a feature switch.
func (s *Setting) Name() string {
	if s.isSwitch {
		return "feature " + s.feature.String()
	}
	return s.Flag
}

// FlagArgs are the command-line words that give the setting this value:
// "--acks 1", "--unclean-leader-election=true" (a boolean's value cannot
// be a separate word), "--feature fenced-fetch=off".
func (s *Setting) FlagArgs(value string) []string {
	switch {
	case s.isSwitch:
		return []string{"--" + s.Flag, s.feature.String() + "=" + value}
	case s.Type == "bool":
		return []string{"--" + s.Flag + "=" + value}
	}
	return []string{"--" + s.Flag, value}
}

// Value is the setting's value in c as JSON has it: a number, a boolean or
// a string.
func (s *Setting) Value(c *Config) any {
	if s.typed != nil {
		return s.typed(c)
	}
	v := s.get(c)
	switch s.Type {
	case "int":
		n, _ := strconv.Atoi(v)
		return n
	case "bool":
		return v == "true"
	}
	return v
}

// VersionDependent reports whether the setting's default changes with the
// release, so that choosing a release re-derives it unless it was given.
func (s *Setting) VersionDependent() bool {
	for _, base := range []Base{Recommended, KafkaDefaults} {
		first := s.Default(base, Versions[0])
		for _, v := range Versions[1:] {
			if s.Default(base, v) != first {
				return true
			}
		}
	}
	return false
}

func fixed(recommended, kafka string) func(Base, Version) string {
	return func(b Base, _ Version) string {
		if b == KafkaDefaults {
			return kafka
		}
		return recommended
	}
}

func same(v string) func(Base, Version) string { return fixed(v, v) }

func parseInt(key, value string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(value))
	if err != nil {
		return 0, fmt.Errorf("%s must be a whole number, not %q", key, value)
	}
	return n, nil
}

// ParseBool accepts true or false, in any case, as Kafka's configuration
// parser does.
func ParseBool(key, value string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(value)) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, fmt.Errorf("%s must be true or false, not %q", key, value)
}

// parseSwitch accepts on/off, true/false or 1/0: a feature level or
// switch.
func parseSwitch(key, value string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(value)) {
	case "on", "true", "1":
		return true, nil
	case "off", "false", "0":
		return false, nil
	}
	return false, fmt.Errorf("%s must be on or off (1 or 0, true or false), not %q", key, value)
}

func intSetting(key, json, flag, help string, def func(Base, Version) string, field func(*Config) *int) Setting {
	return Setting{Key: key, JSON: json, Flag: flag, Type: "int", Help: help, Default: def,
		set: func(c *Config, v string) error {
			n, err := parseInt(key, v)
			if err == nil {
				*field(c) = n
			}
			return err
		},
		get: func(c *Config) string { return strconv.Itoa(*field(c)) },
	}
}

func boolSetting(key, json, flag, help string, def func(Base, Version) string, field func(*Config) *bool) Setting {
	return Setting{Key: key, JSON: json, Flag: flag, Type: "bool", Help: help, Default: def,
		set: func(c *Config, v string) error {
			b, err := ParseBool(key, v)
			if err == nil {
				*field(c) = b
			}
			return err
		},
		get: func(c *Config) string { return strconv.FormatBool(*field(c)) },
	}
}

func withAliases(s Setting, aliases ...string) Setting {
	s.Aliases = aliases
	return s
}

func bound(key, json, flag, help, def string, field func(*Bounds) *int) Setting {
	s := intSetting(key, json, flag, help, same(def), func(c *Config) *int { return field(&c.Bounds) })
	s.Bound = true
	return s
}

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
		Help:    "who keeps the partition metadata: zookeeper (releases before 4.0) or kraft (from 2.8); default: zookeeper before 3.3, kraft from 3.3",
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

// LookupSetting finds a setting by its key or an alias; canonical is its
// key. A feature switch is found by any name ParseFeature reads
// (electcheck.feature.KIP-320).
func LookupSetting(key string) (s *Setting, ok bool) {
	for i := range Settings {
		st := &Settings[i]
		if st.Key == key {
			return st, true
		}
		for _, a := range st.Aliases {
			if a == key {
				return st, true
			}
		}
	}
	if name, isSwitch := strings.CutPrefix(key, featureKeyPrefix); isSwitch {
		if f, err := ParseFeature(name); err == nil {
			return FeatureSetting(f), true
		}
	}
	return nil, false
}

// FindSetting finds a setting by its flag, key or alias. The error says
// what is wrong, in a line: an unknown feature switch lists the features.
func FindSetting(name string) (*Setting, error) {
	if s, ok := SettingByFlag(name); ok {
		return s, nil
	}
	if s, ok := LookupSetting(name); ok {
		return s, nil
	}
	return nil, unknownSetting(name)
}

// unknownSetting is the error for a key no setting has.
func unknownSetting(key string) error {
	if name, isSwitch := strings.CutPrefix(key, featureKeyPrefix); isSwitch {
		if _, err := ParseFeature(name); err != nil {
			return err
		}
	}
	return fmt.Errorf("unknown setting %q: 'electcheck list settings' lists the flags and keys", key)
}

// SettingByFlag finds a setting by its flag (a feature switch by
// FeatureSetting: they share --feature).
func SettingByFlag(flag string) (*Setting, bool) {
	for i := range Settings {
		if Settings[i].Flag == flag && !Settings[i].isSwitch {
			return &Settings[i], true
		}
	}
	return nil, false
}

func settingIndex(s *Setting) int {
	for i := range Settings {
		if &Settings[i] == s {
			return i
		}
	}
	panic("model: a setting outside the table")
}

// KnownKeys lists every key electcheck reads: the settings' keys and
// aliases, in table order.
func KnownKeys() []string {
	var keys []string
	for _, s := range Settings {
		keys = append(keys, s.Key)
		keys = append(keys, s.Aliases...)
	}
	return keys
}
