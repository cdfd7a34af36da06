package model

import (
	"strconv"
	"strings"
)

// Limits of the representation. A state is a fixed-size value (no pointers,
// no slices) so that copying it is cheap and Next never allocates.
const (
	// MaxReplicas is the largest replication factor the model accepts.
	MaxReplicas = 5
	// MaxRecords is the largest number of records a run may produce. It is
	// sized for the scenario scripts (seed 004 needs offsets 0..20); an
	// exhaustive search becomes impractical long before it.
	MaxRecords = 24
	// MaxEpoch is the largest leader epoch the representation can hold;
	// the controller keeps the term of every epoch (Controller.History).
	MaxEpoch = 15
)

// BrokerID names a replica, 1..ReplicationFactor. The zero value is None.
type BrokerID uint8

// None is the absent broker: no leader, or no one elected.
const None BrokerID = 0

func (b BrokerID) String() string {
	if b == None {
		return "none"
	}
	return strconv.Itoa(int(b))
}

// Offset is a position in a partition log. Used as a log end offset (LEO) or
// high watermark (HW) it is exclusive: the offset the next record will get.
type Offset uint8

func (o Offset) String() string { return strconv.Itoa(int(o)) }

// Epoch is a leader epoch. The controller bumps it on every leader election;
// every log entry records the epoch of the leader that appended it (KIP-101).
type Epoch uint8

func (e Epoch) String() string { return strconv.Itoa(int(e)) }

// RecordID identifies a record by the order producers sent it: record 1 is
// the first sent. The zero value is no record. Records print as letters (a, b,
// c, ...) as in the diagrams of seed 003.
type RecordID uint8

func (r RecordID) String() string {
	if r == 0 {
		return "-"
	}
	return string(rune('a' + int(r) - 1))
}

// Set is a set of brokers (an ISR, the live brokers). Bit i-1 is broker i.
type Set uint8

// Has reports whether b is in the set.
func (s Set) Has(b BrokerID) bool { return b != None && s&(1<<(b-1)) != 0 }

// With returns the set plus b.
func (s Set) With(b BrokerID) Set { return s | 1<<(b-1) }

// Without returns the set minus b.
func (s Set) Without(b BrokerID) Set { return s &^ (1 << (b - 1)) }

// Len is the number of brokers in the set.
func (s Set) Len() int {
	n := 0
	for x := s; x != 0; x &= x - 1 {
		n++
	}
	return n
}

// Only is the set holding b alone.
func Only(b BrokerID) Set { return Set(0).With(b) }

// AllBrokers is the set {1..n}.
func AllBrokers(n int) Set { return Set(1<<n - 1) }

// String prints the set as Kafka tools print an ISR: {1,2,3}.
func (s Set) String() string {
	var sb strings.Builder
	sb.WriteByte('{')
	first := true
	for b := BrokerID(1); b <= MaxReplicas; b++ {
		if s.Has(b) {
			if !first {
				sb.WriteByte(',')
			}
			sb.WriteString(b.String())
			first = false
		}
	}
	sb.WriteByte('}')
	return sb.String()
}
