package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"electcheck/checker/risk"
)

// simOptions are the simulation the flags describe; flags of the
// simulation without --method simulate or both are refused.
func (c *riskCmd) simOptions(stderr io.Writer) (risk.SimOptions, error) {
	o := risk.SimOptions{Runs: c.sim.runs, Seed: c.sim.seed, Confidence: c.sim.confidence, Bias: c.sim.bias, StartBias: c.sim.startBias,
		Workers: c.workers}
	if *c.sim.method == "exact" {
		for _, f := range []string{"runs", "seed", "confidence", "bias", "start-bias", "shard"} {
			if c.fs.Changed(f) {
				return o, usagef("--%s applies to --method simulate or both: add one, or drop --%s", f, f)
			}
		}
		return o, nil
	}
	if c.sim.shard != "" {
		if *c.sim.method != "simulate" {
			return o, usagef("--shard splits --method simulate's runs, not --method both's")
		}
		i, n, ok := strings.Cut(c.sim.shard, "/")
		si, err1 := strconv.Atoi(i)
		sn, err2 := strconv.Atoi(n)
		if !ok || err1 != nil || err2 != nil || sn < 1 || si < 0 || si >= sn {
			return o, usagef("--shard %q: write I/N with 0 <= I < N, such as 0/4", c.sim.shard)
		}
		if !c.fs.Changed("seed") {
			return o, usagef("--shard needs --seed: every shard must walk the same seed's runs")
		}
		o.Shard, o.Shards = si, sn
	}
	if err := risk.CheckSimOptions(o); err != nil {
		return o, usagef("%v", err)
	}
	if !c.fs.Changed("seed") {
		o.Seed = uint64(time.Now().UnixNano())
		fmt.Fprintf(stderr, "electcheck: seed %d (rerun with --seed %d)\n", o.Seed, o.Seed)
	}
	return o, nil
}

// simulate runs --method simulate.
func (c *riskCmd) simulate(ctx context.Context, r risk.Request, o risk.SimOptions, stdout, stderr io.Writer) (int, error) {
	o.Context = ctx
	start := time.Now()
	s, err := risk.Simulate(r, o)
	if err != nil {
		if ctx.Err() != nil {
			fmt.Fprintln(stderr, "electcheck: risk: interrupted; no figure can be given")
			return exitInconclusive, nil
		}
		return 0, err
	}
	rep, err := risk.NewSimReport(r, s, time.Since(start))
	if err != nil {
		return 0, err
	}
	printRisk(*c.format, rep, stdout)
	var files sideFiles
	for _, f := range [][2]string{{"--trace-out", c.traceOut}, {"--export-prism", c.prism}, {"--export-drn", c.drn}} {
		if f[1] != "" {
			fmt.Fprintf(stderr, "electcheck: nothing written to %s: %s needs the built chain (--method exact or both)\n", f[1], f[0])
		}
	}
	return files.finish(stderr, exitOK), nil
}

// printRisk writes a risk report in a format (a failed write is the
// reportWriter's to report).
func printRisk(format string, rep *risk.Report, stdout io.Writer) {
	switch format {
	case "json":
		_ = rep.WriteJSON(stdout)
	case "markdown":
		rep.WriteMarkdown(stdout)
	default:
		rep.WriteText(stdout)
	}
}

// riskMergeCmd is risk merge: shards' reports in, the whole
// simulation's out.
type riskMergeCmd struct {
	*command
	format *string
}

func newRiskMergeCommand() *command {
	c := &riskMergeCmd{command: newCommand("risk merge", "risk merge [--format F] SHARD.json...",
		"Combines the JSON reports of every shard of one simulation (risk --method simulate\n"+
			"--shard I/N --seed S --format json) into what one unsharded run with that seed prints.\n")}
	c.group("Output", func(fs *pflag.FlagSet) {
		c.format = c.enum(fs, "format", "output format: text, json or markdown", "text", "json", "markdown")
	})
	c.args, c.minArgs, c.maxArgs = "SHARD.json...", 1, -1
	c.exec = c.run
	return c.command
}

func (c *riskMergeCmd) run(ctx context.Context, stdout, stderr io.Writer) (int, error) {
	var parts []*risk.Report
	for _, name := range c.fs.Args() {
		data, err := readInput(name)
		if err != nil {
			return 0, usagef("cannot read %s: %v", name, err)
		}
		var rep risk.Report
		if err := json.Unmarshal(data, &rep); err != nil {
			return 0, usagef("%s is not a risk report in JSON: %v", name, err)
		}
		parts = append(parts, &rep)
	}
	merged, err := risk.MergeReports(parts)
	if err != nil {
		return 0, usagef("%v", err)
	}
	printRisk(*c.format, merged, stdout)
	if s := merged.Simulation.Result; !s.Complete() {
		fmt.Fprintf(stderr, "electcheck: risk merge: shards %v of %d: the figures are those of the shards given, not the whole simulation\n", s.Parts, s.Shards)
		return exitInconclusive, nil
	}
	return exitOK, nil
}
