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
