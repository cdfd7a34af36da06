package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/pflag"

	"electcheck/checker/sweep"
	"electcheck/internal/repofiles"
)

// catalogueCmd is catalogue: the repository's generated files.
type catalogueCmd struct {
	*command
	root     string
	check    bool
	cacheDir string
	noMatrix bool
	progress bool
}

func newCatalogueCommand() *command {
	c := &catalogueCmd{command: newCommand("catalogue", "catalogue [--dir ROOT] [--check]",
		fmt.Sprintf("Runs each known result's check and records its trace as %s/known-<name>.json,\n"+
			"replays every trace in %s (the seed stories' come from the scenario scripts:\n"+
			"go test ./invariants -run TestScenarios -update), and renders each as\n"+
			"%s/<name>.md, with an index in %s/README.md; runs the durability preset\n"+
			"(electcheck sweep --preset durability, from the cache) into\n  %s,\n  %s and\n  %s.\n"+
			"--check draws the matrix from the committed CSV and searches a cell of each\nrelease again.\n",
			repofiles.TracesDir, repofiles.TracesDir, repofiles.ScenariosDir, repofiles.ScenariosDir,
			repofiles.MatrixCSV, repofiles.MatrixDoc, repofiles.MatrixSVG))}
	c.group("Flags", func(fs *pflag.FlagSet) {
		fs.StringVar(&c.root, "dir", ".", "the repository root (holding testdata/ and docs/)")
		fs.BoolVar(&c.check, "check", false, "write nothing; list the files that are out of date and exit 1 if any is")
		fs.StringVar(&c.cacheDir, "cache-dir", sweep.DefaultCacheDir(), "the sweep cache the durability matrix is run from")
		fs.BoolVar(&c.noMatrix, "no-matrix", false, "leave the durability matrix alone (it takes minutes without a warm cache)")
		fs.BoolVar(&c.progress, "progress", false, "show the durability matrix's progress on stderr even when it is not a terminal")
	})
	c.maxArgs = 0
	c.exec = c.run
	return c.command
}

func (c *catalogueCmd) run(ctx context.Context, stdout, stderr io.Writer) (int, error) {
	opts := repofiles.CatalogueOptions{RunMatrix: !c.check, SkipMatrix: c.noMatrix, CacheDir: c.cacheDir, Context: ctx}
	if !c.check && showProgress(c.progress, stderr) {
		opts.Progress = progressBar(stderr, isTerminal(stderr))
	}
	cat, err := repofiles.BuildCatalogue(c.root, opts)
	if err != nil {
		return 0, err
	}
	for _, p := range cat.Problems {
		fmt.Fprintf(stdout, "%s\n", p)
	}
	if cat.Interrupted {
		fmt.Fprintf(stderr, "electcheck: interrupted before the catalogue was complete: nothing written; the problems found so far are above\n")
		return exitInconclusive, nil
	}
	if c.check {
		for _, p := range cat.Stale {
			fmt.Fprintf(stdout, "out of date: %s\n", p)
		}
		if len(cat.Stale) > 0 || len(cat.Problems) > 0 {
			fmt.Fprintf(stdout, "the catalogue is out of date with the model: run electcheck catalogue (and review the diff)\n")
			return exitViolation, nil
		}
		fmt.Fprintf(stdout, "the catalogue is up to date: %d files\n", len(cat.Files))
		return exitOK, nil
	}
	if err := cat.Write(c.root, stdout); err != nil {
		return 0, err
	}
	fmt.Fprintf(stdout, "%d files, %d changed\n", len(cat.Files), len(cat.Stale))
	if len(cat.Problems) > 0 {
		return exitViolation, nil
	}
	return exitOK, nil
}
