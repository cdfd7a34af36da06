package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"

	"electcheck/checker"
)

// graphCmd is graph: what to draw, and how.
type graphCmd struct {
	*command
	what     requestFlags
	show     string
	symmetry bool
	limit    int
	format   string
}

func newGraphCommand() *command {
	c := &graphCmd{command: newCommand("graph", "graph [check's model flags] [--max-graph-states N]",
		"Prints the whole state graph of a small configuration as Graphviz DOT, one node per\n"+
			"state (per orbit with --symmetry), one edge per action, with the states and steps of\n"+
			"the counterexample (or of the --show witness trace) in red. Fails for more than\n"+
			"--max-graph-states states. Render it with Graphviz, which electcheck does not need\n"+
			"itself: electcheck graph ... | dot -Tsvg > graph.svg\n")}
	c.what.define(c.command, false)
	c.group("Graph", func(fs *pflag.FlagSet) {
		fs.StringVar(&c.show, "show", "", "highlight the shortest trace to this witness instead of the counterexample")
		fs.BoolVar(&c.symmetry, "symmetry", false, "kafka: one node per renaming of interchangeable brokers (default: one per state, as brokers are named)")
		fs.IntVar(&c.limit, "max-graph-states", 2000, "refuse a configuration with more states than this")
		fs.StringVar(&c.format, "format", "dot", "output format: dot (Graphviz; render with dot -Tsvg)")
	})
	c.maxArgs = 0
	c.exec = c.run
	return c.command
}

func (c *graphCmd) run(ctx context.Context, stdout, stderr io.Writer) (int, error) {
	if f := strings.ToLower(c.format); f != "dot" {
		return 0, usagef("graph prints Graphviz DOT only (--format dot), not %q; 'electcheck check --format json' gives the search as JSON", c.format)
	}
	if c.limit < 1 {
		return 0, usagef("--max-graph-states must be a positive number, not %d", c.limit)
	}
	req, before, err := c.what.request()
	if err != nil {
		return 0, err
	}
	if req.Model != checker.ModelKafka && c.symmetry {
		return 0, usagef("--symmetry does not apply to --model %s: its state counts must stay TLC's", req.Model)
	}
	notes(stderr, before)
	g, err := checker.StateGraph(req, checker.Search{Show: c.show, NoSymmetry: !c.symmetry, Context: ctx}, c.limit)
	if err != nil {
		return 0, err
	}
	if interrupted(ctx) {
		fmt.Fprintln(stderr, "electcheck: interrupted: no graph printed")
		return exitInconclusive, nil
	}
	if g.NothingToSee {
		fmt.Fprintf(stderr, "electcheck: every property holds in these %d states, so nothing is highlighted; --show WITNESS highlights the path to a witness\n", g.States)
	}
	_, _ = stdout.Write(g.DOT)
	return exitOK, nil
}
