// Command electcheck is a model checker for the election safety of
// Kafka-style partition replication. See docs/cli.md.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"electcheck/checker"
	"electcheck/explore"
	"electcheck/model"
)

// Exit codes, the same for every subcommand (docs/cli.md).
const (
	exitOK           = 0 // every checked property holds within the bounds
	exitViolation    = 1 // a property failed
	exitUsage        = 2 // usage or configuration error
	exitInconclusive = 3 // a budget ran out first, or the run was interrupted
	exitInternal     = 4 // internal error, or an output that could not be written
	exitDiverged     = 5 // a replayed trace diverges from the current model
)

// usageError is bad input: exit code 2, one line on stderr.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// commands are electcheck's subcommands, in the order help lists them.
var commands []commandSpec

type commandSpec struct {
	name, summary string
	new           func() *command
	// sub are subcommands (sweep merge), named by the next argument.
	sub []commandSpec
}

func init() {
	commands = []commandSpec{
		{"check", "explore every interleaving of a configuration and check its properties", newCheckCommand, nil},
		{"sweep", "check every configuration of a matrix: which lose data, which go offline", newSweepCommand,
			[]commandSpec{{"merge", "combine the JSON reports of a sweep's shards", newSweepMergeCommand, nil}}},
		{"simulate", "take seeded random walks through a configuration too large to search whole", newSimulateCommand, nil},
		{"risk", "how likely a configuration is to lose committed data, and how long it is offline", newRiskCommand,
			[]commandSpec{{"merge", "combine the JSON reports of a simulation's shards", newRiskMergeCommand, nil}}},
		{"replay", "re-run a trace file through the current model", newReplayCommand, nil},
		{"lincheck", "check a client history for Jepsen's anomalies and for linearizability", newLincheckCommand, nil},
		{"graph", "print the state graph of a small configuration as Graphviz DOT", newGraphCommand, nil},
		{"catalogue", "regenerate the golden traces and docs/scenarios (--check: are they up to date?)", newCatalogueCommand, nil},
		{"ablate", "turn each protocol feature off on the newest release: what it prevents", newAblateCommand, nil},
		{"bench", "run the benchmark suite: states per second, memory per state", newBenchCommand, nil},
		{"list", "list the properties, witnesses, Kafka versions, features and settings", newListCommand, nil},
		{"version", "print electcheck's version", newVersionCommand, nil},
	}
}

func topUsage() string {
	var sb strings.Builder
	sb.WriteString("electcheck: a model checker for the election safety of Kafka partition replication\n\n" +
		"usage: electcheck <command> [flags]\n\ncommands:\n")
	for _, c := range commands {
		fmt.Fprintf(&sb, "  %-9s %s\n", c.name, c.summary)
	}
	sb.WriteString("\nRun 'electcheck <command> --help' for a command's flags. Exit codes: 0 all\n" +
		"properties hold, 1 a property failed, 2 usage or configuration error,\n" +
		"3 inconclusive (a budget ran out, or interrupted), 4 internal error (or an\n" +
		"output that could not be written), 5 a replayed trace diverges from the\n" +
		"current model.\n")
	return sb.String()
}

// run is the whole program; it returns the exit code. Ctrl-C stops the
// command's work; it then reports what it found so far and exits 3.
func run(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	return runContext(ctx, args, stdout, stderr)
}

// runContext is run, stopped when ctx ends.
func runContext(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, topUsage())
		return exitUsage
	}
	switch args[0] {
	case "help", "-h", "--help":
		fmt.Fprint(stdout, topUsage())
		return exitOK
	case "--version":
		args[0] = "version"
	}
	var spec *commandSpec
	for i := range commands {
		if commands[i].name == args[0] {
			spec = &commands[i]
		}
	}
	if spec == nil {
		return fail(stderr, unknownCommand(args[0]))
	}
	for len(args) > 1 && spec.sub != nil {
		found := false
		for i := range spec.sub {
			if spec.sub[i].name == args[1] {
				spec, args, found = &spec.sub[i], args[1:], true
				break
			}
		}
		if !found {
			break
		}
	}
	out := &reportWriter{w: stdout}
	code, err := spec.new().execute(ctx, args[1:], out, stderr)
	if out.err != nil {
		fmt.Fprintf(stderr, "electcheck: cannot write the report to standard output: %v\n", out.err)
		return exitInternal
	}
	if err != nil {
		return fail(stderr, err)
	}
	return code
}

func unknownCommand(name string) error {
	var names []string
	best, dist := "", 3
	for _, c := range commands {
		names = append(names, c.name)
		if d := model.EditDistance(name, c.name); d < dist {
			best, dist = c.name, d
		}
	}
	if best != "" {
		return usagef("unknown command %q: did you mean %s? (electcheck --help lists the commands)", name, best)
	}
	return usagef("unknown command %q: use %s (electcheck --help lists them)", name, orList(names))
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

// interrupted reports whether the run was stopped with Ctrl-C.
func interrupted(ctx context.Context) bool { return ctx.Err() != nil }
