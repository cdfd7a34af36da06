package model

import (
	"fmt"
	"strconv"
	"strings"
)

// Version is a Kafka release, major.minor (0.10, 2.1, 4.1). Patch releases
// never changed the replication protocol, so they are accepted and dropped.
type Version struct {
	Major, Minor uint8
}

// Versions lists every release electcheck models, oldest first.
var Versions = []Version{
	{0, 10}, {0, 11},
	{1, 0}, {1, 1},
	{2, 0}, {2, 1}, {2, 2}, {2, 3}, {2, 4}, {2, 5}, {2, 6}, {2, 7}, {2, 8},
	{3, 0}, {3, 1}, {3, 2}, {3, 3}, {3, 4}, {3, 5}, {3, 6}, {3, 7}, {3, 8}, {3, 9},
	{4, 0}, {4, 1},
}

// Latest is the newest release modelled, the default.
var Latest = Versions[len(Versions)-1]

func (v Version) String() string { return fmt.Sprintf("%d.%d", v.Major, v.Minor) }

// AtLeast reports whether v is release major.minor or later.
func (v Version) AtLeast(major, minor uint8) bool {
	return v.Major > major || v.Major == major && v.Minor >= minor
}

// ParseVersion accepts "2.1", "2.1.0", "0.10", "0.10.2" or "0.10.2.1".
func ParseVersion(s string) (Version, error) {
	parts := strings.Split(strings.TrimSpace(s), ".")
	bad := fmt.Errorf("unknown Kafka version %q: use a release from 0.10 to %s, such as 2.1 or 3.7", s, Latest)
	if len(parts) < 2 || len(parts) > 4 {
		return Version{}, bad
	}
	nums := make([]int, len(parts))
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || n > 255 || p == "" || p[0] == '+' {
			return Version{}, bad
		}
		nums[i] = n
	}
	// Only the 0.x line has four-part versions (0.10.2.1).
	if len(parts) == 4 && nums[0] != 0 {
		return Version{}, bad
	}
	v := Version{uint8(nums[0]), uint8(nums[1])}
	for _, known := range Versions {
		if known == v {
			return v, nil
		}
	}
	return Version{}, bad
}

// Truncation is how a follower finds where its log stops agreeing with the
// leader's.
type Truncation uint8

const (
	// TruncateToHighWatermark is Kafka 0.10 and before: a replica that becomes
	// a follower truncates its log to its own high watermark, which lags the
	// leader's by a fetch round trip (the hole KIP-101 describes).
	TruncateToHighWatermark Truncation = iota
	// TruncateToLeaderEpoch is Kafka 0.11 and later: the follower truncates to
	// the point where its epochs stop matching the leader's (KIP-101, iterated
	// as in KIP-279), and fetches are fenced by the current leader epoch
	// (KIP-320).
	TruncateToLeaderEpoch
)

func (t Truncation) String() string {
	if t == TruncateToHighWatermark {
		return "high-watermark truncation"
	}
	return "leader-epoch truncation with fenced fetch"
}

// Features is the set of protocol rules a Kafka version has. Each field names
// the KIP or JIRA that introduced it.
type Features struct {
	Truncation Truncation
	// BrokerEpochs (KIP-903, 3.5): the controller refuses to add to the ISR a
	// broker whose fetch state predates its latest restart.
	BrokerEpochs bool
	// StrictMinISR (KAFKA-15583, 3.7): the leader does not advance the high
	// watermark while the ISR is smaller than min.insync.replicas.
	StrictMinISR bool
}

// Features returns the replication rules of release v.
//
// Releases 0.11 to 2.0 are modelled with the 2.1 rules for now: the separate
// KIP-101 (0.11) and KIP-279 (2.0) generations belong to the version ladder.
// KIP-497's maximal ISR (2.7) changes nothing here because ISR updates are
// atomic in this model. KIP-966's eligible leader replicas (4.0 opt-in, 4.1
// default for new clusters) are not modelled yet.
func (v Version) Features() Features {
	f := Features{Truncation: TruncateToLeaderEpoch}
	if !v.AtLeast(0, 11) {
		f.Truncation = TruncateToHighWatermark
	}
	f.BrokerEpochs = v.AtLeast(3, 5)
	f.StrictMinISR = v.AtLeast(3, 7)
	return f
}

// DefaultUncleanLeaderElection is unclean.leader.election.enable's default in
// release v: true until 0.11 changed it (KIP-106).
func (v Version) DefaultUncleanLeaderElection() bool { return !v.AtLeast(0, 11) }
