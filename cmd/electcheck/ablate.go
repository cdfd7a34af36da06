package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/pflag"

	"electcheck/checker"
	"electcheck/internal/repofiles"
	"electcheck/model"
)

// ablateCmd is ablate: the version ladder.
type ablateCmd struct {
	*command
	format   *string
	check    bool
	write    bool
	root     string
	progress bool
}

func newAblateCommand() *command {
	c := &ablateCmd{command: newCommand("ablate", "ablate [--format text|markdown] [--check|--write] [--dir ROOT]",
		fmt.Sprintf("Turns each protocol feature off, one at a time, on Kafka %s, and shows the\n"+
			"configuration and shortest counterexample the feature prevents (the version\n"+
			"ladder, %s).\n", model.Latest, repofiles.LadderDoc))}
	c.group("Flags", func(fs *pflag.FlagSet) {
		c.format = c.enum(fs, "format", "output format: text, or markdown ("+repofiles.LadderDoc+")", "text", "markdown")
		fs.BoolVar(&c.check, "check", false, "write nothing; say whether "+repofiles.LadderDoc+" is up to date (exit 1 if not)")
		fs.BoolVar(&c.write, "write", false, "write the Markdown table to "+repofiles.LadderDoc)
		fs.StringVar(&c.root, "dir", ".", "the repository root, for --check and --write")
		fs.BoolVar(&c.progress, "progress", false, "say which feature is running on stderr even when it is not a terminal")
	})
	c.maxArgs = 0
	c.exec = c.run
	return c.command
}

func (c *ablateCmd) run(ctx context.Context, stdout, stderr io.Writer) (int, error) {
	if c.check && c.write {
		return 0, usagef("ablate: --check and --write exclude each other")
	}
	opts := checker.AblateOptions{Context: ctx}
	if showProgress(c.progress, stderr) {
		opts.Progress = func(done, total int, feature string) {
			fmt.Fprintf(stderr, "electcheck: ablate %d/%d: %s\n", done+1, total, feature)
		}
	}
	rows, err := checker.Ablate(opts)
	if interrupted(ctx) {
		checker.WriteLadderText(stdout, rows)
		fmt.Fprintf(stderr, "electcheck: interrupted after %d of the ladder's features; nothing written\n", len(rows))
		return exitInconclusive, nil
	}
	if err != nil {
		return 0, err
	}
	doc := repofiles.LadderMarkdown(rows)
	path := filepath.Join(c.root, repofiles.LadderDoc)
	switch {
	case c.check:
		old, err := os.ReadFile(path)
		if err != nil || !bytes.Equal(old, doc) {
			fmt.Fprintf(stdout, "%s is out of date with the model: run electcheck ablate --write (and review the diff)\n", repofiles.LadderDoc)
			return exitViolation, nil
		}
		fmt.Fprintf(stdout, "%s is up to date\n", repofiles.LadderDoc)
		return exitOK, nil
	case c.write:
		if err := os.WriteFile(path, doc, 0o644); err != nil {
			return 0, usagef("cannot write %s: %v (run from the repository root, or pass --dir)", path, err)
		}
		fmt.Fprintf(stdout, "wrote %s\n", repofiles.LadderDoc)
	}
	switch {
	case *c.format == "markdown":
		_, _ = stdout.Write(doc)
	case !c.write:
		checker.WriteLadderText(stdout, rows)
	}
	for _, r := range rows {
		if !r.AsRecorded() {
			return exitViolation, nil
		}
	}
	return exitOK, nil
}
