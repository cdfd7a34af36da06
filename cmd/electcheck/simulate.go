package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"github.com/spf13/pflag"

	"electcheck/checker"
)

// runSimulate runs seeded random walks through a configuration.
func runSimulate(args []string, stdout, stderr io.Writer) (int, error) {
	f := newCheckFlags("simulate")
	var walks, depth int
	var seed uint64
	var format, traceOut, histOut, html string
	var timeout time.Duration
	f.addGroup("Simulation", func(fs *pflag.FlagSet) {
		fs.IntVar(&walks, "walks", 1000, "random walks to take")
		fs.IntVar(&depth, "depth", 60, "steps per walk at most")
		fs.Uint64Var(&seed, "seed", 0, "the walks' seed (default: from the clock, and printed; the same seed gives the same walks)")
		fs.DurationVar(&timeout, "timeout", 10*time.Second, "porcupine's limit on each walk's history")
		fs.StringVar(&format, "format", "text", "output format: text or json")
		fs.StringVar(&traceOut, "trace-out", "", "write the shortest failing walk as a trace file")
		fs.StringVar(&histOut, "history-out", "", "write the shortest failing walk's client history")
		fs.StringVar(&html, "html", "", "write porcupine's visualisation of the shortest failing walk's history")
	})
	if err := f.parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			fmt.Fprint(stdout, "usage: electcheck simulate [check's flags] [--walks N] [--depth D] [--seed S]\n\n"+
				"Takes seeded random walks through one configuration, for clusters too large to search\n"+
				"whole (replication factor up to 5, more records and faults). Each walk is checked by the\n"+
				"invariants, and its client history by lincheck. Reports walks, steps, violations,\n"+
				"linearizable and non-linearizable histories and anomalies, and the shortest failing walk.\n"+
				f.flagUsage())
			return exitOK, nil
		}
		return 0, err
	}
	if format != "text" && format != "json" {
		return 0, usagef("--format must be text or json, not %q", format)
	}
	for _, out := range [][2]string{{"--trace-out", traceOut}, {"--history-out", histOut}, {"--html", html}} {
		if out[1] != "" {
			if err := writable(out[1]); err != nil {
				return 0, usagef("%s: %v", out[0], err)
			}
		}
	}
	req, notes, err := f.request()
	if err != nil {
		return 0, err
	}
	if walks < 1 || depth < 1 {
		return 0, usagef("--walks and --depth must be at least 1")
	}
	if req.Model != checker.ModelKafka {
		return 0, usagef("simulate runs the %s model only", checker.ModelKafka)
	}
	for _, n := range notes {
		fmt.Fprintf(stderr, "electcheck: %s\n", n)
	}
	if !f.fs.Changed("seed") {
		seed = uint64(time.Now().UnixNano())
		fmt.Fprintf(stderr, "electcheck: seed %d\n", seed)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	req.Search.Context = ctx
	opts := checker.SimulateOptions{Seed: seed, Walks: walks, Depth: depth, Timeout: timeout}
	rep, err := checker.Simulate(req, opts)
	if err != nil {
		return 0, err
	}
	write := func(path string, w func(io.Writer) error) error {
		if path == "" || rep.Shortest == nil {
			return nil
		}
		file, err := os.Create(path)
		if err != nil {
			return usagef("cannot write %s: %v", path, err)
		}
		err = w(file)
		if cerr := file.Close(); err == nil {
			err = cerr
		}
		return err
	}
	if err := write(traceOut, func(w io.Writer) error {
		data, err := rep.FailingTrace().Marshal()
		if err == nil {
			_, err = w.Write(data)
		}
		return err
	}); err != nil {
		return 0, err
	}
	if err := write(histOut, func(w io.Writer) error { return rep.FailingHistory().WriteJSONL(w) }); err != nil {
		return 0, err
	}
	if err := write(html, rep.WriteFailingHTML); err != nil {
		return 0, err
	}
	if format == "json" {
		if err := rep.WriteJSON(stdout); err != nil {
			return 0, err
		}
	} else {
		rep.WriteText(stdout)
	}
	switch {
	case rep.Result != "ok":
		return exitViolation, nil
	case rep.Interrupted || rep.Inconclusive > 0:
		return exitInconclusive, nil
	}
	return exitOK, nil
}
