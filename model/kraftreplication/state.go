package kraftreplication

import (
	"fmt"
	"strings"
)

// Limits of the representation.
const (
	MaxBrokers  = 4  // BrokerCount
	MaxValues   = 4  // Cardinality(Values): a partition log holds each value once
	MaxMetaLog  = 32 // records of con_metadata_log
	MaxMessages = 32 // messages in flight
	MaxDiscard  = 32 // AlterPartition requests in messages_discard
)

// Broker is an index into Brokers: broker 1 of the specification is 0.
type Broker = int8

// NoLeader is the specification's NoLeader (and, as a message endpoint,
// Controller): no broker.
const NoLeader Broker = -1

// Nil is the specification's Nil for the integer-valued fields that may
// hold it: partition_leso and a peer replica's leo.
const Nil = -1

// intMax is IntMax (10000), the floor leader offset of a replica that has
// written nothing since it last renounced leadership; no offset reaches it.
const intMax = 127

// Set is a set of brokers; bit i is broker i+1.
type Set uint8

// Has reports whether b is in the set.
func (s Set) Has(b Broker) bool { return b >= 0 && s&(1<<b) != 0 }

func (s Set) with(b Broker) Set    { return s | 1<<b }
func (s Set) without(b Broker) Set { return s &^ (1 << b) }

// Len is the set's cardinality.
func (s Set) Len() int {
	n := 0
	for x := s; x != 0; x &= x - 1 {
		n++
	}
	return n
}

// String prints the set as TLC does: {1, 2}.
func (s Set) String() string {
	var parts []string
	for b := Broker(0); b < MaxBrokers; b++ {
		if s.Has(b) {
			parts = append(parts, BrokerName(b))
		}
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// BrokerName is b's id in the specification, "1" for 0; NoLeader prints
// as NoLeader.
func BrokerName(b Broker) string {
	if b == NoLeader {
		return "NoLeader"
	}
	return fmt.Sprint(b + 1)
}

// ValueSet is a set of the model values in Values; bit i is value i.
type ValueSet uint8

// Has reports whether value v is in the set.
func (s ValueSet) Has(v int8) bool { return s&(1<<v) != 0 }

// Record is a PartitionRecord: [epoch, offset, value]; value indexes
// Values.
type Record struct {
	Epoch, Offset, Value int8
}

// Status is a broker's broker-side status.
type Status uint8

const (
	Running Status = iota
	Starting
	OfflineClean
	OfflineDirty
)

var statusNames = [...]string{"RUNNING", "STARTING", "OFFLINE_CLEAN", "OFFLINE_DIRTY"}

func (s Status) String() string { return statusNames[s] }

func (s Status) offline() bool { return s == OfflineClean || s == OfflineDirty }

// Role is partition_status: Nil, Leader or Follower.
type Role uint8

const (
	NoRole Role = iota
	Leader
	Follower
)

var roleNames = [...]string{"Nil", "Leader", "Follower"}

func (r Role) String() string { return roleNames[r] }

// Registration is con_broker_reg[b]: [status, broker_epoch,
// incarnation_id]; Fenced is status = FENCED.
type Registration struct {
	Fenced              bool
	BrokerEpoch, Incarn int8
}

// PartitionMetadata is con_partition_metadata, and a record of
// con_metadata_log (whose type is always PartitionChangeRecord): [replicas,
// isr, elr, last_known_elr, leader, leader_epoch, partition_epoch, adding,
// removing]. v3.5 has no elr and last_known_elr (they stay empty); the
// first record of the log, written by Init, has no adding and removing
// (they are empty there).
type PartitionMetadata struct {
	Replicas, ISR, ELR, LastKnownELR Set
	Leader                           Broker
	LeaderEpoch, PartitionEpoch      int8
	Adding, Removing                 Set
}

// BrokerState is broker_state[b]: [status, broker_epoch, incarnation_id,
// registered].
type BrokerState struct {
	Status              Status
	BrokerEpoch, Incarn int8
	Registered          bool
}

// Fetcher is broker_fetchers[b][b1]: [partition, pending_response], the
// partition Nil (Added false) or [fetch_offset, last_fetched_epoch,
// delayed]. Invariant: with Added false the partition's fields are zero.
type Fetcher struct {
	Added                         bool
	FetchOffset, LastFetchedEpoch int8
	Delayed                       bool
	Pending                       bool
}

// ReplicaMetadata is partition_metadata[b]: [replicas, isr, maximal_isr,
// leader, leader_epoch, partition_epoch].
type ReplicaMetadata struct {
	Replicas, ISR, MaximalISR   Set
	Leader                      Broker
	LeaderEpoch, PartitionEpoch int8
}

// blankMetadata is BlankMetadata.
var blankMetadata = ReplicaMetadata{Leader: NoLeader}

// PartitionData is partition_data[b]: [log, hwm, leo]. Offsets are
// 1-based and exclusive, as in the specification: an empty log has leo 1.
// Invariant: Log[i] is zero for i >= Len.
type PartitionData struct {
	Log      [MaxValues]Record
	Len      int8
	HWM, LEO int8
}

// Peer is partition_replica_state[b][b1], the leader's view of a
// follower: [leo (Nil until a fetch), broker_epoch].
type Peer struct {
	LEO, BrokerEpoch int8
}

var blankPeer = Peer{LEO: Nil}

// PendingAP is partition_pending_ap[b]: [epoch, request], the request Nil
// (Has false) or the AlterPartition request sent.
type PendingAP struct {
	Epoch int8
	Has   bool
	Req   APRequest
}

// Counters is aux_ctrs. Lossy counts DataLossShutdown (kip-966) or
// UncleanShutdown (v3.5); Safe counts NoDataLossShutdown or CleanShutdown.
type Counters struct {
	Incarn, Lossy, Safe, Fence, Shrink, Reassign int8
}

// State is the specification's variables. Those of the VIEW come first;
// the auxiliary variables (aux_broker_epoch, aux_ctrs, aux_flo) and
// messages_discard, which the VIEW leaves out, last.
type State struct {
	// Controller: con_unfenced, con_broker_reg, con_partition_metadata,
	// con_metadata_log (MetaLog[:MetaLen], offset o at MetaLog[o-1]).
	Unfenced Set
	Reg      [MaxBrokers]Registration
	Part     PartitionMetadata
	MetaLog  [MaxMetaLog]PartitionMetadata
	MetaLen  int8

	// Brokers: broker_state, broker_fetchers, and broker_metadata_log,
	// which is always a prefix of con_metadata_log (registration copies a
	// prefix, metadata updates append the next records, and the
	// controller's log only grows): BrokerLog[b] is its length.
	Broker    [MaxBrokers]BrokerState
	Fetchers  [MaxBrokers][MaxBrokers]Fetcher
	BrokerLog [MaxBrokers]int8

	// Partition replicas: partition_status, partition_metadata,
	// partition_data, partition_leso (Nil or an offset),
	// partition_replica_state, partition_pending_ap.
	Role    [MaxBrokers]Role
	Meta    [MaxBrokers]ReplicaMetadata
	Data    [MaxBrokers]PartitionData
	LESO    [MaxBrokers]int8
	Peers   [MaxBrokers][MaxBrokers]Peer
	Pending [MaxBrokers]PendingAP

	// messages, a set kept sorted (see Message.less) without duplicates.
	Msgs  [MaxMessages]Message
	NMsgs int8

	// inv_sent, inv_pos_acked, inv_neg_acked, inv_true_hwm, inv_consumed.
	Sent, PosAcked, NegAcked ValueSet
	TrueHWM                  int8
	Consumed                 [MaxValues]Record
	NConsumed                int8

	// Fault is not a variable: it records that TLC could not have
	// evaluated the action that led here (see Fault). 0 for none.
	Fault Fault

	// Outside the VIEW: aux_broker_epoch, aux_ctrs, aux_flo, and the
	// AlterPartition requests of messages_discard, the only messages the
	// specification looks up there (__AvoidCycle's PreviouslySent).
	AuxBrokerEpoch int8
	Ctrs           Counters
	FLO            [MaxBrokers]int8
	Discarded      [MaxDiscard]APRequest
	NDiscarded     int8
}

// Fault is an evaluation TLC would stop at with an error: the port
// records it in the successor instead, and the checker reports it.
type Fault uint8

const (
	NoFault Fault = iota
	// FaultLogDomain: LogEntry or SubSeq applied beyond a partition log.
	FaultLogDomain
	// FaultNilCompare: an offset that LastOffsetForEpoch left Nil compared
	// with an integer.
	FaultNilCompare
	// FaultUnassigned: RemainFollower leaves aux_flo unassigned, so the
	// successor is not completely specified.
	FaultUnassigned
	// FaultCapacity: the state outgrew the port's fixed-size arrays.
	FaultCapacity
	numFaults
)

var faultText = [numFaults]string{"",
	"a partition log was read beyond its end (LogEntry or SubSeq out of its domain)",
	"an offset LastOffsetForEpoch left Nil was compared with an integer",
	"RemainFollower leaves aux_flo unassigned: the successor is not completely specified",
	"the state outgrew the port's representation (more metadata records, messages or log entries than it holds)",
}

func (f Fault) String() string { return faultText[f] }

// the specification's operators on a replica's partition data.

func (s *State) leo(b Broker) int8               { return s.Data[b].LEO }
func (s *State) hwm(b Broker) int8               { return s.Data[b].HWM }
func (s *State) logLen(b Broker) int8            { return s.Data[b].Len }
func (s *State) entry(b Broker, off int8) Record { return s.Data[b].Log[off-1] }

// hasOffset is offset \in LogOffsets(b), DOMAIN of the log.
func (s *State) hasOffset(b Broker, off int8) bool { return off >= 1 && off <= s.Data[b].Len }

// lastEpoch is Last(LogOf(b)).epoch, or 0 for an empty log, as the
// specification computes a last fetched epoch.
func (s *State) lastEpoch(b Broker) int8 {
	if s.Data[b].Len == 0 {
		return 0
	}
	return s.entry(b, s.Data[b].Len).Epoch
}

// pendingAlterPartition is PendingAlterPartitionResponse(b).
func (s *State) pendingAlterPartition(b Broker) bool {
	return s.Pending[b].Epoch > s.Meta[b].PartitionEpoch
}

// reassignmentInProgress is ReassignmentInProgress.
func (s *State) reassignmentInProgress() bool { return s.Part.Adding != 0 || s.Part.Removing != 0 }

// metaRecord is con_metadata_log[o] (o 1-based).
func (s *State) metaRecord(o int8) *PartitionMetadata { return &s.MetaLog[o-1] }
