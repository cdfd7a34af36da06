package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"

	"github.com/spf13/pflag"

	"electcheck/checker"
)

// runBench runs the benchmark suite (or part of it) and prints its figures.
func runBench(args []string, stdout, stderr io.Writer) error {
	fs := pflag.NewFlagSet("bench", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), "goroutines expanding states")
	format := fs.String("format", "text", "output format: text or json")
	only := fs.String("only", "", "comma-separated names of the searches to run (default all)")
	frontierDir := fs.String("frontier-dir", "", "keep each search's frontier in files in this directory (as check --frontier-dir)")
	all := checker.BenchSuite()
	var names []string
	for _, c := range all {
		names = append(names, c.Name)
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			var lines []string
			for _, c := range all {
				lines = append(lines, fmt.Sprintf("  %s\n      %s\n      %s", c.Name, c.Description, c.Command))
			}
			fmt.Fprintf(stdout, "usage: electcheck bench [--workers N] [--format text|json] [--only NAMES]\n\n"+
				"Runs a fixed suite of searches and reports, for each, distinct and generated states,\n"+
				"wall time, distinct states per second, the process's peak resident memory (in all and per\n"+
				"distinct state), the visited set's bytes per state and the frontiers' peak.\n\n%s\n\nflags:\n%s",
				strings.Join(lines, "\n"), fs.FlagUsagesWrapped(helpWidth))
			return nil
		}
		return usagef("bench: %v (electcheck bench --help lists the flags)", err)
	}
	if fs.NArg() > 0 {
		return usagef("bench: unexpected argument %q", fs.Arg(0))
	}
	if *format != "text" && *format != "json" {
		return usagef("--format must be text or json, not %q", *format)
	}
	if *frontierDir != "" {
		if st, err := os.Stat(*frontierDir); err != nil || !st.IsDir() {
			return usagef("--frontier-dir %s: not a directory: create it, or name one that exists", *frontierDir)
		}
	}
	if *workers < 1 {
		return usagef("--workers must be at least 1, not %d", *workers)
	}
	suite := all
	if *only != "" {
		suite = nil
		for _, name := range strings.Split(*only, ",") {
			found := false
			for _, c := range all {
				if c.Name == strings.TrimSpace(name) {
					suite, found = append(suite, c), true
				}
			}
			if !found {
				return usagef("--only: unknown search %q: the suite has %s", name, strings.Join(names, ", "))
			}
		}
	}
	rep := checker.BenchReport{Machine: checker.Machine(), Workers: *workers}
	if *format == "text" {
		fmt.Fprintf(stdout, "machine: %s; %s\n\n", rep.Machine, plural(*workers, "worker"))
		fmt.Fprintf(stdout, "%-18s %13s %14s %9s %12s %9s %9s %9s %9s  %s\n", "search", "distinct", "generated", "seconds", "states/s",
			"RSS MiB", "RSS B/st", "visit B/st", "front MiB", "result")
	}
	for _, c := range suite {
		r, err := checker.RunBench(c, *workers, *frontierDir)
		if err != nil {
			return err
		}
		rep.Runs = append(rep.Runs, r)
		if *format == "text" {
			fmt.Fprintf(stdout, "%-18s %13s %14s %9.2f %12s %9.0f %9.1f %10.1f %9.0f  %s\n", r.Name, checker.Commas(r.Distinct), checker.Commas(r.Generated),
				r.Seconds, checker.Commas(int64(r.StatesPerSecond)), float64(r.PeakRSS)/(1<<20), r.RSSPerState, r.BytesPerState,
				float64(r.FrontierPeak)/(1<<20), r.Result)
			if r.TLCSeconds > 0 {
				fmt.Fprintf(stdout, "%-18s TLC 2.20, 1 worker, recorded on this machine: %.1fs; %.0f times as fast with %s\n",
					"", r.TLCSeconds, r.TLCRatio, plural(*workers, "worker"))
			}
			if r.RumurSeconds > 0 {
				fmt.Fprintf(stdout, "%-18s Rumur 2022.08.20, 1 thread, recorded on this machine: %.1fs; %.0f times as fast with %s\n",
					"", r.RumurSeconds, r.RumurRatio, plural(*workers, "worker"))
			}
		}
	}
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	return nil
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
