package tlareplication

import (
	"fmt"
	"strings"
)

// Variant is the module whose Next relation is checked.
type Variant uint8

const (
	// HWTruncation is KafkaTruncateToHighWatermark.tla: a new follower
	// truncates to its own high watermark.
	HWTruncation Variant = iota
	// Kip101 is Kip101.tla: truncation by leader epoch lookup.
	Kip101
	// Kip279 is Kip279.tla: truncation to one past the last matching entry.
	Kip279
	// Kip320FirstTry is Kip320FirstTry.tla: fetch first, truncate on
	// mismatch, without the current epoch in fetches.
	Kip320FirstTry
	// Kip320 is Kip320.tla: fetches and truncation fenced by the leader
	// epoch.
	Kip320
	numVariants
)

var variantNames = [numVariants]string{"hw-truncation", "kip101", "kip279", "kip320-first-try", "kip320"}
var variantModules = [numVariants]string{"KafkaTruncateToHighWatermark", "Kip101", "Kip279", "Kip320FirstTry", "Kip320"}

func (v Variant) String() string { return variantNames[v] }

// Module is the TLA+ module the variant ports.
func (v Variant) Module() string { return variantModules[v] }

// Variants lists the variants' names.
func Variants() []string { return variantNames[:] }

// ParseVariant reads a variant name.
func ParseVariant(s string) (Variant, error) {
	name := strings.ToLower(strings.TrimSpace(s))
	for i, n := range variantNames {
		if name == n {
			return Variant(i), nil
		}
	}
	return 0, fmt.Errorf("unknown variant %q: tla-replication has %s", s, strings.Join(variantNames[:], ", "))
}

// Constants are the specification's constants. Replicas is the number of
// model values r1..rN in the constant set Replicas.
type Constants struct {
	Replicas       int
	LogSize        int
	MaxRecords     int
	MaxLeaderEpoch int
}

// DefaultConstants are the ones the reference TLC figures use.
func DefaultConstants() Constants {
	return Constants{Replicas: 3, LogSize: 2, MaxRecords: 2, MaxLeaderEpoch: 2}
}

func (c Constants) String() string {
	names := make([]string, c.Replicas)
	for i := range names {
		names[i] = ReplicaName(Replica(i))
	}
	return fmt.Sprintf("Replicas = {%s}, LogSize = %d, MaxRecords = %d, MaxLeaderEpoch = %d",
		strings.Join(names, ", "), c.LogSize, c.MaxRecords, c.MaxLeaderEpoch)
}

// Validate reports the first constant out of range.
func (c Constants) Validate() error {
	switch {
	case c.Replicas < 1 || c.Replicas > MaxReplicas:
		return fmt.Errorf("--replicas %d is out of range: use 1 to %d", c.Replicas, MaxReplicas)
	case c.LogSize < 1 || c.LogSize > MaxLogSize:
		return fmt.Errorf("--log-size %d is out of range: use 1 to %d", c.LogSize, MaxLogSize)
	case c.MaxRecords < 0 || c.MaxRecords > MaxRecordIDs:
		return fmt.Errorf("--max-records %d is out of range: use 0 to %d", c.MaxRecords, MaxRecordIDs)
	case c.MaxLeaderEpoch < 0 || c.MaxLeaderEpoch > MaxLeaderEpoch:
		return fmt.Errorf("--max-leader-epoch %d is out of range: use 0 to %d", c.MaxLeaderEpoch, MaxLeaderEpoch)
	}
	return nil
}

// Model is one variant under one set of constants.
type Model struct {
	v   Variant
	c   Constants
	n   Replica
	all Set
}

// New builds the model.
func New(v Variant, c Constants) (*Model, error) {
	if v >= numVariants {
		return nil, fmt.Errorf("unknown variant %d", v)
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &Model{v: v, c: c, n: Replica(c.Replicas), all: Set(1<<c.Replicas - 1)}, nil
}

// Variant is the model's variant.
func (m *Model) Variant() Variant { return m.v }

// Constants are the model's constants.
func (m *Model) Constants() Constants { return m.c }

// Init is KafkaReplication!Init: empty logs, every replica with hw 0, epoch
// Nil, no leader and an empty ISR; the quorum with epoch Nil, no leader and
// ISR = Replicas; no requests.
func (m *Model) Init() []State {
	var s State
	for r := range m.n {
		s.ReplicaState[r] = ReplicaState{HW: 0, LeaderEpoch: Nil, Leader: None}
	}
	s.QuorumState = QuorumState{LeaderEpoch: Nil, Leader: None, ISR: m.all}
	return []State{s}
}
