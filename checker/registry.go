package checker

import (
	"fmt"
	"sort"
	"strings"

	"electcheck/history"
	"electcheck/model/kraftreplication"
	"electcheck/model/tlareplication"
)

// The models electcheck checks. Each registers itself from its own file
// (kafka.go, tla.go, kraft.go): a new model is one file.
const (
	ModelKafka = "kafka"
	ModelTLA   = "tla-replication"
	ModelKraft = "kraft-replication"
)

// ModelRevision numbers the semantics of the models and the explorer: the
// results they give. It changes whenever a pinned result changes (a state
// count, a verdict, a trace), and TestModelRevision fails until it does.
// Caches of results (the sweep's) are keyed on it, not on the executable.
const ModelRevision = 4

// modelEntry is one model: how to check a request, how to read a trace
// file's configuration back into a request, how to replay a trace and draw
// a state graph.
type modelEntry struct {
	name, description string
	// check searches a request (whose Model names this model).
	check func(req *Request, s *Search) (*Outcome, error)
	// fromFile is the request a trace file's configuration describes.
	fromFile func(config map[string]string) (Request, error)
	// replay re-runs a trace file through the request's model.
	replay func(req *Request, f *history.File) (*history.ReplayResult, error)
	// graph draws the state graph of a small configuration.
	graph func(req *Request, s *Search, limit int) (*Graph, error)
}

var registry []modelEntry

func register(e modelEntry) {
	registry = append(registry, e)
	sort.Slice(registry, func(i, j int) bool { return registry[i].name < registry[j].name })
}

// Models lists the models by name, with a line on each.
func Models() [][2]string {
	var out [][2]string
	for _, e := range registry {
		out = append(out, [2]string{e.name, e.description})
	}
	return out
}

// ModelNames lists the models' names.
func ModelNames() []string {
	var out []string
	for _, e := range registry {
		out = append(out, e.name)
	}
	return out
}

func lookup(name string) (*modelEntry, error) {
	if name == "" {
		name = ModelKafka
	}
	for i := range registry {
		if registry[i].name == name {
			return &registry[i], nil
		}
	}
	return nil, badf("unknown model %q: use %s", name, strings.Join(ModelNames(), " or "))
}

// FromFile is the request that reproduces a trace file's configuration.
func FromFile(f *history.File) (Request, error) {
	m, err := lookup(f.Model)
	if err != nil {
		return Request{}, fmt.Errorf("the trace file is for model %q; electcheck knows %s", f.Model, strings.Join(ModelNames(), " and "))
	}
	req, err := m.fromFile(f.Config)
	if err != nil {
		return Request{}, err
	}
	req.Model = m.name
	return req, nil
}

// ReadTrace parses a trace file and checks that its model and
// configuration are ones this electcheck can replay. The error says what is
// wrong in one line.
func ReadTrace(data []byte) (*history.File, error) {
	f, err := history.ReadFile(data)
	if err != nil {
		return nil, err
	}
	if _, err := FromFile(f); err != nil {
		return nil, err
	}
	return f, nil
}

// Replay re-runs a trace file's actions through the current model. It
// returns an error (bad input) only when the file's model or configuration
// is not one electcheck knows, or it names a property or witness this
// electcheck does not know; every model difference is an Outcome of the
// result.
func Replay(f *history.File) (*history.ReplayResult, error) {
	req, err := FromFile(f)
	if err != nil {
		return nil, err
	}
	m, _ := lookup(req.Model)
	return m.replay(&req, f)
}

// PortProperties lists the properties of the TLA+ ports, by model and
// variant: pairs of "--model M [--variant V]" and the comma-separated
// names.
func PortProperties() [][2]string {
	var tla []string
	for _, p := range tlareplication.Properties() {
		tla = append(tla, p.Name)
	}
	out := [][2]string{{"--model " + ModelTLA, strings.Join(tla, ", ")}}
	for i := range kraftreplication.Variants() {
		m, _ := kraftreplication.New(kraftreplication.Variant(i), kraftreplication.DefaultConstants(kraftreplication.Variant(i)))
		out = append(out, [2]string{"--model " + ModelKraft + " --variant " + m.Variant().String(), strings.Join(m.PropertyNames(), ", ")})
	}
	return out
}
