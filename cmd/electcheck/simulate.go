package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"time"

	"github.com/spf13/pflag"

	"electcheck/checker"
)

// simulateCmd is simulate: what to walk through, how many walks, what to
// print and keep.
type simulateCmd struct {
	*command
	what     requestFlags
	walks    int
	depth    int
	seed     uint64
	timeout  time.Duration
	workers  int
	format   *string
	traceOut string
	histOut  string
	html     string
	progress bool
}

func newSimulateCommand() *command {
	c := &simulateCmd{command: newCommand("simulate", "simulate [check's Kafka flags] [--walks N] [--depth D] [--seed S]",
		"Takes seeded random walks through one configuration of the Kafka model, for clusters\n"+
			"too large to search whole (replication factor up to 5, more records and faults). Each\n"+
			"walk is checked by the invariants, and its client history by lincheck. Reports walks,\n"+
			"steps, violations, linearizable and non-linearizable histories and anomalies, and the\n"+
			"shortest failing walk. The same seed gives the same report, whatever --workers.\n")}
	c.what.define(c.command, true)
	c.group("Simulation", func(fs *pflag.FlagSet) {
		fs.IntVar(&c.walks, "walks", 1000, "random walks to take")
		fs.IntVar(&c.depth, "depth", 60, "steps per walk at most")
		fs.Uint64Var(&c.seed, "seed", 0, "the walks' seed (default: from the clock, and printed; the same seed gives the same walks)")
		fs.DurationVar(&c.timeout, "timeout", 10*time.Second, "porcupine's limit on each walk's history")
		fs.IntVar(&c.workers, "workers", runtime.GOMAXPROCS(0), "goroutines taking walks; the report does not depend on it")
	})
	c.group("Output", func(fs *pflag.FlagSet) {
		c.format = c.enum(fs, "format", "output format: text or json", "text", "json")
		fs.StringVar(&c.traceOut, "trace-out", "", "write the shortest failing walk as a trace file")
		fs.StringVar(&c.histOut, "history-out", "", "write the shortest failing walk's client history")
		fs.StringVar(&c.html, "html", "", "write porcupine's visualisation of the shortest failing walk's history")
		fs.BoolVar(&c.progress, "progress", false, "print progress to stderr even when it is not a terminal")
	})
	c.maxArgs = 0
	c.exec = c.run
	return c.command
}

func (c *simulateCmd) run(ctx context.Context, stdout, stderr io.Writer) (int, error) {
	for _, out := range [][2]string{{"--trace-out", c.traceOut}, {"--history-out", c.histOut}, {"--html", c.html}} {
		if err := writable(out[0], out[1]); err != nil {
			return 0, err
		}
	}
	req, before, err := c.what.request()
	if err != nil {
		return 0, err
	}
	if c.walks < 1 || c.depth < 1 {
		return 0, usagef("--walks and --depth must be at least 1")
	}
	if c.workers < 1 {
		return 0, usagef("--workers must be at least 1, not %d", c.workers)
	}
	notes(stderr, before)
	opts := checker.SimulateOptions{Seed: c.seed, Walks: c.walks, Depth: c.depth, Timeout: c.timeout, Workers: c.workers, Context: ctx}
	if !c.fs.Changed("seed") {
		var line string
		opts.Seed, line = clockSeed()
		opts.Started = func() { fmt.Fprint(stderr, line) }
	}
	if showProgress(c.progress, stderr) {
		opts.Progress = walkProgress(stderr)
	}
	rep, err := checker.Simulate(req, opts)
	if err != nil {
		return 0, err
	}
	if *c.format == "json" {
		_ = rep.WriteJSON(stdout)
	} else {
		rep.WriteText(stdout)
	}
	var files sideFiles
	if rep.Shortest != nil {
		if c.traceOut != "" {
			if data, err := rep.FailingTrace().Marshal(); err != nil {
				files.fail("--trace-out", err)
			} else {
				files.writeBytes("--trace-out", c.traceOut, data)
			}
		}
		if c.histOut != "" {
			files.write("--history-out", c.histOut, rep.FailingHistory().WriteJSONL)
		}
		if c.html != "" {
			files.write("--html", c.html, rep.WriteFailingHTML)
		}
	}
	code := exitOK
	switch {
	case rep.Result != "ok":
		code = exitViolation
	case rep.Interrupted || rep.Inconclusive > 0:
		code = exitInconclusive
	}
	return files.finish(stderr, code), nil
}
