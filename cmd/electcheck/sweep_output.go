package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"electcheck/checker/sweep"
)

// sweepOutput are the flags sweep and sweep merge print with.
type sweepOutput struct {
	// tradeoff: --plot draws the trade-off picture of a measuring sweep,
	// not a heat map.
	tradeoff bool
	format   *string
	plot     string
	plotX    string
	plotY    string
}

func (o *sweepOutput) define(c *command, fs *pflag.FlagSet) {
	o.format = c.enum(fs, "format", "output format: text, markdown, csv, or json ({\"cells\": [...]}, each cell check's JSON object)", "text", "markdown", "csv", "json")
	fs.StringVar(&o.plot, "plot", "", "draw a heat map of the outcomes to this .svg or .png file")
	fs.StringVar(&o.plotX, "plot-x", "", "the heat map's horizontal axis (default the sweep's first axis)")
	fs.StringVar(&o.plotY, "plot-y", "", "the heat map's vertical axis (default the sweep's second axis)")
}

func (o *sweepOutput) check() error {
	if o.plot != "" {
		if ext := strings.ToLower(filepath.Ext(o.plot)); ext != ".svg" && ext != ".png" {
			return usagef("--plot %s: name a .svg or .png file", o.plot)
		}
		if err := writable("--plot", o.plot); err != nil {
			return err
		}
	} else if o.plotX != "" || o.plotY != "" {
		return usagef("--plot-x and --plot-y choose the heat map's axes: give --plot FILE too")
	}
	return nil
}

// axes picks the heat map's axes among the sweep's, before anything
// runs: --plot-x and --plot-y, or the first two.
func (o *sweepOutput) axes(names []string) error {
	if o.plot == "" {
		return nil
	}
	if o.tradeoff {
		if o.plotX != "" || o.plotY != "" {
			return usagef("--plot-x and --plot-y choose a heat map's axes; a measuring sweep's --plot draws P(loss) against minutes offline: drop them")
		}
		return nil
	}
	for _, a := range []string{o.plotX, o.plotY} {
		if a != "" && !slices.Contains(names, a) {
			return usagef("--plot-x and --plot-y must name axes of the sweep (%s), not %q", strings.Join(names, ", "), a)
		}
	}
	if o.plotX != "" && o.plotX == o.plotY {
		return usagef("--plot-x and --plot-y must name two different axes, not %s twice", o.plotX)
	}
	var rest []string
	for _, n := range names {
		if n != o.plotX && n != o.plotY {
			rest = append(rest, n)
		}
	}
	if o.plotX == "" && len(rest) > 0 {
		o.plotX, rest = rest[0], rest[1:]
	}
	if o.plotY == "" && len(rest) > 0 {
		o.plotY = rest[0]
	}
	if o.plotX == "" || o.plotY == "" {
		return usagef("--plot: the heat map needs a sweep of at least two axes")
	}
	return nil
}

// print writes the report, then the heat map, and picks the exit code: 1
// if a cell breaks a property, else 3 if one is inconclusive or the sweep
// was interrupted, else 0; 4 if the heat map cannot be written.
func (o *sweepOutput) print(rep *sweep.Report, stdout, stderr io.Writer) int {
	switch *o.format {
	case "json":
		_ = rep.WriteJSON(stdout)
	case "csv":
		_ = rep.WriteCSV(stdout)
	case "markdown":
		rep.WriteMarkdown(stdout)
	default:
		_ = rep.WriteText(stdout)
	}
	if rw, ok := stdout.(*reportWriter); ok && rw.err != nil {
		return exitInternal // the report is lost: say only that (run does)
	}
	if *o.format != "text" {
		fmt.Fprintf(stderr, "electcheck: sweep %s: %s\n", rep.SweepID, rep.Totals())
	}
	var files sideFiles
	if err := rep.WriteTraces(); err != nil {
		files.fail("--trace-dir", err)
	}
	if o.plot != "" {
		format := strings.TrimPrefix(strings.ToLower(filepath.Ext(o.plot)), ".")
		if rep.Risk != nil {
			files.write("--plot", o.plot, func(w io.Writer) error { return rep.TradeoffPlot(w, format) })
		} else {
			files.write("--plot", o.plot, func(w io.Writer) error { return rep.HeatMap(w, o.plotX, o.plotY, format) })
		}
	}
	code := exitOK
	for _, c := range rep.Cells {
		switch {
		case c.Result == "violation" && rep.Risk == nil: // a measurement is not a verdict
			code = exitViolation
		case c.Category == sweep.Inconclusive && code == exitOK:
			code = exitInconclusive
		}
	}
	if rep.Interrupted && code == exitOK {
		code = exitInconclusive
	}
	return files.finish(stderr, code)
}

// axisNames are a report's axes by name.
func axisNames(rep *sweep.Report) []string {
	var out []string
	for _, a := range rep.Axes {
		out = append(out, a.Name)
	}
	return out
}

// sweepMergeCmd is sweep merge: shards' reports in, the whole sweep's out.
type sweepMergeCmd struct {
	*command
	out sweepOutput
}

func newSweepMergeCommand() *command {
	c := &sweepMergeCmd{command: newCommand("sweep merge", "sweep merge [flags] SHARD.json...",
		"Combines the JSON reports of every shard of one sweep (sweep --shard I/N --format json)\n"+
			"into what one unsharded run prints.\n")}
	c.group("Output", func(fs *pflag.FlagSet) { c.out.define(c.command, fs) })
	c.args, c.minArgs, c.maxArgs = "the shards' JSON reports, such as shard-*.json", 1, -1
	c.exec = c.run
	return c.command
}

func (c *sweepMergeCmd) run(_ context.Context, stdout, stderr io.Writer) (int, error) {
	if err := c.out.check(); err != nil {
		return 0, err
	}
	var reps []*sweep.Report
	for _, path := range c.fs.Args() {
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
	if err := c.out.axes(axisNames(merged)); err != nil {
		return 0, err
	}
	return c.out.print(merged, stdout, stderr), nil
}
