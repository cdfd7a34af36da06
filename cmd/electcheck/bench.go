package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"strings"

	"github.com/spf13/pflag"

	"electcheck/checker"
)

// benchCmd is bench: the benchmark suite.
type benchCmd struct {
	*command
	workers     int
	format      *string
	only        string
	frontierDir string
}

func newBenchCommand() *command {
	var lines []string
	for _, c := range checker.BenchSuite() {
		lines = append(lines, fmt.Sprintf("  %s\n      %s\n      %s", c.Name, c.Description, c.Command))
	}
	c := &benchCmd{command: newCommand("bench", "bench [--workers N] [--format text|json] [--only NAMES]",
		"Runs a fixed suite of searches and reports, for each, distinct and generated states,\n"+
			"wall time, distinct states per second, the process's peak resident memory (in all and per\n"+
			"distinct state), the visited set's bytes per state and the frontiers' peak.\n\n"+
			strings.Join(lines, "\n")+"\n")}
	c.group("Flags", func(fs *pflag.FlagSet) {
		fs.IntVar(&c.workers, "workers", runtime.GOMAXPROCS(0), "goroutines expanding states")
		c.format = c.enum(fs, "format", "output format: text or json", "text", "json")
		fs.StringVar(&c.only, "only", "", "comma-separated names of the searches to run (default all)")
		fs.StringVar(&c.frontierDir, "frontier-dir", "", "keep each search's frontier in files in this directory (as check --frontier-dir)")
	})
	c.maxArgs = 0
	c.exec = c.run
	return c.command
}

func (c *benchCmd) run(ctx context.Context, stdout, stderr io.Writer) (int, error) {
	if c.frontierDir != "" {
		if err := isDir("--frontier-dir", c.frontierDir); err != nil {
			return 0, err
		}
	}
	if c.workers < 1 {
		return 0, usagef("--workers must be at least 1, not %d", c.workers)
	}
	suite, err := c.suite()
	if err != nil {
		return 0, err
	}
	rep := checker.BenchReport{Machine: checker.Machine(), Workers: c.workers}
	text := *c.format == "text"
	if text {
		fmt.Fprintf(stdout, "machine: %s; %s\n\n", rep.Machine, plural(c.workers, "worker"))
		fmt.Fprintf(stdout, "%-18s %13s %14s %9s %12s %9s %9s %9s %9s  %s\n", "search", "distinct", "generated", "seconds", "states/s",
			"RSS MiB", "RSS B/st", "visit B/st", "front MiB", "result")
	}
	for _, bc := range suite {
		r, err := checker.RunBench(bc, checker.Search{Workers: c.workers, FrontierDir: c.frontierDir, Context: ctx})
		if err != nil {
			return 0, err
		}
		if interrupted(ctx) {
			break // the search was cut short: not a figure
		}
		rep.Runs = append(rep.Runs, r)
		if text {
			writeBenchRow(stdout, r, c.workers)
		}
	}
	if !text {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(rep)
	}
	if interrupted(ctx) {
		fmt.Fprintf(stderr, "electcheck: interrupted after %d of %d searches\n", len(rep.Runs), len(suite))
		return exitInconclusive, nil
	}
	return exitOK, nil
}

// suite is the searches --only names, or all.
func (c *benchCmd) suite() ([]checker.BenchCase, error) {
	all := checker.BenchSuite()
	if c.only == "" {
		return all, nil
	}
	var suite []checker.BenchCase
	for _, name := range strings.Split(c.only, ",") {
		found := false
		for _, bc := range all {
			if bc.Name == strings.TrimSpace(name) {
				suite, found = append(suite, bc), true
			}
		}
		if !found {
			var known []string
			for _, bc := range all {
				known = append(known, bc.Name)
			}
			return nil, usagef("--only: unknown search %q: the suite has %s", name, strings.Join(known, ", "))
		}
	}
	return suite, nil
}

// writeBenchRow prints one search's figures, with the peers' recorded
// times where there are some.
func writeBenchRow(w io.Writer, r checker.BenchResult, workers int) {
	fmt.Fprintf(w, "%-18s %13s %14s %9.2f %12s %9.0f %9.1f %10.1f %9.0f  %s\n", r.Name, checker.Commas(r.Distinct), checker.Commas(r.Generated),
		r.Seconds, checker.Commas(int64(r.StatesPerSecond)), float64(r.PeakRSS)/(1<<20), r.RSSPerState, r.BytesPerState,
		float64(r.FrontierPeak)/(1<<20), r.Result)
	for _, peer := range []struct {
		name    string
		seconds float64
		ratio   float64
	}{{"TLC 2.20, 1 worker", r.TLCSeconds, r.TLCRatio}, {"Rumur 2022.08.20, 1 thread", r.RumurSeconds, r.RumurRatio}} {
		if peer.seconds > 0 {
			fmt.Fprintf(w, "%-18s %s, recorded on this machine: %.1fs; %.0f times as fast with %s\n",
				"", peer.name, peer.seconds, peer.ratio, plural(workers, "worker"))
		}
	}
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
