package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/pflag"

	"electcheck/checker"
)

// runGraph prints the whole state graph of a small configuration as
// Graphviz DOT, with the counterexample's (or --show's) states and steps
// highlighted.
func runGraph(args []string, stdout, stderr io.Writer) error {
	f := newCheckFlags("graph")
	var limit int
	var format string
	f.addGroup("Graph", func(fs *pflag.FlagSet) {
		fs.IntVar(&limit, "max-graph-states", 2000, "refuse a configuration with more states than this")
		fs.StringVar(&format, "format", "dot", "output format: dot (Graphviz; render with dot -Tsvg)")
	})
	if err := f.parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			fmt.Fprint(stdout, "usage: electcheck graph [check's flags] [--max-graph-states N]\n\n"+
				"Prints the whole state graph of a small configuration as Graphviz DOT (dot -Tsvg),\n"+
				"one node per state (per orbit with --symmetry), one edge per action, with the\n"+
				"states and steps of the counterexample (or of the --show witness trace) in red.\n"+
				"Fails for more than --max-graph-states states.\n"+f.flagUsage())
			return nil
		}
		return err
	}
	if limit < 1 {
		return usagef("--max-graph-states must be a positive number, not %d", limit)
	}
	if format != "dot" {
		return usagef("graph prints Graphviz DOT only (--format dot), not %q; 'electcheck check --format json' gives the search as JSON", format)
	}
	// One node per real state unless asked otherwise: orbit
	// representatives rename brokers, which is confusing in a picture.
	if !f.fs.Changed("symmetry") {
		f.symmetry = false
	}
	req, notes, err := f.request()
	if err != nil {
		return err
	}
	for _, n := range notes {
		fmt.Fprintf(stderr, "electcheck: %s\n", n)
	}
	g, err := checker.StateGraph(req, limit)
	if err != nil {
		return err
	}
	if g.NothingToSee {
		fmt.Fprintf(stderr, "electcheck: every property holds in these %d states, so nothing is highlighted; --show WITNESS highlights the path to a witness\n", g.States)
	}
	_, err = stdout.Write(g.DOT)
	return err
}
