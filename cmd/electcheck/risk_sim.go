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

	"electcheck/checker"
	"electcheck/checker/risk"
)

// simOptions are the simulation the flags describe; flags of the
// simulation without --method simulate or both are refused.
func (c *riskCmd) simOptions(stderr io.Writer) (risk.SimOptions, error) {
	o := risk.SimOptions{Runs: c.sim.runs, Seed: c.sim.seed, Confidence: c.sim.confidence, Bias: c.sim.bias, StartBias: c.sim.startBias,
		Workers: c.workers}
	if c.sim.target != "" && *c.sim.method != "simulate" {
		return o, usagef("--target decides by simulation alone: give --method simulate")
	}
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
	if c.sim.target != "" {
		if c.sim.shard != "" {
			return o, usagef("--target reads its runs in order: it cannot be sharded")
		}
		if c.fs.Changed("bias") && o.Bias != 0 || c.fs.Changed("start-bias") && o.StartBias != 0 {
			return o, usagef("--target counts losses on the true chain: drop --bias and --start-bias (or give them 0)")
		}
		o.Bias, o.StartBias = 0, 0
		rate, err := risk.ParseRate(c.sim.target)
		if err != nil || rate == 0 {
			return o, usagef("--target %q: give a positive rate of losses, such as 1e-6/yr", c.sim.target)
		}
	}
	if err := risk.CheckSimOptions(o); err != nil {
		return o, usagef("%v", err)
	}
	if !c.fs.Changed("seed") {
		var line string
		o.Seed, line = clockSeed()
		fmt.Fprint(stderr, line)
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
	printReport(*c.format, rep, stdout)
	var files sideFiles
	for _, f := range [][2]string{{"--trace-out", c.traceOut}, {"--export-prism", c.prism}, {"--export-drn", c.drn}} {
		if f[1] != "" {
			fmt.Fprintf(stderr, "electcheck: nothing written to %s: %s needs the built chain (--method exact or both)\n", f[1], f[0])
		}
	}
	return files.finish(stderr, exitOK), nil
}

// sprt runs --method simulate --target: the sequential test's decision.
func (c *riskCmd) sprt(ctx context.Context, r risk.Request, o risk.SimOptions, stdout io.Writer) (int, error) {
	o.Context = ctx
	perHour, _ := risk.ParseRate(c.sim.target) // checked in simOptions
	res, err := risk.SPRT(r, o, perHour*risk.HoursPerYear)
	if err != nil {
		if ctx.Err() != nil {
			return exitInconclusive, nil
		}
		return 0, usagef("--target: %v", err)
	}
	if *c.format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(map[string]any{"method": "sprt", "target_per_year": res.Target, "decision": res.Decision, "runs": res.Runs,
			"losses": res.Losses, "p0": res.P0, "p1": res.P1, "alpha": res.Alpha, "beta": res.Beta, "llr": res.LLR, "seed": res.Seed})
	} else {
		fmt.Fprintf(stdout, "%s\nsequential test: losses %s the target of %g a year (after %s incidents, %d losing data; "+
			"per incident %.3g against %.3g, errors α = β = %.3g; seed %d)\n", riskHeaderText(r), map[string]string{"below": "happen less often than",
			"above": "happen more often than", "undecided": "are not yet decided against"}[res.Decision], res.Target,
			checker.Commas(int64(res.Runs)), res.Losses, res.P0, res.P1, res.Alpha, res.Seed)
	}
	switch res.Decision {
	case "below":
		return exitOK, nil
	case "above":
		return exitViolation, nil
	}
	return exitInconclusive, nil
}

// riskHeaderText is the configuration and rates, as risk's reports open.
func riskHeaderText(r risk.Request) string {
	var sb strings.Builder
	h := checker.KafkaHeader(r.Config)
	for _, f := range [][2]string{{"model:", h.ModelLine}, {"rules:", h.RulesLine}, {"incident:", h.BoundsLine}, {"rates:", risk.RatesLine(&r.Rates)}} {
		if f[1] != "" {
			sb.WriteString(checker.WrapField(f[0], f[1]))
		}
	}
	return sb.String()
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
		rep, err := risk.ReadReport(data)
		if err != nil {
			return 0, usagef("%s: %v", name, err)
		}
		parts = append(parts, rep)
	}
	merged, err := risk.MergeReports(parts)
	if err != nil {
		return 0, usagef("%v", err)
	}
	printReport(*c.format, merged, stdout)
	if s := merged.Simulation.Result; !s.Complete() {
		fmt.Fprintf(stderr, "electcheck: risk merge: shards %v of %d: the figures are those of the shards given, not the whole simulation\n", s.Parts, s.Shards)
		return exitInconclusive, nil
	}
	return exitOK, nil
}
