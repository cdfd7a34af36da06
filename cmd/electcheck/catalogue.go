package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/pflag"

	"electcheck/history"
)

// catalogueEntry is a result of kafka-replication.md's "Known results",
// found by a check and recorded as the golden trace
// testdata/traces/known-<name>.json.
type catalogueEntry struct {
	name, title, description string
	// args are check's flags, with paths relative to the repository root.
	args []string
}

var catalogueEntries = []catalogueEntry{
	{"acks1-failover", "Known result: acks=1 loses an acknowledged record on an ordinary failover",
		"The leader acknowledges a record as soon as it has appended it (acks=1) and crashes before any follower " +
			"fetches it. The controller elects a follower, which is in the ISR: a clean election, and the acknowledged " +
			"record is gone. Seeds 001 and 003 (scenario 3) tell this story.",
		[]string{"--config", "testdata/configs/acks1-failover.properties"}},
	{"hw-truncation-0.10", "Known result: HW truncation loses committed data (Kafka 0.10, KIP-101)",
		"Before Kafka 0.11 a restarting follower truncates its log to its own high watermark, which lags the " +
			"leader's. If the leader then fails, the follower is elected cleanly without a record that was committed " +
			"and acknowledged under acks=all. KIP-101's leader epochs fixed this.",
		[]string{"--config", "testdata/configs/hw-truncation-0.10.properties", "--invariants", "committed-offsets-preserved"}},
	{"log-divergence-0.10", "Known result: replica logs diverge after a power failure (Kafka 0.10, KIP-101)",
		"KIP-101's second scenario, two replicas: with HW truncation, a power failure and a new leader leave them " +
			"with different records at the same offset, and nothing ever repairs it.",
		[]string{"--kafka-version", "0.10", "--unclean-leader-election=false", "--replication-factor", "2",
			"--min-insync-replicas", "1", "--records", "3", "--crashes", "1", "--power-losses", "1", "--invariants", "no-log-divergence"}},
	{"unclean-election", "Known result: unclean election loses committed records",
		"Replication factor 3 above min.insync.replicas=2 with unclean.leader.election.enable=true: a follower that " +
			"fell out of the ISR is elected when every ISR member has failed, and the records committed without it " +
			"are lost.",
		[]string{"--config", "testdata/configs/unclean-election.properties", "--invariants", "committed-offsets-preserved"}},
	{"unclean-hw-backwards", "Known result: after an unclean election the high watermark goes backwards",
		"The same configuration: the unclean leader's log ends below the high watermark clients have already " +
			"seen, so the offsets a consumer was told are committed no longer exist.",
		[]string{"--config", "testdata/configs/unclean-election.properties", "--invariants", "hw-monotonic"}},
	{"unclean-offset-reuse", "Known result: after an unclean election an offset is acknowledged twice",
		"The same configuration: the unclean leader accepts new records at offsets already acknowledged for " +
			"other records, and the returning replicas truncate their copies to follow it.",
		[]string{"--config", "testdata/configs/unclean-election.properties", "--invariants", "no-offset-reuse"}},
	{"power-loss-last-isr", "Known result: a power loss of the last ISR member loses committed data (Kafka 3.9, KIP-966's motivation)",
		"Without eligible leader replicas, the last member of the ISR loses power before the OS wrote its log to " +
			"disk. It comes back without the unflushed records, is still the whole ISR, and is elected cleanly: " +
			"committed records are lost with unclean leader election disabled.",
		[]string{"--config", "testdata/configs/power-loss-last-isr.properties", "--invariants", "committed-offsets-preserved"}},
	{"elr-tolerates-one-unclean-shutdown", "Known result: eligible leader replicas survive min.insync.replicas - 1 unclean shutdowns (Kafka 4.4, KIP-966)",
		"Two replicas, min.insync.replicas=2, one pause and one power loss. Every property holds over the whole " +
			"state space. This is the shortest way to an eligible leader replica (ELR): a follower leaves an ISR below " +
			"min.insync.replicas and joins the ELR instead of leaving for good, and the high watermark stands still. " +
			"The scenario elr-survives-power-loss walks the whole story. The same configuration on 3.9, or on 4.4 " +
			"with ELR off, loses committed data (known-power-loss-last-isr).",
		[]string{"--config", "testdata/configs/power-loss-elr.properties", "--show", "elr-member"}},
	{"elr-limit", "Known result: eligible leader replicas do not survive min.insync.replicas unclean shutdowns (Kafka 4.4, KIP-966)",
		"Three replicas, min.insync.replicas=2, two power losses. ELR tolerates one unclean shutdown; with two, " +
			"every replica that held the committed records leaves the ISR and the ELR when it registers again, and " +
			"the controller elects the last known leader, uncleanly: committed records are lost.",
		[]string{"--kafka-version", "4.4", "--replication-factor", "3", "--min-insync-replicas", "2", "--crashes", "0",
			"--power-losses", "2", "--invariants", "committed-offsets-preserved"}},
	{"kafka-6361-1.1", "Known result: a fast double failover leaves logs diverged (Kafka 1.1, KAFKA-6361)",
		"KIP-101's epoch lookup is made once: a follower asks where the epoch of its last entry ended, and the " +
			"leader, which never had that epoch, answers with the start of a later one. The follower keeps entries " +
			"the leader does not have, and the logs diverge. KIP-279 (2.0) iterates the lookup.",
		[]string{"--kafka-version", "1.1", "--replication-factor", "2", "--min-insync-replicas", "1", "--records", "3",
			"--crashes", "2", "--max-leader-epoch", "3", "--invariants", "no-log-divergence"}},
	{"kafka-7415-2.0", "Known result: logs still diverge on Kafka 2.0 until a new leader caches its epoch (KAFKA-7415)",
		"The same configuration on 2.0: KIP-279's iterated lookup, but a follower whose only epoch is newer than " +
			"the one the leader names finds no end offset for it and keeps its entries. KAFKA-7415 (2.0.1 and 2.1) " +
			"makes the leader cache its epoch at election and answer such lookups.",
		[]string{"--kafka-version", "2.0", "--replication-factor", "2", "--min-insync-replicas", "1", "--records", "3",
			"--crashes", "2", "--max-leader-epoch", "3", "--invariants", "no-log-divergence"}},
	{"kafka-7128-2.0", "Known result: a lagging high watermark lets an incomplete follower into the ISR (Kafka 2.0, KAFKA-7128)",
		"A new leader's high watermark lags; a follower that has fetched up to it, but not the records of earlier " +
			"epochs, joins the ISR, and is elected when the leader fails: a committed record is lost. From 2.1 (2.0.1) " +
			"a follower must also reach the leader's epoch start offset.",
		[]string{"--kafka-version", "2.0", "--replication-factor", "3", "--min-insync-replicas", "1", "--records", "1",
			"--crashes", "2", "--max-leader-epoch", "3", "--invariants", "committed-offsets-preserved"}},
	{"kip-207-2.1", "Known result: the latest offset clients see goes backwards after a clean failover (Kafka 2.1, KAFKA-2334)",
		"A new leader's high watermark lags the old leader's by a fetch round trip, and before 2.2 ListOffsets " +
			"answers with it: the latest offset a client saw goes backwards. KIP-207 (2.2) answers OFFSET_NOT_AVAILABLE " +
			"until the new leader's high watermark reaches the start of its epoch.",
		[]string{"--kafka-version", "2.1", "--replication-factor", "2", "--min-insync-replicas", "1", "--records", "3",
			"--crashes", "2", "--max-leader-epoch", "3", "--invariants", "hw-monotonic"}},
	{"modern-offline", "Known result: modern Kafka goes offline instead of losing data",
		"Kafka 4.4, acks=all, min.insync.replicas=2, clean elections only, process crashes without power loss: " +
			"every property holds over the whole state space. The price is availability: this is the shortest way " +
			"to a partition with no leader while a replica is alive (seed 002, option a).",
		[]string{"--config", "testdata/configs/modern-clean.properties", "--records", "1", "--show", "partition-offline"}},
	{"modern-produce-refused", "Known result: modern Kafka refuses writes when the ISR is too small",
		"The same safe configuration: the shortest way to a write refused with NotEnoughReplicas, because the " +
			"ISR shrank below min.insync.replicas=2 (seed 003, scenario 2).",
		[]string{"--config", "testdata/configs/modern-clean.properties", "--records", "1", "--show", "produce-refused"}},
}

const (
	tracesDir    = "testdata/traces"
	scenariosDir = "docs/scenarios"
	knownPrefix  = "known-"
)

// generated is one file the catalogue writes, by path relative to the root.
type generated struct {
	path string
	data []byte
}

// runCatalogue regenerates the golden traces of the known results and the
// scenario documents, or with --check says which are out of date.
func runCatalogue(args []string, stdout, stderr io.Writer) (int, error) {
	fs := pflag.NewFlagSet("catalogue", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	root := fs.String("dir", ".", "the repository root (holding testdata/ and docs/)")
	check := fs.Bool("check", false, "write nothing; list the files that are out of date and exit 1 if any is")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			fmt.Fprintf(stdout, "usage: electcheck catalogue [--dir ROOT] [--check]\n\n"+
				"Runs each known result's check and records its trace as %s/%s<name>.json,\n"+
				"replays every trace in %s (the seed stories' come from the scenario scripts:\n"+
				"go test ./invariants -run TestScenarios -rewrite), and renders each as\n"+
				"%s/<name>.md, with an index in %s/README.md.\n\nflags:\n%s",
				tracesDir, knownPrefix, tracesDir, scenariosDir, scenariosDir, fs.FlagUsages())
			return exitOK, nil
		}
		return 0, usagef("catalogue: %v (electcheck catalogue --help)", err)
	}
	if fs.NArg() > 0 {
		return 0, usagef("catalogue: unexpected argument %q", fs.Arg(0))
	}
	if st, err := os.Stat(filepath.Join(*root, tracesDir)); err != nil || !st.IsDir() {
		return 0, usagef("%s has no %s directory: run electcheck catalogue from the repository root, or pass --dir", *root, tracesDir)
	}
	files, problems, err := buildCatalogue(*root, stderr)
	if err != nil {
		return 0, err
	}
	stale, err := staleFiles(*root, files)
	if err != nil {
		return 0, err
	}
	if *check {
		for _, p := range stale {
			fmt.Fprintf(stdout, "out of date: %s\n", p)
		}
		for _, p := range problems {
			fmt.Fprintf(stdout, "%s\n", p)
		}
		if len(stale) > 0 || len(problems) > 0 {
			fmt.Fprintf(stdout, "the catalogue is out of date with the model: run electcheck catalogue (and review the diff)\n")
			return exitViolation, nil
		}
		fmt.Fprintf(stdout, "the catalogue is up to date: %d files\n", len(files))
		return exitOK, nil
	}
	content := map[string][]byte{}
	for _, g := range files {
		content[g.path] = g.data
	}
	for _, p := range stale {
		full := filepath.Join(*root, p)
		data, keep := content[p]
		if !keep {
			if err := os.Remove(full); err != nil {
				return 0, err
			}
			fmt.Fprintf(stdout, "removed %s\n", p)
			continue
		}
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return 0, err
		}
		if err := os.WriteFile(full, data, 0o644); err != nil {
			return 0, err
		}
		fmt.Fprintf(stdout, "wrote %s\n", p)
	}
	for _, p := range problems {
		fmt.Fprintf(stdout, "%s\n", p)
	}
	fmt.Fprintf(stdout, "%d files, %d changed\n", len(files), len(stale))
	if len(problems) > 0 {
		return exitViolation, nil
	}
	return exitOK, nil
}

// buildCatalogue computes every file of the catalogue in memory. problems
// are traces that no longer show what they were recorded for.
func buildCatalogue(root string, stderr io.Writer) ([]generated, []string, error) {
	traces := map[string]*history.File{}
	var files []generated
	var problems []string
	for _, k := range catalogueEntries {
		f, err := recordKnown(root, k)
		if err != nil {
			return nil, nil, err
		}
		if f == nil {
			problems = append(problems, fmt.Sprintf("known result %s no longer shows: `electcheck check %s` finds no such trace", k.name, strings.Join(k.args, " ")))
			continue
		}
		data, err := f.Marshal()
		if err != nil {
			return nil, nil, err
		}
		name := knownPrefix + k.name
		traces[name] = f
		files = append(files, generated{filepath.ToSlash(filepath.Join(tracesDir, name+".json")), data})
	}
	// The other golden traces come from the scenario scripts.
	paths, err := filepath.Glob(filepath.Join(root, tracesDir, "*.json"))
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
		f, err := history.ReadFile(data)
		if err != nil {
			return nil, nil, usagef("%s: %v", p, err)
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
		res, err := history.Replay(f)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %v", name, err)
		}
		if p := replayProblem(f, res); p != "" {
			if !strings.HasPrefix(name, knownPrefix) {
				p += " (if the model change is intended, re-record it: go test ./invariants -run TestScenarios -rewrite)"
			}
			problems = append(problems, fmt.Sprintf("%s/%s.json %s", tracesDir, name, p))
		}
		var doc bytes.Buffer
		doc.WriteString(res.Markdown)
		fmt.Fprintf(&doc, "\n---\n\nGenerated by `electcheck catalogue` from [`%s/%s.json`](../../%s/%s.json); replay it with "+
			"`electcheck replay %s/%s.json`. Do not edit: regenerate.\n", tracesDir, name, tracesDir, name, tracesDir, name)
		files = append(files, generated{scenariosDir + "/" + name + ".md", doc.Bytes()})
		index = append(index, indexRow{name, f, len(f.Steps)})
	}
	files = append(files, generated{scenariosDir + "/README.md", catalogueIndex(index)})
	sort.Slice(files, func(i, j int) bool { return files[i].path < files[j].path })
	return files, problems, nil
}

// recordKnown runs a known result's check and returns its trace, or nil
// if the check no longer finds one.
func recordKnown(root string, k catalogueEntry) (*history.File, error) {
	args := make([]string, len(k.args))
	copy(args, k.args)
	for i := 0; i+1 < len(args); i++ {
		if args[i] == "--config" {
			args[i+1] = filepath.Join(root, args[i+1])
		}
	}
	o, err := checkArgs(args)
	if err != nil {
		return nil, fmt.Errorf("known result %s: %v", k.name, err)
	}
	if o.primary == nil {
		return nil, nil
	}
	f := o.primary
	f.Title, f.Description = k.title, k.description
	f.Command = "electcheck check " + strings.Join(k.args, " ")
	return f, nil
}

// checkArgs runs a check given as check's flags, with two workers (the
// result is the same with any number; this is only speed).
func checkArgs(args []string) (*outcome, error) {
	r, err := parseCheck(args)
	if err != nil {
		return nil, err
	}
	r.opts.Workers = 2
	return r.checker.check(r.opts)
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
func staleFiles(root string, files []generated) ([]string, error) {
	want := map[string]bool{}
	var stale []string
	for _, g := range files {
		want[g.path] = true
		old, err := os.ReadFile(filepath.Join(root, g.path))
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
		if err != nil || !bytes.Equal(old, g.data) {
			stale = append(stale, g.path)
		}
	}
	for _, pattern := range []string{scenariosDir + "/*.md", tracesDir + "/" + knownPrefix + "*.json"} {
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
		"One document per golden trace in [`testdata/traces`](../../testdata/traces): each seed story of\n" +
		"`../shared/seeds` walked step by step (recorded by the scenario scripts in\n" +
		"[`testdata/scenarios`](../../testdata/scenarios)), and each known result of\n" +
		"`kafka-replication.md` as the checker finds it (recorded by `electcheck catalogue` from the command\n" +
		"shown). Every document is generated; `go test ./cmd/electcheck` fails when one is out of date with\n" +
		"the model. To regenerate after a model change:\n\n" +
		"```\ngo test ./invariants -run TestScenarios -rewrite   # the seed stories' traces\n" +
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
			lines = append(lines, fmt.Sprintf("| [%s](%s.md) | %s | %d | `%s` |\n", cell(r.f.Title), r.name, shows, r.steps, r.f.Command))
		}
		if len(lines) > 0 {
			fmt.Fprintf(&b, "\n## %s\n\n| scenario | shows | states | reproduce |\n|---|---|---|---|\n%s", group.title, strings.Join(lines, ""))
		}
	}
	return b.Bytes()
}

// cell makes text safe in a Markdown table cell.
func cell(s string) string { return strings.ReplaceAll(s, "|", "\\|") }
