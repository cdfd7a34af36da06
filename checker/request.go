// Package checker is electcheck as a Go library: a typed Request in, an
// Outcome out. It holds the registry of models, the report formats, and
// what electcheck's subcommands do beyond parsing flags (simulation,
// lincheck, the version ladder, the benchmark suite, the state graph,
// replay); the command line is a thin shell over it. The sweep engine
// (checker/sweep) and the generators of the repository's files
// (internal/repofiles) stand above it.
//
//	req := checker.NewRequest()
//	req.Kafka.Acks = model.AcksLeader
//	out, err := checker.Check(req)
//	// out.Verdict, out.Violations, out.WriteText(os.Stdout, false)
package checker

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"time"

	"electcheck/explore"
	"electcheck/model"
	"electcheck/model/kraftreplication"
	"electcheck/model/tlareplication"
)

// Request is what to check: which model, its configuration (bounds
// included) and the properties. How to check it is the command's: a
// Search for check, graph and the sweep's cells, SimulateOptions for
// simulate.
type Request struct {
	// Model names the model: "kafka" (the default when empty),
	// "tla-replication" or "kraft-replication"; Models lists them.
	Model string
	// Kafka is the Kafka model's configuration: model.DefaultConfig, or
	// model.NewConfig(model.KafkaDefaults) and a properties file.
	Kafka model.Config
	// TLA is the TLA+ port's module and constants.
	TLA TLASpec
	// Kraft is the KRaft port's specification and constants.
	Kraft KraftSpec
	// Properties are the properties to check, by name; none: all of the
	// model's.
	Properties []string
}

// TLASpec is the TLA+ port's module and constants.
type TLASpec struct {
	Variant   tlareplication.Variant
	Constants tlareplication.Constants
}

// KraftSpec is the KRaft port's specification (v3.5 or kip-966) and
// constants.
type KraftSpec struct {
	Variant   kraftreplication.Variant
	Constants kraftreplication.Constants
}

// Search says how to search a request's state space, and which trace to
// make the primary one.
type Search struct {
	// Strategy is BFS (shortest counterexamples) or DFS.
	Strategy explore.Strategy
	// Workers expanding states in BFS; 0 means every core. The results do
	// not depend on it.
	Workers int
	// NoSymmetry counts every renaming of interchangeable brokers (the
	// Kafka model searches one state per renaming by default; the TLA+
	// port never does).
	NoSymmetry bool
	// KeepGoing searches on after a violation for the shortest
	// counterexample of every property.
	KeepGoing bool
	// MaxStates and MaxTime stop the search, inconclusive (0: no limit).
	MaxStates int64
	MaxTime   time.Duration
	// MaxMemory stops it when the process holds this much: 0 means three
	// quarters of physical memory, a negative value no limit.
	MaxMemory int64
	// FrontierDir, if set, is where BFS keeps its frontier on disk (see
	// explore.Options); the results do not depend on it.
	FrontierDir string
	// Show names a witness whose shortest trace becomes the primary trace
	// (the one a trace file and the Markdown document show).
	Show string
	// Context stops the search when done (Ctrl-C); nil: never.
	Context context.Context
	// Progress, if set, is called every couple of seconds.
	Progress func(explore.Stats)
}

// NewRequest is a request to check the Kafka model's recommended
// production setup with every property, as `electcheck check` does with no
// flags.
func NewRequest() Request {
	return Request{Model: ModelKafka, Kafka: model.DefaultConfig(),
		TLA:   TLASpec{Variant: tlareplication.Kip320, Constants: tlareplication.DefaultConstants()},
		Kraft: KraftSpec{Variant: kraftreplication.KIP966, Constants: kraftreplication.DefaultConstants(kraftreplication.KIP966)}}
}

// BadRequest is an error in a request: an invalid configuration, an
// unknown property or witness. Its text says what to change.
type BadRequest struct{ msg string }

func (e *BadRequest) Error() string { return e.msg }

// BadRequestf is a BadRequest with a formatted message.
func BadRequestf(format string, args ...any) error {
	return &BadRequest{fmt.Sprintf(format, args...)}
}

func badf(format string, args ...any) error { return BadRequestf(format, args...) }

// IsBadRequest reports whether err is (or wraps) a BadRequest: the user's
// input is wrong, not the program.
func IsBadRequest(err error) bool {
	var b *BadRequest
	return errors.As(err, &b)
}

// Check searches a request's state space and returns its outcome. A
// BadRequest error means the request is invalid; explore.ErrNondeterminism
// an internal error.
func Check(req Request, s Search) (*Outcome, error) {
	m, err := lookup(req.Model)
	if err != nil {
		return nil, err
	}
	return m.check(&req, &s)
}

// options are the explorer's options for a request's search.
func (s *Search) options() explore.Options {
	opts := explore.Options{Strategy: s.Strategy, Workers: s.Workers, KeepGoing: s.KeepGoing,
		MaxStates: s.MaxStates, MaxTime: s.MaxTime, Context: s.Context, Progress: s.Progress, MaxMemory: s.MaxMemory, FrontierDir: s.FrontierDir}
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	switch {
	case s.MaxMemory == 0:
		opts.MaxMemory = DefaultMaxMemory()
	case s.MaxMemory < 0:
		opts.MaxMemory = 0
	}
	return opts
}
