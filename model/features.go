package model

import (
	"fmt"
	"slices"
	"strings"
)

// Feature is one protocol rule that some Kafka release introduced. Each can
// be switched on or off on its own (--feature NAME=on|off) for what-if
// research; a release picks the set it shipped with (ReleaseFeatures).
type Feature uint8

// The features, oldest first. The table FeatureTable says what each does
// and where it comes from.
const (
	EpochTruncation Feature = iota
	IteratedTruncation
	EpochChangeTruncation
	FencedFetch
	EpochCachedOnElection
	ISRJoinEpochStart
	HideLaggingHW
	AsyncISR
	MaximalISR
	LeaderRecovery
	FencedReplicasBarred
	BrokerEpochISR
	ISRShrinkKeepsEpoch
	StrictMinISR
	EligibleLeaderReplicas
	LastLeaderUnfenced
	numFeatures
)

// FeatureInfo describes a feature: its switch name, the release and KIP or
// JIRA that introduced it, and what it changes in the model.
type FeatureInfo struct {
	Feature Feature
	// Name is the switch's name (--feature NAME=on|off).
	Name string
	// Ref is the KIP or JIRA, which --feature also accepts as the name
	// ("kip-320").
	Ref string
	// Since is the first release line that has it.
	Since Version
	// Backported are the patch releases of earlier lines that shipped it
	// too: each line's releases from that one on have it (2.0.1 has three
	// of 2.1's fixes).
	Backported []Version
	// KRaftOnly: the rule exists only with the KRaft controller.
	KRaftOnly bool
	// Requires names a feature this one cannot work without.
	Requires []Feature
	// Rule is what the model does with the feature on; Hole is what can go
	// wrong without it.
	Rule, Hole string
}

// FeatureTable is the version ladder: every protocol rule the model can
// switch, in the order releases introduced them.
var FeatureTable = [numFeatures]FeatureInfo{
	{
		Feature: EpochTruncation, Name: "epoch-truncation", Ref: "KIP-101", Since: line(0, 11),
		Rule: "a follower that starts following a new leader asks it where the epoch of its last entry ended (OffsetsForLeaderEpoch) and truncates there, instead of to its own high watermark",
		Hole: "a follower truncated to its lagging high watermark, dropping committed records it then could not supply as leader; after a power failure, replicas' logs diverged",
	},
	{
		Feature: IteratedTruncation, Name: "iterated-truncation", Ref: "KIP-279", Since: line(2, 0),
		Requires: []Feature{EpochTruncation},
		Rule:     "the leader answers with the largest epoch it has up to the one asked about; the follower truncates to the end of that epoch in its own log as well, asking again until the epochs match",
		Hole:     "after fast consecutive leader changes one lookup landed inside an epoch the leader never had, leaving the follower's log diverged (KAFKA-6361)",
	},
	{
		// apache/kafka 5152c80129c on branch 2.0 (tag 2.0.1), 69283b4038a
		// on trunk (2.1); not KIP-320, which 2.0.1 does not have.
		Feature: EpochChangeTruncation, Name: "epoch-change-truncation", Ref: "KAFKA-7164", Since: line(2, 1), Backported: []Version{patch(2, 0, "1")},
		Requires: []Feature{EpochTruncation},
		Rule:     "a follower looks up where to truncate after every change of leader epoch it learns, not only after a change of leader",
		Hole:     "a follower that missed epochs under the same leader kept entries the leader had truncated, and the logs diverged",
	},
	{
		// KAFKA-7395, apache/kafka bcef30d614b on branch 2.1.
		Feature: FencedFetch, Name: "fenced-fetch", Ref: "KIP-320", Since: line(2, 1),
		Requires: []Feature{EpochChangeTruncation},
		Rule:     "fetches and epoch lookups carry the follower's leader epoch and a leader refuses any other; a follower looks its truncation up before every fetch",
		Hole:     "a follower fetched from, or truncated against, a leader of another epoch",
	},
	{
		// apache/kafka 18b25773b11 on branch 2.0 (tag 2.0.1).
		Feature: EpochCachedOnElection, Name: "leader-epoch-cached", Ref: "KAFKA-7415", Since: line(2, 1), Backported: []Version{patch(2, 0, "1")},
		Rule: "a new leader records its epoch, at its log end offset, as soon as it is elected, so it can answer epoch lookups before it appends",
		Hole: "a new leader that had not yet appended answered a follower's lookup with UNDEFINED, and the follower fell back to truncating to its high watermark",
	},
	{
		// apache/kafka 7a352117c20 on branch 2.0 (tag 2.0.1).
		Feature: ISRJoinEpochStart, Name: "isr-join-epoch-start", Ref: "KAFKA-7128", Since: line(2, 1), Backported: []Version{patch(2, 0, "1")},
		Rule: "a follower joins the ISR only once it has fetched up to the leader's epoch start offset as well as its high watermark",
		Hole: "a new leader's high watermark lags; a follower that reached it but not the records of earlier epochs joined the ISR and was then elected without committed records",
	},
	{
		Feature: HideLaggingHW, Name: "hide-lagging-hw", Ref: "KIP-207", Since: line(2, 2),
		Rule: "a new leader does not expose its high watermark (ListOffsets answers OFFSET_NOT_AVAILABLE) until it reaches the start of its epoch",
		Hole: "after a clean failover the latest offset clients saw went backwards (KAFKA-2334)",
	},
	{
		Feature: AsyncISR, Name: "alter-partition", Ref: "KIP-497", Since: line(2, 7),
		Rule: "a leader proposes ISR changes to the controller (AlterIsr, later AlterPartition) and waits for the answer, one at a time, instead of writing the ISR to ZooKeeper itself",
		Hole: "",
	},
	{
		Feature: MaximalISR, Name: "maximal-isr", Ref: "KIP-497", Since: line(2, 7),
		Requires: []Feature{AsyncISR},
		Rule:     "while an ISR change is in flight the leader computes its high watermark over the maximal ISR: the committed members and the ones it proposes to add",
		Hole:     "with asynchronous ISR updates, a leader counting a shrink before the controller accepted it, or not counting a member it proposed to add, committed records a member of the controller's ISR lacked",
	},
	{
		Feature: LeaderRecovery, Name: "leader-recovery", Ref: "KIP-704", Since: line(3, 2),
		Rule: "after an unclean election the partition is marked RECOVERING until its leader reports it recovered; the leader does so at once, so nothing it does changes (the state is shown, not acted on)",
		Hole: "",
	},
	{
		// KAFKA-13916 (KRaft, ReplicationControlManager) and KAFKA-14140
		// (ZooKeeper, KafkaController.processAlterPartition: the ISR less
		// the live, not shutting-down brokers), both in 3.3.0.
		Feature: FencedReplicasBarred, Name: "fenced-replicas-barred", Ref: "KIP-841", Since: line(3, 3),
		Rule: "the controller refuses an ISR that names a fenced broker",
		Hole: "a broker the controller had fenced, but which resumed fetching, was added back to the ISR by its leader before it registered again",
	},
	{
		Feature: BrokerEpochISR, Name: "broker-epoch-isr", Ref: "KIP-903", Since: line(3, 5), KRaftOnly: true,
		Rule: "ISR expansions carry the follower's broker epoch from its fetch; the controller refuses one based on fetches from before the broker's latest restart",
		Hole: "a broker back with an empty disk was re-added to the ISR on the strength of fetches from before its restart",
	},
	{
		Feature: ISRShrinkKeepsEpoch, Name: "isr-shrink-keeps-epoch", Ref: "KAFKA-15021", Since: line(3, 6), KRaftOnly: true,
		Rule: "the KRaft controller no longer bumps the leader epoch when the ISR shrinks (metadata version 3.6)",
		Hole: "",
	},
	{
		Feature: StrictMinISR, Name: "strict-min-isr", Ref: "KAFKA-15583", Since: line(3, 7),
		Rule: "the leader does not advance the high watermark while its ISR is smaller than min.insync.replicas",
		Hole: "records were committed by an ISR below min.insync.replicas; eligible leader replicas rely on the high watermark standing still then",
	},
	{
		Feature: EligibleLeaderReplicas, Name: "eligible-leader-replicas", Ref: "KIP-966", Since: line(4, 0), KRaftOnly: true,
		Rule: "replicas leaving an ISR smaller than min.insync.replicas join the eligible leader replicas (ELR) and the ISR may become empty; a broker that registers after an unclean shutdown leaves the ISR and the ELR; with the ISR empty an unfenced ELR member is elected, and with the ELR empty too the last known leader (an unclean election)",
		Hole: "the last ISR member lost its unflushed records in a power loss, came back and was elected cleanly (last replica standing)",
	},
	{
		Feature: LastLeaderUnfenced, Name: "last-leader-unfenced", Ref: "KAFKA-19522", Since: line(4, 1), KRaftOnly: true,
		Requires: []Feature{EligibleLeaderReplicas},
		Rule:     "the last known leader is elected only once it is unfenced",
		Hole:     "4.0 could elect a fenced last known leader",
	},
}

// FeatureSet is a set of features.
type FeatureSet uint32

// Has reports whether f is in the set.
func (s FeatureSet) Has(f Feature) bool { return s&(1<<f) != 0 }

// With returns the set plus f.
func (s FeatureSet) With(f Feature) FeatureSet { return s | 1<<f }

// Without returns the set minus f.
func (s FeatureSet) Without(f Feature) FeatureSet { return s &^ (1 << f) }

// Names lists the features in the set, in table order.
func (s FeatureSet) Names() []string {
	var out []string
	for _, fi := range FeatureTable {
		if s.Has(fi.Feature) {
			out = append(out, fi.Name)
		}
	}
	return out
}

func (f Feature) String() string {
	if f < numFeatures {
		return FeatureTable[f].Name
	}
	return "invalid"
}

// Info is f's row of the table.
func (f Feature) Info() FeatureInfo { return FeatureTable[f] }

// ParseFeature accepts a feature's name or its KIP or JIRA ("kip-320").
func ParseFeature(s string) (Feature, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	var byRef []FeatureInfo
	for _, fi := range FeatureTable {
		if s == fi.Name {
			return fi.Feature, nil
		}
		if s == strings.ToLower(fi.Ref) {
			byRef = append(byRef, fi)
		}
	}
	switch len(byRef) {
	case 1:
		return byRef[0].Feature, nil
	case 2:
		return 0, fmt.Errorf("%s names two features, %s and %s: use the name of one", byRef[0].Ref, byRef[0].Name, byRef[1].Name)
	}
	names := make([]string, len(FeatureTable))
	for i, fi := range FeatureTable {
		names[i] = fi.Name
	}
	return 0, fmt.Errorf("unknown feature %q: use one of %s (or its KIP or JIRA, such as kip-320); 'electcheck list features' describes them", s, strings.Join(names, ", "))
}

// ELRDefault reports whether eligible leader replicas are on in a new
// cluster of release v: opt-in in 4.0 (the eligible.leader.replicas.version
// feature), on by default for new clusters from 4.1.
func (v Version) ELRDefault() bool { return v.AtLeast(4, 1) }

// ELRAvailable reports whether release v can turn eligible leader replicas
// on at all.
func (v Version) ELRAvailable() bool { return v.AtLeast(4, 0) }

// Shipped says in which releases the feature shipped: "2.1", or "2.1 and
// 2.0.1" where it was backported.
func (fi *FeatureInfo) Shipped() string {
	if len(fi.Backported) == 0 {
		return fi.Since.String()
	}
	var b []string
	for _, v := range fi.Backported {
		b = append(b, v.String())
	}
	return fi.Since.String() + " and " + strings.Join(b, ", ")
}

// line is release line major.minor; patch a patch release of it.
func line(major, minor uint8) Version { return Version{Major: major, Minor: minor} }

func patch(major, minor uint8, p string) Version {
	return Version{Major: major, Minor: minor, Patch: p}
}

// In reports whether release v has the feature: its line is the feature's
// or later, or v is a patch release the feature was backported to (or a
// later one of that line).
func (fi *FeatureInfo) In(v Version) bool {
	if !v.Less(fi.Since) {
		return true
	}
	for _, b := range fi.Backported {
		if v.PatchAtLeast(b) {
			return true
		}
	}
	return false
}

// ReleaseFeatures is the set of rules release v has with controller c, and
// with eligible leader replicas on or off (where v offers the choice).
func ReleaseFeatures(v Version, c ControllerMode, elr bool) FeatureSet {
	var s FeatureSet
	for i := range FeatureTable {
		fi := &FeatureTable[i]
		if !fi.In(v) || fi.KRaftOnly && c != KRaft {
			continue
		}
		if !elr && (fi.Feature == EligibleLeaderReplicas || slices.Contains(fi.Requires, EligibleLeaderReplicas)) {
			continue
		}
		s = s.With(fi.Feature)
	}
	return s
}

// Overrides are --feature switches: features forced on or off whatever the
// release has.
type Overrides struct {
	On, Off FeatureSet
}

// Set forces f on or off.
func (o *Overrides) Set(f Feature, on bool) {
	if on {
		o.On, o.Off = o.On.With(f), o.Off.Without(f)
	} else {
		o.On, o.Off = o.On.Without(f), o.Off.With(f)
	}
}

// Clear leaves f to the release's rules.
func (o *Overrides) Clear(f Feature) { o.On, o.Off = o.On.Without(f), o.Off.Without(f) }

// Apply returns s with the overrides applied.
func (o Overrides) Apply(s FeatureSet) FeatureSet { return s&^o.Off | o.On }

// Has reports whether f is overridden, and to what.
func (o Overrides) Has(f Feature) (on, set bool) {
	switch {
	case o.On.Has(f):
		return true, true
	case o.Off.Has(f):
		return false, true
	}
	return false, false
}

// String lists the overrides as NAME=on,NAME=off in table order.
func (o Overrides) String() string {
	var parts []string
	for _, fi := range FeatureTable {
		if on, set := o.Has(fi.Feature); set {
			parts = append(parts, fi.Name+"="+onOff(on))
		}
	}
	return strings.Join(parts, ",")
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// checkFeatures says why a set of features cannot work together with
// controller c, or "".
func checkFeatures(s FeatureSet, c ControllerMode) error {
	for _, fi := range FeatureTable {
		if !s.Has(fi.Feature) {
			continue
		}
		if fi.KRaftOnly && c != KRaft {
			return fmt.Errorf("%s (%s) exists only with the KRaft controller: use --controller kraft, or turn it off", fi.Name, fi.Ref)
		}
		for _, r := range fi.Requires {
			if !s.Has(r) {
				return fmt.Errorf("%s (%s) needs %s (%s): turn %s on, or %s off too", fi.Name, fi.Ref, r, r.Info().Ref, r, fi.Name)
			}
		}
	}
	return nil
}

// Releases lists the releases (with a controller and ELR choice) whose rules
// are exactly s: empty when no release had this combination. A patch
// release is listed where a backport gave it rules of its own (2.0.1).
func Releases(s FeatureSet, c ControllerMode) []Version {
	var out []Version
	for _, v := range rulesReleases() {
		if !v.Supports(c) {
			continue
		}
		if ReleaseFeatures(v, c, false) == s || v.ELRAvailable() && c == KRaft && ReleaseFeatures(v, c, true) == s {
			out = append(out, v)
		}
	}
	return out
}

// rulesReleases are the release lines, and after each the patch releases
// that backports gave rules of their own.
func rulesReleases() []Version {
	var out []Version
	for _, v := range Versions {
		out = append(out, v)
		for _, fi := range FeatureTable {
			for _, b := range fi.Backported {
				if b.Line() == v && !slices.Contains(out, b) {
					out = append(out, b)
				}
			}
		}
	}
	return out
}
