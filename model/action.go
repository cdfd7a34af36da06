package model

import (
	"fmt"
	"strconv"
	"strings"
)

// Kind is the kind of an action.
type Kind uint8

const (
	// Produce: a producer sends the next record to a broker that believes it
	// leads.
	Produce Kind = iota
	// Fetch: a follower fetches from the broker it believes leads: truncates
	// if its log diverged, appends what is new, learns the leader's HW; the
	// leader learns the follower's fetch offset and may advance its HW.
	Fetch
	// ShrinkISR: a leader removes a follower that is behind its LEO (the
	// replica.lag.time.max.ms timeout), fenced by the controller.
	ShrinkISR
	// ExpandISR: a leader adds back a follower that caught up.
	ExpandISR
	// AlterPartition: the controller answers a leader's ISR change in
	// flight (KIP-497, 2.7): it writes it, or refuses it (stale epoch or
	// ISR, an ineligible replica) and the leader rolls back.
	AlterPartition
	// Metadata: a broker applies partition metadata (LeaderAndIsr, or the
	// KRaft metadata log), possibly much later than the controller changed
	// it: the controller's current metadata, or with Old that of an older
	// epoch it has not applied yet (a late LeaderAndIsr, or a metadata log
	// replayed late).
	Metadata
	// Consume: the consumer fetches from a broker that believes it leads and
	// reads every offset from its position up to that broker's HW.
	Consume
	// Crash: the broker process dies; the page cache survives.
	Crash
	// PowerLoss: the machine loses power. Of the records past what Kafka
	// itself fsynced (Broker.Flushed), the OS had written some prefix to
	// disk in the background, at times nothing in Kafka controls: the
	// broker keeps Keep records, any number from Flushed to its LEO.
	PowerLoss
	// DiskLoss: the disk fails; the log is gone.
	DiskLoss
	// Pause: a GC pause or network partition silences a broker.
	Pause
	// CleanShutdown: controlled shutdown; the controller moves leadership to
	// Target (None if no other ISR member is alive) before the broker stops.
	CleanShutdown
	// Detect: the controller fences a broker that is down or silent, removes
	// it from the ISR unless it is the last member, and, if it led, elects
	// Target (None: the partition goes offline).
	Detect
	// Restart: a fenced broker comes back, recovers its log and registers;
	// a leaderless partition may elect Target.
	Restart
	// Resume: a paused broker resumes with the metadata it had. If the
	// controller fenced it meanwhile, it acts (fetches, leads) on that
	// metadata until it registers again.
	Resume
	// Register: a running broker the controller fenced registers again (a
	// new ZooKeeper session, or a KRaft heartbeat that unfences it); a
	// leaderless partition may elect Target.
	Register
	// PreferredElection: the controller moves leadership back to the
	// preferred replica (auto.leader.rebalance.enable).
	PreferredElection
	// Elect: the controller elects a leader for an offline partition that
	// has an eligible live replica. Elections on failure and registration
	// are part of those actions, so this only fires after a setting changed
	// mid-incident (an operator enabling unclean.leader.election.enable,
	// which Kafka applies to offline partitions at once).
	Elect
	// EnableUnclean: an operator sets unclean.leader.election.enable=true,
	// a dynamic configuration change (with OperatorMayEnableUnclean).
	EnableUnclean
	// CorrelatedPowerLoss: every broker of the partition loses power at
	// the same instant (a rack or data-centre outage): each one running or
	// paused has a PowerLoss, keeping Keeps[id-1] records, in one step;
	// brokers already down are unaffected. Hit is the brokers it takes
	// down. It names no broker: the whole partition is its subject.
	CorrelatedPowerLoss
	numKinds
)

var kindNames = [numKinds]string{
	Produce: "produce", Fetch: "fetch", ShrinkISR: "shrink-isr", ExpandISR: "expand-isr",
	AlterPartition: "alter-partition", Metadata: "metadata", Consume: "consume", Crash: "crash",
	PowerLoss: "power-loss", DiskLoss: "disk-loss", Pause: "pause",
	CleanShutdown: "clean-shutdown", Detect: "detect", Restart: "restart",
	Resume: "resume", Register: "register", PreferredElection: "preferred-election", Elect: "elect", EnableUnclean: "enable-unclean",
	CorrelatedPowerLoss: "power-loss-all",
}

func (k Kind) String() string {
	if k < numKinds {
		return kindNames[k]
	}
	return "invalid"
}

// KindNames lists every action kind's name, indexed by Kind.
func KindNames() []string { return kindNames[:] }

// Action is one step of the transition system. Broker is the broker acting
// (or acted upon); Target is the follower of an ISR change or the broker an
// election elects; Keep is how many records a power loss leaves; Lost says
// a fetch's response never arrived; Old and Epoch name the older epoch
// whose metadata a broker applies late; Hit and Keeps are a correlated
// power loss's brokers and what each one's disk kept.
type Action struct {
	Kind   Kind
	Broker BrokerID
	Target BrokerID
	Keep   Offset
	Epoch  Epoch
	Old    bool
	Lost   bool
	Hit    Set
	Keeps  [MaxReplicas]Offset
}

// partitionWide reports whether actions of kind k name no broker: they
// act on the whole partition.
func (k Kind) partitionWide() bool { return k == EnableUnclean || k == CorrelatedPowerLoss }

// String is the action's canonical text, which ParseAction reads back:
// "produce 1", "fetch 2", "fetch 2 lost", "shrink-isr 1 3",
// "detect 1 elect 2", "restart 3 elect 3", "power-loss 2 keep 1",
// "metadata 2", "metadata 2 epoch 1", "preferred-election 1",
// "power-loss-all keep 1:2 3:0" (broker 1 keeps 2 records, broker 3
// none, broker 2 was already down). A change
// that elects no one is written without a target ("detect 1");
// ParseAction also accepts "detect 1 elect none" for it.
func (a Action) String() string {
	switch a.Kind {
	case ShrinkISR, ExpandISR:
		return fmt.Sprintf("%s %d %d", a.Kind, a.Broker, a.Target)
	case Detect, CleanShutdown, Restart, Register:
		if a.Target != None {
			return fmt.Sprintf("%s %d elect %s", a.Kind, a.Broker, a.Target)
		}
	case PowerLoss:
		return fmt.Sprintf("%s %d keep %d", a.Kind, a.Broker, a.Keep)
	case Fetch:
		if a.Lost {
			return fmt.Sprintf("%s %d lost", a.Kind, a.Broker)
		}
	case Metadata:
		if a.Old {
			return fmt.Sprintf("%s %d epoch %d", a.Kind, a.Broker, a.Epoch)
		}
	case EnableUnclean:
		return a.Kind.String()
	case CorrelatedPowerLoss:
		return a.Kind.String() + " keep " + a.keepsText()
	}
	return fmt.Sprintf("%s %d", a.Kind, a.Broker)
}

// ParseAction reads the canonical text of an action.
func ParseAction(s string) (Action, error) {
	f := strings.Fields(s)
	if len(f) == 0 {
		return Action{}, fmt.Errorf("empty action")
	}
	kind := Kind(numKinds)
	for k, name := range kindNames {
		if f[0] == name {
			kind = Kind(k)
		}
	}
	if kind == numKinds {
		return Action{}, fmt.Errorf("unknown action %q: use one of %s", f[0], strings.Join(kindNames[:], ", "))
	}
	broker := func(s string) (BrokerID, error) {
		if s == "none" {
			return None, nil
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > MaxReplicas {
			return None, fmt.Errorf("%q is not a broker id (1 to %d)", s, MaxReplicas)
		}
		return BrokerID(n), nil
	}
	number := func(s string, limit int, what string) (int, error) {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > limit {
			return 0, fmt.Errorf("%q is not %s (0 to %d)", s, what, limit)
		}
		return n, nil
	}
	a := Action{Kind: kind}
	var err error
	elects := kind == Detect || kind == CleanShutdown || kind == Restart || kind == Register
	switch {
	case kind == EnableUnclean:
		if len(f) != 1 {
			return Action{}, fmt.Errorf("malformed action %q: %q takes no arguments", s, kind)
		}
		return a, nil
	case kind == CorrelatedPowerLoss && len(f) >= 3 && f[1] == "keep":
		if err := a.parseKeeps(f[2:]); err != nil {
			return Action{}, fmt.Errorf("malformed action %q: %v", s, err)
		}
		return a, nil
	case (kind == ShrinkISR || kind == ExpandISR) && len(f) == 3:
		if a.Broker, err = broker(f[1]); err == nil {
			a.Target, err = broker(f[2])
		}
	case elects && len(f) == 4 && f[2] == "elect":
		if a.Broker, err = broker(f[1]); err == nil {
			a.Target, err = broker(f[3])
		}
	case kind == PowerLoss && len(f) == 4 && f[2] == "keep":
		if a.Broker, err = broker(f[1]); err == nil {
			var n int
			n, err = number(f[3], MaxRecords, "a number of records to keep")
			a.Keep = Offset(n)
		}
	case kind == Fetch && len(f) == 3 && f[2] == "lost":
		a.Lost = true
		a.Broker, err = broker(f[1])
	case kind == Metadata && len(f) == 4 && f[2] == "epoch":
		if a.Broker, err = broker(f[1]); err == nil {
			var n int
			n, err = number(f[3], MaxEpoch, "a leader epoch")
			a.Old, a.Epoch = true, Epoch(n)
		}
	case len(f) == 2 && kind != ShrinkISR && kind != ExpandISR && kind != PowerLoss && kind != CorrelatedPowerLoss:
		a.Broker, err = broker(f[1])
	default:
		return Action{}, fmt.Errorf("malformed action %q: expected %s", s, usage(kind))
	}
	if err == nil && a.Broker == None {
		err = fmt.Errorf("action %q names no broker", s)
	}
	return a, err
}

func usage(k Kind) string {
	switch k {
	case ShrinkISR, ExpandISR:
		return fmt.Sprintf("%q followed by the leader and the follower, as in \"%s 1 3\"", k, k)
	case Detect, CleanShutdown, Restart, Register:
		return fmt.Sprintf("%q, a broker and optionally \"elect N\" or \"elect none\", as in \"%s 1 elect 2\"", k, k)
	case PowerLoss:
		return fmt.Sprintf("%q, a broker and \"keep N\", the records its disk kept, as in \"%s 1 keep 0\"", k, k)
	case Fetch:
		return fmt.Sprintf("%q, a broker and optionally \"lost\", as in \"%s 2\" or \"%s 2 lost\"", k, k, k)
	case Metadata:
		return fmt.Sprintf("%q, a broker and optionally \"epoch E\", as in \"%s 2\" or \"%s 2 epoch 1\"", k, k, k)
	case CorrelatedPowerLoss:
		return fmt.Sprintf("%q, \"keep\" and, for each broker it takes down in increasing order, BROKER:RECORDS its disk kept, as in \"%s keep 1:2 3:0\"", k, k)
	}
	return fmt.Sprintf("%q followed by a broker id, as in \"%s 1\"", k, k)
}
