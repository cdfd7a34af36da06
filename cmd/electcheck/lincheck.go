package main

import (
	"context"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"electcheck/checker"
	"electcheck/history"
)

// lincheckCmd is lincheck: a client history file, checked.
type lincheckCmd struct {
	*command
	format    *string
	input     *string
	html      string
	timeout   time.Duration
	witnesses int
	assume    []string
	wwDeps    bool
	rwDeps    bool
	order     *string
}

func newLincheckCommand() *command {
	c := &lincheckCmd{command: newCommand("lincheck", "lincheck [flags] FILE",
		"Checks a client history (electcheck's JSON Lines, or the history.edn of Jepsen's Kafka\n"+
			"workload) for Jepsen's named anomalies (lost-write, duplicate, inconsistent-offsets, G1a,\n"+
			"poll-skip, ...), for the dependency cycles Jepsen finds with Elle (G0, G1c and their\n"+
			"-realtime variants; G0 is informational, G1c counts unless --ww-deps), for an empty\n"+
			"history (empty-transaction-graph: nothing sent or polled, which counts against it),\n"+
			"and each partition's log for linearizability, with porcupine and with an\n"+
			"exact checker of electcheck's own; they must agree. FILE - reads standard input. See\n"+
			"docs/histories.md. Exit codes: 0 clean, 1 anomalies or not linearizable, 2 bad input,\n"+
			"3 porcupine ran out of time (or interrupted), 4 the checkers disagree.\n")}
	c.group("Input", func(fs *pflag.FlagSet) {
		c.input = c.enum(fs, "input", "the file's format: auto (told from its first line), jsonl (electcheck's) or edn (Jepsen's history.edn)", "auto", "jsonl", "edn")
	})
	c.group("Check", func(fs *pflag.FlagSet) {
		fs.DurationVar(&c.timeout, "timeout", 60*time.Second, "stop porcupine's search after this long, inconclusive (0: no limit)")
		fs.IntVar(&c.witnesses, "max-witnesses", 8, "witnesses listed per anomaly")
		fs.StringSliceVar(&c.assume, "assume", nil, "turn an assumption about consumers off (or on): NAME=false, with NAME "+
			strings.Join(history.AssumptionNames, " or ")+"; repeat or separate with commas")
	})
	c.group("Cycles", func(fs *pflag.FlagSet) {
		fs.BoolVar(&c.wwDeps, "ww-deps", false, "infer write-write dependencies from each key's offsets (Jepsen's :ww-deps); G1c then becomes informational")
		fs.BoolVar(&c.rwDeps, "rw-deps", false, "draw anti-dependencies too, for G-single-item, G-nonadjacent-item and G2-item (Jepsen never draws them)")
		c.order = c.enum(fs, "order", "the order between operations cycles may use: realtime (Jepsen's), process, or none", "realtime", "process", "none")
	})
	c.group("Output", func(fs *pflag.FlagSet) {
		c.format = c.enum(fs, "format", "output format: text or json", "text", "json")
		fs.StringVar(&c.html, "html", "", "write porcupine's visualisation of the check to this HTML file")
	})
	c.args, c.minArgs, c.maxArgs = "one history file, such as: electcheck lincheck testdata/histories/lost-write.jsonl", 1, 1
	c.exec = c.run
	return c.command
}

func (c *lincheckCmd) run(ctx context.Context, stdout, stderr io.Writer) (int, error) {
	if c.timeout < 0 || c.witnesses < 1 {
		return 0, usagef("--timeout must not be negative and --max-witnesses must be at least 1")
	}
	if err := writable("--html", c.html); err != nil {
		return 0, err
	}
	var assume history.Assumptions
	for _, a := range c.assume {
		name, value, _ := strings.Cut(a, "=")
		on, err := strconv.ParseBool(value)
		if err != nil {
			return 0, usagef("--assume takes NAME=false or NAME=true, not %q", a)
		}
		if err := assume.ParseAssumption(name, on); err != nil {
			return 0, usagef("--assume: %v", err)
		}
	}
	path := c.fs.Arg(0)
	data, err := readInput(path)
	if err != nil {
		return 0, usagef("cannot read the history: %v", err)
	}
	if path == "-" {
		path = "standard input"
	}
	format := *c.input
	if format == "auto" {
		format = ""
	}
	h, kind, err := checker.ReadClientHistory(data, path, format)
	if err != nil {
		return 0, err
	}
	cycles := history.AnalyzeOptions{WWDeps: c.wwDeps, RWDeps: c.rwDeps, Order: history.Order(*c.order)}
	rep, err := checker.Lincheck(h, kind, checker.LincheckOptions{Timeout: c.timeout, MaxWitnesses: c.witnesses, Context: ctx,
		Assume: assume, Cycles: cycles})
	if err != nil {
		return 0, err
	}
	if *c.format == "json" {
		_ = rep.WriteJSON(stdout)
	} else {
		rep.WriteText(stdout)
	}
	var files sideFiles
	if c.html != "" {
		files.write("--html", c.html, rep.WriteHTML)
	}
	code := exitViolation
	switch rep.Result {
	case "ok":
		code = exitOK
	case "inconclusive":
		code = exitInconclusive
	}
	return files.finish(stderr, code), nil
}
