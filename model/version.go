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
	{4, 0}, {4, 1}, {4, 2}, {4, 3}, {4, 4},
}

// Latest is the newest release modelled, the default.
var Latest = Versions[len(Versions)-1]

func (v Version) String() string { return fmt.Sprintf("%d.%d", v.Major, v.Minor) }

// AtLeast reports whether v is release major.minor or later.
func (v Version) AtLeast(major, minor uint8) bool {
	return v.Major > major || v.Major == major && v.Minor >= minor
}

// Less orders releases.
func (v Version) Less(w Version) bool { return !v.AtLeast(w.Major, w.Minor) }

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

// DefaultUncleanLeaderElection is unclean.leader.election.enable's default in
// release v: true until 0.11 changed it (KIP-106).
func (v Version) DefaultUncleanLeaderElection() bool { return !v.AtLeast(0, 11) }

// DefaultAcks is the producer's default acks in release v: 1 until 3.0 made
// it all (KIP-679, with idempotence on by default).
func (v Version) DefaultAcks() Acks {
	if v.AtLeast(3, 0) {
		return AcksAll
	}
	return AcksLeader
}

// ControllerMode is who keeps the partition metadata: a ZooKeeper-backed
// controller or the KRaft quorum.
type ControllerMode uint8

const (
	// ZooKeeper: the controller broker writes metadata to ZooKeeper and
	// pushes LeaderAndIsr requests to brokers. The only mode before 2.8;
	// removed in 4.0 (KIP-833).
	ZooKeeper ControllerMode = iota
	// KRaft: a Raft quorum of controllers keeps the metadata log, which
	// brokers replay (KIP-500, KIP-631). Early access in 2.8, production
	// ready in 3.3 (KIP-833), the only mode from 4.0.
	KRaft
)

func (c ControllerMode) String() string {
	if c == KRaft {
		return "kraft"
	}
	return "zookeeper"
}

// ParseControllerMode accepts zookeeper, zk or kraft.
func ParseControllerMode(s string) (ControllerMode, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "zookeeper", "zk":
		return ZooKeeper, nil
	case "kraft":
		return KRaft, nil
	}
	return 0, fmt.Errorf("the controller must be zookeeper or kraft, not %q", s)
}

// Supports reports whether release v can run with controller mode c.
func (v Version) Supports(c ControllerMode) bool {
	if c == KRaft {
		return v.AtLeast(2, 8)
	}
	return !v.AtLeast(4, 0)
}

// DefaultController is the controller a new cluster of release v uses:
// ZooKeeper until KRaft was declared production ready in 3.3 (KIP-833),
// KRaft from then on (the only choice from 4.0).
func (v Version) DefaultController() ControllerMode {
	if v.AtLeast(3, 3) {
		return KRaft
	}
	return ZooKeeper
}
