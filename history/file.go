package history

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// FileFormat and FileVersion identify electcheck trace files
// (docs/traces.md). A reader refuses any other format or version.
const (
	FileFormat  = "electcheck-trace"
	FileVersion = 1
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

// FileStep is a step of a trace file: the JSON form of a trace step.
type FileStep = StepView

// NewFile makes the file form of a trace.
func NewFile[S any, A any](modelName string, config map[string]string, tr Trace[S, A], r Renderer[S, A]) (*File, error) {
	f := &File{Format: FileFormat, Version: FileVersion, Model: modelName, Config: config}
	f.Steps = tr.View(r)
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
	if f.Model == "" {
		return nil, errors.New("the trace file names no model")
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
	return &f, nil
}
