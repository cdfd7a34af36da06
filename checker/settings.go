package checker

import (
	"fmt"
	"os"
	"strings"

	"electcheck/model"
)

// Settings are Kafka-model settings as key=value pairs (Kafka's property
// names, electcheck.* for the bounds, electcheck.feature.NAME for a feature
// switch), applied in order.
type Settings []string

// Apply sets each pair on cfg.
func (s Settings) Apply(cfg *model.Config) error {
	for _, kv := range s {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return badf("setting %q: write key=value", kv)
		}
		if err := cfg.Set(k, v); err != nil {
			return &BadRequest{err.Error()}
		}
	}
	return nil
}

// Flags are the settings as check's flags: "--flag value", or
// "--flag=value" for a boolean (whose value cannot be a separate word).
func (s Settings) Flags() []string {
	var out []string
	for _, kv := range s {
		k, v, _ := strings.Cut(kv, "=")
		if name, ok := strings.CutPrefix(k, model.FeatureKeyPrefix); ok {
			out = append(out, "--feature", name+"="+v)
			continue
		}
		if st, ok := model.LookupSetting(k); ok {
			if st.Type == "bool" {
				out = append(out, "--"+st.Flag+"="+v)
			} else {
				out = append(out, "--"+st.Flag, v)
			}
		}
	}
	return out
}

// KafkaRequest is a request for the Kafka model's recommended setup with
// these settings.
func KafkaRequest(s Settings) (Request, error) {
	req := NewRequest()
	err := s.Apply(&req.Kafka)
	return req, err
}

// LoadProperties reads a Kafka properties file (server.properties, a topic
// or producer configuration, electcheck's own keys) into a configuration
// that starts from Kafka's defaults for the release. loaded names the keys
// it ignored.
func LoadProperties(path string) (cfg model.Config, loaded model.Loaded, err error) {
	cfg = model.NewConfig(model.KafkaDefaults)
	data, err := os.ReadFile(path)
	if err != nil {
		return cfg, loaded, badf("cannot read --config file: %v", err)
	}
	props, err := model.ParseProperties(string(data))
	if err != nil {
		return cfg, loaded, badf("%s: %v", path, err)
	}
	loaded, err = cfg.ApplyProperties(props)
	if err != nil {
		return cfg, loaded, badf("%s %v", path, err)
	}
	return cfg, loaded, nil
}

// FileRequest is a request for the configuration a properties file
// describes, with these settings on top.
func FileRequest(path string, s Settings) (Request, error) {
	req := NewRequest()
	cfg, _, err := LoadProperties(path)
	if err != nil {
		return req, err
	}
	if err := s.Apply(&cfg); err != nil {
		return req, err
	}
	req.Kafka = cfg
	return req, nil
}

// SettingsTable is the settings table of docs/cli.md, from model.Settings:
// flag, key and aliases, the recommended setup's value, Kafka's default
// (and the release each value starts from), and what it means.
func SettingsTable() string {
	var sb strings.Builder
	sb.WriteString("| flag | properties key | recommended | Kafka's default | meaning |\n|---|---|---|---|---|\n")
	for _, s := range model.Settings {
		key := "`" + s.Key + "`"
		if len(s.Aliases) > 0 {
			key += " (or `" + strings.Join(s.Aliases, "`, `") + "`)"
		}
		fmt.Fprintf(&sb, "| `--%s` | %s | %s | %s | %s |\n", s.Flag, key,
			recommended(&s), kafkaDefaults(&s), mdCell(s.Help))
	}
	fmt.Fprintf(&sb, "| `--feature NAME=on\\|off` | `%sNAME` | — | — | force one protocol feature on or off (repeatable; `electcheck list features`); a combination no release had is labelled a what-if |\n", model.FeatureKeyPrefix)
	return sb.String()
}

// recommended is a setting's value in the recommended setup: one value, or
// "the release's" where it follows the release (as the controller does).
func recommended(s *model.Setting) string {
	first := s.Default(model.Recommended, model.Versions[0])
	for _, v := range model.Versions[1:] {
		if s.Default(model.Recommended, v) != first {
			return "the release's"
		}
	}
	return orUnset(first)
}

// kafkaDefaults describes a setting's Kafka default across releases: one
// value, or the values with the release each starts from.
func kafkaDefaults(s *model.Setting) string {
	first := s.Default(model.KafkaDefaults, model.Versions[0])
	out := orUnset(first)
	last := first
	for _, v := range model.Versions[1:] {
		if d := s.Default(model.KafkaDefaults, v); d != last {
			out += fmt.Sprintf("; %s from %s", orUnset(d), v)
			last = d
		}
	}
	return out
}

func orUnset(s string) string {
	if s == "" {
		return "unset"
	}
	return s
}

func mdCell(s string) string { return strings.ReplaceAll(s, "|", "\\|") }
