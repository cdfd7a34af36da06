package model

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Version is a Kafka release: a release line major.minor (0.10, 2.1,
// 4.1), and the patch release as written after it, if one was named ("1"
// in 2.0.1, "2.1" in 0.10.2.1). The line decides the rules, but for the
// fixes backported to a patch release (FeatureInfo.Backported: 2.0.1 has
// three of 2.1's), and every output names the release as given.
type Version struct {
	Major, Minor uint8
	// Patch is "" when only the line was named ("2.0").
	Patch string
}

// Versions lists every release line electcheck models, oldest first.
var Versions = []Version{
	{0, 10, ""}, {0, 11, ""},
	{1, 0, ""}, {1, 1, ""},
	{2, 0, ""}, {2, 1, ""}, {2, 2, ""}, {2, 3, ""}, {2, 4, ""}, {2, 5, ""}, {2, 6, ""}, {2, 7, ""}, {2, 8, ""},
	{3, 0, ""}, {3, 1, ""}, {3, 2, ""}, {3, 3, ""}, {3, 4, ""}, {3, 5, ""}, {3, 6, ""}, {3, 7, ""}, {3, 8, ""}, {3, 9, ""},
	{4, 0, ""}, {4, 1, ""}, {4, 2, ""}, {4, 3, ""}, {4, 4, ""},
}

// Latest is the newest release line modelled, the default.
var Latest = Versions[len(Versions)-1]

func (v Version) String() string {
	if v.Patch == "" {
		return fmt.Sprintf("%d.%d", v.Major, v.Minor)
	}
	return fmt.Sprintf("%d.%d.%s", v.Major, v.Minor, v.Patch)
}

// Line is the release line v belongs to: v without its patch.
func (v Version) Line() Version { return Version{Major: v.Major, Minor: v.Minor} }

// AtLeast reports whether v's line is major.minor or later.
func (v Version) AtLeast(major, minor uint8) bool {
	return v.Major > major || v.Major == major && v.Minor >= minor
}

// Less orders release lines (patch releases of one line are not less
// than each other: see PatchAtLeast).
func (v Version) Less(w Version) bool { return !v.AtLeast(w.Major, w.Minor) }

// PatchAtLeast reports whether v is patch release w or a later one of the
// same line ("2.0.1" is at least "2.0.1"; "2.0" and "2.0.0" are not).
func (v Version) PatchAtLeast(w Version) bool {
	if v.Line() != w.Line() || v.Patch == "" {
		return false
	}
	a, b := strings.Split(v.Patch, "."), strings.Split(w.Patch, ".")
	for i := 0; i < len(a) || i < len(b); i++ {
		x, y := patchPart(a, i), patchPart(b, i)
		if x != y {
			return x > y
		}
	}
	return true
}

func patchPart(parts []string, i int) int {
	if i >= len(parts) {
		return 0
	}
	n, _ := strconv.Atoi(parts[i])
	return n
}

// ParseVersion accepts a release line ("2.1", "0.10") or a patch release
// Kafka shipped ("2.1.0", "2.0.1", "0.10.2", "0.10.2.1"). A patch release
// Kafka never shipped is an error that lists those of its line.
func ParseVersion(s string) (Version, error) {
	parts := strings.Split(strings.TrimSpace(s), ".")
	bad := fmt.Errorf("unknown Kafka version %q: use a release from 0.10 to %s, such as 2.1 or 3.7, or a patch release such as 2.0.1", s, Latest)
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
	line := Version{Major: uint8(nums[0]), Minor: uint8(nums[1])}
	if !slices.Contains(Versions, line) {
		return Version{}, bad
	}
	if len(parts) == 2 {
		return line, nil
	}
	v := line
	for i, n := range nums[2:] {
		if i > 0 {
			v.Patch += "."
		}
		v.Patch += strconv.Itoa(n)
	}
	if !v.Shipped() {
		return Version{}, fmt.Errorf("there is no Kafka %s: the %s line's releases are %s", v, line, strings.Join(line.patchNames(), ", "))
	}
	return v, nil
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

// DefaultController is the controller a cluster of release v gets from
// Kafka's own config/server.properties: ZooKeeper before 4.0 (on 3.3 to
// 3.9, where KRaft was production ready (KIP-833), the shipped
// server.properties still sets zookeeper.connect and the KRaft one is
// config/kraft/server.properties), KRaft from 4.0, the only mode.
func (v Version) DefaultController() ControllerMode {
	if v.AtLeast(4, 0) {
		return KRaft
	}
	return ZooKeeper
}
