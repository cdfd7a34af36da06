package model

// Status is what a broker's process and machine are doing.
type Status uint8

const (
	// Up: running and acting on what it knows.
	Up Status = iota
	// Paused: alive but silent (a long GC pause or a network partition). It
	// keeps its memory, so when it resumes it acts on stale metadata.
	Paused
	// Crashed: the process died; the OS and its page cache survived, so the
	// log is intact.
	Crashed
	// PowerLost: the machine lost power; records after the last flush are gone.
	PowerLost
	// DiskLost: the broker's disk failed; it will return with an empty log.
	DiskLost
	// ShutDown: a controlled shutdown; the log was flushed and leadership
	// moved first.
	ShutDown
)

// Down reports whether the broker process is not running.
func (s Status) Down() bool { return s >= Crashed }

func (s Status) String() string {
	switch s {
	case Up:
		return "up"
	case Paused:
		return "paused"
	}
	return "down (" + s.reason() + ")"
}

func (s Status) reason() string {
	switch s {
	case Paused:
		return "GC pause or network partition"
	case Crashed:
		return "process crash; page cache survived"
	case PowerLost:
		return "power loss; unflushed suffix lost"
	case DiskLost:
		return "disk lost; log empty"
	case ShutDown:
		return "clean shutdown"
	}
	return ""
}

// Entry is one record in a log, with the epoch of the leader that appended it.
type Entry struct {
	Rec   RecordID
	Epoch Epoch
}

// Broker is one replica's state: its log and what it believes.
type Broker struct {
	Status Status
	// LEO is the log end offset: Log[:LEO] is the log.
	// Invariant: Log[o] is the zero Entry for every o >= LEO.
	LEO Offset
	// HW is this replica's own high watermark. A follower learns it from fetch
	// responses, one round trip late; it survives restarts (Kafka checkpoints
	// it) but never exceeds the LEO.
	// Invariant: HW <= LEO.
	HW Offset
	// Flushed is the prefix of the log Kafka itself fsynced (a clean
	// shutdown, or every append with flush.messages=1): what any power loss
	// keeps. Records past it survive a power loss only if the OS happened to
	// write them (PowerLoss's Keep). Invariant: Flushed <= LEO.
	Flushed Offset
	// Epoch, Leader and ISR are the newest partition metadata this broker has
	// applied (LeaderAndIsr in ZooKeeper mode, the metadata log in KRaft). A
	// broker believes it leads when Leader is itself; it may be wrong.
	// Invariant: ISR is empty unless Leader is this broker; all three are zero
	// while the broker is down.
	Epoch  Epoch
	Leader BrokerID
	ISR    Set
	// Remote is, on a leader, each follower's fetch offset as of its last
	// fetch in this leadership: what the leader believes the follower's LEO
	// is. Invariant: all zero unless Leader is this broker.
	Remote [MaxReplicas]Offset
	// Fetched is, on a leader, the followers that have fetched from it in
	// this leadership: the others' log end offsets are unknown to it
	// (Kafka's UnknownOffset), so they cannot join the ISR, and their
	// fetch offsets count as 0. Invariant: empty unless Leader is this
	// broker.
	Fetched Set
	// Proposed is, on a leader, the ISR it asked the controller for in an
	// AlterPartition request still in flight (KIP-497), or empty. While it
	// is, the leader computes its high watermark over the maximal ISR, ISR
	// and Proposed together. Invariant: empty unless Leader is this broker
	// and the alter-partition feature is on.
	Proposed Set
	// Truncating: the follower has started following a new leader and
	// must look up where its log diverges (OffsetsForLeaderEpoch) before it
	// fetches (KIP-101, before KIP-320). Invariant: false unless the broker
	// follows a leader, with epoch truncation and without fenced fetch.
	Truncating bool
	Log        [MaxRecords]Entry
}

// Entries is the broker's log.
func (b *Broker) Entries() []Entry { return b.Log[:b.LEO] }

// Term is what the controller published for a leader epoch: its leader
// (None for an epoch without one; a leader change always starts a new
// epoch) and the ISR as the epoch ended. A broker that applies metadata
// late may apply an old epoch's (Controller.History).
type Term struct {
	Leader BrokerID
	ISR    Set
}

// Controller is the partition metadata the controller owns (ZooKeeper or the
// KRaft quorum), updated atomically.
type Controller struct {
	Leader BrokerID // None while the partition is offline
	Epoch  Epoch
	// ISR never becomes empty without eligible leader replicas: the last
	// member stays while it is down (Kafka before KIP-966). With them it
	// may.
	ISR Set
	// ELR is the eligible leader replicas (KIP-966): replicas that left an
	// ISR smaller than min.insync.replicas, and so hold every committed
	// record. Invariant: disjoint from the ISR; empty without the feature.
	ELR Set
	// LastLeader is the last known leader (KIP-966, Kafka's lastKnownElr):
	// the broker that led when the partition became leaderless, which is
	// elected, uncleanly, once no ISR or ELR member can be. Invariant: None
	// while the partition has a leader, and without the feature.
	LastLeader BrokerID
	// History[e] is the term of epoch e, for every epoch before Epoch: what
	// a broker applying metadata late may still learn of an epoch the
	// controller has moved past. Terms no running broker can apply any
	// more are erased (normalize).
	History [MaxEpoch]Term
	// Live is the brokers the controller believes alive (registered and not
	// fenced). It lags reality: a crashed broker stays live until detected.
	Live Set
	// UncleanEnabled: an operator has set unclean.leader.election.enable=true
	// as a dynamic configuration change (Config.OperatorMayEnableUnclean).
	UncleanEnabled bool
}

// Fate is what the producer learned about a record.
type Fate uint8

const (
	Unsent  Fate = iota
	Sent         // acks=0: appended; the producer never hears back
	Pending      // acks=all: appended; the leader waits for the HW to pass it
	Acked        // positive acknowledgement
	// Refused is NotEnoughReplicas: refused before appending because the ISR
	// was smaller than min.insync.replicas.
	Refused
	// FailedAfterAppend is NOT_ENOUGH_REPLICAS_AFTER_APPEND: the HW passed the
	// record while the ISR was below min.insync.replicas. The record is in the
	// log and may well be committed.
	FailedAfterAppend
	// LeaderLost: the leader crashed or stepped down before the HW passed the
	// record; the producer got an error or a timeout.
	LeaderLost
)

func (f Fate) String() string {
	switch f {
	case Unsent:
		return "unsent"
	case Sent:
		return "sent (acks=0)"
	case Pending:
		return "pending"
	case Acked:
		return "acked"
	case Refused:
		return "refused (NotEnoughReplicas)"
	case FailedAfterAppend:
		return "failed (NotEnoughReplicasAfterAppend)"
	case LeaderLost:
		return "failed (leader lost)"
	}
	return "invalid"
}

// Record is the producer's view of one record: ghost state for checking.
type Record struct {
	Fate Fate
	// Offset and Leader are where the record was appended (for every fate
	// but Unsent and Refused).
	Offset Offset
	Leader BrokerID
}

// Ghost is state Kafka does not have: what clients were told and saw. The
// invariants are stated over it. It never influences which actions are
// enabled or what they do.
type Ghost struct {
	// Records[k-1] is the fate of record k.
	Records  [MaxRecords]Record
	Produced uint8 // records sent so far; record Produced+1 is next
	// TrueHW is the largest high watermark a running leader ever had, in
	// whatever epoch it acted (and so told clients in its fetch responses
	// and acknowledgements), and Committed[:TrueHW] the entries below it
	// then: what clients were told is committed.
	TrueHW    Offset
	Committed [MaxRecords]Entry
	// Read[:Consumed] are the records the consumer read, offset by offset.
	Consumed uint8
	Read     [MaxRecords]RecordID
}

// Used counts the faults spent from each bound.
type Used struct {
	Crashes, PowerLosses, DiskLosses, CleanShutdowns, Pauses uint8
	// CorrelatedPowerLosses counts the partition's correlated power
	// losses (one for all its brokers).
	CorrelatedPowerLosses uint8
}

// State is the whole partition: brokers 1..ReplicationFactor in
// Brokers[0..RF-1], the controller, the ghost state and the fault budget.
// It is a plain value: copying it copies everything.
type State struct {
	Brokers [MaxReplicas]Broker
	Ctrl    Controller
	Ghost   Ghost
	Used    Used
}

// Broker returns broker id's state.
func (s *State) Broker(id BrokerID) *Broker { return &s.Brokers[id-1] }

// PresumesLeadership reports whether broker id is running and believes it
// leads (in whatever epoch it last heard of).
func (s *State) PresumesLeadership(id BrokerID) bool {
	b := s.Broker(id)
	return b.Status == Up && b.Leader == id
}

// CurrentLeader returns the controller's leader if it is up and acts as
// leader in the controller's epoch, or in an earlier one with no other
// leader since (an epoch bump it has not applied yet left it leader): the
// leader clients find, whose high watermark they see.
func (s *State) CurrentLeader() (BrokerID, bool) {
	l := s.Ctrl.Leader
	if l == None || s.Broker(l).Status != Up || !s.StillLeads(l) {
		return None, false
	}
	return l, true
}

// StillLeads reports whether broker id believes it leads and the controller
// has elected no one else since the epoch it acts in.
func (s *State) StillLeads(id BrokerID) bool {
	b := s.Broker(id)
	if b.Leader != id || s.Ctrl.Leader != id {
		return false
	}
	for e := b.Epoch; e < s.Ctrl.Epoch; e++ {
		if s.Ctrl.History[e].Leader != id {
			return false
		}
	}
	return true
}

// LeaderHW is the current leader's high watermark: what its fetch
// responses tell clients, the records below it being what consumers read.
func (s *State) LeaderHW() (Offset, bool) {
	l, ok := s.CurrentLeader()
	if !ok {
		return 0, false
	}
	return s.Broker(l).HW, true
}

// LatestOffset is what a client asking for the latest offset (ListOffsets)
// is told: the current leader's high watermark. From 2.2 (KIP-207) a
// leader that has not yet reached its epoch start offset answers
// OFFSET_NOT_AVAILABLE rather than expose a lagging HW.
func (m *Model) LatestOffset(s *State) (Offset, bool) {
	l, ok := s.CurrentLeader()
	if !ok {
		return 0, false
	}
	b := s.Broker(l)
	if m.has(HideLaggingHW) && b.HW < b.EpochStartOffset() {
		return 0, false
	}
	return b.HW, true
}
