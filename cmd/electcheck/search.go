package main

import (
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"electcheck/checker"
	"electcheck/explore"
)

// searchFlags say how to search a state space: check takes them all; a
// sweep's cells the budgets, workers and symmetry (each cell searches on
// after a violation, breadth first, in memory).
type searchFlags struct {
	fs        *pflag.FlagSet
	full      bool
	strategy  *string
	keepGoing bool
	maxStates int64
	maxTime   time.Duration
	maxMemory string
	frontier  string
	workers   int
	symmetry  bool
}

// define adds the flags to c under heading; full adds the strategy,
// --keep-going and --frontier-dir.
func (f *searchFlags) define(c *command, heading string, full bool) {
	f.fs, f.full = c.fs, full
	c.group(heading, func(fs *pflag.FlagSet) {
		if full {
			f.strategy = c.enum(fs, "strategy", "search order: bfs (shortest counterexamples) or dfs", "bfs", "dfs")
			fs.BoolVar(&f.keepGoing, "keep-going", false, "after a violation, search on for the shortest counterexample of every property")
		}
		fs.Int64Var(&f.maxStates, "max-states", 0, "stop, inconclusive, after this many distinct states (0: no limit)")
		fs.DurationVar(&f.maxTime, "max-time", 0, "stop, inconclusive, after this long, such as 30s or 5m (0: no limit)")
		fs.StringVar(&f.maxMemory, "max-memory", "", "stop, inconclusive, when the process holds this much memory, such as 4GiB (default three quarters of physical memory; 0: no limit)")
		if full {
			fs.StringVar(&f.frontier, "frontier-dir", "", "let BFS keep its frontier in files in this directory once it holds 64 MiB (or the process half of --max-memory): memory then holds the visited set, the parent links and a window of the frontier")
		}
		workers := "goroutines expanding states in BFS; results do not depend on it"
		if !full {
			workers = "goroutines searching the cells: small cells run side by side, one worker each, a cell alone gets them all; results do not depend on it"
		}
		fs.IntVar(&f.workers, "workers", runtime.GOMAXPROCS(0), workers)
		fs.BoolVar(&f.symmetry, "symmetry", true, "kafka: search one state per renaming of interchangeable brokers (exact: same verdicts and trace lengths); --symmetry=false for raw counts")
	})
}

// search is the search the flags describe, for a request of modelName.
func (f *searchFlags) search(modelName string) (checker.Search, error) {
	s := checker.Search{Workers: f.workers, NoSymmetry: !f.symmetry, KeepGoing: f.keepGoing, MaxStates: f.maxStates, MaxTime: f.maxTime}
	if f.workers < 1 {
		return s, usagef("--workers must be at least 1, not %d", f.workers)
	}
	if f.maxStates < 0 || f.maxTime < 0 {
		return s, usagef("--max-states and --max-time must not be negative")
	}
	if modelName == checker.ModelTLA || modelName == checker.ModelKraft {
		if f.fs.Changed("symmetry") && f.symmetry {
			return s, usagef("--symmetry does not apply to --model %s: its state counts must stay TLC's", modelName)
		}
		s.NoSymmetry = true
	}
	if f.maxMemory != "" {
		n, err := checker.ParseSize(f.maxMemory)
		if err != nil {
			return s, usagef("--max-memory: %v", err)
		}
		s.MaxMemory = n
		if n == 0 {
			s.MaxMemory = -1 // no limit
		}
	}
	if f.full && strings.EqualFold(*f.strategy, "dfs") {
		s.Strategy = explore.DFS
	}
	if f.frontier != "" {
		if err := isDir("--frontier-dir", f.frontier); err != nil {
			return s, err
		}
		if s.Strategy == explore.DFS {
			return s, usagef("--frontier-dir applies to --strategy bfs: DFS keeps no frontier")
		}
		s.FrontierDir = f.frontier
	}
	return s, nil
}

// isDir says, as a usage error, that path is not a directory.
func isDir(flag, path string) error {
	if st, err := os.Stat(path); err != nil || !st.IsDir() {
		return usagef("%s %s: not a directory: create it, or name one that exists", flag, path)
	}
	return nil
}
