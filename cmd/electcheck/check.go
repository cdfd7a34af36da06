package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/pflag"

	"electcheck/checker"
	"electcheck/explore"
)

// checkCmd is check: what to check, how to search, how to print.
type checkCmd struct {
	*command
	what     requestFlags
	how      searchFlags
	show     string
	format   *string
	traceOut string
	histOut  string
	coverage bool
	progress bool
	strict   bool
}

func newCheckCommand() *command {
	c := &checkCmd{command: newCommand("check", "check [flags]",
		"Explores every interleaving of produce, replicate, ISR change, crash and election\n"+
			"actions for one partition, within the bounds, and checks the properties on every\n"+
			"reachable state. Prints a proof within the bounds, or the shortest counterexample.\n"+
			"With --model tla-replication it checks the port of the TLA+ specification\n"+
			"hachikuji/kafka-specification instead, with --model kraft-replication the port of\n"+
			"Vanlightly/kafka-tlaplus's KRaft replication specifications (docs/cross-check.md).\n")}
	c.what.define(c.command, false)
	c.group("Properties", func(fs *pflag.FlagSet) {
		fs.StringVar(&c.show, "show", "", "print the shortest trace to this witness, and make it the one --trace-out and --format markdown use")
	})
	c.how.define(c.command, "Search", true)
	c.group("Output", func(fs *pflag.FlagSet) {
		c.format = c.enum(fs, "format", "output format: text, json, or markdown (the counterexample, or the --show trace, as a document)", "text", "json", "markdown")
		fs.StringVar(&c.traceOut, "trace-out", "", "write the counterexample found (or the --show trace) to this trace file (docs/traces.md)")
		fs.StringVar(&c.histOut, "history-out", "", "write the client history of the counterexample (or the --show trace) to this file, for lincheck (docs/histories.md)")
		fs.BoolVar(&c.coverage, "coverage", false, "print how often each kind of action fired")
		fs.BoolVar(&c.progress, "progress", false, "print progress to stderr even when it is not a terminal")
		fs.BoolVar(&c.strict, "strict", false, "exit 1 when a property held only vacuously (a situation it guards was never reached)")
	})
	c.maxArgs = 0
	c.exec = c.run
	return c.command
}

func (c *checkCmd) run(ctx context.Context, stdout, stderr io.Writer) (int, error) {
	req, notesBefore, err := c.what.request()
	if err != nil {
		return 0, err
	}
	search, err := c.how.search(req.Model)
	if err != nil {
		return 0, err
	}
	search.Show = c.show
	if err := writable("--trace-out", c.traceOut); err != nil {
		return 0, err
	}
	if err := writable("--history-out", c.histOut); err != nil {
		return 0, err
	}
	if c.histOut != "" && req.Model != checker.ModelKafka {
		return 0, usagef("--history-out: only the %s model has clients", checker.ModelKafka)
	}
	notes(stderr, notesBefore)
	search.Context = ctx
	if showProgress(c.progress, stderr) {
		search.Progress = progressPrinter(stderr)
	}
	o, err := checker.Check(req, search)
	if err != nil {
		return 0, err
	}
	switch *c.format {
	case "json":
		_ = o.WriteJSON(stdout) // a failed write is the reportWriter's
	case "markdown":
		o.WriteMarkdown(stdout)
	default:
		o.WriteText(stdout, c.coverage)
	}
	var files sideFiles
	c.writeFiles(o, &files, stderr)
	return files.finish(stderr, verdictCode(o, c.strict)), nil
}

// writeFiles writes the primary trace and its client history, if asked.
func (c *checkCmd) writeFiles(o *checker.Outcome, files *sideFiles, stderr io.Writer) {
	if c.traceOut == "" && c.histOut == "" {
		return
	}
	if o.Primary == nil {
		why := "no property was violated"
		if c.show != "" {
			why += " and " + c.show + " was not reached"
		}
		for _, p := range []string{c.traceOut, c.histOut} {
			if p != "" {
				fmt.Fprintf(stderr, "electcheck: nothing written to %s: %s\n", p, why)
			}
		}
		return
	}
	if c.traceOut != "" {
		data, err := o.Primary.Marshal()
		if err != nil {
			files.fail("--trace-out", err)
		} else {
			files.writeBytes("--trace-out", c.traceOut, data)
		}
	}
	if c.histOut != "" {
		h, err := checker.ClientHistoryOf(o.Primary)
		if err != nil {
			files.fail("--history-out", err)
			return
		}
		files.write("--history-out", c.histOut, h.WriteJSONL)
	}
}

// verdictCode is the exit code of an outcome; strict counts a property
// that held vacuously as failed.
func verdictCode(o *checker.Outcome, strict bool) int {
	switch {
	case o.Verdict == explore.Violation:
		return exitViolation
	case o.Verdict == explore.Inconclusive:
		return exitInconclusive
	case strict && len(o.Vacuous) > 0:
		return exitViolation
	}
	return exitOK
}
