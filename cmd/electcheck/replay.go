package main

import (
	"context"
	"io"

	"github.com/spf13/pflag"

	"electcheck/checker"
	"electcheck/history"
)

// replayCmd is replay: a trace file through the current model.
type replayCmd struct {
	*command
	format *string
}

func newReplayCommand() *command {
	c := &replayCmd{command: newCommand("replay", "replay [--format text|json|markdown] FILE",
		"Re-runs a trace file's actions through the current model and says whether each step is\n"+
			"still enabled and leads to the recorded state, and whether the recorded property still\n"+
			"fails at the end. FILE - reads the trace from standard input. Exit codes: 1 still\n"+
			"reproduces, 5 diverges (the model changed), 0 no longer fails, 2 unreadable file.\n")}
	c.group("Output", func(fs *pflag.FlagSet) {
		c.format = c.enum(fs, "format", "output format: text, json or markdown", "text", "json", "markdown")
	})
	c.args, c.minArgs, c.maxArgs = "one trace file, such as: electcheck replay testdata/traces/known-acks1-failover.json", 1, 1
	c.exec = c.run
	return c.command
}

func (c *replayCmd) run(_ context.Context, stdout, _ io.Writer) (int, error) {
	path := c.fs.Arg(0)
	data, err := readInput(path)
	if err != nil {
		return 0, usagef("cannot read the trace file: %v", err)
	}
	name := path
	if path == "-" {
		name = "standard input"
	}
	f, err := checker.ReadTrace(data)
	if err != nil {
		return 0, usagef("%s: %v", name, err)
	}
	res, err := checker.Replay(f)
	if err != nil {
		return 0, usagef("%s: %v", name, err)
	}
	code := exitOK
	switch res.Outcome {
	case history.Reproduces:
		code = exitViolation
	case history.Diverges:
		code = exitDiverged
	}
	rep := checker.ReplayReport{Path: name, File: f, Result: res}
	printReport(*c.format, &rep, stdout)
	return code, nil
}
