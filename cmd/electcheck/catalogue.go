package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/pflag"

	"electcheck/checker/sweep"
	"electcheck/internal/repofiles"
)

// runCatalogue regenerates the golden traces of the known results and the
// scenario documents, or with --check says which are out of date.
func runCatalogue(args []string, stdout, stderr io.Writer) (int, error) {
	fs := pflag.NewFlagSet("catalogue", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	root := fs.String("dir", ".", "the repository root (holding testdata/ and docs/)")
	check := fs.Bool("check", false, "write nothing; list the files that are out of date and exit 1 if any is")
	cacheDir := fs.String("cache-dir", sweep.DefaultCacheDir(), "the sweep cache the durability matrix is run from")
	noMatrix := fs.Bool("no-matrix", false, "leave the durability matrix alone (it takes minutes without a warm cache)")
	progress := fs.Bool("progress", false, "show the durability matrix's progress on stderr even when it is not a terminal")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			fmt.Fprintf(stdout, "usage: electcheck catalogue [--dir ROOT] [--check]\n\n"+
				"Runs each known result's check and records its trace as %s/known-<name>.json,\n"+
				"replays every trace in %s (the seed stories' come from the scenario scripts:\n"+
				"go test ./invariants -run TestScenarios -rewrite), and renders each as\n"+
				"%s/<name>.md, with an index in %s/README.md; runs the durability preset\n"+
				"(electcheck sweep --preset durability, from the cache) into\n  %s,\n  %s and\n  %s.\n"+
				"--check draws the matrix from the committed CSV and searches a cell of each\nrelease again.\n\nflags:\n%s",
				repofiles.TracesDir, repofiles.TracesDir, repofiles.ScenariosDir, repofiles.ScenariosDir,
				repofiles.MatrixCSV, repofiles.MatrixDoc, repofiles.MatrixSVG, fs.FlagUsagesWrapped(helpWidth))
			return exitOK, nil
		}
		return 0, usagef("catalogue: %v (electcheck catalogue --help)", err)
	}
	if fs.NArg() > 0 {
		return 0, usagef("catalogue: unexpected argument %q", fs.Arg(0))
	}
	opts := repofiles.CatalogueOptions{RunMatrix: !*check, SkipMatrix: *noMatrix, CacheDir: *cacheDir}
	if !*check && (*progress || isTerminal(stderr)) {
		opts.Progress = progressBar(stderr, isTerminal(stderr))
	}
	c, err := repofiles.BuildCatalogue(*root, opts)
	if err != nil {
		return 0, err
	}
	if *check {
		for _, p := range c.Stale {
			fmt.Fprintf(stdout, "out of date: %s\n", p)
		}
		for _, p := range c.Problems {
			fmt.Fprintf(stdout, "%s\n", p)
		}
		if len(c.Stale) > 0 || len(c.Problems) > 0 {
			fmt.Fprintf(stdout, "the catalogue is out of date with the model: run electcheck catalogue (and review the diff)\n")
			return exitViolation, nil
		}
		fmt.Fprintf(stdout, "the catalogue is up to date: %d files\n", len(c.Files))
		return exitOK, nil
	}
	if err := c.Write(*root, stdout); err != nil {
		return 0, err
	}
	for _, p := range c.Problems {
		fmt.Fprintf(stdout, "%s\n", p)
	}
	fmt.Fprintf(stdout, "%d files, %d changed\n", len(c.Files), len(c.Stale))
	if len(c.Problems) > 0 {
		return exitViolation, nil
	}
	return exitOK, nil
}
