package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"electcheck/explore"
	"electcheck/model"
	"electcheck/model/tlareplication"
)

// settingFlag is a flag that sets a model.Config key. Values are collected
// during parsing and applied after the --config file, so flags override it.
type settingFlag struct {
	setting model.Setting
	value   string
}

func (f *settingFlag) String() string { return f.value }
func (f *settingFlag) Set(v string) error {
	f.value = v
	return nil
}
func (f *settingFlag) Type() string { return f.setting.Type }

// checkFlags are the flags of `electcheck check`.
type checkFlags struct {
	fs         *pflag.FlagSet
	settings   []*settingFlag
	model      string
	variant    string
	replicas   int
	logSize    int
	maxRecords int
	configFile string
	invariants string
	format     string
	maxStates  int64
	maxTime    time.Duration
	maxMemory  string
	workers    int
	symmetry   bool
	keepGoing  bool
	strategy   string
	coverage   bool
	progress   bool
	traceOut   string
	show       string
	features   []string
	// notes are said once on stderr before the search: keys of the
	// --config file that were ignored.
	notes []string
}

// Models electcheck checks.
const (
	modelKafka = "kafka"
	modelTLA   = "tla-replication"
)

// tlaFlags are the flags of the TLA+ port; maxLeaderEpochFlag is shared.
var tlaFlags = []string{"variant", "replicas", "log-size", "max-records"}

const maxLeaderEpochFlag = "max-leader-epoch"

func newCheckFlags() *checkFlags {
	f := &checkFlags{fs: pflag.NewFlagSet("check", pflag.ContinueOnError)}
	fs := f.fs
	fs.SetOutput(io.Discard)
	fs.SortFlags = false
	fs.StringVar(&f.model, "model", modelKafka, "the model to check: kafka (electcheck's Kafka partition) or tla-replication (the port of the TLA+ specification)")
	def := model.DefaultConfig()
	for _, s := range model.Settings {
		sf := &settingFlag{setting: s}
		f.settings = append(f.settings, sf)
		help := s.Help
		if d := def.Get(s.Key); d != "" {
			help += fmt.Sprintf(" (default %s)", d)
		}
		help += " [" + s.Key + "]"
		if s.Flag == maxLeaderEpochFlag {
			help += "; for tla-replication, the constant MaxLeaderEpoch (default 2)"
		}
		fl := fs.VarPF(sf, s.Flag, "", help)
		if s.Type == "bool" {
			fl.NoOptDefVal = "true"
		}
	}
	tc := tlareplication.DefaultConstants()
	fs.StringVar(&f.variant, "variant", "kip320", "tla-replication: the specification module, one of "+strings.Join(tlareplication.Variants(), ", "))
	fs.IntVar(&f.replicas, "replicas", tc.Replicas, "tla-replication: the constant Replicas, as a number of replicas r1..rN")
	fs.IntVar(&f.logSize, "log-size", tc.LogSize, "tla-replication: the constant LogSize")
	fs.IntVar(&f.maxRecords, "max-records", tc.MaxRecords, "tla-replication: the constant MaxRecords")
	fs.StringArrayVar(&f.features, "feature", nil, "force one protocol feature on or off, NAME=on|off, for what-if research (repeatable; 'electcheck list features' names them)")
	fs.StringVar(&f.configFile, "config", "", "read settings from a Kafka .properties file (server.properties, a topic or producer config); keys it leaves out take Kafka's defaults for the release; flags override it")
	fs.StringVar(&f.invariants, "invariants", "", "comma-separated properties to check (default all; see 'electcheck list')")
	fs.StringVar(&f.format, "format", "text", "output format: text, json, or markdown (the counterexample, or the --show trace, as a document)")
	fs.StringVar(&f.traceOut, "trace-out", "", "write the counterexample found (or the --show trace) to this trace file (docs/traces.md)")
	fs.StringVar(&f.show, "show", "", "make the shortest trace to this witness the one --trace-out and --format markdown use")
	fs.StringVar(&f.strategy, "strategy", "bfs", "search order: bfs (shortest counterexamples) or dfs")
	fs.BoolVar(&f.keepGoing, "keep-going", false, "after a violation, search on for the shortest counterexample of every property")
	fs.Int64Var(&f.maxStates, "max-states", 0, "stop, inconclusive, after this many distinct states (0: no limit)")
	fs.DurationVar(&f.maxTime, "max-time", 0, "stop, inconclusive, after this long, such as 30s or 5m (0: no limit)")
	fs.StringVar(&f.maxMemory, "max-memory", "", "stop, inconclusive, when the search holds this much memory, such as 4GiB (default three quarters of physical memory; 0: no limit)")
	fs.IntVar(&f.workers, "workers", runtime.GOMAXPROCS(0), "goroutines expanding states in BFS; results do not depend on it")
	fs.BoolVar(&f.symmetry, "symmetry", true, "kafka: search one state per renaming of interchangeable brokers (exact: same verdicts and trace lengths); --symmetry=false for raw counts")
	fs.BoolVar(&f.coverage, "coverage", false, "print how often each kind of action fired")
	fs.BoolVar(&f.progress, "progress", false, "print progress to stderr even when it is not a terminal")
	return f
}

func (f *checkFlags) usage() string {
	return "usage: electcheck check [flags]\n\n" +
		"Explores every interleaving of produce, replicate, ISR change, crash and election\n" +
		"actions for one partition, within the bounds, and checks the properties on every\n" +
		"reachable state. Prints a proof within the bounds, or the shortest counterexample.\n" +
		"With --model tla-replication it checks the port of the TLA+ specification\n" +
		"hachikuji/kafka-specification instead (see docs/cross-check.md).\n\n" +
		"flags:\n" + f.fs.FlagUsages()
}

// checker runs one model's check and renders the result.
type checker interface {
	check(opts explore.Options) (*outcome, error)
}

// checkRun is a parsed, validated check invocation.
type checkRun struct {
	checker checker
	opts    explore.Options
	flags   *checkFlags
}

// parseCheck turns arguments into a validated run; bad input is a
// usageError.
func parseCheck(args []string) (*checkRun, error) {
	f := newCheckFlags()
	if err := f.fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return &checkRun{flags: f}, pflag.ErrHelp
		}
		return nil, usagef("check: %v (electcheck check --help lists the flags)", err)
	}
	if f.fs.NArg() > 0 {
		return nil, usagef("check: unexpected argument %q: settings are flags, such as --acks=1", f.fs.Arg(0))
	}
	if f.format != "text" && f.format != "json" && f.format != "markdown" {
		return nil, usagef("--format must be text, json or markdown, not %q", f.format)
	}
	opts := explore.Options{MaxStates: f.maxStates, MaxTime: f.maxTime, KeepGoing: f.keepGoing, Workers: f.workers}
	if f.workers < 1 {
		return nil, usagef("--workers must be at least 1, not %d", f.workers)
	}
	opts.MaxMemory = defaultMaxMemory()
	if f.maxMemory != "" {
		n, err := parseSize(f.maxMemory)
		if err != nil {
			return nil, usagef("--max-memory: %v", err)
		}
		opts.MaxMemory = n
	}
	switch f.strategy {
	case "bfs":
	case "dfs":
		opts.Strategy = explore.DFS
	default:
		return nil, usagef("--strategy must be bfs or dfs, not %q", f.strategy)
	}
	if f.maxStates < 0 || f.maxTime < 0 {
		return nil, usagef("--max-states and --max-time must not be negative")
	}
	var names []string
	if f.invariants != "" {
		names = strings.Split(f.invariants, ",")
	}
	var c checker
	var err error
	switch f.model {
	case modelKafka:
		c, err = f.kafkaChecker(names)
	case modelTLA:
		c, err = f.tlaChecker(names)
	default:
		return nil, usagef("--model must be %s or %s, not %q", modelKafka, modelTLA, f.model)
	}
	if err != nil {
		return nil, err
	}
	return &checkRun{checker: c, opts: opts, flags: f}, nil
}

func runCheck(args []string, stdout, stderr io.Writer) (int, error) {
	r, err := parseCheck(args)
	if errors.Is(err, pflag.ErrHelp) {
		fmt.Fprint(stdout, r.flags.usage())
		return exitOK, nil
	}
	if err != nil {
		return 0, err
	}
	for _, n := range r.flags.notes {
		fmt.Fprintf(stderr, "electcheck: %s\n", n)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	r.opts.Context = ctx
	if r.flags.progress || isTerminal(stderr) {
		r.opts.Progress = func(s explore.Stats) {
			fmt.Fprintf(stderr, "electcheck: %s states, %s/s, queue %s, depth %d, %s\n",
				commas(s.Distinct), commas(int64(s.StatesPerSecond())), commas(s.Queue), s.Depth, s.Elapsed.Round(time.Second))
		}
	}
	o, err := r.checker.check(r.opts)
	if err != nil {
		if errors.Is(err, explore.ErrNondeterminism) {
			return 0, fmt.Errorf("internal error: %v", err)
		}
		return 0, err
	}
	o.strategy = r.opts.Strategy
	if r.flags.traceOut != "" {
		if o.primary == nil {
			fmt.Fprintf(stderr, "electcheck: no trace written to %s: no property was violated", r.flags.traceOut)
			if r.flags.show != "" {
				fmt.Fprintf(stderr, " and %s was not reached", r.flags.show)
			}
			fmt.Fprintln(stderr)
		} else {
			data, err := o.primary.Marshal()
			if err == nil {
				err = os.WriteFile(r.flags.traceOut, data, 0o644)
			}
			if err != nil {
				return 0, usagef("cannot write --trace-out file: %v", err)
			}
		}
	}
	switch r.flags.format {
	case "json":
		if err := o.writeJSON(stdout); err != nil {
			return 0, err
		}
	case "markdown":
		o.writeMarkdown(stdout)
	default:
		o.writeText(stdout, r.flags.coverage)
	}
	switch o.verdict {
	case explore.Violation:
		return exitViolation, nil
	case explore.Inconclusive:
		return exitInconclusive, nil
	}
	return exitOK, nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// commas prints n with thousands separators.
func commas(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + commas(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
