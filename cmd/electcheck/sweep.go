package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"electcheck/checker"
	"electcheck/checker/risk"
	"electcheck/checker/sweep"
	"electcheck/model"
)

// sweepCmd is sweep: the axes (a preset, a sweep file, a list per
// setting), how to check each cell (a search, or random walks), and the
// output, cache and shard.
type sweepCmd struct {
	*command
	lists      map[string]*string // setting key -> its list flag
	features   []string
	configFile string
	sweepFile  string
	preset     string
	invariants string
	noInfer    bool
	how        searchFlags
	search     *string
	walks      int
	depth      int
	seed       uint64
	// seedLine tells the seed chosen from the clock, when --seed was not
	// given: printed once the sweep is known to be valid.
	seedLine  string
	timeout   time.Duration
	measure   *string
	scheduler *string
	method    *string
	runs      int
	rates     rateFlags
	out       sweepOutput
	cacheDir  string
	noCache   bool
	traceDir  string
	shard     string
	progress  bool
}

func newSweepCommand() *command {
	c := &sweepCmd{command: newCommand("sweep", "sweep [flags]\n       electcheck sweep merge [--format F] [--plot FILE] SHARD.json...",
		"Checks every configuration of a matrix: each setting flag takes a list or a range, and\n"+
			"each combination is one cell, searched as check would (every property to its end). Prints\n"+
			"which cells lose committed data, lose acknowledged data, go offline, or are safe. Invalid\n"+
			"combinations are skipped and counted. Cells that smaller or larger bounds decide are not\n"+
			"searched (marked inferred); finished cells are cached. With --search simulate, each cell\n"+
			"takes seeded random walks instead and every walk's client history is judged as lincheck\n"+
			"judges it: which configurations keep client histories linearizable. See docs/sweep.md.\n\n"+
			"  electcheck sweep --replication-factor 2,3 --min-insync-replicas 1..3 --acks 1,all\n"+
			"  electcheck sweep --preset durability --format markdown --plot matrix.svg\n"+
			"  electcheck sweep --preset histories --seed 1\n"),
		lists: map[string]*string{}}
	c.group("What to sweep", func(fs *pflag.FlagSet) {
		fs.StringVar(&c.preset, "preset", "", "a built-in sweep: "+strings.Join(sweep.PresetNames(), ", ")+" (flags and --sweep add to it and override it)")
		fs.StringVar(&c.sweepFile, "sweep", "", "read the axes from a sweep file (docs/sweep.md); flags override it")
		fs.StringVar(&c.configFile, "config", "", "every cell starts from this Kafka .properties file (Kafka's defaults for what it leaves out)")
	})
	var kafka, bounds []string
	for i := range model.Settings {
		s := &model.Settings[i]
		if _, isSwitch := s.Feature(); isSwitch {
			continue
		}
		v := new(string)
		c.lists[s.Key] = v
		c.fs.StringVar(v, s.Flag, "", s.Help+" [list or range]")
		if s.Bound {
			bounds = append(bounds, s.Flag)
		} else {
			kafka = append(kafka, s.Flag)
		}
	}
	c.fs.StringArrayVar(&c.features, "feature", nil, "a feature switch as an axis, NAME=on,off (repeatable)")
	c.groups = append(c.groups, flagGroup{"Kafka settings: each takes a value, a list (1,all) or a range (1..3; versions too: 2.0..3.9)", kafka},
		flagGroup{"Bounds: each a total for the whole run, as a list or range", append(bounds, "feature")})
	c.group("Properties (per cell)", func(fs *pflag.FlagSet) {
		fs.StringVar(&c.invariants, "invariants", "", "comma-separated properties to check in every cell (default all)")
		fs.BoolVar(&c.noInfer, "no-infer", false, "search every cell, even those smaller or larger bounds decide")
	})
	c.how.define(c.command, "Search (per cell; small cells run several at a time)", false)
	c.group("Simulation instead of search (per cell)", func(fs *pflag.FlagSet) {
		c.search = c.enum(fs, "search", "exhaustive (every state, as check) or simulate (random walks, as simulate, each history judged by lincheck)", "exhaustive", "simulate")
		fs.IntVar(&c.walks, "walks", 1000, "with --search simulate: random walks per cell")
		fs.IntVar(&c.depth, "depth", 60, "with --search simulate: steps per walk at most")
		fs.Uint64Var(&c.seed, "seed", 0, "with --search simulate or --method simulate: every cell's seed (default: from the clock, and printed)")
		fs.DurationVar(&c.timeout, "timeout", 10*time.Second, "with --search simulate: porcupine's limit on each walk's history")
	})
	c.group("Risk instead of verdicts (per cell; docs/risk.md)", func(fs *pflag.FlagSet) {
		c.measure = c.enum(fs, "measure", "verdict (each cell's properties, as check) or risk (each cell's P(loss), MTTDL, minutes offline and refused a year, as risk)", "verdict", "risk")
		c.scheduler = c.enum(fs, "scheduler", "with --measure risk: uniform, or min or max (each cell's P(loss) interval over how the model's open choices are resolved, as risk --scheduler)", "uniform", "min", "max")
		c.method = c.enum(fs, "method", "with --measure risk: exact (build and solve each cell's chains) or simulate (walk incidents: estimates with intervals, as risk --method simulate, for cells too big to build)", "exact", "simulate")
		fs.IntVar(&c.runs, "runs", 100_000, "with --method simulate: incidents to walk per cell")
	})
	c.rates.define(c.command)
	c.group("Output", func(fs *pflag.FlagSet) {
		c.out.define(c.command, fs)
		fs.StringVar(&c.traceDir, "trace-dir", "", "write each cell's counterexample to a trace file in this directory")
		fs.BoolVar(&c.progress, "progress", false, "show progress on stderr even when it is not a terminal")
	})
	c.group("Cache and shards", func(fs *pflag.FlagSet) {
		fs.StringVar(&c.cacheDir, "cache-dir", sweep.DefaultCacheDir(), "cache finished cells here")
		fs.BoolVar(&c.noCache, "no-cache", false, "search every cell again, even those the cache has")
		fs.StringVar(&c.shard, "shard", "", "run shard I of N (I/N, from 0/N): whole groups of cells, dealt round robin; merge with sweep merge")
	})
	c.maxArgs = 0
	c.exec = c.run
	return c.command
}

func (c *sweepCmd) run(ctx context.Context, stdout, stderr io.Writer) (int, error) {
	sw, err := c.sweep()
	if err != nil {
		return 0, err
	}
	if err := c.out.check(); err != nil {
		return 0, err
	}
	opts := sweep.Options{TraceDir: c.traceDir, Refresh: c.noCache, Context: ctx}
	if c.cacheDir != "" {
		opts.CacheDir = c.cacheDir
	} else {
		fmt.Fprintln(stderr, "electcheck: no cache directory (no $HOME?): every cell will be searched; pass --cache-dir to cache them")
	}
	if c.shard != "" {
		if opts.Shard, err = sweep.ParseShard(c.shard); err != nil {
			return 0, err
		}
	}
	plan, err := sw.Plan()
	if err != nil {
		return 0, err
	}
	fmt.Fprint(stderr, c.seedLine) // once the sweep has a cell to run
	c.out.tradeoff = sw.Risk != nil
	var names []string
	for _, a := range plan.Sweep.Axes {
		names = append(names, a.Name)
	}
	if err := c.out.axes(names); err != nil {
		return 0, err
	}
	if opts.Shard.N > plan.Groups {
		fmt.Fprintf(stderr, "electcheck: %d shards for %d groups of cells: shards from %d on have nothing to do\n", opts.Shard.N, plan.Groups, plan.Groups)
	}
	if showProgress(c.progress, stderr) {
		opts.Progress = progressBar(stderr, isTerminal(stderr))
	}
	rep, err := plan.Run(opts)
	if err != nil {
		return 0, err
	}
	return c.out.print(rep, stdout, stderr), nil
}

// sweep builds the sweep: the preset, then the sweep file, then the flags.
func (c *sweepCmd) sweep() (sweep.Sweep, error) {
	var spec sweep.Spec
	var props []string
	if c.preset != "" {
		var err error
		if spec, props, err = sweep.Preset(c.preset); err != nil {
			return sweep.Sweep{}, err
		}
	}
	if c.sweepFile != "" {
		data, err := os.ReadFile(c.sweepFile)
		if err != nil {
			return sweep.Sweep{}, usagef("cannot read --sweep file: %v", err)
		}
		file, err := sweep.ParseFile(string(data))
		if err != nil {
			return sweep.Sweep{}, usagef("%s: %v", c.sweepFile, err)
		}
		for k, v := range file.Lists {
			if err := spec.Set(k, v); err != nil {
				return sweep.Sweep{}, err
			}
		}
		spec.Bundles = append(spec.Bundles, file.Bundles...)
	}
	for i := range model.Settings {
		s := &model.Settings[i]
		if v, ok := c.lists[s.Key]; ok && c.fs.Changed(s.Flag) {
			if err := spec.Set(s.Key, *v); err != nil {
				return sweep.Sweep{}, err
			}
		}
	}
	given := map[model.Feature]bool{}
	for _, fv := range c.features {
		name, list, ok := strings.Cut(fv, "=")
		if !ok {
			return sweep.Sweep{}, usagef("--feature %q: write NAME=on, NAME=off or NAME=on,off", fv)
		}
		f, err := model.ParseFeature(name)
		if err != nil {
			return sweep.Sweep{}, usagef("--feature: %v", err)
		}
		if given[f] {
			return sweep.Sweep{}, usagef("--feature %s is given twice: list its values once, such as %s=on,off", f, f)
		}
		given[f] = true
		if err := spec.Set(model.FeatureSetting(f).Key, list); err != nil {
			return sweep.Sweep{}, usagef("--feature: %v", err)
		}
	}
	sw, err := spec.Sweep()
	if err != nil {
		return sw, err
	}
	sw.ConfigFile = c.configFile
	sw.Properties = props
	if c.invariants != "" {
		sw.Properties = strings.Split(c.invariants, ",")
	}
	sw.NoInference = c.noInfer
	if err := c.risk(&sw); err != nil {
		return sw, err
	}
	if err := c.simulation(&sw); err != nil {
		return sw, err
	}
	if sw.Search, err = c.how.search(""); err != nil {
		return sw, err
	}
	return sw, nil
}

// risk sets the sweep to measure its cells, when --measure risk (or a
// measuring preset) says so, and refuses the rates otherwise.
func (c *sweepCmd) risk(sw *sweep.Sweep) error {
	measure := *c.measure
	if c.preset != "" && sweep.PresetMeasuresRisk(c.preset) && !c.fs.Changed("measure") {
		measure = "risk"
	}
	var rateNames []string
	c.fs.VisitAll(func(fl *pflag.Flag) {
		for _, g := range c.groups {
			if strings.HasPrefix(g.title, "Rates") && slices.Contains(g.names, fl.Name) && fl.Changed {
				rateNames = append(rateNames, "--"+fl.Name)
			}
		}
	})
	for _, f := range []string{"scheduler", "method", "runs"} {
		if c.fs.Changed(f) {
			rateNames = append(rateNames, "--"+f)
		}
	}
	if measure != "risk" {
		if len(rateNames) > 0 {
			return usagef("%s applies to --measure risk: add it, or drop %s", rateNames[0], rateNames[0])
		}
		return nil
	}
	if *c.search == "simulate" {
		return usagef("--measure risk and --search simulate are two ways of checking a cell: choose one")
	}
	if c.invariants != "" || c.noInfer {
		return usagef("--measure risk measures the loss of committed data in every cell: drop --invariants and --no-infer")
	}
	after := c.rates.duration("operator-unclean-after")
	if c.preset == "tradeoff" && !c.fs.Changed(after.flag) {
		after.value = "30m" // the preset's operator (docs/tradeoff.md)
	}
	def, err := c.rates.rates(model.DefaultConfig())
	if err != nil {
		return err
	}
	sw.Properties = []string{"committed-offsets-preserved"}
	line := risk.RatesLine(&def) + "; a fault without a budget in a cell is not modelled there"
	for _, d := range []string{"detect", "lag-timeout", "rebalance"} {
		if !c.fs.Changed(d) {
			line += "; " + d + " as each cell's release ships it"
		}
	}
	sw.Risk = &sweep.RiskMeasure{Horizon: c.rates.horizon, RatesLine: line, Scheduler: *c.scheduler, Rates: func(cfg model.Config) (risk.Rates, error) {
		r, err := c.rates.rates(cfg)
		if err != nil {
			return r, err
		}
		if !cfg.OperatorMayEnableUnclean {
			r.OperatorUncleanAfter = 0 // only the cells with an operator have one
		} else if r.OperatorUncleanAfter == 0 {
			return r, fmt.Errorf("the cell lets an operator enable unclean election: give --%s (such as 30m)", after.flag)
		}
		return r, nil
	}}
	if *c.method == "exact" {
		if c.fs.Changed("runs") {
			return usagef("--runs applies to --method simulate: add it, or drop --runs")
		}
		return nil
	}
	if *c.scheduler != "uniform" {
		return usagef("--scheduler %s needs the chains built: it cannot go with --method simulate", *c.scheduler)
	}
	// risk's defaults: balanced failure biasing and a biased start.
	o := risk.SimOptions{Runs: c.runs, Seed: c.seed, Confidence: 0.95, Bias: 0.5, StartBias: 0.5}
	if err := risk.CheckSimOptions(o); err != nil {
		return usagef("%v", err)
	}
	if !c.fs.Changed("seed") {
		o.Seed, c.seedLine = clockSeed()
	}
	sw.Risk.Simulate = &o
	return nil
}

// simulation sets the sweep to simulate its cells, when --search simulate
// (or a simulating preset) says so, and refuses what only one way of
// checking a cell takes.
func (c *sweepCmd) simulation(sw *sweep.Sweep) error {
	search := *c.search
	var preset *checker.SimulateOptions
	if c.preset != "" {
		preset = sweep.PresetSimulation(c.preset)
		if preset != nil && !c.fs.Changed("search") {
			search = "simulate"
		}
	}
	changed := func(names ...string) string {
		for _, n := range names {
			if c.fs.Changed(n) {
				return "--" + n
			}
		}
		return ""
	}
	if sw.Risk != nil {
		if search == "simulate" {
			return usagef("--measure risk and the simulating preset %s are two ways of checking a cell: choose one", c.preset)
		}
		if sw.Risk.Simulate == nil && c.fs.Changed("seed") {
			return usagef("--seed applies to --method simulate (or --search simulate): add --method simulate, or drop --seed")
		}
		if f := changed("walks", "depth", "timeout"); f != "" {
			return usagef("%s applies to --search simulate, not to --measure risk: drop it", f)
		}
		return nil
	}
	if search == "exhaustive" {
		if f := changed("walks", "depth", "seed", "timeout"); f != "" {
			return usagef("%s applies to --search simulate: add it, or drop %s", f, f)
		}
		return nil
	}
	if f := changed("no-infer", "max-states", "max-time", "max-memory", "symmetry"); f != "" {
		return usagef("%s applies to an exhaustive search, not to --search simulate: drop it", f)
	}
	o := checker.SimulateOptions{Walks: c.walks, Depth: c.depth, Seed: c.seed, Timeout: c.timeout, Workers: c.how.workers}
	if preset != nil {
		if !c.fs.Changed("walks") {
			o.Walks = preset.Walks
		}
		if !c.fs.Changed("depth") {
			o.Depth = preset.Depth
		}
	}
	if o.Walks < 1 || o.Depth < 1 {
		return usagef("--walks and --depth must be at least 1")
	}
	if !c.fs.Changed("seed") {
		o.Seed, c.seedLine = clockSeed()
	}
	sw.Simulate = &o
	return nil
}
