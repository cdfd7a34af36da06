package checker

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"electcheck/explore"
	"electcheck/model"
)

// ablationCase is one row of the version ladder (docs/ladder.md): a
// feature of the newest release, and the configuration where turning it
// off, alone, breaks a property that holds with it. Cases without a
// property are features whose removal changes no verdict the model can
// reach; why says why.
type ablationCase struct {
	feature string
	// settings are the configuration's, on the newest release.
	settings Settings
	// property is the property the feature protects in that
	// configuration, "" if none.
	property string
	why      string
}

// ablationCases were found by searching configurations for one where the
// newest release holds and the release without the feature does not
// (ladderSearch says how); in table order.
var ablationCases = []ablationCase{
	{"epoch-truncation", Settings{"replication.factor=2", "min.insync.replicas=2", "electcheck.crashes=1", "electcheck.clean.shutdowns=1"}, "committed-offsets-preserved",
		"A follower that restarts truncates to its own high watermark, which lags the leader's, and is then elected cleanly without the committed record (KIP-101's first scenario)."},
	{"iterated-truncation", Settings{"replication.factor=2", "min.insync.replicas=1", "electcheck.records=3", "electcheck.crashes=2", "electcheck.max.leader.epoch=3"}, "no-log-divergence",
		"One lookup lands in an epoch the leader never had, and the follower keeps entries the leader does not have (KAFKA-6361)."},
	{"epoch-change-truncation", Settings{"replication.factor=3", "min.insync.replicas=1", "electcheck.records=1", "electcheck.crashes=2", "electcheck.max.leader.epoch=3", "electcheck.consumer=false"}, "committed-offsets-preserved",
		"Turned off, it takes fenced-fetch (which needs it) with it, and the follower of fenced-fetch's row loses the committed record. On its own, on 2.0.1's rules (which have it without KIP-320), the configurations of the KAFKA-6361, KAFKA-7415 and KAFKA-7128 rows give the same verdicts with it and without it."},
	{"fenced-fetch", Settings{"replication.factor=3", "min.insync.replicas=1", "electcheck.records=1", "electcheck.crashes=2", "electcheck.max.leader.epoch=3", "electcheck.consumer=false"}, "committed-offsets-preserved",
		"A follower that missed an epoch under the same leader does not truncate again, or fetches from a leader of another epoch."},
	{"leader-epoch-cached", Settings{"replication.factor=2", "min.insync.replicas=1", "electcheck.records=3", "electcheck.crashes=2", "electcheck.max.leader.epoch=3"}, "no-log-divergence",
		"A new leader that has not appended answers a lookup for an epoch below its first with UNDEFINED, and the follower keeps a diverged entry."},
	{"isr-join-epoch-start", Settings{"replication.factor=2", "min.insync.replicas=2", "electcheck.crashes=0", "electcheck.pauses=1", "electcheck.power.losses=1"}, "committed-offsets-preserved",
		"A follower that reached a new leader's lagging high watermark joins the ISR without the records of earlier epochs (KAFKA-7128)."},
	{"hide-lagging-hw", Settings{"replication.factor=2", "min.insync.replicas=1", "electcheck.crashes=2"}, "hw-monotonic",
		"The latest offset a client was told goes backwards after a clean failover (KAFKA-2334)."},
	{"alter-partition", Settings{"replication.factor=2", "min.insync.replicas=1", "electcheck.crashes=2"}, "",
		"Turning it off gives the synchronous ZooKeeper write of 2.6 and before, which is as safe: the hole KIP-497's maximal ISR closes exists only because the update became asynchronous (see maximal-isr). A mechanism, not a fix."},
	{"maximal-isr", Settings{"replication.factor=2", "min.insync.replicas=1", "electcheck.crashes=2"}, "committed-offsets-preserved",
		"The leader counts a shrink before the controller accepted it; the controller's ISR still names the follower it dropped, which is elected without the record."},
	{"leader-recovery", Settings{"replication.factor=3", "min.insync.replicas=2", "unclean.leader.election.enable=true", "electcheck.records=1"}, "",
		"As shipped (3.2 to 4.4) a leader elected uncleanly marks the partition recovered at once (Partition.makeLeader), so nothing it does changes and the model keeps no state for it: a hook for recovery work, not a safety fix. Turning it off only changes the text of an unclean election."},
	{"fenced-replicas-barred", Settings{"replication.factor=2", "min.insync.replicas=1", "electcheck.crashes=0", "electcheck.pauses=2"}, "",
		"The broker KIP-841 keeps out of the ISR is fenced, and the controller elects no fenced broker; one that a leader adds has fetched up to the high watermark first. Its presence in the ISR costs availability (an ISR member that cannot be elected), not data: not needed for safety in this model."},
	{"broker-epoch-isr", Settings{"replication.factor=2", "min.insync.replicas=2", "electcheck.crashes=0", "electcheck.pauses=1", "electcheck.power.losses=1"}, "committed-offsets-preserved",
		"A broker that lost its unflushed records in a power loss is re-added to the ISR on the strength of its fetches before the restart."},
	{"isr-shrink-keeps-epoch", Settings{"replication.factor=2", "min.insync.replicas=1", "electcheck.crashes=2"}, "",
		"Bumping the leader epoch on every ISR shrink only fences more: followers must learn the new epoch before they fetch again. Kafka stopped it (KAFKA-15021) together with a fix to how caught-up replicas count towards the high watermark, which the model does not need (it counts the ISR only): a performance change, not a safety fix."},
	{"strict-min-isr", Settings{"replication.factor=2", "min.insync.replicas=2", "electcheck.crashes=2"}, "committed-offsets-preserved",
		"The high watermark advances on an ISR below min.insync.replicas, so an eligible leader replica lacks a committed record and is elected."},
	{"eligible-leader-replicas", Settings{"replication.factor=2", "min.insync.replicas=2", "electcheck.crashes=0", "electcheck.pauses=1", "electcheck.power.losses=1"}, "committed-offsets-preserved",
		"The last replica standing: the last ISR member loses power, returns as the whole ISR and is elected cleanly."},
	{"last-leader-unfenced", Settings{"replication.factor=2", "min.insync.replicas=2", "electcheck.crashes=3", "electcheck.max.leader.epoch=4"}, "",
		"Electing a fenced last known leader (4.0) leaves the partition with a leader that cannot act until it registers again, when it would be elected anyway: an availability bug, not a safety one. Three crashes reach it here (the state counts differ); the verdicts do not."},
}

// AblationRow is one feature turned off: the configuration, and the
// outcomes with the feature and without it.
type AblationRow struct {
	Feature model.FeatureInfo
	// Property is the property the feature protects in the row's
	// configuration, "" if none was found; Why says how (or why not).
	Property, Why string
	// Settings are the configuration's, on the newest release; Off the
	// settings that turn the feature (and what needs it) off.
	Settings, Off Settings
	With, Without *Outcome
}

// AblateOptions say how to run the version ladder.
type AblateOptions struct {
	// Context stops it (Ctrl-C): the rows finished are returned.
	Context context.Context
	// Progress, if set, is told of each row before it runs.
	Progress func(done, total int, feature string)
}

// Ablate runs the version ladder: each case with the newest release's
// rules and without the feature. Stopped by its context, it returns the
// rows finished before, and the context's error.
func Ablate(opts AblateOptions) ([]AblationRow, error) {
	var rows []AblationRow
	for i, c := range ablationCases {
		if opts.Context != nil && opts.Context.Err() != nil {
			return rows, opts.Context.Err()
		}
		if opts.Progress != nil {
			opts.Progress(i, len(ablationCases), c.feature)
		}
		row, err := ablate(c, opts.Context)
		if err != nil {
			return rows, err
		}
		if opts.Context != nil && opts.Context.Err() != nil {
			// The row's searches were cut short: not a finished row.
			return rows, opts.Context.Err()
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// AsRecorded reports whether the row still shows what it was recorded
// for: a property that holds with the feature and fails without it, or
// no difference at all.
func (r *AblationRow) AsRecorded() bool {
	if r.Property != "" {
		return r.With.Verdict == explore.OK && r.Without.Verdict == explore.Violation
	}
	return r.With.Verdict == r.Without.Verdict && ViolationList(r.With) == ViolationList(r.Without)
}

// ViolationList names an outcome's violations with their lengths.
func ViolationList(o *Outcome) string {
	if len(o.Violations) == 0 {
		return "none"
	}
	var parts []string
	for _, v := range o.Violations {
		parts = append(parts, fmt.Sprintf("%s (%d)", v.Property, v.Length))
	}
	return strings.Join(parts, ", ")
}

// ablate runs a case's configuration with the newest release's rules and
// without the feature (and what needs it).
func ablate(c ablationCase, ctx context.Context) (AblationRow, error) {
	f, err := model.ParseFeature(c.feature)
	if err != nil {
		return AblationRow{}, err
	}
	row := AblationRow{Feature: f.Info(), Property: c.property, Why: c.why,
		Settings: append(Settings{"electcheck.kafka.version=" + model.Latest.String()}, c.settings...)}
	// The feature, and every feature of the release that needs it, at one
	// remove or more (fenced-fetch needs epoch-change-truncation, which
	// needs epoch-truncation).
	newest := model.ReleaseFeatures(model.Latest, model.KRaft, true)
	off := []model.Feature{f}
	for grew := true; grew; {
		grew = false
		for _, fi := range model.FeatureTable {
			for _, r := range fi.Requires {
				if slices.Contains(off, r) && newest.Has(fi.Feature) && !slices.Contains(off, fi.Feature) {
					off, grew = append(off, fi.Feature), true
				}
			}
		}
	}
	for _, g := range off {
		if g == model.EligibleLeaderReplicas {
			// The release's own switch, not a what-if.
			row.Off = append(row.Off, "eligible.leader.replicas.version=false")
			continue
		}
		row.Off = append(row.Off, model.FeatureSetting(g).Key+"=off")
	}
	for i, s := range []Settings{row.Settings, append(append(Settings{}, row.Settings...), row.Off...)} {
		req, err := KafkaRequest(s)
		if err != nil {
			return row, fmt.Errorf("ablation of %s: %v", c.feature, err)
		}
		if c.property != "" {
			req.Properties = []string{c.property}
		}
		// Two workers: the same result with any number; this is speed.
		o, err := Check(req, Search{Workers: 2, Context: ctx})
		if err != nil {
			return row, fmt.Errorf("ablation of %s: %v", c.feature, err)
		}
		if i == 0 {
			row.With = o
		} else {
			row.Without = o
		}
	}
	return row, nil
}

// Command is the check without the feature, as a command line.
func (r *AblationRow) Command() string {
	parts := append([]string{"electcheck check"}, r.Settings.Flags()...)
	parts = append(parts, r.Off.Flags()...)
	if r.Property != "" {
		parts = append(parts, "--invariants", r.Property)
	}
	return strings.Join(parts, " ")
}

// WriteLadderText writes the ladder for a terminal.
func WriteLadderText(w io.Writer, rows []AblationRow) {
	fmt.Fprintf(w, "the version ladder on Kafka %s: each feature turned off alone\n\n", model.Latest)
	for _, r := range rows {
		fmt.Fprintf(w, "%s (%s, %s)\n", r.Feature.Name, r.Feature.Ref, r.Feature.Shipped())
		if r.Property == "" {
			same := "the same verdict"
			if !r.AsRecorded() {
				same = "A DIFFERENT VERDICT"
			}
			fmt.Fprintf(w, "  no counterexample: %s with it and without it (violations: %s; %s distinct states vs %s)\n  %s\n\n",
				same, ViolationList(r.With), Commas(r.With.Stats.Distinct), Commas(r.Without.Stats.Distinct), r.Why)
			continue
		}
		fmt.Fprintf(w, "  %s: with it %s, without it %s", r.Property, r.With.Verdict, r.Without.Verdict)
		if v := r.FirstViolation(); v != nil {
			fmt.Fprintf(w, " in %d states: %s", v.Length, strings.ReplaceAll(v.Actions, "\n", ", "))
		}
		fmt.Fprintf(w, "\n  %s\n\n", r.Command())
	}
}

// FirstViolation is the counterexample of the row's property without the
// feature, or nil.
func (r *AblationRow) FirstViolation() *Violation {
	v, _ := r.Without.Violated(r.Property)
	return v
}
