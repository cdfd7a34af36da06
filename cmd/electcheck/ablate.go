package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/pflag"

	"electcheck/model"
)

// ablationCase is one row of the version ladder (docs/ladder.md): a
// feature of the newest release, and the configuration where turning it
// off, alone, breaks a property that holds with it. Cases without a
// property are features whose removal changes no verdict the model can
// reach; why says why.
type ablationCase struct {
	feature string
	// args are check's flags for the configuration, on the newest release.
	args []string
	// property is the property the feature protects in that
	// configuration, "" if none.
	property string
	why      string
}

// ablationCases were found by searching configurations for one where the
// newest release holds and the release without the feature does not
// (ladderSearch says how); in table order.
var ablationCases = []ablationCase{
	{"epoch-truncation", flags(2, 2, "--crashes", "1", "--clean-shutdowns", "1"), "committed-offsets-preserved",
		"A follower that restarts truncates to its own high watermark, which lags the leader's, and is then elected cleanly without the committed record (KIP-101's first scenario)."},
	{"iterated-truncation", flags(2, 1, "--records", "3", "--crashes", "2", "--max-leader-epoch", "3"), "no-log-divergence",
		"One lookup lands in an epoch the leader never had, and the follower keeps entries the leader does not have (KAFKA-6361)."},
	{"fenced-fetch", flags(3, 1, "--records", "1", "--crashes", "2", "--max-leader-epoch", "3", "--consumer=false"), "committed-offsets-preserved",
		"A follower that missed an epoch under the same leader does not truncate again, or fetches from a leader of another epoch."},
	{"leader-epoch-cached", flags(2, 1, "--records", "3", "--crashes", "2", "--max-leader-epoch", "3"), "no-log-divergence",
		"A new leader that has not appended answers a lookup for an epoch below its first with UNDEFINED, and the follower keeps a diverged entry."},
	{"isr-join-epoch-start", flags(2, 2, "--crashes", "0", "--pauses", "1", "--power-losses", "1"), "committed-offsets-preserved",
		"A follower that reached a new leader's lagging high watermark joins the ISR without the records of earlier epochs (KAFKA-7128)."},
	{"hide-lagging-hw", flags(2, 1, "--crashes", "2"), "hw-monotonic",
		"The latest offset a client was told goes backwards after a clean failover (KAFKA-2334)."},
	{"alter-partition", flags(2, 1, "--crashes", "2"), "",
		"Turning it off gives the synchronous ZooKeeper write of 2.6 and before, which is as safe: the hole KIP-497's maximal ISR closes exists only because the update became asynchronous (see maximal-isr). A mechanism, not a fix."},
	{"maximal-isr", flags(2, 1, "--crashes", "2"), "committed-offsets-preserved",
		"The leader counts a shrink before the controller accepted it; the controller's ISR still names the follower it dropped, which is elected without the record."},
	{"leader-recovery", flags(3, 2, "--unclean-leader-election", "--records", "1"), "",
		"As shipped (3.2 to 4.4) a leader elected uncleanly marks the partition recovered at once (Partition.makeLeader), so nothing it does changes and the model keeps no state for it: a hook for recovery work, not a safety fix. Turning it off only changes the text of an unclean election."},
	{"fenced-replicas-barred", flags(2, 1, "--crashes", "0", "--pauses", "2"), "",
		"The broker KIP-841 keeps out of the ISR is fenced, and the controller elects no fenced broker; one that a leader adds has fetched up to the high watermark first. Its presence in the ISR costs availability (an ISR member that cannot be elected), not data: not needed for safety in this model."},
	{"broker-epoch-isr", flags(2, 2, "--crashes", "0", "--pauses", "1", "--power-losses", "1"), "committed-offsets-preserved",
		"A broker that lost its unflushed records in a power loss is re-added to the ISR on the strength of its fetches before the restart."},
	{"isr-shrink-keeps-epoch", flags(2, 1, "--crashes", "2"), "",
		"Bumping the leader epoch on every ISR shrink only fences more: followers must learn the new epoch before they fetch again. Kafka stopped it (KAFKA-15021) together with a fix to how caught-up replicas count towards the high watermark, which the model does not need (it counts the ISR only): a performance change, not a safety fix."},
	{"strict-min-isr", flags(2, 2, "--crashes", "2"), "committed-offsets-preserved",
		"The high watermark advances on an ISR below min.insync.replicas, so an eligible leader replica lacks a committed record and is elected."},
	{"eligible-leader-replicas", flags(2, 2, "--crashes", "0", "--pauses", "1", "--power-losses", "1"), "committed-offsets-preserved",
		"The last replica standing: the last ISR member loses power, returns as the whole ISR and is elected cleanly."},
	{"last-leader-unfenced", flags(2, 2, "--crashes", "3", "--max-leader-epoch", "4"), "",
		"Electing a fenced last known leader (4.0) leaves the partition with a leader that cannot act until it registers again, when it would be elected anyway: an availability bug, not a safety one. Three crashes reach it here (the state counts differ); the verdicts do not."},
}

// flags are check's flags for a configuration of rf replicas and min ISR
// minISR, then more.
func flags(rf, minISR int, more ...string) []string {
	return append([]string{"--replication-factor", fmt.Sprint(rf), "--min-insync-replicas", fmt.Sprint(minISR)}, more...)
}

const ladderDoc = "docs/ladder.md"

// ladderSearch says how the configurations were found.
const ladderSearch = "**How the configurations were found.** For each feature, `electcheck check` was run with the\n" +
	"feature off on configurations of two and three replicas, `min.insync.replicas` 1 and 2, acks all\n" +
	"and 1, eight mixes of two faults (two crashes; a crash and a power loss; a pause and a power loss;\n" +
	"a crash and a pause; two power losses; a crash and a disk loss; a crash and a clean shutdown; two\n" +
	"pauses), two and then three records, and two and three leader epochs, smallest first, for a\n" +
	"violation of any property but `strong-isr` (which flags the same holes earlier, less readably);\n" +
	"then with it on, to keep a configuration where the release holds. The smallest such configuration\n" +
	"found is shown (some were shrunk by hand). For the features without one, all 128 configurations\n" +
	"with two records were searched, each capped at 3 million states or 90 seconds (13 to 16 of them\n" +
	"reached the cap), and the row says why the model finds nothing: either the feature is a mechanism\n" +
	"or closes an availability hole the safety properties do not cover, or it changes no behaviour at\n" +
	"all. None is, to our reading, modelled wrongly.\n\n"

// ablationRow is a case's outcome.
type ablationRow struct {
	c                      ablationCase
	info                   model.FeatureInfo
	off                    []string // the --feature switches of the ablation
	with, without          *outcome
	withVerdict, noVerdict string
}

func runAblate(args []string, stdout, stderr io.Writer) (int, error) {
	fs := pflag.NewFlagSet("ablate", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	format := fs.String("format", "text", "output format: text, or markdown (docs/ladder.md)")
	check := fs.Bool("check", false, "write nothing; say whether "+ladderDoc+" is up to date (exit 1 if not)")
	write := fs.Bool("write", false, "write the Markdown table to "+ladderDoc)
	root := fs.String("dir", ".", "the repository root, for --check and --write")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			fmt.Fprintf(stdout, "usage: electcheck ablate [--format text|markdown] [--check|--write] [--dir ROOT]\n\n"+
				"Turns each protocol feature off, one at a time, on Kafka %s, and shows the\n"+
				"configuration and shortest counterexample the feature prevents (the version\n"+
				"ladder, %s).\n\nflags:\n%s", model.Latest, ladderDoc, fs.FlagUsages())
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
	var rows []ablationRow
	for _, c := range ablationCases {
		row, err := ablate(c)
		if err != nil {
			return 0, err
		}
		rows = append(rows, row)
	}
	doc := ladderMarkdown(rows)
	path := filepath.Join(*root, ladderDoc)
	switch {
	case *check:
		old, err := os.ReadFile(path)
		if err != nil || !bytes.Equal(old, doc) {
			fmt.Fprintf(stdout, "%s is out of date with the model: run electcheck ablate --write (and review the diff)\n", ladderDoc)
			return exitViolation, nil
		}
		fmt.Fprintf(stdout, "%s is up to date\n", ladderDoc)
		return exitOK, nil
	case *write:
		if err := os.WriteFile(path, doc, 0o644); err != nil {
			return 0, usagef("cannot write %s: %v (run from the repository root, or pass --dir)", path, err)
		}
		fmt.Fprintf(stdout, "wrote %s\n", ladderDoc)
	}
	if *format == "markdown" {
		_, err := stdout.Write(doc)
		return exitOK, err
	}
	if !*write {
		writeLadderText(stdout, rows)
	}
	for _, r := range rows {
		if !r.asRecorded() {
			return exitViolation, nil
		}
	}
	return exitOK, nil
}

// asRecorded reports whether the row still shows what it was recorded
// for: a property that holds with the feature and fails without it, or
// no difference at all.
func (r *ablationRow) asRecorded() bool {
	if r.c.property != "" {
		return r.withVerdict == "ok" && r.noVerdict == "violation"
	}
	return r.withVerdict == r.noVerdict && violationList(r.with) == violationList(r.without)
}

// violationList names an outcome's violations with their lengths.
func violationList(o *outcome) string {
	if len(o.violations) == 0 {
		return "none"
	}
	var parts []string
	for _, v := range o.violations {
		parts = append(parts, fmt.Sprintf("%s (%d)", v.property, v.length))
	}
	return strings.Join(parts, ", ")
}

// ablate runs a case's configuration with the newest release's rules and
// without the feature (and what needs it).
func ablate(c ablationCase) (ablationRow, error) {
	f, err := model.ParseFeature(c.feature)
	if err != nil {
		return ablationRow{}, err
	}
	row := ablationRow{c: c, info: f.Info()}
	off := []string{c.feature}
	for _, fi := range model.FeatureTable {
		for _, r := range fi.Requires {
			if r == f && model.ReleaseFeatures(model.Latest, model.KRaft, true).Has(fi.Feature) {
				off = append(off, fi.Name)
			}
		}
	}
	row.off = off
	base := append([]string{"--kafka-version", model.Latest.String()}, c.args...)
	if c.property != "" {
		base = append(base, "--invariants", c.property)
	}
	var ablated []string
	for _, name := range off {
		if name == model.EligibleLeaderReplicas.String() {
			ablated = append(ablated, "--eligible-leader-replicas=false")
			continue
		}
		ablated = append(ablated, "--feature", name+"=off")
	}
	for i, args := range [][]string{base, append(append([]string{}, base...), ablated...)} {
		o, err := checkArgs(args)
		if err != nil {
			return row, fmt.Errorf("ablation of %s: %v", c.feature, err)
		}
		if i == 0 {
			row.with, row.withVerdict = o, o.verdict.String()
		} else {
			row.without, row.noVerdict = o, o.verdict.String()
		}
	}
	return row, nil
}

func (r *ablationRow) command() string {
	parts := append([]string{"electcheck check", "--kafka-version", model.Latest.String()}, r.c.args...)
	for _, name := range r.off {
		if name == model.EligibleLeaderReplicas.String() {
			parts = append(parts, "--eligible-leader-replicas=false")
		} else {
			parts = append(parts, "--feature", name+"=off")
		}
	}
	if r.c.property != "" {
		parts = append(parts, "--invariants", r.c.property)
	}
	return strings.Join(parts, " ")
}

func writeLadderText(w io.Writer, rows []ablationRow) {
	fmt.Fprintf(w, "the version ladder on Kafka %s: each feature turned off alone\n\n", model.Latest)
	for _, r := range rows {
		fmt.Fprintf(w, "%s (%s, %s)\n", r.info.Name, r.info.Ref, r.info.Since)
		if r.c.property == "" {
			same := "the same verdict"
			if !r.asRecorded() {
				same = "A DIFFERENT VERDICT"
			}
			fmt.Fprintf(w, "  no counterexample: %s with it and without it (violations: %s; %s distinct states vs %s)\n  %s\n\n",
				same, violationList(r.with), commas(r.with.stats.Distinct), commas(r.without.stats.Distinct), r.c.why)
			continue
		}
		fmt.Fprintf(w, "  %s: with it %s, without it %s", r.c.property, r.withVerdict, r.noVerdict)
		if v := r.firstViolation(); v != nil {
			fmt.Fprintf(w, " in %d states: %s", v.length, strings.ReplaceAll(v.actions, "\n", ", "))
		}
		fmt.Fprintf(w, "\n  %s\n\n", r.command())
	}
}

func (r *ablationRow) firstViolation() *violationOut {
	for i := range r.without.violations {
		if r.without.violations[i].property == r.c.property {
			return &r.without.violations[i]
		}
	}
	return nil
}

// ladderMarkdown is docs/ladder.md.
func ladderMarkdown(rows []ablationRow) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# The version ladder: what each protocol fix prevents\n\n"+
		"Generated by `electcheck ablate --write`; `go test ./cmd/electcheck` fails when it is out of date.\n"+
		"Each row turns one feature of Kafka %s off (with the features that need it), and shows a\n"+
		"configuration where the property named holds with the feature and fails without it, with the\n"+
		"shortest counterexample's length in states and the command that reproduces it. The feature\n"+
		"table itself is `electcheck list features`; `docs/model.md` says what each does in the model.\n\n", model.Latest)
	b.WriteString(ladderSearch)
	b.WriteString("| feature | since | fixes | property | with it | without it | shortest counterexample |\n|---|---|---|---|---|---|---|\n")
	for _, r := range rows {
		if r.c.property == "" {
			fmt.Fprintf(&b, "| `%s` | %s | %s | none found | %s | the same | — |\n", r.info.Name, r.info.Since, r.info.Ref, r.withVerdict)
			continue
		}
		length := "—"
		if v := r.firstViolation(); v != nil {
			length = fmt.Sprintf("%d states", v.length)
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | `%s` | %s | %s | %s |\n", r.info.Name, r.info.Since, r.info.Ref, r.c.property, r.withVerdict, r.noVerdict, length)
	}
	b.WriteString("\n## Each feature\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "\n### `%s` (%s, Kafka %s)\n\n%s.\n\n", r.info.Name, r.info.Ref, r.info.Since, capitalize(r.info.Rule))
		if r.c.property == "" {
			fmt.Fprintf(&b, "**No counterexample.** %s\n\nOn `%s` the result is the same with the feature and without it: %s, violations %s (%s distinct states with it, %s without).\n",
				r.c.why, r.command(), r.withVerdict, violationList(r.with), commas(r.with.stats.Distinct), commas(r.without.stats.Distinct))
			continue
		}
		fmt.Fprintf(&b, "**The hole it closed:** %s.\n\n**Here:** %s\n\n```\n%s\n```\n\n", r.info.Hole, r.c.why, r.command())
		if v := r.firstViolation(); v != nil {
			fmt.Fprintf(&b, "Shortest counterexample, %d states (%s):\n\n```\n%s\n```\n", v.length, v.message, v.actions)
		}
	}
	return b.Bytes()
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
