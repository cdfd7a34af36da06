package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"electcheck/checker"
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

// checkFlags are the flags that say what to check and how to search:
// check's, and graph's.
type checkFlags struct {
	fs         *pflag.FlagSet
	settings   []*settingFlag
	model      string
	variant    string
	replicas   int
	logSize    int
	maxRecords int
	configFile string
	features   []string
	invariants string
	show       string
	strategy   string
	keepGoing  bool
	maxStates  int64
	maxTime    time.Duration
	maxMemory  string
	frontier   string
	workers    int
	symmetry   bool
	// groups are the flags by the heading help shows them under.
	groups []flagGroup
}

type flagGroup struct {
	title string
	names []string
}

// tlaFlags are the flags of the TLA+ port alone; maxLeaderEpochFlag is
// shared with the Kafka model.
var tlaFlags = []string{"variant", "replicas", "log-size", "max-records"}

const maxLeaderEpochFlag = "max-leader-epoch"

func newCheckFlags(name string) *checkFlags {
	f := &checkFlags{fs: pflag.NewFlagSet(name, pflag.ContinueOnError)}
	fs := f.fs
	fs.SetOutput(io.Discard)
	fs.SortFlags = false
	fs.StringVar(&f.model, "model", checker.ModelKafka, "the model: kafka (electcheck's Kafka partition) or tla-replication (the port of the TLA+ specification)")
	fs.StringVar(&f.configFile, "config", "", "read settings from a Kafka .properties file (server.properties, a topic or producer config); keys it leaves out take Kafka's defaults for the release; flags override it")
	def := model.DefaultConfig()
	var kafka, bounds []string
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
		if s.Bound {
			bounds = append(bounds, s.Flag)
		} else {
			kafka = append(kafka, s.Flag)
		}
	}
	fs.StringArrayVar(&f.features, "feature", nil, "force one protocol feature on or off, NAME=on|off, for what-if research (repeatable; 'electcheck list features' names them)")
	tc := tlareplication.DefaultConstants()
	fs.StringVar(&f.variant, "variant", "kip320", "the specification module, one of "+strings.Join(tlareplication.Variants(), ", "))
	fs.IntVar(&f.replicas, "replicas", tc.Replicas, "the constant Replicas, as a number of replicas r1..rN")
	fs.IntVar(&f.logSize, "log-size", tc.LogSize, "the constant LogSize")
	fs.IntVar(&f.maxRecords, "max-records", tc.MaxRecords, "the constant MaxRecords")
	fs.StringVar(&f.invariants, "invariants", "", "comma-separated properties to check (default all; 'electcheck list properties')")
	fs.StringVar(&f.show, "show", "", "print the shortest trace to this witness, and make it the one --trace-out and --format markdown use")
	fs.StringVar(&f.strategy, "strategy", "bfs", "search order: bfs (shortest counterexamples) or dfs")
	fs.BoolVar(&f.keepGoing, "keep-going", false, "after a violation, search on for the shortest counterexample of every property")
	fs.Int64Var(&f.maxStates, "max-states", 0, "stop, inconclusive, after this many distinct states (0: no limit)")
	fs.DurationVar(&f.maxTime, "max-time", 0, "stop, inconclusive, after this long, such as 30s or 5m (0: no limit)")
	fs.StringVar(&f.frontier, "frontier-dir", "", "let BFS keep its frontier in files in this directory once it holds 64 MiB (or the process half of --max-memory): memory then holds the visited set, the parent links and a window of the frontier")
	fs.StringVar(&f.maxMemory, "max-memory", "", "stop, inconclusive, when the process holds this much memory, such as 4GiB (default three quarters of physical memory; 0: no limit)")
	fs.IntVar(&f.workers, "workers", runtime.GOMAXPROCS(0), "goroutines expanding states in BFS; results do not depend on it")
	fs.BoolVar(&f.symmetry, "symmetry", true, "kafka: search one state per renaming of interchangeable brokers (exact: same verdicts and trace lengths); --symmetry=false for raw counts")
	f.groups = []flagGroup{
		{"Model", []string{"model", "config"}},
		{"Kafka settings (named after Kafka's; --config FILE reads the same keys)", append(kafka, "feature")},
		{"Bounds of the search (each a total for the whole run)", bounds},
		{"The TLA+ port (--model tla-replication; --max-leader-epoch applies too)", tlaFlags},
		{"Properties", []string{"invariants", "show"}},
		{"Search", []string{"strategy", "keep-going", "max-states", "max-time", "max-memory", "frontier-dir", "workers", "symmetry"}},
	}
	return f
}

// addGroup adds flags defined on their own and shows them under a heading.
func (f *checkFlags) addGroup(title string, define func(fs *pflag.FlagSet)) {
	before := map[string]bool{}
	f.fs.VisitAll(func(fl *pflag.Flag) { before[fl.Name] = true })
	define(f.fs)
	g := flagGroup{title: title}
	f.fs.VisitAll(func(fl *pflag.Flag) {
		if !before[fl.Name] {
			g.names = append(g.names, fl.Name)
		}
	})
	f.groups = append(f.groups, g)
}

// helpWidth is the width help text wraps at.
const helpWidth = 100

// flagUsage is the flags by group, wrapped to helpWidth columns.
func (f *checkFlags) flagUsage() string { return groupedUsage(f.fs, f.groups) }

// groupedUsage is a flag set's flags under their groups' headings.
func groupedUsage(fs *pflag.FlagSet, groups []flagGroup) string {
	var sb strings.Builder
	for _, g := range groups {
		gs := pflag.NewFlagSet(g.title, pflag.ContinueOnError)
		gs.SortFlags = false
		for _, n := range g.names {
			gs.AddFlag(fs.Lookup(n))
		}
		fmt.Fprintf(&sb, "\n%s:\n%s", g.title, gs.FlagUsagesWrapped(helpWidth))
	}
	return sb.String()
}

// parse parses args; bad input is a usageError, --help pflag.ErrHelp.
func (f *checkFlags) parse(args []string) error {
	if err := f.fs.Parse(args); err != nil {
		if err == pflag.ErrHelp {
			return err
		}
		return usagef("%s: %s (electcheck %s --help lists the flags)", f.fs.Name(), flagError(err), f.fs.Name())
	}
	if f.fs.NArg() > 0 {
		return usagef("%s: unexpected argument %q: settings are flags, such as --acks=1", f.fs.Name(), f.fs.Arg(0))
	}
	return nil
}

// flagError is pflag's error without Go's parser in it: `invalid argument
// "x" for "--records" flag: not a whole number` rather than strconv's text.
func flagError(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, ": strconv.Parse"); i >= 0 {
		what := "not a number"
		switch {
		case strings.Contains(msg[i:], "ParseInt"), strings.Contains(msg[i:], "ParseUint"):
			what = "not a whole number"
		case strings.Contains(msg[i:], "ParseBool"):
			what = "write true or false"
		}
		if strings.Contains(msg[i:], "out of range") {
			what = "out of range"
		}
		msg = msg[:i] + ": " + what
	}
	return msg
}

// request is the check the flags describe. notes are things to say on
// stderr before the search: keys of the --config file that were ignored.
func (f *checkFlags) request() (req checker.Request, notes []string, err error) {
	req = checker.NewRequest()
	req.Model = f.model
	if f.invariants != "" {
		req.Properties = strings.Split(f.invariants, ",")
	}
	req.Show = f.show
	if req.Search, err = f.search(); err != nil {
		return req, nil, err
	}
	switch f.model {
	case checker.ModelKafka:
		notes, err = f.kafka(&req)
	case checker.ModelTLA:
		err = f.tla(&req)
	default:
		err = usagef("--model must be %s, not %q", strings.Join(checker.ModelNames(), " or "), f.model)
	}
	return req, notes, err
}

func (f *checkFlags) search() (checker.Search, error) {
	s := checker.Search{Workers: f.workers, NoSymmetry: !f.symmetry, KeepGoing: f.keepGoing, MaxStates: f.maxStates, MaxTime: f.maxTime}
	if f.workers < 1 {
		return s, usagef("--workers must be at least 1, not %d", f.workers)
	}
	if f.maxStates < 0 || f.maxTime < 0 {
		return s, usagef("--max-states and --max-time must not be negative")
	}
	if f.maxMemory != "" {
		n, err := checker.ParseSize(f.maxMemory)
		if err != nil {
			return s, usagef("--max-memory: %v", err)
		}
		s.MaxMemory = n
		if n == 0 {
			s.MaxMemory = -1 // no limit
		}
	}
	if f.frontier != "" {
		if st, err := os.Stat(f.frontier); err != nil || !st.IsDir() {
			return s, usagef("--frontier-dir %s: not a directory: create it, or name one that exists", f.frontier)
		}
		if f.strategy == "dfs" {
			return s, usagef("--frontier-dir applies to --strategy bfs: DFS keeps no frontier")
		}
		s.FrontierDir = f.frontier
	}
	switch f.strategy {
	case "bfs":
	case "dfs":
		s.Strategy = explore.DFS
	default:
		return s, usagef("--strategy must be bfs or dfs, not %q", f.strategy)
	}
	return s, nil
}

// kafka sets the Kafka model's configuration: the --config file (or the
// recommended setup), then the flags given, then --feature.
func (f *checkFlags) kafka(req *checker.Request) (notes []string, err error) {
	for _, fl := range tlaFlags {
		if f.fs.Changed(fl) {
			return nil, usagef("--%s applies to --model %s only", fl, checker.ModelTLA)
		}
	}
	cfg := model.DefaultConfig()
	if f.configFile != "" {
		var loaded model.Loaded
		if cfg, loaded, err = checker.LoadProperties(f.configFile); err != nil {
			return nil, err
		}
		if len(loaded.Ignored) > 0 {
			notes = append(notes, fmt.Sprintf("%s: ignored Kafka settings the model does not use (%d): %s", f.configFile, len(loaded.Ignored), strings.Join(loaded.Ignored, ", ")))
		}
		if len(loaded.Unknown) > 0 {
			notes = append(notes, fmt.Sprintf("%s: ignored settings neither Kafka nor electcheck knows (%d): %s", f.configFile, len(loaded.Unknown), strings.Join(loaded.Unknown, ", ")))
		}
	}
	for _, sf := range f.settings {
		if f.fs.Changed(sf.setting.Flag) {
			if err := cfg.Set(sf.setting.Key, sf.value); err != nil {
				return nil, usagef("--%s: %v", sf.setting.Flag, err)
			}
		}
	}
	for _, fv := range f.features {
		name, value, ok := strings.Cut(fv, "=")
		if !ok {
			return nil, usagef("--feature %q: write NAME=on or NAME=off ('electcheck list features' names them)", fv)
		}
		feat, err := model.ParseFeature(name)
		if err != nil {
			return nil, usagef("--feature: %v", err)
		}
		if feat == model.EligibleLeaderReplicas {
			return nil, usagef("--feature %s: use --eligible-leader-replicas=%s, Kafka's eligible.leader.replicas.version, instead", fv, value)
		}
		if err := cfg.Set(model.FeatureKeyPrefix+feat.String(), value); err != nil {
			return nil, usagef("--feature: %v", err)
		}
	}
	req.Kafka = cfg
	return notes, nil
}

// tla sets the TLA+ port's module and constants.
func (f *checkFlags) tla(req *checker.Request) error {
	if f.configFile != "" {
		return usagef("--config applies to --model %s only; give the specification's constants as flags", checker.ModelKafka)
	}
	if len(f.features) > 0 {
		return usagef("--feature applies to --model %s only", checker.ModelKafka)
	}
	if f.fs.Changed("symmetry") && f.symmetry {
		return usagef("--symmetry does not apply to --model %s: its state counts must stay TLC's", checker.ModelTLA)
	}
	c := tlareplication.DefaultConstants()
	for _, sf := range f.settings {
		if !f.fs.Changed(sf.setting.Flag) {
			continue
		}
		if sf.setting.Flag != maxLeaderEpochFlag {
			return usagef("--%s applies to --model %s only; %s takes --variant, --replicas, --log-size, --max-records and --max-leader-epoch",
				sf.setting.Flag, checker.ModelKafka, checker.ModelTLA)
		}
		n, err := strconv.Atoi(sf.value)
		if err != nil {
			return usagef("--%s must be a whole number, not %q", maxLeaderEpochFlag, sf.value)
		}
		c.MaxLeaderEpoch = n
	}
	c.Replicas, c.LogSize, c.MaxRecords = f.replicas, f.logSize, f.maxRecords
	v, err := tlareplication.ParseVariant(f.variant)
	if err != nil {
		return usagef("--variant: %v", err)
	}
	req.TLA = checker.TLASpec{Variant: v, Constants: c}
	return nil
}
