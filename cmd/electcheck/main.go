// Command electcheck is a model checker for the election safety of
// Kafka-style partition replication. See docs/cli.md.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"electcheck/checker"
	"electcheck/explore"
)

// Exit codes, the same for every subcommand (docs/cli.md).
const (
	exitOK           = 0 // every checked property holds within the bounds
	exitViolation    = 1 // a property failed
	exitUsage        = 2 // usage or configuration error
	exitInconclusive = 3 // a budget ran out first
	exitInternal     = 4 // internal error, such as nondeterminism on replay
	exitDiverged     = 5 // a replayed trace diverges from the current model
)

// usageError is bad input: exit code 2, one line on stderr.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const topUsage = `electcheck: a model checker for the election safety of Kafka partition replication

usage: electcheck <command> [flags]

commands:
  check     explore every interleaving of a configuration and check its properties
  sweep     check every configuration of a matrix: which lose data, which go offline
  simulate  take seeded random walks through a configuration too large to search whole
  replay    re-run a trace file through the current model
  lincheck  check a client history for Jepsen's anomalies and for linearizability
  graph     print the state graph of a small configuration as Graphviz DOT
  catalogue regenerate the golden traces and docs/scenarios (--check: are they up to date?)
  ablate    turn each protocol feature off on the newest release: what it prevents
  bench     run the benchmark suite: states per second, memory per state
  list      list the properties, witnesses, Kafka versions and settings
  version   print electcheck's version

Run 'electcheck <command> --help' for a command's flags. Exit codes: 0 all
properties hold, 1 a property failed, 2 usage or configuration error,
3 inconclusive (a budget ran out), 4 internal error, 5 a replayed trace
diverges from the current model.
`

// run is the whole program; it returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, topUsage)
		return exitUsage
	}
	var err error
	code := exitOK
	switch args[0] {
	case "check":
		code, err = runCheck(args[1:], stdout, stderr)
	case "sweep":
		code, err = runSweep(args[1:], stdout, stderr)
	case "graph":
		err = runGraph(args[1:], stdout, stderr)
	case "catalogue":
		code, err = runCatalogue(args[1:], stdout, stderr)
	case "ablate":
		code, err = runAblate(args[1:], stdout, stderr)
	case "simulate":
		code, err = runSimulate(args[1:], stdout, stderr)
	case "lincheck":
		code, err = runLincheck(args[1:], stdout)
	case "replay":
		code, err = runReplay(args[1:], stdout)
	case "bench":
		err = runBench(args[1:], stdout, stderr)
	case "list":
		err = runList(args[1:], stdout)
	case "version", "--version":
		fmt.Fprintln(stdout, versionString())
	case "help", "-h", "--help":
		fmt.Fprint(stdout, topUsage)
	default:
		err = usagef("unknown command %q: use check, sweep, simulate, replay, lincheck, graph, catalogue, ablate, bench, list or version (electcheck --help lists them)", args[0])
	}
	if err != nil {
		return fail(stderr, err)
	}
	return code
}

// fail prints err once, on one line, and picks the exit code.
func fail(stderr io.Writer, err error) int {
	msg := strings.ReplaceAll(err.Error(), "\n", " ")
	if errors.Is(err, explore.ErrNondeterminism) {
		msg = "internal error: " + msg
	}
	fmt.Fprintf(stderr, "electcheck: %s\n", msg)
	var u usageError
	if errors.As(err, &u) || checker.IsBadRequest(err) {
		return exitUsage
	}
	return exitInternal
}
