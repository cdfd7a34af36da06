package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/pflag"

	"electcheck/history"
)

// runReplay re-runs a trace file through the current model. Exit codes:
// 1 the property still fails as recorded; 0 it no longer fails, or a trace
// without a property replays as recorded; 4 the trace diverges (the model
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
				"4 diverges (the model changed), 0 no longer fails, 2 unreadable file.\n\nflags:\n%s", fs.FlagUsages())
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
	f, err := history.ReadFile(data)
	if err != nil {
		return 0, usagef("%s: %v", path, err)
	}
	res, err := history.Replay(f)
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
	switch *format {
	case "json":
		out := struct {
			File       string   `json:"file"`
			Model      string   `json:"model"`
			Property   string   `json:"property,omitempty"`
			Witness    string   `json:"witness,omitempty"`
			Result     string   `json:"result"`
			Steps      int      `json:"steps"`
			Replayed   int      `json:"replayed"`
			DivergedAt *int     `json:"diverged_at,omitempty"`
			Reason     string   `json:"reason,omitempty"`
			Recorded   string   `json:"recorded,omitempty"`
			Now        string   `json:"now,omitempty"`
			Fields     []string `json:"differing_fields,omitempty"`
			Message    string   `json:"message,omitempty"`
		}{File: path, Model: f.Model, Property: f.Property, Witness: f.Witness, Result: res.Outcome.String(),
			Steps: len(f.Steps) - 1, Replayed: res.Replayed, Reason: res.Reason, Recorded: res.Recorded, Now: res.Now, Fields: res.Fields, Message: res.Message}
		if res.Outcome == history.Diverges {
			out.DivergedAt = &res.DivergedAt
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return 0, err
		}
	case "markdown":
		fmt.Fprint(stdout, res.Markdown)
		fmt.Fprintf(stdout, "\n**Replay:** %s.\n", replaySummary(f, res))
	default:
		fmt.Fprintf(stdout, "trace:   %s (%s, %d steps)\nmodel:   %s\n", path, f.Model, len(f.Steps)-1, res.ModelLine)
		fmt.Fprintf(stdout, "result:  %s\n", replaySummary(f, res))
		if res.Outcome == history.Diverges {
			fmt.Fprintf(stdout, "\n%s", history.SideBySide(fmt.Sprintf("recorded state after step %d", res.DivergedAt), res.Recorded,
				"the current model's", orNothing(res.Now)))
			if len(res.Fields) > 0 {
				fmt.Fprintf(stdout, "\nfields that differ:\n  %s\n", strings.Join(res.Fields, "\n  "))
			}
			fmt.Fprintf(stdout, "\nthe steps that still replay:\n\n%s", indent(res.Text, "  "))
		} else {
			fmt.Fprintf(stdout, "\n%s", indent(res.Text, "  "))
		}
	}
	return code, nil
}

func orNothing(s string) string {
	if s == "" {
		return "(no state: the action is not enabled)"
	}
	return s
}

func replaySummary(f *history.File, res *history.ReplayResult) string {
	switch res.Outcome {
	case history.Reproduces:
		return fmt.Sprintf("still reproduces: every step replays as recorded and %s still fails: %s", f.Property, res.Message)
	case history.NoLongerFails:
		return fmt.Sprintf("no longer fails: every step replays as recorded, but %s now holds at the end", f.Property)
	case history.Matches:
		s := "replays as recorded"
		if f.Witness != "" {
			s += fmt.Sprintf("; %s reached at the end: %t", f.Witness, res.WitnessReached)
		}
		return s
	}
	return fmt.Sprintf("DIVERGES at step %d: %s", res.DivergedAt, strings.TrimSuffix(res.Reason, "."))
}
