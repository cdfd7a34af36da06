package history

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"electcheck/model"
	"electcheck/model/tlareplication"
)

// FileFormat and FileVersion identify electcheck trace files
// (docs/traces.md). A reader refuses any other format or version.
const (
	FileFormat  = "electcheck-trace"
	FileVersion = 1
)

// Models a trace file may name.
const (
	ModelKafka = "kafka"
	ModelTLA   = "tla-replication"
)

// File is a trace file: a behaviour of one model under one configuration,
// and what it shows.
type File struct {
	Format  string `json:"format"`
	Version int    `json:"version"`
	Model   string `json:"model"`
	// Config is the whole configuration. For the Kafka model: every
	// setting by its key (as in a --config properties file), bounds
	// included. For the TLA+ port: variant, replicas, log_size,
	// max_records, max_leader_epoch.
	Config map[string]string `json:"config"`
	// Title and Description are for people (the catalogue's documents).
	Title       string `json:"title,omitempty"`
	Description string `json:"description,omitempty"`
	// Property is the property the last state violates, or "" if the trace
	// shows a situation rather than a violation (Witness names it then).
	Property string `json:"property,omitempty"`
	Message  string `json:"message,omitempty"`
	Witness  string `json:"witness,omitempty"`
	// Command reproduces the trace from scratch, when there is one.
	Command string     `json:"command,omitempty"`
	Steps   []FileStep `json:"steps"`
}

// FileStep is one step: the action (absent for the initial state) and the
// state it led to, as JSON (StateView or TLAStateView) and as text.
type FileStep struct {
	Step   int             `json:"step"`
	Action string          `json:"action,omitempty"`
	State  json.RawMessage `json:"state"`
	Text   string          `json:"text"`
}

// KafkaConfig is the file form of a Kafka model configuration: every
// setting, by key.
func KafkaConfig(c model.Config) map[string]string {
	out := map[string]string{}
	for _, s := range model.Settings {
		out[s.Key] = c.Get(s.Key)
	}
	for _, k := range c.FeatureKeys() {
		out[k] = c.Get(k)
	}
	return out
}

// TLAConfig is the file form of a TLA+ port configuration.
func TLAConfig(v tlareplication.Variant, c tlareplication.Constants) map[string]string {
	return map[string]string{
		"variant": v.String(), "replicas": strconv.Itoa(c.Replicas), "log_size": strconv.Itoa(c.LogSize),
		"max_records": strconv.Itoa(c.MaxRecords), "max_leader_epoch": strconv.Itoa(c.MaxLeaderEpoch),
	}
}

// NewFile makes the file form of a trace.
func NewFile[S any, A any](modelName string, config map[string]string, tr Trace[S, A], r Renderer[S, A]) (*File, error) {
	f := &File{Format: FileFormat, Version: FileVersion, Model: modelName, Config: config}
	for _, st := range tr.View(r) {
		state, err := json.Marshal(st.State)
		if err != nil {
			return nil, err
		}
		f.Steps = append(f.Steps, FileStep{Step: st.Step, Action: st.Action, State: state, Text: st.Text})
	}
	return f, nil
}

// Marshal is the file's bytes: indented JSON ending in a newline.
func (f *File) Marshal() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(f); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// ReadFile parses and validates a trace file. The error says what is wrong
// in one line: not JSON, truncated, another format or version, an unknown
// model, an invalid configuration, or malformed steps.
func ReadFile(data []byte) (*File, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errors.New("the trace file is empty")
	}
	var f File
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		var syntax *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.Is(err, io.ErrUnexpectedEOF):
			return nil, errors.New("the trace file is truncated: its JSON ends early")
		case errors.As(err, &syntax):
			return nil, fmt.Errorf("the trace file is not valid JSON: %v at byte %d", err, syntax.Offset)
		case errors.As(err, &typ):
			return nil, fmt.Errorf("the trace file has a field of the wrong type: %q should be %s", typ.Field, typ.Type)
		}
		return nil, fmt.Errorf("the trace file is not an electcheck trace: %v", err)
	}
	if dec.More() {
		return nil, errors.New("the trace file has data after its JSON object")
	}
	if f.Format != FileFormat {
		return nil, fmt.Errorf("the file's format is %q, not %q: it is not an electcheck trace", f.Format, FileFormat)
	}
	if f.Version != FileVersion {
		return nil, fmt.Errorf("the trace file has version %d; this electcheck reads version %d", f.Version, FileVersion)
	}
	if f.Model != ModelKafka && f.Model != ModelTLA {
		return nil, fmt.Errorf("the trace file is for model %q; electcheck knows %s and %s", f.Model, ModelKafka, ModelTLA)
	}
	if len(f.Steps) == 0 {
		return nil, errors.New("the trace file has no steps: it needs at least the initial state")
	}
	for i, st := range f.Steps {
		switch {
		case st.Step != i:
			return nil, fmt.Errorf("step %d of the trace file is numbered %d", i, st.Step)
		case i == 0 && st.Action != "":
			return nil, errors.New("the trace file's initial state has an action")
		case i > 0 && st.Action == "":
			return nil, fmt.Errorf("step %d of the trace file has no action", i)
		case len(st.State) == 0 || !json.Valid(st.State) || st.State[0] != '{':
			return nil, fmt.Errorf("step %d of the trace file has no state object", i)
		}
	}
	if _, err := f.Machine(); err != nil {
		return nil, err
	}
	return &f, nil
}

// Machine is the trace's model, built from its configuration: a *model.Model
// or a *tlareplication.Model.
func (f *File) Machine() (any, error) {
	switch f.Model {
	case ModelKafka:
		cfg := model.DefaultConfig()
		// Apply the version first, so that an explicit unclean setting wins
		// whatever order a person wrote the keys in.
		if v, ok := f.Config["electcheck.kafka.version"]; ok {
			if err := cfg.Set("electcheck.kafka.version", v); err != nil {
				return nil, fmt.Errorf("the trace file's configuration is invalid: %v", err)
			}
		}
		for _, k := range sortedKeys(f.Config) {
			if k == "electcheck.kafka.version" {
				continue
			}
			if !knownSetting(k) {
				return nil, fmt.Errorf("the trace file's configuration has an unknown setting %q", k)
			}
			if err := cfg.Set(k, f.Config[k]); err != nil {
				return nil, fmt.Errorf("the trace file's configuration is invalid: %v", err)
			}
		}
		m, err := model.New(cfg)
		if err != nil {
			return nil, fmt.Errorf("the trace file's configuration is invalid: %v", err)
		}
		return m, nil
	default:
		v, err := tlareplication.ParseVariant(f.Config["variant"])
		if err != nil {
			return nil, fmt.Errorf("the trace file's configuration is invalid: %v", err)
		}
		num := func(k string) (int, error) {
			n, err := strconv.Atoi(f.Config[k])
			if err != nil {
				return 0, fmt.Errorf("the trace file's configuration is invalid: %s must be a whole number, not %q", k, f.Config[k])
			}
			return n, nil
		}
		var c tlareplication.Constants
		for _, p := range []struct {
			key string
			dst *int
		}{{"replicas", &c.Replicas}, {"log_size", &c.LogSize}, {"max_records", &c.MaxRecords}, {"max_leader_epoch", &c.MaxLeaderEpoch}} {
			if *p.dst, err = num(p.key); err != nil {
				return nil, err
			}
		}
		for _, k := range sortedKeys(f.Config) {
			switch k {
			case "variant", "replicas", "log_size", "max_records", "max_leader_epoch":
			default:
				return nil, fmt.Errorf("the trace file's configuration has an unknown setting %q", k)
			}
		}
		m, err := tlareplication.New(v, c)
		if err != nil {
			return nil, fmt.Errorf("the trace file's configuration is invalid: %v", err)
		}
		return m, nil
	}
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func knownSetting(k string) bool {
	if name, ok := strings.CutPrefix(k, model.FeatureKeyPrefix); ok {
		_, err := model.ParseFeature(name)
		return err == nil
	}
	s, ok := model.LookupSetting(k)
	return ok && s.Key == k
}
