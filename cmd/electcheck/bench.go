package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/pflag"

	"electcheck/explore"
)

// benchCase is one search of the benchmark suite, given as check's flags.
type benchCase struct {
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Args        []string `json:"args"`
}

// benchSuite is fixed: the numbers are comparable across commits only if
// the searches are.
var benchSuite = []benchCase{
	{"tla-kip320", "TLA+ port, Kip320, reference constants, StrongIsr: TLC's complete search",
		[]string{"--model", "tla-replication", "--variant", "kip320", "--invariants", "strong-isr"}},
	{"kafka-default", "Kafka model, the default configuration (RF 3, acks=all, min ISR 2, 2 records, 2 crashes)",
		nil},
	{"kafka-power-loss", "Kafka model, default plus one power loss",
		[]string{"--power-losses", "1", "--keep-going"}},
	{"kafka-target", "Kafka model, RF 3, acks=all, min ISR 2, 3 records, 2 crashes, 1 power loss, every property to its end",
		[]string{"--records", "3", "--crashes", "2", "--power-losses", "1", "--keep-going"}},
}

// tlcKip320 is TLC 2.20's time for the tla-kip320 search with one worker on
// this project's machine (docs/cross-check.md); the issue reports 65-70s on
// a quieter run of the same machine.
const tlcKip320Seconds = 40.9

type benchResult struct {
	benchCase
	Result          string  `json:"result"`
	Complete        bool    `json:"complete"`
	Distinct        int64   `json:"distinct_states"`
	Generated       int64   `json:"generated_states"`
	Seconds         float64 `json:"seconds"`
	StatesPerSecond float64 `json:"states_per_second"`
	PeakMemory      int64   `json:"peak_memory_bytes"`
	BytesPerState   float64 `json:"visited_bytes_per_state"`
	TLCSeconds      float64 `json:"tlc_seconds,omitempty"`
	TLCRatio        float64 `json:"tlc_ratio,omitempty"`
}

type benchReport struct {
	Machine machineInfo   `json:"machine"`
	Workers int           `json:"workers"`
	Runs    []benchResult `json:"runs"`
}

type machineInfo struct {
	CPU     string `json:"cpu"`
	Cores   int    `json:"cores"`
	Memory  int64  `json:"memory_bytes"`
	GOOS    string `json:"goos"`
	GOARCH  string `json:"goarch"`
	Version string `json:"go_version"`
}

func runBench(args []string, stdout, stderr io.Writer) error {
	fs := pflag.NewFlagSet("bench", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), "goroutines expanding states")
	format := fs.String("format", "text", "output format: text or json")
	only := fs.String("only", "", "comma-separated names of the searches to run (default all)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			var names []string
			for _, c := range benchSuite {
				names = append(names, fmt.Sprintf("  %-18s %s", c.Name, c.Description))
			}
			fmt.Fprintf(stdout, "usage: electcheck bench [--workers N] [--format text|json] [--only NAMES]\n\n"+
				"Runs a fixed suite of searches and reports, for each, distinct and generated states,\n"+
				"wall time, distinct states per second, peak memory and bytes per visited state.\n\n%s\n\nflags:\n%s",
				strings.Join(names, "\n"), fs.FlagUsages())
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
	if *workers < 1 {
		return usagef("--workers must be at least 1, not %d", *workers)
	}
	suite := benchSuite
	if *only != "" {
		suite = nil
		for _, name := range strings.Split(*only, ",") {
			found := false
			for _, c := range benchSuite {
				if c.Name == strings.TrimSpace(name) {
					suite, found = append(suite, c), true
				}
			}
			if !found {
				var names []string
				for _, c := range benchSuite {
					names = append(names, c.Name)
				}
				return usagef("--only: unknown search %q: the suite has %s", name, strings.Join(names, ", "))
			}
		}
	}
	rep := benchReport{Machine: machine(), Workers: *workers}
	if *format == "text" {
		fmt.Fprintf(stdout, "machine: %s, %d cores, %s, %s/%s, %s; %s\n\n",
			rep.Machine.CPU, rep.Machine.Cores, mib(rep.Machine.Memory), rep.Machine.GOOS, rep.Machine.GOARCH, rep.Machine.Version, plural(*workers, "worker"))
		fmt.Fprintf(stdout, "%-18s %13s %14s %9s %12s %10s %8s  %s\n", "search", "distinct", "generated", "seconds", "states/s", "peak MiB", "B/state", "result")
	}
	for _, c := range suite {
		r, err := runBenchCase(c, *workers)
		if err != nil {
			return err
		}
		rep.Runs = append(rep.Runs, r)
		if *format == "text" {
			fmt.Fprintf(stdout, "%-18s %13s %14s %9.2f %12s %10.0f %8.1f  %s\n", r.Name, commas(r.Distinct), commas(r.Generated),
				r.Seconds, commas(int64(r.StatesPerSecond)), float64(r.PeakMemory)/(1<<20), r.BytesPerState, r.Result)
			if r.TLCSeconds > 0 {
				fmt.Fprintf(stdout, "%-18s TLC 2.20, 1 worker, same machine: %.1fs, so %.0f times TLC's throughput\n", "", r.TLCSeconds, r.TLCRatio)
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

func runBenchCase(c benchCase, workers int) (benchResult, error) {
	r, err := parseCheck(append(append([]string{}, c.Args...), fmt.Sprintf("--workers=%d", workers)))
	if err != nil {
		return benchResult{}, err
	}
	// Start from a clean heap so that each run's peak is its own.
	runtime.GC()
	debug.FreeOSMemory()
	o, err := r.checker.check(r.opts)
	if err != nil {
		return benchResult{}, err
	}
	st := o.stats
	res := benchResult{benchCase: c, Result: o.verdict.String(), Complete: o.complete, Distinct: st.Distinct, Generated: st.Generated,
		Seconds: st.Elapsed.Seconds(), StatesPerSecond: st.StatesPerSecond(), PeakMemory: st.PeakMemory,
		BytesPerState: float64(st.VisitedBytes) / float64(max(st.Distinct, 1))}
	if c.Name == "tla-kip320" && o.verdict == explore.OK {
		res.TLCSeconds = tlcKip320Seconds
		res.TLCRatio = tlcKip320Seconds / res.Seconds
	}
	return res, nil
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func machine() machineInfo {
	m := machineInfo{Cores: runtime.NumCPU(), Memory: physicalMemory(), GOOS: runtime.GOOS, GOARCH: runtime.GOARCH, Version: runtime.Version(), CPU: "unknown CPU"}
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	return m
}
