package checker

import (
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

// Flags are the settings as check's flags: "--flag value",
// "--flag=value" for a boolean (whose value cannot be a separate word),
// "--feature NAME=on" for a feature switch.
func (s Settings) Flags() []string {
	var out []string
	for _, kv := range s {
		k, v, _ := strings.Cut(kv, "=")
		if st, ok := model.LookupSetting(k); ok {
			out = append(out, st.FlagArgs(v)...)
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
