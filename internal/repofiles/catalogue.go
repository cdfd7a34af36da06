// Package repofiles generates the repository's own files: the golden
// traces of the known results, the scenario documents and their index, the
// durability matrix (CSV, document, heat map), the version ladder and the
// settings table of docs/cli.md. It is the one package that knows their
// paths; `electcheck catalogue` and `electcheck ablate --write` call it,
// and its tests fail when a file is out of date with the model.
package repofiles

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"electcheck/checker"
	"electcheck/checker/sweep"
	"electcheck/history"
)

// The catalogue: golden traces of the known results (recorded by running
// their checks) and one Markdown document per golden trace, with an index.
// `electcheck catalogue` regenerates it; --check says what is out of date.
const (
	TracesDir    = "testdata/traces"
	ScenariosDir = "docs/scenarios"
	knownPrefix  = "known-"
)

// GeneratedFile is one file the catalogue writes, by path relative to the
// repository root.
type GeneratedFile struct {
	Path string
	Data []byte
}

// Catalogue is the catalogue as the model gives it now, compared with the
// files under the repository root.
type Catalogue struct {
	Files []GeneratedFile
	// Stale lists, relative to the root, the files whose content on disk
	// differs and the generated files that no longer belong.
	Stale []string
	// Problems are golden traces that no longer show what they were
	// recorded for, and known results no check finds any more.
	Problems []string
	// Interrupted is set when the catalogue was stopped before it was
	// complete: Files and Stale are then empty, and Problems partial.
	Interrupted bool
}

// CatalogueOptions say how to build the catalogue's durability matrix.
type CatalogueOptions struct {
	// RunMatrix runs the durability preset (from the cache in CacheDir
	// where it can) and draws the matrix from it; otherwise the matrix is
	// drawn from its committed CSV, and a cell of each release is searched
	// again to see that the CSV is still the model's. SkipMatrix leaves
	// the matrix out altogether.
	RunMatrix, SkipMatrix bool
	CacheDir              string
	Progress              func(sweep.Progress)
	// Context stops the catalogue (Ctrl-C): BuildCatalogue then returns
	// the problems found so far, marked Interrupted, and no files.
	Context context.Context
}

// stopped reports whether the catalogue was told to stop.
func (o *CatalogueOptions) stopped() bool { return o.Context != nil && o.Context.Err() != nil }

// BuildCatalogue computes the catalogue of the repository at root.
func BuildCatalogue(root string, opts CatalogueOptions) (*Catalogue, error) {
	if st, err := os.Stat(filepath.Join(root, TracesDir)); err != nil || !st.IsDir() {
		return nil, checker.BadRequestf("%s has no %s directory: run electcheck catalogue from the repository root, or pass --dir", root, TracesDir)
	}
	files, problems, err := buildCatalogue(root, &opts)
	if err != nil {
		return nil, err
	}
	if opts.stopped() {
		return &Catalogue{Problems: problems, Interrupted: true}, nil
	}
	var matrix []GeneratedFile
	var more []string
	switch {
	case opts.SkipMatrix:
	case opts.RunMatrix:
		var rep *sweep.Report
		if rep, err = runMatrix(opts); err == nil {
			matrix, err = matrixFiles(rep)
		}
		if err == nil && !opts.stopped() {
			var trade []GeneratedFile
			var reps []*sweep.Report
			if reps, err = runTradeoff(opts); err == nil {
				trade, err = tradeoffFiles(reps)
			}
			matrix = append(matrix, trade...)
		}
	default:
		matrix, more, err = checkMatrix(root, opts.Context)
		if err == nil && !opts.stopped() {
			var trade []GeneratedFile
			var tmore []string
			trade, tmore, err = checkTradeoff(root, opts.Context)
			matrix, more = append(matrix, trade...), append(more, tmore...)
		}
	}
	if err != nil {
		return nil, err
	}
	if opts.stopped() {
		return &Catalogue{Problems: append(problems, more...), Interrupted: true}, nil
	}
	files, problems = append(files, matrix...), append(problems, more...)
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	stale, err := staleFiles(root, files)
	if err != nil {
		return nil, err
	}
	return &Catalogue{Files: files, Stale: stale, Problems: problems}, nil
}

// Write brings the files under root up to date, saying what it wrote and
// removed on w.
func (c *Catalogue) Write(root string, w io.Writer) error {
	content := map[string][]byte{}
	for _, g := range c.Files {
		content[g.Path] = g.Data
	}
	for _, p := range c.Stale {
		full := filepath.Join(root, p)
		data, keep := content[p]
		if !keep {
			if err := os.Remove(full); err != nil {
				return err
			}
			fmt.Fprintf(w, "removed %s\n", p)
			continue
		}
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(full, data, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(w, "wrote %s\n", p)
	}
	return nil
}

// buildCatalogue computes every file of the catalogue in memory. problems
// are traces that no longer show what they were recorded for.
func buildCatalogue(root string, opts *CatalogueOptions) ([]GeneratedFile, []string, error) {
	traces := map[string]*history.File{}
	var files []GeneratedFile
	var problems []string
	for _, k := range catalogueEntries {
		f, err := recordKnown(root, k, opts.Context)
		if err != nil {
			return nil, nil, err
		}
		if opts.stopped() {
			return nil, problems, nil
		}
		if f == nil {
			problems = append(problems, fmt.Sprintf("known result %s no longer shows: `%s` finds no such trace", k.name, k.check.command()))
			continue
		}
		data, err := f.Marshal()
		if err != nil {
			return nil, nil, err
		}
		name := knownPrefix + k.name
		traces[name] = f
		files = append(files, GeneratedFile{filepath.ToSlash(filepath.Join(TracesDir, name+".json")), data})
	}
	// The other golden traces come from the scenario scripts.
	paths, err := filepath.Glob(filepath.Join(root, TracesDir, "*.json"))
	if err != nil {
		return nil, nil, err
	}
	for _, p := range paths {
		name := strings.TrimSuffix(filepath.Base(p), ".json")
		if strings.HasPrefix(name, knownPrefix) {
			continue
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, nil, err
		}
		f, err := checker.ReadTrace(data)
		if err != nil {
			return nil, nil, checker.BadRequestf("%s: %v", p, err)
		}
		traces[name] = f
	}
	names := make([]string, 0, len(traces))
	for n := range traces {
		names = append(names, n)
	}
	sort.Strings(names)
	var index []indexRow
	for _, name := range names {
		f := traces[name]
		res, err := checker.Replay(f)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %v", name, err)
		}
		if p := replayProblem(f, res); p != "" {
			if !strings.HasPrefix(name, knownPrefix) {
				p += " (if the model change is intended, re-record it: go test ./invariants -run TestScenarios -update)"
			}
			problems = append(problems, fmt.Sprintf("%s/%s.json %s", TracesDir, name, p))
		}
		var doc bytes.Buffer
		doc.WriteString(res.Markdown)
		fmt.Fprintf(&doc, "\n---\n\nGenerated by `electcheck catalogue` from [`%s/%s.json`](../../%s/%s.json); replay it with "+
			"`electcheck replay %s/%s.json`. Do not edit: regenerate.\n", TracesDir, name, TracesDir, name, TracesDir, name)
		files = append(files, GeneratedFile{ScenariosDir + "/" + name + ".md", doc.Bytes()})
		index = append(index, indexRow{name, f, len(f.Steps)})
	}
	files = append(files, GeneratedFile{ScenariosDir + "/README.md", catalogueIndex(index)})
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	return files, problems, nil
}

// recordKnown runs a known result's check and returns its trace, or nil
// if the check no longer finds one.
func recordKnown(root string, k catalogueEntry, ctx context.Context) (*history.File, error) {
	req, err := k.check.request(root)
	if err != nil {
		return nil, fmt.Errorf("known result %s: %v", k.name, err)
	}
	// Two workers: the result is the same with any number; this is speed.
	o, err := checker.Check(req, checker.Search{Workers: 2, Show: k.check.show, Context: ctx})
	if err != nil {
		return nil, fmt.Errorf("known result %s: %v", k.name, err)
	}
	if o.Primary == nil {
		return nil, nil
	}
	f := o.Primary
	f.Title, f.Description = k.title, k.description
	f.Command = k.check.command()
	return f, nil
}

// replayProblem says how a golden trace no longer shows what it was
// recorded for, or "".
func replayProblem(f *history.File, res *history.ReplayResult) string {
	switch {
	case res.Outcome == history.Diverges:
		return fmt.Sprintf("diverges at step %d: %s", res.DivergedAt, res.Reason)
	case res.Outcome == history.NoLongerFails:
		return fmt.Sprintf("no longer fails: %s holds at the end", f.Property)
	case f.Witness != "" && !res.WitnessReached:
		return fmt.Sprintf("no longer reaches %s at the end", f.Witness)
	}
	return ""
}

// staleFiles lists, relative to root, the catalogue files whose content on
// disk differs from what the model gives now, and the generated files (a
// scenario document or a known-result trace) that no longer belong.
func staleFiles(root string, files []GeneratedFile) ([]string, error) {
	want := map[string]bool{}
	var stale []string
	for _, g := range files {
		want[g.Path] = true
		old, err := os.ReadFile(filepath.Join(root, g.Path))
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
		if err != nil || !bytes.Equal(old, g.Data) {
			stale = append(stale, g.Path)
		}
	}
	for _, pattern := range []string{ScenariosDir + "/*.md", TracesDir + "/" + knownPrefix + "*.json"} {
		paths, err := filepath.Glob(filepath.Join(root, pattern))
		if err != nil {
			return nil, err
		}
		for _, p := range paths {
			rel, err := filepath.Rel(root, p)
			if err != nil {
				return nil, err
			}
			if rel = filepath.ToSlash(rel); !want[rel] {
				stale = append(stale, rel)
			}
		}
	}
	sort.Strings(stale)
	return stale, nil
}

type indexRow struct {
	name  string
	f     *history.File
	steps int
}

// catalogueIndex is docs/scenarios/README.md: one row per scenario.
func catalogueIndex(rows []indexRow) []byte {
	var b bytes.Buffer
	b.WriteString("# Scenario catalogue\n\n" +
		"One document per golden trace in [`testdata/traces`](../../testdata/traces): each seed story (an\n" +
		"account of how Kafka loses data, or does not) walked step by step (recorded by the scenario scripts\n" +
		"in [`testdata/scenarios`](../../testdata/scenarios), which tell each story), and each known result\n" +
		"of the literature as the checker finds it (recorded by `electcheck catalogue` from the command\n" +
		"shown). Every document is generated; `go test ./...` fails when one is out of date with\n" +
		"the model. To regenerate after a model change:\n\n" +
		"```\ngo test ./invariants -run TestScenarios -update   # the seed stories' traces\n" +
		"go run ./cmd/electcheck catalogue                   # known results' traces and these documents\n```\n\n" +
		"and review the diff: a changed counterexample is a change in what the model says about Kafka.\n")
	groups := []struct{ title, prefix string }{{"Seed stories", "seed-"}, {"Known results", knownPrefix}, {"Other traces", ""}}
	for _, group := range groups {
		var lines []string
		for _, r := range rows {
			if group.prefix == "" && (strings.HasPrefix(r.name, "seed-") || strings.HasPrefix(r.name, knownPrefix)) ||
				!strings.HasPrefix(r.name, group.prefix) {
				continue
			}
			shows := "holds throughout"
			switch {
			case r.f.Property != "":
				shows = "violates `" + r.f.Property + "`"
			case r.f.Witness != "":
				shows = "reaches `" + r.f.Witness + "`"
			}
			lines = append(lines, fmt.Sprintf("| [%s](%s.md) | %s | %d | `%s` |\n", history.MarkdownCell(r.f.Title), r.name, shows, r.steps, r.f.Command))
		}
		if len(lines) > 0 {
			fmt.Fprintf(&b, "\n## %s\n\n| scenario | shows | states | reproduce |\n|---|---|---|---|\n%s", group.title, strings.Join(lines, ""))
		}
	}
	return b.Bytes()
}
