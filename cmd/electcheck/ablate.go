package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/pflag"

	"electcheck/checker"
	"electcheck/internal/repofiles"
	"electcheck/model"
)

// runAblate runs the version ladder: each protocol feature turned off on
// the newest release, and what it prevents.
func runAblate(args []string, stdout, stderr io.Writer) (int, error) {
	fs := pflag.NewFlagSet("ablate", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	format := fs.String("format", "text", "output format: text, or markdown ("+repofiles.LadderDoc+")")
	check := fs.Bool("check", false, "write nothing; say whether "+repofiles.LadderDoc+" is up to date (exit 1 if not)")
	write := fs.Bool("write", false, "write the Markdown table to "+repofiles.LadderDoc)
	root := fs.String("dir", ".", "the repository root, for --check and --write")
	progress := fs.Bool("progress", false, "say which feature is running on stderr even when it is not a terminal")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			fmt.Fprintf(stdout, "usage: electcheck ablate [--format text|markdown] [--check|--write] [--dir ROOT]\n\n"+
				"Turns each protocol feature off, one at a time, on Kafka %s, and shows the\n"+
				"configuration and shortest counterexample the feature prevents (the version\n"+
				"ladder, %s).\n\nflags:\n%s", model.Latest, repofiles.LadderDoc, fs.FlagUsagesWrapped(helpWidth))
			return exitOK, nil
		}
		return 0, usagef("ablate: %v (electcheck ablate --help)", err)
	}
	if fs.NArg() > 0 {
		return 0, usagef("ablate: unexpected argument %q", fs.Arg(0))
	}
	if *format != "text" && *format != "markdown" {
		return 0, usagef("--format must be text or markdown, not %q", *format)
	}
	if *check && *write {
		return 0, usagef("ablate: --check and --write exclude each other")
	}
	var tell func(done, total int, feature string)
	if *progress || isTerminal(stderr) {
		tell = func(done, total int, feature string) {
			fmt.Fprintf(stderr, "electcheck: ablate %d/%d: %s\n", done+1, total, feature)
		}
	}
	rows, err := checker.Ablate(tell)
	if err != nil {
		return 0, err
	}
	doc := repofiles.LadderMarkdown(rows)
	path := filepath.Join(*root, repofiles.LadderDoc)
	switch {
	case *check:
		old, err := os.ReadFile(path)
		if err != nil || !bytes.Equal(old, doc) {
			fmt.Fprintf(stdout, "%s is out of date with the model: run electcheck ablate --write (and review the diff)\n", repofiles.LadderDoc)
			return exitViolation, nil
		}
		fmt.Fprintf(stdout, "%s is up to date\n", repofiles.LadderDoc)
		return exitOK, nil
	case *write:
		if err := os.WriteFile(path, doc, 0o644); err != nil {
			return 0, usagef("cannot write %s: %v (run from the repository root, or pass --dir)", path, err)
		}
		fmt.Fprintf(stdout, "wrote %s\n", repofiles.LadderDoc)
	}
	if *format == "markdown" {
		_, err := stdout.Write(doc)
		return exitOK, err
	}
	if !*write {
		checker.WriteLadderText(stdout, rows)
	}
	for _, r := range rows {
		if !r.AsRecorded() {
			return exitViolation, nil
		}
	}
	return exitOK, nil
}
