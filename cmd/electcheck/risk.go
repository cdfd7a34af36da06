package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/spf13/pflag"

	"electcheck/checker"
	"electcheck/checker/risk"
	"electcheck/explore"
	"electcheck/model"
)

// riskCmd is risk: what to measure (check's Kafka flags, the bounds being
// one incident's faults), the rates, how to search the chains, what to
// print and write.
type riskCmd struct {
	*command
	what      requestFlags
	rates     rateFlags
	workers   int
	symmetry  bool
	maxStates int64
	maxMemory string
	format    *string
	traceOut  string
	prism     string
	drn       string
	progress  bool
	sim       simFlags
	scheduler *string
}

// simFlags say how risk simulates, with --method simulate or both.
type simFlags struct {
	method     *string
	runs       int
	seed       uint64
	confidence float64
	bias       float64
	startBias  float64
	shard      string
	target     string
}

func newRiskCommand() *command {
	c := &riskCmd{command: newCommand("risk", "risk [check's Kafka flags] [rates] [--horizon 1y]",
		"Puts numbers on a configuration: how likely it is to lose committed data within the\n"+
			"horizon, the mean time to data loss, minutes a year offline and with acks=all writes\n"+
			"refused, and the most likely way it loses data. Every action of the model gets a rate;\n"+
			"the state graph becomes a continuous-time Markov chain, built one incident at a time\n"+
			"(the bounds --crashes, --power-losses ... are the faults one incident may hold) and\n"+
			"solved exactly. A fault whose budget is 0 is not modelled, and its rate is 0 unless\n"+
			"given. No consumer is modelled unless --consumer is given: risk measures committed\n"+
			"data, which a consumer does not change. docs/risk.md is the method; exit 0 when the\n"+
			"figures are computed, 3 when a budget or Ctrl-C stopped the chains' search (with\n"+
			"--target: 0 below the target, 1 above, 3 undecided).\n")}
	c.what.noProperties = true
	c.what.define(c.command, true)
	c.rates.define(c.command)
	c.group("Search", func(fs *pflag.FlagSet) {
		fs.Int64Var(&c.maxStates, "max-states", 0, "stop, inconclusive, when a chain reaches this many states (0: no limit)")
		fs.StringVar(&c.maxMemory, "max-memory", "", "stop, inconclusive, when the process holds this much memory, such as 4GiB (default three quarters of physical memory; 0: no limit)")
		fs.IntVar(&c.workers, "workers", runtime.GOMAXPROCS(0), "goroutines building the chains; the figures do not depend on it")
		fs.BoolVar(&c.symmetry, "symmetry", true, "build one state per renaming of interchangeable brokers (exact: the figures are the same); --symmetry=false for raw counts")
	})
	c.group("Scheduler", func(fs *pflag.FlagSet) {
		c.scheduler = c.enum(fs, "scheduler", "how a family's rate is split among its members (which replica an election picks, how much of an unflushed log a power loss keeps): uniform (evenly), or min or max (the scheduler that makes a loss least or most likely, with the interval between them; builds the incident chain again without symmetry)", "uniform", "min", "max")
	})
	c.group("Simulation (for chains too big to build; docs/risk.md)", func(fs *pflag.FlagSet) {
		c.sim.method = c.enum(fs, "method", "exact (build the chains and solve them), simulate (walk incidents instead: estimates with intervals) or both (exact, and a simulation beside to compare)", "exact", "simulate", "both")
		fs.IntVar(&c.sim.runs, "runs", 100_000, "incidents to walk")
		fs.Uint64Var(&c.sim.seed, "seed", 0, "the walks' seed (default: from the clock, and printed; the same seed gives the same figures, whatever --workers and --shard)")
		fs.Float64Var(&c.sim.confidence, "confidence", 0.95, "the intervals' confidence level")
		fs.Float64Var(&c.sim.bias, "bias", 0.5, "balanced failure biasing: the probability of a fault wherever faults and repairs compete (0: walk the true chain, with exact Clopper-Pearson intervals)")
		fs.Float64Var(&c.sim.startBias, "start-bias", 0.5, "the probability of drawing an incident's start uniformly among the starts rather than by their rates (finds losses only rare starts cause)")
		fs.StringVar(&c.sim.target, "target", "", "with --method simulate: decide by a sequential test (SPRT) whether losses happen less often than this rate, such as 1e-6/yr (exit 0 below, 1 above, 3 undecided after --runs); walks the true chain")
		fs.StringVar(&c.sim.shard, "shard", "", "walk shard I of N (I/N, from 0/N) of the runs, for a job array; combine the JSON reports with electcheck risk merge")
	})
	c.group("Output", func(fs *pflag.FlagSet) {
		c.format = c.enum(fs, "format", "output format: text, json or markdown", "text", "json", "markdown")
		fs.StringVar(&c.traceOut, "trace-out", "", "write the most likely loss path as a trace file (docs/traces.md), for replay and the catalogue")
		fs.StringVar(&c.prism, "export-prism", "", "write the incident chain as PRISM's explicit files PREFIX.tra, .sta, .lab, .srew (and -offline.srew, -refused.srew, .csl)")
		fs.StringVar(&c.drn, "export-drn", "", "write the incident chain in Storm's DRN format to this file")
		fs.BoolVar(&c.progress, "progress", false, "print progress to stderr even when it is not a terminal")
	})
	c.maxArgs = 0
	c.exec = c.run
	return c.command
}

func (c *riskCmd) run(ctx context.Context, stdout, stderr io.Writer) (int, error) {
	for _, out := range [][2]string{{"--trace-out", c.traceOut}, {"--export-prism", c.prism + ".tra"}, {"--export-drn", c.drn}} {
		if out[1] == ".tra" {
			continue
		}
		if err := writable(out[0], out[1]); err != nil {
			return 0, err
		}
	}
	req, before, err := c.what.request()
	if err != nil {
		return 0, err
	}
	cfg := req.Kafka
	if !c.fs.Changed("consumer") {
		cfg.Consumer = false
	}
	if _, err := model.New(cfg); err != nil {
		return 0, usagef("%v", err)
	}
	rates, err := c.rates.rates(cfg)
	if err != nil {
		return 0, err
	}
	if rates.OperatorUncleanAfter > 0 && cfg.UncleanLeaderElection {
		return 0, usagef("--operator-unclean-after: unclean leader election is already enabled, so there is nothing for the operator to do")
	}
	r := risk.Request{Config: cfg, Rates: rates, Horizon: c.rates.horizon}
	if err := r.Validate(); err != nil {
		return 0, usagef("%v", err)
	}
	opts := risk.Options{Workers: c.workers, Symmetry: c.symmetry, Context: ctx, MaxStates: c.maxStates}
	if c.workers < 1 {
		return 0, usagef("--workers must be at least 1, not %d", c.workers)
	}
	if c.maxStates < 0 {
		return 0, usagef("--max-states must not be negative")
	}
	if c.maxMemory != "" {
		n, err := checker.ParseSize(c.maxMemory)
		if err != nil {
			return 0, usagef("--max-memory: %v", err)
		}
		opts.MaxMemory = n
		if n == 0 {
			opts.MaxMemory = -1
		}
	}
	if *c.scheduler != "uniform" && *c.sim.method == "simulate" {
		return 0, usagef("--scheduler %s needs the built chain: use --method exact or both", *c.scheduler)
	}
	sim, err := c.simOptions(stderr)
	if err != nil {
		return 0, err
	}
	notes(stderr, before)
	if showProgress(c.progress, stderr) {
		p := progressPrinter(stderr)
		opts.Progress = func(chain string, s explore.Stats) { p(s) }
	}
	// The chains' live heap is most of the peak, and the collector's
	// default slack doubles it: at 50% the default plus a power loss
	// peaked at 831 MB instead of 1.33 GB, in the same time (docs/performance.md).
	defer debug.SetGCPercent(debug.SetGCPercent(50))
	start := time.Now()
	if *c.sim.method == "simulate" && c.sim.target != "" {
		return c.sprt(ctx, r, sim, stdout)
	}
	if *c.sim.method == "simulate" {
		return c.simulate(ctx, r, sim, stdout, stderr)
	}
	a, err := risk.Analyze(r, opts)
	var inc *risk.Incomplete
	if errors.As(err, &inc) {
		fmt.Fprintf(stderr, "electcheck: risk: %v; no figure can be given (raise --max-states or --max-memory, or lower the bounds)\n", err)
		return exitInconclusive, nil
	}
	if err != nil {
		return 0, err
	}
	rep, err := risk.NewReport(a, time.Since(start))
	if err != nil {
		return 0, err
	}
	if *c.scheduler != "uniform" {
		b, err := a.Bounds(opts)
		if errors.As(err, &inc) {
			fmt.Fprintf(stderr, "electcheck: risk: the scheduler's decision process: %v; no figure can be given (raise --max-states or --max-memory, or lower the bounds)\n", err)
			return exitInconclusive, nil
		}
		if err != nil {
			return 0, err
		}
		rep.SetScheduler(a, *c.scheduler, b)
	}
	if *c.sim.method == "both" {
		s, err := risk.Simulate(r, sim)
		if err != nil {
			if ctx.Err() != nil {
				fmt.Fprintln(stderr, "electcheck: risk: interrupted during the simulation; no figure can be given")
				return exitInconclusive, nil
			}
			return 0, err
		}
		rep.AddSimulation(s)
	}
	printReport(*c.format, rep, stdout)
	var files sideFiles
	if c.traceOut != "" {
		if lp := rep.Path(); lp == nil {
			fmt.Fprintf(stderr, "electcheck: nothing written to %s: no incident loses committed data\n", c.traceOut)
		} else if data, err := lp.File.Marshal(); err != nil {
			files.fail("--trace-out", err)
		} else {
			files.writeBytes("--trace-out", c.traceOut, data)
		}
	}
	if c.prism != "" {
		if err := a.ExportPRISM(c.prism); err != nil {
			files.fail("--export-prism", err)
		}
	}
	if c.drn != "" {
		if err := a.ExportDRN(c.drn); err != nil {
			files.fail("--export-drn", err)
		}
	}
	return files.finish(stderr, exitOK), nil
}
