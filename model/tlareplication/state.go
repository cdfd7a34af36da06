// Package tlareplication is a port to Go of the public TLA+ specification
// of Kafka partition replication, hachikuji/kafka-specification: the core
// module KafkaReplication.tla (with FiniteReplicatedLog.tla, IdSequence.tla
// and Util.tla) and its five variants, which differ in how a follower
// truncates and how fetches are fenced.
//
// It exists to cross-check electcheck's explorer against TLC: a state here
// is exactly a state of the specification (the same six variables, the same
// value domains, no symmetry reduction, no normalisation), and the actions
// enumerate exactly the bindings TLC enumerates, so that distinct states,
// generated states, depth and shortest counterexamples can be compared one
// to one. Every function cites the TLA+ operator it implements.
//
// Like package model it is pure: no clocks, randomness, goroutines or I/O.
package tlareplication

import (
	"fmt"
	"strings"
)

// Limits of the representation.
const (
	MaxReplicas    = 5
	MaxLogSize     = 8
	MaxRecordIDs   = 16
	MaxLeaderEpoch = 14
)

// Nil is the specification's Nil (-1): the leader epoch of a replica that
// has seen no LeaderAndIsr request, or of the quorum before any election.
const Nil = -1

// None is the specification's None ("NONE"): no leader.
const None = -1

// Replica is an index into Replicas: r1 is 0.
type Replica = int8

// Set is a set of replicas; bit i is replica i.
type Set uint8

// Has reports whether r is in the set.
func (s Set) Has(r Replica) bool { return r >= 0 && s&(1<<r) != 0 }

func (s Set) with(r Replica) Set    { return s | 1<<r }
func (s Set) without(r Replica) Set { return s &^ (1 << r) }

// String prints the set as TLC does: {r1, r2}.
func (s Set) String() string {
	var parts []string
	for r := Replica(0); r < MaxReplicas; r++ {
		if s.Has(r) {
			parts = append(parts, ReplicaName(r))
		}
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// ReplicaName is r's model value name, r1 for 0; None prints as NONE.
func ReplicaName(r Replica) string {
	if r == None {
		return "NONE"
	}
	return fmt.Sprintf("r%d", r+1)
}

// Record is an element of LogRecords: [id : RecordSeq!IdSet, epoch :
// LeaderEpochSeq!IdSet].
type Record struct {
	ID    int8
	Epoch int8
}

// Log is one replica's log in FiniteReplicatedLog: [endOffset, records].
// Invariant: Records[o] is the zero Record for o >= EndOffset (the
// specification's Nil), so equal logs are equal values.
type Log struct {
	EndOffset int8
	Records   [MaxLogSize]Record
}

// ReplicaState is a replica's local state: [hw, leaderEpoch, leader, isr].
type ReplicaState struct {
	HW          int8
	LeaderEpoch int8 // Nil or an epoch
	Leader      Replica
	ISR         Set
}

// QuorumState is the controller's state in ZooKeeper: [leaderEpoch, leader,
// isr]. A LeaderAndIsr request has the same shape.
type QuorumState struct {
	LeaderEpoch int8
	Leader      Replica
	ISR         Set
}

// State is the specification's six variables.
type State struct {
	ReplicaLog   [MaxReplicas]Log
	ReplicaState [MaxReplicas]ReplicaState
	// NextRecordID is nextRecordId, NextLeaderEpoch nextLeaderEpoch.
	NextRecordID    int8
	NextLeaderEpoch int8
	// Requests is leaderAndIsrRequests. Every request is added by
	// ControllerUpdateIsr with a fresh epoch from the IdSequence, so the set
	// holds exactly one request per epoch 0..NextLeaderEpoch-1; Requests[e]
	// is the one with leaderEpoch e. Entries from NextLeaderEpoch on are zero.
	Requests    [MaxLeaderEpoch + 1]QuorumState
	QuorumState QuorumState
}

// Request returns the request with leader epoch e.
func (s *State) Request(e int8) QuorumState {
	r := s.Requests[e]
	r.LeaderEpoch = e
	return r
}
