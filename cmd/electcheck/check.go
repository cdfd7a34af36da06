package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"time"

	"github.com/spf13/pflag"

	"electcheck/checker"
	"electcheck/explore"
)

// checkCmd is check's flags: what to check (checkFlags) and how to print it.
type checkCmd struct {
	*checkFlags
	format   string
	traceOut string
	histOut  string
	coverage bool
	progress bool
	strict   bool
}

func newCheckCmd() *checkCmd {
	c := &checkCmd{checkFlags: newCheckFlags("check")}
	c.addGroup("Output", func(fs *pflag.FlagSet) {
		fs.StringVar(&c.format, "format", "text", "output format: text, json, or markdown (the counterexample, or the --show trace, as a document)")
		fs.StringVar(&c.traceOut, "trace-out", "", "write the counterexample found (or the --show trace) to this trace file (docs/traces.md)")
		fs.StringVar(&c.histOut, "history-out", "", "write the client history of the counterexample (or the --show trace) to this file, for lincheck (docs/histories.md)")
		fs.BoolVar(&c.coverage, "coverage", false, "print how often each kind of action fired")
		fs.BoolVar(&c.progress, "progress", false, "print progress to stderr even when it is not a terminal")
		fs.BoolVar(&c.strict, "strict", false, "exit 1 when a property held only vacuously (a situation it guards was never reached)")
	})
	return c
}

func (c *checkCmd) usage() string {
	return "usage: electcheck check [flags]\n\n" +
		"Explores every interleaving of produce, replicate, ISR change, crash and election\n" +
		"actions for one partition, within the bounds, and checks the properties on every\n" +
		"reachable state. Prints a proof within the bounds, or the shortest counterexample.\n" +
		"With --model tla-replication it checks the port of the TLA+ specification\n" +
		"hachikuji/kafka-specification instead (docs/cross-check.md).\n" + c.flagUsage()
}

func runCheck(args []string, stdout, stderr io.Writer) (int, error) {
	c := newCheckCmd()
	if err := c.parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			fmt.Fprint(stdout, c.usage())
			return exitOK, nil
		}
		return 0, err
	}
	if c.format != "text" && c.format != "json" && c.format != "markdown" {
		return 0, usagef("--format must be text, json or markdown, not %q", c.format)
	}
	req, notes, err := c.request()
	if err != nil {
		return 0, err
	}
	for _, out := range [][2]string{{"--trace-out", c.traceOut}, {"--history-out", c.histOut}} {
		if out[1] != "" {
			if err := writable(out[1]); err != nil {
				return 0, usagef("%s: %v", out[0], err)
			}
		}
	}
	if c.histOut != "" && req.Model != checker.ModelKafka {
		return 0, usagef("--history-out: only the %s model has clients", checker.ModelKafka)
	}
	for _, n := range notes {
		fmt.Fprintf(stderr, "electcheck: %s\n", n)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	req.Search.Context = ctx
	if c.progress || isTerminal(stderr) {
		req.Search.Progress = progressPrinter(stderr)
	}
	o, err := checker.Check(req)
	if err != nil {
		return 0, err
	}
	if c.traceOut != "" {
		if o.Primary == nil {
			fmt.Fprintf(stderr, "electcheck: no trace written to %s: no property was violated", c.traceOut)
			if c.show != "" {
				fmt.Fprintf(stderr, " and %s was not reached", c.show)
			}
			fmt.Fprintln(stderr)
		} else {
			data, err := o.Primary.Marshal()
			if err == nil {
				err = os.WriteFile(c.traceOut, data, 0o644)
			}
			if err != nil {
				return 0, usagef("cannot write --trace-out file: %v", err)
			}
		}
	}
	if c.histOut != "" && o.Primary != nil {
		h, err := checker.ClientHistoryOf(o.Primary)
		if err != nil {
			return 0, err
		}
		f, err := os.Create(c.histOut)
		if err == nil {
			err = h.WriteJSONL(f)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			return 0, usagef("cannot write --history-out file: %v", err)
		}
	}
	switch c.format {
	case "json":
		if err := o.WriteJSON(stdout); err != nil {
			return 0, err
		}
	case "markdown":
		o.WriteMarkdown(stdout)
	default:
		o.WriteText(stdout, c.coverage)
	}
	return verdictCode(o, c.strict), nil
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

// writable says why path cannot be written, before a long search finds
// out: its directory is missing, or it is a directory.
func writable(path string) error {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return fmt.Errorf("%s is a directory: name a file", path)
	}
	dir := filepath.Dir(path)
	st, err := os.Stat(dir)
	if err != nil || !st.IsDir() {
		return fmt.Errorf("directory %s does not exist: create it first", dir)
	}
	f, err := os.CreateTemp(dir, ".electcheck-*")
	if err != nil {
		return fmt.Errorf("cannot write in %s: %v", dir, err)
	}
	f.Close()
	return os.Remove(f.Name())
}

// progressPrinter prints a search's progress on one line each time.
func progressPrinter(w io.Writer) func(explore.Stats) {
	return func(s explore.Stats) {
		fmt.Fprintf(w, "electcheck: %s states, %s/s, queue %s, depth %d, %s\n",
			checker.Commas(s.Distinct), checker.Commas(int64(s.StatesPerSecond())), checker.Commas(s.Queue), s.Depth, s.Elapsed.Round(time.Second))
	}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
