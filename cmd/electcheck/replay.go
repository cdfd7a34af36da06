package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/pflag"

	"electcheck/checker"
	"electcheck/history"
)

// runReplay re-runs a trace file through the current model. Exit codes:
// 1 the property still fails as recorded; 0 it no longer fails, or a trace
// without a property replays as recorded; 5 the trace diverges (the model
// changed); 2 the file cannot be read.
func runReplay(args []string, stdout io.Writer) (int, error) {
	fs := pflag.NewFlagSet("replay", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	format := fs.String("format", "text", "output format: text, json or markdown")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			fmt.Fprintf(stdout, "usage: electcheck replay [--format text|json|markdown] FILE\n\n"+
				"Re-runs a trace file's actions through the current model and says whether\n"+
				"each step is still enabled and leads to the recorded state, and whether the\n"+
				"recorded property still fails at the end. Exit codes: 1 still reproduces,\n"+
				"5 diverges (the model changed), 0 no longer fails, 2 unreadable file.\n\nflags:\n%s", fs.FlagUsages())
			return exitOK, nil
		}
		return 0, usagef("replay: %v (electcheck replay --help)", err)
	}
	if fs.NArg() != 1 {
		return 0, usagef("replay takes one trace file, such as: electcheck replay testdata/traces/known-acks1-failover.json")
	}
	if *format != "text" && *format != "json" && *format != "markdown" {
		return 0, usagef("--format must be text, json or markdown, not %q", *format)
	}
	path := fs.Arg(0)
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, usagef("cannot read the trace file: %v", err)
	}
	f, err := checker.ReadTrace(data)
	if err != nil {
		return 0, usagef("%s: %v", path, err)
	}
	res, err := checker.Replay(f)
	if err != nil {
		return 0, usagef("%s: %v", path, err)
	}
	code := exitOK
	switch res.Outcome {
	case history.Reproduces:
		code = exitViolation
	case history.Diverges:
		code = exitDiverged
	}
	rep := checker.ReplayReport{Path: path, File: f, Result: res}
	switch *format {
	case "json":
		if err := rep.WriteJSON(stdout); err != nil {
			return 0, err
		}
	case "markdown":
		rep.WriteMarkdown(stdout)
	default:
		rep.WriteText(stdout)
	}
	return code, nil
}
