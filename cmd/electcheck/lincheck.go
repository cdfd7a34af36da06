package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/pflag"

	"electcheck/checker"
)

// runLincheck checks a client history file for Jepsen's anomalies and for
// linearizability.
func runLincheck(args []string, stdout io.Writer) (int, error) {
	fs := pflag.NewFlagSet("lincheck", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	format := fs.String("format", "text", "output format: text or json")
	input := fs.String("input", "", "the file's format: jsonl (electcheck's) or edn (Jepsen's history.edn); default: told from its first line")
	html := fs.String("html", "", "write porcupine's visualisation of the check to this HTML file")
	timeout := fs.Duration("timeout", 60*time.Second, "stop porcupine's search after this long, inconclusive (0: no limit)")
	witnesses := fs.Int("max-witnesses", 8, "witnesses listed per anomaly")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			fmt.Fprintf(stdout, "usage: electcheck lincheck [flags] FILE\n\n"+
				"Checks a client history (electcheck's JSON Lines, or the history.edn of Jepsen's Kafka\n"+
				"workload) for Jepsen's named anomalies (lost-write, duplicate, inconsistent-offsets, G1a,\n"+
				"poll-skip, ...) and each partition's log for linearizability, with porcupine and with an\n"+
				"exact checker of electcheck's own; they must agree. See docs/histories.md. Exit codes:\n"+
				"0 clean, 1 anomalies or not linearizable, 2 bad input, 3 porcupine ran out of time,\n"+
				"4 the checkers disagree.\n\nflags:\n%s", fs.FlagUsagesWrapped(helpWidth))
			return exitOK, nil
		}
		return 0, usagef("lincheck: %s (electcheck lincheck --help)", flagError(err))
	}
	if fs.NArg() != 1 {
		return 0, usagef("lincheck takes one history file, such as: electcheck lincheck testdata/histories/lost-write.jsonl")
	}
	if *format != "text" && *format != "json" {
		return 0, usagef("--format must be text or json, not %q", *format)
	}
	if *timeout < 0 || *witnesses < 1 {
		return 0, usagef("--timeout must not be negative and --max-witnesses must be at least 1")
	}
	if *html != "" {
		if err := writable(*html); err != nil {
			return 0, usagef("--html: %v", err)
		}
	}
	path := fs.Arg(0)
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, usagef("cannot read the history: %v", err)
	}
	h, kind, err := checker.ReadClientHistory(data, path, *input)
	if err != nil {
		return 0, err
	}
	rep, err := checker.Lincheck(h, kind, checker.LincheckOptions{Timeout: *timeout, MaxWitnesses: *witnesses})
	if err != nil {
		return 0, err
	}
	if *html != "" {
		f, err := os.Create(*html)
		if err != nil {
			return 0, usagef("cannot write --html file: %v", err)
		}
		err = rep.WriteHTML(f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return 0, err
		}
	}
	if *format == "json" {
		if err := rep.WriteJSON(stdout); err != nil {
			return 0, err
		}
	} else {
		rep.WriteText(stdout)
	}
	switch rep.Result {
	case "ok":
		return exitOK, nil
	case "inconclusive":
		return exitInconclusive, nil
	}
	return exitViolation, nil
}
