package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"electcheck/checker"
	"electcheck/checker/sweep"
	"electcheck/model"
)

// sweepCmd is sweep's flags.
type sweepCmd struct {
	fs         *pflag.FlagSet
	lists      map[string]*string // setting key -> its list flag
	features   []string
	configFile string
	sweepFile  string
	preset     string
	invariants string
	noInfer    bool
	maxStates  int64
	maxTime    time.Duration
	maxMemory  string
	workers    int
	symmetry   bool
	out        outputFlags
	cacheDir   string
	noCache    bool
	traceDir   string
	shard      string
	search     string
	walks      int
	depth      int
	seed       uint64
	timeout    time.Duration
	groups     []flagGroup
}

// outputFlags are the flags sweep and sweep merge print with.
type outputFlags struct {
	format   string
	plot     string
	plotX    string
	plotY    string
	progress bool
}

func (o *outputFlags) define(fs *pflag.FlagSet) {
	fs.StringVar(&o.format, "format", "text", "output format: text, markdown, csv, or json ({\"cells\": [...]}, each cell check's JSON object)")
	fs.StringVar(&o.plot, "plot", "", "draw a heat map of the outcomes to this .svg or .png file")
	fs.StringVar(&o.plotX, "plot-x", "", "the heat map's horizontal axis (default the sweep's first axis)")
	fs.StringVar(&o.plotY, "plot-y", "", "the heat map's vertical axis (default the sweep's second axis)")
}

func newSweepCmd() *sweepCmd {
	c := &sweepCmd{fs: pflag.NewFlagSet("sweep", pflag.ContinueOnError), lists: map[string]*string{}}
	fs := c.fs
	fs.SetOutput(io.Discard)
	fs.SortFlags = false
	fs.StringVar(&c.preset, "preset", "", "a built-in sweep: "+strings.Join(sweep.PresetNames(), ", ")+" (flags and --sweep add to it and override it)")
	fs.StringVar(&c.sweepFile, "sweep", "", "read the axes from a sweep file (docs/sweep.md); flags override it")
	fs.StringVar(&c.configFile, "config", "", "every cell starts from this Kafka .properties file (Kafka's defaults for what it leaves out)")
	var kafka, bounds []string
	for _, s := range model.Settings {
		v := new(string)
		c.lists[s.Key] = v
		fs.StringVar(v, s.Flag, "", s.Help+" [list or range]")
		if s.Bound {
			bounds = append(bounds, s.Flag)
		} else {
			kafka = append(kafka, s.Flag)
		}
	}
	fs.StringArrayVar(&c.features, "feature", nil, "a feature switch as an axis, NAME=on,off (repeatable)")
	fs.StringVar(&c.invariants, "invariants", "", "comma-separated properties to check in every cell (default all)")
	fs.BoolVar(&c.noInfer, "no-infer", false, "search every cell, even those smaller or larger bounds decide")
	fs.Int64Var(&c.maxStates, "max-states", 0, "stop a cell's search, inconclusive, after this many states (0: no limit)")
	fs.DurationVar(&c.maxTime, "max-time", 0, "stop a cell's search, inconclusive, after this long (0: no limit)")
	fs.StringVar(&c.maxMemory, "max-memory", "", "stop a cell's search, inconclusive, at this much memory (default 3/4 of physical memory; 0: none)")
	fs.IntVar(&c.workers, "workers", runtime.GOMAXPROCS(0), "goroutines expanding each cell's states")
	fs.BoolVar(&c.symmetry, "symmetry", true, "search one state per renaming of interchangeable brokers")
	fs.StringVar(&c.search, "search", "exhaustive", "exhaustive (every state, as check) or simulate (random walks, as simulate, each history judged by lincheck)")
	fs.IntVar(&c.walks, "walks", 1000, "with --search simulate: random walks per cell")
	fs.IntVar(&c.depth, "depth", 60, "with --search simulate: steps per walk at most")
	fs.Uint64Var(&c.seed, "seed", 0, "with --search simulate: every cell's seed (default: from the clock, and printed)")
	fs.DurationVar(&c.timeout, "timeout", 10*time.Second, "with --search simulate: porcupine's limit on each walk's history")
	c.out.define(fs)
	fs.StringVar(&c.traceDir, "trace-dir", "", "write each cell's counterexample to a trace file in this directory")
	fs.StringVar(&c.cacheDir, "cache-dir", sweep.DefaultCacheDir(), "cache finished cells here")
	fs.BoolVar(&c.noCache, "no-cache", false, "search every cell again, even those the cache has")
	fs.StringVar(&c.shard, "shard", "", "run shard I of N (I/N, from 0/N): whole groups of cells, dealt round robin; merge with sweep merge")
	fs.BoolVar(&c.out.progress, "progress", false, "show progress on stderr even when it is not a terminal")
	c.groups = []flagGroup{
		{"What to sweep", []string{"preset", "sweep", "config"}},
		{"Kafka settings: each takes a value, a list (1,all) or a range (1..3; versions too: 2.0..3.9)", kafka},
		{"Bounds: each a total for the whole run, as a list or range", append(bounds, "feature")},
		{"Properties and search (per cell)", []string{"invariants", "no-infer", "max-states", "max-time", "max-memory", "workers", "symmetry"}},
		{"Simulation instead of search (per cell)", []string{"search", "walks", "depth", "seed", "timeout"}},
		{"Output", []string{"format", "plot", "plot-x", "plot-y", "trace-dir", "progress"}},
		{"Cache and shards", []string{"cache-dir", "no-cache", "shard"}},
	}
	return c
}

func (c *sweepCmd) usage() string {
	return "usage: electcheck sweep [flags]\n" +
		"       electcheck sweep merge [--format F] [--plot FILE] SHARD.json...\n\n" +
		"Checks every configuration of a matrix: each setting flag takes a list or a range, and\n" +
		"each combination is one cell, searched as check would (every property to its end). Prints\n" +
		"which cells lose committed data, lose acknowledged data, go offline, or are safe. Invalid\n" +
		"combinations are skipped and counted. Cells that smaller or larger bounds decide are not\n" +
		"searched (marked inferred); finished cells are cached. With --search simulate, each cell\n" +
		"takes seeded random walks instead and every walk's client history is judged as lincheck\n" +
		"judges it: which configurations keep client histories linearizable. See docs/sweep.md.\n\n" +
		"  electcheck sweep --replication-factor 2,3 --min-insync-replicas 1..3 --acks 1,all\n" +
		"  electcheck sweep --preset durability --format markdown --plot matrix.svg\n" +
		"  electcheck sweep --preset histories --seed 1\n" +
		groupedUsage(c.fs, c.groups)
}

func runSweep(args []string, stdout, stderr io.Writer) (int, error) {
	if len(args) > 0 && args[0] == "merge" {
		return runSweepMerge(args[1:], stdout, stderr)
	}
	c := newSweepCmd()
	if err := c.fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			fmt.Fprint(stdout, c.usage())
			return exitOK, nil
		}
		return 0, usagef("sweep: %s (electcheck sweep --help lists the flags)", flagError(err))
	}
	if c.fs.NArg() > 0 {
		return 0, usagef("sweep: unexpected argument %q: axes are flags, such as --acks 1,all", c.fs.Arg(0))
	}
	sw, err := c.sweep(stderr)
	if err != nil {
		return 0, err
	}
	if err := c.out.check(); err != nil {
		return 0, err
	}
	opts := sweep.Options{TraceDir: c.traceDir, Refresh: c.noCache}
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
	if opts.Shard.N > plan.Groups {
		fmt.Fprintf(stderr, "electcheck: %d shards for %d groups of cells: shards from %d on have nothing to do\n", opts.Shard.N, plan.Groups, plan.Groups)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	opts.Context = ctx
	if c.out.progress || isTerminal(stderr) {
		opts.Progress = progressBar(stderr, isTerminal(stderr))
	}
	rep, err := plan.Run(opts)
	if err != nil {
		return 0, err
	}
	return c.out.print(rep, stdout, stderr)
}

// sweep builds the sweep: the preset, then the sweep file, then the flags.
func (c *sweepCmd) sweep(stderr io.Writer) (sweep.Sweep, error) {
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
	for _, s := range model.Settings {
		if c.fs.Changed(s.Flag) {
			if err := spec.Set(s.Key, *c.lists[s.Key]); err != nil {
				return sweep.Sweep{}, err
			}
		}
	}
	for _, fv := range c.features {
		name, list, ok := strings.Cut(fv, "=")
		if !ok {
			return sweep.Sweep{}, usagef("--feature %q: write NAME=on, NAME=off or NAME=on,off", fv)
		}
		if err := spec.Set(model.FeatureKeyPrefix+name, list); err != nil {
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
	if err := c.simulation(&sw, stderr); err != nil {
		return sw, err
	}
	f := checkFlags{workers: c.workers, symmetry: c.symmetry, maxStates: c.maxStates, maxTime: c.maxTime, maxMemory: c.maxMemory, strategy: "bfs"}
	if sw.Search, err = f.search(); err != nil {
		return sw, err
	}
	return sw, nil
}

func (o *outputFlags) check() error {
	switch o.format {
	case "text", "markdown", "csv", "json":
	default:
		return usagef("--format must be text, markdown, csv or json, not %q", o.format)
	}
	if o.plot != "" {
		if ext := strings.ToLower(filepath.Ext(o.plot)); ext != ".svg" && ext != ".png" {
			return usagef("--plot %s: name a .svg or .png file", o.plot)
		}
		if err := writable(o.plot); err != nil {
			return usagef("--plot: %v", err)
		}
	} else if o.plotX != "" || o.plotY != "" {
		return usagef("--plot-x and --plot-y choose the heat map's axes: give --plot FILE too")
	}
	return nil
}

// print writes the report and the heat map, and picks the exit code: 1 if
// a cell breaks a property, else 3 if one is inconclusive, else 0.
func (o *outputFlags) print(rep *sweep.Report, stdout, stderr io.Writer) (int, error) {
	if o.plot != "" {
		if err := o.heatMap(rep); err != nil {
			return 0, err
		}
	}
	var err error
	switch o.format {
	case "json":
		err = rep.WriteJSON(stdout)
	case "csv":
		err = rep.WriteCSV(stdout)
	case "markdown":
		rep.WriteMarkdown(stdout)
	default:
		err = rep.WriteText(stdout)
	}
	if err != nil {
		return 0, err
	}
	if o.format != "text" {
		fmt.Fprintf(stderr, "electcheck: sweep %s: %s\n", rep.SweepID, rep.Totals())
	}
	code := exitOK
	for _, c := range rep.Cells {
		switch {
		case c.Result == "violation":
			return exitViolation, nil
		case c.Category == sweep.Inconclusive:
			code = exitInconclusive
		}
	}
	if rep.Interrupted {
		code = exitInconclusive
	}
	return code, nil
}

func (o *outputFlags) heatMap(rep *sweep.Report) error {
	x, y := o.plotX, o.plotY
	if x == "" || y == "" {
		if len(rep.Axes) < 2 {
			return usagef("--plot: the heat map needs a sweep of at least two axes")
		}
		if x == "" {
			x = rep.Axes[0].Name
			if x == y {
				x = rep.Axes[1].Name
			}
		}
		if y == "" {
			y = rep.Axes[1].Name
			if y == x {
				y = rep.Axes[0].Name
			}
		}
	}
	f, err := os.Create(o.plot)
	if err != nil {
		return usagef("cannot write --plot file: %v", err)
	}
	err = rep.HeatMap(f, x, y, strings.TrimPrefix(strings.ToLower(filepath.Ext(o.plot)), "."))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(o.plot)
	}
	return err
}

// progressBar draws the sweep's progress: a bar redrawn in place on a
// terminal, a line every few seconds elsewhere.
func progressBar(w io.Writer, terminal bool) func(sweep.Progress) {
	var last time.Time
	return func(p sweep.Progress) {
		done := p.Done == p.Total
		if !terminal && !done && time.Since(last) < 5*time.Second {
			return
		}
		last = time.Now()
		const width = 24
		filled := width * p.Done / max(p.Total, 1)
		eta := ""
		if p.Done > 0 && !done {
			left := time.Duration(float64(p.Elapsed) / float64(p.Done) * float64(p.Total-p.Done))
			eta = fmt.Sprintf(", about %s left", left.Round(time.Second))
		}
		line := fmt.Sprintf("electcheck: [%s%s] %d/%d cells: %d searched, %d cached, %d inferred; %s%s",
			strings.Repeat("#", filled), strings.Repeat("-", width-filled), p.Done, p.Total, p.Searched, p.Cached, p.Inferred, p.Elapsed.Round(time.Second), eta)
		if terminal {
			fmt.Fprintf(w, "\r\x1b[K%s", line)
			if done {
				fmt.Fprintln(w)
			}
			return
		}
		fmt.Fprintln(w, line)
	}
}

// runSweepMerge combines shards' JSON reports into the whole sweep's.
func runSweepMerge(args []string, stdout, stderr io.Writer) (int, error) {
	fs := pflag.NewFlagSet("sweep merge", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var out outputFlags
	out.define(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			fmt.Fprintf(stdout, "usage: electcheck sweep merge [flags] SHARD.json...\n\n"+
				"Combines the JSON reports of every shard of one sweep (sweep --shard I/N --format json)\n"+
				"into what one unsharded run prints.\n\nflags:\n%s", fs.FlagUsagesWrapped(helpWidth))
			return exitOK, nil
		}
		return 0, usagef("sweep merge: %s (electcheck sweep merge --help)", flagError(err))
	}
	if fs.NArg() == 0 {
		return 0, usagef("sweep merge takes the shards' JSON reports, such as: electcheck sweep merge shard-*.json")
	}
	if err := out.check(); err != nil {
		return 0, err
	}
	var reps []*sweep.Report
	for _, path := range fs.Args() {
		data, err := os.ReadFile(path)
		if err != nil {
			return 0, usagef("cannot read a shard's report: %v", err)
		}
		r, err := sweep.ReadReport(data)
		if err != nil {
			return 0, usagef("%s: %v", path, err)
		}
		reps = append(reps, r)
	}
	merged, err := sweep.Merge(reps)
	if err != nil {
		return 0, err
	}
	return out.print(merged, stdout, stderr)
}

// simulation sets the sweep to simulate its cells, when --search simulate
// (or a simulating preset) says so, and refuses what only one way of
// checking a cell takes.
func (c *sweepCmd) simulation(sw *sweep.Sweep, stderr io.Writer) error {
	search := c.search
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
	switch search {
	case "exhaustive":
		if f := changed("walks", "depth", "seed", "timeout"); f != "" {
			return usagef("%s applies to --search simulate: add it, or drop %s", f, f)
		}
		return nil
	case "simulate":
	default:
		return usagef("--search must be exhaustive or simulate, not %q", c.search)
	}
	if f := changed("no-infer", "max-states", "max-time", "max-memory", "workers", "symmetry"); f != "" {
		return usagef("%s applies to an exhaustive search, not to --search simulate: drop it", f)
	}
	o := checker.SimulateOptions{Walks: c.walks, Depth: c.depth, Seed: c.seed, Timeout: c.timeout}
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
		o.Seed = uint64(time.Now().UnixNano())
		fmt.Fprintf(stderr, "electcheck: seed %d (rerun with --seed %d)\n", o.Seed, o.Seed)
	}
	sw.Simulate = &o
	return nil
}
